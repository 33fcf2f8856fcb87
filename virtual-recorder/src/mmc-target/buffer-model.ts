/**
 * The write buffer and the speed model of the MMC target. The buffer fills
 * with WRITE data and drains at the write speed (the SET CD SPEED request
 * clamped to the medium's speeds); with the clock `off` it never fills. Reads
 * are instant: the read speed is only reported (page 2Ah).
 */
import type { VirtualClock } from '../clock.ts';
import { MEDIA, ONE_X, type MediaInfo } from '../media.ts';

export const DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024;

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

  constructor(clock: VirtualClock, size: number, media: () => MediaInfo | undefined) {
    this.#clock = clock;
    this.size = size;
    this.#media = media;
  }

  /** SET CD SPEED (MMC-6 §6.37): the requests in kB/s, FFFFh = maximum. */
  requestSpeeds(read: number, write: number): void {
    this.#readSpeedRequest = read;
    this.#writeSpeedRequest = write;
  }

  /** The buffer is emptied (a media change). */
  empty(): void {
    this.#fill = 0;
  }

  /** Write speed in kB/s: the SET CD SPEED request clamped to the medium's speeds (MMC-6 §6.37). */
  get writeSpeed(): number {
    const speeds = this.#media()?.writeSpeeds ?? [];
    if (speeds.length === 0) return 0;
    const fit = speeds.find((s) => s <= this.#writeSpeedRequest);
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
    if (rate > 0) this.#fill = Math.max(0, this.#fill - (now - this.#at) * rate);
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

  /** Flow control of a WRITE data phase: waits for room in the buffer (the drive NAKs meanwhile). */
  async accept(bytes: number, aborted: () => boolean): Promise<void> {
    if (this.#clock.mode === 'off') return;
    const size = this.size;
    const need = Math.min(bytes, size);
    for (;;) {
      const fill = this.fill;
      const rate = this.#drainRate();
      if (size - fill >= need || rate <= 0) {
        this.#fill = fill + bytes;
        return;
      }
      await this.#clock.sleepUntil(this.#clock.now() + Math.ceil((fill - (size - need)) / rate));
      if (aborted()) return;
    }
  }
}
