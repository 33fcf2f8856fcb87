/**
 * READ TOC/PMA/ATIP data (MMC-6 §6.26): formats 0 (TOC), 1 (session
 * information), 2 (full TOC) and 4 (ATIP).
 */
import type { Disc } from '../disc.ts';
import type { MediaInfo } from '../media.ts';
import { concat, lbaToMsf, put16, putAddress } from './fields.ts';

const ADR_CTL_DATA = 0x14; // ADR 1 (Q mode 1) | CONTROL 4 (data track, recorded uninterrupted)
const LEAD_OUT = 0xaa;

/**
 * Format 0000b, TOC (MMC-6 §6.26.3.2):
 *  0-1 TOC DATA LENGTH (n - 2)   2 FIRST TRACK NUMBER   3 LAST TRACK NUMBER
 *  then 8-byte descriptors: 0 reserved, 1 ADR|CONTROL, 2 TRACK NUMBER, 3 reserved,
 *  4-7 TRACK START ADDRESS (LBA, or 00 M S F with MSF=1); the last one is the
 *  lead-out (AAh). Only tracks of closed sessions appear, as in a CD's TOC.
 *  Returns undefined when `startTrack` is past the last track (5/24/00).
 */
export function tocFormat0(disc: Disc, msf: boolean, startTrack: number): Uint8Array | undefined {
  const sessions = disc.sessions().filter((s) => s.closed);
  const last = sessions[sessions.length - 1];
  if (!last) return undefined;
  const tracks = disc.tracks.filter((t) => t.session <= last.number);
  const lastTrackNumber = tracks[tracks.length - 1]?.number ?? 1;
  const from = startTrack === 0 ? 1 : startTrack;
  if (from !== LEAD_OUT && from > lastTrackNumber) return undefined;
  const listed = from === LEAD_OUT ? [] : tracks.filter((t) => t.number >= from);
  const b = new Uint8Array(4 + 8 * (listed.length + 1));
  put16(b, 0, b.length - 2);
  b[2] = tracks[0]?.number ?? 1;
  b[3] = lastTrackNumber;
  let at = 4;
  for (const t of listed) {
    b[at + 1] = ADR_CTL_DATA;
    b[at + 2] = t.number;
    putAddress(b, at + 4, t.start, msf);
    at += 8;
  }
  b[at + 1] = ADR_CTL_DATA;
  b[at + 2] = LEAD_OUT;
  putAddress(b, at + 4, last.leadOut, msf);
  return b;
}

/**
 * Format 0001b, session information (MMC-6 §6.26.3.3):
 *  0-1 DATA LENGTH = 0Ah  2 FIRST COMPLETE SESSION  3 LAST COMPLETE SESSION
 *  4-11 one descriptor: ADR|CONTROL at 5, FIRST TRACK NUMBER IN LAST COMPLETE SESSION at 6,
 *  its START ADDRESS at 8-11.
 */
export function tocFormat1(disc: Disc, msf: boolean): Uint8Array | undefined {
  const sessions = disc.sessions().filter((s) => s.closed);
  const last = sessions[sessions.length - 1];
  if (!last) return undefined;
  const b = new Uint8Array(12);
  put16(b, 0, 10);
  b[2] = 1;
  b[3] = last.number;
  b[5] = ADR_CTL_DATA;
  b[6] = last.firstTrack;
  putAddress(b, 8, last.start, msf);
  return b;
}

/**
 * Format 0010b, full TOC (MMC-6 §6.26.3.4): 0-1 length, 2 first / 3 last
 * complete session, then 11-byte descriptors: 0 SESSION, 1 ADR|CONTROL, 2 TNO,
 * 3 POINT, 4-6 MIN SEC FRAME (ATIME, 0 here), 7 ZERO, 8-10 PMIN PSEC PFRAME.
 * Per session: A0 (first track, disc type 00h), A1 (last track), A2 (lead-out),
 * one point per track; an appendable disc's last session adds B0 (ADR 5:
 * next program area start in MIN/SEC/FRAME, last possible lead-out in P-MSF).
 */
export function tocFormat2(disc: Disc, startSession: number): Uint8Array | undefined {
  const sessions = disc.sessions().filter((s) => s.closed && s.number >= Math.max(1, startSession));
  const all = disc.sessions().filter((s) => s.closed);
  const lastAll = all[all.length - 1];
  if (!lastAll || sessions.length === 0) return undefined;
  const rows: Uint8Array[] = [];
  const row = (session: number, adrCtl: number, point: number, a: number[], p: number[]) => {
    const r = new Uint8Array(11);
    r[0] = session;
    r[1] = adrCtl;
    r[3] = point;
    r.set(a.slice(0, 4), 4);
    r.set(p.slice(0, 3), 8);
    rows.push(r);
  };
  const next = disc.invisibleTrack;
  for (const s of sessions) {
    row(s.number, ADR_CTL_DATA, 0xa0, [0, 0, 0, 0], [s.firstTrack, 0x00, 0]);
    row(s.number, ADR_CTL_DATA, 0xa1, [0, 0, 0, 0], [s.lastTrack, 0, 0]);
    row(s.number, ADR_CTL_DATA, 0xa2, [0, 0, 0, 0], lbaToMsf(s.leadOut));
    for (const t of disc.tracks.filter((x) => x.session === s.number)) {
      row(s.number, ADR_CTL_DATA, t.number, [0, 0, 0, 0], lbaToMsf(t.start));
    }
    if (s.number === lastAll.number && next) {
      const [m, sec, f] = lbaToMsf(next.start);
      row(s.number, 0x54, 0xb0, [m, sec, f, 1], lbaToMsf(disc.capacity));
    }
  }
  const body = concat(rows);
  const b = new Uint8Array(4 + body.length);
  put16(b, 0, b.length - 2);
  b[2] = all[0]?.number ?? 1;
  b[3] = lastAll.number;
  b.set(body, 4);
  return b;
}

/** ATIP lead-in start of a typical 80-minute disc (97:26:66), in MSF. */
export const ATIP_LEAD_IN: readonly [number, number, number] = [97, 26, 66];

/**
 * Format 0100b, ATIP (MMC-6 §6.26.3.6), CD-R/RW only:
 *  0-1 DATA LENGTH = 26   4 bit7=1 | INDICATIVE TARGET WRITING POWER(6:4) | REFERENCE SPEED(2:0)
 *  5 URU(6)   6 bit7=1 | DISC TYPE(6) (1 = CD-RW) | DISC SUB-TYPE(5:3) | A1/A2/A3 valid(2:0)
 *  8-10 ATIP START TIME OF LEAD-IN (M S F)   12-14 LAST POSSIBLE START TIME OF LEAD-OUT (M S F)
 */
export function tocFormat4(media: MediaInfo): Uint8Array {
  const b = new Uint8Array(28);
  put16(b, 0, 26);
  b[4] = 0x80 | (5 << 4) | (media.kind === 'erasable' ? 0x01 : 0x00);
  b[6] = 0x80 | (media.kind === 'erasable' ? 0x40 : 0x00);
  b.set(ATIP_LEAD_IN, 8);
  b.set(lbaToMsf(media.capacity), 12);
  return b;
}
