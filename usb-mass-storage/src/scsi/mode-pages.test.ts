import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex, toHex } from '../struct.ts';
import { TruncatedResponseError } from './bytes.ts';
import {
  type Capabilities,
  DataBlockType,
  DEFAULT_WRITE_PARAMETERS,
  encodeCapabilities,
  encodeModeParameterList,
  encodeWriteParameters,
  findModePage,
  LoadingMechanism,
  ModePageCode,
  type ModeParameterList,
  modePageCode,
  modeSubpageCode,
  MultiSession,
  parseCapabilities,
  parseModeParameterList,
  parseWriteParameters,
  TrackMode,
  type WriteParameters,
  WriteType,
} from './mode-pages.ts';

function valueOrDecodeError(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof DecodeError, `expected DecodeError, got ${String(error)}`);
  }
}

function fuzzParser(parse: (data: Uint8Array) => unknown, valid: Uint8Array): void {
  for (let n = 0; n < valid.length; n++) valueOrDecodeError(() => parse(valid.subarray(0, n)));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) =>
      valueOrDecodeError(() => parse(bytes)),
    ),
  );
  // Random bodies behind the valid page/list header reach the field decoders.
  fc.assert(
    fc.property(fc.uint8Array({ minLength: valid.length, maxLength: valid.length }), (bytes) => {
      const mixed = bytes.slice();
      mixed.set(valid.subarray(0, 2));
      valueOrDecodeError(() => parse(mixed));
    }),
  );
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

/** Drops `raw`, which parsers add, to compare the named fields only. */
function named<T extends { raw?: Uint8Array }>(value: T): Omit<T, 'raw'> {
  const copy: T = { ...value };
  delete copy.raw;
  return copy;
}

const byte = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });

const DEFAULT_PAGE_05 =
  '0532' + '0104' + '0800' + '0000' + '0000' + '00000000' + '0096' + '00'.repeat(36);

describe('mode parameter list (SPC-4 §7.5.4)', () => {
  const page05 = fromHex(DEFAULT_PAGE_05);
  const subpage = fromHex('41 02 0004 01020304');
  const list: ModeParameterList = {
    mediumType: 0,
    deviceSpecific: 0,
    longLba: false,
    blockDescriptors: new Uint8Array(0),
    pages: [page05, subpage],
  };

  it('encodes MODE SENSE data byte-exactly and round-trips', () => {
    const bytes = encodeModeParameterList(list);
    assert.equal(toHex(bytes), '0042000000000000' + DEFAULT_PAGE_05 + '410200040102030' + '4');
    assert.deepEqual(parseModeParameterList(bytes), list);
    assert.equal(modePageCode(subpage), 0x01);
    assert.equal(modeSubpageCode(subpage), 0x02);
    assert.equal(modeSubpageCode(page05), undefined);
    assert.equal(findModePage(list, ModePageCode.WriteParameters), page05);
    assert.equal(findModePage(list, 0x01, 0x02), subpage);
    assert.equal(findModePage(list, 0x01, 0x03), undefined);
    assert.equal(findModePage(list, ModePageCode.Capabilities), undefined);
  });

  it('encodes MODE SELECT data with MODE DATA LENGTH 0 and PS cleared (SPC-4 §7.5.7)', () => {
    const saved = page05.slice();
    saved[0] = 0x85;
    const bytes = encodeModeParameterList({ ...list, pages: [saved] }, { select: true });
    assert.equal(toHex(bytes), '0000000000000000' + DEFAULT_PAGE_05);
    assert.equal(saved[0], 0x85, 'the caller’s page is not modified');
    assert.deepEqual(parseModeParameterList(bytes, { select: true }).pages, [page05]);
    assert.throws(
      () => parseModeParameterList(bytes),
      DecodeError,
      'length 0 is no MODE SENSE header',
    );
  });

  it('keeps block descriptors (QEMU sends one) and ignores zero padding', () => {
    const withBlock = fromHex('0016000000000008' + '0000000000000800' + '2a06000000000000');
    const parsed = parseModeParameterList(withBlock);
    assert.equal(toHex(parsed.blockDescriptors), '0000000000000800');
    assert.deepEqual(parsed.pages, [fromHex('2a06000000000000')]);
    assert.deepEqual(encodeModeParameterList(parsed), withBlock);
    const padded = new Uint8Array(256);
    padded.set(encodeModeParameterList(list));
    assert.deepEqual(parseModeParameterList(padded), list);
    const headerOnly = fromHex('0006000000000000');
    assert.deepEqual(parseModeParameterList(headerOnly).pages, []);
  });

  it('round-trips arbitrary lists', () => {
    const page = fc
      .tuple(
        fc.integer({ min: 0, max: 0x3f }),
        fc.boolean(),
        fc.boolean(),
        byte,
        fc.uint8Array({ maxLength: 40 }),
      )
      .map(([code, ps, spf, sub, body]) => {
        const header = spf
          ? [(ps ? 0x80 : 0) | 0x40 | code, sub, 0, body.length]
          : [(ps ? 0x80 : 0) | code, body.length];
        return Uint8Array.from([...header, ...body]);
      });
    fc.assert(
      fc.property(
        rec({
          mediumType: byte,
          deviceSpecific: byte,
          longLba: fc.boolean(),
          blockDescriptors: fc.uint8Array({ maxLength: 16 }),
          pages: fc.array(page, { maxLength: 5 }),
        }),
        (value) => assert.deepEqual(parseModeParameterList(encodeModeParameterList(value)), value),
      ),
    );
  });

  it('rejects truncated and inconsistent lists', () => {
    const bytes = encodeModeParameterList(list);
    const error = caught(() => parseModeParameterList(bytes.subarray(0, 30)));
    assert.ok(error instanceof TruncatedResponseError);
    assert.equal(error.needed, bytes.length);
    assert.throws(
      () => parseModeParameterList(fromHex('000a000000000000 0510')),
      DecodeError,
      'page past the end',
    );
    assert.throws(
      () => parseModeParameterList(fromHex('0007000000000000 05')),
      DecodeError,
      'half a page header',
    );
    assert.throws(
      () => parseModeParameterList(fromHex('0006000000000010')),
      DecodeError,
      'block descriptors past the end',
    );
    assert.throws(
      () => parseModeParameterList(fromHex('0005000000000000')),
      DecodeError,
      'shorter than the header',
    );
    assert.throws(
      () => encodeModeParameterList({ ...list, pages: [fromHex('0504000000')] }),
      RangeError,
      'page bytes must match its page length',
    );
    assert.throws(() => encodeModeParameterList({ ...list, mediumType: 256 }), RangeError);
    fuzzParser(parseModeParameterList, bytes);
    fuzzParser((d) => parseModeParameterList(d, { select: true }), bytes);
  });
});

describe('write parameters page 05h (MMC-6 §7.5)', () => {
  it('encodes the TAO Mode 1 defaults byte-exactly', () => {
    assert.equal(toHex(encodeWriteParameters(DEFAULT_WRITE_PARAMETERS)), DEFAULT_PAGE_05);
    assert.deepEqual(
      named(parseWriteParameters(fromHex(DEFAULT_PAGE_05))),
      DEFAULT_WRITE_PARAMETERS,
    );
  });

  it('places every field (write type, test write, BUFE, LS_V, multisession, track mode, block type)', () => {
    const value: WriteParameters = {
      ...DEFAULT_WRITE_PARAMETERS,
      ps: true,
      bufe: true,
      lsValid: true,
      testWrite: true,
      writeType: WriteType.SessionAtOnce,
      multiSession: MultiSession.Open,
      fixedPacket: true,
      copy: true,
      trackMode: TrackMode.DataIncremental,
      dataBlockType: DataBlockType.Mode2Form1,
      linkSize: 7,
      hostApplicationCode: 0x3f,
      sessionFormat: 0x20,
      packetSize: 0x10,
      audioPauseLength: 0,
    };
    const bytes = encodeWriteParameters(value);
    assert.equal(
      toHex(bytes.subarray(0, 16)),
      '8532' + '72' + 'f5' + '0a07003f2000' + '00000010' + '0000',
    );
    assert.deepEqual(named(parseWriteParameters(bytes)), value);
  });

  it('keeps the rest of the page (MCN, ISRC, reserved bits) across a change', () => {
    const page = fromHex(DEFAULT_PAGE_05);
    page.set(
      Uint8Array.from('1234567890123', (c) => c.charCodeAt(0)),
      17,
    );
    page[16] = 0x80; // MCVAL
    page[2] = page[2]! | 0x80;
    page[6] = 0x5a;
    const changed = encodeWriteParameters({ ...parseWriteParameters(page), testWrite: true });
    assert.equal(changed[2], 0x80 | 0x10 | 0x01);
    changed[2] = page[2]!;
    assert.deepEqual(changed, page);
  });

  it('encode(parse(page)) gives back the page, for any page; parse(encode(value)) the value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 60 }), fc.boolean(), (body, ps) => {
        const page = body.slice();
        page[0] = (ps ? 0x80 : 0) | 0x05;
        page[1] = page.length - 2;
        assert.deepEqual(encodeWriteParameters(parseWriteParameters(page)), page);
      }),
    );
    fc.assert(
      fc.property(
        rec({
          ps: fc.boolean(),
          bufe: fc.boolean(),
          lsValid: fc.boolean(),
          testWrite: fc.boolean(),
          writeType: fc.integer({ min: 0, max: 15 }),
          multiSession: fc.integer({ min: 0, max: 3 }),
          fixedPacket: fc.boolean(),
          copy: fc.boolean(),
          trackMode: fc.integer({ min: 0, max: 15 }),
          dataBlockType: fc.integer({ min: 0, max: 15 }),
          linkSize: byte,
          hostApplicationCode: fc.integer({ min: 0, max: 0x3f }),
          sessionFormat: byte,
          packetSize: fc.integer({ min: 0, max: 0xffffffff }),
          audioPauseLength: u16,
        }),
        (value) =>
          assert.deepEqual(named(parseWriteParameters(encodeWriteParameters(value))), value),
      ),
    );
  });

  it('rejects other pages, short pages and bad values', () => {
    assert.throws(() => parseWriteParameters(fromHex('2a0e' + '00'.repeat(14))), DecodeError);
    assert.throws(
      () => parseWriteParameters(fromHex('050c' + '00'.repeat(12))),
      DecodeError,
      'shorter than 16 bytes',
    );
    assert.throws(
      () => parseWriteParameters(fromHex('4505' + '00'.repeat(50))),
      DecodeError,
      'sub_page format',
    );
    assert.ok(
      caught(() => parseWriteParameters(fromHex(DEFAULT_PAGE_05).subarray(0, 40))) instanceof
        TruncatedResponseError,
    );
    assert.throws(
      () => encodeWriteParameters({ ...DEFAULT_WRITE_PARAMETERS, writeType: 16 }),
      RangeError,
    );
    assert.throws(
      () => encodeWriteParameters({ ...DEFAULT_WRITE_PARAMETERS, multiSession: 4 }),
      RangeError,
    );
    assert.throws(
      () => encodeWriteParameters({ ...DEFAULT_WRITE_PARAMETERS, audioPauseLength: 0x10000 }),
      RangeError,
    );
    assert.throws(
      () => encodeWriteParameters({ ...DEFAULT_WRITE_PARAMETERS, raw: new Uint8Array(10) }),
      RangeError,
    );
    fuzzParser(parseWriteParameters, fromHex(DEFAULT_PAGE_05));
  });
});

/** A DVD writer's page 2Ah, MMC-3 form with two write speed descriptors. */
const writer: Capabilities = {
  ps: true,
  read: { cdR: true, cdRw: true, method2: true, dvdRom: true, dvdR: true, dvdRam: true },
  write: { cdR: true, cdRw: true, testWrite: true, dvdR: true, dvdRam: false },
  buf: true,
  multiSession: true,
  mode2Form1: true,
  mode2Form2: true,
  audioPlay: true,
  c2Pointers: true,
  cddaStreamAccurate: true,
  cddaCommands: true,
  loadingMechanism: LoadingMechanism.Tray,
  eject: true,
  preventJumper: false,
  lockState: false,
  lock: true,
  maxReadSpeed: 8467,
  volumeLevels: 256,
  bufferSize: 2048,
  currentReadSpeed: 8467,
  maxWriteSpeed: 7056,
  currentWriteSpeed: 7056,
  copyManagementRevision: 1,
  rotationControlSelected: 1,
  currentWriteSpeedSelected: 7056,
  writeSpeeds: [
    { rotationControl: 1, speed: 7056 },
    { rotationControl: 0, speed: 1764 },
  ],
};

describe('capabilities page 2Ah (MMC-3 §5.5.10)', () => {
  it('encodes byte-exactly and round-trips', () => {
    const bytes = encodeCapabilities(writer);
    assert.equal(
      toHex(bytes),
      'aa26' +
        '3f17' +
        'f113' +
        '2900' +
        '2113' +
        '0100' +
        '0800' +
        '2113' +
        '0000' +
        '1b90' +
        '1b90' +
        '0001' +
        '000000' +
        '01' +
        '1b90' +
        '0002' +
        '00011b90' +
        '000006e4',
    );
    assert.deepEqual(named(parseCapabilities(bytes)), writer);
  });

  it('reads the MMC-1 (QEMU, 20 bytes) and MMC-2 (22/24 bytes) forms', () => {
    const full = encodeCapabilities(writer);
    for (const [size, present] of [
      [20, []],
      [22, ['currentWriteSpeed']],
      [24, ['currentWriteSpeed', 'copyManagementRevision']],
      [
        30,
        [
          'currentWriteSpeed',
          'copyManagementRevision',
          'rotationControlSelected',
          'currentWriteSpeedSelected',
        ],
      ],
    ] as const) {
      const page = full.slice(0, size);
      page[1] = size - 2;
      const parsed = parseCapabilities(page);
      for (const key of [
        'currentWriteSpeed',
        'copyManagementRevision',
        'rotationControlSelected',
        'currentWriteSpeedSelected',
      ] as const) {
        assert.equal(
          key in parsed,
          (present as readonly string[]).includes(key),
          `${key} at ${size} bytes`,
        );
      }
      assert.deepEqual(parsed.writeSpeeds, []);
      assert.equal(parsed.maxWriteSpeed, 7056);
      assert.deepEqual(encodeCapabilities(parsed), page, `${size}-byte page round trip`);
      const fresh = encodeCapabilities(named(parsed));
      assert.equal(fresh.length, size === 30 ? 32 : size, 'a new page of the same level');
    }
  });

  it('encode(parse(page)) gives back any consistent page; unnamed bits survive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 72 }),
        fc.uint8Array({ minLength: 72, maxLength: 72 }),
        (size, body) => {
          const page = body.slice(0, size);
          page[0] = (page[0]! & 0x80) | 0x2a;
          page[1] = size - 2;
          if (size >= 32) {
            page[30] = 0;
            page[31] = Math.floor((size - 32) / 4);
          }
          assert.deepEqual(encodeCapabilities(parseCapabilities(page)), page);
        },
      ),
    );
  });

  it('round-trips arbitrary MMC-3 values', () => {
    const bool = fc.boolean();
    fc.assert(
      fc.property(
        rec({
          ps: fc.boolean(),
          read: rec({
            cdR: bool,
            cdRw: bool,
            method2: bool,
            dvdRom: bool,
            dvdR: bool,
            dvdRam: bool,
          }),
          write: rec({ cdR: bool, cdRw: bool, testWrite: bool, dvdR: bool, dvdRam: bool }),
          buf: fc.boolean(),
          multiSession: fc.boolean(),
          mode2Form1: fc.boolean(),
          mode2Form2: fc.boolean(),
          audioPlay: fc.boolean(),
          c2Pointers: fc.boolean(),
          cddaStreamAccurate: fc.boolean(),
          cddaCommands: fc.boolean(),
          loadingMechanism: fc.integer({ min: 0, max: 7 }),
          eject: fc.boolean(),
          preventJumper: fc.boolean(),
          lockState: fc.boolean(),
          lock: fc.boolean(),
          maxReadSpeed: u16,
          volumeLevels: u16,
          bufferSize: u16,
          currentReadSpeed: u16,
          maxWriteSpeed: u16,
          currentWriteSpeed: u16,
          copyManagementRevision: u16,
          rotationControlSelected: fc.integer({ min: 0, max: 3 }),
          currentWriteSpeedSelected: u16,
          writeSpeeds: fc.array(
            rec({ rotationControl: fc.integer({ min: 0, max: 7 }), speed: u16 }),
            { maxLength: 20 },
          ),
        }),
        (value) => assert.deepEqual(named(parseCapabilities(encodeCapabilities(value))), value),
      ),
    );
  });

  it('rejects inconsistent, short and truncated pages', () => {
    const bytes = encodeCapabilities(writer);
    const tooMany = bytes.slice();
    tooMany[31] = 3;
    assert.throws(() => parseCapabilities(tooMany), DecodeError, 'descriptors past the page');
    assert.throws(
      () => parseCapabilities(fromHex('2a10' + '00'.repeat(16))),
      DecodeError,
      'page length 16 < 18',
    );
    assert.throws(() => parseCapabilities(fromHex(DEFAULT_PAGE_05)), DecodeError, 'another page');
    assert.ok(
      caught(() => parseCapabilities(bytes.subarray(0, 30))) instanceof TruncatedResponseError,
    );
    assert.throws(() => encodeCapabilities({ ...writer, loadingMechanism: 8 }), RangeError);
    assert.throws(() => encodeCapabilities({ ...writer, bufferSize: 0x10000 }), RangeError);
    assert.throws(
      () =>
        encodeCapabilities({
          ...writer,
          writeSpeeds: Array.from({ length: 60 }, () => ({ rotationControl: 0, speed: 1 })),
        }),
      RangeError,
      'a page holds at most 255 bytes',
    );
    fuzzParser(parseCapabilities, bytes);
  });
});
