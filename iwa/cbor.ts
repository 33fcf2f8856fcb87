/**
 * Just enough CBOR (RFC 8949) to read a Signed Web Bundle's integrity block
 * and check its signature without trusting the library that wrote it:
 * definite-length items only, which is all deterministic CBOR has. Every
 * item keeps its byte range, because the signature covers exact bytes.
 */

export interface CborItem {
  readonly major: number;
  /** Offset of the item's first byte (its head). */
  readonly start: number;
  /** Offset just past the item (head and content). */
  readonly end: number;
  /** Plain value: number/bigint, Uint8Array, string, unknown[], Map, boolean or null. */
  readonly value: unknown;
  /** Array members, with their own byte ranges. */
  readonly items?: readonly CborItem[];
  /** Map entries, with their own byte ranges. */
  readonly entries?: readonly (readonly [CborItem, CborItem])[];
}

const Major = {
  Uint: 0,
  Negative: 1,
  Bytes: 2,
  Text: 3,
  Array: 4,
  Map: 5,
  Tag: 6,
  Simple: 7,
} as const;

function readArgument(bytes: Uint8Array, at: number): { arg: number | bigint; next: number } {
  const info = bytes[at]! & 0x1f;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n: number) => {
    if (at + 1 + n > bytes.length) throw new RangeError(`CBOR: truncated at byte ${at}`);
  };
  if (info < 24) return { arg: info, next: at + 1 };
  if (info === 24) return (need(1), { arg: view.getUint8(at + 1), next: at + 2 });
  if (info === 25) return (need(2), { arg: view.getUint16(at + 1), next: at + 3 });
  if (info === 26) return (need(4), { arg: view.getUint32(at + 1), next: at + 5 });
  if (info === 27) {
    need(8);
    const big = view.getBigUint64(at + 1);
    return { arg: big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big, next: at + 9 };
  }
  throw new RangeError(`CBOR: indefinite or reserved length (info ${info}) at byte ${at}`);
}

function length(arg: number | bigint, at: number): number {
  if (typeof arg === 'bigint') throw new RangeError(`CBOR: length too large at byte ${at}`);
  return arg;
}

/** Decodes the one item that starts at `start` (further bytes are left alone). */
export function decodeCbor(bytes: Uint8Array, start = 0): CborItem {
  if (start >= bytes.length) throw new RangeError(`CBOR: no item at byte ${start}`);
  const major = bytes[start]! >> 5;
  const { arg, next } = readArgument(bytes, start);
  switch (major) {
    case Major.Uint:
      return { major, start, end: next, value: arg };
    case Major.Negative:
      return { major, start, end: next, value: typeof arg === 'bigint' ? -1n - arg : -1 - arg };
    case Major.Bytes:
    case Major.Text: {
      const end = next + length(arg, start);
      if (end > bytes.length) throw new RangeError(`CBOR: string past the end at byte ${start}`);
      const raw = bytes.subarray(next, end);
      const value =
        major === Major.Text ? new TextDecoder('utf-8', { fatal: true }).decode(raw) : raw;
      return { major, start, end, value };
    }
    case Major.Array: {
      const items: CborItem[] = [];
      let at = next;
      for (let i = 0; i < length(arg, start); i++) {
        const item = decodeCbor(bytes, at);
        items.push(item);
        at = item.end;
      }
      return { major, start, end: at, value: items.map((i) => i.value), items };
    }
    case Major.Map: {
      const entries: [CborItem, CborItem][] = [];
      let at = next;
      for (let i = 0; i < length(arg, start); i++) {
        const key = decodeCbor(bytes, at);
        const value = decodeCbor(bytes, key.end);
        entries.push([key, value]);
        at = value.end;
      }
      return {
        major,
        start,
        end: at,
        value: new Map(entries.map(([k, v]) => [k.value, v.value])),
        entries,
      };
    }
    case Major.Simple: {
      const simple = { 20: false, 21: true, 22: null } as Record<number, boolean | null>;
      if (typeof arg === 'number' && arg in simple)
        return { major, start, end: next, value: simple[arg] };
      throw new RangeError(`CBOR: unsupported simple value or float at byte ${start}`);
    }
    default:
      throw new RangeError(`CBOR: tags are not used in web bundles (byte ${start})`);
  }
}
