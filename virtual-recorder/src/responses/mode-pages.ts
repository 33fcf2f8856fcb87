/**
 * MODE SENSE / MODE SELECT data (SPC-4 §7.5, MMC-6 §7): the Write Parameters
 * page 05h, the CD/DVD Capabilities page 2Ah and the MODE SENSE(10) header.
 */
import { concat, put16 } from './fields.ts';

export const WRITE_PARAMETERS_PAGE = 0x05;
export const CAPABILITIES_PAGE = 0x2a;
export const PAGE_05_LENGTH = 0x32;

/**
 * Write Parameters mode page 05h (MMC-6 §7.5.2), 52 bytes:
 *  0 PS(7) SPF(6) | PAGE CODE 05h   1 PAGE LENGTH 32h
 *  2 BUFE(6) LS_V(5) TEST WRITE(4) | WRITE TYPE(3:0) (0 packet/incremental, 1 TAO, 2 SAO/DAO, 3 raw)
 *  3 MULTI-SESSION(7:6) FP(5) COPY(4) | TRACK MODE(3:0)
 *  4 DATA BLOCK TYPE(3:0) (8 = Mode 1, 2048 bytes)   5 LINK SIZE   7 INITIATOR APPLICATION CODE(5:0)
 *  8 SESSION FORMAT   10-13 PACKET SIZE   14-15 AUDIO PAUSE LENGTH
 *  16-31 MEDIA CATALOG NUMBER   32-47 ISRC   48-51 SUB-HEADER
 */
export function defaultWriteParameters(): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(2 + PAGE_05_LENGTH);
  b[0] = WRITE_PARAMETERS_PAGE;
  b[1] = PAGE_05_LENGTH;
  b[2] = 0x40 | 0x01; // BUFE on, TAO
  b[3] = 0x04; // no next session, data track
  b[4] = 0x08; // Mode 1
  put16(b, 14, 150);
  return b;
}

/**
 * Which bits of page 05h MODE SELECT may change (the PC = 01b "changeable"
 * view). TEST WRITE (byte 2 bit 4) is changeable only where the medium has a
 * test write: CD-R/RW and DVD-R/RW (MMC-6 §7.5.4; DVD+R/+RW and BD have
 * none), so `testWrite` says whether the loaded medium can simulate.
 */
export function writeParametersChangeable(testWrite = false): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(2 + PAGE_05_LENGTH);
  b[0] = WRITE_PARAMETERS_PAGE;
  b[1] = PAGE_05_LENGTH;
  b[2] = 0x6f | (testWrite ? 0x10 : 0); // BUFE, LS_V, write type; TEST WRITE where the medium has it
  b[3] = 0xff;
  b[4] = 0x0f;
  b[5] = 0xff;
  b[7] = 0x3f;
  b[8] = 0xff;
  b.fill(0xff, 10, 2 + PAGE_05_LENGTH);
  return b;
}

export interface CapabilitiesContext {
  readonly locked: boolean;
  readonly bufferBytes: number;
  readonly maxReadSpeed: number;
  readonly readSpeed: number;
  readonly maxWriteSpeed: number;
  readonly writeSpeed: number;
  readonly writeSpeeds: readonly number[];
}

/**
 * CD/DVD Capabilities and Mechanical Status page 2Ah (MMC-3 §5.5.10, kept by
 * MMC-6 as a legacy page), 32 + 4n bytes:
 *  2 DVD-RAM/DVD-R/DVD-ROM READ(5:3) METHOD 2(2) CD-RW READ(1) CD-R READ(0)
 *  3 DVD-RAM/DVD-R WRITE(5:4) TEST WRITE(2) CD-RW WRITE(1) CD-R WRITE(0)
 *  4 BUF(7) MULTI SESSION(6)   6 LOADING MECHANISM(7:5) EJECT(3) PREVENT JUMPER(2) LOCK STATE(1) LOCK(0)
 *  8-9 MAX READ SPEED   12-13 BUFFER SIZE (KiB)   14-15 CURRENT READ SPEED
 *  18-19 MAX WRITE SPEED   20-21 CURRENT WRITE SPEED   27 ROTATION CONTROL SELECTED
 *  28-29 CURRENT WRITE SPEED SELECTED   30-31 NUMBER OF WRITE SPEED DESCRIPTORS (n)
 *  32.. descriptors: 1 ROTATION CONTROL(1:0), 2-3 WRITE SPEED SUPPORTED (kB/s)
 */
export function capabilitiesPage(ctx: CapabilitiesContext, changeable: boolean): Uint8Array {
  const n = ctx.writeSpeeds.length;
  const b = new Uint8Array(32 + 4 * n);
  b[0] = CAPABILITIES_PAGE;
  b[1] = b.length - 2;
  if (changeable) return b; // nothing in page 2Ah is changeable
  b[2] = 0x1f;
  b[3] = 0x17; // CD-R, CD-RW, DVD-R write and TEST WRITE (bit 2)
  b[4] = 0xc0;
  b[6] = 0x20 | 0x08 | (ctx.locked ? 0x02 : 0) | 0x01;
  put16(b, 8, ctx.maxReadSpeed);
  put16(b, 12, Math.floor(ctx.bufferBytes / 1024));
  put16(b, 14, ctx.readSpeed);
  put16(b, 18, ctx.maxWriteSpeed);
  put16(b, 20, ctx.writeSpeed);
  put16(b, 28, ctx.writeSpeed);
  put16(b, 30, n);
  ctx.writeSpeeds.forEach((s, i) => put16(b, 32 + 4 * i + 2, s));
  return b;
}

/** MODE SENSE(10) parameter header (SPC-4 §7.5.5): 0-1 MODE DATA LENGTH (n - 2), 6-7 BLOCK DESCRIPTOR LENGTH = 0. */
export function modeSense10(pages: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const body = concat(pages);
  const b = new Uint8Array(8 + body.length);
  put16(b, 0, b.length - 2);
  b.set(body, 8);
  return b;
}
