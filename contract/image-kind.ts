/**
 * What an image file holds, from its first 40 KiB: an ISO 9660 volume
 * (a volume descriptor "CD001" at sector 16, ECMA-119 8.1), a UDF volume
 * (the volume recognition sequence "BEA01" … "NSR02"/"NSR03" from sector 16,
 * ECMA-167 2/8.3), or neither: a burn of the latter is allowed (it may be
 * wanted: a raw data image, a hybrid), but the person is told first
 * (issue 19, defect 1).
 */
export type ImageKind = 'iso9660' | 'udf' | 'unknown';

/** Bytes needed: sectors 16..19 (the recognition area). */
export const IMAGE_KIND_BYTES = 20 * 2048;

export function imageKind(head: Uint8Array): ImageKind {
  let udf = false;
  for (let s = 16; s < 20 && (s + 1) * 2048 <= head.length; s++) {
    const id = String.fromCharCode(...head.subarray(s * 2048 + 1, s * 2048 + 6));
    if (id === 'CD001') return 'iso9660';
    if (id === 'NSR02' || id === 'NSR03') udf = true;
  }
  return udf ? 'udf' : 'unknown';
}

export const NOT_A_DISC_IMAGE =
  'This file has no ISO 9660 or UDF file system at its start, so a computer may not show any files on the disc. Burn it only if it is meant to be written as raw data.';
