/** MMC responses: READ TRACK INFORMATION, READ BUFFER CAPACITY, the FORMAT UNIT list, MECHANISM STATUS, SEND CUE SHEET (split from mmc.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSendCueSheetCdb } from '../testing/cdb-decoders.ts';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex, toHex } from '../struct.ts';
import { TruncatedResponseError } from './bytes.ts';
import type { ScsiRequest } from './command.ts';
import {
  type BufferCapacity,
  ChangerState,
  CD_PREGAP_SECTORS,
  CUE_LEAD_OUT_TNO,
  CueAdr,
  CueControl,
  CueDataForm,
  cueEntryLba,
  type CueSheetEntry,
  dataTrackCueSheet,
  encodeBufferCapacity,
  encodeCueSheet,
  encodeFormatParameterList,
  encodeMechanismStatus,
  encodeTrackInformation,
  FormatType,
  type MechanismStatus,
  MIN_CD_TRACK_SECTORS,
  parseBufferCapacity,
  parseCueSheet,
  parseFormatParameterList,
  parseMechanismStatus,
  parseTrackInformation,
  sendCueSheet,
  setCdSpeed,
  type TrackInformation,
} from './mmc.ts';

function valueOrDecodeError(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof DecodeError, `expected DecodeError, got ${String(error)}`);
  }
}

/** Every proper prefix of a valid response, and random bytes, parse to a value or a DecodeError. */
function fuzzParser(parse: (data: Uint8Array) => unknown, valid: Uint8Array): void {
  for (let n = 0; n < valid.length; n++) valueOrDecodeError(() => parse(valid.subarray(0, n)));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) =>
      valueOrDecodeError(() => parse(bytes)),
    ),
  );
  // Random bytes behind a plausible length header reach past the header checks.
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 2, maxLength: 80 }), (bytes) => {
      const withLength = bytes.slice();
      withLength[0] = 0;
      withLength[1] = bytes.length - 2;
      valueOrDecodeError(() => parse(withLength));
    }),
  );
}

/** Returns the error `fn` throws (fails if it throws none). */
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

const byte = fc.integer({ min: 0, max: 0xff });
const nibble = fc.integer({ min: 0, max: 0x0f });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

function cdbHex(request: ScsiRequest): string {
  return toHex(request.cdb, ' ');
}

const invisibleTrack: TrackInformation = {
  trackNumber: 2,
  sessionNumber: 2,
  damage: false,
  copy: false,
  trackMode: 4,
  reservedTrack: false,
  blank: true,
  packet: true,
  fixedPacket: false,
  dataMode: 1,
  lraValid: false,
  nwaValid: true,
  trackStart: 11400,
  nextWritableAddress: 11400,
  freeBlocks: 348000,
  fixedPacketSize: 0,
  trackSize: 348000,
  lastRecordedAddress: 0,
  readCompatibilityLba: 0,
  nextLayerJumpAddress: 0,
  lastLayerJumpAddress: 0,
};

describe('READ TRACK INFORMATION response', () => {
  it('encodes byte-exactly (MMC-6 §6.27.3) and round-trips', () => {
    const bytes = encodeTrackInformation(invisibleTrack);
    assert.equal(
      toHex(bytes),
      '002e0202' +
        '00046101' +
        '00002c88' +
        '00002c88' +
        '00054f60' +
        '00000000' +
        '00054f60' +
        '00000000' +
        '00000000' +
        '00000000' +
        '00000000' +
        '00000000',
    );
    assert.deepEqual(parseTrackInformation(bytes), invisibleTrack);
  });

  it('reads the older 28- and 36-byte forms without the newer fields', () => {
    const full = encodeTrackInformation({
      ...invisibleTrack,
      trackNumber: 0x102,
      lastRecordedAddress: 9,
    });
    const mmc1 = full.slice(0, 28);
    mmc1[1] = 26;
    const parsed1 = parseTrackInformation(mmc1);
    assert.equal(parsed1.trackNumber, 2, 'no MSB byte in the 28-byte form');
    assert.equal(parsed1.lastRecordedAddress, undefined);
    assert.equal('readCompatibilityLba' in parsed1, false);
    const mmc3 = full.slice(0, 36);
    mmc3[1] = 34;
    const parsed3 = parseTrackInformation(mmc3);
    assert.deepEqual([parsed3.trackNumber, parsed3.lastRecordedAddress], [0x102, 9]);
    assert.equal(parsed3.nextLayerJumpAddress, undefined);
  });

  it('round-trips arbitrary values and checks fields', () => {
    fc.assert(
      fc.property(
        rec({
          trackNumber: u16,
          sessionNumber: u16,
          damage: fc.boolean(),
          copy: fc.boolean(),
          trackMode: nibble,
          reservedTrack: fc.boolean(),
          blank: fc.boolean(),
          packet: fc.boolean(),
          fixedPacket: fc.boolean(),
          dataMode: nibble,
          lraValid: fc.boolean(),
          nwaValid: fc.boolean(),
          trackStart: u32,
          nextWritableAddress: u32,
          freeBlocks: u32,
          fixedPacketSize: u32,
          trackSize: u32,
          lastRecordedAddress: u32,
          readCompatibilityLba: u32,
          nextLayerJumpAddress: u32,
          lastLayerJumpAddress: u32,
        }),
        (v) => assert.deepEqual(parseTrackInformation(encodeTrackInformation(v)), v),
      ),
    );
    assert.throws(() => encodeTrackInformation({ ...invisibleTrack, freeBlocks: -1 }), RangeError);
    assert.throws(() => encodeTrackInformation({ ...invisibleTrack, trackMode: 16 }), RangeError);
  });

  it('rejects short and truncated data', () => {
    const bytes = encodeTrackInformation(invisibleTrack);
    assert.throws(() => parseTrackInformation(fromHex('0018' + '00'.repeat(24))), DecodeError);
    const error = caught(() => parseTrackInformation(bytes.subarray(0, 40)));
    assert.ok(error instanceof TruncatedResponseError);
    assert.equal(error.needed, 48);
    fuzzParser(parseTrackInformation, bytes);
  });
});

describe('READ BUFFER CAPACITY response', () => {
  it('byte-exact, round trips, truncation', () => {
    const value: BufferCapacity = { bufferLength: 0x200000, availableLength: 0x1ff800 };
    const bytes = encodeBufferCapacity(value);
    assert.equal(toHex(bytes), '000a0000' + '00200000' + '001ff800');
    assert.deepEqual(parseBufferCapacity(bytes), value);
    for (const v of [0, 1, 0xffffffff]) {
      const b = { bufferLength: v, availableLength: v };
      assert.deepEqual(parseBufferCapacity(encodeBufferCapacity(b)), b);
    }
    assert.throws(
      () => encodeBufferCapacity({ bufferLength: 2 ** 32, availableLength: 0 }),
      RangeError,
    );
    assert.throws(() => parseBufferCapacity(fromHex('0006' + '00'.repeat(6))), DecodeError);
    fuzzParser(parseBufferCapacity, bytes);
  });
});

describe('FORMAT UNIT parameter list', () => {
  it('round-trips and rejects bad lists', () => {
    fc.assert(
      fc.property(
        rec({
          fov: fc.boolean(),
          dcrt: fc.boolean(),
          tryOut: fc.boolean(),
          immed: fc.boolean(),
          numberOfBlocks: u32,
          formatType: fc.integer({ min: 0, max: 0x3f }),
          formatSubtype: fc.integer({ min: 0, max: 3 }),
          typeDependent: fc.integer({ min: 0, max: 0xffffff }),
        }),
        (v) => assert.deepEqual(parseFormatParameterList(encodeFormatParameterList(v)), v),
      ),
    );
    assert.throws(() => parseFormatParameterList(fromHex('00020004 ffffffff')), DecodeError);
    const valid = encodeFormatParameterList({
      fov: true,
      dcrt: false,
      tryOut: false,
      immed: true,
      numberOfBlocks: 1,
      formatType: FormatType.BdReWithoutSpare,
      formatSubtype: 0,
      typeDependent: 0x800,
    });
    fuzzParser(parseFormatParameterList, valid);
  });
});

describe('MECHANISM STATUS response', () => {
  const status: MechanismStatus = {
    fault: false,
    changerState: ChangerState.Ready,
    currentSlot: 0,
    mechanismState: 0,
    doorOpen: true,
    currentLba: 0,
    slotsAvailable: 1,
    slots: [{ discPresent: false, change: true }],
  };

  it('byte-exact, round trips (MMC-6 §6.11.2)', () => {
    const bytes = encodeMechanismStatus(status);
    assert.equal(toHex(bytes), '00100000' + '00010004' + '01000000');
    assert.deepEqual(parseMechanismStatus(bytes), status);
    const slot = rec({ discPresent: fc.boolean(), change: fc.boolean() });
    fc.assert(
      fc.property(
        rec({
          fault: fc.boolean(),
          changerState: fc.integer({ min: 0, max: 3 }),
          currentSlot: byte,
          mechanismState: fc.integer({ min: 0, max: 7 }),
          doorOpen: fc.boolean(),
          currentLba: fc.integer({ min: 0, max: 0xffffff }),
          slotsAvailable: byte,
          slots: fc.array(slot, { maxLength: 8 }),
        }),
        (v) => assert.deepEqual(parseMechanismStatus(encodeMechanismStatus(v)), v),
      ),
    );
    assert.throws(() => encodeMechanismStatus({ ...status, currentLba: 0x1000000 }), RangeError);
  });

  it('rejects truncated or inconsistent slot tables', () => {
    const bytes = encodeMechanismStatus(status);
    assert.ok(
      caught(() => parseMechanismStatus(bytes.subarray(0, 10))) instanceof TruncatedResponseError,
    );
    assert.throws(() => parseMechanismStatus(fromHex('0000000000000003 000000')), DecodeError);
    const padded = new Uint8Array(256);
    padded.set(bytes);
    assert.deepEqual(parseMechanismStatus(padded), status);
    fuzzParser(parseMechanismStatus, bytes);
  });
});

describe('SEND CUE SHEET (MMC-6 §6.33)', () => {
  it('CDB byte-exact: size in bytes 6-8, the cue sheet as data out', () => {
    const sheet = new Uint8Array(32);
    const request = sendCueSheet(sheet);
    assert.equal(cdbHex(request), '5d 00 00 00 00 00 00 00 20 00');
    assert.deepEqual([request.direction, request.length], ['out', 32]);
    assert.equal(request.data, sheet);
    assert.equal(cdbHex(sendCueSheet(new Uint8Array(0xfffff8))), '5d 00 00 00 00 00 ff ff f8 00');
    assert.deepEqual(decodeSendCueSheetCdb(fromHex('5d0000000000012340 00')), {
      cueSheetSize: 0x012340,
    });
  });

  it('rejects empty, partial-entry and oversized cue sheets', () => {
    assert.throws(() => sendCueSheet(new Uint8Array(0)), RangeError);
    assert.throws(() => sendCueSheet(new Uint8Array(12)), RangeError);
    assert.throws(() => sendCueSheet(new Uint8Array(0x1000000)), RangeError);
    assert.throws(() => decodeSendCueSheetCdb(fromHex('5d00000000000000')), DecodeError);
    assert.throws(() => decodeSendCueSheetCdb(setCdSpeed().cdb), DecodeError);
  });

  it('one Mode 1 data track: lead-in, pre-gap, INDEX 01 at 00:02:00, lead-out (byte-exact)', () => {
    const sheet = dataTrackCueSheet({ sectors: 1000 });
    assert.equal(
      toHex(sheet, ' '),
      [
        '41 00 00 14 00 00 00 00', // lead-in, drive-generated, at the pre-gap
        '41 01 00 10 00 00 00 00', // track 1 pre-gap (INDEX 00): 150 blocks from the host, from LBA -150
        '41 01 01 10 00 00 02 00', // track 1 INDEX 01: LBA 0, Mode 1 from the host
        '41 aa 01 14 00 00 0f 19', // lead-out at LBA 1000 = 00:15:25
      ].join(' '),
    );
    const entries = parseCueSheet(sheet);
    assert.deepEqual(
      entries.map((e) => [e.tno, e.index, cueEntryLba(e)]),
      [
        [0, 0, -150],
        [1, 0, -150],
        [1, 1, 0],
        [CUE_LEAD_OUT_TNO, 1, 1000],
      ],
    );
    assert.deepEqual(encodeCueSheet(entries), sheet);
    const copy = parseCueSheet(dataTrackCueSheet({ sectors: 300, copyPermitted: true }));
    assert.ok(copy.every((e) => e.ctl === (CueControl.Data | CueControl.CopyPermitted)));
    assert.ok(copy.every((e) => e.adr === CueAdr.Position));
  });

  it('boundaries: 300 blocks minimum, the last MSF, a later start', () => {
    assert.throws(() => dataTrackCueSheet({ sectors: MIN_CD_TRACK_SECTORS - 1 }), RangeError);
    assert.throws(() => dataTrackCueSheet({ sectors: 1.5e3 + 0.5 }), RangeError);
    const longest = parseCueSheet(dataTrackCueSheet({ sectors: 404849 }));
    assert.deepEqual(
      [longest[3]!.min, longest[3]!.sec, longest[3]!.frame],
      [89, 59, 74], // LBA 404849 = 89:59:74: from 90:00:00 on, times are lead-in (negative)
    );
    assert.throws(() => dataTrackCueSheet({ sectors: 404850 }), RangeError);
    assert.throws(() => dataTrackCueSheet({ sectors: 300, startLba: 404849 - 299 }), RangeError);
    const later = parseCueSheet(dataTrackCueSheet({ sectors: 300, startLba: 11400 }));
    assert.deepEqual(
      later.map((e) => cueEntryLba(e)),
      [11400 - CD_PREGAP_SECTORS, 11400 - CD_PREGAP_SECTORS, 11400, 11700],
    );
    assert.deepEqual(
      later.map((e) => e.dataForm),
      [
        CueDataForm.Mode1Generated,
        CueDataForm.Mode1,
        CueDataForm.Mode1,
        CueDataForm.Mode1Generated,
      ],
    );
    const generated = parseCueSheet(dataTrackCueSheet({ sectors: 300, pregapFromHost: false }));
    assert.equal(generated[1]!.dataForm, CueDataForm.Mode1Generated, 'the drive makes the pre-gap');
  });

  it('entries round-trip byte for byte, ADR 2/3 text entries included', () => {
    const entry = rec<CueSheetEntry>({
      ctl: nibble,
      adr: nibble,
      tno: byte,
      index: byte,
      dataForm: byte,
      scms: byte,
      min: byte,
      sec: byte,
      frame: byte,
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        const bytes = encodeCueSheet(entries);
        assert.equal(bytes.length, entries.length * 8);
        assert.deepEqual(parseCueSheet(bytes), entries);
      }),
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 20 }).map((b) => b.slice(0, b.length - (b.length % 8))),
        (b) => assert.deepEqual(encodeCueSheet(parseCueSheet(b)), b),
      ),
    );
    const bad = {
      ctl: 4,
      adr: 1,
      tno: 1,
      index: 1,
      dataForm: 0x10,
      scms: 0,
      min: 0,
      sec: 2,
      frame: 0,
    };
    assert.throws(() => encodeCueSheet([{ ...bad, ctl: 16 }]), RangeError);
    assert.throws(() => encodeCueSheet([{ ...bad, adr: -1 }]), RangeError);
    assert.throws(() => encodeCueSheet([{ ...bad, frame: 256 }]), RangeError);
  });

  it('truncated and random input: entries or a DecodeError', () => {
    const sheet = dataTrackCueSheet({ sectors: 500 });
    for (let n = 0; n <= sheet.length; n++) {
      const part = sheet.subarray(0, n);
      if (n % 8 === 0) assert.equal(parseCueSheet(part).length, n / 8);
      else assert.throws(() => parseCueSheet(part), DecodeError);
    }
    fuzzParser(parseCueSheet, sheet);
  });
});
