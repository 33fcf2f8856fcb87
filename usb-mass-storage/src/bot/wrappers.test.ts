import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex, toHex } from '../struct.ts';
import {
  CBW_LENGTH,
  CSW_LENGTH,
  Direction,
  decodeCbw,
  decodeCsw,
  encodeCbw,
  encodeCsw,
  looksLikeCsw,
} from './wrappers.ts';

describe('CBW', () => {
  it('encodes a READ(10) CBW byte-exactly (BOT 1.0 §5.1)', () => {
    const cdb = fromHex('28 00 00 00 00 10 00 00 01 00');
    const bytes = encodeCbw({
      tag: 0x12345678,
      dataTransferLength: 2048,
      direction: Direction.In,
      lun: 0,
      cdb,
    });
    assert.equal(
      toHex(bytes),
      '55534243' +
        '78563412' +
        '00080000' +
        '80' +
        '00' +
        '0a' +
        '28000000001000000100' +
        '000000000000',
    );
    assert.equal(bytes.length, CBW_LENGTH);
  });

  it('round-trips every field at the boundaries', () => {
    for (const tag of [0, 1, 0xffffffff]) {
      for (const [direction, length] of [
        [Direction.None, 0],
        [Direction.In, 1],
        [Direction.Out, 0xffffffff],
      ] as const) {
        for (const lun of [0, 15]) {
          for (const cdbLength of [1, 6, 16]) {
            const cdb = Uint8Array.from({ length: cdbLength }, (_, i) => (i * 37 + 1) & 0xff);
            const cbw = { tag, dataTransferLength: length, direction, lun, cdb };
            const decoded = decodeCbw(encodeCbw(cbw));
            assert.deepEqual(
              { ...decoded, meaningful: undefined },
              { ...cbw, meaningful: undefined },
            );
            assert.equal(decoded.meaningful, true);
          }
        }
      }
    }
  });

  it('refuses impossible CBWs when encoding', () => {
    const base = {
      tag: 1,
      dataTransferLength: 0,
      direction: Direction.None,
      lun: 0,
      cdb: new Uint8Array(6),
    };
    assert.throws(() => encodeCbw({ ...base, cdb: new Uint8Array(0) }), RangeError);
    assert.throws(() => encodeCbw({ ...base, cdb: new Uint8Array(17) }), RangeError);
    assert.throws(() => encodeCbw({ ...base, lun: 16 }), RangeError);
    assert.throws(() => encodeCbw({ ...base, dataTransferLength: 1 }), RangeError);
    assert.throws(() => encodeCbw({ ...base, direction: Direction.In }), RangeError);
    assert.throws(() => encodeCbw({ ...base, tag: -1 }), RangeError);
  });

  it('rejects invalid CBWs (§6.2.1) and flags meaningless ones (§6.2.2)', () => {
    const good = encodeCbw({
      tag: 7,
      dataTransferLength: 0,
      direction: Direction.None,
      lun: 0,
      cdb: new Uint8Array(6),
    });
    assert.throws(() => decodeCbw(good.subarray(0, 30)), DecodeError);
    assert.throws(() => decodeCbw(new Uint8Array(32)), DecodeError);
    const badSig = good.slice();
    badSig[0] = 0;
    assert.throws(() => decodeCbw(badSig), DecodeError);
    const reservedFlag = good.slice();
    reservedFlag[12] = 0x01;
    assert.equal(decodeCbw(reservedFlag).meaningful, false);
    const zeroLength = good.slice();
    zeroLength[14] = 0;
    assert.equal(decodeCbw(zeroLength).meaningful, false);
  });
});

describe('CSW', () => {
  it('encodes byte-exactly and round-trips (BOT 1.0 §5.2)', () => {
    const bytes = encodeCsw({ tag: 0xdeadbeef, residue: 0x200, status: 1 });
    assert.equal(toHex(bytes), '55534253' + 'efbeadde' + '00020000' + '01');
    assert.equal(bytes.length, CSW_LENGTH);
    assert.deepEqual(decodeCsw(bytes), { tag: 0xdeadbeef, residue: 0x200, status: 1 });
    assert.ok(looksLikeCsw(bytes));
    for (const residue of [0, 1, 0xffffffff]) {
      assert.equal(decodeCsw(encodeCsw({ tag: 0, residue, status: 0 })).residue, residue);
    }
  });

  it('rejects truncated, long and unsigned CSWs', () => {
    const bytes = encodeCsw({ tag: 1, residue: 0, status: 0 });
    assert.throws(() => decodeCsw(bytes.subarray(0, 12)), DecodeError);
    assert.throws(() => decodeCsw(new Uint8Array(14)), DecodeError);
    assert.throws(() => decodeCsw(new Uint8Array(0)), DecodeError);
    const bad = bytes.slice();
    bad[3] = 0x43;
    assert.throws(() => decodeCsw(bad), DecodeError);
    assert.equal(looksLikeCsw(bad), false);
  });

  it('decodes random bytes to a value or a DecodeError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        for (const decode of [decodeCsw, decodeCbw]) {
          try {
            decode(bytes);
          } catch (error) {
            assert.ok(error instanceof DecodeError, String(error));
          }
        }
      }),
    );
  });
});
