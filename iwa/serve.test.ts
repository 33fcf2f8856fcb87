import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveIwa, type ServedIwa } from './serve.ts';

const INDEX = `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'self'; require-trusted-types-for 'script'; trusted-types webdisc lit-html" /><title>t</title>`;

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise ".."). */
function get(url: string, path: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (ok, fail) => {
      const u = new URL(url);
      request({ host: u.hostname, port: u.port, path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
        .on('error', fail)
        .end();
    },
  );
}

describe('the dev-mode proxy server', () => {
  let dir: string;
  let served: ServedIwa;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webdisc-iwa-serve-'));
    mkdirSync(join(dir, '.well-known'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, '.well-known', 'manifest.webmanifest'), '{"version":"0.1.0"}');
    served = await serveIwa(dir);
  });
  after(async () => {
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves "/" as index.html with the IWA headers', async () => {
    assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get(served.url, '/');
    assert.equal(r.status, 200);
    assert.equal(r.body, INDEX);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
    assert.match(String(r.headers['content-security-policy']), /require-trusted-types-for/);
  });

  it('serves the manifest, 404s the unknown, refuses paths outside the folder, logs requests', async () => {
    const m = await get(served.url, '/.well-known/manifest.webmanifest');
    assert.equal(m.status, 200);
    assert.equal(m.headers['content-type'], 'application/manifest+json');
    assert.equal((await get(served.url, '/nope.js')).status, 404);
    // The URL parser folds "/../" (also as %2e%2e) into the root, so those stay inside it...
    assert.equal((await get(served.url, '/../../etc/passwd')).status, 404);
    assert.equal((await get(served.url, '/%2e%2e/%2e%2e/etc/passwd')).status, 404);
    // ...but an encoded slash only becomes ".." after decoding: the folder check stops it.
    assert.equal((await get(served.url, '/..%2f..%2f..%2fetc%2fpasswd')).status, 403);
    assert.ok(served.requests.includes('/.well-known/manifest.webmanifest'));
  });
});
