/**
 * The UDF 1.02 bridge, read back by 7-Zip (which reads UDF in preference to
 * ISO 9660 when asked with -tudf) and udftools' udfinfo, while xorriso still
 * reads the same image's Rock Ridge namespace.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImagePlan } from '../src/image.ts';
import {
  buildImage,
  diffViews,
  expectedView,
  has,
  readExtracted,
  runOk,
  sevenZip,
  tempDir,
  xorrisoExtract,
} from './tools.ts';
import { ordinaryTree } from './trees.ts';

const DATE = Date.UTC(2023, 10, 5, 6, 7, 8);

describe('UDF 1.02 bridge', () => {
  const tmp = tempDir();
  const root = ordinaryTree();
  let plan: ImagePlan;
  let image: string;
  before(async () => {
    // 7-Zip refuses a UDF volume holding a symbolic link (file type 12), so leave them out here.
    ({ plan, path: image } = await buildImage(
      root,
      { volumeId: 'Bridge Über', publisher: 'webdisc tests', date: DATE, udfSymlinks: false },
      tmp.path,
    ));
  });
  after(() => tmp.remove());

  it(
    `${sevenZip} -tudf extracts every file byte-identical under its UDF name`,
    { skip: !has(sevenZip) },
    async () => {
      const into = join(tmp.path, 'x-udf');
      runOk(sevenZip, ['x', '-tudf', `-o${into}`, image]);
      const diff = diffViews(await expectedView(root, plan.report, 'udf'), readExtracted(into));
      assert.deepEqual(diff, []);
      assert.equal(plan.report.omitted.filter((o) => o.namespace === 'udf').length, 5);
    },
  );

  it(
    'udfinfo reads the volume: label, revision, counts, closed integrity, anchors',
    { skip: !has('udfinfo') },
    async () => {
      const info = new Map(
        runOk('udfinfo', [image])
          .trim()
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => l.split('=', 2) as [string, string]),
      );
      assert.equal(info.get('label'), 'Bridge Über');
      assert.equal(info.get('udfrev'), '1.02');
      assert.equal(info.get('integrity'), 'closed');
      assert.equal(info.get('accesstype'), 'readonly');
      assert.equal(info.get('blocksize'), '2048');
      assert.equal(Number(info.get('blocks')), plan.sectors);
      const expected = await expectedView(root, plan.report, 'udf');
      const kinds = [...expected.values()].map((f) => f.kind);
      assert.equal(Number(info.get('numdirs')), kinds.filter((k) => k === 'dir').length + 1);
      assert.equal(Number(info.get('numfiles')), kinds.filter((k) => k !== 'dir').length);
    },
  );

  it('xorriso still reads the Rock Ridge namespace of the bridge image', async () => {
    const into = join(tmp.path, 'x-rr');
    xorrisoExtract(image, into, 'rockRidge');
    const diff = diffViews(await expectedView(root, plan.report, 'rockRidge'), readExtracted(into));
    assert.deepEqual(diff, []);
  });
});
