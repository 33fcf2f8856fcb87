/**
 * The Node adapter end to end: a real directory on disk, walked, built, and
 * extracted again by xorriso through Rock Ridge: same names, bytes, symbolic
 * links, permissions, times and hard links; a FIFO is reported, not dropped.
 */
import assert from 'node:assert/strict';
import {
  linkSync,
  lstatSync,
  mkdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileSource, walkDirectory } from '../node/walk.ts';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { planImage } from '../src/image.ts';
import { diffViews, readExtracted, runOk, tempDir, writeImage } from './tools.ts';
import { pattern, SCRIPT_NAMES } from './trees.ts';

describe('node/walk.ts', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('a directory on disk comes back the same through Rock Ridge', async () => {
    const src = join(tmp.path, 'src');
    mkdirSync(join(src, 'empty'), { recursive: true });
    let deep = src;
    for (let i = 1; i <= 10; i++) {
      deep = join(deep, `deep${i}`);
      mkdirSync(deep);
      writeFileSync(join(deep, `at-${i}.txt`), `level ${i}\n`);
    }
    const bytes = (n: number, seed: number) =>
      Uint8Array.from({ length: n }, (_, i) => pattern(seed)(i));
    for (const [i, n] of [0, 1, 2047, 2048, 2049, 100_000].entries())
      writeFileSync(join(src, `size-${n}.bin`), bytes(n, i));
    mkdirSync(join(src, 'scripts'));
    for (const name of SCRIPT_NAMES) writeFileSync(join(src, 'scripts', name), name);
    writeFileSync(join(src, 'run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(join(src, 'run.sh'), 0o755);
    writeFileSync(join(src, 'secret'), 'x');
    chmodSync(join(src, 'secret'), 0o600);
    linkSync(join(src, 'size-100000.bin'), join(src, 'hardlink.bin'));
    symlinkSync('size-1.bin', join(src, 'link'));
    symlinkSync('../../nowhere', join(src, 'scripts', 'dangling'));
    runOk('mkfifo', [join(src, 'fifo')]);
    const when = new Date(Date.UTC(2021, 5, 7, 8, 9, 10));
    utimesSync(join(src, 'run.sh'), when, when);

    const { root, skipped } = await walkDirectory(src);
    assert.deepEqual(skipped, [
      { path: '/fifo', reason: 'not a file, directory or symbolic link' },
    ]);
    const plan = planImage(root, { date: Date.UTC(2024, 0, 1) });
    const image = join(tmp.path, 'walk.iso');
    await writeImage(plan, image);

    const out = join(tmp.path, 'out');
    runOk('xorriso', ['-indev', image, '-osirrox', 'on', '-extract', '/', out]);
    const expected = readExtracted(src);
    expected.delete('/fifo');
    expected.set('/rr_moved', { kind: 'dir' });
    assert.deepEqual(diffViews(expected, readExtracted(out)), []);

    const st = (p: string) => lstatSync(join(out, p));
    assert.equal(st('run.sh').mode & 0o7777, 0o755);
    assert.equal(st('secret').mode & 0o7777, 0o600);
    assert.equal(st('run.sh').mtimeMs, when.getTime());
    // xorriso does not re-create hard links on extraction; isoinfo shows PX's link count and one extent.
    const listing = runOk('isoinfo', ['-l', '-R', '-i', image]);
    const line = (name: string) => listing.split('\n').find((l) => l.endsWith(` ${name} `)) ?? '';
    const fields = (l: string) => [l.split(/\s+/)[1], /\[\s*(\d+) /.exec(l)?.[1]];
    assert.deepEqual(fields(line('hardlink.bin')), fields(line('size-100000.bin')));
    assert.equal(fields(line('hardlink.bin'))[0], '2');
  });

  // Issue 20, part 3: a file replaced by a FIFO after the walk blocked open()
  // (synchronously: the whole event loop) until a writer came, so the burn hung.
  for (const sync of [true, false]) {
    it(`a file that became a FIFO after the walk is refused at once (${sync ? 'sync' : 'async'} reads)`, async () => {
      const path = join(tmp.path, `became-fifo-${sync}`);
      writeFileSync(path, 'planned as a file');
      const source = fileSource(path, { sync });
      rmSync(path);
      execFileSync('mkfifo', [path]);
      await assert.rejects(source.read(0, 17), /no longer a regular file/);
    });
  }
});
