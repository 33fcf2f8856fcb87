/** READ FORMAT CAPACITIES: the CDB and the list, with a real BD-RE drive's descriptors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../errors.ts';
import { OPCODE } from './opcodes.ts';
import {
  CapacityDescriptorType,
  encodeFormatCapacities,
  parseFormatCapacities,
  readFormatCapacities,
  readFormatCapacitiesLayout,
  type FormatCapacities,
} from './format-capacities.ts';

/** An LG BE06LU10 with a blank 25 GB BD-RE, as dvd+rw-mediainfo showed it (libburn mmc.c, April 2008). */
const BD_RE: FormatCapacities = {
  current: {
    blocks: 12_219_392,
    descriptorType: CapacityDescriptorType.Unformatted,
    blockLength: 2048,
  },
  formattable: [
    { blocks: 11_826_176, formatType: 0x00, typeDependent: 0x3000 },
    { blocks: 11_826_176, formatType: 0x30, typeDependent: 0x3000 },
    { blocks: 11_564_032, formatType: 0x30, typeDependent: 0x5000 },
    { blocks: 12_088_320, formatType: 0x30, typeDependent: 0x1000 },
    { blocks: 12_219_392, formatType: 0x31, typeDependent: 0x0800 },
  ],
};

describe('READ FORMAT CAPACITIES', () => {
  it('builds the CDB with an allocation length', () => {
    const r = readFormatCapacities({ allocationLength: 252 });
    assert.deepEqual(readFormatCapacitiesLayout.decode(r.cdb), {
      opcode: OPCODE.READ_FORMAT_CAPACITIES,
      allocationLength: 252,
      control: 0,
    });
    assert.equal(r.direction, 'in');
    assert.throws(() => readFormatCapacities({ allocationLength: 4 }), RangeError);
  });

  it('decodes and encodes the list byte for byte', () => {
    const bytes = encodeFormatCapacities(BD_RE);
    assert.equal(bytes.length, 12 + 5 * 8);
    assert.equal(bytes[3], 48);
    assert.deepEqual(
      [...bytes.subarray(20, 28)],
      [0x00, 0xb4, 0x74, 0x00, 0x30 << 2, 0x00, 0x30, 0x00],
    );
    assert.deepEqual(parseFormatCapacities(bytes), BD_RE);
  });

  it('a list cut by the allocation length keeps its whole descriptors', () => {
    const cut = encodeFormatCapacities(BD_RE).subarray(0, 12 + 8 * 2 + 3);
    assert.deepEqual(parseFormatCapacities(cut).formattable, BD_RE.formattable.slice(0, 2));
    // ...and says it is partial (decoder fuzz, issue 20): a format missing from it may exist.
    assert.equal(parseFormatCapacities(cut).truncated, true);
    assert.equal('truncated' in parseFormatCapacities(encodeFormatCapacities(BD_RE)), false);
    assert.throws(() => parseFormatCapacities(new Uint8Array(8)), DecodeError);
  });
});
