/**
 * A file over 4 GiB (generated zeros, never on disk: the image is written
 * sparse) through ISO 9660 level 3 multi-extent records (ECMA-119 6.5.1,
 * 9.1.6 bit 7) and UDF's chain of allocation descriptors, read back by
 * xorriso, isoinfo and 7-Zip; the files after it must still be in place.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planImage } from '../src/image.ts';
import { zeroSource, type FileEntry } from '../src/tree.ts';
import { openUdf } from '../src/reader/udf-reader.ts';
import { fileSectors, has, runOk, sevenZip, tempDir, writeImage } from './tools.ts';
import { dir, text } from './trees.ts';

const BIG = 2 ** 32 + 5 * 2 ** 20 + 123;

describe('a sparse file over 4 GiB', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('is recorded as level 3 multi-extent and read back with its full size', async () => {
    const big: FileEntry = { kind: 'file', name: 'zeros.bin', size: BIG, content: zeroSource(BIG) };
    const root = dir('', [
      text('a-before.txt', 'before\n'),
      dir('big', [big]),
      text('z-after.txt', 'after\n'),
    ]);
    const plan = planImage(root, {
      volumeId: 'BIG',
      date: Date.UTC(2024, 0, 1),
      udfSymlinks: false,
    });
    const image = join(tmp.path, 'big.iso');
    await writeImage(plan, image, true);

    const listing = runOk('xorriso', ['-indev', image, '-find', '/', '-exec', 'lsdl']);
    assert.match(listing, new RegExp(`\\s${BIG}\\s.*'/big/zeros\\.bin'`));

    // Two directory records, the first flagged "not the final extent".
    const records = runOk('isoinfo', ['-l', '-i', image])
      .split('\n')
      .filter((l) => l.includes('ZEROS.BIN;1'));
    assert.equal(records.length, 2);

    const out = join(tmp.path, 'out');
    runOk('xorriso', [
      '-indev',
      image,
      '-osirrox',
      'on',
      '-extract',
      '/z-after.txt',
      join(out, 'z-after.txt'),
    ]);
    assert.equal(readFileSync(join(out, 'z-after.txt'), 'utf8'), 'after\n');

    if (has(sevenZip)) {
      const udf = runOk(sevenZip, ['l', '-tudf', image]);
      assert.match(udf, new RegExp(`\\s${BIG}\\s+\\d+\\s+big/zeros\\.bin`));
      runOk(sevenZip, ['x', '-tudf', `-o${join(tmp.path, 'udf')}`, image, 'z-after.txt']);
      assert.equal(readFileSync(join(tmp.path, 'udf', 'z-after.txt'), 'utf8'), 'after\n');
    }
  });

  it('UDF 2.50: long_ads of under 1 GiB each from the metadata partition', async () => {
    const big: FileEntry = { kind: 'file', name: 'zeros.bin', size: BIG, content: zeroSource(BIG) };
    const root = dir('', [
      text('a-before.txt', 'before\n'),
      dir('big', [big]),
      text('z-after.txt', 'after\n'),
    ]);
    const plan = planImage(root, {
      volumeId: 'BIG',
      date: Date.UTC(2024, 0, 1),
      udfRevision: '2.50',
    });
    const image = join(tmp.path, 'big250.iso');
    await writeImage(plan, image, true);
    const src = fileSectors(image);
    try {
      const udf = await openUdf(src);
      const bigDir = (await udf.list(udf.root)).find((e) => e.name === 'big');
      assert.ok(bigDir);
      const [zeros] = await udf.list(bigDir);
      assert.equal(zeros?.size, BIG);
      assert.equal(zeros.extents.length, 5);
      assert.equal(
        zeros.extents.reduce((n, x) => n + x.length, 0),
        BIG,
      );
      for (let i = 1; i < zeros.extents.length; i++) {
        const p = zeros.extents[i - 1] as { sector: number; length: number };
        assert.equal(zeros.extents[i]?.sector, p.sector + p.length / 2048, 'contiguous');
      }
      const after = (await udf.list(udf.root)).find((e) => e.name === 'z-after.txt');
      assert.ok(after);
      assert.equal(new TextDecoder().decode(await udf.readFile(after)), 'after\n');
    } finally {
      src.close();
    }
    if (has(sevenZip)) {
      const udf = runOk(sevenZip, ['l', '-tudf', image]);
      assert.match(udf, new RegExp(`\\s${BIG}\\s+\\d+\\s+big/zeros\\.bin`));
      runOk(sevenZip, ['x', '-tudf', `-o${join(tmp.path, 'udf250')}`, image, 'z-after.txt']);
      assert.equal(readFileSync(join(tmp.path, 'udf250', 'z-after.txt'), 'utf8'), 'after\n');
    }
  });
});
