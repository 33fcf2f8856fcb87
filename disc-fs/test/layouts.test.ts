/**
 * Byte-exact round trips of every on-disc structure: decode then encode
 * gives back the same bytes, both for images written by other programs
 * (genisoimage with UDF and El Torito; xorriso with Joliet, BIOS and EFI
 * boot entries) and for our own values. A wrong offset in a layout shows up
 * here as a field that does not survive the trip.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { concat } from '../src/binary/layout.ts';
import {
  bootEntry,
  bootRecordVolumeDescriptor,
  checkValidationEntry,
  encodeValidationEntry,
  sectionHeader,
  validationEntry,
} from '../src/el-torito.ts';
import { recordingDate, decDateTime } from '../src/iso9660/dates.ts';
import {
  decodeDirectoryExtent,
  decodeDirectoryRecord,
  encodeDirectoryRecord,
} from '../src/iso9660/directory-record.ts';
import {
  decodePathTable,
  encodePathTableRecord,
  pathTableRecordLength,
} from '../src/iso9660/path-table.ts';
import {
  decodeRockRidge,
  encodeNM,
  encodePX,
  encodeSL,
  encodeTF,
  pxBody,
} from '../src/iso9660/rrip.ts';
import {
  ceBody,
  decodeCE,
  decodeER,
  decodeSuspEntries,
  encodeER,
  encodeSuspEntry,
} from '../src/iso9660/susp.ts';
import {
  jolietVolumeDescriptor,
  primaryVolumeDescriptor,
  volumeDescriptorTerminator,
} from '../src/iso9660/volume-descriptor.ts';
import { crcItu } from '../src/udf/crc.ts';
import {
  anchorVolumeDescriptorPointer,
  fileSetDescriptor,
  implementationUseVolumeDescriptor,
  logicalVolumeDescriptor,
  logicalVolumeIntegrityDescriptor,
  partitionDescriptor,
  terminatingDescriptor,
  udfPrimaryVolumeDescriptor,
  unallocatedSpaceDescriptor,
  volumeStructureDescriptor,
} from '../src/udf/descriptors.ts';
import {
  decodeFileEntry,
  decodeFileIdentifiers,
  decodePathComponents,
  decodeShortAds,
  encodeFileIdentifier,
  encodePathComponents,
  fileEntryHead,
  fileIdentifierHead,
} from '../src/udf/file.ts';
import {
  decodeCS0,
  encodeCS0,
  fromTimestamp,
  timestamp,
  toTimestamp,
} from '../src/udf/primitives.ts';
import { TagId, verifyTag } from '../src/udf/tag.ts';
import { runOk, tempDir } from './tools.ts';

const S = 2048;
type Trip = { decode(b: Uint8Array): unknown; encode(v: never): Uint8Array; size: number };

/** decode → encode gives the same bytes (the layout's `size` bytes of `b`). */
function roundTrip(l: Trip, b: Uint8Array, what: string): void {
  const bytes = b.subarray(0, l.size);
  const again = l.encode(l.decode(bytes) as never);
  assert.deepEqual(Buffer.from(again), Buffer.from(bytes), what);
}

describe('layouts round-trip byte-exact on images other programs wrote', () => {
  const tmp = tempDir();
  let gen: Uint8Array; // genisoimage -R -J -udf, El Torito BIOS with boot info table
  let xor: Uint8Array; // xorriso, Joliet, EFI + BIOS entries
  const sector = (img: Uint8Array, n: number, count = 1) => img.subarray(n * S, (n + count) * S);

  before(() => {
    const src = join(tmp.path, 'src');
    mkdirSync(join(src, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'hello');
    writeFileSync(join(src, 'sub', 'r.bin'), Buffer.alloc(5000, 7));
    writeFileSync(join(src, 'boot.img'), Buffer.alloc(2048, 1));
    writeFileSync(
      join(src, 'Long file name with spaces and more than thirty-one characters.txt'),
      'x',
    );
    symlinkSync('../a.txt', join(src, 'sub', 'link'));
    const g = join(tmp.path, 'g.iso');
    runOk('genisoimage', [
      '-quiet',
      '-R',
      '-J',
      '-udf',
      '-V',
      'GEN',
      '-b',
      'boot.img',
      '-no-emul-boot',
      '-boot-load-size',
      '4',
      '-boot-info-table',
      '-o',
      g,
      src,
    ]);
    const x = join(tmp.path, 'x.iso');
    runOk('xorriso', [
      '-outdev',
      x,
      '-volid',
      'XOR',
      '-joliet',
      'on',
      '-map',
      src,
      '/',
      '-boot_image',
      'any',
      'efi_path=/boot.img',
      '-boot_image',
      'any',
      'next',
      '-boot_image',
      'any',
      'bin_path=/boot.img',
    ]);
    gen = readFileSync(g);
    xor = readFileSync(x);
  });
  after(() => tmp.remove());

  it('ISO 9660 volume descriptors, path tables and directory records', () => {
    for (const img of [gen, xor]) {
      let n = 16;
      for (; img[n * S] !== 255; n++) {
        const d = sector(img, n);
        if (d[0] === 1) roundTrip(primaryVolumeDescriptor, d, 'PVD');
        if (d[0] === 2) roundTrip(jolietVolumeDescriptor, d, 'Joliet SVD');
        if (d[0] === 0) roundTrip(bootRecordVolumeDescriptor, d, 'boot record');
      }
      roundTrip(volumeDescriptorTerminator, sector(img, n), 'terminator');
      const pvd = primaryVolumeDescriptor.decode(sector(img, 16));
      for (const [order, at] of [
        ['L', pvd.lPathTable],
        ['M', pvd.mPathTable],
      ] as const) {
        const table = img.subarray(at * S, at * S + pvd.pathTableSize);
        const records = decodePathTable(table, pvd.pathTableSize, order);
        const out = new Uint8Array(pvd.pathTableSize);
        let o = 0;
        for (const r of records) o += encodePathTableRecord(r, order, out, o);
        assert.equal(o, pvd.pathTableSize);
        assert.deepEqual(Buffer.from(out), Buffer.from(table), `${order} path table`);
        assert.equal(
          records.reduce((k, r) => k + pathTableRecordLength(r.identifier.length), 0),
          o,
        );
      }
      // Every record of every directory re-encodes to its bytes.
      const root = decodeDirectoryRecord(pvd.rootDirectoryRecord)?.record;
      assert.ok(root);
      const walk = (extent: number, length: number, depth: number): number => {
        const data = img.subarray(extent * S, extent * S + length);
        let count = 0;
        let o = 0;
        while (o < data.length) {
          const r = decodeDirectoryRecord(data, o);
          if (!r) {
            o = (Math.floor(o / S) + 1) * S;
            continue;
          }
          assert.deepEqual(
            Buffer.from(encodeDirectoryRecord(r.record)),
            Buffer.from(data.subarray(o, o + r.length)),
          );
          for (const e of decodeSuspEntries(r.record.systemUse)) {
            if (e.signature === 'CE')
              assert.deepEqual(Buffer.from(ceBody.encode(decodeCE(e))), Buffer.from(e.data));
          }
          count++;
          const id = r.record.identifier;
          if (r.record.flags & 2 && id[0]! > 1 && depth < 8)
            count += walk(r.record.extent, r.record.dataLength, depth + 1);
          o += r.length;
        }
        return count;
      };
      assert.ok(walk(root.extent, root.dataLength, 1) >= 10);
      assert.equal(
        [...decodeDirectoryExtent(img.subarray(root.extent * S, root.extent * S + root.dataLength))]
          .length > 3,
        true,
      );
    }
  });

  it('SUSP and Rock Ridge entries (SP, RR, PX, TF, NM, SL, CE, ER)', () => {
    for (const img of [gen, xor]) {
      const pvd = primaryVolumeDescriptor.decode(sector(img, 16));
      const root = decodeDirectoryRecord(pvd.rootDirectoryRecord)!.record;
      const dot = decodeDirectoryRecord(img, root.extent * S)!.record;
      const entries = decodeSuspEntries(dot.systemUse);
      assert.equal(entries[0]?.signature, 'SP');
      const raw = (e: (typeof entries)[number]) => encodeSuspEntry(e.signature, e.version, e.data);
      let o = 0;
      for (const e of entries) {
        assert.deepEqual(
          Buffer.from(raw(e)),
          Buffer.from(dot.systemUse.subarray(o, o + 4 + e.data.length)),
        );
        o += 4 + e.data.length;
      }
      // ER lives in the root's "." record or in its continuation area.
      let all = entries;
      const ce = entries.find((e) => e.signature === 'CE');
      if (ce) {
        const at = decodeCE(ce);
        all = [
          ...all,
          ...decodeSuspEntries(
            img.subarray(at.block * S + at.offset, at.block * S + at.offset + at.length),
          ),
        ];
      }
      const er = all.find((e) => e.signature === 'ER');
      assert.ok(er);
      assert.deepEqual(Buffer.from(encodeER(decodeER(er))), Buffer.from(raw(er)));
      const px = all.find((e) => e.signature === 'PX')!;
      if (px.data.length === 40)
        assert.deepEqual(Buffer.from(pxBody.encode(pxBody.decode(px.data))), Buffer.from(px.data));
      assert.equal(decodeRockRidge(all).attributes!.mode & 0o170000, 0o040000);
    }
  });

  it('UDF descriptors, file entries and file identifiers (genisoimage -udf)', () => {
    const avdp = sector(gen, 256);
    verifyTag(avdp, { identifier: TagId.anchorVolumeDescriptorPointer, location: 256 });
    roundTrip(anchorVolumeDescriptorPointer, avdp, 'AVDP');
    for (const id of ['BEA01', 'NSR02', 'TEA01']) {
      const at = [...Array(16).keys()]
        .map((k) => 16 + k)
        .find((n) => String.fromCharCode(...sector(gen, n).subarray(1, 6)) === id);
      assert.ok(at, id);
      roundTrip(volumeStructureDescriptor, sector(gen, at), id);
    }
    const a = anchorVolumeDescriptorPointer.decode(avdp);
    const layouts: Record<number, Trip> = {
      [TagId.primaryVolumeDescriptor]: udfPrimaryVolumeDescriptor,
      [TagId.implementationUseVolumeDescriptor]: implementationUseVolumeDescriptor,
      [TagId.partitionDescriptor]: partitionDescriptor,
      [TagId.logicalVolumeDescriptor]: logicalVolumeDescriptor,
      [TagId.unallocatedSpaceDescriptor]: unallocatedSpaceDescriptor,
      [TagId.terminatingDescriptor]: terminatingDescriptor,
    };
    let partitionStart = 0;
    let fsd = 0;
    for (let n = a.mainVds.location; ; n++) {
      const d = sector(gen, n);
      const t = verifyTag(d, { location: n });
      const l = layouts[t.identifier];
      assert.ok(l, `layout for tag ${t.identifier}`);
      roundTrip(l, d, `descriptor ${t.identifier}`);
      if (t.identifier === TagId.partitionDescriptor)
        partitionStart = partitionDescriptor.decode(d).start;
      if (t.identifier === TagId.logicalVolumeDescriptor) {
        const lvd = logicalVolumeDescriptor.decode(d);
        fsd = lvd.fileSetLocation.location.block;
        const lvid = sector(gen, lvd.integritySequence.location);
        verifyTag(lvid, { identifier: TagId.logicalVolumeIntegrityDescriptor });
        roundTrip(logicalVolumeIntegrityDescriptor, lvid, 'LVID');
      }
      if (t.identifier === TagId.terminatingDescriptor) break;
    }
    const fsdBytes = sector(gen, partitionStart + fsd);
    verifyTag(fsdBytes, { identifier: TagId.fileSetDescriptor, location: fsd });
    roundTrip(fileSetDescriptor, fsdBytes, 'FSD');
    // Walk the directories: FEs and FIDs re-encode to their bytes.
    let fids = 0;
    const walk = (block: number): void => {
      const feBytes = sector(gen, partitionStart + block);
      verifyTag(feBytes, { identifier: TagId.fileEntry, location: block });
      roundTrip(fileEntryHead, feBytes, 'file entry');
      const fe = decodeFileEntry(feBytes);
      if (fe.head.icb.fileType !== 4) return;
      const ads = decodeShortAds(fe.allocation);
      const data = concat(
        ads.map((ad) =>
          gen.subarray(
            (partitionStart + ad.position) * S,
            (partitionStart + ad.position) * S + ad.length,
          ),
        ),
      );
      let o = 0;
      for (const f of decodeFileIdentifiers(data)) {
        const bytes = data.subarray(o, o + f.length);
        roundTrip(fileIdentifierHead, bytes, 'FID head');
        const ours = encodeFileIdentifier(f, fileIdentifierHead.decode(bytes).tag.location);
        // Same content; genisoimage's tag serial number may differ, so compare after the tag.
        assert.deepEqual(
          Buffer.from(ours.subarray(16)),
          Buffer.from(bytes.subarray(16)),
          `FID ${f.name}`,
        );
        fids++;
        if (!(f.characteristics & 8) && f.characteristics & 2) walk(f.icb.location.block);
        o += f.length;
      }
    };
    walk(fileSetDescriptor.decode(fsdBytes).rootDirectory.location.block);
    assert.ok(fids >= 8);
  });

  it('El Torito catalogs: validation, default, section header and section entries', () => {
    for (const img of [gen, xor]) {
      const br = bootRecordVolumeDescriptor.decode(sector(img, 17));
      assert.equal(br.bootSystemId, 'EL TORITO SPECIFICATION');
      const cat = sector(img, br.catalogSector);
      checkValidationEntry(cat.subarray(0, 32));
      roundTrip(validationEntry, cat, 'validation entry');
      for (let o = 32; o < S && cat[o] !== 0; o += 32) {
        const e = cat.subarray(o, o + 32);
        roundTrip(
          e[0] === 0x90 || e[0] === 0x91 ? sectionHeader : bootEntry,
          e,
          `catalog entry at ${o}`,
        );
      }
    }
  });
});

describe('layouts round-trip our own values', () => {
  it('dates: ECMA-119 7-byte and 17-byte forms, UDF timestamps', () => {
    const t = Date.UTC(2024, 1, 29, 23, 59, 58, 120);
    const b = new Uint8Array(17);
    const v = new DataView(b.buffer);
    recordingDate.write(b, v, 0, t);
    assert.equal(recordingDate.read(b, v, 0), t - 120);
    decDateTime.write(b, v, 0, t);
    assert.equal(String.fromCharCode(...b.subarray(0, 16)), '2024022923595812');
    assert.equal(decDateTime.read(b, v, 0), t);
    decDateTime.write(b, v, 0, undefined);
    assert.equal(decDateTime.read(b, v, 0), undefined);
    const ts = toTimestamp(t + 0.456);
    assert.deepEqual(timestamp.decode(timestamp.encode(ts)), ts);
    assert.ok(Math.abs(fromTimestamp(ts) - (t + 0.456)) < 1e-3, 'microseconds survive');
  });

  it('Rock Ridge NM and SL split long names and targets and read back whole', () => {
    const name = 'ä'.repeat(200); // 400 bytes: two NM entries
    const target = '/abs/../' + 'x'.repeat(300) + '/./y';
    const entries = decodeSuspEntries(
      concat([
        ...encodeNM(name),
        ...encodeSL(target),
        encodePX({ mode: 0o120777, links: 1, uid: 1, gid: 2, ino: 3 }),
        encodeTF({ modify: 0, access: 1000, attributes: 2000 }),
      ]),
    );
    const rr = decodeRockRidge(entries);
    assert.equal(rr.name, name);
    assert.equal(rr.target, target);
    assert.deepEqual(rr.attributes, { mode: 0o120777, links: 1, uid: 1, gid: 2, ino: 3 });
    assert.deepEqual(rr.times, { modify: 0, access: 1000, attributes: 2000 });
  });

  it('UDF CS0 strings, path components, CRC check value', () => {
    for (const s of ['', 'plain', 'Übersicht', '日本語', 'emoji 🎉'])
      assert.equal(decodeCS0(encodeCS0(s)), s);
    assert.equal(encodeCS0('Über')[0], 8);
    assert.equal(encodeCS0('日本')[0], 16);
    for (const t of ['a/b', '/etc/hostname', '../x/./y', 'dir/']) {
      assert.equal(decodePathComponents(encodePathComponents(t)), t.replace(/\/$/, ''));
    }
    assert.equal(crcItu(Uint8Array.of(0x70, 0x6a, 0x77)), 0x3299); // ECMA-167 1/7.2.6 example
  });

  it('El Torito validation entry checksum', () => {
    const e = encodeValidationEntry(0xef, 'webdisc');
    assert.equal(checkValidationEntry(e).platform, 0xef);
    e[5] = (e[5] ?? 0) ^ 1;
    assert.throws(() => checkValidationEntry(e));
  });
});
