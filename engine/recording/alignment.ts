/**
 * Write alignment per medium. DVD-RW in restricted overwrite (profile 0013h)
 * is written in whole ECC blocks: every WRITE starts on a 32 KiB (16-block)
 * boundary and carries a multiple of 32 KiB, the tail padded with zeros:
 * growisofs refuses anything else (`poor_mans_pwrite64`: "foff&0x7FFF ||
 * size&0x7FFF"; growisofs.c 5.0 "enforced 32K write strategy"), libburn
 * aligns to 32 KiB there and 2 KiB on DVD+RW, DVD-RAM and BD-RE
 * (cookbook.txt "Overwriteable DVD Cookbook": "For DVD-RW alignment has to
 * be 32 KiB"). Every other medium takes whole 2 KiB blocks.
 */
import { PROFILE } from '../../contract/profiles.ts';

/** Blocks a WRITE's start and length must be multiples of on `profile`. */
export function writeAlignment(profile: number): number {
  return profile === PROFILE.DVD_RW_RESTRICTED_OVERWRITE ? 16 : 1;
}

/** `blocks` rounded up to a multiple of `align`. */
export function alignUp(blocks: number, align: number): number {
  return Math.ceil(blocks / align) * align;
}

/** The sectors a WRITE carries (and verification reads): the caller's chunk, cut to the alignment. */
export function chunkSectorsFor(chunkSectors: number, profile: number): number {
  const align = writeAlignment(profile);
  return Math.max(align, chunkSectors - (chunkSectors % align));
}
