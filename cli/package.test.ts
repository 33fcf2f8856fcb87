/**
 * The CLI as an npm package (issue 19): `npm pack` holds only what runs, and
 * `npm install -g` of the tarball into an empty prefix, offline, gives a
 * working `webdisc` with no dependency to download (the CLI is one bundled
 * file; the optional `usb` package alone is outside it).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'webdisc-package-'));
const prefix = join(work, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'webdisc');
const webdisc = join(prefix, 'bin', 'webdisc');

/** npm without the parent npm's per-run settings (under `npm test` they point at this checkout). */
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)),
);
const npm = (args: string[]) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ROOT,
    env: { ...npmEnv, npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** The installed `webdisc`, run from outside the checkout with its own virtual folder. */
function run(args: string[]) {
  const r = spawnSync(webdisc, args, {
    cwd: work,
    env: { ...npmEnv, WEBDISC_VIRTUAL_DIR: join(work, 'virtual') },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Packed {
  filename: string;
  files: { path: string }[];
}

let packed: Packed;

describe('the webdisc npm package', { timeout: 240_000 }, () => {
  before(() => {
    // prepack builds dist-cli/ first; its note goes to stderr, the JSON to stdout.
    const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', work])) as Packed[];
    assert.ok(result, 'npm pack made a tarball');
    packed = result;
    npm(['install', '--global', '--offline', '--prefix', prefix, join(work, packed.filename)]);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('packs only what runs: the bin, the built CLI and its source map', () => {
    assert.deepEqual(packed.files.map((f) => f.path).sort(), [
      'README.md',
      'bin/webdisc.mjs',
      'dist-cli/webdisc.mjs',
      'dist-cli/webdisc.mjs.map',
      'package.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(manifest.private, undefined, 'publishable');
    assert.deepEqual(manifest.bin, { webdisc: 'bin/webdisc.mjs' });
    assert.equal(manifest.dependencies, undefined, 'nothing to download: the CLI is bundled');
    assert.deepEqual(Object.keys(manifest.optionalDependencies as object), ['usb']);
  });

  it('installs offline with no dependency, and runs the virtual recorder from the build', () => {
    assert.deepEqual(readdirSync(installed).sort(), [
      'README.md',
      'bin',
      'dist-cli',
      'package.json',
    ]);
    const media = run(['--virtual', 'media']);
    assert.equal(media.code, 0, media.err);
    assert.match(media.out, /^CD-R \(IMAPI_MEDIA_TYPE_CDR\), blank$/m);
    const json = run(['--json', '--virtual=dvd+rw', 'media']);
    assert.equal(json.code, 0, json.err);
    const value = JSON.parse(json.out) as { ok: boolean; media: { physicalType: string } };
    assert.equal(value.media.physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSRW');
    // The disc stays for the next command, as in a checkout.
    assert.match(run(['media']).out, /^DVD\+RW/m);
  });

  it('prints help and usage errors from the installed binary', () => {
    const help = run(['help', 'burn']);
    assert.equal(help.code, 0);
    assert.match(help.out, /^usage: webdisc burn IMAGE /);
    assert.match(help.out, /^ {2}--verify none\|quick\|full/m);
    const bad = run(['--virtual', 'media', 'extra']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err, 'usage: media (unexpected argument "extra")\nsee "webdisc help media"\n');
    const completion = run(['completion', 'bash']);
    assert.equal(spawnSync('bash', ['-n'], { input: completion.out }).status, 0);
  });

  it('maps stack traces to the TypeScript sources', () => {
    // An exception thrown through the built CLI's frames (the io callback is ours).
    const bundle = pathToFileURL(join(installed, 'dist-cli', 'webdisc.mjs')).href;
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `process.setSourceMapsEnabled(true);
         const { main } = await import(${JSON.stringify(bundle)});
         try { await main(['help'], { out: () => { throw new Error('probe'); }, err: () => {} }); }
         catch (e) { console.log(e.stack); }`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /cli\/cli\.ts:\d+:\d+/);
  });

  it('real drives: without usb a clear error; with usb installed beside it, usb is used', () => {
    // As on a machine where the optional package did not install.
    for (const dir of [
      join(installed, 'node_modules', 'usb'),
      join(prefix, 'lib', 'node_modules', 'usb'),
    ]) {
      rmSync(dir, { recursive: true, force: true });
    }
    const without = run(['--device', 'usb:0e8d:1887:1', 'info']);
    assert.equal(without.code, 1);
    assert.match(
      without.err,
      /E_IMAPI_RECORDER_REQUIRED: Cannot reach USB drives: the optional npm package "usb" is not installed/,
    );
    assert.equal(run(['--virtual', 'media']).code, 0, 'the virtual recorder needs no usb');
    // `list` says why no USB drive is listed, instead of an empty list and no word.
    const listed = run(['list']);
    assert.equal(listed.code, 0);
    assert.match(
      listed.out,
      /USB drives not listed: the optional npm package "usb" is not installed/,
    );

    // `npm install -g usb` puts it beside webdisc, where Node finds it: copied from this checkout.
    const modules = join(prefix, 'lib', 'node_modules');
    cpSync(join(ROOT, 'node_modules', 'usb'), join(modules, 'usb'), { recursive: true });
    const scope = join(ROOT, 'node_modules', '@node-usb');
    for (const name of existsSync(scope) ? readdirSync(scope) : []) {
      cpSync(join(scope, name), join(modules, '@node-usb', name), { recursive: true });
    }
    const withUsb = run(['--device', 'usb:0e8d:1887:1', 'info']);
    assert.equal(withUsb.code, 1, 'no such drive here');
    assert.doesNotMatch(withUsb.err, /not installed/);
    assert.match(withUsb.err, /No recorder "usb:0e8d:1887:1"/);
  });
});

describe('bin/webdisc.mjs in a checkout', { timeout: 120_000 }, () => {
  it('never runs a build older than its sources: it rebuilds first', () => {
    // A copy of the checkout's sources (node_modules linked), so that making
    // its build stale disturbs no other test.
    const copy = mkdtempSync(join(tmpdir(), 'webdisc-checkout-'));
    try {
      for (const dir of [
        'bin',
        'scripts',
        'cli',
        'engine',
        'contract',
        'usb-mass-storage',
        'virtual-recorder',
        'disc-fs',
      ]) {
        cpSync(join(ROOT, dir), join(copy, dir), {
          recursive: true,
          filter: (source) => !source.includes(`${join(ROOT, 'dist-cli')}`),
        });
      }
      cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
      const bin = (args: string[]) =>
        spawnSync(process.execPath, [join(copy, 'bin', 'webdisc.mjs'), ...args], {
          cwd: copy,
          env: { ...npmEnv, WEBDISC_VIRTUAL_DIR: join(copy, 'virtual') },
          encoding: 'utf8',
        });
      // No build yet: the first run builds.
      const first = bin(['help', 'media']);
      assert.equal(first.status, 0, first.stderr);
      const info = join(copy, 'dist-cli', 'build.json');
      const built = JSON.parse(readFileSync(info, 'utf8')) as {
        startedMs: number;
        inputs: string[];
      };
      assert.ok(built.inputs.includes('cli/help.ts'));

      // A build that would say something else, and a source newer than it.
      const fake = (startedMs: number, says: string) =>
        writeFileSync(
          join(copy, 'dist-cli', 'webdisc.mjs'),
          `// webdisc CLI built from the sources as of ${startedMs} ms\n` +
            `export async function main(_argv, io) { io.out(${JSON.stringify(says)}); return 0; }\n`,
        );
      fake(built.startedMs, 'the stale build ran');
      const now = new Date(); // after the build started, before the next one does
      utimesSync(join(copy, 'cli', 'help.ts'), now, now);
      const second = bin(['help', 'media']);
      assert.equal(second.status, 0, second.stderr);
      assert.doesNotMatch(second.stdout, /stale build/);
      assert.equal(second.stdout, first.stdout);
      const rebuilt = JSON.parse(readFileSync(info, 'utf8')) as { startedMs: number };
      assert.ok(rebuilt.startedMs > built.startedMs, 'rebuilt');

      // A current build is run as it is (a fake stamped after every source).
      fake(Date.now(), 'the current build ran');
      assert.equal(bin(['help']).stdout, 'the current build ran\n');
      // WEBDISC_CLI_SOURCE=1: the sources through tsx, whatever the build.
      const source = spawnSync(
        process.execPath,
        [join(copy, 'bin', 'webdisc.mjs'), 'help', 'media'],
        {
          cwd: copy,
          env: { ...npmEnv, WEBDISC_CLI_SOURCE: '1' },
          encoding: 'utf8',
        },
      );
      assert.equal(source.stdout, first.stdout, source.stderr);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
