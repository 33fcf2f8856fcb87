/**
 * One codec per typed feature descriptor (feature-types.ts): how its
 * feature-dependent bytes read and write, and the whole descriptor's
 * `parseFeature` and `encodeFeature`. Known codes decode into typed objects;
 * any other stays raw.
 *
 * A descriptor shorter than the layout below reads its absent bytes as zero:
 * earlier versions of a feature defined fewer fields (Core v0 had 4 bytes,
 * Formattable v0 none), and those bits then mean "not supported".
 */
import { DecodeError } from '../errors.ts';
import {
  bit,
  checkInt,
  flag,
  need,
  needDeclared,
  putU16,
  putU24,
  putU32,
  readAscii,
  u16,
  u24,
  u32,
  writeAscii,
} from './bytes.ts';
import {
  FeatureCode,
  type BdClasses,
  type Feature,
  type FeatureHeader,
  type ProfileDescriptor,
  type RawFeature,
} from './feature-types.ts';

type Typed = Exclude<Feature, RawFeature>;
type Kind = Typed['kind'];
type Body<K extends Kind> = Omit<Extract<Typed, { kind: K }>, keyof FeatureHeader | 'kind'>;

/**
 * One entry per typed feature: its code, how to read the feature-dependent
 * bytes `d` (descriptor bytes 4..; absent ones read as 0), and how to write
 * them (returns the additional data, whose length becomes ADDITIONAL LENGTH).
 */
interface Codec<K extends Kind> {
  readonly code: number;
  decode(d: Uint8Array): Body<K>;
  encode(f: Body<K>): Uint8Array;
}

const at = (d: Uint8Array, i: number): number => d[i] ?? 0;
const pad4 = (n: number): number => (n + 3) & ~3;

function readClasses(d: Uint8Array, offset: number): BdClasses {
  return [u16(d, offset), u16(d, offset + 2), u16(d, offset + 4), u16(d, offset + 6)];
}

function writeClasses(out: Uint8Array, offset: number, classes: BdClasses): void {
  classes.forEach((c, i) => {
    checkInt('BD class bitmap', c, 0, 0xffff);
    putU16(out, offset + 2 * i, c);
  });
}

/** A fixed-size body with one flag byte at body offset 0 (most writing features). */
function flagsBody(length: number, byte0: number): Uint8Array {
  const out = new Uint8Array(length);
  out[0] = byte0;
  return out;
}

const CODECS: { readonly [K in Kind]: Codec<K> } = {
  profileList: {
    code: FeatureCode.ProfileList,
    decode: (d) => {
      const profiles: ProfileDescriptor[] = [];
      for (let i = 0; i + 4 <= d.length; i += 4) {
        profiles.push({ profile: u16(d, i), current: bit(d[i + 2], 0) });
      }
      return { profiles };
    },
    encode: (f) => {
      const out = new Uint8Array(4 * f.profiles.length);
      f.profiles.forEach((p, n) => {
        checkInt('profile', p.profile, 0, 0xffff);
        putU16(out, 4 * n, p.profile);
        out[4 * n + 2] = flag(p.current, 0);
      });
      return out;
    },
  },
  core: {
    code: FeatureCode.Core,
    decode: (d) => ({ physicalInterface: u32(d, 0), inq2: bit(d[4], 1), dbe: bit(d[4], 0) }),
    encode: (f) => {
      checkInt('physical interface standard', f.physicalInterface, 0, 0xffffffff);
      const out = new Uint8Array(8);
      putU32(out, 0, f.physicalInterface);
      out[4] = flag(f.inq2, 1) | flag(f.dbe, 0);
      return out;
    },
  },
  removableMedium: {
    code: FeatureCode.RemovableMedium,
    decode: (d) => ({
      loadingMechanism: at(d, 0) >>> 5,
      load: bit(d[0], 4),
      eject: bit(d[0], 3),
      preventJumper: bit(d[0], 2),
      dbml: bit(d[0], 1),
      lock: bit(d[0], 0),
    }),
    encode: (f) => {
      checkInt('loading mechanism type', f.loadingMechanism, 0, 7);
      return flagsBody(
        4,
        (f.loadingMechanism << 5) |
          flag(f.load, 4) |
          flag(f.eject, 3) |
          flag(f.preventJumper, 2) |
          flag(f.dbml, 1) |
          flag(f.lock, 0),
      );
    },
  },
  randomReadable: {
    code: FeatureCode.RandomReadable,
    decode: (d) => ({ blockSize: u32(d, 0), blocking: u16(d, 4), pagePresent: bit(d[6], 0) }),
    encode: (f) => {
      checkInt('block size', f.blockSize, 0, 0xffffffff);
      checkInt('blocking', f.blocking, 0, 0xffff);
      const out = new Uint8Array(8);
      putU32(out, 0, f.blockSize);
      putU16(out, 4, f.blocking);
      out[6] = flag(f.pagePresent, 0);
      return out;
    },
  },
  randomWritable: {
    code: FeatureCode.RandomWritable,
    decode: (d) => ({
      lastLba: u32(d, 0),
      blockSize: u32(d, 4),
      blocking: u16(d, 8),
      pagePresent: bit(d[10], 0),
    }),
    encode: (f) => {
      checkInt('last LBA', f.lastLba, 0, 0xffffffff);
      checkInt('block size', f.blockSize, 0, 0xffffffff);
      checkInt('blocking', f.blocking, 0, 0xffff);
      const out = new Uint8Array(12);
      putU32(out, 0, f.lastLba);
      putU32(out, 4, f.blockSize);
      putU16(out, 8, f.blocking);
      out[10] = flag(f.pagePresent, 0);
      return out;
    },
  },
  incrementalStreaming: {
    code: FeatureCode.IncrementalStreamingWritable,
    decode: (d) => {
      const n = at(d, 3);
      if (4 + n > d.length && n > 0) {
        throw new DecodeError(`incremental streaming feature: ${n} link sizes do not fit`);
      }
      return {
        dataBlockTypes: u16(d, 0),
        trio: bit(d[2], 2),
        arsv: bit(d[2], 1),
        buf: bit(d[2], 0),
        linkSizes: Array.from(d.subarray(4, 4 + n)),
      };
    },
    encode: (f) => {
      checkInt('data block types', f.dataBlockTypes, 0, 0xffff);
      checkInt('number of link sizes', f.linkSizes.length, 0, 0xff);
      const out = new Uint8Array(pad4(4 + f.linkSizes.length));
      putU16(out, 0, f.dataBlockTypes);
      out[2] = flag(f.trio, 2) | flag(f.arsv, 1) | flag(f.buf, 0);
      out[3] = f.linkSizes.length;
      f.linkSizes.forEach((s, i) => {
        checkInt('link size', s, 0, 0xff);
        out[4 + i] = s;
      });
      return out;
    },
  },
  formattable: {
    code: FeatureCode.Formattable,
    decode: (d) => ({
      frf: bit(d[0], 7),
      renosa: bit(d[0], 3),
      expand: bit(d[0], 2),
      qcert: bit(d[0], 1),
      cert: bit(d[0], 0),
      rrm: bit(d[4], 0),
    }),
    encode: (f) => {
      const out = flagsBody(
        8,
        flag(f.frf, 7) | flag(f.renosa, 3) | flag(f.expand, 2) | flag(f.qcert, 1) | flag(f.cert, 0),
      );
      out[4] = flag(f.rrm, 0);
      return out;
    },
  },
  dvdPlusRw: {
    code: FeatureCode.DvdPlusRw,
    decode: (d) => ({ write: bit(d[0], 0), quickStart: bit(d[1], 1), closeOnly: bit(d[1], 0) }),
    encode: (f) => {
      const out = flagsBody(4, flag(f.write, 0));
      out[1] = flag(f.quickStart, 1) | flag(f.closeOnly, 0);
      return out;
    },
  },
  dvdPlusR: {
    code: FeatureCode.DvdPlusR,
    decode: (d) => ({ write: bit(d[0], 0) }),
    encode: (f) => flagsBody(4, flag(f.write, 0)),
  },
  cdTrackAtOnce: {
    code: FeatureCode.CdTrackAtOnce,
    decode: (d) => ({
      buf: bit(d[0], 6),
      rwRaw: bit(d[0], 4),
      rwPack: bit(d[0], 3),
      testWrite: bit(d[0], 2),
      cdRw: bit(d[0], 1),
      rwSubcode: bit(d[0], 0),
      dataTypes: u16(d, 2),
    }),
    encode: (f) => {
      checkInt('data types supported', f.dataTypes, 0, 0xffff);
      const out = flagsBody(
        4,
        flag(f.buf, 6) |
          flag(f.rwRaw, 4) |
          flag(f.rwPack, 3) |
          flag(f.testWrite, 2) |
          flag(f.cdRw, 1) |
          flag(f.rwSubcode, 0),
      );
      putU16(out, 2, f.dataTypes);
      return out;
    },
  },
  cdMastering: {
    code: FeatureCode.CdMastering,
    decode: (d) => ({
      buf: bit(d[0], 6),
      sao: bit(d[0], 5),
      rawMultiSession: bit(d[0], 4),
      raw: bit(d[0], 3),
      testWrite: bit(d[0], 2),
      cdRw: bit(d[0], 1),
      rw: bit(d[0], 0),
      maxCueSheetLength: u24(d, 1),
    }),
    encode: (f) => {
      checkInt('maximum cue sheet length', f.maxCueSheetLength, 0, 0xffffff);
      const out = flagsBody(
        4,
        flag(f.buf, 6) |
          flag(f.sao, 5) |
          flag(f.rawMultiSession, 4) |
          flag(f.raw, 3) |
          flag(f.testWrite, 2) |
          flag(f.cdRw, 1) |
          flag(f.rw, 0),
      );
      putU24(out, 1, f.maxCueSheetLength);
      return out;
    },
  },
  dvdRWrite: {
    code: FeatureCode.DvdRWrite,
    decode: (d) => ({
      buf: bit(d[0], 6),
      rdl: bit(d[0], 3),
      testWrite: bit(d[0], 2),
      dvdRw: bit(d[0], 1),
    }),
    encode: (f) =>
      flagsBody(4, flag(f.buf, 6) | flag(f.rdl, 3) | flag(f.testWrite, 2) | flag(f.dvdRw, 1)),
  },
  bdRead: {
    code: FeatureCode.BdRead,
    decode: (d) => ({
      bdRe: readClasses(d, 4),
      bdR: readClasses(d, 12),
      bdRom: readClasses(d, 20),
    }),
    encode: (f) => {
      const out = new Uint8Array(28);
      writeClasses(out, 4, f.bdRe);
      writeClasses(out, 12, f.bdR);
      writeClasses(out, 20, f.bdRom);
      return out;
    },
  },
  bdWrite: {
    code: FeatureCode.BdWrite,
    decode: (d) => ({ svnr: bit(d[0], 0), bdRe: readClasses(d, 4), bdR: readClasses(d, 12) }),
    encode: (f) => {
      const out = flagsBody(20, flag(f.svnr, 0));
      writeClasses(out, 4, f.bdRe);
      writeClasses(out, 12, f.bdR);
      return out;
    },
  },
  realTimeStreaming: {
    code: FeatureCode.RealTimeStreaming,
    decode: (d) => ({
      rbcb: bit(d[0], 4),
      scs: bit(d[0], 3),
      mp2a: bit(d[0], 2),
      wspd: bit(d[0], 1),
      sw: bit(d[0], 0),
    }),
    encode: (f) =>
      flagsBody(
        4,
        flag(f.rbcb, 4) | flag(f.scs, 3) | flag(f.mp2a, 2) | flag(f.wspd, 1) | flag(f.sw, 0),
      ),
  },
  serialNumber: {
    code: FeatureCode.DriveSerialNumber,
    decode: (d) => ({ serialNumber: readAscii(d, 0, d.length) }),
    encode: (f) => {
      const out = new Uint8Array(pad4(f.serialNumber.length));
      writeAscii(out, 0, out.length, f.serialNumber, 'serial number');
      return out;
    },
  },
};

const KIND_BY_CODE = new Map<number, Kind>(
  (Object.keys(CODECS) as Kind[]).map((kind) => [CODECS[kind].code, kind]),
);

/** Decodes one whole feature descriptor (4-byte header + additional bytes). */
export function parseFeature(descriptor: Uint8Array): Feature {
  need('feature descriptor', descriptor, 4);
  const length = 4 + descriptor[3]!;
  needDeclared('feature descriptor', descriptor, length);
  const header: FeatureHeader = {
    code: u16(descriptor, 0),
    version: (descriptor[2]! >>> 2) & 0x0f,
    persistent: bit(descriptor[2], 1),
    current: bit(descriptor[2], 0),
  };
  const d = descriptor.slice(4, length);
  const kind = KIND_BY_CODE.get(header.code);
  if (kind === undefined) return { ...header, kind: 'raw', data: d };
  return { ...header, kind, ...(CODECS[kind] as Codec<Kind>).decode(d) } as Feature;
}

/** One whole feature descriptor; RangeError when a typed feature's code does not match its kind. */
export function encodeFeature(feature: Feature): Uint8Array<ArrayBuffer> {
  checkInt('feature code', feature.code, 0, 0xffff);
  checkInt('feature version', feature.version, 0, 0x0f);
  let body: Uint8Array;
  if (feature.kind === 'raw') {
    body = feature.data;
  } else {
    const codec = CODECS[feature.kind] as Codec<Kind>;
    if (feature.code !== codec.code) {
      throw new RangeError(
        `feature ${feature.kind} has code 0x${codec.code.toString(16)}, not 0x${feature.code.toString(16)}`,
      );
    }
    body = codec.encode(feature as never);
  }
  checkInt('feature additional length', body.length, 0, 0xff);
  const out = new Uint8Array(4 + body.length);
  putU16(out, 0, feature.code);
  out[2] = (feature.version << 2) | flag(feature.persistent, 1) | flag(feature.current, 0);
  out[3] = body.length;
  out.set(body, 4);
  return out;
}
