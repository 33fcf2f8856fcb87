/**
 * The public entry: `planImage(tree, options)` plans an ISO 9660 + Rock
 * Ridge + Joliet image with a UDF bridge and optional El Torito boot, and
 * returns its exact size and a stream of its sectors.
 *
 *   const plan = planImage(root, { volumeId: 'PHOTOS', date: Date.UTC(2024, 0, 1) });
 *   checkCapacity(plan, mediumSectors);
 *   for await (const chunk of plan.stream()) write(chunk);
 */
import { truncateUnits } from './binary/text.ts';
import { TooManySectorsError } from './errors.ts';
import { encodeDirectoryRecord, FileFlags } from './iso9660/directory-record.ts';
import { toAChars, toDChars } from './iso9660/text-fields.ts';
import { JOLIET_ESCAPE } from './iso9660/joliet.ts';
import {
  descriptorFields,
  jolietVolumeDescriptor,
  primaryVolumeDescriptor,
  SECTOR,
  STANDARD_ID,
  VolumeDescriptorType,
  volumeDescriptorTerminator,
  type VolumeIdentity,
} from './iso9660/volume-descriptor.ts';
import type { DirNode } from './plan/nodes.ts';
import {
  planLayout,
  resolveOptions,
  type Allocator,
  type ImageOptions,
  type PlanLayout,
  type PlanParts,
  type PlanState,
} from './plan/plan.ts';
import type { PlanReport } from './plan/report.ts';
import { fileSectors, streamImage, type StreamOptions } from './stream.ts';
import type { DirEntry } from './tree.ts';
import { elToritoParts } from './el-torito-plan.ts';
import { udfParts } from './udf/plan.ts';

export interface ImagePlan {
  /** Total 2048-byte sectors, known before the first byte is produced. */
  readonly sectors: number;
  readonly bytes: number;
  readonly report: PlanReport;
  readonly layout: PlanLayout;
  /** The image's sectors, in chunks of whole sectors; may be called more than once. */
  stream(options?: StreamOptions): AsyncIterable<Uint8Array>;
}

function rootRecord(d: DirNode, joliet: boolean): Uint8Array {
  return encodeDirectoryRecord({
    extent: joliet ? d.jolietExtent : d.isoExtent,
    dataLength: (joliet ? d.jolietSectors : d.isoSectors) * SECTOR,
    recorded: d.mtime,
    flags: FileFlags.directory,
    identifier: Uint8Array.of(0),
    systemUse: new Uint8Array(0),
  });
}

/** Sectors 16 on: primary, boot record, Joliet, terminator (ECMA-119 8). */
function isoDescriptors(a: Allocator, s: PlanState, bootRecord: (a: Allocator) => void): void {
  const o = s.options;
  const id = (joliet: boolean): VolumeIdentity => {
    // ECMA-119 8.4: a-characters, d-characters for the volume and volume set
    // identifiers; Joliet: any UCS-2, half as many characters per field.
    const t = joliet ? truncateUnits : toAChars;
    return {
      systemId: t(o.system, joliet ? 16 : 32),
      volumeId: joliet ? truncateUnits(o.volumeId, 16) : toDChars(o.volumeId, 32),
      volumeSetId: joliet ? truncateUnits(o.volumeSetId, 64) : toDChars(o.volumeSetId, 128),
      publisherId: t(o.publisher, joliet ? 64 : 128),
      preparerId: t(o.preparer, joliet ? 64 : 128),
      applicationId: t(o.application, joliet ? 64 : 128),
      creation: o.date,
    };
  };
  a.add(1, 'primary volume descriptor', () => [
    primaryVolumeDescriptor.encode(
      descriptorFields(VolumeDescriptorType.primary, id(false), {
        // The whole volume, earlier sessions included (ECMA-119 8.4.8).
        volumeSpaceSize: s.options.startSector + s.totalSectors,
        pathTableSize: s.layout.isoPathTable.size,
        lPathTable: s.layout.isoPathTable.l,
        mPathTable: s.layout.isoPathTable.m,
        rootDirectoryRecord: rootRecord(s.tree.root, false),
      }),
    ),
  ]);
  bootRecord(a);
  if (o.joliet) {
    a.add(1, 'Joliet volume descriptor', () => {
      const t = s.layout.jolietPathTable ?? { size: 0, l: 0, m: 0 };
      return [
        jolietVolumeDescriptor.encode(
          descriptorFields(VolumeDescriptorType.supplementary, id(true), {
            // The whole volume, earlier sessions included (ECMA-119 8.4.8).
            volumeSpaceSize: s.options.startSector + s.totalSectors,
            pathTableSize: t.size,
            lPathTable: t.l,
            mPathTable: t.m,
            rootDirectoryRecord: rootRecord(s.tree.root, true),
            escapeSequences: JOLIET_ESCAPE,
          }),
        ),
      ];
    });
  }
  a.add(1, 'volume descriptor set terminator', () => [
    volumeDescriptorTerminator.encode({
      type: VolumeDescriptorType.terminator,
      standardId: STANDARD_ID,
      version: 1,
    }),
  ]);
}

export function planImage(root: DirEntry, options: ImageOptions = {}): ImagePlan {
  const o = resolveOptions(options);
  const udf = udfParts(o.udf, o.udfSymlinks, o.udfRevision);
  const boot = elToritoParts(o.boot);
  const parts: PlanParts = {
    descriptors(a, s) {
      isoDescriptors(a, s, (al) => boot.bootRecord(al, s));
      udf.descriptors(a, s);
    },
    partitionHead: (a, s) => udf.partitionHead(a, s),
    bootCatalog: (a, s) => boot.catalog(a, s),
    metadata: (a, s) => udf.metadata(a, s),
    tail: (a, s) => udf.tail(a, s),
    boot: (s) => boot.validate(s),
    fileData: (s, n) => fileSectors(n, readBytes, boot.patcher(s)),
  };
  let readBytes = 1 << 20;
  const s = planLayout(root, o, parts);
  return {
    sectors: s.totalSectors,
    bytes: s.totalSectors * SECTOR,
    report: s.report,
    layout: s.layout,
    stream(so = {}) {
      readBytes = so.readBytes ?? 1 << 20;
      return streamImage(s, so);
    },
  };
}

/** Plan-time check: throws TooManySectorsError when the image does not fit `capacitySectors`. */
export function checkCapacity(plan: { sectors: number }, capacitySectors: number): void {
  if (plan.sectors > capacitySectors) throw new TooManySectorsError(plan.sectors, capacitySectors);
}
