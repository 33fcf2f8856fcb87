/**
 * `npm run iwa:try-file-install [-- --via=flag|cdp-file|cdp-http] [--wait=45]
 * [--swbn=PATH] [--control]`: tries to install the Signed Web Bundle into the
 * system Chromium (headless, developer mode) and says what happened, with a
 * time limit on every step. Not part of the gate: on Chromium 156 here every
 * route that reads a .swbn waits without end (see the README).
 *
 *   flag      --install-isolated-web-app-from-file=PATH at launch
 *   cdp-file  CDP PWA.install with a file:// URL of the bundle
 *   cdp-http  CDP PWA.install with an http://127.0.0.1 URL serving the bundle
 *   --control install 4 KiB of random bytes instead: if that waits the same
 *             way, the wait is not caused by the bundle's contents.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
// @ts-expect-error -- plain ESM helper shared with web-test-runner.config.mjs
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';
import { parseSignedWebBundle } from './bundle.ts';
import { isolatedAppOrigin } from './bundle-id.ts';

const { values } = parseArgs({
  options: {
    via: { type: 'string', default: 'flag' },
    wait: { type: 'string', default: '45' },
    swbn: { type: 'string' },
    control: { type: 'boolean', default: false },
  },
});
const via = values.via as 'flag' | 'cdp-file' | 'cdp-http';
const waitMs = Number(values.wait) * 1000;
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const real = resolve(values.swbn ?? `dist-iwa/webdisc-${version}.swbn`);
const id = parseSignedWebBundle(readFileSync(real)).webBundleId;
const scratch = mkdtempSync(join(tmpdir(), 'webdisc-iwa-try-'));
const swbn = values.control ? join(scratch, 'random.swbn') : real;
if (values.control) writeFileSync(swbn, randomBytes(4096));
const manifestId = isolatedAppOrigin(id);

const timed = <T>(ms: number, work: Promise<T>) =>
  Promise.race([
    work.then(
      (value) => ({ outcome: 'done' as const, value }),
      (error: unknown) => ({ outcome: 'failed' as const, value: (error as Error).message }),
    ),
    new Promise<{ outcome: 'timed out'; value: null }>((ok) =>
      setTimeout(() => ok({ outcome: 'timed out', value: null }), ms),
    ),
  ]);

const server = createServer((_req, res) => {
  const body = readFileSync(swbn);
  res.writeHead(200, { 'content-type': 'application/webbundle', 'content-length': body.length });
  res.end(body);
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const address = server.address();
const port = address && typeof address === 'object' ? address.port : 0;

const executablePath = (findChromium as () => string | undefined)();
if (!executablePath) throw new Error('No Chromium: set CHROME_PATH.');
const args = [
  ...(chromiumArgs as string[]),
  '--enable-features=IsolatedWebApps,IsolatedWebAppDevMode',
  '--enable-unsafe-extension-debugging',
  ...(via === 'flag' ? [`--install-isolated-web-app-from-file=${swbn}`] : []),
];
console.log(`Chromium: ${executablePath}`);
console.log(`Bundle:   ${swbn}${values.control ? ' (random bytes, control)' : ''}`);
console.log(`ID:       ${id}`);
console.log(`Route:    ${via}, waiting up to ${waitMs / 1000} s`);

const context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
  executablePath,
  headless: true,
  args,
});
try {
  const cdp = await context.browser()!.newBrowserCDPSession();
  const started = Date.now();
  if (via === 'flag') {
    await new Promise((ok) => setTimeout(ok, waitMs));
    console.log(`Install:  (flag) waited ${waitMs / 1000} s`);
  } else {
    const url = via === 'cdp-file' ? `file://${swbn}` : `http://127.0.0.1:${port}/webdisc.swbn`;
    const r = await timed(
      waitMs,
      cdp.send('PWA.install', { manifestId, installUrlOrBundleUrl: url }),
    );
    console.log(
      `Install:  PWA.install ${r.outcome} after ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (r.value ? `: ${JSON.stringify(r.value)}` : ''),
    );
  }
  const launch = await timed(10_000, cdp.send('PWA.launch', { manifestId }));
  console.log(
    `Launch:   PWA.launch ${launch.outcome}${launch.value ? `: ${JSON.stringify(launch.value)}` : ''}`,
  );
  console.log(
    launch.outcome === 'done'
      ? 'Result:   INSTALLED (the app launched)'
      : 'Result:   NOT INSTALLED',
  );
} finally {
  await context.close();
  server.close();
  rmSync(scratch, { recursive: true, force: true });
}
