/**
 * The Signed Web Bundle of the real app (built with --mode iwa into a
 * temporary folder), signed with a fresh key: wbn reads it back, and the
 * integrity block and its signature are checked here from the raw bytes with
 * node:crypto, independently of wbn-sign, which wrote them.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bundle } from 'wbn';
import { WebBundleId } from 'wbn-sign';
import {
  buildSignedWebBundle,
  buildWebBundle,
  parseSignedWebBundle,
  readAppFiles,
  verifySignedWebBundle,
  type AppFile,
} from './bundle.ts';
import { BundleIdType, parseWebBundleId, webBundleId } from './bundle-id.ts';
import { buildIwaApp, signIwa } from './build.ts';
import { decodeCbor } from './cbor.ts';
import { KeySource } from './key.ts';

/** The 32 raw bytes of an Ed25519 public key (JWK "x"). */
function rawEd25519(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
}

/** The three parts a v2 integrity signature covers, each after a big-endian uint64 length. */
function lengthPrefixed(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(
    parts.flatMap((p) => {
      const n = Buffer.alloc(8);
      n.writeBigUInt64BE(BigInt(p.length));
      return [n, Buffer.from(p)];
    }),
  );
}

describe('the Signed Web Bundle of the app', { timeout: 60_000 }, () => {
  let dir: string;
  let files: AppFile[];
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  let swbn: Uint8Array;
  let id: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webdisc-iwa-app-'));
    await buildIwaApp(dir);
    files = readAppFiles(dir);
    ({ swbn, webBundleId: id } = await buildSignedWebBundle(files, privateKey));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has the ID of its key, as wbn-sign and the IWA scheme both compute it', () => {
    assert.equal(id, new WebBundleId(publicKey).serialize());
    assert.equal(id, webBundleId(BundleIdType.Ed25519, rawEd25519(publicKey)));
    assert.match(id, /^[a-z2-7]{56}$/);
    assert.deepEqual(parseWebBundleId(id), {
      type: BundleIdType.Ed25519,
      key: rawEd25519(publicKey),
    });
  });

  it('starts with an integrity block v2 naming that ID and carrying the public key', () => {
    const block = decodeCbor(swbn, 0);
    const [magic, version, attributes, stack] = block.value as [
      Uint8Array,
      Uint8Array,
      Map<string, unknown>,
      [Map<string, Uint8Array>, Uint8Array][],
    ];
    assert.equal(Buffer.from(magic).toString('utf8'), '🖋📦');
    assert.deepEqual([...version], [0x32, 0x62, 0x00, 0x00]); // "2b\0\0"
    assert.deepEqual([...attributes.keys()], ['webBundleId']);
    assert.equal(attributes.get('webBundleId'), id);
    assert.equal(stack.length, 1);
    const [signatureAttributes, signature] = stack[0]!;
    assert.deepEqual([...signatureAttributes.keys()], ['ed25519PublicKey']);
    assert.deepEqual(signatureAttributes.get('ed25519PublicKey'), rawEd25519(publicKey));
    assert.equal(signature.length, 64);
  });

  it('has a signature that verifies with node:crypto over exactly the bytes v2 signs', () => {
    // Re-derive everything from the raw file: block boundaries, the signer's
    // attribute bytes, and the block as it was before the signature went in.
    const block = decodeCbor(swbn, 0);
    const stack = block.items![3]!;
    const entry = stack.items![0]!;
    const attributesCbor = swbn.subarray(entry.items![0]!.start, entry.items![0]!.end);
    const signature = entry.items![1]!.value as Uint8Array;
    const webBundle = swbn.subarray(block.end);
    // Deterministic CBOR: the unsigned block is the same prefix with an empty
    // signature stack (0x80) where the stack was.
    const unsignedBlock = new Uint8Array(
      Buffer.concat([swbn.subarray(0, stack.start), Buffer.of(0x80)]),
    );
    assert.deepEqual(decodeCbor(unsignedBlock).value, [
      ...(block.value as unknown[]).slice(0, 3),
      [],
    ]);
    const payload = lengthPrefixed(
      createHash('sha512').update(webBundle).digest(),
      unsignedBlock,
      attributesCbor,
    );
    assert.equal(verify(null, payload, publicKey, signature), true);

    // Any change to the bundle, or another key, and it no longer verifies.
    const tampered = Buffer.from(webBundle);
    tampered[tampered.length >> 1]! ^= 0x01;
    const payloadTampered = lengthPrefixed(
      createHash('sha512').update(tampered).digest(),
      unsignedBlock,
      attributesCbor,
    );
    assert.equal(verify(null, payloadTampered, publicKey, signature), false);
    const other = generateKeyPairSync('ed25519').publicKey;
    assert.equal(verify(null, payload, other, signature), false);
  });

  it('verifies with the module the build uses for its self-check, and fails when tampered', () => {
    assert.deepEqual(verifySignedWebBundle(swbn), {
      webBundleId: id,
      idOfKey: id,
      signaturesValid: true,
    });
    const tampered = Uint8Array.from(swbn);
    tampered[tampered.length - 100]! ^= 0xff;
    assert.equal(verifySignedWebBundle(tampered).signaturesValid, false);
  });

  it('holds a web bundle that wbn parses: every file on the isolated-app origin, no primary URL', () => {
    const parts = parseSignedWebBundle(swbn);
    const bundle = new Bundle(parts.webBundle);
    assert.equal(bundle.version, 'b2');
    assert.equal(bundle.primaryURL, null);
    const base = `isolated-app://${id}/`;
    assert.deepEqual([...bundle.urls].sort(), [base, ...files.map((f) => base + f.path)].sort());
    // The web bundle records its own length in its last 8 bytes.
    const view = new DataView(parts.webBundle.buffer, parts.webBundle.byteOffset);
    assert.equal(Number(view.getBigUint64(parts.webBundle.length - 8)), parts.webBundle.length);

    const index = readFileSync(join(dir, 'index.html'));
    for (const url of [base, `${base}index.html`]) {
      const r = bundle.getResponse(url);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.deepEqual(Buffer.from(r.body), index);
    }
  });

  it('serves every file with the isolation headers and the CSP of index.html (Trusted Types on)', () => {
    const bundle = new Bundle(parseSignedWebBundle(swbn).webBundle);
    const csp = bundle.getResponse(`isolated-app://${id}/`).headers['content-security-policy'];
    assert.match(csp ?? '', /require-trusted-types-for 'script'/);
    assert.match(csp ?? '', /trusted-types webdisc lit-html/);
    assert.match(csp ?? '', /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(csp ?? '', /'unsafe-eval'|'unsafe-inline'/);
    for (const url of bundle.urls) {
      const { headers } = bundle.getResponse(url);
      assert.equal(headers['cross-origin-opener-policy'], 'same-origin', url);
      assert.equal(headers['cross-origin-embedder-policy'], 'require-corp', url);
      assert.equal(headers['cross-origin-resource-policy'], 'same-origin', url);
      assert.equal(headers['content-security-policy'], csp, url);
    }
    const worker = bundle.urls.find((u) => /\/assets\/main-[^/]+\.js$/.test(u));
    assert.ok(worker, 'the recorder worker chunk is in the bundle');
    assert.equal(
      bundle.getResponse(worker).headers['content-type'],
      'text/javascript; charset=utf-8',
    );
  });

  it('carries the IWA manifest: version, PNG icons that are in the bundle, permissions policy', () => {
    const bundle = new Bundle(parseSignedWebBundle(swbn).webBundle);
    const base = `isolated-app://${id}/`;
    const r = bundle.getResponse(`${base}.well-known/manifest.webmanifest`);
    assert.equal(r.headers['content-type'], 'application/manifest+json');
    const manifest = JSON.parse(Buffer.from(r.body).toString('utf8')) as {
      version: string;
      name: string;
      start_url: string;
      icons: { src: string; type: string }[];
      permissions_policy: Record<string, string[]>;
    };
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.start_url, '/');
    assert.ok(manifest.name.startsWith('webdisc'));
    assert.deepEqual(manifest.permissions_policy, {
      usb: ['self'],
      'usb-unrestricted': ['self'],
      'cross-origin-isolated': ['self'],
    });
    assert.ok(manifest.icons.length >= 2);
    for (const icon of manifest.icons) {
      assert.equal(icon.type, 'image/png');
      const body = bundle.getResponse(base + icon.src.slice(1)).body;
      assert.deepEqual([...body.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], icon.src); // \x89PNG
    }
  });

  it('has no service worker or PWA manifest link (the IWA build leaves them out)', () => {
    assert.ok(!files.some((f) => /(^|\/)(sw|workbox-[^/]*)\.js$/.test(f.path)));
    const html = new TextDecoder().decode(files.find((f) => f.path === 'index.html')!.body);
    assert.doesNotMatch(html, /rel="manifest"/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  });

  it('is refused without the IWA manifest (an ordinary PWA build)', () => {
    const withoutManifest = files.filter((f) => !f.path.startsWith('.well-known/'));
    assert.throws(() => buildWebBundle(withoutManifest, id), /manifest\.webmanifest/);
  });

  it('signs with an ECDSA P-256 key too, and that verifies', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signed = await buildSignedWebBundle(files, ec.privateKey);
    assert.equal(parseWebBundleId(signed.webBundleId).type, BundleIdType.EcdsaP256);
    assert.deepEqual(verifySignedWebBundle(signed.swbn), {
      webBundleId: signed.webBundleId,
      idOfKey: signed.webBundleId,
      signaturesValid: true,
    });
  });

  it('writes the .swbn and an update manifest that names it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'webdisc-iwa-out-'));
    try {
      const result = await signIwa({
        appDir: dir,
        outDir: out,
        key: { privateKey, source: KeySource.Env, path: null },
        updateBaseUrl: 'https://example.com/webdisc/',
        version: '1.2.3',
      });
      assert.equal(result.webBundleId, id);
      assert.equal(result.swbnPath, `${out}/webdisc-1.2.3.swbn`);
      assert.equal(verifySignedWebBundle(readFileSync(result.swbnPath)).signaturesValid, true);
      assert.deepEqual(JSON.parse(readFileSync(result.updateManifestPath, 'utf8')), {
        versions: [{ version: '1.2.3', src: 'https://example.com/webdisc/webdisc-1.2.3.swbn' }],
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
