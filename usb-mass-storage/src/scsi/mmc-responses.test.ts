/** MMC responses: READ TOC/PMA/ATIP, GET EVENT STATUS NOTIFICATION, READ DISC INFORMATION (split from mmc.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex, toHex } from '../struct.ts';
import { msfToLba, TruncatedResponseError } from './bytes.ts';
import {
  type Atip,
  type DiscInformation,
  DiscStatus,
  encodeAtip,
  encodeDiscInformation,
  encodeEventStatus,
  encodeFullToc,
  encodeSessionInfo,
  encodeToc,
  EventClassMask,
  type EventStatus,
  type FullToc,
  LEAD_OUT_TRACK,
  MediaEventCode,
  NotificationClass,
  parseAtip,
  parseDiscInformation,
  parseEventStatus,
  parseFullToc,
  parseSessionInfo,
  parseToc,
  SessionState,
  type SessionInfo,
  type Toc,
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

const sampleToc: Toc = {
  firstTrack: 1,
  lastTrack: 2,
  tracks: [
    { adr: 1, control: 4, trackNumber: 1, address: 0 },
    { adr: 1, control: 4, trackNumber: 2, address: 0x3000 },
    { adr: 1, control: 4, trackNumber: LEAD_OUT_TRACK, address: 0x5000 },
  ],
};

describe('READ TOC/PMA/ATIP responses', () => {
  it('TOC (format 0): byte-exact in LBA and MSF form, round trips', () => {
    const bytes = encodeToc(sampleToc);
    assert.equal(
      toHex(bytes),
      '001a0102' + '00140100' + '00000000' + '00140200' + '00003000' + '0014aa00' + '00005000',
    );
    assert.deepEqual(parseToc(bytes), sampleToc);
    const msf = encodeToc(sampleToc, { msf: true });
    assert.equal(toHex(msf.subarray(4, 12)), '00140100' + '00000200');
    assert.deepEqual(parseToc(msf, { msf: true }), sampleToc);
    // The header's length wins over zero padding.
    const padded = new Uint8Array(804);
    padded.set(bytes);
    assert.deepEqual(parseToc(padded), sampleToc);
  });

  it('TOC: boundaries and arbitrary values', () => {
    assert.deepEqual(parseToc(fromHex('00020101')), { firstTrack: 1, lastTrack: 1, tracks: [] });
    const track = rec({ adr: nibble, control: nibble, trackNumber: byte, address: u32 });
    fc.assert(
      fc.property(
        rec({ firstTrack: byte, lastTrack: byte, tracks: fc.array(track, { maxLength: 100 }) }),
        (toc) => assert.deepEqual(parseToc(encodeToc(toc)), toc),
      ),
    );
    assert.throws(() => encodeToc({ ...sampleToc, firstTrack: 256 }), RangeError);
    assert.throws(
      () =>
        encodeToc({ ...sampleToc, tracks: [{ adr: 16, control: 0, trackNumber: 1, address: 0 }] }),
      RangeError,
    );
    assert.throws(
      () =>
        encodeToc(
          { ...sampleToc, tracks: [{ adr: 1, control: 4, trackNumber: 1, address: 500000 }] },
          { msf: true },
        ),
      RangeError,
      'an LBA past 90 minutes has no MSF form',
    );
  });

  it('TOC: truncated or inconsistent input is a DecodeError', () => {
    const bytes = encodeToc(sampleToc);
    const error = caught(() => parseToc(bytes.subarray(0, 20)));
    assert.ok(error instanceof TruncatedResponseError);
    assert.equal(error.needed, 28);
    assert.throws(() => parseToc(fromHex('0005010100')), DecodeError, 'not a multiple of 8');
    assert.throws(() => parseToc(fromHex('0001')), DecodeError, 'less than the header');
    fuzzParser(parseToc, bytes);
    fuzzParser((d) => parseToc(d, { msf: true }), bytes);
  });

  it('session info (format 1)', () => {
    const info: SessionInfo = {
      firstSession: 1,
      lastSession: 2,
      adr: 1,
      control: 4,
      firstTrackInLastSession: 2,
      lastSessionStart: 11400,
    };
    const bytes = encodeSessionInfo(info);
    assert.equal(toHex(bytes), '000a0102' + '00140200' + '00002c88');
    assert.deepEqual(parseSessionInfo(bytes), info);
    assert.deepEqual(parseSessionInfo(encodeSessionInfo(info, { msf: true }), { msf: true }), info);
    fc.assert(
      fc.property(
        rec({
          firstSession: byte,
          lastSession: byte,
          adr: nibble,
          control: nibble,
          firstTrackInLastSession: byte,
          lastSessionStart: u32,
        }),
        (v) => assert.deepEqual(parseSessionInfo(encodeSessionInfo(v)), v),
      ),
    );
    assert.throws(() => parseSessionInfo(fromHex('00080101' + '00140100')), DecodeError);
    fuzzParser(parseSessionInfo, bytes);
  });

  it('full TOC (format 2): raw entries kept', () => {
    const full: FullToc = {
      firstSession: 1,
      lastSession: 1,
      entries: [
        {
          session: 1,
          adr: 1,
          control: 4,
          tno: 0,
          point: 0xa0,
          min: 0,
          sec: 0,
          frame: 0,
          zero: 0,
          pmin: 1,
          psec: 0,
          pframe: 0,
        },
        {
          session: 1,
          adr: 1,
          control: 4,
          tno: 0,
          point: 0xa2,
          min: 0,
          sec: 0,
          frame: 0,
          zero: 0,
          pmin: 4,
          psec: 35,
          pframe: 12,
        },
        {
          session: 1,
          adr: 5,
          control: 4,
          tno: 0,
          point: 0xb0,
          min: 6,
          sec: 5,
          frame: 12,
          zero: 2,
          pmin: 79,
          psec: 59,
          pframe: 74,
        },
      ],
    };
    const bytes = encodeFullToc(full);
    assert.equal(toHex(bytes.subarray(0, 15)), '00230101' + '011400a0000000000100' + '00');
    assert.equal(bytes.length, 4 + 33);
    assert.deepEqual(parseFullToc(bytes), full);
    const entry = rec({
      session: byte,
      adr: nibble,
      control: nibble,
      tno: byte,
      point: byte,
      min: byte,
      sec: byte,
      frame: byte,
      zero: byte,
      pmin: byte,
      psec: byte,
      pframe: byte,
    });
    fc.assert(
      fc.property(
        rec({ firstSession: byte, lastSession: byte, entries: fc.array(entry, { maxLength: 30 }) }),
        (v) => assert.deepEqual(parseFullToc(encodeFullToc(v)), v),
      ),
    );
    assert.throws(() => parseFullToc(fromHex('000c0101' + '00'.repeat(10))), DecodeError);
    assert.throws(
      () => encodeFullToc({ ...full, entries: [{ ...full.entries[0]!, point: 256 }] }),
      RangeError,
    );
    fuzzParser(parseFullToc, bytes);
  });

  it('ATIP (format 4), minimal', () => {
    const atip: Atip = {
      writingPower: 5,
      ddcd: false,
      referenceSpeed: 2,
      unrestrictedUse: false,
      rewritable: true,
      discSubType: 1,
      a1Valid: true,
      a2Valid: false,
      a3Valid: false,
      leadInStart: { minute: 97, second: 26, frame: 66 },
      lastLeadOutStart: { minute: 79, second: 59, frame: 74 },
      extra: fromHex('1a 50 80 00 00 00 00 00 00 00 00 00'),
    };
    const bytes = encodeAtip(atip);
    assert.equal(
      toHex(bytes),
      '001a0000' + 'd200cc00' + '611a4200' + '4f3b4a00' + '1a508000' + '00000000' + '00000000',
    );
    assert.deepEqual(parseAtip(bytes), atip);
    assert.equal(msfToLba(parseAtip(bytes).leadInStart), -11634);
    const msf = rec({ minute: byte, second: byte, frame: byte });
    fc.assert(
      fc.property(
        rec({
          writingPower: fc.integer({ min: 0, max: 7 }),
          ddcd: fc.boolean(),
          referenceSpeed: fc.integer({ min: 0, max: 7 }),
          unrestrictedUse: fc.boolean(),
          rewritable: fc.boolean(),
          discSubType: fc.integer({ min: 0, max: 7 }),
          a1Valid: fc.boolean(),
          a2Valid: fc.boolean(),
          a3Valid: fc.boolean(),
          leadInStart: msf,
          lastLeadOutStart: msf,
          extra: fc.uint8Array({ maxLength: 16 }),
        }),
        (v) => assert.deepEqual(parseAtip(encodeAtip(v)), v),
      ),
    );
    assert.throws(() => parseAtip(fromHex('000a0000' + '00'.repeat(8))), DecodeError);
    fuzzParser(parseAtip, bytes);
  });
});

describe('GET EVENT STATUS NOTIFICATION responses', () => {
  const newMedia: EventStatus = {
    noEventAvailable: false,
    notificationClass: NotificationClass.Media,
    supportedClasses: EventClassMask.Media | EventClassMask.OperationalChange,
    event: {
      kind: 'media',
      eventCode: MediaEventCode.NewMedia,
      mediaPresent: true,
      doorOpen: false,
      startSlot: 0,
      endSlot: 0,
    },
  };

  it('media events: byte-exact and decoded (MMC-6 §6.7.2.5)', () => {
    const bytes = encodeEventStatus(newMedia);
    assert.equal(toHex(bytes), '00060412' + '02020000');
    assert.deepEqual(parseEventStatus(bytes), newMedia);
    const codes = [
      [fromHex('00060410 00000000'), MediaEventCode.NoChange, false, false],
      [fromHex('00060410 01020000'), MediaEventCode.EjectRequest, true, false],
      [fromHex('00060410 03010000'), MediaEventCode.MediaRemoval, false, true],
      [fromHex('00060410 04020000'), MediaEventCode.MediaChanged, true, false],
    ] as const;
    for (const [data, code, present, open] of codes) {
      const event = parseEventStatus(data).event;
      assert.ok(event?.kind === 'media');
      assert.deepEqual(
        [event.eventCode, event.mediaPresent, event.doorOpen],
        [code, present, open],
      );
    }
  });

  it('no event available, other classes raw, zero padding ignored', () => {
    const nea = parseEventStatus(fromHex('00028010 0000000000000000'));
    assert.deepEqual(nea, {
      noEventAvailable: true,
      notificationClass: 0,
      supportedClasses: 0x10,
      event: undefined,
    });
    const power = parseEventStatus(fromHex('00060204 01010000'));
    assert.deepEqual(power.event, { kind: 'raw', data: fromHex('01010000') });
    const padded = new Uint8Array(64);
    padded.set(encodeEventStatus(newMedia));
    assert.deepEqual(parseEventStatus(padded), newMedia);
  });

  it('round-trips arbitrary values', () => {
    const media = rec({
      kind: fc.constant('media' as const),
      eventCode: nibble,
      mediaPresent: fc.boolean(),
      doorOpen: fc.boolean(),
      startSlot: byte,
      endSlot: byte,
    });
    fc.assert(
      fc.property(fc.boolean(), byte, media, (nea, supported, event) => {
        const value: EventStatus = {
          noEventAvailable: nea,
          notificationClass: NotificationClass.Media,
          supportedClasses: supported,
          event: nea ? undefined : event,
        };
        assert.deepEqual(parseEventStatus(encodeEventStatus(value)), value);
      }),
    );
    assert.throws(() => encodeEventStatus({ ...newMedia, notificationClass: 8 }), RangeError);
  });

  it('truncation and random bytes: a value or a DecodeError', () => {
    const bytes = encodeEventStatus(newMedia);
    assert.ok(
      caught(() => parseEventStatus(bytes.subarray(0, 6))) instanceof TruncatedResponseError,
    );
    assert.throws(() => parseEventStatus(fromHex('0001')), DecodeError);
    fuzzParser(parseEventStatus, bytes);
  });
});

const appendableCdR: DiscInformation = {
  dataType: 0,
  erasable: false,
  lastSessionState: SessionState.Empty,
  discStatus: DiscStatus.Appendable,
  firstTrack: 1,
  sessions: 2,
  firstTrackInLastSession: 3,
  lastTrackInLastSession: 3,
  discIdValid: false,
  barCodeValid: false,
  unrestrictedUse: true,
  applicationCodeValid: false,
  dirty: false,
  bgFormatStatus: 0,
  discType: 0x00,
  discIdentification: 0,
  lastSessionLeadInStart: 0x00033b1e,
  lastPossibleLeadOutStart: 0x004f3b4a,
  barCode: new Uint8Array(8),
  applicationCode: 0,
  opcTableCount: 0,
};

describe('READ DISC INFORMATION response', () => {
  it('encodes byte-exactly (MMC-6 §6.22.3.1) and round-trips', () => {
    const bytes = encodeDiscInformation(appendableCdR);
    assert.equal(
      toHex(bytes),
      '00200101' +
        '02030320' +
        '00000000' +
        '00000000' +
        '00033b1e' +
        '004f3b4a' +
        '00'.repeat(8) +
        '0000',
    );
    assert.deepEqual(parseDiscInformation(bytes), appendableCdR);
  });

  it('decodes the status byte and the 16-bit counts', () => {
    const bytes = encodeDiscInformation({
      ...appendableCdR,
      erasable: true,
      lastSessionState: SessionState.Complete,
      discStatus: DiscStatus.Complete,
      sessions: 0x1ff,
      lastTrackInLastSession: 0x1234,
    });
    assert.equal(bytes[2], 0x1e);
    assert.deepEqual([bytes[4], bytes[9], bytes[6], bytes[11]], [0xff, 0x01, 0x34, 0x12]);
  });

  it('round-trips arbitrary values', () => {
    fc.assert(
      fc.property(
        rec({
          dataType: fc.integer({ min: 0, max: 7 }),
          erasable: fc.boolean(),
          lastSessionState: fc.integer({ min: 0, max: 3 }),
          discStatus: fc.integer({ min: 0, max: 3 }),
          firstTrack: byte,
          sessions: u16,
          firstTrackInLastSession: u16,
          lastTrackInLastSession: u16,
          discIdValid: fc.boolean(),
          barCodeValid: fc.boolean(),
          unrestrictedUse: fc.boolean(),
          applicationCodeValid: fc.boolean(),
          dirty: fc.boolean(),
          bgFormatStatus: fc.integer({ min: 0, max: 3 }),
          discType: byte,
          discIdentification: u32,
          lastSessionLeadInStart: u32,
          lastPossibleLeadOutStart: u32,
          barCode: fc.uint8Array({ minLength: 8, maxLength: 8 }),
          applicationCode: byte,
          opcTableCount: byte,
        }),
        (v) => assert.deepEqual(parseDiscInformation(encodeDiscInformation(v)), v),
      ),
    );
    assert.throws(() => encodeDiscInformation({ ...appendableCdR, sessions: 0x10000 }), RangeError);
    assert.throws(() => encodeDiscInformation({ ...appendableCdR, discStatus: 4 }), RangeError);
  });

  it('ignores padding and OPC tables past byte 33; rejects short or inconsistent data', () => {
    const bytes = encodeDiscInformation(appendableCdR);
    const withOpc = new Uint8Array(34);
    withOpc.set(bytes);
    withOpc[1] = 32 + 8; // the drive has one OPC table; we asked for 34 bytes only
    withOpc[33] = 1;
    assert.equal(parseDiscInformation(withOpc).opcTableCount, 1);
    assert.throws(() => parseDiscInformation(fromHex('0010' + '00'.repeat(32))), DecodeError);
    assert.ok(
      caught(() => parseDiscInformation(bytes.subarray(0, 33))) instanceof TruncatedResponseError,
    );
    fuzzParser(parseDiscInformation, bytes);
  });
});
