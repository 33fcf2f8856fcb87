/**
 * ISO 9660 + Rock Ridge + Joliet, read back by readers we did not write:
 * xorriso (each namespace), isoinfo and 7-Zip. Every file must come back
 * byte-identical under the name the plan's report gives for that namespace.
 */
import assert from 'node:assert/strict';
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
import { join } from 'node:path';

const DATE = Date.UTC(2024, 4, 17, 12, 30, 45);

describe('ISO 9660 + Rock Ridge + Joliet, read by xorriso, isoinfo and 7-Zip', () => {
  const tmp = tempDir();
  const root = ordinaryTree();
  let plan: ImagePlan;
  let image: string;
  before(async () => {
    ({ plan, path: image } = await buildImage(
      root,
      { volumeId: 'Ordinary Cases', publisher: 'webdisc tests', date: DATE },
      tmp.path,
    ));
  });
  after(() => tmp.remove());

  for (const view of ['rockRidge', 'joliet', 'iso9660'] as const) {
    it(`xorriso extracts every file byte-identical from the ${view} namespace`, async () => {
      const into = join(tmp.path, `x-${view}`);
      xorrisoExtract(image, into, view);
      const diff = diffViews(await expectedView(root, plan.report, view), readExtracted(into));
      assert.deepEqual(diff, []);
    });
  }

  it('reports every renamed, relocated and omitted name', () => {
    const r = plan.report;
    const byPath = new Map(r.renamed.map((c) => [c.path, c]));
    assert.equal(byPath.get('/collisions/a_b.txt')?.iso9660, 'A_B_3.TXT');
    assert.ok(byPath.get('/collisions/' + 'x'.repeat(70) + '-two.txt')?.joliet?.includes('~1'));
    assert.deepEqual(
      r.relocated.map((x) => x.path),
      ['/level1/level2/level3/level4/level5/level6/level7/level8'],
    );
    assert.equal(r.omitted.filter((o) => o.namespace === 'joliet').length, 5);
  });

  it('isoinfo finds Rock Ridge and Joliet and lists the same Rock Ridge paths', async () => {
    const d = runOk('isoinfo', ['-d', '-i', image]);
    assert.match(d, /Volume id: ORDINARY_CASES/);
    assert.match(d, /Joliet with UCS level 3 found/);
    assert.match(d, /Rock Ridge signatures version 1 found/);
    assert.match(d, new RegExp(`Volume size is: ${plan.sectors}\\b`));
    const listed = new Set(runOk('isoinfo', ['-f', '-R', '-i', image]).trim().split('\n'));
    const expected = await expectedView(root, plan.report, 'rockRidge');
    // isoinfo -f does not follow CL links into relocated directories.
    for (const p of expected.keys()) {
      if (!p.startsWith('/level1/level2/level3/level4/level5/level6/level7/level8/')) {
        assert.ok(listed.has(p), `isoinfo -R lists ${p}`);
      }
    }
  });

  it('isoinfo lists the plain ISO 9660 names: d-characters, 8 levels at most', () => {
    const names = runOk('isoinfo', ['-f', '-i', image]).trim().split('\n');
    for (const p of names) {
      assert.match(p, /^(\/[A-Z0-9_]*(\.[A-Z0-9_]*)?(;1)?)+$/, p);
      assert.ok(p.split('/').length - 1 <= 8, `${p} is at most 8 levels deep`);
    }
  });

  it(
    `${sevenZip} extracts the Joliet namespace byte-identical`,
    { skip: !has(sevenZip) },
    async () => {
      const into = join(tmp.path, 'x-7z');
      runOk(sevenZip, ['x', '-tiso', `-o${into}`, image]);
      const diff = diffViews(await expectedView(root, plan.report, 'joliet'), readExtracted(into));
      assert.deepEqual(diff, []);
    },
  );

  it('is deterministic: the same tree and date give the same bytes', async () => {
    const again = await buildImage(
      ordinaryTree(),
      { volumeId: 'Ordinary Cases', publisher: 'webdisc tests', date: DATE },
      join(tmp.path),
    );
    assert.equal(again.plan.sectors, plan.sectors);
    runOk('cmp', [image, again.path]);
  });
});
