/**
 * Rock Ridge Interchange Protocol entries (RRIP 1.12, IEEE P1282; with the
 * RRIP 1.09 "RR" entry mkisofs still writes): POSIX attributes, names of
 * any length and any bytes, symbolic links, time stamps, and the relocation
 * of directories deeper than ECMA-119 allows (6.8.2.1: eight levels).
 * Each entry is a SUSP entry (susp.ts) whose body is defined here.
 */
import { concat, layout, u32both } from '../binary/layout.ts';
import { utf8Decode, utf8Encode } from '../binary/text.ts';
import { DecodeError } from '../errors.ts';
import { recordingDate, type Time } from './dates.ts';
import { encodeSuspEntry, type SuspEntry } from './susp.ts';

/** The SUSP "ER" identification of Rock Ridge (RRIP 1.10/1.12 §5, as mkisofs and libisofs write it). */
export const RRIP_ER = {
  id: 'RRIP_1991A',
  descriptor:
    'THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS',
  source:
    'PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.',
  version: 1,
} as const;

/** POSIX file type bits of st_mode (RRIP 4.1.1 records them in PX). */
export const PosixType = {
  mask: 0o170000,
  dir: 0o040000,
  file: 0o100000,
  symlink: 0o120000,
} as const;

/**
 * RRIP 4.1.1 "PX" body: mode, link count, uid, gid and (RRIP 1.12) the file
 * serial number, which lets readers such as libisofs recognise hard links.
 */
export const pxBody = layout('RripPX', 40, {
  mode: [0, u32both],
  links: [8, u32both],
  uid: [16, u32both],
  gid: [24, u32both],
  ino: [32, u32both],
});
export type PosixAttributes = ReturnType<typeof pxBody.decode>;

export function encodePX(a: PosixAttributes): Uint8Array {
  return encodeSuspEntry('PX', 1, pxBody.encode(a));
}

export function decodePX(e: SuspEntry): PosixAttributes {
  // A 36-byte RRIP 1.10 PX has no serial number.
  if (e.data.length < 40)
    return pxBody.decode(concat([e.data, new Uint8Array(40 - e.data.length)]));
  return pxBody.decode(e.data);
}

/** RRIP 4.1.2 "PN" body: device number (not written: trees hold no device files). */
export const pnBody = layout('RripPN', 16, { high: [0, u32both], low: [8, u32both] });

/** RRIP 4.1.5.1 "CL" and 4.1.5.2 "PL" bodies: the location of a relocated directory / its real parent. */
export const linkBody = layout('RripCLPL', 8, { location: [0, u32both] });

export function encodeCL(location: number): Uint8Array {
  return encodeSuspEntry('CL', 1, linkBody.encode({ location }));
}
export function encodePL(location: number): Uint8Array {
  return encodeSuspEntry('PL', 1, linkBody.encode({ location }));
}
/** RRIP 4.1.5.3 "RE": this record is a relocated directory; readers skip it in rr_moved. */
export function encodeRE(): Uint8Array {
  return encodeSuspEntry('RE', 1, new Uint8Array(0));
}

/** The RRIP 1.09 "RR" entry's flags (dropped from RRIP 1.12; mkisofs still writes it): which entries the record carries. */
export const RrFlags = {
  PX: 0x01,
  PN: 0x02,
  SL: 0x04,
  NM: 0x08,
  CL: 0x10,
  PL: 0x20,
  RE: 0x40,
  TF: 0x80,
} as const;

export function encodeRR(flags: number): Uint8Array {
  return encodeSuspEntry('RR', 1, Uint8Array.of(flags));
}

/** RRIP 4.1.6 "TF" flags: which time stamps follow, in this order. */
export const TfFlags = {
  creation: 0x01,
  modify: 0x02,
  access: 0x04,
  attributes: 0x08,
  backup: 0x10,
  expiration: 0x20,
  effective: 0x40,
  longForm: 0x80,
} as const;

export interface Times {
  modify: Time;
  access: Time;
  attributes: Time;
}

/** TF with modify, access and attribute-change times in the 7-byte form (ECMA-119 9.1.5). */
export function encodeTF(t: Times): Uint8Array {
  const body = new Uint8Array(1 + 3 * 7);
  const view = new DataView(body.buffer);
  body[0] = TfFlags.modify | TfFlags.access | TfFlags.attributes;
  recordingDate.write(body, view, 1, t.modify);
  recordingDate.write(body, view, 8, t.access);
  recordingDate.write(body, view, 15, t.attributes);
  return encodeSuspEntry('TF', 1, body);
}

export function decodeTF(e: SuspEntry): Partial<Record<keyof typeof TfFlags, Time>> {
  const flags = e.data[0] ?? 0;
  const width = flags & TfFlags.longForm ? 17 : 7;
  const view = new DataView(e.data.buffer, e.data.byteOffset, e.data.byteLength);
  const out: Partial<Record<keyof typeof TfFlags, Time>> = {};
  let o = 1;
  for (const [key, bit] of Object.entries(TfFlags) as [keyof typeof TfFlags, number][]) {
    if (bit === TfFlags.longForm || !(flags & bit)) continue;
    if (o + width > e.data.length) throw new DecodeError('TF entry overruns');
    // The long form (ECMA-119 8.4.26.1) is not written here; read the short form only.
    out[key] = width === 7 ? recordingDate.read(e.data, view, o) : undefined;
    o += width;
  }
  return out;
}

/** RRIP 4.1.4 "NM" flags. */
export const NmFlags = { continue: 0x01, current: 0x02, parent: 0x04 } as const;
const MAX_BODY = 255 - 4;

/** The name as NM entries of at most 255 bytes each, chained by the CONTINUE flag. */
export function encodeNM(name: string): Uint8Array[] {
  const bytes = utf8Encode(name);
  const out: Uint8Array[] = [];
  const step = MAX_BODY - 1;
  for (let o = 0; o < bytes.length || o === 0; o += step) {
    const part = bytes.subarray(o, o + step);
    const more = o + step < bytes.length;
    out.push(encodeSuspEntry('NM', 1, concat([Uint8Array.of(more ? NmFlags.continue : 0), part])));
    if (!more) break;
  }
  return out;
}

/** RRIP 4.1.3.1 "SL" component record flags. */
export const SlComponentFlags = {
  continue: 0x01,
  current: 0x02,
  parent: 0x04,
  root: 0x08,
} as const;

/**
 * A symbolic link's target as SL entries (RRIP 4.1.3): one component record
 * per path component (root, ".", ".." by flag), long components split by the
 * component CONTINUE flag, entries chained by the entry CONTINUE flag.
 */
export function encodeSL(target: string): Uint8Array[] {
  const records: Uint8Array[] = [];
  const parts = target.split('/');
  if (target.startsWith('/')) records.push(Uint8Array.of(SlComponentFlags.root, 0));
  parts.forEach((p, i) => {
    if (p === '' && (i === 0 || i === parts.length - 1)) return;
    if (p === '.') records.push(Uint8Array.of(SlComponentFlags.current, 0));
    else if (p === '..') records.push(Uint8Array.of(SlComponentFlags.parent, 0));
    else {
      const b = utf8Encode(p);
      const step = MAX_BODY - 1 - 2;
      for (let o = 0; o < b.length || o === 0; o += step) {
        const piece = b.subarray(o, o + step);
        const more = o + step < b.length;
        records.push(concat([Uint8Array.of(more ? 1 : 0, piece.length), piece]));
        if (!more) break;
      }
    }
  });
  const entries: Uint8Array[][] = [[]];
  let used = 0;
  for (const r of records) {
    if (used + r.length > MAX_BODY - 1) {
      entries.push([]);
      used = 0;
    }
    (entries[entries.length - 1] as Uint8Array[]).push(r);
    used += r.length;
  }
  return entries.map((rs, i) =>
    encodeSuspEntry('SL', 1, concat([Uint8Array.of(i < entries.length - 1 ? 1 : 0), ...rs])),
  );
}

/** What a reader learns from one record's Rock Ridge entries. */
export interface RockRidgeInfo {
  name?: string;
  target?: string;
  attributes?: PosixAttributes;
  times?: ReturnType<typeof decodeTF>;
  childLink?: number;
  parentLink?: number;
  relocated: boolean;
}

export function decodeRockRidge(entries: readonly SuspEntry[]): RockRidgeInfo {
  const info: RockRidgeInfo = { relocated: false };
  const name: Uint8Array[] = [];
  let target = '';
  let slStarted = false;
  let componentOpen = false;
  let sawNm = false;
  for (const e of entries) {
    switch (e.signature) {
      case 'NM':
        sawNm = true;
        if ((e.data[0] ?? 0) & NmFlags.current) name.push(Uint8Array.of(0x2e));
        else if ((e.data[0] ?? 0) & NmFlags.parent) name.push(Uint8Array.of(0x2e, 0x2e));
        else name.push(e.data.subarray(1));
        break;
      case 'SL': {
        let o = 1;
        while (o + 2 <= e.data.length) {
          const flags = e.data[o] ?? 0;
          const len = e.data[o + 1] ?? 0;
          const content = utf8Decode(e.data.subarray(o + 2, o + 2 + len));
          let piece = content;
          if (flags & SlComponentFlags.root) piece = '/';
          else if (flags & SlComponentFlags.current) piece = '.';
          else if (flags & SlComponentFlags.parent) piece = '..';
          const sep = slStarted && !componentOpen && !target.endsWith('/') ? '/' : '';
          target += sep + piece;
          slStarted = true;
          componentOpen = (flags & SlComponentFlags.continue) !== 0;
          o += 2 + len;
        }
        info.target = target;
        break;
      }
      case 'PX':
        info.attributes = decodePX(e);
        break;
      case 'TF':
        info.times = decodeTF(e);
        break;
      case 'CL':
        info.childLink = linkBody.decode(e.data).location;
        break;
      case 'PL':
        info.parentLink = linkBody.decode(e.data).location;
        break;
      case 'RE':
        info.relocated = true;
        break;
    }
  }
  if (sawNm) info.name = utf8Decode(concat(name));
  return info;
}
