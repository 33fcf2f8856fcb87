/**
 * The mechanical state of the MMC target: the disc and the tray, PREVENT and
 * Persistent Prevent (MMC-6 §6.29), RESERVE(6), the write-protect switch, the
 * front-panel eject button (MMC-6 §4.3.4), the GESN media events (MMC-6
 * §6.7.2.5) and a loaded disc becoming ready: NOT READY 2/04/01 while it
 * spins up, then 6/28/00 once (MMC-6 §4.1.6).
 */
import type { VirtualClock } from '../clock.ts';
import { Disc, type Formatted } from '../disc.ts';
import type { MediaInfo } from '../media.ts';
import type { Observer, PreventCause } from '../observer.ts';
import { romSector } from '../rom-content.ts';
import { SENSE, check, type SenseCode } from '../sense-codes.ts';
import { GeneratedSectorStore, type SectorStoreFactory } from '../store.ts';
import { TIMING, nominal } from './long-operations.ts';
import type { SenseState } from './sense-state.ts';

export type EjectRequestPolicy = 'any-prevent' | 'persistent-only';

export type EjectButtonResult = 'opened' | 'closed' | 'eject-request' | 'refused';

/** GESN media event codes (MMC-6 §6.7.2.5 table 163). */
export const MediaEvent = {
  NoChange: 0,
  EjectRequest: 1,
  NewMedia: 2,
  MediaRemoval: 3,
} as const;

/** A new disc of `media`: pressed media carry the generated ISO 9660 volume (rom-content.ts). */
export function freshDisc(
  media: MediaInfo,
  storeFactory: SectorStoreFactory,
  options: { formatted?: Formatted },
): Disc {
  if (media.kind === 'rom') return Disc.fresh(media, pressedStore(media));
  return Disc.fresh(media, storeFactory(), options);
}

/** The generated ISO 9660 volume of a pressed disc of `media` (rom-content.ts). */
export function pressedStore(media: MediaInfo): GeneratedSectorStore {
  const volumeId = `WEBDISC_${media.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  return new GeneratedSectorStore((lba, into) => romSector(lba, media.capacity, volumeId, into));
}

export interface MechanicsOptions {
  readonly clock: VirtualClock;
  readonly observer: Observer;
  readonly ejectRequestOn: EjectRequestPolicy;
}

export class Mechanics {
  readonly #o: MechanicsOptions;
  readonly #sense: SenseState;
  #disc: Disc | undefined;
  #trayOpen = false;
  #prevent = false;
  #persistentPrevent = false;
  #mediaEvents: number[] = [];
  #readyAt = 0;
  #uaWhenReady = false;
  /** RESERVE(6) is in effect (SPC-2 §7.21). */
  reserved = false;
  /** The write-protect switch (7/27/00 on writes). */
  writeProtected = false;

  constructor(options: MechanicsOptions, sense: SenseState) {
    this.#o = options;
    this.#sense = sense;
  }

  get disc(): Disc | undefined {
    return this.#disc;
  }
  /** The disc, when the tray is closed on it. */
  get present(): Disc | undefined {
    return this.#disc && !this.#trayOpen ? this.#disc : undefined;
  }
  get trayOpen(): boolean {
    return this.#trayOpen;
  }
  get prevent(): boolean {
    return this.#prevent;
  }
  get persistentPrevent(): boolean {
    return this.#persistentPrevent;
  }
  /** Either lock is set (page 2Ah LOCK STATE). */
  get locked(): boolean {
    return this.#prevent || this.#persistentPrevent;
  }
  get pendingMediaEvents(): readonly number[] {
    return [...this.#mediaEvents];
  }
  get ready(): boolean {
    return this.#disc !== undefined && !this.#trayOpen && this.#o.clock.now() >= this.#readyAt;
  }

  /**
   * The front-panel button (MMC-6 §4.3.4 and §6.29: refused or turned into an
   * event while locked). `busy`: an IMMED operation is in progress.
   */
  pressEjectButton(busy: boolean): EjectButtonResult {
    if (this.#trayOpen) {
      this.closeTray();
      return 'closed';
    }
    if (busy) return 'refused';
    if (this.#prevent || this.#persistentPrevent) {
      if (this.#persistentPrevent || this.#o.ejectRequestOn === 'any-prevent') {
        this.#queueEvent(MediaEvent.EjectRequest);
        this.#o.observer.emit({ type: 'eject-request' });
        return 'eject-request';
      }
      return 'refused';
    }
    this.openTray();
    return 'opened';
  }

  /** Puts `disc` (or nothing) in the drive with the tray closed: media change semantics. */
  load(disc: Disc | undefined): void {
    const had = this.#disc !== undefined && !this.#trayOpen;
    // The old disc is gone for good: its store may release what it holds. A store that
    // cannot (an OPFS store that never opened) has nothing left to lose.
    void this.#disc?.store.close?.().catch(() => undefined);
    this.#disc = disc;
    this.#trayOpen = false;
    this.#readyAt = this.#o.clock.now() + nominal(this.#o.clock, TIMING.spinUpMs);
    if (disc) {
      this.#uaWhenReady = true;
      this.#queueEvent(MediaEvent.NewMedia);
    } else {
      this.#uaWhenReady = false;
      if (had) this.#queueEvent(MediaEvent.MediaRemoval);
    }
    this.#o.observer.emit({ type: 'media', name: disc?.media.name ?? 'none' });
  }

  /** Forgets the change notice of the disc just loaded (a disc present at power-on). */
  clearMediaChangeNotice(): void {
    this.#uaWhenReady = false;
    this.#mediaEvents = [];
  }

  openTray(): void {
    if (this.#trayOpen) return;
    this.#trayOpen = true;
    this.#uaWhenReady = false;
    if (this.#disc) this.#queueEvent(MediaEvent.MediaRemoval);
    this.#o.observer.emit({ type: 'tray', open: true });
  }

  closeTray(): void {
    if (!this.#trayOpen) return;
    this.#trayOpen = false;
    if (this.#disc) {
      this.#readyAt = this.#o.clock.now() + nominal(this.#o.clock, TIMING.spinUpMs);
      this.#uaWhenReady = true;
      this.#queueEvent(MediaEvent.NewMedia);
    }
    this.#o.observer.emit({ type: 'tray', open: false });
  }

  #queueEvent(code: number): void {
    if (this.#mediaEvents[this.#mediaEvents.length - 1] === code) return;
    this.#mediaEvents.push(code);
    if (this.#mediaEvents.length > 8) this.#mediaEvents.shift();
  }

  /** The oldest pending media event, consumed (GESN). */
  takeMediaEvent(): number {
    return this.#mediaEvents.shift() ?? MediaEvent.NoChange;
  }

  setPrevent(prevent: boolean, persistent: boolean, cause: PreventCause): void {
    if (prevent === this.#prevent && persistent === this.#persistentPrevent) return;
    this.#prevent = prevent;
    this.#persistentPrevent = persistent;
    this.#o.observer.prevent({
      seq: this.#o.observer.nextSeq - 1,
      time: this.#o.clock.now(),
      prevent,
      persistent,
      cause,
    });
  }

  /** A disc that has spun up raises 6/28/00 once. */
  settle(now: number): void {
    if (this.#uaWhenReady && this.#disc && !this.#trayOpen && now >= this.#readyAt) {
      this.#uaWhenReady = false;
      this.#sense.addUnitAttentionOnce(SENSE.MediumMayHaveChanged);
    }
  }

  // ---- checks the commands make ----------------------------------------------------------

  notReadySense(): SenseCode | undefined {
    if (this.#trayOpen) return SENSE.NoMediumTrayOpen;
    if (!this.#disc) return SENSE.NoMediumTrayClosed;
    if (this.#o.clock.now() < this.#readyAt) return SENSE.BecomingReady;
    return undefined;
  }

  checkMediumReady(): void {
    const s = this.notReadySense();
    if (s) throw check(s);
  }

  requireDisc(): Disc {
    const disc = this.#disc;
    if (!disc) throw check(SENSE.NoMediumTrayClosed);
    return disc;
  }

  checkWritable(): Disc {
    const disc = this.requireDisc();
    if (this.writeProtected) throw check(SENSE.WriteProtected);
    return disc;
  }
}
