/**
 * Declarative binary layouts: a layout lists each field's offset and codec
 * once and yields the matching `encode`/`decode` pair, so the writer and the
 * reader of an on-disc structure can never disagree.
 *
 * ISO 9660 records many numbers twice, little-endian then big-endian
 * ("both-byte orders", ECMA-119 7.2.3 and 7.3.3); ECMA-167/UDF is
 * little-endian throughout (ECMA-167 1/7.1). Both are first-class here.
 * A both-endian field decodes from its little-endian half, as Linux does, and
 * `strictBothEndian` reports a disagreement for readers that care.
 */
import { DecodeError } from '../errors.ts';

/** One field's binary form: how many bytes, and how to write and read them. */
export interface Codec<T> {
  readonly size: number;
  write(bytes: Uint8Array, view: DataView, offset: number, value: T): void;
  read(bytes: Uint8Array, view: DataView, offset: number): T;
}

function intCodec(
  size: number,
  max: number,
  write: (v: DataView, o: number, x: number) => void,
  read: (v: DataView, o: number) => number,
): Codec<number> {
  return {
    size,
    write(_b, view, offset, value) {
      if (!Number.isInteger(value) || value < 0 || value > max) {
        throw new RangeError(`${String(value)} does not fit in ${size} bytes`);
      }
      write(view, offset, value);
    },
    read: (_b, view, offset) => read(view, offset),
  };
}

export const u8 = intCodec(
  1,
  0xff,
  (v, o, x) => v.setUint8(o, x),
  (v, o) => v.getUint8(o),
);
export const i8: Codec<number> = {
  size: 1,
  write: (_b, v, o, x) => v.setInt8(o, x),
  read: (_b, v, o) => v.getInt8(o),
};
export const u16le = intCodec(
  2,
  0xffff,
  (v, o, x) => v.setUint16(o, x, true),
  (v, o) => v.getUint16(o, true),
);
export const u16be = intCodec(
  2,
  0xffff,
  (v, o, x) => v.setUint16(o, x, false),
  (v, o) => v.getUint16(o, false),
);
export const i16le: Codec<number> = {
  size: 2,
  write: (_b, v, o, x) => v.setInt16(o, x, true),
  read: (_b, v, o) => v.getInt16(o, true),
};
export const u32le = intCodec(
  4,
  0xffffffff,
  (v, o, x) => v.setUint32(o, x, true),
  (v, o) => v.getUint32(o, true),
);
export const u32be = intCodec(
  4,
  0xffffffff,
  (v, o, x) => v.setUint32(o, x, false),
  (v, o) => v.getUint32(o, false),
);
/** 64-bit little-endian as a JS number: exact up to 2^53, which no disc reaches. */
export const u64le = intCodec(
  8,
  Number.MAX_SAFE_INTEGER,
  (v, o, x) => {
    v.setUint32(o, x % 0x1_0000_0000, true);
    v.setUint32(o + 4, Math.floor(x / 0x1_0000_0000), true);
  },
  (v, o) => v.getUint32(o, true) + v.getUint32(o + 4, true) * 0x1_0000_0000,
);

/** ECMA-119 7.2.3: 16-bit number recorded little-endian then big-endian. */
export const u16both = intCodec(
  4,
  0xffff,
  (v, o, x) => {
    v.setUint16(o, x, true);
    v.setUint16(o + 2, x, false);
  },
  (v, o) => v.getUint16(o, true),
);
/** ECMA-119 7.3.3: 32-bit number recorded little-endian then big-endian. */
export const u32both = intCodec(
  8,
  0xffffffff,
  (v, o, x) => {
    v.setUint32(o, x, true);
    v.setUint32(o + 4, x, false);
  },
  (v, o) => v.getUint32(o, true),
);

/** Raw bytes of a fixed width; shorter values are zero-padded, longer ones refused. */
export function bytes(size: number): Codec<Uint8Array> {
  return {
    size,
    write(out, _v, offset, value) {
      if (value.length > size) throw new RangeError(`${value.length} bytes do not fit in ${size}`);
      out.set(value, offset);
    },
    read: (b, _v, offset) => b.slice(offset, offset + size),
  };
}

/**
 * A fixed-width text field of single-byte characters padded with `pad`
 * (ECMA-119 7.4: a- and d-character fields are padded with spaces, 0x20).
 * Decoding strips trailing padding. Characters above 0xFF are refused.
 */
export function text(size: number, pad = 0x20): Codec<string> {
  return {
    size,
    write(out, _v, offset, value) {
      if (value.length > size) throw new RangeError(`"${value}" is longer than ${size}`);
      for (let i = 0; i < size; i++) {
        const c = i < value.length ? value.charCodeAt(i) : pad;
        if (c > 0xff) throw new RangeError(`"${value}" has a character above U+00FF`);
        out[offset + i] = c;
      }
    },
    read(b, _v, offset) {
      let end = offset + size;
      while (end > offset && b[end - 1] === pad) end--;
      return String.fromCharCode(...b.subarray(offset, end));
    },
  };
}

/**
 * A fixed-width UCS-2 big-endian text field padded with U+0020 (Joliet's
 * supplementary volume descriptor identifiers; Joliet specification 1995,
 * "Volume descriptor fields"). An odd trailing byte stays zero.
 */
export function ucs2Text(size: number): Codec<string> {
  return {
    size,
    write(out, view, offset, value) {
      if (value.length * 2 > size) throw new RangeError(`"${value}" does not fit in ${size} bytes`);
      for (let i = 0; i + 1 < size; i += 2) {
        view.setUint16(offset + i, i / 2 < value.length ? value.charCodeAt(i / 2) : 0x20, false);
      }
      if (size % 2) out[offset + size - 1] = 0;
    },
    read(_b, view, offset) {
      const units: number[] = [];
      for (let i = 0; i + 1 < size; i += 2) units.push(view.getUint16(offset + i, false));
      while (units.length && (units[units.length - 1] === 0x20 || units[units.length - 1] === 0)) {
        units.pop();
      }
      return String.fromCharCode(...units);
    },
  };
}

/** A nested layout used as one field (e.g. a UDF tag inside every descriptor). */
export function nested<T>(layout: Layout<T>): Codec<T> {
  return {
    size: layout.size,
    write(out, _v, offset, value) {
      layout.encodeInto(value, out, offset);
    },
    read: (b, _v, offset) => layout.decode(b.subarray(offset, offset + layout.size)),
  };
}

/** A field is [offset, codec]; the layout's value type follows from the codecs. */
export type FieldSpec = readonly [offset: number, codec: Codec<never>];
type ValueOf<C> = C extends Codec<infer T> ? T : never;
export type LayoutValue<F extends Record<string, readonly [number, Codec<unknown>]>> = {
  [K in keyof F]: ValueOf<F[K][1]>;
};

export interface Layout<T> {
  readonly name: string;
  readonly size: number;
  /** A new buffer of `size` bytes; bytes no field covers stay zero (reserved fields). */
  encode(value: T): Uint8Array;
  /** Writes into an existing buffer at `offset` (to build larger records in place). */
  encodeInto(value: T, out: Uint8Array, offset: number): void;
  /** Reads every field; throws DecodeError when fewer than `size` bytes are given. */
  decode(bytes: Uint8Array): T;
}

export function layout<const F extends Record<string, readonly [number, Codec<unknown>]>>(
  name: string,
  size: number,
  fields: F,
): Layout<LayoutValue<F>> {
  const entries = Object.entries(fields) as [string, readonly [number, Codec<unknown>]][];
  for (const [key, [offset, codec]] of entries) {
    if (offset < 0 || offset + codec.size > size) {
      throw new RangeError(`${name}.${key} does not fit in ${size} bytes`);
    }
  }
  const keys = entries.map(([k]) => k);
  const offsets = entries.map(([, [o]]) => o);
  const codecs = entries.map(([, [, c]]) => c);
  const encodeInto = (value: LayoutValue<F>, out: Uint8Array, base: number): void => {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const v = value as Record<string, unknown>;
    let i = 0;
    try {
      for (; i < keys.length; i++) {
        (codecs[i] as Codec<unknown>).write(
          out,
          view,
          base + (offsets[i] as number),
          v[keys[i] as string],
        );
      }
    } catch (e) {
      throw new RangeError(`${name}.${String(keys[i])}: ${(e as Error).message}`, { cause: e });
    }
  };
  return {
    name,
    size,
    encode(value) {
      const out = new Uint8Array(size);
      encodeInto(value, out, 0);
      return out;
    },
    encodeInto,
    decode(input) {
      if (input.length < size) {
        throw new DecodeError(`${name}: need ${size} bytes, got ${input.length}`);
      }
      const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
      const out: Record<string, unknown> = {};
      for (const [key, [offset, codec]] of entries) out[key] = codec.read(input, view, offset);
      return out as LayoutValue<F>;
    },
  };
}

/** True when every both-endian field at the given offsets agrees with itself. */
export function strictBothEndian(input: Uint8Array, u32At: number[], u16At: number[]): boolean {
  const v = new DataView(input.buffer, input.byteOffset, input.byteLength);
  return (
    u32At.every((o) => v.getUint32(o, true) === v.getUint32(o + 4, false)) &&
    u16At.every((o) => v.getUint16(o, true) === v.getUint16(o + 2, false))
  );
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
