/**
 * READ FORMAT CAPACITIES (MMC-6 §6.24): the drive's list of the formats it
 * can give the medium, which FORMAT UNIT's descriptor is copied from (number
 * of blocks and type dependent parameter): growisofs `plus_rw_format` and
 * `bd_re_format`, dvd+rw-format and libburn `mmc_format_unit` all copy a
 * listed descriptor rather than invent one (docs/real-drives.md §4).
 *
 * Same shape as mmc.ts: a CDB layout, a builder, a parse/encode pair.
 */
import { struct } from '../struct.ts';
import { checkInt, need, putU32, u32 } from './bytes.ts';
import { dataIn, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

// ===========================================================================
// READ FORMAT CAPACITIES, MMC-6 §6.24
//  0  OPERATION CODE (23h)
//  1-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const readFormatCapacitiesLayout = struct('READ FORMAT CAPACITIES CDB', 10, {
  opcode: { offset: 0, type: 'u8' },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: 'u8' },
});

/** 4-byte header, the current/maximum descriptor and up to 30 formattable descriptors. */
export const FORMAT_CAPACITIES_MAX_LENGTH = 4 + 8 + 30 * 8;

export function readFormatCapacities(
  params: { readonly allocationLength?: number } = {},
): ScsiRequest {
  const allocationLength = params.allocationLength ?? FORMAT_CAPACITIES_MAX_LENGTH;
  checkInt('READ FORMAT CAPACITIES allocation length', allocationLength, 12, 0xffff);
  return dataIn(
    readFormatCapacitiesLayout.encode({
      opcode: OPCODE.READ_FORMAT_CAPACITIES,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** DESCRIPTOR TYPE of the current/maximum capacity descriptor (MMC-6 §6.24.3.2). */
export const CapacityDescriptorType = {
  Unformatted: 1,
  Formatted: 2,
  NoMedia: 3,
} as const;

/** The current/maximum capacity descriptor: 0-3 NUMBER OF BLOCKS, 4 TYPE(1:0), 5-7 BLOCK LENGTH. */
export interface CurrentCapacity {
  readonly blocks: number;
  readonly descriptorType: number;
  readonly blockLength: number;
}

/**
 * A formattable capacity descriptor (MMC-6 §6.24.3.3): 0-3 NUMBER OF
 * BLOCKS, 4 FORMAT TYPE(7:2) | reserved(1:0), 5-7 TYPE DEPENDENT PARAMETER.
 */
export interface FormattableCapacity {
  readonly blocks: number;
  readonly formatType: number;
  readonly typeDependent: number;
}

export interface FormatCapacities {
  readonly current: CurrentCapacity;
  readonly formattable: readonly FormattableCapacity[];
  /**
   * Set when the list was cut short of its CAPACITY LIST LENGTH (by the
   * allocation length): `formattable` holds only the descriptors that arrived,
   * and a format missing from it may still exist. Absent on a whole list.
   */
  readonly truncated?: true;
}

/**
 * Header: 0-2 reserved, 3 CAPACITY LIST LENGTH (8 per descriptor); then the
 * current/maximum descriptor and the formattable ones. A list cut by the
 * allocation length keeps the whole descriptors that arrived and says so
 * (`truncated`): MMC-6 §6.24.3.1 has the drive report the whole list's
 * length whatever the allocation length lets through.
 */
export function parseFormatCapacities(data: Uint8Array): FormatCapacities {
  need('format capacities', data, 12);
  const declared = data[3]!;
  const listLength = Math.min(declared, data.length - 4);
  const current: CurrentCapacity = {
    blocks: u32(data, 4),
    descriptorType: data[8]! & 0x03,
    blockLength: (data[9]! << 16) | (data[10]! << 8) | data[11]!,
  };
  const formattable: FormattableCapacity[] = [];
  for (let at = 12; at + 8 <= 4 + listLength; at += 8) {
    formattable.push({
      blocks: u32(data, at),
      formatType: data[at + 4]! >>> 2,
      typeDependent: (data[at + 5]! << 16) | (data[at + 6]! << 8) | data[at + 7]!,
    });
  }
  // Whole descriptors only: a CAPACITY LIST LENGTH that is no multiple of 8
  // (a lie) leaves a part-descriptor that is not "missing data".
  const cut = 4 + Math.floor(declared / 8) * 8 > data.length;
  return cut ? { current, formattable, truncated: true } : { current, formattable };
}

export function encodeFormatCapacities(value: FormatCapacities): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + 8 * value.formattable.length);
  checkInt('formattable descriptors', value.formattable.length, 0, 30);
  out[3] = 8 * (value.formattable.length + 1);
  putU32(out, 4, value.current.blocks);
  checkInt('descriptor type', value.current.descriptorType, 0, 3);
  checkInt('block length', value.current.blockLength, 0, 0xffffff);
  out[8] = value.current.descriptorType;
  out.set(
    [
      value.current.blockLength >>> 16,
      (value.current.blockLength >>> 8) & 0xff,
      value.current.blockLength & 0xff,
    ],
    9,
  );
  value.formattable.forEach((f, i) => {
    const at = 12 + 8 * i;
    checkInt('format type', f.formatType, 0, 0x3f);
    checkInt('type dependent parameter', f.typeDependent, 0, 0xffffff);
    putU32(out, at, f.blocks);
    out[at + 4] = f.formatType << 2;
    out.set(
      [f.typeDependent >>> 16, (f.typeDependent >>> 8) & 0xff, f.typeDependent & 0xff],
      at + 5,
    );
  });
  return out;
}
