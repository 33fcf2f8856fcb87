/**
 * GET PERFORMANCE data (MMC-6 §6.8.2): an 8-byte header (0-3 PERFORMANCE
 * DATA LENGTH, the bytes after that field, for every descriptor the drive
 * has; 4 WRITE(1) EXCEPT(0)), then 16-byte descriptors, as many as the
 * CDB's MAXIMUM NUMBER OF DESCRIPTORS allows.
 */
import { put32 } from './fields.ts';

function withHeader(descriptors: Uint8Array[], flags: number, max: number): Uint8Array {
  const sent = descriptors.slice(0, max);
  const b = new Uint8Array(8 + 16 * sent.length);
  put32(b, 0, 4 + 16 * descriptors.length);
  b[4] = flags;
  sent.forEach((d, i) => b.set(d, 8 + 16 * i));
  return b;
}

/**
 * TYPE 00h, nominal performance: 0-3 START LBA, 4-7 START PERFORMANCE, 8-11
 * END LBA, 12-15 END PERFORMANCE (kB/s); one CLV stretch per entry.
 */
export function performanceData(
  entries: readonly { endLba: number; speed: number }[],
  write: boolean,
  except: boolean,
  max: number,
): Uint8Array {
  const descriptors = entries.map((e) => {
    const d = new Uint8Array(16);
    put32(d, 4, e.speed);
    put32(d, 8, e.endLba);
    put32(d, 12, e.speed);
    return d;
  });
  return withHeader(descriptors, (write ? 0x02 : 0) | (except ? 0x01 : 0), max);
}

/**
 * TYPE 03h, write speed descriptors: 0 WRC(4:3) RDD(2) EXACT(1) MRW(0) = 0
 * (default rotation control), 4-7 END LBA, 8-11 READ SPEED, 12-15 WRITE SPEED.
 */
export function writeSpeedData(
  speeds: readonly number[],
  endLba: number,
  readSpeed: number,
  max: number,
): Uint8Array {
  const descriptors = speeds.map((speed) => {
    const d = new Uint8Array(16);
    put32(d, 4, endLba);
    put32(d, 8, readSpeed);
    put32(d, 12, speed);
    return d;
  });
  return withHeader(descriptors, 0, max);
}
