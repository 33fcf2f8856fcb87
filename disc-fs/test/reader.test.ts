/**
 * The decoders composed into readers (src/reader/): they read our images in
 * every namespace, including UDF symbolic links no independent tool here
 * can check, and they read images genisoimage and xorriso wrote.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openIso, type IsoNamespace } from '../src/reader/iso-reader.ts';
import { openUdf, type UdfEntry } from '../src/reader/udf-reader.ts';
import {
  buildImage,
  diffViews,
  expectedView,
  fileSectors,
  readerView as view,
  readExtracted,
  runOk,
  tempDir,
} from './tools.ts';
import { ordinaryTree } from './trees.ts';

const EMPTY = createHash('sha256').digest('hex');

describe('readers', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('read our image in each ISO namespace and in UDF, symbolic links included', async () => {
    const root = ordinaryTree();
    const { plan, path } = await buildImage(
      root,
      { date: Date.UTC(2024, 0, 1), volumeId: 'Readers' },
      tmp.path,
    );
    const src = fileSectors(path);
    try {
      for (const ns of ['rockRidge', 'joliet', 'iso9660'] as IsoNamespace[]) {
        const vol = await openIso(src, ns);
        assert.equal(vol.namespace, ns);
        assert.equal(vol.sectors, plan.sectors);
        const got = await view(vol.root, vol.list, vol.readFile);
        assert.deepEqual(diffViews(await expectedView(root, plan.report, ns), got), [], ns);
      }
      const udf = await openUdf(src);
      assert.equal(udf.logicalVolumeId, 'Readers');
      const got = await view<UdfEntry>(udf.root, udf.list, udf.readFile);
      assert.deepEqual(diffViews(await expectedView(root, plan.report, 'udf'), got), []);
      const links = await udf.list(
        (await udf.list(udf.root)).find((e) => e.name === 'links') as UdfEntry,
      );
      const hard = links.filter((e) => e.name.startsWith('hard-'));
      assert.equal(hard.length, 2);
      assert.equal(hard[0]?.icb, hard[1]?.icb, 'hard links share one file entry');
      assert.equal(hard[0]?.linkCount, 2);
    } finally {
      src.close();
    }
  });

  it('read images that genisoimage (Rock Ridge, Joliet, UDF) and xorriso wrote', async () => {
    const dir = join(tmp.path, 'src');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'deep.txt'), 'deep');
    writeFileSync(join(dir, 'Übersicht.txt'), 'ü');
    writeFileSync(join(dir, 'blob.bin'), Buffer.alloc(70_000, 9));
    symlinkSync('a/b/deep.txt', join(dir, 'link'));
    const expected = readExtracted(dir);
    const g = join(tmp.path, 'g.iso');
    runOk('genisoimage', ['-quiet', '-R', '-J', '-udf', '-input-charset', 'utf-8', '-o', g, dir]);
    const x = join(tmp.path, 'x.iso');
    runOk('xorriso', ['-outdev', x, '-joliet', 'on', '-map', dir, '/']);
    for (const image of [g, x]) {
      const src = fileSectors(image);
      try {
        const rr = await openIso(src, 'rockRidge');
        assert.deepEqual(
          diffViews(expected, await view(rr.root, rr.list, rr.readFile)),
          [],
          `${image} Rock Ridge`,
        );
        const j = await openIso(src, 'joliet');
        // xorriso leaves symbolic links out of Joliet; genisoimage records them as empty files.
        const joliet = new Map([...expected].filter(([, f]) => f.kind !== 'symlink'));
        if (image === g) joliet.set('/link', { kind: 'file', size: 0, sha: EMPTY });
        assert.deepEqual(
          diffViews(joliet, await view(j.root, j.list, j.readFile)),
          [],
          `${image} Joliet`,
        );
        if (image === g) {
          // genisoimage records symbolic links in UDF as empty files.
          const udf = await openUdf(src);
          const got = await view<UdfEntry>(udf.root, udf.list, udf.readFile);
          const asFiles = new Map(expected);
          asFiles.set('/link', { kind: 'file', size: 0, sha: EMPTY });
          assert.deepEqual(diffViews(asFiles, got), [], 'genisoimage UDF');
        }
      } finally {
        src.close();
      }
    }
  });
});
