/**
 * The System Use Sharing Protocol (SUSP 1.12, IEEE P1281): how Rock Ridge
 * entries live in a directory record's system use area (ECMA-119 9.1.13)
 * and, when they do not fit its 255 bytes, in continuation areas.
 */
import { bytes, concat, layout, u32both, u8, text } from '../binary/layout.ts';
import { DecodeError } from '../errors.ts';

/** SUSP 4.1: every entry starts with a two-letter signature, its length and a version. */
export const suspEntryHeader = layout('SuspEntryHeader', 4, {
  signature: [0, text(2)],
  length: [2, u8],
  version: [3, u8],
});

export interface SuspEntry {
  signature: string;
  version: number;
  /** The entry's bytes after its 4-byte header. */
  data: Uint8Array;
}

/** Entries are at most 255 bytes (their length is one byte). */
export const MAX_ENTRY = 255;

export function encodeSuspEntry(signature: string, version: number, data: Uint8Array): Uint8Array {
  const length = 4 + data.length;
  if (length > MAX_ENTRY) throw new RangeError(`${signature} entry of ${length} bytes`);
  const out = new Uint8Array(length);
  suspEntryHeader.encodeInto({ signature, length, version }, out, 0);
  out.set(data, 4);
  return out;
}

/**
 * Splits a system use area into entries. Stops at a zero pad byte, at fewer
 * than four bytes left, or at ST (5.4), as readers do.
 */
export function decodeSuspEntries(area: Uint8Array, skip = 0): SuspEntry[] {
  const out: SuspEntry[] = [];
  let o = skip;
  while (o + 4 <= area.length) {
    if (area[o] === 0) break;
    const h = suspEntryHeader.decode(area.subarray(o, o + 4));
    if (h.length < 4 || o + h.length > area.length) {
      throw new DecodeError(`SUSP entry ${h.signature} of ${h.length} bytes at ${o} overruns`);
    }
    if (h.signature === 'ST') break;
    out.push({ signature: h.signature, version: h.version, data: area.slice(o + 4, o + h.length) });
    o += h.length;
  }
  return out;
}

/** SUSP 5.3 "SP" body: marks SUSP in use; only at the start of the root's "." record. */
export const spBody = layout('SuspSP', 3, {
  check: [0, bytes(2)],
  lenSkp: [2, u8],
});
export const SP_CHECK = Uint8Array.of(0xbe, 0xef);

export function encodeSP(): Uint8Array {
  return encodeSuspEntry('SP', 1, spBody.encode({ check: SP_CHECK, lenSkp: 0 }));
}

/** SUSP 5.1 "CE" body: where the rest of the entries continue (block, offset, length). */
export const ceBody = layout('SuspCE', 24, {
  block: [0, u32both],
  offset: [8, u32both],
  length: [16, u32both],
});
export const CE_LENGTH = 4 + ceBody.size;

export interface ContinuationArea {
  block: number;
  offset: number;
  length: number;
}

export function encodeCE(at: ContinuationArea): Uint8Array {
  return encodeSuspEntry('CE', 1, ceBody.encode(at));
}

export function decodeCE(e: SuspEntry): ContinuationArea {
  return ceBody.decode(e.data);
}

/** SUSP 5.5 "ER": names the extension in use (here Rock Ridge), in the root's "." record. */
export interface ExtensionReference {
  id: string;
  descriptor: string;
  source: string;
  version: number;
}

export function encodeER(er: ExtensionReference): Uint8Array {
  const head = Uint8Array.of(er.id.length, er.descriptor.length, er.source.length, er.version);
  const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
  return encodeSuspEntry(
    'ER',
    1,
    concat([head, ascii(er.id), ascii(er.descriptor), ascii(er.source)]),
  );
}

export function decodeER(e: SuspEntry): ExtensionReference {
  const [li = 0, ld = 0, ls = 0, version = 0] = e.data;
  const s = (a: number, n: number): string => String.fromCharCode(...e.data.subarray(a, a + n));
  if (4 + li + ld + ls > e.data.length) throw new DecodeError('ER entry overruns');
  return { id: s(4, li), descriptor: s(4 + li, ld), source: s(4 + li + ld, ls), version };
}

/**
 * Where each entry of one record goes: as many as fit in the record (`room`
 * bytes), and the rest in continuation areas chained by CE entries. Each
 * area stays inside one sector (Linux refuses an area that crosses one).
 * The CE entries themselves are added by `assembleSystemUse` once the areas
 * have addresses.
 */
export interface SystemUsePlan {
  inline: Uint8Array[];
  /** Entries of each continuation area, in chain order. */
  areas: Uint8Array[][];
}

export function planSystemUse(entries: Uint8Array[], room: number, areaMax = 2048): SystemUsePlan {
  const total = entries.reduce((n, e) => n + e.length, 0);
  if (total <= room) return { inline: entries, areas: [] };
  const inline: Uint8Array[] = [];
  let used = 0;
  let i = 0;
  for (; i < entries.length; i++) {
    const e = entries[i] as Uint8Array;
    if (used + e.length + CE_LENGTH > room) break;
    inline.push(e);
    used += e.length;
  }
  const areas: Uint8Array[][] = [];
  while (i < entries.length) {
    const area: Uint8Array[] = [];
    let n = 0;
    let rest = 0;
    for (let k = i; k < entries.length; k++) rest += (entries[k] as Uint8Array).length;
    for (; i < entries.length; i++) {
      const e = entries[i] as Uint8Array;
      const last = n + rest <= areaMax;
      if (n + e.length + (last ? 0 : CE_LENGTH) > areaMax) break;
      area.push(e);
      n += e.length;
      rest -= e.length;
    }
    if (area.length === 0) throw new RangeError('a SUSP entry does not fit a continuation area');
    areas.push(area);
  }
  return { inline, areas };
}

/** The byte length of continuation area `i` including its chaining CE. */
export function areaLength(p: SystemUsePlan, i: number): number {
  const area = p.areas[i] ?? [];
  return area.reduce((n, e) => n + e.length, 0) + (i < p.areas.length - 1 ? CE_LENGTH : 0);
}

export function inlineLength(p: SystemUsePlan): number {
  return p.inline.reduce((n, e) => n + e.length, 0) + (p.areas.length ? CE_LENGTH : 0);
}

/** The record's system use bytes and each area's bytes, with CEs pointing at `placed`. */
export function assembleSystemUse(
  p: SystemUsePlan,
  placed: readonly ContinuationArea[],
): { inline: Uint8Array; areas: Uint8Array[] } {
  const withCe = (parts: Uint8Array[], next: ContinuationArea | undefined): Uint8Array =>
    concat(next ? [...parts, encodeCE(next)] : parts);
  return {
    inline: withCe(p.inline, placed[0]),
    areas: p.areas.map((a, i) => withCe(a, placed[i + 1])),
  };
}
