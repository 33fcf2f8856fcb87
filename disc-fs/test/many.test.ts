/**
 * 100,000 small files: an ordinary case. Planning and streaming stay
 * proportional to the entry count, and xorriso (Rock Ridge) and 7-Zip (UDF)
 * list every file.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planImage } from '../src/image.ts';
import type { Entry } from '../src/tree.ts';
import { has, runOk, sevenZip, tempDir, writeImage } from './tools.ts';
import { dir, file } from './trees.ts';

describe('100,000 small files', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('are planned, streamed and listed by xorriso and 7-Zip', async () => {
    const dirs: Entry[] = [];
    for (let d = 0; d < 100; d++) {
      const files: Entry[] = [];
      for (let f = 0; f < 1000; f++) files.push(file(`small file ${f}.txt`, (f * 7) % 100, f));
      dirs.push(dir(`folder ${d}`, files));
    }
    const started = performance.now();
    const plan = planImage(dir('', dirs), { date: Date.UTC(2024, 0, 1) });
    const image = join(tmp.path, 'many.iso');
    await writeImage(plan, image);
    const took = performance.now() - started;
    assert.ok(took < 30_000, `built in ${Math.round(took)} ms`);

    const listed = runOk('xorriso', ['-indev', image, '-find', '/', '-type', 'f'])
      .trim()
      .split('\n');
    assert.equal(listed.length, 100_000);
    assert.ok(listed.includes("'/folder 42/small file 999.txt'"));
    if (has(sevenZip)) {
      const udf = runOk(sevenZip, ['l', '-tudf', image]);
      assert.match(udf, /\s100000 files, 100 folders/);
    }
  });
});
