/**
 * ISO 9660 volume descriptors (ECMA-119 8): the primary volume descriptor,
 * the supplementary one Joliet uses, and the set terminator. Each occupies
 * one 2048-byte logical sector from sector 16 on (ECMA-119 6.2.1, 6.7.1).
 */
import {
  bytes,
  type Codec,
  layout,
  type Layout,
  u16both,
  u32be,
  u32both,
  u32le,
  u8,
  text,
  ucs2Text,
} from '../binary/layout.ts';
import { decDateTime, type Time } from './dates.ts';

export const SECTOR = 2048;
/** ECMA-119 6.2.1: the first 16 sectors are the system area. */
export const FIRST_DESCRIPTOR_SECTOR = 16;
export const STANDARD_ID = 'CD001';

/** ECMA-119 8.1.1 volume descriptor types. */
export const VolumeDescriptorType = {
  bootRecord: 0,
  primary: 1,
  supplementary: 2,
  partition: 3,
  terminator: 255,
} as const;

/** ECMA-119 8.1: the seven bytes every volume descriptor starts with. */
export const volumeDescriptorHeader = layout('VolumeDescriptorHeader', 7, {
  type: [0, u8],
  standardId: [1, text(5)],
  version: [6, u8],
});

function descriptorLayout(name: string, t: (size: number) => Codec<string>) {
  // ECMA-119 8.4 (primary) and 8.5 (supplementary) share one layout; the
  // supplementary one adds volume flags (8.5.3) and escape sequences (8.5.6).
  return layout(name, SECTOR, {
    type: [0, u8],
    standardId: [1, text(5)],
    version: [6, u8],
    volumeFlags: [7, u8],
    systemId: [8, t(32)],
    volumeId: [40, t(32)],
    volumeSpaceSize: [80, u32both],
    escapeSequences: [88, bytes(32)],
    volumeSetSize: [120, u16both],
    volumeSequenceNumber: [124, u16both],
    logicalBlockSize: [128, u16both],
    pathTableSize: [132, u32both],
    lPathTable: [140, u32le],
    optionalLPathTable: [144, u32le],
    mPathTable: [148, u32be],
    optionalMPathTable: [152, u32be],
    rootDirectoryRecord: [156, bytes(34)],
    volumeSetId: [190, t(128)],
    publisherId: [318, t(128)],
    preparerId: [446, t(128)],
    applicationId: [574, t(128)],
    copyrightFileId: [702, t(37)],
    abstractFileId: [739, t(37)],
    bibliographicFileId: [776, t(37)],
    creation: [813, decDateTime],
    modification: [830, decDateTime],
    expiration: [847, decDateTime],
    effective: [864, decDateTime],
    fileStructureVersion: [881, u8],
    applicationUse: [883, bytes(512)],
  });
}

/** Primary volume descriptor (ECMA-119 8.4): a- and d-character identifiers. */
export const primaryVolumeDescriptor = descriptorLayout('PrimaryVolumeDescriptor', text);
/**
 * Joliet's supplementary volume descriptor (ECMA-119 8.5 with the Joliet
 * specification): identifiers in UCS-2 big-endian, padded with U+0020.
 */
export const jolietVolumeDescriptor = descriptorLayout('JolietVolumeDescriptor', ucs2Text);

export type VolumeDescriptor = typeof primaryVolumeDescriptor extends Layout<infer T> ? T : never;

/** ECMA-119 8.3: the volume descriptor set terminator. */
export const volumeDescriptorTerminator = layout('VolumeDescriptorSetTerminator', SECTOR, {
  type: [0, u8],
  standardId: [1, text(5)],
  version: [6, u8],
});

export interface VolumeIdentity {
  systemId: string;
  volumeId: string;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
  creation: Time;
}

/** The fields both descriptors of one image share; callers add names and locations. */
export function descriptorFields(
  type: number,
  id: VolumeIdentity,
  f: {
    volumeSpaceSize: number;
    pathTableSize: number;
    lPathTable: number;
    mPathTable: number;
    rootDirectoryRecord: Uint8Array;
    escapeSequences?: Uint8Array;
  },
): VolumeDescriptor {
  return {
    type,
    standardId: STANDARD_ID,
    version: 1,
    volumeFlags: 0,
    systemId: id.systemId,
    volumeId: id.volumeId,
    volumeSpaceSize: f.volumeSpaceSize,
    escapeSequences: f.escapeSequences ?? new Uint8Array(0),
    volumeSetSize: 1,
    volumeSequenceNumber: 1,
    logicalBlockSize: SECTOR,
    pathTableSize: f.pathTableSize,
    lPathTable: f.lPathTable,
    optionalLPathTable: 0,
    mPathTable: f.mPathTable,
    optionalMPathTable: 0,
    rootDirectoryRecord: f.rootDirectoryRecord,
    volumeSetId: id.volumeSetId,
    publisherId: id.publisherId,
    preparerId: id.preparerId,
    applicationId: id.applicationId,
    copyrightFileId: '',
    abstractFileId: '',
    bibliographicFileId: '',
    creation: id.creation,
    modification: id.creation,
    expiration: undefined,
    effective: id.creation,
    fileStructureVersion: 1,
    applicationUse: new Uint8Array(0),
  };
}
