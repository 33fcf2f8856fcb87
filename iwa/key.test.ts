import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { webBundleIdOfKey } from './bundle.ts';
import { DEV_KEY_PATH, KeySource, generateEd25519Pem, loadSigningKey } from './key.ts';

const scratch = mkdtempSync(join(tmpdir(), 'webdisc-iwa-key-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const pemFile = (name: string, pem: string) => {
  const path = join(scratch, name);
  writeFileSync(path, pem);
  return path;
};

describe('the IWA signing key', () => {
  it('comes from WEBDISC_IWA_KEY_FILE first, then WEBDISC_IWA_KEY', () => {
    const fromFile = generateEd25519Pem();
    const fromEnv = generateEd25519Pem();
    const path = pemFile('release.pem', fromFile);
    const devPath = join(scratch, 'unused', 'dev.pem');

    const a = loadSigningKey({ WEBDISC_IWA_KEY_FILE: path, WEBDISC_IWA_KEY: fromEnv }, devPath);
    assert.equal(a.source, KeySource.File);
    assert.equal(a.path, path);
    assert.equal(a.privateKey.export({ type: 'pkcs8', format: 'pem' }), fromFile);

    // CI secrets often hold the PEM on one line with literal "\n".
    const b = loadSigningKey({ WEBDISC_IWA_KEY: fromEnv.replace(/\n/g, '\\n') }, devPath);
    assert.equal(b.source, KeySource.Env);
    assert.equal(b.path, null);
    assert.equal(b.privateKey.export({ type: 'pkcs8', format: 'pem' }), fromEnv);
    assert.equal(existsSync(devPath), false, 'no development key is made when one is given');
  });

  it('reads an encrypted PEM with WEBDISC_IWA_KEY_PASSPHRASE', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'correct horse',
    }) as string;
    const path = pemFile('encrypted.pem', pem);
    const key = loadSigningKey({
      WEBDISC_IWA_KEY_FILE: path,
      WEBDISC_IWA_KEY_PASSPHRASE: 'correct horse',
    });
    assert.equal(webBundleIdOfKey(key.privateKey), webBundleIdOfKey(privateKey));
    assert.throws(() => loadSigningKey({ WEBDISC_IWA_KEY_FILE: path }), /not a readable PEM/);
  });

  it('refuses keys an IWA cannot be signed with', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    assert.throws(() => loadSigningKey({ WEBDISC_IWA_KEY: rsa }), /Ed25519 or ECDSA P-256/);
    assert.throws(() => loadSigningKey({ WEBDISC_IWA_KEY: 'not a key' }), /not a readable PEM/);
  });

  it('otherwise generates a development key once, owner-only, and reuses it', () => {
    const devPath = join(scratch, 'keys', 'dev.pem');
    const first = loadSigningKey({}, devPath);
    assert.equal(first.source, KeySource.DevGenerated);
    assert.equal(first.path, devPath);
    assert.equal(statSync(devPath).mode & 0o777, 0o600);
    assert.match(readFileSync(devPath, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(first.privateKey.asymmetricKeyType, 'ed25519');

    const second = loadSigningKey({}, devPath);
    assert.equal(second.source, KeySource.DevExisting);
    assert.equal(webBundleIdOfKey(second.privateKey), webBundleIdOfKey(first.privateKey));
  });

  it('keeps the development key out of git, and no key is committed', () => {
    const ignored = spawnSync('git', ['check-ignore', '--no-index', '-q', DEV_KEY_PATH]);
    assert.equal(ignored.status, 0, `${DEV_KEY_PATH} must be git-ignored`);
    for (const path of ['dist-iwa/webdisc-0.1.0.swbn', 'some/where/release.pem']) {
      assert.equal(spawnSync('git', ['check-ignore', '--no-index', '-q', path]).status, 0, path);
    }
    const tracked = spawnSync('git', ['ls-files', '--', '*.pem', '*.key', 'iwa/keys'], {
      encoding: 'utf8',
    });
    assert.equal(tracked.status, 0);
    assert.equal(tracked.stdout, '');
  });
});
