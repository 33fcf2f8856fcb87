/**
 * Byte layouts of the data the virtual drive returns (this folder), built the
 * way drive firmware builds them: from the drive's own state, independently
 * of the host-side decoders in usb-mass-storage/src/scsi/ (the conformance
 * suite cross-checks the two). Every SCSI field is big-endian (SPC-4 §4.3.1).
 * Each builder returns the full response; the caller truncates it to the
 * CDB's allocation length (SPC-4 §4.2.5.6), so length fields always describe
 * the whole response.
 *
 * This file: the field helpers the builders share, also used to read CDB and
 * parameter-list fields.
 */

export function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}
export function put24(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 16) & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = v & 0xff;
}
export function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}
export function get16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}
export function get32(b: Uint8Array, at: number): number {
  return (
    (((b[at] ?? 0) << 24) |
      ((b[at + 1] ?? 0) << 16) |
      ((b[at + 2] ?? 0) << 8) |
      (b[at + 3] ?? 0)) >>>
    0
  );
}

export function asciiField(b: Uint8Array, at: number, text: string, width: number): void {
  for (let i = 0; i < width; i++) b[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

/** LBA to MSF (MMC-6 §4.2.3.4: MSF = LBA + 150 frames; 75 frames/s). Minutes saturate at 255. */
export function lbaToMsf(lba: number): [number, number, number] {
  const frames = lba + 150;
  const m = Math.floor(frames / (60 * 75));
  const s = Math.floor((frames % (60 * 75)) / 75);
  const f = frames % 75;
  return m > 255 ? [255, 59, 74] : [m, s, f];
}

/** An address field of READ TOC / READ DISC INFORMATION: 00 M S F when `msf`, else the LBA. */
export function putAddress(b: Uint8Array, at: number, lba: number, msf: boolean): void {
  if (!msf) {
    put32(b, at, lba >>> 0);
    return;
  }
  const [m, s, f] = lbaToMsf(lba);
  b[at] = 0;
  b[at + 1] = m;
  b[at + 2] = s;
  b[at + 3] = f;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
