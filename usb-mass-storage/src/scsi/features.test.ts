import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex, toHex } from '../struct.ts';
import { TruncatedResponseError } from './bytes.ts';
import {
  type Configuration,
  encodeConfiguration,
  encodeFeature,
  type Feature,
  FeatureCode,
  findFeature,
  parseConfiguration,
  parseConfigurationHeader,
  parseFeature,
  PhysicalInterface,
  PROFILE,
  PROFILE_NAMES,
  profileName,
} from './features.ts';
import { LoadingMechanism } from './mode-pages.ts';

function valueOrDecodeError(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof DecodeError, `expected DecodeError, got ${String(error)}`);
  }
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an exception');
}

function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

const bool = fc.boolean();
const byte = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const classes = fc.tuple(u16, u16, u16, u16);
const header = { version: fc.integer({ min: 0, max: 15 }), persistent: bool, current: bool };

/** One arbitrary per feature kind, with the kind's code. */
const featureArb: fc.Arbitrary<Feature> = fc.oneof(
  rec({
    ...header,
    kind: fc.constant('profileList' as const),
    code: fc.constant(FeatureCode.ProfileList),
    profiles: fc.array(rec({ profile: u16, current: bool }), { maxLength: 20 }),
  }),
  rec({
    ...header,
    kind: fc.constant('core' as const),
    code: fc.constant(FeatureCode.Core),
    physicalInterface: u32,
    inq2: bool,
    dbe: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('removableMedium' as const),
    code: fc.constant(FeatureCode.RemovableMedium),
    loadingMechanism: fc.integer({ min: 0, max: 7 }),
    load: bool,
    eject: bool,
    preventJumper: bool,
    dbml: bool,
    lock: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('randomReadable' as const),
    code: fc.constant(FeatureCode.RandomReadable),
    blockSize: u32,
    blocking: u16,
    pagePresent: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('randomWritable' as const),
    code: fc.constant(FeatureCode.RandomWritable),
    lastLba: u32,
    blockSize: u32,
    blocking: u16,
    pagePresent: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('incrementalStreaming' as const),
    code: fc.constant(FeatureCode.IncrementalStreamingWritable),
    dataBlockTypes: u16,
    trio: bool,
    arsv: bool,
    buf: bool,
    linkSizes: fc.array(byte, { maxLength: 20 }),
  }),
  rec({
    ...header,
    kind: fc.constant('formattable' as const),
    code: fc.constant(FeatureCode.Formattable),
    frf: bool,
    renosa: bool,
    expand: bool,
    qcert: bool,
    cert: bool,
    rrm: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('dvdPlusRw' as const),
    code: fc.constant(FeatureCode.DvdPlusRw),
    write: bool,
    quickStart: bool,
    closeOnly: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('dvdPlusR' as const),
    code: fc.constant(FeatureCode.DvdPlusR),
    write: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('cdTrackAtOnce' as const),
    code: fc.constant(FeatureCode.CdTrackAtOnce),
    buf: bool,
    rwRaw: bool,
    rwPack: bool,
    testWrite: bool,
    cdRw: bool,
    rwSubcode: bool,
    dataTypes: u16,
  }),
  rec({
    ...header,
    kind: fc.constant('cdMastering' as const),
    code: fc.constant(FeatureCode.CdMastering),
    buf: bool,
    sao: bool,
    rawMultiSession: bool,
    raw: bool,
    testWrite: bool,
    cdRw: bool,
    rw: bool,
    maxCueSheetLength: fc.integer({ min: 0, max: 0xffffff }),
  }),
  rec({
    ...header,
    kind: fc.constant('dvdRWrite' as const),
    code: fc.constant(FeatureCode.DvdRWrite),
    buf: bool,
    rdl: bool,
    testWrite: bool,
    dvdRw: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('bdRead' as const),
    code: fc.constant(FeatureCode.BdRead),
    bdRe: classes,
    bdR: classes,
    bdRom: classes,
  }),
  rec({
    ...header,
    kind: fc.constant('bdWrite' as const),
    code: fc.constant(FeatureCode.BdWrite),
    svnr: bool,
    bdRe: classes,
    bdR: classes,
  }),
  rec({
    ...header,
    kind: fc.constant('realTimeStreaming' as const),
    code: fc.constant(FeatureCode.RealTimeStreaming),
    rbcb: bool,
    scs: bool,
    mp2a: bool,
    wspd: bool,
    sw: bool,
  }),
  rec({
    ...header,
    kind: fc.constant('serialNumber' as const),
    code: fc.constant(FeatureCode.DriveSerialNumber),
    serialNumber: fc
      .array(fc.integer({ min: 0x21, max: 0x7e }), { maxLength: 24 })
      .map((c) => String.fromCharCode(...c)),
  }),
  rec({
    ...header,
    kind: fc.constant('raw' as const),
    // Codes without a typed decoder.
    code: fc.constantFrom(0x0002, 0x001d, 0x001e, 0x001f, 0x0024, 0x0026, 0x0100, 0x0105, 0xff00),
    data: fc.uint8Array({ maxLength: 32 }).map((d) => d.slice(0, d.length & ~3)),
  }),
);

/** A CD/DVD writer with a CD-R loaded, as GET CONFIGURATION RT=0 would describe it. */
const cdWriter: Configuration = {
  currentProfile: PROFILE.CD_R,
  features: [
    {
      kind: 'profileList',
      code: FeatureCode.ProfileList,
      version: 0,
      persistent: true,
      current: true,
      profiles: [
        { profile: PROFILE.DVD_PLUS_R, current: false },
        { profile: PROFILE.CD_R, current: true },
        { profile: PROFILE.CD_ROM, current: false },
      ],
    },
    {
      kind: 'core',
      code: FeatureCode.Core,
      version: 2,
      persistent: true,
      current: true,
      physicalInterface: PhysicalInterface.Usb,
      inq2: true,
      dbe: true,
    },
    {
      kind: 'removableMedium',
      code: FeatureCode.RemovableMedium,
      version: 0,
      persistent: true,
      current: true,
      loadingMechanism: LoadingMechanism.Tray,
      load: true,
      eject: true,
      preventJumper: false,
      dbml: false,
      lock: true,
    },
    {
      kind: 'cdTrackAtOnce',
      code: FeatureCode.CdTrackAtOnce,
      version: 2,
      persistent: false,
      current: true,
      buf: true,
      rwRaw: false,
      rwPack: false,
      testWrite: true,
      cdRw: true,
      rwSubcode: false,
      dataTypes: 0x0001,
    },
    {
      kind: 'raw',
      code: 0x0106,
      version: 0,
      persistent: false,
      current: true,
      data: fromHex('00000002'),
    },
  ],
};

describe('GET CONFIGURATION response (MMC-6 §6.6.2)', () => {
  it('encodes byte-exactly', () => {
    const bytes = encodeConfiguration(cdWriter);
    assert.equal(
      toHex(bytes),
      [
        '00000038 0000 0009', // data length 56, current profile CD-R
        '0000 03 0c 001b0000 00090100 00080000', // profile list, persistent + current
        '0001 0b 08 00000008 03000000', // core v2: USB, INQ2, DBE
        '0003 03 04 39000000', // removable medium: tray, load, eject, lock
        '002d 09 04 46000001', // CD TAO v2: BUF, test write, CD-RW, data type 0
        '0106 01 04 00000002', // unknown to webdisc: raw
      ]
        .join('')
        .replace(/ /g, ''),
    );
    assert.deepEqual(parseConfiguration(bytes), cdWriter);
  });

  it('reads the header alone (current profile, length to ask for)', () => {
    const bytes = encodeConfiguration(cdWriter);
    assert.deepEqual(parseConfigurationHeader(bytes.subarray(0, 8)), {
      totalLength: bytes.length,
      currentProfile: PROFILE.CD_R,
    });
    const error = caught(() => parseConfiguration(bytes.subarray(0, 8)));
    assert.ok(error instanceof TruncatedResponseError);
    assert.equal(error.needed, bytes.length);
    assert.throws(() => parseConfigurationHeader(bytes.subarray(0, 7)), DecodeError);
    assert.throws(() => parseConfigurationHeader(fromHex('0000000300000000')), DecodeError);
  });

  it('finds features, ignores zero padding, accepts an empty list (RT=2 for an absent feature)', () => {
    const padded = new Uint8Array(4096);
    padded.set(encodeConfiguration(cdWriter));
    const parsed = parseConfiguration(padded);
    assert.deepEqual(parsed, cdWriter);
    const core = findFeature(parsed, FeatureCode.Core);
    assert.ok(core?.kind === 'core');
    assert.equal(core.physicalInterface, PhysicalInterface.Usb);
    assert.equal(findFeature(parsed, FeatureCode.BdWrite), undefined);
    assert.deepEqual(parseConfiguration(fromHex('00000004 0000 0043')), {
      currentProfile: PROFILE.BD_RE,
      features: [],
    });
  });

  it('round-trips arbitrary feature lists', () => {
    fc.assert(
      fc.property(u16, fc.array(featureArb, { maxLength: 8 }), (currentProfile, features) => {
        const config: Configuration = { currentProfile, features };
        assert.deepEqual(parseConfiguration(encodeConfiguration(config)), config);
      }),
    );
  });

  it('rejects descriptors that run past the data length', () => {
    assert.throws(() => parseConfiguration(fromHex('00000008 00000009 00010008')), DecodeError);
    assert.throws(() => parseConfiguration(fromHex('00000006 00000009 0001')), DecodeError);
  });

  it('parses random bytes and truncations to a value or a DecodeError', () => {
    const valid = encodeConfiguration(cdWriter);
    for (let n = 0; n < valid.length; n++) {
      valueOrDecodeError(() => parseConfiguration(valid.subarray(0, n)));
      valueOrDecodeError(() => parseConfigurationHeader(valid.subarray(0, n)));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        valueOrDecodeError(() => parseConfiguration(bytes));
        // The same bytes behind a matching length field reach the descriptor decoders.
        const framed = new Uint8Array(8 + bytes.length);
        framed[3] = 4 + bytes.length;
        framed.set(bytes, 8);
        valueOrDecodeError(() => parseConfiguration(framed));
      }),
    );
  });
});

describe('feature descriptors (MMC-6 §5.3)', () => {
  it('decodes each typed feature from known bytes', () => {
    const cases: [string, Partial<Feature> & { kind: Feature['kind'] }][] = [
      [
        '0001 0b 04 00000002',
        {
          kind: 'core',
          version: 2,
          physicalInterface: PhysicalInterface.Atapi,
          inq2: false,
          dbe: false,
        },
      ],
      [
        '0010 05 08 00000800 0001 0100',
        { kind: 'randomReadable', blockSize: 2048, blocking: 1, pagePresent: true },
      ],
      [
        '0020 05 0c 0022ffff 00000800 0010 0100',
        { kind: 'randomWritable', lastLba: 0x22ffff, blockSize: 2048, blocking: 16 },
      ],
      [
        '0021 05 08 0001 07 02 07 10 0000',
        {
          kind: 'incrementalStreaming',
          dataBlockTypes: 1,
          trio: true,
          arsv: true,
          buf: true,
          linkSizes: [7, 16],
        },
      ],
      [
        '0023 09 08 8b000000 01000000',
        {
          kind: 'formattable',
          frf: true,
          renosa: true,
          expand: false,
          qcert: true,
          cert: true,
          rrm: true,
        },
      ],
      [
        '002a 05 04 01 02 0000',
        { kind: 'dvdPlusRw', write: true, quickStart: true, closeOnly: false },
      ],
      ['002b 01 04 01000000', { kind: 'dvdPlusR', write: true }],
      [
        '002e 01 04 6c 001000',
        {
          kind: 'cdMastering',
          buf: true,
          sao: true,
          raw: true,
          testWrite: true,
          rawMultiSession: false,
          maxCueSheetLength: 0x1000,
        },
      ],
      [
        '002f 09 04 4e000000',
        { kind: 'dvdRWrite', buf: true, rdl: true, testWrite: true, dvdRw: true },
      ],
      [
        '0107 01 04 1f000000',
        { kind: 'realTimeStreaming', rbcb: true, scs: true, mp2a: true, wspd: true, sw: true },
      ],
      ['0108 01 08 4b 5a 31 32 33 20 20 20', { kind: 'serialNumber', serialNumber: 'KZ123' }],
    ];
    for (const [hex, expected] of cases) {
      const feature = parseFeature(fromHex(hex));
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(
          (feature as unknown as Record<string, unknown>)[key],
          value,
          `${hex}: ${key}`,
        );
      }
    }
  });

  it('decodes the BD read/write class bitmaps', () => {
    const read = parseFeature(
      fromHex('0040 05 1c 00000000 0002 0000 0000 0000 0002 0000 0000 0000 0003 0000 0000 0000'),
    );
    assert.ok(read.kind === 'bdRead');
    assert.deepEqual(
      [read.bdRe, read.bdR, read.bdRom],
      [
        [2, 0, 0, 0],
        [2, 0, 0, 0],
        [3, 0, 0, 0],
      ],
    );
    const write = parseFeature(
      fromHex('0041 05 14 01000000 0006 0000 0000 0000 0002 0000 0000 0000'),
    );
    assert.ok(write.kind === 'bdWrite');
    assert.deepEqual([write.svnr, write.bdRe, write.bdR], [true, [6, 0, 0, 0], [2, 0, 0, 0]]);
  });

  it('reads the absent bytes of older, shorter versions as zero', () => {
    const core0 = parseFeature(fromHex('0001 03 04 00000008'));
    assert.deepEqual(core0, {
      code: 1,
      version: 0,
      persistent: true,
      current: true,
      kind: 'core',
      physicalInterface: PhysicalInterface.Usb,
      inq2: false,
      dbe: false,
    });
    const formattable0 = parseFeature(fromHex('0023 01 00'));
    assert.ok(formattable0.kind === 'formattable');
    assert.equal(formattable0.cert, false);
  });

  it('keeps unknown features raw and rejects impossible ones', () => {
    assert.deepEqual(parseFeature(fromHex('0024 05 04 80000000')), {
      code: 0x24,
      version: 1,
      persistent: false,
      current: true,
      kind: 'raw',
      data: fromHex('80000000'),
    });
    assert.throws(
      () => parseFeature(fromHex('0021 01 04 0000 00 09')),
      DecodeError,
      'link sizes past the end',
    );
    assert.ok(
      caught(() => parseFeature(fromHex('0001 01 08 00000008'))) instanceof TruncatedResponseError,
    );
    assert.throws(() => parseFeature(fromHex('0001 01')), DecodeError);
  });

  it('encodes with canonical lengths and checks values', () => {
    assert.equal(
      toHex(
        encodeFeature({
          kind: 'dvdPlusR',
          code: FeatureCode.DvdPlusR,
          version: 0,
          persistent: false,
          current: true,
          write: true,
        }),
      ),
      '002b010401000000',
    );
    assert.equal(
      toHex(
        encodeFeature({
          kind: 'incrementalStreaming',
          code: FeatureCode.IncrementalStreamingWritable,
          version: 1,
          persistent: false,
          current: false,
          dataBlockTypes: 1,
          trio: false,
          arsv: false,
          buf: true,
          linkSizes: [7],
        }),
      ),
      '0021040800010101' + '07000000',
    );
    const serial = encodeFeature({
      kind: 'serialNumber',
      code: FeatureCode.DriveSerialNumber,
      version: 0,
      persistent: true,
      current: true,
      serialNumber: 'KZ123',
    });
    assert.equal(toHex(serial), '01080308' + '4b5a313233202020');
    const core = cdWriter.features[1]!;
    assert.throws(
      () => encodeFeature({ ...core, code: 0x0002 }),
      RangeError,
      'kind and code disagree',
    );
    assert.throws(() => encodeFeature({ ...core, version: 16 }), RangeError);
    assert.throws(
      () =>
        encodeFeature({
          kind: 'raw',
          code: 0x10000,
          version: 0,
          persistent: false,
          current: false,
          data: new Uint8Array(0),
        }),
      RangeError,
    );
    assert.throws(
      () =>
        encodeFeature({
          kind: 'raw',
          code: 1,
          version: 0,
          persistent: false,
          current: false,
          data: new Uint8Array(256),
        }),
      RangeError,
    );
    assert.throws(() => encodeConfiguration({ currentProfile: 0x10000, features: [] }), RangeError);
  });

  it('round-trips every kind on its own', () => {
    fc.assert(
      fc.property(featureArb, (feature) =>
        assert.deepEqual(parseFeature(encodeFeature(feature)), feature),
      ),
    );
  });

  it('parses random descriptors to a value or a DecodeError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(FeatureCode), 0x1234),
        fc.uint8Array({ maxLength: 40 }),
        fc.nat(50),
        (code, body, declared) => {
          const d = new Uint8Array(4 + body.length);
          d[0] = code >> 8;
          d[1] = code & 0xff;
          d[3] = declared;
          d.set(body, 4);
          valueOrDecodeError(() => parseFeature(d));
        },
      ),
    );
  });
});

describe('profiles (MMC-6 §5.3.1)', () => {
  it('names every profile of the protocol notes', () => {
    const expected: [number, string][] = [
      [0x0008, 'CD-ROM'],
      [0x0009, 'CD-R'],
      [0x000a, 'CD-RW'],
      [0x0010, 'DVD-ROM'],
      [0x0011, 'DVD-R sequential'],
      [0x0012, 'DVD-RAM'],
      [0x0013, 'DVD-RW restricted overwrite'],
      [0x0014, 'DVD-RW sequential'],
      [0x0015, 'DVD-R DL sequential'],
      [0x0016, 'DVD-R DL layer jump'],
      [0x001a, 'DVD+RW'],
      [0x001b, 'DVD+R'],
      [0x002b, 'DVD+R DL'],
      [0x0040, 'BD-ROM'],
      [0x0041, 'BD-R SRM'],
      [0x0042, 'BD-R RRM'],
      [0x0043, 'BD-RE'],
    ];
    for (const [code, name] of expected) assert.equal(profileName(code), name);
    for (const code of Object.values(PROFILE)) assert.ok(PROFILE_NAMES[code], `name for ${code}`);
    assert.equal(profileName(0x1234), 'profile 0x1234');
    assert.equal(profileName(0), 'no current profile');
  });
});
