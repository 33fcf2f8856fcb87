/**
 * The write setup of the MMC target: the current Write Parameters page 05h
 * (MMC-6 §7.5), the TEST WRITE simulation it switches on (MMC-6 §7.5.4) and
 * the CD Session At Once cue sheet under way (sao.ts).
 */
import type { Disc } from '../disc.ts';
import { DVD_PACKET_BLOCKS, linkSizesOf, type MediaInfo } from '../media.ts';
import {
  PAGE_05_LENGTH,
  defaultWriteParameters,
  writeParametersChangeable,
} from '../responses/mode-pages.ts';
import { get32 } from '../responses/fields.ts';
import type { SaoWriter } from '../sao.ts';
import { SENSE, check } from '../sense-codes.ts';
import { TIMING } from './long-operations.ts';

/** Whether `media` is DVD-R/-RW, the DVD media page 05h applies to (MMC-6 §7.5.1). */
export function isDvdMinus(media: MediaInfo): boolean {
  return media.name === 'dvd-r' || media.name === 'dvd-rw';
}

/**
 * Whether the drive can simulate writing on `media` (page 05h TEST WRITE,
 * MMC-6 §7.5.4): recordable CD and DVD-R/-RW only; DVD+R/+RW and BD have no
 * test write. With no medium the bit is left changeable: the drive can test
 * write, and WRITE(10) checks the medium it finds.
 */
export function canTestWrite(media: MediaInfo | undefined): boolean {
  if (media === undefined) return true;
  if (media.kind !== 'write-once' && media.kind !== 'erasable') return false;
  return media.family === 'cd' || isDvdMinus(media);
}

export class WriteParameters {
  #page05: Uint8Array = defaultWriteParameters();
  /**
   * While TEST WRITE is set: the disc the simulated WRITE / RESERVE TRACK /
   * CLOSE commands act on (`Disc.simulation()`), made on first use. Dropped
   * when page 05h is selected again, when a simulated session is closed, on
   * BLANK, a media change and a power cycle.
   */
  #simulation: Disc | undefined;
  /** CD SAO: the accepted cue sheet and its write pointer (sao.ts), until the session is closed. */
  #sao: SaoWriter | undefined;
  /** The cue sheet was sent with TEST WRITE set: a new page 05h ends that simulated session. */
  #saoSimulated = false;
  /** Page 05h was selected since the disc was loaded (see `nwaNeedsWriteParameters`). */
  #selectedSinceLoad = false;

  get selectedSinceLoad(): boolean {
    return this.#selectedSinceLoad;
  }

  /** A copy of the current page 05h. */
  get page05(): Uint8Array {
    return this.#page05.slice();
  }

  /** Page 05h WRITE TYPE (byte 2 bits 3:0): 0 packet/incremental, 1 TAO, 2 SAO/DAO. */
  get writeType(): number {
    return (this.#page05[2] ?? 0) & 0x0f;
  }

  /** Page 05h TEST WRITE (byte 2 bit 4, MMC-6 §7.5.4). */
  get testWrite(): boolean {
    return ((this.#page05[2] ?? 0) & 0x10) !== 0;
  }

  /** Page 05h MULTI-SESSION (byte 3 bits 7:6) = 11b: the next session is allowed (MMC-6 §7.5.4.4). */
  get nextSessionAllowed(): boolean {
    return (this.#page05[3] ?? 0) >> 6 === 3;
  }

  get sao(): SaoWriter | undefined {
    return this.#sao;
  }

  /** SEND CUE SHEET accepted `writer` (replacing one sent before). */
  startSao(writer: SaoWriter): void {
    this.#sao = writer;
    this.#saoSimulated = this.testWrite;
  }

  /** BLANK or a media change: no simulation, no SAO session. */
  forgetDisc(): void {
    this.#simulation = undefined;
    this.#sao = undefined;
    this.#selectedSinceLoad = false;
  }

  /** A power cycle: page 05h back to its defaults as well. */
  powerOn(): void {
    this.#page05 = defaultWriteParameters();
    this.forgetDisc();
  }

  /** The simulated session is over: the next simulation starts from the real disc. */
  endSimulation(): void {
    this.#simulation = undefined;
  }

  /**
   * TEST WRITE is changeable with the medium now loaded (`media`; none counts
   * as yes), and always while it is set, so a host can clear a bit left over
   * from a medium that had test write.
   */
  testWriteAllowed(media: MediaInfo | undefined): boolean {
    return this.testWrite || canTestWrite(media);
  }

  /**
   * The disc a writing command acts on: `disc` itself, or with TEST WRITE set
   * the simulation copy (made from `disc` on first use). A medium without test
   * write refuses a simulated WRITE with 5/64/00 ILLEGAL MODE FOR THIS TRACK
   * rather than record what the host meant to simulate (the bit is left over
   * from a medium that had it, or was set with no disc in: MODE SELECT refuses
   * it while such a medium is loaded).
   */
  target(disc: Disc, refuse = true): Disc {
    if (!this.testWrite) return disc;
    if (!canTestWrite(disc.media)) {
      if (refuse) throw check(SENSE.IllegalModeForThisTrack);
      return disc;
    }
    this.#simulation ??= disc.simulation();
    return this.#simulation;
  }

  /** Closes the SAO session on the disc written to; returns the time it takes. */
  closeSaoSession(real: Disc): number {
    const disc = this.target(real, false);
    const finalize = !this.nextSessionAllowed;
    disc.closeSession(finalize);
    this.#sao = undefined;
    if (this.testWrite) this.#simulation = undefined; // the simulated session is over
    return finalize ? TIMING.finalizeMs : TIMING.closeSessionMs;
  }

  /**
   * Page 05h checks (MMC-6 §7.5): changeable bits only; write type 0-2; Mode 1
   * data; data track modes. `testWriteAllowed`: see the method of that name.
   * With a DVD-R/-RW loaded, an incremental page (write type 0) must name a
   * link size of feature 0021h when LS_V is set and a 16-block packet when FP
   * is set (5/26/00 otherwise): what a drive does with a page left from
   * another medium (a CD's link size 7, say) that the host copied back.
   */
  validatePage05(page: Uint8Array, testWriteAllowed: boolean, media?: MediaInfo): Uint8Array {
    if (page.length !== 2 + PAGE_05_LENGTH) throw check(SENSE.InvalidFieldInParameterList);
    const mask = writeParametersChangeable(testWriteAllowed);
    const next = this.#page05.slice();
    for (let i = 2; i < page.length; i++) {
      const v = page[i] ?? 0;
      const m = mask[i] ?? 0;
      if (((v ^ (next[i] ?? 0)) & ~m & 0xff) !== 0) throw check(SENSE.InvalidFieldInParameterList);
      next[i] = v;
    }
    const writeType = (next[2] ?? 0) & 0x0f;
    const trackMode = (next[3] ?? 0) & 0x0f;
    const fixedPacket = ((next[3] ?? 0) & 0x20) !== 0;
    const blockType = (next[4] ?? 0) & 0x0f;
    if (writeType > 2) throw check(SENSE.InvalidFieldInParameterList); // raw is not supported
    if (blockType !== 8) throw check(SENSE.InvalidFieldInParameterList);
    if (trackMode < 4 || trackMode > 7) throw check(SENSE.InvalidFieldInParameterList);
    if (fixedPacket && get32(next, 10) === 0) throw check(SENSE.InvalidFieldInParameterList);
    if (media && isDvdMinus(media) && writeType === 0) {
      const lsValid = ((next[2] ?? 0) & 0x20) !== 0;
      if (lsValid && !linkSizesOf(media).includes(next[5] ?? 0)) {
        throw check(SENSE.InvalidFieldInParameterList);
      }
      if (fixedPacket && get32(next, 10) !== DVD_PACKET_BLOCKS) {
        throw check(SENSE.InvalidFieldInParameterList);
      }
    }
    return next;
  }

  /** MODE SELECT took a new page 05h (validated). */
  select(next05: Uint8Array): void {
    this.#page05 = next05;
    this.#selectedSinceLoad = true;
    // A new write setup starts a new simulation (the host re-selects page 05h per burn).
    this.#simulation = undefined;
    if (this.#saoSimulated) this.#sao = undefined;
  }
}
