/**
 * Declarative binary layouts (in the style of ya-webadb's struct library, but
 * small): a layout lists each field's offset and type once, and yields a
 * matching `encode`/`decode` pair so the two can never disagree.
 *
 * BOT wrappers are little-endian (USB MSC BOT 1.0 §5); every SCSI field is
 * big-endian (SPC-4 §4.3.1), so both byte orders are first-class here.
 */
import { DecodeError } from './errors.ts';

export type FieldType =
  'u8' | 'u16le' | 'u32le' | 'u16be' | 'u24be' | 'u32be' | { readonly bytes: number };

export interface FieldSpec {
  readonly offset: number;
  readonly type: FieldType;
}

type FieldValue<T extends FieldType> = T extends { bytes: number } ? Uint8Array : number;

export type StructValue<F extends Record<string, FieldSpec>> = {
  [K in keyof F]: FieldValue<F[K]['type']>;
};

export interface Struct<F extends Record<string, FieldSpec>> {
  readonly name: string;
  readonly size: number;
  readonly fields: F;
  /** Writes every field into a new buffer of `size` bytes (unlisted bytes stay zero). */
  encode(value: StructValue<F>): Uint8Array<ArrayBuffer>;
  /** Reads every field; throws DecodeError when fewer than `size` bytes are given. */
  decode(bytes: Uint8Array): StructValue<F>;
}

export function fieldWidth(type: FieldType): number {
  if (typeof type === 'object') return type.bytes;
  switch (type) {
    case 'u8':
      return 1;
    case 'u16le':
    case 'u16be':
      return 2;
    case 'u24be':
      return 3;
    case 'u32le':
    case 'u32be':
      return 4;
  }
}

function maxOf(type: Exclude<FieldType, { bytes: number }>): number {
  return 2 ** (fieldWidth(type) * 8) - 1;
}

export function struct<const F extends Record<string, FieldSpec>>(
  name: string,
  size: number,
  fields: F,
): Struct<F> {
  for (const [key, spec] of Object.entries(fields)) {
    if (spec.offset < 0 || spec.offset + fieldWidth(spec.type) > size) {
      throw new RangeError(`${name}.${key} does not fit in ${size} bytes`);
    }
  }
  const entries = Object.entries(fields);
  return {
    name,
    size,
    fields,
    encode(value) {
      const out = new Uint8Array(size);
      const view = new DataView(out.buffer);
      for (const [key, spec] of entries) {
        const v = (value as Record<string, number | Uint8Array>)[key];
        const { offset, type } = spec;
        if (typeof type === 'object') {
          if (!(v instanceof Uint8Array) || v.length > type.bytes) {
            throw new RangeError(`${name}.${key}: expected at most ${type.bytes} bytes`);
          }
          out.set(v, offset);
          continue;
        }
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > maxOf(type)) {
          throw new RangeError(`${name}.${key}: ${String(v)} is not a valid ${type}`);
        }
        switch (type) {
          case 'u8':
            view.setUint8(offset, v);
            break;
          case 'u16le':
            view.setUint16(offset, v, true);
            break;
          case 'u16be':
            view.setUint16(offset, v, false);
            break;
          case 'u24be':
            view.setUint8(offset, v >>> 16);
            view.setUint16(offset + 1, v & 0xffff, false);
            break;
          case 'u32le':
            view.setUint32(offset, v, true);
            break;
          case 'u32be':
            view.setUint32(offset, v, false);
            break;
        }
      }
      return out;
    },
    decode(bytes) {
      if (bytes.length < size) {
        throw new DecodeError(`${name}: need ${size} bytes, got ${bytes.length}`);
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const result: Record<string, number | Uint8Array> = {};
      for (const [key, { offset, type }] of entries) {
        if (typeof type === 'object') {
          result[key] = bytes.slice(offset, offset + type.bytes);
          continue;
        }
        switch (type) {
          case 'u8':
            result[key] = view.getUint8(offset);
            break;
          case 'u16le':
            result[key] = view.getUint16(offset, true);
            break;
          case 'u16be':
            result[key] = view.getUint16(offset, false);
            break;
          case 'u24be':
            result[key] = (view.getUint8(offset) << 16) | view.getUint16(offset + 1, false);
            break;
          case 'u32le':
            result[key] = view.getUint32(offset, true);
            break;
          case 'u32be':
            result[key] = view.getUint32(offset, false);
            break;
        }
      }
      return result as StructValue<F>;
    },
  };
}

/** Lower-case hex with no separators, e.g. for traces and CLI `raw`. */
export function toHex(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(separator);
}

/** Parses hex with optional whitespace/colons; throws DecodeError on anything else. */
export function fromHex(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new DecodeError(`not a hex byte string: ${JSON.stringify(text)}`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
