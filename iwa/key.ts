/**
 * The IWA signing key. Its public half *is* the app's identity: the Web
 * Bundle ID, and so the isolated-app:// origin and everything stored under
 * it. Release builds must sign with the same key every time; a new key is a
 * different app.
 *
 * Where it comes from, first match wins:
 * 1. WEBDISC_IWA_KEY_FILE: a PEM file (PKCS#8 private key, Ed25519 or ECDSA P-256);
 * 2. WEBDISC_IWA_KEY: the PEM itself (CI secrets; literal "\n" are accepted);
 * 3. a development key in iwa/keys/ (git-ignored), generated on first use.
 * WEBDISC_IWA_KEY_PASSPHRASE decrypts an encrypted PEM from 1 or 2.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The development key's path. Matched by both `keys/` and `*.pem` in .gitignore. */
export const DEV_KEY_PATH = 'iwa/keys/webdisc-dev-signing-key.pem';

export const KeySource = {
  File: 'WEBDISC_IWA_KEY_FILE',
  Env: 'WEBDISC_IWA_KEY',
  DevExisting: 'development key',
  DevGenerated: 'development key (generated now)',
} as const;
export type KeySource = (typeof KeySource)[keyof typeof KeySource];

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly source: KeySource;
  /** The file it was read from or written to (never for WEBDISC_IWA_KEY). */
  readonly path: string | null;
}

export type KeyEnv = Partial<
  Record<'WEBDISC_IWA_KEY_FILE' | 'WEBDISC_IWA_KEY' | 'WEBDISC_IWA_KEY_PASSPHRASE', string>
>;

function parse(pem: string, passphrase: string | undefined, from: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch (error) {
    throw new Error(`${from}: not a readable PEM private key (${(error as Error).message})`, {
      cause: error,
    });
  }
  const ok =
    key.asymmetricKeyType === 'ed25519' ||
    (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1');
  if (!ok) throw new Error(`${from}: IWAs are signed with Ed25519 or ECDSA P-256 keys only`);
  return key;
}

/** A new Ed25519 private key as PKCS#8 PEM (what `openssl genpkey -algorithm ed25519` writes). */
export function generateEd25519Pem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
}

export function loadSigningKey(
  env: KeyEnv = process.env as KeyEnv,
  devKeyPath: string = DEV_KEY_PATH,
): SigningKey {
  const passphrase = env.WEBDISC_IWA_KEY_PASSPHRASE || undefined;
  if (env.WEBDISC_IWA_KEY_FILE) {
    const path = env.WEBDISC_IWA_KEY_FILE;
    const pem = readFileSync(path, 'utf8');
    return { privateKey: parse(pem, passphrase, path), source: KeySource.File, path };
  }
  if (env.WEBDISC_IWA_KEY) {
    const pem = env.WEBDISC_IWA_KEY.replace(/\\n/g, '\n');
    return {
      privateKey: parse(pem, passphrase, 'WEBDISC_IWA_KEY'),
      source: KeySource.Env,
      path: null,
    };
  }
  if (existsSync(devKeyPath)) {
    const pem = readFileSync(devKeyPath, 'utf8');
    return {
      privateKey: parse(pem, undefined, devKeyPath),
      source: KeySource.DevExisting,
      path: devKeyPath,
    };
  }
  mkdirSync(dirname(devKeyPath), { recursive: true });
  const pem = generateEd25519Pem();
  // Owner-only: a private key, even a development one.
  writeFileSync(devKeyPath, pem, { mode: 0o600, flag: 'wx' });
  chmodSync(devKeyPath, 0o600);
  return {
    privateKey: parse(pem, undefined, devKeyPath),
    source: KeySource.DevGenerated,
    path: devKeyPath,
  };
}
