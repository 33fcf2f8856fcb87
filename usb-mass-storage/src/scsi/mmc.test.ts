import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeBlankCdb,
  decodeCloseTrackSessionCdb,
  decodeFormatUnitCdb,
  decodeGetConfigurationCdb,
  decodeGetEventStatusCdb,
  decodeMechanismStatusCdb,
  decodeReadBufferCapacityCdb,
  decodeReadDiscInformationCdb,
  decodeReadTocCdb,
  decodeReadTrackInformationCdb,
  decodeReserveTrackCdb,
  decodeSendCueSheetCdb,
  decodeSetCdSpeedCdb,
} from '../testing/cdb-decoders.ts';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex, toHex } from '../struct.ts';
import { lbaToMsf, msfToLba, TruncatedResponseError } from './bytes.ts';
import type { ScsiRequest } from './command.ts';
import {
  type Atip,
  blank,
  BlankType,
  type BufferCapacity,
  ChangerState,
  CloseFunction,
  closeTrackSession,
  ConfigurationRequestType,
  CD_PREGAP_SECTORS,
  CUE_LEAD_OUT_TNO,
  CueAdr,
  CueControl,
  CueDataForm,
  cueEntryLba,
  type CueSheetEntry,
  dataTrackCueSheet,
  type DiscInformation,
  DiscStatus,
  encodeAtip,
  encodeBufferCapacity,
  encodeCueSheet,
  encodeDiscInformation,
  encodeEventStatus,
  encodeFormatParameterList,
  encodeFullToc,
  encodeMechanismStatus,
  encodeSessionInfo,
  encodeToc,
  encodeTrackInformation,
  EventClassMask,
  type EventStatus,
  type FormatParameterList,
  FormatType,
  formatUnit,
  type FullToc,
  getConfiguration,
  getEventStatusNotification,
  INVISIBLE_TRACK,
  LEAD_OUT_TRACK,
  type MechanismStatus,
  MediaEventCode,
  mechanismStatus,
  MIN_CD_TRACK_SECTORS,
  NotificationClass,
  parseAtip,
  parseBufferCapacity,
  parseCueSheet,
  parseDiscInformation,
  parseEventStatus,
  parseFormatParameterList,
  parseFullToc,
  parseMechanismStatus,
  parseSessionInfo,
  parseToc,
  parseTrackInformation,
  readBufferCapacity,
  readDiscInformation,
  readTocPmaAtip,
  readTrackInformation,
  reserveTrack,
  sendCueSheet,
  SessionState,
  type SessionInfo,
  setCdSpeed,
  type Toc,
  TocFormat,
  TrackAddressType,
  type TrackInformation,
} from './mmc.ts';
import { COMMAND_TIMEOUT_MS } from './opcodes.ts';

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

describe('MMC CDB builders (byte-exact)', () => {
  it('READ TOC/PMA/ATIP (MMC-6 §6.26)', () => {
    const toc = readTocPmaAtip({ format: TocFormat.Toc });
    assert.equal(cdbHex(toc), '43 00 00 00 00 00 00 03 24 00');
    assert.deepEqual([toc.direction, toc.length], ['in', 804]);
    assert.equal(
      cdbHex(readTocPmaAtip({ format: TocFormat.Atip, msf: true })),
      '43 02 04 00 00 00 00 00 20 00',
    );
    assert.equal(
      cdbHex(
        readTocPmaAtip({ format: TocFormat.FullToc, trackSessionNumber: 1, allocationLength: 4 }),
      ),
      '43 00 02 00 00 00 01 00 04 00',
    );
    assert.equal(readTocPmaAtip({ format: TocFormat.SessionInfo }).length, 12);
  });

  it('GET CONFIGURATION (MMC-6 §6.6)', () => {
    const all = getConfiguration();
    assert.equal(cdbHex(all), '46 00 00 00 00 00 00 10 00 00');
    assert.equal(all.length, 4096);
    assert.equal(
      cdbHex(
        getConfiguration({
          requestType: ConfigurationRequestType.One,
          startingFeature: 0x21,
          allocationLength: 8,
        }),
      ),
      '46 02 00 21 00 00 00 00 08 00',
    );
  });

  it('GET EVENT STATUS NOTIFICATION, polled, media class (MMC-6 §6.7)', () => {
    const gesn = getEventStatusNotification();
    assert.equal(cdbHex(gesn), '4a 01 00 00 10 00 00 00 08 00');
    assert.deepEqual([gesn.direction, gesn.length], ['in', 8]);
    assert.equal(
      cdbHex(getEventStatusNotification({ classMask: 0x7e, allocationLength: 0x100 })),
      '4a 01 00 00 7e 00 00 01 00 00',
    );
  });

  it('READ DISC / TRACK INFORMATION (MMC-6 §6.22, §6.27)', () => {
    assert.equal(cdbHex(readDiscInformation()), '51 00 00 00 00 00 00 00 22 00');
    assert.equal(readDiscInformation().length, 34);
    assert.equal(
      cdbHex(readTrackInformation({ address: INVISIBLE_TRACK })),
      '52 01 00 00 00 ff 00 00 30 00',
    );
    assert.equal(
      cdbHex(
        readTrackInformation({
          addressType: TrackAddressType.Lba,
          address: 0x12345678,
          open: true,
          allocationLength: 36,
        }),
      ),
      '52 04 12 34 56 78 00 00 24 00',
    );
  });

  it('RESERVE TRACK, CLOSE TRACK/SESSION, READ BUFFER CAPACITY', () => {
    const reserve = reserveTrack({ size: 0x10000 });
    assert.equal(cdbHex(reserve), '53 00 00 00 00 00 01 00 00 00');
    assert.equal(reserve.direction, 'none');
    assert.equal(
      cdbHex(closeTrackSession({ immed: true, closeFunction: CloseFunction.Session })),
      '5b 01 02 00 00 00 00 00 00 00',
    );
    assert.equal(
      cdbHex(closeTrackSession({ closeFunction: CloseFunction.Track, number: 0x102 })),
      '5b 00 01 00 01 02 00 00 00 00',
    );
    assert.equal(
      cdbHex(closeTrackSession({ closeFunction: CloseFunction.Finalize })),
      '5b 00 06 00 00 00 00 00 00 00',
    );
    assert.equal(cdbHex(readBufferCapacity()), '5c 00 00 00 00 00 00 00 0c 00');
    assert.equal(cdbHex(readBufferCapacity({ block: true })), '5c 01 00 00 00 00 00 00 0c 00');
  });

  it('BLANK (MMC-6 §6.2)', () => {
    assert.equal(
      cdbHex(blank({ immed: true, type: BlankType.Minimal })),
      'a1 11 00 00 00 00 00 00 00 00 00 00',
    );
    assert.equal(cdbHex(blank({ type: BlankType.Full })), 'a1 00 00 00 00 00 00 00 00 00 00 00');
    assert.equal(
      cdbHex(blank({ type: BlankType.Track, address: 2 })),
      'a1 02 00 00 00 02 00 00 00 00 00 00',
    );
  });

  it('FORMAT UNIT with a DVD+RW descriptor; IMMED in the list header (MMC-6 §6.5)', () => {
    const list: FormatParameterList = {
      fov: false,
      dcrt: false,
      tryOut: false,
      immed: true,
      numberOfBlocks: 0xffffffff,
      formatType: FormatType.DvdPlusRw,
      formatSubtype: 0,
      typeDependent: 0,
    };
    const request = formatUnit(list);
    assert.equal(cdbHex(request), '04 11 00 00 00 00');
    assert.equal(request.direction, 'out');
    assert.equal(toHex(request.data!), '00020008' + 'ffffffff' + '98000000');
    assert.equal(request.timeoutMs, COMMAND_TIMEOUT_MS.immediate);
    const slow = formatUnit({ ...list, immed: false }, { cmpList: true });
    assert.equal(cdbHex(slow), '04 19 00 00 00 00');
    assert.equal(slow.timeoutMs, undefined);
    // BD-RE with spare areas, full certification (subtype 2), block length in the parameter.
    assert.equal(
      toHex(
        encodeFormatParameterList({
          ...list,
          fov: true,
          immed: true,
          numberOfBlocks: 0x00bbf000,
          formatType: FormatType.BdReWithSpare,
          formatSubtype: 2,
          typeDependent: 0x3000,
        }),
      ),
      '00820008' + '00bbf000' + 'c2003000',
    );
  });

  it('SET CD SPEED (kB/s, FFFFh = max) and MECHANISM STATUS', () => {
    assert.equal(cdbHex(setCdSpeed()), 'bb 00 ff ff ff ff 00 00 00 00 00 00');
    assert.equal(
      cdbHex(setCdSpeed({ writeSpeed: 1764, rotationControl: 1 })),
      'bb 01 ff ff 06 e4 00 00 00 00 00 00',
    );
    assert.equal(cdbHex(mechanismStatus()), 'bd 00 00 00 00 00 00 00 01 00 00 00');
  });
});

describe('MMC CDB argument checks', () => {
  it('rejects out-of-range fields with RangeError', () => {
    assert.throws(() => readTocPmaAtip({ format: 16 }), RangeError);
    assert.throws(() => readTocPmaAtip({ format: 0, trackSessionNumber: 256 }), RangeError);
    assert.throws(() => readTocPmaAtip({ format: 0, allocationLength: 3 }), RangeError);
    assert.throws(() => getConfiguration({ requestType: 3 }), RangeError);
    assert.throws(() => getConfiguration({ startingFeature: 0x10000 }), RangeError);
    assert.throws(() => getConfiguration({ allocationLength: 7 }), RangeError);
    assert.throws(() => getEventStatusNotification({ classMask: 0x100 }), RangeError);
    assert.throws(() => readDiscInformation({ dataType: 8 }), RangeError);
    assert.throws(() => readTrackInformation({ address: -1 }), RangeError);
    assert.throws(() => readTrackInformation({ address: 2 ** 32 }), RangeError);
    assert.throws(() => readTrackInformation({ address: 1, addressType: 3 }), RangeError);
    assert.throws(() => reserveTrack({ size: 2 ** 32 }), RangeError);
    assert.throws(() => closeTrackSession({ closeFunction: 8 }), RangeError);
    assert.throws(() => closeTrackSession({ closeFunction: 1, number: 0x10000 }), RangeError);
    assert.throws(() => blank({ type: 8 }), RangeError);
    assert.throws(() => blank({ type: 2, address: -1 }), RangeError);
    assert.throws(() => setCdSpeed({ readSpeed: 0x10000 }), RangeError);
    assert.throws(() => setCdSpeed({ rotationControl: 4 }), RangeError);
    assert.throws(() => mechanismStatus({ allocationLength: 7 }), RangeError);
    assert.throws(() => readBufferCapacity({ allocationLength: 0x10000 }), RangeError);
    const list: FormatParameterList = {
      fov: false,
      dcrt: false,
      tryOut: false,
      immed: false,
      numberOfBlocks: 0,
      formatType: 0,
      formatSubtype: 0,
      typeDependent: 0,
    };
    assert.throws(() => formatUnit({ ...list, formatType: 0x40 }), RangeError);
    assert.throws(() => formatUnit({ ...list, formatSubtype: 4 }), RangeError);
    assert.throws(() => formatUnit({ ...list, typeDependent: 0x1000000 }), RangeError);
    assert.throws(() => formatUnit({ ...list, numberOfBlocks: -1 }), RangeError);
  });
});

describe('MMC CDB decoders', () => {
  it('round-trip every builder', () => {
    fc.assert(
      fc.property(
        rec({
          format: nibble,
          msf: fc.boolean(),
          trackSessionNumber: byte,
          allocationLength: fc.integer({ min: 4, max: 0xffff }),
        }),
        (p) => assert.deepEqual(decodeReadTocCdb(readTocPmaAtip(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({
          requestType: fc.integer({ min: 0, max: 2 }),
          startingFeature: u16,
          allocationLength: fc.integer({ min: 8, max: 0xffff }),
        }),
        (p) => assert.deepEqual(decodeGetConfigurationCdb(getConfiguration(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({ classMask: byte, allocationLength: fc.integer({ min: 4, max: 0xffff }) }),
        (p) =>
          assert.deepEqual(decodeGetEventStatusCdb(getEventStatusNotification(p).cdb), {
            polled: true,
            ...p,
          }),
      ),
    );
    fc.assert(
      fc.property(
        rec({
          dataType: fc.integer({ min: 0, max: 7 }),
          allocationLength: fc.integer({ min: 2, max: 0xffff }),
        }),
        (p) => assert.deepEqual(decodeReadDiscInformationCdb(readDiscInformation(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({
          addressType: fc.integer({ min: 0, max: 2 }),
          address: u32,
          open: fc.boolean(),
          allocationLength: fc.integer({ min: 2, max: 0xffff }),
        }),
        (p) => assert.deepEqual(decodeReadTrackInformationCdb(readTrackInformation(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(rec({ size: u32 }), (p) =>
        assert.deepEqual(decodeReserveTrackCdb(reserveTrack(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({ immed: fc.boolean(), closeFunction: fc.integer({ min: 0, max: 7 }), number: u16 }),
        (p) => assert.deepEqual(decodeCloseTrackSessionCdb(closeTrackSession(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({ block: fc.boolean(), allocationLength: fc.integer({ min: 2, max: 0xffff }) }),
        (p) => assert.deepEqual(decodeReadBufferCapacityCdb(readBufferCapacity(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({ immed: fc.boolean(), type: fc.integer({ min: 0, max: 7 }), address: u32 }),
        (p) => assert.deepEqual(decodeBlankCdb(blank(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(fc.boolean(), (cmpList) =>
        assert.deepEqual(
          decodeFormatUnitCdb(
            formatUnit(
              {
                fov: false,
                dcrt: false,
                tryOut: false,
                immed: false,
                numberOfBlocks: 0,
                formatType: 0,
                formatSubtype: 0,
                typeDependent: 0,
              },
              { cmpList },
            ).cdb,
          ),
          { fmtData: true, cmpList, formatCode: 1 },
        ),
      ),
    );
    fc.assert(
      fc.property(
        rec({ readSpeed: u16, writeSpeed: u16, rotationControl: fc.integer({ min: 0, max: 3 }) }),
        (p) => assert.deepEqual(decodeSetCdSpeedCdb(setCdSpeed(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(rec({ allocationLength: fc.integer({ min: 8, max: 0xffff }) }), (p) =>
        assert.deepEqual(decodeMechanismStatusCdb(mechanismStatus(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x1fff }), (entries) => {
        const request = sendCueSheet(new Uint8Array(entries * 8));
        assert.deepEqual(decodeSendCueSheetCdb(request.cdb), { cueSheetSize: entries * 8 });
        assert.deepEqual([request.direction, request.length], ['out', entries * 8]);
      }),
    );
  });

  it('reject short CDBs and other opcodes; random bytes give a value or a DecodeError', () => {
    assert.throws(() => decodeBlankCdb(blank({ type: 0 }).cdb.subarray(0, 11)), DecodeError);
    assert.throws(() => decodeBlankCdb(setCdSpeed().cdb), DecodeError);
    assert.throws(() => decodeReadTocCdb(new Uint8Array(10)), DecodeError);
    const decoders = [
      decodeReadTocCdb,
      decodeGetConfigurationCdb,
      decodeGetEventStatusCdb,
      decodeReadDiscInformationCdb,
      decodeReadTrackInformationCdb,
      decodeReserveTrackCdb,
      decodeCloseTrackSessionCdb,
      decodeReadBufferCapacityCdb,
      decodeBlankCdb,
      decodeFormatUnitCdb,
      decodeSetCdSpeedCdb,
      decodeMechanismStatusCdb,
      decodeSendCueSheetCdb,
    ];
    const ops = [0x43, 0x46, 0x4a, 0x51, 0x52, 0x53, 0x5b, 0x5c, 0xa1, 0x04, 0xbb, 0xbd, 0x5d];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), fc.constantFrom(...ops), (bytes, op) => {
        const cdb = bytes.length > 0 ? Uint8Array.of(op, ...bytes.subarray(1)) : bytes;
        for (const decode of decoders) valueOrDecodeError(() => decode(cdb));
      }),
    );
  });
});

describe('MSF addresses', () => {
  it('converts with the 150-frame offset and the lead-in wrap (MMC-6 §6.26.3)', () => {
    assert.deepEqual(lbaToMsf(0), { minute: 0, second: 2, frame: 0 });
    assert.deepEqual(lbaToMsf(-150), { minute: 0, second: 0, frame: 0 });
    assert.deepEqual(lbaToMsf(-151), { minute: 99, second: 59, frame: 74 });
    assert.equal(msfToLba({ minute: 97, second: 26, frame: 66 }), -11634);
    assert.equal(msfToLba({ minute: 79, second: 59, frame: 74 }), 359849);
    assert.throws(() => lbaToMsf(404850), RangeError);
    assert.throws(() => lbaToMsf(-45151), RangeError);
    fc.assert(
      fc.property(fc.integer({ min: -45150, max: 404849 }), (lba) =>
        assert.equal(msfToLba(lbaToMsf(lba)), lba),
      ),
    );
  });
});

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
        '41 01 00 14 00 00 00 00', // track 1 pre-gap (INDEX 00), 150 generated blocks
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
        CueDataForm.Mode1Generated,
        CueDataForm.Mode1,
        CueDataForm.Mode1Generated,
      ],
    );
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
