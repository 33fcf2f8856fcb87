/**
 * One progress type for every long operation (erase, burn, and what comes
 * after). Burns fill in the write fields, as IMAPI2's
 * IDiscFormat2DataEventArgs does; other operations leave them out.
 */

/** IMAPI_FORMAT2_DATA_WRITE_ACTION, in words. */
export type BurnAction =
  | 'validating'
  | 'formatting'
  | 'calibrating'
  | 'writing'
  | 'finalizing'
  | 'verifying'
  | 'completed';

export interface Progress {
  /** A BurnAction, 'erasing', or another operation's step. */
  readonly action: string;
  /** 0..1, or null when unknown. */
  readonly fraction: number | null;
  readonly elapsedMs: number;
  readonly remainingMs: number | null;
  readonly startLba?: number;
  readonly sectorCount?: number;
  readonly lastWrittenLba?: number | null;
  /**
   * Drive buffer fill 0..1 (READ BUFFER CAPACITY); null when the drive
   * reports none (no such command, or a buffer of 0 bytes): show nothing then.
   */
  readonly bufferFill?: number | null;
  /**
   * Burns: the write speed the drive says it uses (kB/s, GET PERFORMANCE or
   * page 2Ah after the speed was set), once known; null when it does not say.
   * With the medium's IMAPI physical type, to say it in × of its 1×.
   */
  readonly writeSpeedKBps?: number | null;
  readonly physicalType?: string;
  /** Reading: the LBA reached, the unreadable sectors so far, and the speed. */
  readonly position?: number;
  readonly badSectors?: number;
  readonly bytesPerSecond?: number | null;
}

/** A burn's progress: the same type with the write fields always present. */
export interface BurnProgress extends Progress {
  readonly action: BurnAction;
  readonly startLba: number;
  readonly sectorCount: number;
  readonly lastWrittenLba: number | null;
  readonly bufferFill: number | null;
}
