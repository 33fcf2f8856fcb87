/**
 * Signed Web Bundle IDs (the host of an isolated-app:// origin): base32 of a
 * public key followed by a 3-byte type suffix, lower case, no padding
 * (https://github.com/WICG/isolated-web-apps/blob/main/Scheme.md#suffix).
 */
import { randomBytes } from 'node:crypto';

/** The suffix says what the leading bytes are. */
export const BundleIdType = {
  /** 32 random bytes: Chrome's dev-mode proxy install (no bundle, no key). */
  DevProxy: 'dev-proxy',
  /** A 32-byte Ed25519 public key. */
  Ed25519: 'ed25519',
  /** A 33-byte compressed ECDSA P-256 public key. */
  EcdsaP256: 'ecdsa-p256',
} as const;
export type BundleIdType = (typeof BundleIdType)[keyof typeof BundleIdType];

const SUFFIX: Record<BundleIdType, readonly [number, number, number]> = {
  [BundleIdType.DevProxy]: [0x00, 0x00, 0x02],
  [BundleIdType.Ed25519]: [0x00, 0x01, 0x02],
  [BundleIdType.EcdsaP256]: [0x00, 0x02, 0x02],
};

const KEY_LENGTH: Record<BundleIdType, number> = {
  [BundleIdType.DevProxy]: 32,
  [BundleIdType.Ed25519]: 32,
  [BundleIdType.EcdsaP256]: 33,
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function fromBase32(text: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/** The Web Bundle ID for `key` (raw public key bytes, or random bytes for dev-proxy). */
export function webBundleId(type: BundleIdType, key: Uint8Array): string {
  if (key.length !== KEY_LENGTH[type])
    throw new Error(`${type} Web Bundle IDs take ${KEY_LENGTH[type]} bytes, not ${key.length}`);
  return base32(new Uint8Array([...key, ...SUFFIX[type]]));
}

/** Splits an ID into its type and key bytes; throws for anything else. */
export function parseWebBundleId(id: string): { type: BundleIdType; key: Uint8Array } {
  const bytes = fromBase32(id);
  for (const type of Object.values(BundleIdType)) {
    const [a, b, c] = SUFFIX[type];
    const n = KEY_LENGTH[type];
    if (bytes.length === n + 3 && bytes[n] === a && bytes[n + 1] === b && bytes[n + 2] === c) {
      const key = bytes.slice(0, n);
      if (webBundleId(type, key) === id) return { type, key };
    }
  }
  throw new Error(`not a Signed Web Bundle ID: ${id}`);
}

/**
 * A fresh ID for a dev-mode proxy install. Chrome installs from a proxy URL
 * only with this type: given an Ed25519 ID it takes the URL for a signed
 * bundle to download instead (and, served a page, waited without end in
 * Chromium 156).
 */
export function devProxyBundleId(): string {
  return webBundleId(BundleIdType.DevProxy, randomBytes(32));
}

export function isolatedAppOrigin(id: string): string {
  return `isolated-app://${id}/`;
}
