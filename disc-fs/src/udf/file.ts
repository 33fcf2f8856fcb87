/**
 * UDF files and directories (ECMA-167 part 4, UDF 1.02 2.3, UDF 2.50 2.3):
 * the ICB tag, the file entry or (UDF 2.50) extended file entry, one per
 * file, pointing at the same data extents as ISO 9660, file identifier
 * descriptors (a directory's contents) and the path
 * components of a symbolic link.
 */
import { concat, layout, nested, u16le, u32le, u64le, u8 } from '../binary/layout.ts';
import { DecodeError } from '../errors.ts';
import { BLANK_TAG, descriptorTag, sealTag, TagId } from './tag.ts';
import {
  decodeCS0,
  encodeCS0,
  lbAddr,
  longAd,
  regid,
  shortAd,
  timestamp,
  type LongAd,
} from './primitives.ts';

/** ECMA-167 4/14.6 ICB tag. */
export const icbTag = layout('IcbTag', 20, {
  priorDirectEntries: [0, u32le],
  strategyType: [4, u16le],
  strategyParameter: [6, u16le],
  maxEntries: [8, u16le],
  fileType: [11, u8],
  parent: [12, nested(lbAddr)],
  flags: [18, u16le],
});

/** ECMA-167 4/14.6.6 file types. */
export const FileType = { directory: 4, file: 5, symlink: 12 } as const;

/** ECMA-167 4/14.6.8 ICB flags: allocation descriptor form (bits 0-2) and POSIX bits. */
export const IcbFlags = {
  shortAd: 0,
  longAd: 1,
  extendedAd: 2,
  embedded: 3,
  setuid: 0x40,
  setgid: 0x80,
  sticky: 0x100,
  contiguous: 0x200,
} as const;

/** ECMA-167 4/14.9 file entry, before its extended attributes and allocation descriptors. */
export const fileEntryHead = layout('FileEntry', 176, {
  tag: [0, nested(descriptorTag)],
  icb: [16, nested(icbTag)],
  uid: [36, u32le],
  gid: [40, u32le],
  permissions: [44, u32le],
  linkCount: [48, u16le],
  recordFormat: [50, u8],
  recordDisplayAttributes: [51, u8],
  recordLength: [52, u32le],
  informationLength: [56, u64le],
  blocksRecorded: [64, u64le],
  accessTime: [72, nested(timestamp)],
  modificationTime: [84, nested(timestamp)],
  attributeTime: [96, nested(timestamp)],
  checkpoint: [108, u32le],
  extendedAttributeIcb: [112, nested(longAd)],
  implementationId: [128, nested(regid)],
  uniqueId: [160, u64le],
  extendedAttributesLength: [168, u32le],
  allocationDescriptorsLength: [172, u32le],
});
export type FileEntryHead = ReturnType<typeof fileEntryHead.decode>;

/**
 * POSIX permissions to ECMA-167 4/14.9.5: per class (other, group, owner,
 * five bits apart) execute 1, write 2, read 4 (the same order as POSIX, so
 * each rwx triple moves as a whole).
 */
export function udfPermissions(mode: number): number {
  return (mode & 0o7) | ((mode & 0o70) << 2) | ((mode & 0o700) << 4);
}
export function posixPermissions(p: number): number {
  return (p & 0o7) | ((p >> 2) & 0o70) | ((p >> 4) & 0o700);
}

/**
 * ECMA-167 4/14.17 extended file entry (UDF 2.00 on): the file entry with an
 * object size, a creation time and a stream directory, before its extended
 * attributes and allocation descriptors.
 */
export const extendedFileEntryHead = layout('ExtendedFileEntry', 216, {
  tag: [0, nested(descriptorTag)],
  icb: [16, nested(icbTag)],
  uid: [36, u32le],
  gid: [40, u32le],
  permissions: [44, u32le],
  linkCount: [48, u16le],
  recordFormat: [50, u8],
  recordDisplayAttributes: [51, u8],
  recordLength: [52, u32le],
  informationLength: [56, u64le],
  /** 4/14.17.11: the sizes of all streams; without named streams, the information length. */
  objectSize: [64, u64le],
  blocksRecorded: [72, u64le],
  accessTime: [80, nested(timestamp)],
  modificationTime: [92, nested(timestamp)],
  creationTime: [104, nested(timestamp)],
  attributeTime: [116, nested(timestamp)],
  checkpoint: [128, u32le],
  extendedAttributeIcb: [136, nested(longAd)],
  streamDirectoryIcb: [152, nested(longAd)],
  implementationId: [168, nested(regid)],
  uniqueId: [200, u64le],
  extendedAttributesLength: [208, u32le],
  allocationDescriptorsLength: [212, u32le],
});

export interface FileEntry {
  head: Omit<FileEntryHead, 'tag' | 'extendedAttributesLength' | 'allocationDescriptorsLength'>;
  /** Allocation descriptors, or the data itself when embedded (ICB flags 3). */
  allocation: Uint8Array;
}

export interface FileEntryForm {
  /** An extended file entry (4/14.17) rather than a file entry (4/14.9). */
  extended?: boolean;
  /** Descriptor tag version (tag.ts). */
  version?: number;
}

/**
 * A file entry, or an extended one with the same fields: no named streams
 * (object size = information length), created when last modified.
 */
export function encodeFileEntry(
  fe: FileEntry,
  location: number,
  form: FileEntryForm = {},
): Uint8Array {
  const common = {
    tag: BLANK_TAG,
    extendedAttributesLength: 0,
    allocationDescriptorsLength: fe.allocation.length,
  };
  const head = form.extended
    ? extendedFileEntryHead.encode({
        ...fe.head,
        ...common,
        objectSize: fe.head.informationLength,
        creationTime: fe.head.modificationTime,
        streamDirectoryIcb: {
          length: 0,
          location: { block: 0, partition: 0 },
          flags: 0,
          uniqueId: 0,
        },
      })
    : fileEntryHead.encode({ ...fe.head, ...common });
  const id = form.extended ? TagId.extendedFileEntry : TagId.fileEntry;
  return sealTag(concat([head, fe.allocation]), id, location, form.version);
}

/** Decodes a file entry or an extended file entry (by its tag) into the file entry's fields. */
export function decodeFileEntry(b: Uint8Array): FileEntry & {
  extendedAttributes: Uint8Array;
  extended: boolean;
} {
  const extended = descriptorTag.decode(b).identifier === TagId.extendedFileEntry;
  const h = extended ? extendedFileEntryHead.decode(b) : fileEntryHead.decode(b);
  const start = extended ? extendedFileEntryHead.size : fileEntryHead.size;
  const ea = start + h.extendedAttributesLength;
  if (ea + h.allocationDescriptorsLength > b.length) throw new DecodeError('file entry overruns');
  const head: FileEntryHead = {
    tag: h.tag,
    icb: h.icb,
    uid: h.uid,
    gid: h.gid,
    permissions: h.permissions,
    linkCount: h.linkCount,
    recordFormat: h.recordFormat,
    recordDisplayAttributes: h.recordDisplayAttributes,
    recordLength: h.recordLength,
    informationLength: h.informationLength,
    blocksRecorded: h.blocksRecorded,
    accessTime: h.accessTime,
    modificationTime: h.modificationTime,
    attributeTime: h.attributeTime,
    checkpoint: h.checkpoint,
    extendedAttributeIcb: h.extendedAttributeIcb,
    implementationId: h.implementationId,
    uniqueId: h.uniqueId,
    extendedAttributesLength: h.extendedAttributesLength,
    allocationDescriptorsLength: h.allocationDescriptorsLength,
  };
  return {
    head,
    extended,
    extendedAttributes: b.slice(start, ea),
    allocation: b.slice(ea, ea + h.allocationDescriptorsLength),
  };
}

/** Short allocation descriptors for `length` bytes at `block`, at most `max` bytes each (4/14.14.1.1: < 2^30). */
export function shortAds(block: number, length: number, max = 0x3fff_f800): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let o = 0; o < length; o += max) {
    parts.push(shortAd.encode({ length: Math.min(max, length - o), position: block + o / 2048 }));
  }
  return concat(parts);
}

/** Long allocation descriptors (4/14.14.2) for `length` bytes at `block` of partition reference `partition`. */
export function longAds(
  block: number,
  length: number,
  partition: number,
  max = 0x3fff_f800,
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let o = 0; o < length; o += max) {
    parts.push(
      longAd.encode({
        length: Math.min(max, length - o),
        location: { block: block + o / 2048, partition },
        flags: 0,
        uniqueId: 0,
      }),
    );
  }
  return concat(parts);
}

export function decodeShortAds(
  b: Uint8Array,
): { length: number; type: number; position: number }[] {
  const out: { length: number; type: number; position: number }[] = [];
  for (let o = 0; o + 8 <= b.length; o += 8) {
    const ad = shortAd.decode(b.subarray(o, o + 8));
    if (ad.length === 0) break;
    out.push({ length: ad.length & 0x3fff_ffff, type: ad.length >>> 30, position: ad.position });
  }
  return out;
}

/** ECMA-167 4/14.4.3 file characteristics. */
export const FileCharacteristics = {
  hidden: 1,
  directory: 2,
  deleted: 4,
  parent: 8,
  metadata: 16,
} as const;

/** ECMA-167 4/14.4 file identifier descriptor, before its implementation use and identifier. */
export const fileIdentifierHead = layout('FileIdentifierDescriptor', 38, {
  tag: [0, nested(descriptorTag)],
  fileVersion: [16, u16le],
  characteristics: [18, u8],
  identifierLength: [19, u8],
  icb: [20, nested(longAd)],
  implementationUseLength: [36, u16le],
});

export interface FileIdentifier {
  characteristics: number;
  /** Empty for the parent entry (4/14.4.4). */
  name: string;
  icb: LongAd;
}

/** 4/14.4.9: padded to a multiple of four bytes. */
export function fileIdentifierLength(name: string): number {
  return Math.ceil((38 + encodeCS0(name).length) / 4) * 4;
}

export function encodeFileIdentifier(
  f: FileIdentifier,
  location: number,
  version?: number,
): Uint8Array {
  const id = encodeCS0(f.name);
  const out = new Uint8Array(fileIdentifierLength(f.name));
  fileIdentifierHead.encodeInto(
    {
      tag: BLANK_TAG,
      fileVersion: 1,
      characteristics: f.characteristics,
      identifierLength: id.length,
      icb: f.icb,
      implementationUseLength: 0,
    },
    out,
    0,
  );
  out.set(id, 38);
  return sealTag(out, TagId.fileIdentifierDescriptor, location, version);
}

/** Every file identifier in a directory's data. */
export function decodeFileIdentifiers(data: Uint8Array): (FileIdentifier & { length: number })[] {
  const out: (FileIdentifier & { length: number })[] = [];
  let o = 0;
  while (o + 38 <= data.length) {
    const h = fileIdentifierHead.decode(data.subarray(o, o + 38));
    if (h.tag.identifier !== TagId.fileIdentifierDescriptor) {
      throw new DecodeError(`tag ${h.tag.identifier} in directory data at ${o}`);
    }
    const start = o + 38 + h.implementationUseLength;
    const length = Math.ceil((38 + h.implementationUseLength + h.identifierLength) / 4) * 4;
    out.push({
      characteristics: h.characteristics,
      name: decodeCS0(data.subarray(start, start + h.identifierLength)),
      icb: h.icb,
      length,
    });
    o += length;
  }
  return out;
}

/** ECMA-167 4/14.16.1 path component types (Linux fs/udf/symlink.c reads the same). */
export const PathComponentType = { root: 2, parent: 3, current: 4, named: 5 } as const;

/** A symbolic link's target as ECMA-167 4/14.16 path components. */
export function encodePathComponents(target: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const pc = (type: number, id: Uint8Array = new Uint8Array(0)): Uint8Array => {
    // L_CI is one byte (4/14.16.1.2): a 255-character ASCII component does not fit.
    if (id.length > 255) throw new RangeError('a path component longer than 255 bytes in CS0');
    return concat([Uint8Array.of(type, id.length, 0, 0), id]);
  };
  if (target.startsWith('/')) parts.push(pc(PathComponentType.root));
  const names = target.split('/');
  names.forEach((p, i) => {
    if (p === '' && (i === 0 || i === names.length - 1)) return;
    if (p === '.') parts.push(pc(PathComponentType.current));
    else if (p === '..') parts.push(pc(PathComponentType.parent));
    else if (p !== '') parts.push(pc(PathComponentType.named, encodeCS0(p)));
  });
  return concat(parts);
}

export function decodePathComponents(b: Uint8Array): string {
  const out: string[] = [];
  let rooted = false;
  for (let o = 0; o + 4 <= b.length;) {
    const type = b[o] ?? 0;
    const len = b[o + 1] ?? 0;
    if (type === PathComponentType.root || type === 1) rooted = out.length === 0 ? true : rooted;
    else if (type === PathComponentType.parent) out.push('..');
    else if (type === PathComponentType.current) out.push('.');
    else if (type === PathComponentType.named) out.push(decodeCS0(b.subarray(o + 4, o + 4 + len)));
    o += 4 + len;
  }
  return (rooted ? '/' : '') + out.join('/');
}
