/**
 * No command that changes the disc reaches the drive unless this session
 * holds exclusive access (exclusive-access.md: "a disc is never written
 * without a confirmed owner"). The fuzz of issue 14 found a reconnecting
 * burn sending MODE SELECT, FORMAT UNIT and WRITE(10) with no lock holder;
 * this is the last line that stops such a command, whoever sends it (the
 * burn, the erase, or a raw command).
 */
import { err } from './context.ts';

/** Opcodes that write, format, blank, close or set up writing (MMC-6 §6, SPC-4 §6.11). */
export const DISC_CHANGING_OPCODES = {
  0x04: 'FORMAT UNIT',
  0x2a: 'WRITE(10)',
  0x2e: 'WRITE AND VERIFY(10)',
  0x35: 'SYNCHRONIZE CACHE',
  0x53: 'RESERVE TRACK',
  0x54: 'SEND OPC INFORMATION',
  0x55: 'MODE SELECT(10)',
  0x5b: 'CLOSE TRACK/SESSION',
  0x5d: 'SEND CUE SHEET',
  0xa1: 'BLANK',
  0xaa: 'WRITE(12)',
  0xbf: 'SEND DISC STRUCTURE',
} as const satisfies Record<number, string>;

/** Throws E_IMAPI_RECORDER_LOCKED for a disc-changing command when `owned` is false. */
export function guardDiscChange(cdb: Uint8Array, owned: boolean): void {
  const name = (DISC_CHANGING_OPCODES as Record<number, string>)[cdb[0] ?? -1];
  if (name === undefined || owned) return;
  throw err(
    'E_IMAPI_RECORDER_LOCKED',
    `${name} changes the disc, and is sent only while this session holds exclusive access; acquire it first.`,
  );
}
