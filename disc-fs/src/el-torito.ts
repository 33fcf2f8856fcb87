/**
 * El Torito bootable CD-ROM format (Phoenix/IBM, version 1.0, 1995): the
 * boot record volume descriptor (§2.0) that points at the boot catalog, and
 * the catalog's 32-byte entries: validation (§2.1), initial/default (§2.2),
 * section header (§2.3) and section entry (§2.4). Also the boot information
 * table that mkisofs and xorriso patch into a no-emulation image
 * (-boot-info-table; isolinux and GRUB's eltorito.img read it).
 */
import { layout, text, u16le, u32le, u8 } from './binary/layout.ts';
import { DecodeError } from './errors.ts';

/** §2.0 boot record volume descriptor, the sector after the primary descriptor. */
export const bootRecordVolumeDescriptor = layout('BootRecordVolumeDescriptor', 2048, {
  type: [0, u8],
  standardId: [1, text(5)],
  version: [6, u8],
  bootSystemId: [7, text(32, 0)],
  bootId: [39, text(32, 0)],
  catalogSector: [71, u32le],
});
export const EL_TORITO_ID = 'EL TORITO SPECIFICATION';

/** §2.1, §2.3 platform IDs; 0xEF is UEFI (UEFI 2.x §13.3.2.1). */
export const Platform = { x86: 0, powerPc: 1, mac: 2, efi: 0xef } as const;

/** §2.1 validation entry: first in the catalog; its 16-bit words sum to zero. */
export const validationEntry = layout('ValidationEntry', 32, {
  headerId: [0, u8],
  platform: [1, u8],
  idString: [4, text(24, 0)],
  checksum: [28, u16le],
  key55: [30, u8],
  keyAA: [31, u8],
});

/** §2.2 initial/default entry and §2.4 section entry share their first 12 bytes. */
export const bootEntry = layout('BootEntry', 32, {
  indicator: [0, u8],
  mediaType: [1, u8],
  loadSegment: [2, u16le],
  systemType: [4, u8],
  sectorCount: [6, u16le],
  loadRba: [8, u32le],
  selectionCriteria: [12, u8],
});
/** §2.2 boot indicator, §2.2 boot media type. */
export const BootIndicator = { bootable: 0x88, notBootable: 0 } as const;
export const MediaType = {
  noEmulation: 0,
  floppy12: 1,
  floppy144: 2,
  floppy288: 3,
  hardDisk: 4,
} as const;

/** §2.3 section header entry. */
export const sectionHeader = layout('SectionHeaderEntry', 32, {
  indicator: [0, u8],
  platform: [1, u8],
  entries: [2, u16le],
  idString: [4, text(28, 0)],
});
export const SectionIndicator = { more: 0x90, final: 0x91 } as const;

/** Sets `checksum` so that the entry's 16-bit little-endian words sum to 0 (§2.1). */
export function encodeValidationEntry(platform: number, idString: string): Uint8Array {
  const b = validationEntry.encode({
    headerId: 1,
    platform,
    idString,
    checksum: 0,
    key55: 0x55,
    keyAA: 0xaa,
  });
  const v = new DataView(b.buffer);
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + v.getUint16(i, true)) & 0xffff;
  v.setUint16(28, (0x10000 - sum) & 0xffff, true);
  return b;
}

export function checkValidationEntry(b: Uint8Array): ReturnType<typeof validationEntry.decode> {
  const e = validationEntry.decode(b);
  const v = new DataView(b.buffer, b.byteOffset, 32);
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum = (sum + v.getUint16(i, true)) & 0xffff;
  if (e.headerId !== 1 || e.key55 !== 0x55 || e.keyAA !== 0xaa || sum !== 0) {
    throw new DecodeError('El Torito validation entry does not check');
  }
  return e;
}

/** The boot information table, bytes 8-63 of a patched boot image (mkisofs -boot-info-table). */
export const bootInfoTable = layout('BootInfoTable', 56, {
  pvdSector: [0, u32le],
  fileSector: [4, u32le],
  fileLength: [8, u32le],
  checksum: [12, u32le],
});
export const BOOT_INFO_OFFSET = 8;

/** The table's checksum: the sum of the image's 32-bit little-endian words from byte 64 on. */
export class BootInfoChecksum {
  private sum = 0;
  private carry: number[] = [];
  /** Feeds bytes at `offset` of the image (in order); bytes before 64 are skipped. */
  add(offset: number, bytes: Uint8Array): void {
    let i = Math.max(0, 64 - offset);
    for (; i < bytes.length; i++) {
      this.carry.push(bytes[i] ?? 0);
      if (this.carry.length === 4) {
        const [a = 0, b = 0, c = 0, d = 0] = this.carry;
        this.sum = (this.sum + (a | (b << 8) | (c << 16) | (d << 24))) >>> 0;
        this.carry = [];
      }
    }
  }
  /** A final partial word counts as zero-padded. */
  value(): number {
    if (this.carry.length === 0) return this.sum;
    const [a = 0, b = 0, c = 0] = this.carry;
    return (this.sum + (a | (b << 8) | (c << 16))) >>> 0;
  }
}
