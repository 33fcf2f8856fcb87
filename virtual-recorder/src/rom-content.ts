/**
 * Content of the pressed (ROM) media: a small, valid ISO 9660 volume
 * (ECMA-119) generated sector by sector, so a pressed disc costs no memory.
 *
 *   0-15  system area (zeros)
 *   16    Primary Volume Descriptor (ECMA-119 §8.4)
 *   17    Volume Descriptor Set Terminator (§8.3)
 *   18/19 type L / type M path tables (§9.4)
 *   20    root directory: ".", "..", README.TXT;1, DATA.BIN;1 (§9.1)
 *   21    README.TXT
 *   22-   DATA.BIN: every byte is `romDataByte(lba, offset)`, so reads can be checked
 */
import { SECTOR_SIZE } from './store.ts';

const PVD_LBA = 16;
const ROOT_LBA = 20;
const README_LBA = 21;
const DATA_LBA = 22;

export const ROM_README =
  'This is a pressed disc in the webdisc virtual recorder.\r\n' +
  'DATA.BIN holds a byte pattern: byte i of sector n is (n * 7 + i) & 255.\r\n';

/** The byte pattern of DATA.BIN (and of any sector past the file system). */
export function romDataByte(lba: number, offset: number): number {
  return (lba * 7 + offset) & 0xff;
}

function ascii(into: Uint8Array, at: number, text: string, width: number): void {
  for (let i = 0; i < width; i++) into[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

/** ECMA-119 §7.2.3 / §7.3.3 "both-byte orders": little-endian then big-endian. */
function both16(into: Uint8Array, at: number, v: number): void {
  const view = new DataView(into.buffer, into.byteOffset, into.byteLength);
  view.setUint16(at, v, true);
  view.setUint16(at + 2, v, false);
}
function both32(into: Uint8Array, at: number, v: number): void {
  const view = new DataView(into.buffer, into.byteOffset, into.byteLength);
  view.setUint32(at, v, true);
  view.setUint32(at + 4, v, false);
}

/** ECMA-119 §9.1 directory record; returns its length. */
function dirRecord(
  into: Uint8Array,
  at: number,
  extent: number,
  length: number,
  isDir: boolean,
  name: Uint8Array,
): number {
  const size = 33 + name.length + (name.length % 2 === 0 ? 1 : 0);
  into[at] = size;
  both32(into, at + 2, extent);
  both32(into, at + 10, length);
  into.set([125, 1, 1, 0, 0, 0, 0], at + 18); // 2025-01-01 00:00:00 GMT
  into[at + 25] = isDir ? 0x02 : 0x00;
  both16(into, at + 28, 1);
  into[at + 32] = name.length;
  into.set(name, at + 33);
  return size;
}

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Fills `into` (2048 bytes) with sector `lba` of a ROM volume of `blocks` sectors. */
export function romSector(lba: number, blocks: number, volumeId: string, into: Uint8Array): void {
  into.fill(0);
  if (lba < PVD_LBA) return;
  if (lba === PVD_LBA) {
    into[0] = 1;
    ascii(into, 1, 'CD001', 5);
    into[6] = 1;
    ascii(into, 8, 'WEBDISC', 32);
    ascii(into, 40, volumeId, 32);
    both32(into, 80, blocks);
    both16(into, 120, 1);
    both16(into, 124, 1);
    both16(into, 128, SECTOR_SIZE);
    both32(into, 132, 10);
    new DataView(into.buffer, into.byteOffset).setUint32(140, 18, true);
    new DataView(into.buffer, into.byteOffset).setUint32(148, 19, false);
    dirRecord(into, 156, ROOT_LBA, SECTOR_SIZE, true, Uint8Array.of(0));
    for (const [at, width] of [
      [190, 128],
      [318, 128],
      [446, 128],
      [574, 128],
      [702, 37],
      [739, 37],
      [776, 37],
    ] as const) {
      ascii(into, at, '', width);
    }
    for (const at of [813, 830, 864]) ascii(into, at, '2025010100000000', 16);
    ascii(into, 847, '0000000000000000', 16);
    into[881] = 1;
    return;
  }
  if (lba === PVD_LBA + 1) {
    into[0] = 255;
    ascii(into, 1, 'CD001', 5);
    into[6] = 1;
    return;
  }
  if (lba === 18 || lba === 19) {
    // One path table record for the root (§9.4): length 1, extent, parent 1, name 00h.
    const view = new DataView(into.buffer, into.byteOffset, into.byteLength);
    into[0] = 1;
    view.setUint32(2, ROOT_LBA, lba === 18);
    view.setUint16(6, 1, lba === 18);
    return;
  }
  if (lba === ROOT_LBA) {
    let at = 0;
    at += dirRecord(into, at, ROOT_LBA, SECTOR_SIZE, true, Uint8Array.of(0));
    at += dirRecord(into, at, ROOT_LBA, SECTOR_SIZE, true, Uint8Array.of(1));
    at += dirRecord(into, at, README_LBA, ROM_README.length, false, enc('README.TXT;1'));
    dirRecord(into, at, DATA_LBA, (blocks - DATA_LBA) * SECTOR_SIZE, false, enc('DATA.BIN;1'));
    return;
  }
  if (lba === README_LBA) {
    into.set(enc(ROM_README));
    return;
  }
  for (let i = 0; i < into.length; i++) into[i] = romDataByte(lba, i);
}
