/**
 * Reading a structure's extent (a directory, a UDF file entry's data, a
 * symbolic link's path) for the readers: in pieces a drive takes, and all of
 * it or a typed error.
 */
import { DecodeError } from '../errors.ts';
import { SECTOR } from '../iso9660/volume-descriptor.ts';
import type { SectorReader } from './iso-reader.ts';

/** Sectors per read: well inside what one READ(10) takes (a 16-bit count), 512 KiB. */
const READ_PIECE = 256;

/**
 * `length` bytes from `sector` on, read in pieces a drive takes, and all of
 * them: a crafted record's extent may lie past the end of the disc (an image
 * file's reader then returns less, which must not read as an empty folder)
 * or claim gigabytes (read and refused piece by piece, never asked for at
 * once nor allocated up front).
 */
export async function readWhole(
  src: SectorReader,
  sector: number,
  length: number,
): Promise<Uint8Array> {
  const sectors = Math.ceil(length / SECTOR);
  const pieces: Uint8Array[] = [];
  for (let done = 0; done < sectors;) {
    const n = Math.min(READ_PIECE, sectors - done);
    const b = await src.read(sector + done, n);
    if (b.length < n * SECTOR) {
      throw new DecodeError(
        `the extent at sector ${sector} (${length} bytes) runs past the end of the disc at sector ${sector + done + Math.floor(b.length / SECTOR)}`,
      );
    }
    pieces.push(b.length > n * SECTOR ? b.subarray(0, n * SECTOR) : b);
    done += n;
  }
  if (pieces.length === 1) return pieces[0]!.subarray(0, length);
  const out = new Uint8Array(sectors * SECTOR);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out.subarray(0, length);
}
