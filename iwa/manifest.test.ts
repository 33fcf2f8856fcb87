import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { WebBundleId } from 'wbn-sign';
import { generateKeyPairSync } from 'node:crypto';
import {
  BundleIdType,
  base32,
  devProxyBundleId,
  fromBase32,
  isolatedAppOrigin,
  parseWebBundleId,
  webBundleId,
} from './bundle-id.ts';
import { decodeCbor } from './cbor.ts';
import { cspOfIndexHtml, contentType, iwaHeaders } from './headers.ts';
import {
  IWA_PERMISSIONS_POLICY,
  assertIwaVersion,
  iwaManifest,
  updateManifest,
  type AppManifestFields,
} from './manifest.ts';

const app: AppManifestFields = {
  name: 'webdisc: test',
  short_name: 'webdisc',
  description: 'd',
  lang: 'en',
  theme_color: '#000000',
  background_color: '#ffffff',
  icons: [
    { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
};

describe('IWA manifest', () => {
  it('has version, start URL, PNG icons at absolute paths and the permissions policy', () => {
    const m = iwaManifest(app, '0.1.0');
    assert.equal(m.version, '0.1.0');
    assert.equal(m.start_url, '/');
    assert.equal(m.display, 'standalone');
    // Under /.well-known/, a relative icon path would resolve to /.well-known/pwa-192x192.png.
    assert.deepEqual(m.icons, [
      { src: '/pwa-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    ]);
    assert.deepEqual(m.permissions_policy, {
      usb: ['self'],
      'usb-unrestricted': ['self'],
      'cross-origin-isolated': ['self'],
    });
    assert.equal(m.permissions_policy, IWA_PERMISSIONS_POLICY);
  });

  it('takes only IWA versions (1 to 3 integers)', () => {
    for (const v of ['0.1.0', '1', '2.10', '10.0.3']) assert.equal(assertIwaVersion(v), v);
    for (const v of ['', '1.2.3.4', '01.2', '1.2-beta', 'v1', '1..2'])
      assert.throws(() => assertIwaVersion(v), /not an IWA version/, v);
  });

  it('writes an update manifest for IsolatedWebAppInstallForceList', () => {
    assert.deepEqual(updateManifest('0.1.0', 'webdisc-0.1.0.swbn'), {
      versions: [{ version: '0.1.0', src: 'webdisc-0.1.0.swbn' }],
    });
  });
});

describe('Web Bundle IDs', () => {
  it('base32 matches RFC 4648 (lower case, no padding) and round-trips', () => {
    const enc = (s: string) => base32(new TextEncoder().encode(s));
    assert.deepEqual(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc), [
      '',
      'my',
      'mzxq',
      'mzxw6',
      'mzxw6yq',
      'mzxw6ytb',
      'mzxw6ytboi',
    ]);
    const bytes = new Uint8Array(35).map((_, i) => (i * 37 + 11) & 0xff);
    assert.deepEqual(fromBase32(base32(bytes)), bytes);
  });

  it('agrees with wbn-sign for Ed25519 and ECDSA P-256 keys', () => {
    const ed = generateKeyPairSync('ed25519').publicKey;
    const raw = Buffer.from(ed.export({ format: 'jwk' }).x!, 'base64url');
    assert.equal(webBundleId(BundleIdType.Ed25519, raw), new WebBundleId(ed).serialize());
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const id = new WebBundleId(ec).serialize();
    assert.equal(parseWebBundleId(id).type, BundleIdType.EcdsaP256);
    assert.equal(webBundleId(BundleIdType.EcdsaP256, parseWebBundleId(id).key), id);
  });

  it('makes dev-proxy IDs (suffix 00 00 02), which Chrome needs for a proxy install', () => {
    const id = devProxyBundleId();
    assert.match(id, /^[a-z2-7]{56}$/);
    assert.ok(id.endsWith('aac'), id); // ...00 00 02 in base32
    assert.equal(parseWebBundleId(id).type, BundleIdType.DevProxy);
    assert.notEqual(devProxyBundleId(), id);
    assert.equal(isolatedAppOrigin(id), `isolated-app://${id}/`);
    assert.throws(() => parseWebBundleId('aaaa'), /not a Signed Web Bundle ID/);
    assert.throws(() => webBundleId(BundleIdType.Ed25519, new Uint8Array(31)), /32 bytes/);
  });
});

describe('CBOR reader', () => {
  it('reads definite-length items with their byte ranges', () => {
    // [h'0102', "ab", {"k": 1}, [], 500, -2, true, null]
    const bytes = Uint8Array.from([
      0x88, 0x42, 0x01, 0x02, 0x62, 0x61, 0x62, 0xa1, 0x61, 0x6b, 0x01, 0x80, 0x19, 0x01, 0xf4,
      0x21, 0xf5, 0xf6,
    ]);
    const item = decodeCbor(bytes);
    assert.equal(item.end, bytes.length);
    assert.deepEqual(item.value, [
      Uint8Array.of(1, 2),
      'ab',
      new Map([['k', 1]]),
      [],
      500,
      -2,
      true,
      null,
    ]);
    assert.deepEqual(
      item.items!.map((i) => [i.start, i.end]),
      [
        [1, 4],
        [4, 7],
        [7, 11],
        [11, 12],
        [12, 15],
        [15, 16],
        [16, 17],
        [17, 18],
      ],
    );
  });

  it('refuses what web bundles never contain, and truncation', () => {
    assert.throws(() => decodeCbor(Uint8Array.of(0x9f, 0xff)), /indefinite/);
    assert.throws(() => decodeCbor(Uint8Array.of(0xc1, 0x00)), /tags/);
    assert.throws(() => decodeCbor(Uint8Array.of(0x43, 0x01)), /past the end/);
    assert.throws(() => decodeCbor(Uint8Array.of(0x19, 0x01)), /truncated/);
  });
});

describe('IWA response headers', () => {
  const csp = cspOfIndexHtml(readFileSync('index.html', 'utf8'));

  it("take index.html's CSP, which enforces Trusted Types with the app's two policies", () => {
    assert.match(csp, /require-trusted-types-for 'script'/);
    assert.match(csp, /trusted-types webdisc lit-html/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'/);
    assert.throws(() => cspOfIndexHtml('<html></html>'), /no Content-Security-Policy/);
    assert.throws(
      () =>
        cspOfIndexHtml(
          `<meta http-equiv="Content-Security-Policy" content="default-src 'self'" />`,
        ),
      /Trusted Types|trusted-types/,
    );
  });

  it('make every file cross-origin isolated and typed', () => {
    assert.deepEqual(iwaHeaders('assets/main-x.js', csp), {
      'content-type': 'text/javascript; charset=utf-8',
      'content-security-policy': `${csp}; frame-ancestors 'self'`,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    });
    assert.equal(contentType('.well-known/manifest.webmanifest'), 'application/manifest+json');
    assert.equal(contentType('x.PNG'), 'image/png');
    assert.equal(contentType('x.bin'), 'application/octet-stream');
  });
});
