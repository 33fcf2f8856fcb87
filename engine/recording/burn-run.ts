/**
 * What one burn's steps share (burn.ts runs them: validate, prepare, write,
 * close, verify): the caller's context and options, what the steps learn
 * about the medium and the drive, where writing got to, and the progress
 * reporting of IDiscFormat2DataEventArgs. Also the burn's typed failures.
 */
import { createSHA256 } from 'hash-wasm';
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { CancelledError, WebdiscError, toErrorValue } from '../../usb-mass-storage/src/errors.ts';
import type { HResultName } from '../../contract/hresult.ts';
import type { AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';
import type {
  BurnAction,
  BurnOptions,
  BurnProgress,
  BurnReport,
  MediaState,
  OperationFailure,
  RecorderInfo,
  VerifyMode,
} from '../../contract/api.ts';
import type { WriteFamily } from '../../contract/profiles.ts';
import { sectorsFor, type ImageSource } from './source.ts';

export interface BurnContext {
  readonly drive: ScsiDrive;
  readonly signal: AbortSignalLike;
  /** A fresh read of the medium. */
  media(): Promise<MediaState>;
  info(): Promise<RecorderInfo>;
  progress(p: BurnProgress): void;
}

/** A WRITE carries this much by default: big enough to keep the bus busy, small enough to cancel promptly. */
export const DEFAULT_CHUNK_SECTORS = 128;

export function fail(name: HResultName, message: string): WebdiscError {
  return new WebdiscError(name, message);
}

/** Verification found a sector that is not the image's. */
export class VerificationError extends WebdiscError {
  /** The first LBA that differs (exact when the source can be re-read, else its chunk's first). */
  readonly firstBadLba: number;
  constructor(lba: number, why: string) {
    super('E_IMAPI_BURN_VERIFICATION_FAILED', `Verification failed at LBA ${lba}: ${why}.`);
    this.firstBadLba = lba;
  }
}

/** A failed burn or erase: the error, where it stopped, and (set by the recorder) the disc now. */
export class OperationError extends WebdiscError {
  readonly lastWrittenLba: number | null;
  readonly firstBadLba: number | null;
  disc: MediaState | null = null;
  constructor(cause: WebdiscError, lastWrittenLba: number | null) {
    super(cause.hresultName, cause.message, { cause, sense: cause.sense });
    this.lastWrittenLba = lastWrittenLba;
    this.firstBadLba = cause instanceof VerificationError ? cause.firstBadLba : null;
  }

  /** The failure as it crosses to the caller (contract OperationFailure). */
  toFailure(): OperationFailure {
    return {
      ...toErrorValue(this),
      lastWrittenLba: this.lastWrittenLba,
      firstBadLba: this.firstBadLba,
      disc: this.disc,
    };
  }
}

class Clock {
  readonly started = Date.now();
  #lastEmit = 0;
  elapsed(): number {
    return Date.now() - this.started;
  }
  /** At most ~10 progress events a second, except when the action changes. */
  due(force: boolean): boolean {
    const now = Date.now();
    if (!force && now - this.#lastEmit < 100) return false;
    this.#lastEmit = now;
    return true;
  }
}

/** One burn's state, passed to every step. */
export class BurnRun {
  readonly ctx: BurnContext;
  readonly drive: ScsiDrive;
  readonly signal: AbortSignalLike;
  readonly source: ImageSource;
  readonly options: BurnOptions;
  readonly clock = new Clock();
  readonly verifyMode: VerifyMode;
  readonly chunkSectors: number;
  readonly close: boolean;
  readonly simulate: boolean;
  // Learned by validate and prepare.
  media!: MediaState;
  info!: RecorderInfo;
  profile = 0;
  family!: WriteFamily;
  free = 0;
  speedKBps: number | null = null;
  writeType: BurnReport['writeType'] = 'incremental';
  /** CD session-at-once: the cue sheet fixes the track length; it is at least 4 s (300 blocks). */
  saoSectors = 0;
  // Where writing is.
  startLba = 0;
  sectorCount: number;
  lastWritten: number | null = null;
  bufferFill: number | null = null;
  /** For verification: the image's SHA-256 (full) or per-chunk fingerprints (one-pass sources). */
  imageHash: ImageHasher | undefined;
  /** The image's length in bytes as streamed (its last sector is padded with zeros on the disc). */
  imageBytes = 0;
  readonly fingerprints: number[] = [];
  #action: BurnAction = 'validating';
  #fraction: number | null = 0;

  constructor(ctx: BurnContext, source: ImageSource, options: BurnOptions) {
    this.ctx = ctx;
    this.drive = ctx.drive;
    this.signal = ctx.signal;
    this.source = source;
    this.options = options;
    this.verifyMode = options.verify ?? 'none';
    this.chunkSectors = options.chunkSectors ?? DEFAULT_CHUNK_SECTORS;
    this.close = options.close ?? false;
    this.simulate = options.simulate ?? false;
    this.sectorCount = source.size === undefined ? 0 : sectorsFor(source.size);
  }

  /** Emits progress (IDiscFormat2DataEventArgs), throttled unless the action changes. */
  report(next: BurnAction, f: number | null = this.#fraction, force = false): void {
    const changed = next !== this.#action;
    this.#action = next;
    this.#fraction = f;
    if (!this.clock.due(changed || force)) return;
    const elapsedMs = this.clock.elapsed();
    this.ctx.progress({
      action: next,
      fraction: f,
      elapsedMs,
      remainingMs: f && f > 0 && f < 1 ? Math.round((elapsedMs / f) * (1 - f)) : null,
      startLba: this.startLba,
      sectorCount: this.sectorCount,
      lastWrittenLba: this.lastWritten,
      bufferFill: this.bufferFill,
      // Known once prepare has set the speed (speed.ts): the speed used, not the one asked for.
      ...(this.speedKBps !== null
        ? { writeSpeedKBps: this.speedKBps, physicalType: this.media.physicalType }
        : {}),
    });
  }

  /** Cancellation is checked between commands, never inside a WRITE's data phase. */
  checkCancel(): void {
    if (this.signal.aborted) throw new CancelledError('The burn was cancelled.');
  }

  /** A failure of a step after writing began: where it stopped comes with it. */
  failed(error: unknown): OperationError {
    return new OperationError(
      error instanceof WebdiscError ? error : fail('E_FAIL', String(error)),
      this.lastWritten,
    );
  }
}

/** FNV-1a, 32 bits: a cheap per-chunk fingerprint for one-pass sources (quick verify, locating a bad chunk). */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of an image as it streams: hash-wasm (WebAssembly; the TypeScript one is far slower). */
export interface ImageHasher {
  update(bytes: Uint8Array): void;
  digest(): string;
}

export async function imageHasher(): Promise<ImageHasher> {
  const h = await createSHA256();
  h.init();
  return { update: (b) => void h.update(b), digest: () => h.digest('hex') };
}
