import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../errors.ts';
import { fromHex } from '../struct.ts';
import { checkCdb } from '../testing/cdb-decoders.ts';
import {
  checkInt,
  declaredLength,
  needDeclared,
  putU16,
  putU24,
  putU32,
  readAscii,
  TruncatedResponseError,
  u16,
  u24,
  u32,
  writeAscii,
} from './bytes.ts';

describe('big-endian fields', () => {
  it('read and write u16/u24/u32 at the boundaries', () => {
    const out = new Uint8Array(9);
    putU16(out, 0, 0xffff);
    putU24(out, 2, 0x123456);
    putU32(out, 5, 0xffffffff);
    assert.deepEqual(out, fromHex('ffff 123456 ffffffff'));
    assert.deepEqual([u16(out, 0), u24(out, 2), u32(out, 5)], [0xffff, 0x123456, 0xffffffff]);
    assert.equal(u32(fromHex('80000000'), 0), 0x80000000, 'unsigned, not negative');
    assert.deepEqual(
      [u16(out, 8), u32(out, 7)],
      [0xff00, 0xffff0000],
      'bytes past the end read as 0',
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        const b = new Uint8Array(4);
        putU32(b, 0, v);
        assert.equal(u32(b, 0), v);
      }),
    );
  });
});

describe('length checks', () => {
  it('declaredLength reads the header and enforces its minimum', () => {
    assert.equal(declaredLength('x', fromHex('0020'), 2, 4), 0x22);
    assert.equal(declaredLength('x', fromHex('00000004'), 4, 8), 8);
    assert.throws(() => declaredLength('x', fromHex('00'), 2, 4), DecodeError);
    assert.throws(() => declaredLength('x', fromHex('0001'), 2, 4), DecodeError);
    assert.equal(declaredLength('x', fromHex('ffffffff'), 4, 8), 0xffffffff + 4);
  });

  it('needDeclared reports the length to ask for', () => {
    needDeclared('x', new Uint8Array(10), 10);
    const error = (() => {
      try {
        needDeclared('TOC', new Uint8Array(4), 20);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof TruncatedResponseError);
    assert.ok(error instanceof DecodeError, 'callers that only know DecodeError still catch it');
    assert.deepEqual([error.needed, error.got], [20, 4]);
    assert.equal(error.hresultName, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
  });

  it('checkInt and checkCdb', () => {
    checkInt('x', 0, 0, 1);
    checkInt('x', 1, 0, 1);
    for (const bad of [-1, 2, 0.5, Number.NaN, Infinity])
      assert.throws(() => checkInt('x', bad, 0, 1), RangeError);
    checkCdb('T', fromHex('280000000000000000000000'), 0x28, 10);
    assert.throws(() => checkCdb('T', fromHex('28'), 0x28, 10), DecodeError);
    assert.throws(() => checkCdb('T', new Uint8Array(10), 0x28, 10), DecodeError);
  });
});

describe('ASCII', () => {
  it('reads trimmed printable text, NUL as space, others as ?', () => {
    assert.equal(readAscii(fromHex('20 41 42 00 43 20 20'), 0, 7), 'AB C');
    assert.equal(readAscii(fromHex('41 ff 7f 42'), 0, 4), 'A??B');
    assert.equal(readAscii(fromHex('41 42'), 0, 10), 'AB', 'stops at the end of the data');
    assert.equal(readAscii(new Uint8Array(0), 0, 4), '');
  });

  it('writes space-padded text and refuses what does not fit', () => {
    const out = new Uint8Array(6);
    writeAscii(out, 1, 4, 'AB', 'x');
    assert.deepEqual(out, fromHex('00 41 42 20 20 00'));
    assert.throws(() => writeAscii(out, 0, 2, 'ABC', 'x'), RangeError);
    assert.throws(() => writeAscii(out, 0, 4, 'A\u0001', 'x'), RangeError);
    assert.throws(() => writeAscii(out, 0, 4, '\u00e9', 'x'), RangeError);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0x21, max: 0x7e }), { maxLength: 16 }), (codes) => {
        const text = String.fromCharCode(...codes);
        const b = new Uint8Array(16);
        writeAscii(b, 0, 16, text, 'x');
        assert.equal(readAscii(b, 0, 16), text);
      }),
    );
  });
});
