/**
 * READ DISC INFORMATION (MMC-6 §6.22) and READ TRACK INFORMATION (MMC-6
 * §6.27) data.
 */
import type { Disc, Track } from '../disc.ts';
import { put16, put32, putAddress } from './fields.ts';
import { ATIP_LEAD_IN } from './toc.ts';

// ---- READ DISC INFORMATION (MMC-6 §6.22) ------------------------------------------

/**
 * Standard disc information, 34 bytes (MMC-6 §6.22.3.1):
 *  0-1 DISC INFORMATION LENGTH = 32
 *  2   DATA TYPE(7:5)=000 | ERASABLE(4) | STATE OF LAST SESSION(3:2) | DISC STATUS(1:0)
 *  3   NUMBER OF FIRST TRACK ON DISC
 *  4   NUMBER OF SESSIONS (LSB)   5 FIRST TRACK IN LAST SESSION (LSB)   6 LAST TRACK IN LAST SESSION (LSB)
 *  7   DID_V DBC_V URU DAC_V | BG FORMAT STATUS(1:0) (DVD+RW: 00b none, 01b stopped, 10b running, 11b complete)
 *  8   DISC TYPE (00h CD-DA/CD-ROM)
 *  9-11 the MSBs of 4, 5, 6
 *  16-19 LAST SESSION LEAD-IN START ADDRESS   20-23 LAST POSSIBLE LEAD-OUT START ADDRESS
 *        (MSF on CD, LBA otherwise; FFFFFFFFh when the disc is complete)
 *  24-31 DISC BAR CODE   32 DISC APPLICATION CODE   33 NUMBER OF OPC TABLES = 0
 */
export function discInformation(disc: Disc): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(34);
  put16(b, 0, 32);
  const status = disc.status;
  b[2] = (disc.media.erasable ? 0x10 : 0) | (disc.lastSessionState << 2) | status;
  b[3] = 1;
  const sessions = disc.sessionCount;
  const lastSession = disc.tracks.filter((t) => t.session === sessions);
  const first = lastSession[0]?.number ?? 1;
  const last = lastSession[lastSession.length - 1]?.number ?? 1;
  b[4] = sessions & 0xff;
  b[5] = first & 0xff;
  b[6] = last & 0xff;
  b[9] = sessions >> 8;
  b[10] = first >> 8;
  b[11] = last >> 8;
  // DVD+RW: BG FORMAT STATUS (background-format.ts): 00b none, 01b stopped, 10b running, 11b complete.
  if (disc.media.name === 'dvd+rw') b[7] = disc.background?.status ?? 0;
  b[8] = 0x00;
  const cd = disc.media.family === 'cd';
  const inv = disc.invisibleTrack;
  if (status === 2 || status === 3 || !inv) {
    put32(b, 16, 0xffffffff);
    put32(b, 20, 0xffffffff);
  } else if (cd) {
    if (disc.closedSessions === 0) b.set([0, ...ATIP_LEAD_IN], 16);
    else putAddress(b, 16, inv.start - 4500 - 150, true); // lead-in precedes the pre-gap
    putAddress(b, 20, disc.capacity, true);
  } else {
    put32(b, 16, inv.start);
    put32(b, 20, disc.capacity);
  }
  return b;
}

// ---- READ TRACK INFORMATION (MMC-6 §6.27) --------------------------------------------

/**
 * Track information, 48 bytes (MMC-6 §6.27.3):
 *  0-1 DATA LENGTH = 46   2 TRACK NUMBER (LSB)   3 SESSION NUMBER (LSB)
 *  5   DAMAGE(5) COPY(4) | TRACK MODE(3:0) = 4 (data)
 *  6   RT(7) BLANK(6) PACKET/INC(5) FP(4) | DATA MODE(3:0) (1 = Mode 1, Fh = unknown/blank)
 *  7   LRA_V(1) NWA_V(0)
 *  8-11 TRACK START ADDRESS   12-15 NEXT WRITABLE ADDRESS   16-19 FREE BLOCKS
 *  20-23 FIXED PACKET SIZE / BLOCKING FACTOR   24-27 TRACK SIZE   28-31 LAST RECORDED ADDRESS
 *  32 TRACK NUMBER (MSB)   33 SESSION NUMBER (MSB)   36-39 READ COMPATIBILITY LBA
 *  40-43 NEXT LAYER JUMP ADDRESS   44-47 LAST LAYER JUMP ADDRESS
 */
export function trackInformation(
  disc: Disc,
  t: Track,
  options: { readonly hideNwa?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(48);
  put16(b, 0, 46);
  b[2] = t.number & 0xff;
  b[3] = t.session & 0xff;
  b[32] = t.number >> 8;
  b[33] = t.session >> 8;
  b[5] = 0x04;
  const blank = t.recorded === 0 && !(disc.media.kind === 'formattable' && disc.formatted);
  const incremental = disc.sequential && !t.reserved;
  b[6] =
    (t.reserved ? 0x80 : 0) |
    (blank ? 0x40 : 0) |
    (incremental && disc.media.family !== 'cd' ? 0x20 : 0) |
    (blank ? 0x0f : 0x01);
  // A drive that reports the NWA only once the write parameters are set (LG GSA-4082B, libburn write.c).
  const nwa = options.hideNwa ? undefined : disc.nextWritableAddress(t);
  const lraValid = t.recorded > 0 && disc.sequential && disc.media.family !== 'cd';
  b[7] = (lraValid ? 0x02 : 0) | (nwa !== undefined ? 0x01 : 0);
  put32(b, 8, t.start);
  put32(b, 12, nwa ?? 0);
  put32(b, 16, disc.freeBlocks(t));
  put32(b, 20, disc.media.family === 'cd' ? 0 : disc.media.blocking);
  put32(b, 24, t.size ?? disc.capacity - t.start);
  put32(b, 28, t.recorded > 0 ? t.start + t.recorded - 1 : 0);
  return b;
}
