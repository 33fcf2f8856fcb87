import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeInquiryCdb,
  decodeModeSelect10Cdb,
  decodeModeSense10Cdb,
  decodePreventAllowCdb,
  decodeRead10Cdb,
  decodeReadCapacity10Cdb,
  decodeRelease6Cdb,
  decodeRequestSenseCdb,
  decodeReserve6Cdb,
  decodeStartStopUnitCdb,
  decodeSynchronizeCacheCdb,
  decodeTestUnitReadyCdb,
  decodeWrite10Cdb,
} from '../testing/cdb-decoders.ts';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex, toHex } from '../struct.ts';
import { TruncatedResponseError } from './bytes.ts';
import type { ScsiRequest } from './command.ts';
import {
  DeviceType,
  encodeInquiry,
  encodeRequestSense,
  inquiry,
  type InquiryData,
  modeSelect10,
  modeSense10,
  PageControl,
  parseInquiry,
  parseRequestSense,
  preventAllowMediumRemoval,
  release6,
  requestSense,
  reserve6,
  testUnitReady,
} from './spc.ts';
import {
  ejectMedium,
  encodeCapacity,
  loadMedium,
  parseCapacity,
  read10,
  readCapacity10,
  startStopUnit,
  synchronizeCache10,
  write10,
} from './sbc.ts';

/** The only outcomes a parser may have: a value, or a DecodeError. */
function valueOrDecodeError(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof DecodeError, `expected DecodeError, got ${String(error)}`);
  }
}

function cdbHex(request: ScsiRequest): string {
  return toHex(request.cdb, ' ');
}

/** fc.record with ordinary prototypes, so deepEqual compares values only. */
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });

describe('SPC CDB builders (byte-exact)', () => {
  it('TEST UNIT READY, REQUEST SENSE, INQUIRY (SPC-4 §6.47, §6.39, §6.6)', () => {
    const tur = testUnitReady();
    assert.equal(cdbHex(tur), '00 00 00 00 00 00');
    assert.deepEqual([tur.direction, tur.length], ['none', 0]);

    const rs = requestSense();
    assert.equal(cdbHex(rs), '03 00 00 00 12 00');
    assert.deepEqual([rs.direction, rs.length], ['in', 18]);
    assert.equal(
      cdbHex(requestSense({ descriptorFormat: true, allocationLength: 252 })),
      '03 01 00 00 fc 00',
    );

    const inq = inquiry();
    assert.equal(cdbHex(inq), '12 00 00 00 24 00');
    assert.deepEqual([inq.direction, inq.length], ['in', 36]);
    assert.equal(
      cdbHex(inquiry({ evpd: true, pageCode: 0x80, allocationLength: 0x1ff })),
      '12 01 80 01 ff 00',
    );
  });

  it('START STOP UNIT: eject, load, immediate (SBC-3 §5.25)', () => {
    assert.equal(cdbHex(ejectMedium()), '1b 00 00 00 02 00');
    assert.equal(cdbHex(loadMedium(true)), '1b 01 00 00 03 00');
    assert.equal(cdbHex(startStopUnit({ start: true })), '1b 00 00 00 01 00');
    assert.equal(cdbHex(startStopUnit({ powerCondition: 3 })), '1b 00 00 00 30 00');
    assert.equal(ejectMedium().direction, 'none');
  });

  it('PREVENT ALLOW MEDIUM REMOVAL: prevent and persistent bits (MMC-6 §6.12)', () => {
    assert.equal(cdbHex(preventAllowMediumRemoval({ prevent: true })), '1e 00 00 00 01 00');
    assert.equal(
      cdbHex(preventAllowMediumRemoval({ prevent: true, persistent: true })),
      '1e 00 00 00 03 00',
    );
    assert.equal(cdbHex(preventAllowMediumRemoval({})), '1e 00 00 00 00 00');
  });

  it('RESERVE(6) and RELEASE(6)', () => {
    assert.equal(cdbHex(reserve6()), '16 00 00 00 00 00');
    assert.equal(cdbHex(release6()), '17 00 00 00 00 00');
    assert.deepEqual(decodeReserve6Cdb(reserve6().cdb), {});
    assert.deepEqual(decodeRelease6Cdb(release6().cdb), {});
    assert.throws(() => decodeReserve6Cdb(release6().cdb), DecodeError);
  });

  it('MODE SENSE(10) and MODE SELECT(10) with PF=1 (SPC-4 §6.12, §6.10)', () => {
    const sense = modeSense10({ pageCode: 0x2a, allocationLength: 0x100 });
    assert.equal(cdbHex(sense), '5a 00 2a 00 00 00 00 01 00 00');
    assert.deepEqual([sense.direction, sense.length], ['in', 256]);
    assert.equal(
      cdbHex(
        modeSense10({
          pageCode: 0x3f,
          subpageCode: 0xff,
          pageControl: PageControl.Changeable,
          disableBlockDescriptors: true,
          allocationLength: 0xfffe,
        }),
      ),
      '5a 08 7f ff 00 00 00 ff fe 00',
    );
    const list = new Uint8Array(16);
    const select = modeSelect10(list);
    assert.equal(cdbHex(select), '55 10 00 00 00 00 00 00 10 00');
    assert.deepEqual([select.direction, select.length, select.data], ['out', 16, list]);
    assert.equal(cdbHex(modeSelect10(list, { savePages: true })), '55 11 00 00 00 00 00 00 10 00');
  });

  it('READ CAPACITY(10), READ(10), WRITE(10), SYNCHRONIZE CACHE(10)', () => {
    const cap = readCapacity10();
    assert.equal(cdbHex(cap), '25 00 00 00 00 00 00 00 00 00');
    assert.deepEqual([cap.direction, cap.length], ['in', 8]);

    const read = read10({ lba: 0x1000, blocks: 1 });
    assert.equal(cdbHex(read), '28 00 00 00 10 00 00 00 01 00');
    assert.deepEqual([read.direction, read.length], ['in', 2048]);
    assert.equal(read10({ lba: 0, blocks: 3, blockSize: 2352 }).length, 3 * 2352);

    const data = new Uint8Array(4096);
    const write = write10({ lba: 0x12345678, data, fua: true });
    assert.equal(cdbHex(write), '2a 08 12 34 56 78 00 00 02 00');
    assert.deepEqual([write.direction, write.length, write.data], ['out', 4096, data]);

    assert.equal(cdbHex(synchronizeCache10()), '35 00 00 00 00 00 00 00 00 00');
    assert.equal(cdbHex(synchronizeCache10({ immed: true })), '35 02 00 00 00 00 00 00 00 00');
  });

  it('a zero-block READ/WRITE has no data phase', () => {
    const read = read10({ lba: 5, blocks: 0 });
    assert.deepEqual([read.direction, read.length], ['none', 0]);
    const write = write10({ lba: 5, data: new Uint8Array(0) });
    assert.deepEqual([write.direction, write.length], ['none', 0]);
    assert.equal(cdbHex(write), '2a 00 00 00 00 05 00 00 00 00');
  });
});

describe('SPC CDB argument checks', () => {
  it('rejects out-of-range LBAs, counts and fields with RangeError', () => {
    for (const lba of [-1, 2 ** 32, 1.5, Number.NaN]) {
      assert.throws(() => read10({ lba, blocks: 1 }), RangeError);
      assert.throws(() => write10({ lba, data: new Uint8Array(2048) }), RangeError);
      assert.throws(() => synchronizeCache10({ lba }), RangeError);
    }
    for (const blocks of [-1, 0x10000, 0.5]) {
      assert.throws(() => read10({ lba: 0, blocks }), RangeError);
      assert.throws(() => synchronizeCache10({ blocks }), RangeError);
    }
    assert.throws(() => write10({ lba: 0, data: new Uint8Array(2047) }), RangeError);
    assert.throws(() => write10({ lba: 0, data: new Uint8Array(2048 * 0x10000) }), RangeError);
    assert.throws(() => read10({ lba: 0, blocks: 1, blockSize: 0 }), RangeError);
    assert.throws(() => requestSense({ allocationLength: 0 }), RangeError);
    assert.throws(() => requestSense({ allocationLength: 256 }), RangeError);
    assert.throws(() => inquiry({ allocationLength: 0x10000 }), RangeError);
    assert.throws(() => inquiry({ pageCode: 0x80 }), RangeError, 'a page code needs EVPD');
    assert.throws(() => startStopUnit({ powerCondition: 16 }), RangeError);
    assert.throws(() => modeSense10({ pageCode: 0x40 }), RangeError);
    assert.throws(() => modeSense10({ pageCode: 5, pageControl: 4 }), RangeError);
    assert.throws(() => modeSense10({ pageCode: 5, allocationLength: 7 }), RangeError);
    assert.throws(() => modeSelect10(new Uint8Array(7)), RangeError);
    assert.throws(() => modeSelect10(new Uint8Array(0x10000)), RangeError);
  });

  it('accepts the boundaries', () => {
    for (const lba of [0, 1, 0xffffffff]) {
      for (const blocks of [0, 1, 0xffff]) {
        assert.deepEqual(decodeRead10Cdb(read10({ lba, blocks }).cdb), {
          lba,
          blocks,
          fua: false,
          dpo: false,
        });
      }
    }
    assert.equal(read10({ lba: 0, blocks: 0xffff }).length, 0xffff * 2048);
    assert.equal(requestSense({ allocationLength: 255 }).length, 255);
    assert.equal(inquiry({ allocationLength: 0xffff }).length, 0xffff);
    assert.equal(modeSelect10(new Uint8Array(0xffff)).length, 0xffff);
  });
});

describe('SPC CDB decoders', () => {
  it('round-trip every builder', () => {
    fc.assert(
      fc.property(
        rec({
          allocationLength: fc.integer({ min: 1, max: 255 }),
          descriptorFormat: fc.boolean(),
        }),
        (p) => assert.deepEqual(decodeRequestSenseCdb(requestSense(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({
          evpd: fc.constant(true),
          pageCode: fc.integer({ min: 0, max: 255 }),
          allocationLength: fc.integer({ min: 1, max: 0xffff }),
        }),
        (p) => assert.deepEqual(decodeInquiryCdb(inquiry(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({
          immed: fc.boolean(),
          loadEject: fc.boolean(),
          start: fc.boolean(),
          powerCondition: fc.integer({ min: 0, max: 15 }),
        }),
        (p) => assert.deepEqual(decodeStartStopUnitCdb(startStopUnit(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(rec({ prevent: fc.boolean(), persistent: fc.boolean() }), (p) =>
        assert.deepEqual(decodePreventAllowCdb(preventAllowMediumRemoval(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(
        rec({
          pageCode: fc.integer({ min: 0, max: 0x3f }),
          subpageCode: fc.integer({ min: 0, max: 0xff }),
          pageControl: fc.integer({ min: 0, max: 3 }),
          disableBlockDescriptors: fc.boolean(),
          allocationLength: fc.integer({ min: 8, max: 0xffff }),
        }),
        (p) => assert.deepEqual(decodeModeSense10Cdb(modeSense10(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 600 }), fc.boolean(), (length, savePages) =>
        assert.deepEqual(
          decodeModeSelect10Cdb(modeSelect10(new Uint8Array(length), { savePages }).cdb),
          {
            pageFormat: true,
            savePages,
            parameterListLength: length,
          },
        ),
      ),
    );
    fc.assert(
      fc.property(rec({ lba: u32, blocks: u16, fua: fc.boolean(), dpo: fc.boolean() }), (p) =>
        assert.deepEqual(decodeRead10Cdb(read10(p).cdb), p),
      ),
    );
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 64 }), fc.boolean(), (lba, blocks, fua) =>
        assert.deepEqual(
          decodeWrite10Cdb(write10({ lba, data: new Uint8Array(blocks * 2048), fua }).cdb),
          { lba, blocks, fua, dpo: false },
        ),
      ),
    );
    fc.assert(
      fc.property(rec({ immed: fc.boolean(), lba: u32, blocks: u16 }), (p) =>
        assert.deepEqual(decodeSynchronizeCacheCdb(synchronizeCache10(p).cdb), p),
      ),
    );
    assert.deepEqual(decodeTestUnitReadyCdb(testUnitReady().cdb), {});
    assert.deepEqual(decodeReadCapacity10Cdb(readCapacity10().cdb), {});
  });

  it('accept CDBs padded to 12 bytes, reject short ones and other opcodes', () => {
    const padded = new Uint8Array(12);
    padded.set(read10({ lba: 7, blocks: 2 }).cdb);
    assert.deepEqual(decodeRead10Cdb(padded), { lba: 7, blocks: 2, fua: false, dpo: false });
    assert.throws(
      () => decodeRead10Cdb(read10({ lba: 7, blocks: 2 }).cdb.subarray(0, 9)),
      DecodeError,
    );
    assert.throws(
      () => decodeRead10Cdb(write10({ lba: 7, data: new Uint8Array(0) }).cdb),
      DecodeError,
    );
    assert.throws(() => decodeWrite10Cdb(read10({ lba: 7, blocks: 2 }).cdb), DecodeError);
    assert.throws(() => decodeTestUnitReadyCdb(new Uint8Array(0)), DecodeError);
    assert.throws(() => decodeInquiryCdb(testUnitReady().cdb), DecodeError);
  });

  it('decode random bytes to a value or a DecodeError, nothing else', () => {
    const decoders = [
      decodeTestUnitReadyCdb,
      decodeRequestSenseCdb,
      decodeInquiryCdb,
      decodeStartStopUnitCdb,
      decodePreventAllowCdb,
      decodeReserve6Cdb,
      decodeRelease6Cdb,
      decodeModeSense10Cdb,
      decodeModeSelect10Cdb,
      decodeReadCapacity10Cdb,
      decodeRead10Cdb,
      decodeWrite10Cdb,
      decodeSynchronizeCacheCdb,
    ];
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 16 }),
        fc.constantFrom(
          0x00,
          0x03,
          0x12,
          0x1b,
          0x1e,
          0x16,
          0x17,
          0x5a,
          0x55,
          0x25,
          0x28,
          0x2a,
          0x35,
        ),
        (bytes, op) => {
          const cdb = bytes.length > 0 ? Uint8Array.of(op, ...bytes.subarray(1)) : bytes;
          for (const decode of decoders) valueOrDecodeError(() => decode(cdb));
        },
      ),
    );
  });
});

const drive: InquiryData = {
  peripheralQualifier: 0,
  deviceType: DeviceType.Mmc,
  removable: true,
  version: 0x05,
  responseDataFormat: 2,
  vendor: 'HL-DT-ST',
  product: 'DVDRAM GP65NB60',
  revision: 'PF00',
};

describe('INQUIRY data', () => {
  it('encodes byte-exactly (SPC-4 §6.6.2) and round-trips', () => {
    const bytes = encodeInquiry(drive);
    assert.equal(
      toHex(bytes),
      '05800502' +
        '1f000000' +
        toHex(Uint8Array.from('HL-DT-ST', (c) => c.charCodeAt(0))) +
        toHex(Uint8Array.from('DVDRAM GP65NB60 ', (c) => c.charCodeAt(0))) +
        toHex(Uint8Array.from('PF00', (c) => c.charCodeAt(0))),
    );
    assert.deepEqual(parseInquiry(bytes), drive);
  });

  it('round-trips any printable strings and header fields', () => {
    const printable = (max: number) =>
      fc
        .array(fc.integer({ min: 0x21, max: 0x7e }), { maxLength: max })
        .map((codes) => String.fromCharCode(...codes));
    fc.assert(
      fc.property(
        rec({
          peripheralQualifier: fc.integer({ min: 0, max: 7 }),
          deviceType: fc.integer({ min: 0, max: 31 }),
          removable: fc.boolean(),
          version: fc.integer({ min: 0, max: 255 }),
          responseDataFormat: fc.integer({ min: 0, max: 15 }),
          vendor: printable(8),
          product: printable(16),
          revision: printable(4),
        }),
        (value) => assert.deepEqual(parseInquiry(encodeInquiry(value)), value),
      ),
    );
  });

  it('trims padding, treats NULs as spaces and masks non-printable bytes', () => {
    const bytes = encodeInquiry(drive);
    bytes.fill(0, 8, 16);
    bytes.set([0x41, 0x00, 0x42], 8);
    bytes[16] = 0x07;
    const parsed = parseInquiry(bytes);
    assert.equal(parsed.vendor, 'A B');
    assert.equal(parsed.product, '?VDRAM GP65NB60');
  });

  it('takes its length from ADDITIONAL LENGTH, not from the padding', () => {
    const padded = new Uint8Array(96);
    padded.set(encodeInquiry(drive));
    assert.deepEqual(parseInquiry(padded), drive);
    // A device that declares only the first 8 bytes has no strings.
    const short = encodeInquiry(drive);
    short[4] = 3;
    assert.deepEqual(
      [parseInquiry(short).vendor, parseInquiry(short).product, parseInquiry(short).revision],
      ['', '', ''],
    );
    // A device that declares more than the 36 bytes asked for is fine.
    const long = encodeInquiry(drive);
    long[4] = 91;
    assert.deepEqual(parseInquiry(long), drive);
  });

  it('rejects truncated data with a DecodeError', () => {
    const bytes = encodeInquiry(drive);
    assert.throws(() => parseInquiry(bytes.subarray(0, 4)), DecodeError);
    assert.throws(() => parseInquiry(new Uint8Array(0)), DecodeError);
    const error = (() => {
      try {
        parseInquiry(bytes.subarray(0, 35));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof TruncatedResponseError);
    assert.equal(error.needed, 36);
  });

  it('refuses values it cannot encode', () => {
    assert.throws(() => encodeInquiry({ ...drive, vendor: 'TOO-LONG-VENDOR' }), RangeError);
    assert.throws(() => encodeInquiry({ ...drive, product: 'caf\u00e9' }), RangeError);
    assert.throws(() => encodeInquiry({ ...drive, deviceType: 32 }), RangeError);
    assert.throws(() => encodeInquiry({ ...drive, version: 256 }), RangeError);
  });

  it('parses random bytes and truncations to a value or a DecodeError', () => {
    const valid = encodeInquiry(drive);
    for (let n = 0; n < valid.length; n++)
      valueOrDecodeError(() => parseInquiry(valid.subarray(0, n)));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) =>
        valueOrDecodeError(() => parseInquiry(b)),
      ),
    );
  });
});

describe('READ CAPACITY(10) data', () => {
  it('encodes byte-exactly and round-trips the boundaries (SBC-3 §5.15.2)', () => {
    assert.equal(
      toHex(encodeCapacity({ lastLba: 0x0022ffff, blockLength: 2048 })),
      '0022ffff00000800',
    );
    assert.deepEqual(parseCapacity(fromHex('0022ffff00000800')), {
      lastLba: 0x22ffff,
      blockLength: 2048,
    });
    for (const lastLba of [0, 1, 0xffffffff]) {
      for (const blockLength of [0, 1, 2048, 0xffffffff]) {
        assert.deepEqual(parseCapacity(encodeCapacity({ lastLba, blockLength })), {
          lastLba,
          blockLength,
        });
      }
    }
    assert.throws(() => encodeCapacity({ lastLba: -1, blockLength: 2048 }), RangeError);
  });

  it('ignores zero padding and rejects truncation', () => {
    const padded = new Uint8Array(16);
    padded.set(encodeCapacity({ lastLba: 9, blockLength: 2048 }));
    assert.deepEqual(parseCapacity(padded), { lastLba: 9, blockLength: 2048 });
    for (let n = 0; n < 8; n++)
      assert.throws(() => parseCapacity(padded.subarray(0, n)), DecodeError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (b) =>
        valueOrDecodeError(() => parseCapacity(b)),
      ),
    );
  });
});

describe('REQUEST SENSE data', () => {
  it('encodes fixed format byte-exactly and round-trips (SPC-4 §4.5.3)', () => {
    const sense = { key: 2, asc: 0x04, ascq: 0x04, progress: 0x4000 };
    const bytes = encodeRequestSense(sense);
    assert.equal(toHex(bytes), '700002000000000a00000000040400804000');
    assert.deepEqual(parseRequestSense(bytes), { ...sense, information: undefined });
    const padded = new Uint8Array(252);
    padded.set(bytes);
    assert.deepEqual(parseRequestSense(padded), parseRequestSense(bytes));
  });

  it('sense cut before the ASC/ASCQ its header declares is truncated, not ASC 00h (decoder fuzz, issue 20)', () => {
    // Found by the decoder campaign (scsi/decoders.fuzz.test.ts): 6/28/00 cut
    // at 12 bytes decoded as 6/00/00, a different condition for the sense table.
    const full = encodeRequestSense({ key: 6, asc: 0x28, ascq: 0 });
    assert.throws(
      () => parseRequestSense(full.subarray(0, 12)),
      (e) => e instanceof TruncatedResponseError && e.needed === 14 && e.got === 12,
    );
    assert.throws(
      () => parseRequestSense(full.subarray(0, 5)),
      (e) => e instanceof TruncatedResponseError && e.needed === 8 && e.got === 5,
    );
    // A device that declares no additional bytes has no ASC/ASCQ: they read as 0.
    assert.deepEqual(parseRequestSense(fromHex('7000060000000000')), {
      key: 6,
      asc: 0,
      ascq: 0,
      information: undefined,
      progress: undefined,
    });
  });

  it('parses random bytes and truncations to a value or a DecodeError', () => {
    const valid = encodeRequestSense({ key: 3, asc: 0x0c, ascq: 0x09, information: 77 });
    for (let n = 0; n < valid.length; n++)
      valueOrDecodeError(() => parseRequestSense(valid.subarray(0, n)));
    assert.throws(() => parseRequestSense(new Uint8Array(18)), DecodeError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) =>
        valueOrDecodeError(() => parseRequestSense(b)),
      ),
    );
  });
});
