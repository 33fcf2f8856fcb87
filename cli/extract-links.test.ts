/**
 * `extract` never writes through a symbolic link planted inside DEST
 * (issue 20, part 3): with DEST/sub -> OUTSIDE and a disc holding
 * /sub/f.txt, the file must not land in OUTSIDE. Found by the campaign's
 * extraction probe; the names alone (`inside()`) were checked before.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/webdisc.mjs', import.meta.url));

describe('extract and links in DEST', () => {
  const t = mkdtempSync(join(tmpdir(), 'webdisc-extract-link-'));
  after(() => rmSync(t, { recursive: true, force: true }));
  const env = {
    ...process.env,
    WEBDISC_VIRTUAL_DIR: join(t, 'v'),
    WEBDISC_RUNTIME_DIR: join(t, 'r'),
  };

  it('refuses to write through a symbolic link planted in DEST, and writes nothing outside', () => {
    mkdirSync(join(t, 'src/sub'), { recursive: true });
    writeFileSync(join(t, 'src/sub/f.txt'), 'secret');
    writeFileSync(join(t, 'src/top.txt'), 'top');
    mkdirSync(join(t, 'out'));
    mkdirSync(join(t, 'dest'));
    symlinkSync(join(t, 'out'), join(t, 'dest/sub'));
    execFileSync(process.execPath, [BIN, 'mkiso', join(t, 'src'), '-o', join(t, 'img.iso')], {
      env,
    });
    const r = spawnSync(
      process.execPath,
      [BIN, '--json', 'extract', '/', join(t, 'dest'), '--image', join(t, 'img.iso')],
      { env, encoding: 'utf8' },
    );
    assert.deepEqual(readdirSync(join(t, 'out')), [], 'nothing written outside DEST');
    assert.equal(r.status, 1);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      ok: boolean;
      message: string;
    };
    assert.equal(result.ok, false);
    assert.match(result.message, /symbolic link/);
  });

  it('still extracts into real folders, new and existing', () => {
    const dest = join(t, 'dest2');
    mkdirSync(join(dest, 'sub'), { recursive: true });
    const r = spawnSync(
      process.execPath,
      [BIN, 'extract', '/', dest, '--image', join(t, 'img.iso')],
      { env, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dest, 'sub/f.txt')));
    assert.ok(existsSync(join(dest, 'top.txt')));
  });
});
