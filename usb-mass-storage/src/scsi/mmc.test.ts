/** MMC CDB builders, argument checks and decoders, MSF addresses (responses: mmc-responses*.test.ts). */
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
import { toHex } from '../struct.ts';
import { lbaToMsf, msfToLba } from './bytes.ts';
import type { ScsiRequest } from './command.ts';
import {
  blank,
  BlankType,
  CloseFunction,
  closeTrackSession,
  ConfigurationRequestType,
  encodeFormatParameterList,
  type FormatParameterList,
  FormatType,
  formatUnit,
  getConfiguration,
  getEventStatusNotification,
  INVISIBLE_TRACK,
  mechanismStatus,
  readBufferCapacity,
  readDiscInformation,
  readTocPmaAtip,
  readTrackInformation,
  reserveTrack,
  sendCueSheet,
  setCdSpeed,
  TocFormat,
  TrackAddressType,
} from './mmc.ts';
import { COMMAND_TIMEOUT_MS } from './opcodes.ts';

function valueOrDecodeError(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof DecodeError, `expected DecodeError, got ${String(error)}`);
  }
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
