/**
 * The contract's words for building an image (FileImageOptions) as the
 * builder's options, and the builder's typed errors as the IMAPI2FS
 * HRESULTs (imapi2fserror.h) a caller sees: one definition that the engine
 * (a burn of files) and the page (Save as ISO) both use, so the same
 * project gives the same image and the same error everywhere.
 */
import type { FileImageOptions } from '../../contract/api.ts';
import type { HResultName } from '../../contract/hresult.ts';
import type { DiscFsErrorCode } from './errors.ts';
import type { ImageOptions } from './plan/plan.ts';

export const HRESULT_OF_DISC_FS_ERROR: Readonly<Record<DiscFsErrorCode, HResultName>> = {
  INVALID_TREE: 'IMAPI_E_INVALID_PATH',
  UNREADABLE_FILE: 'IMAPI_E_DATA_STREAM_READ_FAILURE',
  FILE_SIZE_CHANGED: 'IMAPI_E_DATA_STREAM_INCONSISTENCY',
  FILE_TOO_LARGE: 'IMAPI_E_ISO9660_LEVELS',
  TOO_MANY_SECTORS: 'IMAPI_E_IMAGE_TOO_BIG',
  TOO_MANY_DIRECTORIES: 'IMAPI_E_TOO_MANY_DIRS',
  BOOT_IMAGE_SIZE: 'IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH',
  DECODE: 'IMAPI_E_FSI_INTERNAL_ERROR',
};

/** FileImageOptions as planImage takes them. */
export function imageOptionsOf(o: FileImageOptions = {}): ImageOptions {
  const boot: NonNullable<ImageOptions['boot']> = {};
  if (o.bootImage) boot.bios = { path: o.bootImage };
  if (o.efiImage) boot.efi = { path: o.efiImage };
  return {
    ...(o.volumeLabel === undefined ? {} : { volumeId: o.volumeLabel }),
    ...(o.publisher === undefined ? {} : { publisher: o.publisher }),
    ...(o.udf === undefined ? {} : { udf: o.udf }),
    ...(o.udfRevision === undefined ? {} : { udfRevision: o.udfRevision }),
    ...(o.isoLevel === undefined ? {} : { level: o.isoLevel }),
    ...(o.date === undefined ? {} : { date: o.date }),
    ...(boot.bios || boot.efi ? { boot } : {}),
  };
}
