/**
 * UDF 2.50 (`udfRevision: '2.50'`): the metadata partition, read back by
 * 7-Zip (-tudf), udfinfo, our own reader (including the mirror when the
 * metadata file's entry is damaged), and checked field by field with the
 * layouts the writer uses; xorriso still reads the ISO 9660 side.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImagePlan } from '../src/image.ts';
import { openUdf, type UdfEntry } from '../src/reader/udf-reader.ts';
import {
  implementationUseVolumeDescriptor,
  logicalVolumeDescriptor,
  logicalVolumeIntegrityDescriptor2,
  METADATA_PARTITION_ID,
  MetadataFileType,
  metadataPartitionMap,
  partitionDescriptor,
  type1PartitionMap,
  volumeStructureDescriptor,
} from '../src/udf/descriptors.ts';
import { decodeFileEntry, extendedFileEntryHead } from '../src/udf/file.ts';
import { suffixRevision } from '../src/udf/primitives.ts';
import { descriptorTag, TagId, verifyTag } from '../src/udf/tag.ts';
import {
  buildImage,
  diffViews,
  expectedView,
  fileSectors,
  has,
  readerView,
  readExtracted,
  run,
  runOk,
  sevenZip,
  tempDir,
  xorrisoExtract,
} from './tools.ts';
import { ordinaryTree } from './trees.ts';

const DATE = Date.UTC(2025, 5, 6, 7, 8, 9);
const S = 2048;

function readSectors(path: string, sector: number, count = 1): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(count * S);
    readSync(fd, b, 0, b.length, sector * S);
    return b;
  } finally {
    closeSync(fd);
  }
}

describe('UDF 2.50 with a metadata partition', () => {
  const tmp = tempDir();
  const root = ordinaryTree();
  let plan: ImagePlan;
  let image: string;
  /** The same tree with symbolic links in UDF, which 7-Zip refuses but our reader reads. */
  let linked: { plan: ImagePlan; path: string };
  before(async () => {
    ({ plan, path: image } = await buildImage(
      root,
      { volumeId: 'BD Volume', date: DATE, udfRevision: '2.50', udfSymlinks: false },
      tmp.path,
    ));
    const dir = join(tmp.path, 'linked');
    mkdirSync(dir);
    linked = await buildImage(
      root,
      { volumeId: 'BD Volume', date: DATE, udfRevision: '2.50' },
      dir,
    );
  });
  after(() => tmp.remove());

  it(
    `${sevenZip} -tudf extracts every file byte-identical through the metadata partition`,
    { skip: !has(sevenZip) },
    async () => {
      const into = join(tmp.path, 'x-udf');
      runOk(sevenZip, ['x', '-tudf', `-o${into}`, image]);
      const diff = diffViews(await expectedView(root, plan.report, 'udf'), readExtracted(into));
      assert.deepEqual(diff, []);
    },
  );

  it(
    'udfclient (NetBSD UDF) reads the metadata partition: files byte-identical',
    { skip: !has('udfclient') },
    async () => {
      const into = join(tmp.path, 'x-udfclient');
      mkdirSync(into);
      // udfclient's shell: the mount point is named after the volume set and volume.
      const list = spawnSync('udfclient', ['-b', '2048', image], {
        input: 'ls\nquit\n',
        encoding: 'utf8',
      });
      const mount = /^d\S+\s+\S+\s+\S+\s+\d+\s+(.*:BD Volume)$/m.exec(list.stdout)?.[1];
      assert.ok(mount, list.stdout);
      const r = spawnSync('udfclient', ['-b', '2048', image], {
        cwd: into,
        input: `cd "${mount}"\nmget .\nquit\n`,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const got = readExtracted(into);
      // udfclient shows names beyond ASCII in its own escaped form: compare the ASCII ones.
      const ascii = [...(await expectedView(root, plan.report, 'udf'))].filter(([p]) =>
        /^[\x20-\x7e]*$/.test(p),
      );
      assert.ok(ascii.length > 40);
      // Every ASCII-named entry is there with the same bytes (the others count, escaped).
      const diff = diffViews(new Map(ascii), got).filter((l) => !l.startsWith('unexpected'));
      assert.deepEqual(diff, []);
      assert.equal(got.size, (await expectedView(root, plan.report, 'udf')).size);
    },
  );

  it('udfinfo reads revision 2.50, closed, read-only', { skip: !has('udfinfo') }, async () => {
    const r = run('udfinfo', [image]);
    const info = new Map(
      r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => l.split('=', 2) as [string, string]),
    );
    assert.equal(info.get('udfrev'), '2.50');
    assert.equal(info.get('udfwriterev'), '2.50');
    assert.equal(info.get('label'), 'BD Volume');
    assert.equal(info.get('integrity'), 'closed');
    assert.equal(info.get('accesstype'), 'readonly');
    assert.equal(Number(info.get('blocks')), plan.sectors);
    const expected = await expectedView(root, plan.report, 'udf');
    const kinds = [...expected.values()].map((f) => f.kind);
    assert.equal(Number(info.get('numdirs')), kinds.filter((k) => k === 'dir').length + 1);
    assert.equal(Number(info.get('numfiles')), kinds.filter((k) => k !== 'dir').length);
  });

  it('our reader reads every file and symbolic link through the metadata partition', async () => {
    const src = fileSectors(linked.path);
    try {
      const udf = await openUdf(src);
      assert.equal(udf.revision, 0x0250);
      assert.equal(udf.logicalVolumeId, 'BD Volume');
      const m = linked.plan.layout.udf?.metadata;
      assert.ok(m && udf.metadata);
      assert.deepEqual(udf.metadata.extents, [{ sector: m.start, length: m.blocks * S }]);
      assert.equal(udf.metadata.mirror, false);
      assert.ok(udf.root.extended, 'extended file entries');
      const got = await readerView<UdfEntry>(udf.root, udf.list, udf.readFile);
      assert.deepEqual(diffViews(await expectedView(root, linked.plan.report, 'udf'), got), []);
    } finally {
      src.close();
    }
  });

  it('the mirror is a copy: with the metadata file entry damaged, the mirror is read', async () => {
    const u = plan.layout.udf;
    assert.ok(u?.metadata);
    const { start, mirror, blocks } = u.metadata;
    assert.deepEqual(readSectors(image, mirror, blocks), readSectors(image, start, blocks));
    const damaged = join(tmp.path, 'damaged.iso');
    copyFileSync(image, damaged);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, new Uint8Array(S), 0, S, u.partitionStart * S); // the metadata file's entry
    closeSync(fd);
    const src = fileSectors(damaged);
    try {
      const udf = await openUdf(src);
      assert.equal(udf.metadata?.mirror, true);
      const got = await readerView<UdfEntry>(udf.root, udf.list, udf.readFile);
      assert.deepEqual(diffViews(await expectedView(root, plan.report, 'udf'), got), []);
    } finally {
      src.close();
    }
  });

  it('descriptors: NSR03, tag version 3, revision 0x0250, the metadata partition map', () => {
    const u = plan.layout.udf;
    assert.ok(u?.metadata);
    assert.equal(u.revision, '2.50');
    const vrs = [16, 17, 18, 19, 20, 21].map(
      (s) => volumeStructureDescriptor.decode(readSectors(image, s)).identifier,
    );
    assert.deepEqual(vrs.slice(-3), ['BEA01', 'NSR03', 'TEA01']);

    const vds = readSectors(image, 32, 6);
    const at = (i: number): Uint8Array => vds.subarray(i * S, (i + 1) * S);
    for (let i = 0; i < 6; i++) assert.equal(verifyTag(at(i), { location: 32 + i }).version, 3);
    const iuvd = implementationUseVolumeDescriptor.decode(at(1));
    assert.equal(suffixRevision(iuvd.implementationId), 0x0250);
    const pd = partitionDescriptor.decode(at(2));
    assert.equal(pd.contents.identifier, '+NSR03');
    assert.equal(pd.start, u.partitionStart);
    assert.equal(pd.start % 32, 0);

    const lvdBytes = at(3);
    const lvd = logicalVolumeDescriptor.decode(lvdBytes);
    assert.equal(suffixRevision(lvd.domainId), 0x0250);
    assert.equal(lvd.partitionMapCount, 2);
    assert.equal(lvd.mapTableLength, 70);
    assert.deepEqual(lvd.fileSetLocation.location, { block: 0, partition: 1 });
    assert.deepEqual(type1PartitionMap.decode(lvdBytes.subarray(440)), {
      type: 1,
      length: 6,
      volumeSequenceNumber: 1,
      partitionNumber: 0,
    });
    const map = metadataPartitionMap.decode(lvdBytes.subarray(446));
    assert.equal(map.type, 2);
    assert.equal(map.length, 64);
    assert.equal(map.partitionTypeId.identifier, METADATA_PARTITION_ID);
    assert.equal(suffixRevision(map.partitionTypeId), 0x0250);
    assert.equal(map.partitionNumber, 0);
    assert.equal(map.metadataBitmapFileLocation, 0xffff_ffff);
    assert.equal(map.alignmentUnitSize, 32);
    assert.equal(map.allocationUnitSize, 32);
    assert.equal(map.flags & 1, 1, 'duplicate metadata');
    assert.equal(u.metadata.start % 32, 0);
    assert.equal(u.metadata.mirror % 32, 0);
    assert.equal(u.metadata.blocks % 32, 0);

    // The metadata file and its mirror: extended file entries of types 250 and 251.
    for (const [loc, type, start] of [
      [map.metadataFileLocation, MetadataFileType.main, u.metadata.start],
      [map.metadataMirrorFileLocation, MetadataFileType.mirror, u.metadata.mirror],
    ] as const) {
      const b = readSectors(image, u.partitionStart + loc);
      assert.equal(verifyTag(b, { location: loc }).identifier, TagId.extendedFileEntry);
      const fe = decodeFileEntry(b);
      assert.equal(fe.head.icb.fileType, type);
      assert.equal(fe.head.informationLength, u.metadata.blocks * S);
      assert.equal(new DataView(fe.allocation.buffer).getUint32(4, true), start - u.partitionStart);
    }

    const lvid = readSectors(image, 64);
    assert.equal(verifyTag(lvid).identifier, TagId.logicalVolumeIntegrityDescriptor);
    const i = logicalVolumeIntegrityDescriptor2.decode(lvid);
    assert.equal(i.partitionCount, 2);
    assert.equal(i.sizeMetadata, u.metadata.blocks);
    assert.equal(i.size, u.partitionLength);
    assert.deepEqual(
      [i.minReadRevision, i.minWriteRevision, i.maxWriteRevision],
      [0x0250, 0x0250, 0x0250],
    );
    // The file set descriptor: block 0 of the metadata partition.
    const fsd = readSectors(image, u.metadata.start);
    const t = descriptorTag.decode(fsd);
    assert.deepEqual([t.identifier, t.version, t.location], [TagId.fileSetDescriptor, 3, 0]);
  });

  it('layouts round-trip byte-exact: map, integrity, every extended file entry', async () => {
    const u = plan.layout.udf;
    assert.ok(u?.metadata);
    const same = <T>(
      l: { decode(b: Uint8Array): T; encode(v: T): Uint8Array; size: number },
      b: Uint8Array,
    ): void => {
      const bytes = b.subarray(0, l.size);
      assert.deepEqual(Buffer.from(l.encode(l.decode(bytes))), Buffer.from(bytes));
    };
    const lvd = readSectors(image, 35);
    same(metadataPartitionMap, lvd.subarray(446));
    same(type1PartitionMap, lvd.subarray(440));
    same(logicalVolumeIntegrityDescriptor2, readSectors(image, 64));
    const meta = readSectors(image, u.metadata.start, u.metadata.blocks);
    let entries = 0;
    for (let b = 0; b < u.metadata.blocks; b++) {
      const sector = meta.subarray(b * S, (b + 1) * S);
      if (descriptorTag.decode(sector).identifier !== TagId.extendedFileEntry) continue;
      verifyTag(sector, { location: b });
      same(extendedFileEntryHead, sector);
      entries++;
    }
    // One entry per file, directory and hard-link group: the distinct ICBs our reader finds.
    const src = fileSectors(image);
    try {
      const udf = await openUdf(src);
      const icbs = new Set<number>([udf.root.icb]);
      const walk = async (d: UdfEntry): Promise<void> => {
        for (const e of await udf.list(d)) {
          icbs.add(e.icb);
          if (e.kind === 'dir') await walk(e);
        }
      };
      await walk(udf.root);
      assert.equal(entries, icbs.size);
    } finally {
      src.close();
    }
  });

  it('xorriso still reads the Rock Ridge namespace of the same image', async () => {
    const into = join(tmp.path, 'x-rr');
    xorrisoExtract(image, into, 'rockRidge');
    const diff = diffViews(await expectedView(root, plan.report, 'rockRidge'), readExtracted(into));
    assert.deepEqual(diff, []);
  });

  it('is deterministic', async () => {
    const dir = join(tmp.path, 'again');
    mkdirSync(dir);
    const again = await buildImage(
      ordinaryTree(),
      { volumeId: 'BD Volume', date: DATE, udfRevision: '2.50', udfSymlinks: false },
      dir,
    );
    runOk('cmp', [image, again.path]);
  });
});
