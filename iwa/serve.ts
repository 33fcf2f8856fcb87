/**
 * Serves the built IWA files (dist-iwa/app) on 127.0.0.1 with the headers an
 * IWA has, for Chrome's dev-mode proxy install: chrome://web-app-internals →
 * "Install IWA via Dev Mode Proxy" with this URL (or CDP PWA.install with a
 * dev-proxy Web Bundle ID). `npm run serve:iwa [-- --port N]`.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cspOfIndexHtml, iwaHeaders } from './headers.ts';
import { IWA_APP_DIR } from './manifest.ts';

export interface ServedIwa {
  readonly url: string;
  /** Every path asked for, in order (tests look at what Chrome fetched). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function serveIwa(dir: string = IWA_APP_DIR, port = 0): Promise<ServedIwa> {
  const root = resolve(dir);
  const csp = cspOfIndexHtml(readFileSync(join(root, 'index.html'), 'utf8'));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      requests.push(pathname);
      const rel = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
      const file = normalize(join(root, rel));
      // Nothing outside the app folder, however the path is spelled.
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { ...iwaHeaders(file, csp), 'cache-control': 'no-cache' });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the IWA server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '4174' }, dir: { type: 'string' } },
  });
  const served = await serveIwa(values.dir ?? IWA_APP_DIR, Number(values.port));
  console.log(`Serving ${values.dir ?? IWA_APP_DIR} for a dev-mode proxy install at ${served.url}`);
  console.log('In Chrome: chrome://web-app-internals → "Install IWA via Dev Mode Proxy".');
}
