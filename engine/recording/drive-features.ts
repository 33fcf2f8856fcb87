/**
 * One feature descriptor of the drive, asked for when a burn needs it (the
 * "current" bits change with the medium, so the cached RecorderInfo is not
 * trusted for them): GET CONFIGURATION with RT 10b and the feature as the
 * starting one, as growisofs asks for 0021h (libburn cookbook.txt,
 * "Incremental writing": "Starting Feature Number to 0x21 ... The feature
 * descriptor begins at byte 8 of the reply").
 */
import { ConfigurationRequestType, getConfiguration } from '../../usb-mass-storage/src/scsi/mmc.ts';
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import type { AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';

/** Feature codes a burn asks for (MMC-6 §5.3). */
export const BurnFeature = {
  IncrementalStreamingWritable: 0x0021,
  Formattable: 0x0023,
} as const;

export interface FeatureDescriptor {
  readonly current: boolean;
  /** The feature's own bytes, after its 4-byte header. */
  readonly data: Uint8Array;
}

/**
 * The drive's descriptor of feature `code`; `undefined` when it does not
 * list it, `null` when it has no GET CONFIGURATION (a bare bridge: unknown).
 */
export async function readFeature(
  drive: ScsiDrive,
  code: number,
  signal: AbortSignalLike,
): Promise<FeatureDescriptor | undefined | null> {
  const r = await drive.run(
    getConfiguration({
      requestType: ConfigurationRequestType.One,
      startingFeature: code,
      allocationLength: 64,
    }),
    { signal, allowCheckCondition: true },
  );
  if (r.status !== 'good') return null;
  const d = r.data;
  // Header (8 bytes), then the descriptor: 0-1 code, 2 version|persistent|current, 3 length.
  if (d.length < 12 || ((d[8]! << 8) | d[9]!) !== code) return undefined;
  const length = Math.min(d[11]!, d.length - 12);
  return { current: (d[10]! & 0x01) !== 0, data: d.slice(12, 12 + length) };
}
