/**
 * The Signed Web Bundle: the built app's files as a web bundle (wbn), then an
 * integrity block signed with the IWA key (wbn-sign), and a reader that
 * checks such a file on its own terms (iwa/cbor.ts and node:crypto).
 */
import { ECDH, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { BundleBuilder } from 'wbn';
import { IntegrityBlockSigner, NodeCryptoSigningStrategy, WebBundleId } from 'wbn-sign';
import { decodeCbor, type CborItem } from './cbor.ts';
import { BundleIdType, isolatedAppOrigin, webBundleId } from './bundle-id.ts';
import { cspOfIndexHtml, iwaHeaders } from './headers.ts';

export interface AppFile {
  /** Path inside the app, with forward slashes and no leading slash: `assets/index-x.js`. */
  readonly path: string;
  readonly body: Uint8Array;
}

/** Every file under `dir`, sorted by path so the same build gives the same bundle. */
export function readAppFiles(dir: string): AppFile[] {
  const out: AppFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: relative(dir, full).split(sep).join('/'), body: readFileSync(full) });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The Web Bundle ID of a signing key (public or private), as wbn-sign computes it. */
export function webBundleIdOfKey(key: KeyObject): string {
  return new WebBundleId(key).serialize();
}

/**
 * The unsigned web bundle (format b2). Every URL is absolute on the app's
 * isolated-app:// origin, as Chrome's IWA validator requires; there is no
 * primary URL (an IWA bundle must not have one). index.html is served at "/"
 * too, since Chrome asks for the start URL "/".
 */
export function buildWebBundle(files: readonly AppFile[], id: string): Uint8Array {
  const base = isolatedAppOrigin(id);
  const index = files.find((f) => f.path === 'index.html');
  if (!index) throw new Error('the app has no index.html');
  if (!files.some((f) => f.path === '.well-known/manifest.webmanifest'))
    throw new Error('the app has no .well-known/manifest.webmanifest (build with --mode iwa)');
  const csp = cspOfIndexHtml(new TextDecoder().decode(index.body));
  const builder = new BundleBuilder('b2');
  builder.addExchange(base, 200, iwaHeaders('index.html', csp), index.body);
  for (const file of files) {
    builder.addExchange(base + file.path, 200, iwaHeaders(file.path, csp), file.body);
  }
  return builder.createBundle();
}

export interface SignedBundle {
  readonly webBundleId: string;
  readonly swbn: Uint8Array;
}

/** Builds and signs: the .swbn bytes and the ID they install as. */
export async function buildSignedWebBundle(
  files: readonly AppFile[],
  privateKey: KeyObject,
): Promise<SignedBundle> {
  const id = webBundleIdOfKey(privateKey);
  const bundle = buildWebBundle(files, id);
  const { signedWebBundle } = await new IntegrityBlockSigner(bundle, id, [
    new NodeCryptoSigningStrategy(privateKey),
  ]).sign();
  return { webBundleId: id, swbn: signedWebBundle };
}

/** Integrity block magic "🖋📦" and version "2b\0\0" (wbn-sign 0.2.x writes v2). */
export const INTEGRITY_BLOCK_MAGIC = Uint8Array.of(0xf0, 0x9f, 0x96, 0x8b, 0xf0, 0x9f, 0x93, 0xa6);
export const INTEGRITY_BLOCK_V2 = Uint8Array.of(0x32, 0x62, 0x00, 0x00);

export interface IntegritySignature {
  readonly keyType: 'ed25519' | 'ecdsaP256SHA256';
  /** Raw public key: 32 bytes (Ed25519) or 33 (compressed P-256). */
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
  /** The CBOR bytes of this signature's attributes map, as signed. */
  readonly attributesCbor: Uint8Array;
}

export interface SignedBundleParts {
  readonly webBundleId: string;
  readonly signatures: readonly IntegritySignature[];
  /** The integrity block's bytes with its signature stack emptied: what each signer signed. */
  readonly unsignedIntegrityBlock: Uint8Array;
  readonly integrityBlockLength: number;
  /** The web bundle after the integrity block (what wbn's Bundle parses). */
  readonly webBundle: Uint8Array;
}

const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Splits a .swbn into its integrity block and web bundle. The block is
 * `[magic, version, {webBundleId}, [[{<type>PublicKey: key}, signature], ...]]`;
 * its deterministic encoding lets the unsigned block be cut from the signed
 * one: the same bytes up to the signature stack, then an empty array (0x80).
 */
export function parseSignedWebBundle(swbn: Uint8Array): SignedBundleParts {
  const block = decodeCbor(swbn, 0);
  const [magic, version, attributes, stack] = block.items ?? [];
  if (block.items?.length !== 4 || !magic || !version || !attributes || !stack)
    throw new Error('not a Signed Web Bundle: the integrity block is not a 4-item array');
  if (!(magic.value instanceof Uint8Array) || !equal(magic.value, INTEGRITY_BLOCK_MAGIC))
    throw new Error('not a Signed Web Bundle: wrong magic');
  if (!(version.value instanceof Uint8Array) || !equal(version.value, INTEGRITY_BLOCK_V2))
    throw new Error('unsupported integrity block version (want v2, "2b\\0\\0")');
  const id = (attributes.value as Map<unknown, unknown>).get('webBundleId');
  if (typeof id !== 'string') throw new Error('the integrity block has no webBundleId');
  const signatures = (stack.items ?? []).map((entry: CborItem): IntegritySignature => {
    const [attrs, signature] = entry.items ?? [];
    if (!attrs?.entries || !(signature?.value instanceof Uint8Array))
      throw new Error('malformed signature stack entry');
    const map = attrs.value as Map<unknown, unknown>;
    const ed = map.get('ed25519PublicKey');
    const ec = map.get('ecdsaP256SHA256PublicKey');
    const publicKey = ed instanceof Uint8Array ? ed : ec instanceof Uint8Array ? ec : null;
    if (!publicKey) throw new Error('signature stack entry without a known public key');
    return {
      keyType: publicKey === ed ? 'ed25519' : 'ecdsaP256SHA256',
      publicKey,
      signature: signature.value,
      attributesCbor: swbn.slice(attrs.start, attrs.end),
    };
  });
  if (signatures.length === 0) throw new Error('the integrity block has no signature');
  const unsigned = new Uint8Array(stack.start + 1);
  unsigned.set(swbn.subarray(0, stack.start));
  unsigned[stack.start] = 0x80;
  return {
    webBundleId: id,
    signatures,
    unsignedIntegrityBlock: unsigned,
    integrityBlockLength: block.end,
    webBundle: swbn.slice(block.end),
  };
}

/**
 * What a signer signs (integrity block v2): three length-prefixed parts,
 * each length a big-endian uint64: SHA-512 of the web bundle, the unsigned
 * integrity block, and the signer's attributes map.
 */
export function signedPayload(parts: SignedBundleParts, signature: IntegritySignature): Uint8Array {
  const pieces = [
    createHash('sha512').update(parts.webBundle).digest(),
    parts.unsignedIntegrityBlock,
    signature.attributesCbor,
  ];
  const out = Buffer.alloc(pieces.reduce((n, p) => n + 8 + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.writeBigUInt64BE(BigInt(p.length), at);
    out.set(p, at + 8);
    at += 8 + p.length;
  }
  return out;
}

/** A public KeyObject from the raw bytes in a signature stack entry. */
export function publicKeyOf(signature: IntegritySignature): KeyObject {
  if (signature.keyType === 'ed25519') {
    return createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(signature.publicKey).toString('base64url'),
      },
      format: 'jwk',
    });
  }
  // SPKI for an uncompressed P-256 point; the stack holds the compressed form.
  const spkiPrefix = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
  const point = ECDH.convertKey(
    signature.publicKey,
    'prime256v1',
    undefined,
    undefined,
    'uncompressed',
  );
  return createPublicKey({
    key: Buffer.concat([spkiPrefix, Buffer.from(point)]),
    format: 'der',
    type: 'spki',
  });
}

export interface Verification {
  readonly webBundleId: string;
  /** The ID the first signer's key gives; must equal webBundleId. */
  readonly idOfKey: string;
  readonly signaturesValid: boolean;
}

/** Checks every signature and that the ID belongs to the (first) signing key. */
export function verifySignedWebBundle(swbn: Uint8Array): Verification {
  const parts = parseSignedWebBundle(swbn);
  const signaturesValid = parts.signatures.every((s) =>
    verify(
      s.keyType === 'ed25519' ? null : 'sha256',
      signedPayload(parts, s),
      publicKeyOf(s),
      s.signature,
    ),
  );
  const first = parts.signatures[0]!;
  const idOfKey = webBundleId(
    first.keyType === 'ed25519' ? BundleIdType.Ed25519 : BundleIdType.EcdsaP256,
    first.publicKey,
  );
  return { webBundleId: parts.webBundleId, idOfKey, signaturesValid };
}
