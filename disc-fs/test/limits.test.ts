/**
 * Path limits per standard, never dropping a file: ECMA-119 6.8.2.1's 255
 * (a directory holding a longer path moves under RR_MOVED) and Joliet's 240
 * (shorter names, then omission, each in the report), read back by isoinfo
 * (-f, -J) and xorriso; Rock Ridge and UDF still hold every file.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImagePlan } from '../src/image.ts';
import { openUdf } from '../src/reader/udf-reader.ts';
import {
  buildImage,
  diffViews,
  expectedView,
  fileSectors,
  has,
  readExtracted,
  runOk,
  sevenZip,
  tempDir,
  xorrisoExtract,
} from './tools.ts';
import { longPathTree } from './trees.ts';

const DATE = Date.UTC(2025, 0, 2, 3, 4, 5);
const ISO7 = '/iso-level-1-'.padEnd(41, 'd');

describe('path length limits: ISO 9660 255, Joliet 240', () => {
  const tmp = tempDir();
  const root = longPathTree();
  let plan: ImagePlan;
  let image: string;
  before(async () => {
    ({ plan, path: image } = await buildImage(
      root,
      { volumeId: 'Long Paths', date: DATE },
      tmp.path,
    ));
  });
  after(() => tmp.remove());

  it('reports the relocation, the shortened Joliet names and the Joliet omissions', () => {
    const r = plan.report;
    assert.equal(r.relocated.length, 1);
    assert.equal(r.relocated[0]?.reason, 'path length');
    assert.ok(r.relocated[0]?.path.startsWith(ISO7));
    assert.ok(r.relocated[0]?.path.endsWith('/' + 'iso-level-7-'.padEnd(40, 'd')));
    const joliet = r.omitted.filter((o) => o.namespace === 'joliet');
    assert.ok(joliet.length > 0);
    for (const o of joliet) assert.equal(o.reason, 'Joliet paths are at most 240 characters');
    assert.ok(joliet.some((o) => o.path.endsWith('/deepest.txt')));
    const shortened = r.renamed.filter((c) => c.joliet !== undefined && c.joliet.length < 64);
    assert.ok(
      shortened.some((c) => c.joliet?.includes('~1')),
      'a collision after shortening',
    );
    assert.equal(
      r.omitted.filter((o) => o.namespace !== 'joliet').length,
      0,
      'only Joliet omits anything',
    );
  });

  it('isoinfo -f: no ISO 9660 path over 255 characters, at most 8 levels', () => {
    const paths = runOk('isoinfo', ['-f', '-i', image]).trim().split('\n');
    assert.ok(paths.some((p) => p.startsWith('/RR_MOVED/ISO_LEVEL_7_')));
    for (const p of paths) {
      // ECMA-119 6.8.2.1: identifiers and one separator per directory (the leading "/" is none).
      assert.ok(p.length - 1 <= 255, `${p.length - 1}: ${p}`);
      assert.ok(p.split('/').length - 1 <= 8, p);
    }
    const l = runOk('isoinfo', ['-l', '-i', image]);
    assert.match(l, /Directory listing of \/RR_MOVED\/ISO_LEVEL_7_D+\/\n/);
  });

  it('isoinfo -J: no Joliet path over 240 characters', () => {
    const paths = runOk('isoinfo', ['-J', '-f', '-i', image]).trim().split('\n');
    assert.ok(paths.length > 10);
    for (const p of paths) assert.ok(p.length <= 240, `${p.length}: ${p}`);
    assert.ok(
      paths.some((p) => p.length === 240),
      'the limit is used up to the last character',
    );
    const l = runOk('isoinfo', ['-J', '-l', '-i', image]);
    for (const m of l.matchAll(/^Directory listing of (.*)$/gm)) {
      assert.ok((m[1] ?? '').replace(/\/$/, '').length <= 240, m[1]);
    }
  });

  for (const view of ['rockRidge', 'joliet', 'iso9660'] as const) {
    it(`xorriso reads the ${view} namespace as the report says`, async () => {
      const into = join(tmp.path, `x-${view}`);
      xorrisoExtract(image, into, view);
      const diff = diffViews(await expectedView(root, plan.report, view), readExtracted(into));
      assert.deepEqual(diff, []);
    });
  }

  it(`${sevenZip} -tudf extracts every file, none left out`, { skip: !has(sevenZip) }, async () => {
    const into = join(tmp.path, 'x-udf');
    runOk(sevenZip, ['x', '-tudf', `-o${into}`, image]);
    const expected = await expectedView(root, plan.report, 'udf');
    assert.deepEqual(diffViews(expected, readExtracted(into)), []);
    const files = [...expected.values()].filter((f) => f.kind === 'file').length;
    // ISO chain: 6 + 2 at the bottom; Joliet chain: 2 per level and the deepest; top.txt.
    assert.equal(files, 6 + 2 + 5 * 2 + 1 + 1);
  });

  it('without Rock Ridge the same move keeps every ISO 9660 path within 255', async () => {
    const dir = join(tmp.path, 'plain');
    mkdirSync(dir);
    const plain = await buildImage(root, { date: DATE, rockRidge: false, level: 2 }, dir);
    assert.deepEqual(
      plain.plan.report.relocated.map((r) => r.reason),
      ['path length'],
    );
    for (const p of runOk('isoinfo', ['-f', '-i', plain.path]).trim().split('\n'))
      assert.ok(p.length - 1 <= 255, p);
    const into = join(tmp.path, 'x-plain');
    xorrisoExtract(plain.path, into, 'iso9660');
    const diff = diffViews(
      await expectedView(root, plain.plan.report, 'iso9660'),
      readExtracted(into),
    );
    assert.deepEqual(diff, []);
  });

  it('our UDF reader finds the deepest files', async () => {
    const udf = await openUdf(fileSectors(image));
    let d = udf.root;
    for (let i = 1; i <= 6; i++) {
      const next = (await udf.list(d)).find((e) => e.name.startsWith(`joliet ${i} dir`));
      assert.ok(next, `level ${i}`);
      d = next;
    }
    const [deepest] = await udf.list(d);
    assert.equal(deepest?.name, 'deepest.txt');
    assert.equal(new TextDecoder().decode(await udf.readFile(deepest)), 'far below 240');
  });
});
