/**
 * The write buffer and the speed model of the MMC target. The buffer fills
 * with WRITE data and drains at the write speed; with the clock `off` it
 * never fills. Reads are instant: the read speed is only reported (page 2Ah,
 * GET PERFORMANCE).
 *
 * The write speed is the drive's choice: the fastest of the medium's speeds
 * not above the last request (SET CD SPEED or SET STREAMING, which persist
 * over a media change: libburn cookbook.txt "SET STREAMING values persist
 * after media change"), and not above `writeSpeedCap` when the drive limits
 * itself (a media strategy); the slowest when the request is below all.
 * With `cdSpeedForDvdBd` false, SET CD SPEED is taken but changes nothing
 * while a DVD or BD is loaded: those speeds go through SET STREAMING (MMC-6
 * §6.39; growisofs uses it first, libburn for DVD and BD).
 */
import type { VirtualClock } from '../clock.ts';
import { MEDIA, ONE_X, type MediaInfo } from '../media.ts';

export const DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024;

/** How the drive chooses its write speed (virtual-recorder.ts options). */
export interface SpeedBehaviour {
  /** The drive never writes faster than this (kB/s), whatever the host asks. */
  readonly writeSpeedCap: number | undefined;
  /** SET CD SPEED sets the speed with a DVD or BD loaded too. */
  readonly cdSpeedForDvdBd: boolean;
}

/** User bytes per drive millisecond at `kbps` (CD speeds count 2352-byte sectors). */
function bytesPerMs(kbps: number, media: MediaInfo | undefined): number {
  return kbps * (media?.family === 'cd' ? 2048 / 2352 : 1);
}

/** User bytes per drive millisecond at the medium's top write speed (full BLANK, full format). */
export function maxDrainRate(media: MediaInfo): number {
  return bytesPerMs(media.writeSpeeds[0] ?? ONE_X[media.family], media);
}

export class BufferModel {
  readonly #clock: VirtualClock;
  /** The medium in the drive (tray open or not): it sets the speeds. */
  readonly #media: () => MediaInfo | undefined;
  readonly size: number;
  #writeSpeedRequest = 0xffff;
  #readSpeedRequest = 0xffff;
  #fill = 0;
  #at = 0;
  /**
   * Underrun accounting. A drive records from its buffer: once the host has
   * streamed enough to prime it (half the buffer) and until it flushes
   * (SYNCHRONIZE CACHE, CLOSE TRACK/SESSION), the buffer running dry with
   * more WRITE data still to come is a buffer underrun: the laser had to
   * stop (BUFE/BURN-Proof recovers; without it the disc is lost). Before
   * priming, the drive has not started recording yet, so an empty buffer
   * then is no underrun (the host's first WRITEs only fill it).
   */
  #primed = false;
  /** The buffer ran dry while primed; the next WRITE data counts the underrun. */
  #ranDry = false;

  readonly #speed: SpeedBehaviour;

  constructor(
    clock: VirtualClock,
    size: number,
    media: () => MediaInfo | undefined,
    speed: SpeedBehaviour = { writeSpeedCap: undefined, cdSpeedForDvdBd: true },
  ) {
    this.#clock = clock;
    this.size = size;
    this.#media = media;
    this.#speed = speed;
  }

  /** SET CD SPEED (MMC-6 §6.37): the requests in kB/s, FFFFh = maximum. */
  requestSpeeds(read: number, write: number): void {
    const family = this.#media()?.family;
    if (!this.#speed.cdSpeedForDvdBd && (family === 'dvd' || family === 'bd')) return;
    this.#readSpeedRequest = read;
    this.#writeSpeedRequest = write;
  }

  /** SET STREAMING (MMC-6 §6.39): the requests in kB/s; `undefined` restores the defaults (RDD). */
  requestStreaming(read: number | undefined, write: number | undefined): void {
    this.#readSpeedRequest = read ?? 0xffff;
    this.#writeSpeedRequest = write ?? 0xffff;
  }

  /** The buffer is emptied (a media change). */
  empty(): void {
    this.#fill = 0;
    this.endStream();
  }

  /** The host flushed the buffer (SYNCHRONIZE CACHE, CLOSE): running dry from now on is expected. */
  endStream(): void {
    this.#primed = false;
    this.#ranDry = false;
  }

  /** Write speed in kB/s: the drive's choice for the request (see the file comment). */
  get writeSpeed(): number {
    const speeds = this.#media()?.writeSpeeds ?? [];
    if (speeds.length === 0) return 0;
    const limit = Math.min(this.#writeSpeedRequest, this.#speed.writeSpeedCap ?? Infinity);
    const fit = speeds.find((s) => s <= limit);
    return fit ?? speeds[speeds.length - 1]!;
  }

  get readSpeed(): number {
    const media = this.#media();
    const max = media?.readSpeed ?? MEDIA['cd-rom'].readSpeed;
    return Math.min(max, Math.max(this.#readSpeedRequest, ONE_X[media?.family ?? 'cd']));
  }

  /** User bytes per drive millisecond at the write speed (CD speeds count 2352-byte sectors). */
  #drainRate(): number {
    return (bytesPerMs(this.writeSpeed, this.#media()) * 1000) / 1000;
  }

  /** Bytes in the buffer now. */
  get fill(): number {
    const now = this.#clock.now();
    const rate = this.#drainRate();
    if (rate > 0) {
      const left = this.#fill - (now - this.#at) * rate;
      // Strictly below zero: the drive sat with nothing to record for a while.
      if (left < 0 && this.#primed) this.#ranDry = true;
      this.#fill = Math.max(0, left);
    }
    this.#at = now;
    return this.#fill;
  }

  get free(): number {
    return this.size - this.fill;
  }

  /** Milliseconds until the buffer is empty. */
  drainTime(): number {
    const rate = this.#drainRate();
    const fill = this.fill;
    return rate > 0 ? Math.ceil(fill / rate) : 0;
  }

  /**
   * Flow control of a WRITE data phase: waits for room in the buffer (the
   * drive NAKs meanwhile). Resolves true when this data arrived after the
   * primed buffer had run dry: one buffer underrun.
   */
  async accept(bytes: number, aborted: () => boolean): Promise<boolean> {
    if (this.#clock.mode === 'off') return false;
    const size = this.size;
    const need = Math.min(bytes, size);
    for (;;) {
      const fill = this.fill;
      const rate = this.#drainRate();
      if (size - fill >= need || rate <= 0) {
        const underrun = this.#ranDry;
        this.#ranDry = false;
        this.#fill = fill + bytes;
        if (this.#fill >= size / 2) this.#primed = true;
        return underrun;
      }
      await this.#clock.sleepUntil(this.#clock.now() + Math.ceil((fill - (size - need)) / rate));
      if (aborted()) return false;
    }
  }
}
