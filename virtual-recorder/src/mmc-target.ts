/**
 * The MMC target: the drive firmware of the virtual recorder. It parses CDBs
 * itself (SPC-4, MMC-6), keeps the mechanical state (tray, PREVENT, RESERVE),
 * the disc, the write buffer and long operations, and turns each command
 * into a `CommandPlan` that the BOT engine (device.ts) runs: an optional data
 * phase, then `finish()` giving the status for the CSW.
 *
 * Order of checks for every command (SPC-4 §5.14 unit attention, MMC-6
 * §4.1.6 not-ready reporting):
 *   1. reservation conflict (fault)   2. LUN (only LUN 0 exists: 5/25/00)
 *   3. pending UNIT ATTENTION, except for INQUIRY, REQUEST SENSE, GET
 *      CONFIGURATION and GET EVENT STATUS NOTIFICATION (MMC-6 §4.1.6.1)
 *   4. unknown opcode 5/20/00; CDB shorter than the opcode's 5/24/00
 *   5. an IMMED operation in progress: NOT READY 2/04/04 (format) or 2/04/07,
 *      with the progress indicator, for commands that cannot run meanwhile
 *   6. medium: tray open 2/3A/02, no disc 2/3A/01, spinning up 2/04/01
 *   7. the command's own field and state checks.
 * Sense of a failed command is kept for the next REQUEST SENSE and dropped by
 * any other command (SPC-4 §5.12 autosense model without ACA).
 */
import { encodeFixedSense, type Sense } from '../../usb-mass-storage/src/scsi/sense.ts';
import type { VirtualClock } from './clock.ts';
import { Disc, DiscStatus } from './disc.ts';
import type { FaultState } from './faults.ts';
import { MEDIA, ONE_X, mediaInfo, type MediaInfo, type MediaName } from './media.ts';
import type { Observer, PreventCause } from './observer.ts';
import {
  CAPABILITIES_PAGE,
  PAGE_05_LENGTH,
  MAX_CUE_SHEET_BYTES,
  WRITE_PARAMETERS_PAGE,
  bufferCapacity,
  capabilitiesPage,
  configuration,
  defaultWriteParameters,
  discInformation,
  eventStatus,
  formatCapacities,
  get16,
  get32,
  mechanismStatus,
  modeSense10,
  readCapacity,
  standardInquiry,
  tocFormat0,
  tocFormat1,
  tocFormat2,
  tocFormat4,
  trackInformation,
  vpdPage,
  writeParametersChangeable,
  MEDIA_CLASS_MASK,
  type Identity,
} from './responses.ts';
import { romSector } from './rom-content.ts';
import { SaoWriter, parseCuePlan } from './sao.ts';
import { CheckCondition, SENSE, check, type SenseCode } from './sense-codes.ts';
import { GeneratedSectorStore, SECTOR_SIZE, type SectorStoreFactory } from './store.ts';

// ---- what the BOT engine runs -------------------------------------------------

export interface DataInPhase {
  readonly direction: 'in';
  /** Bytes the device has for this command (after the CDB's allocation length). */
  readonly length: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface DataOutPhase {
  readonly direction: 'out';
  /** Bytes the device expects. */
  readonly length: number;
  write(chunk: Uint8Array): Promise<void>;
}

export interface CommandOutcome {
  readonly status: 'good' | 'check-condition' | 'reservation-conflict';
  readonly sense?: Sense | undefined;
  /** Bytes of an OUT data phase the command used when fewer than it received (residue). */
  readonly processed?: number | undefined;
}

export interface CommandPlan {
  readonly opcode: number;
  readonly name: string;
  readonly data: DataInPhase | DataOutPhase | undefined;
  /** Called once the data phase is over: runs what is left and gives the CSW status. */
  finish(): Promise<CommandOutcome>;
  /** The transport dropped the command (reset, disconnect): stop side effects. */
  abort(): void;
}

// ---- timing ----------------------------------------------------------------------

/** Nominal durations of mechanical and recording operations (drive milliseconds, see clock.ts). */
export const TIMING = {
  spinUpMs: 1500,
  closeTrackMs: 2000,
  closeSessionMs: 20_000,
  finalizeMs: 30_000,
  minimalBlankMs: 30_000,
  /** DVD+RW format 26h returns after the lead-in; the rest is background formatting (MMC-6 §4.11.3). */
  dvdPlusRwFormatMs: 2000,
  /** BD-RE quick format (30h subtypes 00b/11b, 31h). */
  bdQuickFormatMs: 10_000,
} as const;

export const DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024;

// ---- options ----------------------------------------------------------------------

export type EjectRequestPolicy = 'any-prevent' | 'persistent-only';

export interface DriveOptions {
  readonly clock: VirtualClock;
  readonly faults: FaultState;
  readonly observer: Observer;
  readonly identity: Identity;
  readonly reserveSupported: boolean;
  readonly persistentPreventSupported: boolean;
  readonly ejectRequestOn: EjectRequestPolicy;
  readonly resetClearsPrevent: boolean;
  readonly resetUnitAttention: boolean;
  readonly powerOnUnitAttention: boolean;
  readonly bufferBytes: number;
  readonly storeFactory: SectorStoreFactory;
}

export type EjectButtonResult = 'opened' | 'closed' | 'eject-request' | 'refused';

/** GESN media event codes (MMC-6 §6.7.2.5 table 163). */
export const MediaEvent = {
  NoChange: 0,
  EjectRequest: 1,
  NewMedia: 2,
  MediaRemoval: 3,
} as const;

// ---- opcodes ------------------------------------------------------------------------

export const Opcode = {
  TestUnitReady: 0x00,
  RequestSense: 0x03,
  FormatUnit: 0x04,
  Inquiry: 0x12,
  Reserve6: 0x16,
  Release6: 0x17,
  StartStopUnit: 0x1b,
  PreventAllowMediumRemoval: 0x1e,
  ReadFormatCapacities: 0x23,
  ReadCapacity: 0x25,
  Read10: 0x28,
  Write10: 0x2a,
  SynchronizeCache: 0x35,
  ReadTocPmaAtip: 0x43,
  GetConfiguration: 0x46,
  GetEventStatusNotification: 0x4a,
  ReadDiscInformation: 0x51,
  ReadTrackInformation: 0x52,
  ReserveTrack: 0x53,
  ModeSelect10: 0x55,
  ModeSense10: 0x5a,
  CloseTrackSession: 0x5b,
  ReadBufferCapacity: 0x5c,
  SendCueSheet: 0x5d,
  Blank: 0xa1,
  SetCdSpeed: 0xbb,
  MechanismStatus: 0xbd,
} as const;

interface CommandSpec {
  readonly name: string;
  /** CDB length of the opcode's group (SPC-4 §4.2.5.1). */
  readonly length: number;
  /** Needs a loaded, spun-up medium. */
  readonly medium: boolean;
  /** May run while an IMMED operation is in progress. */
  readonly duringBusy: boolean;
  /** Not failed by a pending unit attention. */
  readonly uaExempt: boolean;
  readonly run: (cdb: Uint8Array) => CommandPlan;
}

interface BusyOperation {
  readonly sense: SenseCode;
  readonly start: number;
  readonly end: number;
}

const GOOD: CommandOutcome = { status: 'good' };
const noop = () => {};

function spec(
  name: string,
  length: number,
  flags: { medium?: boolean; duringBusy?: boolean; uaExempt?: boolean },
  run: (cdb: Uint8Array) => CommandPlan,
): CommandSpec {
  return {
    name,
    length,
    medium: flags.medium ?? false,
    duringBusy: flags.duringBusy ?? false,
    uaExempt: flags.uaExempt ?? false,
    run,
  };
}

/** Whether `media` is DVD-R/-RW, the DVD media page 05h applies to (MMC-6 §7.5.1). */
function isDvdMinus(media: MediaInfo): boolean {
  return media.name === 'dvd-r' || media.name === 'dvd-rw';
}

/**
 * Whether the drive can simulate writing on `media` (page 05h TEST WRITE,
 * MMC-6 §7.5.4): recordable CD and DVD-R/-RW only; DVD+R/+RW and BD have no
 * test write. With no medium the bit is left changeable: the drive can test
 * write, and WRITE(10) checks the medium it finds.
 */
function canTestWrite(media: MediaInfo | undefined): boolean {
  if (media === undefined) return true;
  if (media.kind !== 'write-once' && media.kind !== 'erasable') return false;
  return media.family === 'cd' || isDvdMinus(media);
}

export class MmcDrive {
  readonly #o: DriveOptions;
  readonly #commands = new Map<number, CommandSpec>();

  #disc: Disc | undefined;
  #trayOpen = false;
  #prevent = false;
  #persistentPrevent = false;
  #reserved = false;
  #writeProtected = false;
  #unitAttentions: SenseCode[] = [];
  #pendingSense: Sense | undefined;
  #lastSense: Sense | undefined;
  #mediaEvents: number[] = [];
  #readyAt = 0;
  #uaWhenReady = false;
  #busy: BusyOperation | undefined;
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
  #writeSpeedRequest = 0xffff;
  #readSpeedRequest = 0xffff;
  #bufferFill = 0;
  #bufferAt = 0;

  constructor(options: DriveOptions) {
    this.#o = options;
    this.#register();
    if (options.powerOnUnitAttention) this.#unitAttentions.push(SENSE.PowerOnOrReset);
  }

  // ---- state the recorder exposes ------------------------------------------------

  get disc(): Disc | undefined {
    return this.#disc;
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
  get reserved(): boolean {
    return this.#reserved;
  }
  get lastSense(): Sense | undefined {
    return this.#lastSense;
  }
  get writeProtected(): boolean {
    return this.#writeProtected;
  }
  set writeProtected(on: boolean) {
    this.#writeProtected = on;
  }
  get pendingUnitAttentions(): readonly SenseCode[] {
    this.#settle();
    return [...this.#unitAttentions];
  }
  get pendingMediaEvents(): readonly number[] {
    return [...this.#mediaEvents];
  }
  /** Progress 0..1 of the running IMMED operation, or undefined. */
  get operationProgress(): number | undefined {
    this.#settle();
    const b = this.#busy;
    return b ? this.#progress(b) / 65536 : undefined;
  }
  get bufferBytes(): number {
    return this.#o.bufferBytes;
  }
  get bufferFill(): number {
    return this.#currentFill();
  }
  get writeSpeed(): number {
    return this.#effectiveWriteSpeed();
  }
  get ready(): boolean {
    this.#settle();
    return this.#disc !== undefined && !this.#trayOpen && this.#o.clock.now() >= this.#readyAt;
  }

  // ---- mechanics (the recorder's control API calls these) ------------------------------

  /** The front-panel button (MMC-6 §4.3.4 and §6.29: refused or turned into an event while locked). */
  pressEjectButton(): EjectButtonResult {
    this.#settle();
    if (this.#trayOpen) {
      this.#closeTray();
      return 'closed';
    }
    if (this.#busy) return 'refused';
    if (this.#prevent || this.#persistentPrevent) {
      if (this.#persistentPrevent || this.#o.ejectRequestOn === 'any-prevent') {
        this.#queueEvent(MediaEvent.EjectRequest);
        this.#o.observer.emit({ type: 'eject-request' });
        return 'eject-request';
      }
      return 'refused';
    }
    this.#openTray();
    return 'opened';
  }

  /** Swaps the disc at once and closes the tray, whatever PREVENT says. */
  changeMedia(name: MediaName, options: { formatted?: boolean } = {}): void {
    const media = mediaInfo(name);
    const disc = media.kind === 'none' ? undefined : this.#freshDisc(media, options);
    this.loadDisc(disc);
  }

  /** Puts `disc` (or nothing) in the drive with the tray closed: media change semantics. */
  loadDisc(disc: Disc | undefined): void {
    const had = this.#disc !== undefined && !this.#trayOpen;
    // The old disc is gone for good: its store may release what it holds. A store that
    // cannot (an OPFS store that never opened) has nothing left to lose.
    void this.#disc?.store.close?.().catch(() => undefined);
    this.#disc = disc;
    this.#simulation = undefined;
    this.#sao = undefined;
    this.#trayOpen = false;
    this.#busy = undefined;
    this.#bufferFill = 0;
    this.#readyAt = this.#o.clock.now() + this.#duration(TIMING.spinUpMs);
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

  /** Bulk-Only Mass Storage Reset (BOT 1.0 §3.1): see the recorder options. */
  busReset(): void {
    this.#resetState('bulk-reset', this.#o.resetUnitAttention, this.#o.resetClearsPrevent);
  }

  /** USB port reset (WebUSB reset()): a power cycle for the logical unit. */
  portReset(): void {
    this.#resetState('port-reset', true, true);
    this.#reserved = false;
    this.#page05 = defaultWriteParameters();
    this.#simulation = undefined;
    this.#sao = undefined;
  }

  #resetState(cause: PreventCause, unitAttention: boolean, clearPrevent: boolean): void {
    this.#pendingSense = undefined;
    this.#unitAttentions = unitAttention ? [SENSE.PowerOnOrReset] : [];
    if (clearPrevent) this.#setPrevent(false, false, cause);
  }

  #freshDisc(media: MediaInfo, options: { formatted?: boolean }): Disc {
    if (media.kind === 'rom') {
      const volumeId = `WEBDISC_${media.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
      const store = new GeneratedSectorStore((lba, into) =>
        romSector(lba, media.capacity, volumeId, into),
      );
      return Disc.fresh(media, store);
    }
    return Disc.fresh(media, this.#o.storeFactory(), options);
  }

  #openTray(): void {
    if (this.#trayOpen) return;
    this.#trayOpen = true;
    this.#uaWhenReady = false;
    if (this.#disc) this.#queueEvent(MediaEvent.MediaRemoval);
    this.#o.observer.emit({ type: 'tray', open: true });
  }

  #closeTray(): void {
    if (!this.#trayOpen) return;
    this.#trayOpen = false;
    if (this.#disc) {
      this.#readyAt = this.#o.clock.now() + this.#duration(TIMING.spinUpMs);
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

  #setPrevent(prevent: boolean, persistent: boolean, cause: PreventCause): void {
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

  // ---- time -------------------------------------------------------------------------

  /** A nominal duration on this clock: zero when the clock is off. */
  #duration(ms: number): number {
    return this.#o.clock.mode === 'off' ? 0 : ms;
  }

  /** Lazily applies what time has done: operations finishing, a disc becoming ready. */
  #settle(): void {
    const now = this.#o.clock.now();
    if (this.#busy && now >= this.#busy.end) this.#busy = undefined;
    if (this.#uaWhenReady && this.#disc && !this.#trayOpen && now >= this.#readyAt) {
      this.#uaWhenReady = false;
      if (!this.#unitAttentions.some((u) => u === SENSE.MediumMayHaveChanged)) {
        this.#unitAttentions.push(SENSE.MediumMayHaveChanged);
      }
    }
  }

  #progress(b: BusyOperation): number {
    const span = b.end - b.start;
    const done = span <= 0 ? 1 : (this.#o.clock.now() - b.start) / span;
    return Math.max(0, Math.min(65535, Math.floor(done * 65536)));
  }

  /** Write speed in kB/s: the SET CD SPEED request clamped to the medium's speeds (MMC-6 §6.37). */
  #effectiveWriteSpeed(): number {
    const speeds = this.#disc?.media.writeSpeeds ?? [];
    if (speeds.length === 0) return 0;
    const fit = speeds.find((s) => s <= this.#writeSpeedRequest);
    return fit ?? speeds[speeds.length - 1]!;
  }

  #effectiveReadSpeed(): number {
    const max = this.#disc?.media.readSpeed ?? MEDIA['cd-rom'].readSpeed;
    return Math.min(max, Math.max(this.#readSpeedRequest, ONE_X[this.#disc?.media.family ?? 'cd']));
  }

  /** User bytes per drive millisecond at the write speed (CD speeds count 2352-byte sectors). */
  #drainRate(): number {
    const kbps = this.#effectiveWriteSpeed();
    const cd = this.#disc?.media.family === 'cd';
    return (kbps * (cd ? 2048 / 2352 : 1) * 1000) / 1000;
  }

  #currentFill(): number {
    const now = this.#o.clock.now();
    const rate = this.#drainRate();
    if (rate > 0) this.#bufferFill = Math.max(0, this.#bufferFill - (now - this.#bufferAt) * rate);
    this.#bufferAt = now;
    return this.#bufferFill;
  }

  /** Milliseconds until the buffer is empty. */
  #drainTime(): number {
    const rate = this.#drainRate();
    const fill = this.#currentFill();
    return rate > 0 ? Math.ceil(fill / rate) : 0;
  }

  /** Flow control of a WRITE data phase: waits for room in the buffer (the drive NAKs meanwhile). */
  async #acceptIntoBuffer(bytes: number, aborted: () => boolean): Promise<void> {
    if (this.#o.clock.mode === 'off') return;
    const size = this.#o.bufferBytes;
    const need = Math.min(bytes, size);
    for (;;) {
      const fill = this.#currentFill();
      const rate = this.#drainRate();
      if (size - fill >= need || rate <= 0) {
        this.#bufferFill = fill + bytes;
        return;
      }
      await this.#o.clock.sleepUntil(
        this.#o.clock.now() + Math.ceil((fill - (size - need)) / rate),
      );
      if (aborted()) return;
    }
  }

  /**
   * Starts a long operation. With IMMED the command ends at once and the drive
   * reports NOT READY with progress until `ms` have passed; without, the CSW
   * waits for the end (MMC-6 §6.2.2, §6.3.2, §6.5.2).
   */
  async #operation(sense: SenseCode, ms: number, immed: boolean): Promise<void> {
    const start = this.#o.clock.now();
    const end = start + this.#duration(ms);
    if (end > start) this.#busy = { sense, start, end };
    if (!immed) {
      await this.#o.clock.sleepUntil(end);
      this.#settle();
    }
  }

  // ---- command entry ------------------------------------------------------------------

  /** Validates `cdb` and returns what the transport runs. Never throws for a bad CDB. */
  start(cdb: Uint8Array, lun: number): CommandPlan {
    this.#settle();
    const opcode = cdb[0] ?? 0;
    const s = this.#commands.get(opcode);
    const name = s?.name ?? `UNKNOWN ${opcode.toString(16).padStart(2, '0').toUpperCase()}h`;
    if (opcode !== Opcode.RequestSense) this.#pendingSense = undefined;
    try {
      if (this.#o.faults.reservationConflict) {
        this.#o.faults.reservationConflict = false;
        return this.#conflict(opcode, name);
      }
      if (lun !== 0) return this.#otherLun(opcode, name, cdb);
      if (!s?.uaExempt) this.#reportUnitAttention();
      if (!s) throw check(SENSE.InvalidOpcode);
      if (cdb.length < s.length) throw check(SENSE.InvalidFieldInCdb);
      if (!s.duringBusy && this.#busy) {
        throw check(this.#busy.sense, { progress: this.#progress(this.#busy) });
      }
      if (s.medium) this.#checkMediumReady();
      return s.run(cdb);
    } catch (e) {
      if (e instanceof CheckCondition) return this.#failed(opcode, name, e.sense);
      throw e;
    }
  }

  /** The transport failed the command itself (fault injection): REQUEST SENSE reports `sense`. */
  reportTransportFailure(sense: Sense): void {
    this.#pendingSense = sense;
    this.#lastSense = sense;
  }

  #reportUnitAttention(): void {
    const ua = this.#unitAttentions.shift();
    if (ua) throw check(ua);
  }

  #notReadySense(): SenseCode | undefined {
    if (this.#trayOpen) return SENSE.NoMediumTrayOpen;
    if (!this.#disc) return SENSE.NoMediumTrayClosed;
    if (this.#o.clock.now() < this.#readyAt) return SENSE.BecomingReady;
    return undefined;
  }

  #checkMediumReady(): void {
    const s = this.#notReadySense();
    if (s) throw check(s);
  }

  #requireDisc(): Disc {
    const disc = this.#disc;
    if (!disc) throw check(SENSE.NoMediumTrayClosed);
    return disc;
  }

  #complete(outcome: CommandOutcome): CommandOutcome {
    if (outcome.status === 'check-condition' && outcome.sense) {
      this.#pendingSense = outcome.sense;
      this.#lastSense = outcome.sense;
    } else if (outcome.status === 'reservation-conflict') {
      // BOT cannot say RESERVATION CONFLICT: status 1, then REQUEST SENSE finds nothing.
      this.#pendingSense = { key: 0, asc: 0, ascq: 0 };
    }
    return outcome;
  }

  /** A plan with no data phase whose finish runs `work` (checks thrown there become CHECK CONDITION). */
  #plan(
    opcode: number,
    name: string,
    data: DataInPhase | DataOutPhase | undefined,
    work?: () => Promise<CommandOutcome | void> | CommandOutcome | void,
    abort: () => void = noop,
  ): CommandPlan {
    let finished = false;
    return {
      opcode,
      name,
      data,
      abort,
      finish: async () => {
        if (finished) throw new Error('finish() called twice');
        finished = true;
        try {
          const r = await work?.();
          return this.#complete(r ?? GOOD);
        } catch (e) {
          if (e instanceof CheckCondition) {
            return this.#complete({ status: 'check-condition', sense: e.sense });
          }
          throw e;
        }
      },
    };
  }

  #failed(opcode: number, name: string, sense: Sense): CommandPlan {
    return this.#plan(opcode, name, undefined, () => ({ status: 'check-condition', sense }));
  }

  #conflict(opcode: number, name: string): CommandPlan {
    return this.#plan(opcode, name, undefined, () => ({ status: 'reservation-conflict' }));
  }

  /** SPC-4 §6.4.2: INQUIRY to an absent LUN answers qualifier 011b; others 5/25/00. */
  #otherLun(opcode: number, name: string, cdb: Uint8Array): CommandPlan {
    if (opcode === Opcode.Inquiry) {
      return this.#plan(
        opcode,
        name,
        bytesIn(standardInquiry(this.#o.identity, false), get16(cdb, 3)),
      );
    }
    if (opcode === Opcode.RequestSense) {
      return this.#plan(
        opcode,
        name,
        bytesIn(encodeFixedSense(SENSE.LunNotSupported), cdb[4] ?? 0),
      );
    }
    throw check(SENSE.LunNotSupported);
  }

  // ---- the command table -----------------------------------------------------------------

  #register(): void {
    const add = (opcode: number, s: CommandSpec) => this.#commands.set(opcode, s);
    const O = Opcode;
    add(
      O.TestUnitReady,
      spec('TEST UNIT READY', 6, { medium: true }, () =>
        this.#good(O.TestUnitReady, 'TEST UNIT READY'),
      ),
    );
    add(
      O.RequestSense,
      spec('REQUEST SENSE', 6, { duringBusy: true, uaExempt: true }, (c) => this.#requestSense(c)),
    );
    add(
      O.FormatUnit,
      spec('FORMAT UNIT', 6, { medium: true }, (c) => this.#formatUnit(c)),
    );
    add(
      O.Inquiry,
      spec('INQUIRY', 6, { duringBusy: true, uaExempt: true }, (c) => this.#inquiry(c)),
    );
    if (this.#o.reserveSupported) {
      add(
        O.Reserve6,
        spec('RESERVE(6)', 6, { duringBusy: true }, (c) => this.#reserve(c, true)),
      );
      add(
        O.Release6,
        spec('RELEASE(6)', 6, { duringBusy: true }, (c) => this.#reserve(c, false)),
      );
    }
    add(
      O.StartStopUnit,
      spec('START STOP UNIT', 6, {}, (c) => this.#startStop(c)),
    );
    add(
      O.PreventAllowMediumRemoval,
      spec('PREVENT ALLOW MEDIUM REMOVAL', 6, { duringBusy: true }, (c) => this.#preventAllow(c)),
    );
    add(
      O.ReadFormatCapacities,
      spec('READ FORMAT CAPACITIES', 10, { duringBusy: true }, (c) =>
        this.#readFormatCapacities(c),
      ),
    );
    add(
      O.ReadCapacity,
      spec('READ CAPACITY', 10, { medium: true }, () => this.#readCapacity()),
    );
    add(
      O.Read10,
      spec('READ(10)', 10, { medium: true }, (c) => this.#read10(c)),
    );
    add(
      O.Write10,
      spec('WRITE(10)', 10, { medium: true }, (c) => this.#write10(c)),
    );
    add(
      O.SynchronizeCache,
      spec('SYNCHRONIZE CACHE', 10, { medium: true }, (c) => this.#synchronizeCache(c)),
    );
    add(
      O.ReadTocPmaAtip,
      spec('READ TOC/PMA/ATIP', 10, { medium: true }, (c) => this.#readToc(c)),
    );
    add(
      O.GetConfiguration,
      spec('GET CONFIGURATION', 10, { duringBusy: true, uaExempt: true }, (c) =>
        this.#getConfiguration(c),
      ),
    );
    add(
      O.GetEventStatusNotification,
      spec('GET EVENT STATUS NOTIFICATION', 10, { duringBusy: true, uaExempt: true }, (c) =>
        this.#gesn(c),
      ),
    );
    add(
      O.ReadDiscInformation,
      spec('READ DISC INFORMATION', 10, { medium: true }, (c) => this.#readDiscInformation(c)),
    );
    add(
      O.ReadTrackInformation,
      spec('READ TRACK INFORMATION', 10, { medium: true }, (c) => this.#readTrackInformation(c)),
    );
    add(
      O.ReserveTrack,
      spec('RESERVE TRACK', 10, { medium: true }, (c) => this.#reserveTrack(c)),
    );
    add(
      O.ModeSelect10,
      spec('MODE SELECT(10)', 10, {}, (c) => this.#modeSelect(c)),
    );
    add(
      O.ModeSense10,
      spec('MODE SENSE(10)', 10, { duringBusy: true }, (c) => this.#modeSense(c)),
    );
    add(
      O.CloseTrackSession,
      spec('CLOSE TRACK/SESSION', 10, { medium: true }, (c) => this.#closeTrackSession(c)),
    );
    add(
      O.ReadBufferCapacity,
      spec('READ BUFFER CAPACITY', 10, { duringBusy: true }, (c) => this.#readBufferCapacity(c)),
    );
    add(
      O.SendCueSheet,
      spec('SEND CUE SHEET', 10, { medium: true }, (c) => this.#sendCueSheet(c)),
    );
    add(
      O.Blank,
      spec('BLANK', 12, { medium: true }, (c) => this.#blank(c)),
    );
    add(
      O.SetCdSpeed,
      spec('SET CD SPEED', 12, { duringBusy: true }, (c) => this.#setCdSpeed(c)),
    );
    add(
      O.MechanismStatus,
      spec('MECHANISM STATUS', 12, { duringBusy: true }, (c) => this.#mechanismStatus(c)),
    );
  }

  #name(opcode: number): string {
    return this.#commands.get(opcode)?.name ?? '';
  }

  #good(opcode: number, name = this.#name(opcode)): CommandPlan {
    return this.#plan(opcode, name, undefined);
  }

  #in(opcode: number, bytes: Uint8Array, allocation: number): CommandPlan {
    return this.#plan(opcode, this.#name(opcode), bytesIn(bytes, allocation));
  }

  // ---- SPC commands ------------------------------------------------------------------

  /** REQUEST SENSE (SPC-4 §6.29): b1 DESC(0), b4 ALLOCATION LENGTH. Fixed format only. */
  #requestSense(cdb: Uint8Array): CommandPlan {
    if ((cdb[1] ?? 0) & 0x01) throw check(SENSE.InvalidFieldInCdb);
    let sense: Sense | undefined = this.#pendingSense;
    this.#pendingSense = undefined;
    if (!sense) {
      const ua = this.#unitAttentions.shift();
      if (ua) sense = ua;
    }
    if (!sense && this.#busy) sense = { ...this.#busy.sense, progress: this.#progress(this.#busy) };
    sense ??= this.#notReadySense() ?? SENSE.NoSense;
    return this.#in(Opcode.RequestSense, encodeFixedSense(sense), cdb[4] ?? 0);
  }

  /** INQUIRY (SPC-4 §6.4): b1 EVPD(0), b2 PAGE CODE, b3-4 ALLOCATION LENGTH. */
  #inquiry(cdb: Uint8Array): CommandPlan {
    const evpd = ((cdb[1] ?? 0) & 0x01) !== 0;
    const page = cdb[2] ?? 0;
    const allocation = get16(cdb, 3);
    if (!evpd) {
      if (page !== 0) throw check(SENSE.InvalidFieldInCdb);
      return this.#in(Opcode.Inquiry, standardInquiry(this.#o.identity, true), allocation);
    }
    const vpd = vpdPage(page, this.#o.identity);
    if (!vpd) throw check(SENSE.InvalidFieldInCdb);
    return this.#in(Opcode.Inquiry, vpd, allocation);
  }

  /** RESERVE(6)/RELEASE(6) (SPC-2 §7.21, §7.17): b1 3RDPTY/extent bits must be zero. */
  #reserve(cdb: Uint8Array, reserve: boolean): CommandPlan {
    if (((cdb[1] ?? 0) & 0x1f) !== 0) throw check(SENSE.InvalidFieldInCdb);
    this.#reserved = reserve;
    return this.#good(reserve ? Opcode.Reserve6 : Opcode.Release6);
  }

  /**
   * START STOP UNIT (MMC-6 §6.39): b1 IMMED(0); b4 POWER CONDITIONS(7:4),
   * LOEJ(1), START(0). LoEj+!Start ejects (5/53/02 while Prevent is set;
   * Persistent Prevent alone lets the host eject), LoEj+Start loads.
   */
  #startStop(cdb: Uint8Array): CommandPlan {
    const b4 = cdb[4] ?? 0;
    const loej = (b4 & 0x02) !== 0;
    const start = (b4 & 0x01) !== 0;
    if ((b4 & 0xf0) === 0) {
      if (loej && !start) {
        if (this.#prevent) throw check(SENSE.MediumRemovalPrevented);
        this.#openTray();
      } else if (loej && start) {
        this.#closeTray();
      } else if (start) {
        this.#checkMediumReady();
      }
    }
    return this.#good(Opcode.StartStopUnit);
  }

  /**
   * PREVENT ALLOW MEDIUM REMOVAL (MMC-6 §6.29): b4 PERSISTENT(1) PREVENT(0).
   * Persistent=0 sets/clears the Prevent state, Persistent=1 the Persistent
   * Prevent state; the two are independent.
   */
  #preventAllow(cdb: Uint8Array): CommandPlan {
    const b4 = cdb[4] ?? 0;
    const persistent = (b4 & 0x02) !== 0;
    const prevent = (b4 & 0x01) !== 0;
    if (persistent && !this.#o.persistentPreventSupported) throw check(SENSE.InvalidFieldInCdb);
    if (persistent) this.#setPrevent(this.#prevent, prevent, 'command');
    else this.#setPrevent(prevent, this.#persistentPrevent, 'command');
    return this.#good(Opcode.PreventAllowMediumRemoval);
  }

  // ---- reading --------------------------------------------------------------------------

  /** READ CAPACITY (MMC-6 §6.23): the last readable block; 0 on blank media. */
  #readCapacity(): CommandPlan {
    const disc = this.#requireDisc();
    const last = Math.max(0, disc.readableEnd - 1);
    return this.#in(Opcode.ReadCapacity, readCapacity(last), 8);
  }

  /** READ(10) (MMC-6 §6.15): b1 RELADR(0) must be 0, b2-5 LBA, b7-8 TRANSFER LENGTH. */
  #read10(cdb: Uint8Array): CommandPlan {
    if ((cdb[1] ?? 0) & 0x01) throw check(SENSE.InvalidFieldInCdb);
    const disc = this.#requireDisc();
    const lba = get32(cdb, 2);
    const count = get16(cdb, 7);
    disc.checkRead(lba, count);
    let blocks = count;
    let outcome: CommandOutcome = GOOD;
    const bad = this.#o.faults.readErrorAt;
    if (bad !== undefined && bad >= lba && bad < lba + count) {
      this.#o.faults.readErrorAt = undefined;
      blocks = bad - lba;
      outcome = {
        status: 'check-condition',
        sense: check(SENSE.UnrecoveredReadError, { information: bad }).sense,
      };
    }
    this.#o.observer.counters.sectorsRead += blocks;
    const store = disc.store;
    /** First block the store could not give back (see #storeFailed). */
    let failedAt: number | undefined;
    const data: DataInPhase | undefined =
      blocks === 0
        ? undefined
        : {
            direction: 'in',
            length: blocks * SECTOR_SIZE,
            read: async (offset, length) => {
              const first = Math.floor(offset / SECTOR_SIZE);
              const last = Math.ceil((offset + length) / SECTOR_SIZE);
              if (failedAt !== undefined) return new Uint8Array(length);
              let sectors: Uint8Array;
              try {
                sectors = await store.read(lba + first, last - first);
              } catch (error) {
                failedAt = lba + first;
                this.#storeFailed('read', failedAt, error);
                return new Uint8Array(length);
              }
              const skip = offset - first * SECTOR_SIZE;
              return sectors.subarray(skip, skip + length);
            },
          };
    return this.#plan(Opcode.Read10, 'READ(10)', data, () =>
      failedAt === undefined
        ? outcome
        : {
            status: 'check-condition',
            sense: check(SENSE.UnrecoveredReadError, { information: failedAt }).sense,
          },
    );
  }

  /**
   * READ TOC/PMA/ATIP (MMC-6 §6.26): b1 MSF(1), b2 FORMAT(3:0), b6 TRACK/SESSION
   * NUMBER, b7-8 ALLOCATION LENGTH; b9 bits 7:6 the SFF-8020i format field.
   * Formats 0, 1, 2 and 4 (ATIP: recordable CD only); blank media have no TOC.
   */
  #readToc(cdb: Uint8Array): CommandPlan {
    const disc = this.#requireDisc();
    const msf = ((cdb[1] ?? 0) & 0x02) !== 0;
    let format = (cdb[2] ?? 0) & 0x0f;
    if (format === 0) format = (cdb[9] ?? 0) >> 6;
    const number = cdb[6] ?? 0;
    let bytes: Uint8Array | undefined;
    switch (format) {
      case 0:
        bytes = tocFormat0(disc, msf, number);
        break;
      case 1:
        bytes = tocFormat1(disc, msf);
        break;
      case 2:
        bytes = tocFormat2(disc, number);
        break;
      case 4:
        if (disc.media.family === 'cd' && disc.media.kind !== 'rom') bytes = tocFormat4(disc.media);
        break;
    }
    if (!bytes) throw check(SENSE.InvalidFieldInCdb);
    return this.#in(Opcode.ReadTocPmaAtip, bytes, get16(cdb, 7));
  }

  /** READ DISC INFORMATION (MMC-6 §6.22): b1 DATA TYPE(2:0) must be 000b. */
  #readDiscInformation(cdb: Uint8Array): CommandPlan {
    if (((cdb[1] ?? 0) & 0x07) !== 0) throw check(SENSE.InvalidFieldInCdb);
    return this.#in(
      Opcode.ReadDiscInformation,
      discInformation(this.#requireDisc()),
      get16(cdb, 7),
    );
  }

  /**
   * READ TRACK INFORMATION (MMC-6 §6.27): b1 ADDRESS/NUMBER TYPE(1:0): 00b LBA,
   * 01b track (FFh = the invisible/incomplete track), 10b session; b2-5 the
   * value; b7-8 ALLOCATION LENGTH.
   */
  #readTrackInformation(cdb: Uint8Array): CommandPlan {
    const disc = this.#requireDisc();
    const type = (cdb[1] ?? 0) & 0x03;
    const value = get32(cdb, 2);
    let t;
    if (type === 0) {
      t = disc.trackForLba(value);
      if (!t) throw check(SENSE.LbaOutOfRange);
    } else if (type === 1) {
      t =
        value === 0xff && !disc.trackByNumber(0xff)
          ? disc.invisibleTrack
          : disc.trackByNumber(value);
    } else if (type === 2) {
      t = disc.tracks.find((x) => x.session === value);
    }
    if (!t) throw check(SENSE.InvalidFieldInCdb);
    return this.#in(Opcode.ReadTrackInformation, trackInformation(disc, t), get16(cdb, 7));
  }

  // ---- configuration and events ----------------------------------------------------------

  #writableNow(): boolean {
    const disc = this.#disc;
    if (!disc || this.#trayOpen) return false;
    if (disc.media.kind === 'formattable') return disc.formatted;
    return disc.sequential && !disc.finalized;
  }

  /** GET CONFIGURATION (MMC-6 §6.6): b1 RT(1:0), b2-3 STARTING FEATURE NUMBER, b7-8 ALLOCATION LENGTH. */
  #getConfiguration(cdb: Uint8Array): CommandPlan {
    const rt = (cdb[1] ?? 0) & 0x03;
    if (rt === 3) throw check(SENSE.InvalidFieldInCdb);
    const present = this.#disc && !this.#trayOpen ? this.#disc : undefined;
    const bytes = configuration(
      {
        media: present?.media,
        disc: present,
        writable: this.#writableNow(),
        serial: this.#o.identity.serial,
      },
      rt,
      get16(cdb, 2),
    );
    return this.#in(Opcode.GetConfiguration, bytes, get16(cdb, 7));
  }

  /**
   * GET EVENT STATUS NOTIFICATION (MMC-6 §6.7): b1 POLLED(0) must be 1 (no
   * asynchronous notification), b4 NOTIFICATION CLASS REQUEST, b7-8 ALLOCATION
   * LENGTH. Reports (and consumes) the oldest pending media event.
   */
  #gesn(cdb: Uint8Array): CommandPlan {
    if (((cdb[1] ?? 0) & 0x01) === 0) throw check(SENSE.InvalidFieldInCdb);
    const wantsMedia = ((cdb[4] ?? 0) & MEDIA_CLASS_MASK) !== 0;
    const bytes = eventStatus(
      wantsMedia
        ? {
            event: this.#mediaEvents.shift() ?? MediaEvent.NoChange,
            present: this.#disc !== undefined && !this.#trayOpen,
            trayOpen: this.#trayOpen,
          }
        : undefined,
    );
    return this.#in(Opcode.GetEventStatusNotification, bytes, get16(cdb, 7));
  }

  /** MECHANISM STATUS (MMC-6 §6.11): b8-9 ALLOCATION LENGTH. */
  #mechanismStatus(cdb: Uint8Array): CommandPlan {
    return this.#in(
      Opcode.MechanismStatus,
      mechanismStatus(this.#trayOpen, this.#busy !== undefined),
      get16(cdb, 8),
    );
  }

  /** READ BUFFER CAPACITY (MMC-6 §6.21): b1 BLOCK(0), b7-8 ALLOCATION LENGTH. */
  #readBufferCapacity(cdb: Uint8Array): CommandPlan {
    const block = ((cdb[1] ?? 0) & 0x01) !== 0;
    const size = this.#o.bufferBytes;
    const free = Math.max(0, Math.floor(size - this.#currentFill()));
    return this.#in(Opcode.ReadBufferCapacity, bufferCapacity(block, size, free), get16(cdb, 7));
  }

  /** SET CD SPEED (MMC-6 §6.37): b2-3 READ SPEED, b4-5 WRITE SPEED in kB/s, FFFFh = maximum. */
  #setCdSpeed(cdb: Uint8Array): CommandPlan {
    this.#readSpeedRequest = get16(cdb, 2);
    this.#writeSpeedRequest = get16(cdb, 4);
    return this.#good(Opcode.SetCdSpeed);
  }

  /** READ FORMAT CAPACITIES (MMC-6 §6.24): b7-8 ALLOCATION LENGTH. */
  #readFormatCapacities(cdb: Uint8Array): CommandPlan {
    const disc = this.#disc && !this.#trayOpen ? this.#disc : undefined;
    let bytes: Uint8Array;
    if (!disc) {
      bytes = formatCapacities({ blocks: 0, type: 3 }, []);
    } else if (disc.media.kind === 'formattable') {
      const m = disc.media;
      const list =
        m.family === 'dvd'
          ? [{ blocks: m.capacity, type: 0x26, param: 0 }]
          : [
              { blocks: m.capacity, type: 0x30, param: 0 },
              { blocks: m.maxCapacity, type: 0x31, param: 0 },
            ];
      bytes = formatCapacities(
        disc.formatted ? { blocks: disc.capacity, type: 2 } : { blocks: m.capacity, type: 1 },
        list,
      );
    } else {
      bytes = formatCapacities({ blocks: disc.capacity, type: 2 }, []);
    }
    return this.#in(Opcode.ReadFormatCapacities, bytes, get16(cdb, 7));
  }

  // ---- mode pages --------------------------------------------------------------------------

  #capabilities(changeable: boolean): Uint8Array {
    const media = this.#disc?.media;
    return capabilitiesPage(
      {
        locked: this.#prevent || this.#persistentPrevent,
        bufferBytes: this.#o.bufferBytes,
        maxReadSpeed: media?.readSpeed ?? MEDIA['cd-rom'].readSpeed,
        readSpeed: this.#effectiveReadSpeed(),
        maxWriteSpeed: media?.writeSpeeds[0] ?? 0,
        writeSpeed: this.#effectiveWriteSpeed(),
        writeSpeeds: media?.writeSpeeds ?? [],
      },
      changeable,
    );
  }

  /**
   * MODE SENSE(10) (SPC-4 §6.14): b1 DBD(3), b2 PC(7:6) PAGE CODE(5:0), b3
   * SUBPAGE, b7-8 ALLOCATION LENGTH. Pages 05h, 2Ah and 3Fh (all); PC 11b
   * (saved) is 5/39/00.
   */
  #modeSense(cdb: Uint8Array): CommandPlan {
    const pc = (cdb[2] ?? 0) >> 6;
    const page = (cdb[2] ?? 0) & 0x3f;
    const subpage = cdb[3] ?? 0;
    if (pc === 3) throw check(SENSE.SavingParametersNotSupported);
    if (subpage !== 0 && !(page === 0x3f && subpage === 0xff)) throw check(SENSE.InvalidFieldInCdb);
    const page05 =
      pc === 1
        ? writeParametersChangeable(this.#testWriteAllowed())
        : pc === 2
          ? defaultWriteParameters()
          : this.#page05.slice();
    let pages: Uint8Array[];
    if (page === WRITE_PARAMETERS_PAGE) pages = [page05];
    else if (page === CAPABILITIES_PAGE) pages = [this.#capabilities(pc === 1)];
    else if (page === 0x3f) pages = [page05, this.#capabilities(pc === 1)];
    else throw check(SENSE.InvalidFieldInCdb);
    return this.#in(Opcode.ModeSense10, modeSense10(pages), get16(cdb, 7));
  }

  /**
   * MODE SELECT(10) (SPC-4 §6.12): b1 PF(4) must be 1, SP(0) must be 0 (no saved
   * pages), b7-8 PARAMETER LIST LENGTH. The list: an 8-byte header with BLOCK
   * DESCRIPTOR LENGTH 0, then pages. Only changeable bits may differ from the
   * current values (5/26/00 otherwise); a list cut inside a page is 5/1A/00.
   */
  #modeSelect(cdb: Uint8Array): CommandPlan {
    const b1 = cdb[1] ?? 0;
    if ((b1 & 0x10) === 0 || (b1 & 0x01) !== 0) throw check(SENSE.InvalidFieldInCdb);
    const length = get16(cdb, 7);
    if (length === 0) return this.#good(Opcode.ModeSelect10);
    const list = new Uint8Array(length);
    let received = 0;
    const data: DataOutPhase = {
      direction: 'out',
      length,
      write: (chunk) => {
        list.set(chunk.subarray(0, length - received), received);
        received += Math.min(chunk.length, length - received);
        return Promise.resolve();
      },
    };
    return this.#plan(Opcode.ModeSelect10, 'MODE SELECT(10)', data, () => {
      if (received < length) return; // the transport reports the short data phase
      this.#applyModeParameters(list);
    });
  }

  #applyModeParameters(list: Uint8Array): void {
    if (list.length < 8) throw check(SENSE.ParameterListLengthError);
    if (get16(list, 6) !== 0) throw check(SENSE.InvalidFieldInParameterList);
    let next05: Uint8Array | undefined;
    for (let at = 8; at < list.length;) {
      if (at + 2 > list.length) throw check(SENSE.ParameterListLengthError);
      const code = (list[at] ?? 0) & 0x3f;
      const pageLength = list[at + 1] ?? 0;
      if (at + 2 + pageLength > list.length) throw check(SENSE.ParameterListLengthError);
      const page = list.subarray(at, at + 2 + pageLength);
      if (code === WRITE_PARAMETERS_PAGE) {
        next05 = this.#validatePage05(page);
      } else if (code === CAPABILITIES_PAGE) {
        const current = this.#capabilities(false);
        if (page.length !== current.length) throw check(SENSE.InvalidFieldInParameterList);
        for (let i = 2; i < page.length; i++) {
          if (page[i] !== current[i]) throw check(SENSE.InvalidFieldInParameterList);
        }
      } else {
        throw check(SENSE.InvalidFieldInParameterList);
      }
      at += 2 + pageLength;
    }
    if (next05) {
      this.#page05 = next05;
      // A new write setup starts a new simulation (the host re-selects page 05h per burn).
      this.#simulation = undefined;
      if (this.#saoSimulated) this.#sao = undefined;
    }
  }

  /** Page 05h checks (MMC-6 §7.5): changeable bits only; write type 0-2; Mode 1 data; data track modes. */
  #validatePage05(page: Uint8Array): Uint8Array {
    if (page.length !== 2 + PAGE_05_LENGTH) throw check(SENSE.InvalidFieldInParameterList);
    const mask = writeParametersChangeable(this.#testWriteAllowed());
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
    return next;
  }

  // ---- writing -------------------------------------------------------------------------------

  #checkWritable(): Disc {
    const disc = this.#requireDisc();
    if (this.#writeProtected) throw check(SENSE.WriteProtected);
    return disc;
  }

  /**
   * The sector store failed (an OPFS store out of quota, say). A drive whose
   * medium cannot take or give back data reports MEDIUM ERROR with the
   * failing LBA in INFORMATION (MMC-6 annex F: 3/0C/00 WRITE ERROR, 3/11/00
   * UNRECOVERED READ ERROR); the store's own error goes to the observer
   * (`store-error` event) for whoever can say more (a UI: "storage full").
   */
  #storeFailed(operation: 'read' | 'write', lba: number, error: unknown): void {
    const e = error instanceof Error ? error : new Error(String(error));
    const hresultName = (e as { hresultName?: unknown }).hresultName;
    this.#o.observer.emit({
      type: 'store-error',
      operation,
      lba,
      name: e.name,
      message: e.message,
      ...(typeof hresultName === 'string' ? { hresultName } : {}),
    });
  }

  /** Page 05h TEST WRITE (byte 2 bit 4, MMC-6 §7.5.4). */
  get testWrite(): boolean {
    return ((this.#page05[2] ?? 0) & 0x10) !== 0;
  }

  /**
   * TEST WRITE is changeable with the medium now loaded (none counts as yes),
   * and always while it is set, so a host can clear a bit left over from a
   * medium that had test write.
   */
  #testWriteAllowed(): boolean {
    return (
      this.testWrite || canTestWrite(this.#disc && !this.#trayOpen ? this.#disc.media : undefined)
    );
  }

  /**
   * The disc a writing command acts on: `disc` itself, or with TEST WRITE set
   * the simulation copy (made from `disc` on first use). A medium without test
   * write refuses a simulated WRITE with 5/64/00 ILLEGAL MODE FOR THIS TRACK
   * rather than record what the host meant to simulate (the bit is left over
   * from a medium that had it, or was set with no disc in: MODE SELECT refuses
   * it while such a medium is loaded).
   */
  #writeTarget(disc: Disc, refuse = true): Disc {
    if (!this.testWrite) return disc;
    if (!canTestWrite(disc.media)) {
      if (refuse) throw check(SENSE.IllegalModeForThisTrack);
      return disc;
    }
    this.#simulation ??= disc.simulation();
    return this.#simulation;
  }

  /**
   * WRITE(10) (MMC-6 §6.44): b2-5 LBA, b7-8 TRANSFER LENGTH. Address rules are
   * the disc's (disc.ts), or in CD SAO the cue sheet's (sao.ts: the LBA is
   * then signed, so a sent pre-gap starts at -150 = FFFFFF6Ah). Page 05h
   * write type SAO on CD without an accepted cue sheet, and DAO into a
   * non-reserved DVD-R track, are command sequence errors. With the clock on,
   * a WRITE whose data does not fit in the free buffer gets 2/04/08 LONG
   * WRITE IN PROGRESS, and the data phase is paced by the buffer. With TEST
   * WRITE set every check, the buffer and the faults apply as usual but the
   * blocks go to the simulation copy of the disc: nothing is recorded.
   */
  #write10(cdb: Uint8Array): CommandPlan {
    const real = this.#checkWritable();
    const count = get16(cdb, 7);
    const writeType = (this.#page05[2] ?? 0) & 0x0f;
    const sao = real.media.family === 'cd' && writeType === 2;
    let lba: number;
    /** Stores `sectors` blocks of `part` from `first` on the disc written to, unless aborted meanwhile. */
    let store: (
      first: number,
      part: Uint8Array,
      sectors: number,
      aborted: () => boolean,
    ) => Promise<void>;
    if (sao) {
      if (real.media.kind === 'rom') throw check(SENSE.CannotWriteIncompatibleFormat);
      const writer = this.#sao;
      if (!writer) throw check(SENSE.CommandSequenceError); // no cue sheet was sent
      const disc = this.#writeTarget(real);
      lba = get32(cdb, 2) | 0;
      writer.check(lba, count);
      store = async (first, part, sectors, aborted) => {
        if (!writer.started && disc.status === DiscStatus.Empty) disc.layoutSao(writer.plan.tracks);
        // Pre-gap blocks before LBA 0 are not user data: taken and dropped.
        const skip = Math.max(0, Math.min(sectors, -first));
        if (sectors > skip) {
          await disc.store.write(first + skip, part.subarray(skip * SECTOR_SIZE));
        }
        if (aborted()) return;
        for (let i = skip; i < sectors; i++) {
          const n = writer.trackAt(first + i);
          if (n !== undefined) disc.commitWrite(disc.trackByNumber(n), 1);
        }
        writer.advance(sectors);
      };
    } else {
      lba = get32(cdb, 2);
      if (this.testWrite && !canTestWrite(real.media)) {
        real.checkWrite(lba, count); // the medium's own refusals first
        throw check(SENSE.IllegalModeForThisTrack);
      }
      const disc = this.#writeTarget(real);
      const target = disc.checkWrite(lba, count);
      if (real.media.family === 'cd' && writeType === 2) throw check(SENSE.CommandSequenceError);
      if (isDvdMinus(real.media) && writeType === 2 && !target?.reserved) {
        throw check(SENSE.CommandSequenceError);
      }
      store = async (first, part, sectors, aborted) => {
        await disc.store.write(first, part);
        if (aborted()) return;
        disc.commitWrite(target, sectors);
      };
    }
    const simulated = this.testWrite;
    if (count === 0) return this.#good(Opcode.Write10);
    const bytes = count * SECTOR_SIZE;
    if (this.#o.clock.mode !== 'off') {
      const free = this.#o.bufferBytes - this.#currentFill();
      if (free < Math.min(bytes, this.#o.bufferBytes)) throw check(SENSE.LongWriteInProgress);
    }
    const faults = this.#o.faults;
    if (faults.powerCalibrationFailure) {
      faults.powerCalibrationFailure = false;
      throw check(SENSE.PowerCalibrationAreaError);
    }
    const lossOfStreaming = faults.lossOfStreaming;
    faults.lossOfStreaming = false;
    let errorAt = faults.writeErrorAt;
    if (errorAt !== undefined && errorAt >= lba && errorAt < lba + count) {
      faults.writeErrorAt = undefined;
    } else {
      errorAt = undefined;
    }

    let aborted = false;
    let next = lba; // next LBA to record
    /** First block the store did not take (see #storeFailed): the rest of the data is dropped. */
    let failedAt: number | undefined;
    const carry = new Uint8Array(SECTOR_SIZE);
    let carried = 0;
    const counters = this.#o.observer.counters;
    const record = async (data: Uint8Array) => {
      // `data` is whole sectors starting at `next`.
      let sectors = data.length / SECTOR_SIZE;
      if (errorAt !== undefined) sectors = Math.max(0, Math.min(sectors, errorAt - next));
      if (sectors === 0) return;
      const part = data.subarray(0, sectors * SECTOR_SIZE);
      await this.#acceptIntoBuffer(part.length, () => aborted);
      if (aborted) return;
      try {
        await store(next, part, sectors, () => aborted);
      } catch (error) {
        failedAt = next;
        this.#storeFailed('write', next, error);
        return;
      }
      if (aborted) return;
      if (simulated) counters.sectorsSimulated += sectors;
      else counters.sectorsWritten += sectors;
      next += sectors;
    };
    const data: DataOutPhase = {
      direction: 'out',
      length: bytes,
      write: async (chunk) => {
        if (lossOfStreaming || aborted || failedAt !== undefined) return;
        let at = 0;
        if (carried > 0) {
          const n = Math.min(SECTOR_SIZE - carried, chunk.length);
          carry.set(chunk.subarray(0, n), carried);
          carried += n;
          at = n;
          if (carried < SECTOR_SIZE) return;
          carried = 0;
          await record(carry);
        }
        const whole = Math.floor((chunk.length - at) / SECTOR_SIZE) * SECTOR_SIZE;
        if (whole > 0) await record(chunk.subarray(at, at + whole));
        const rest = chunk.length - at - whole;
        if (rest > 0) {
          carry.set(chunk.subarray(at + whole), 0);
          carried = rest;
        }
      },
    };
    return this.#plan(
      Opcode.Write10,
      'WRITE(10)',
      data,
      () => {
        if (lossOfStreaming) {
          return {
            status: 'check-condition',
            sense: check(SENSE.LossOfStreaming).sense,
            processed: 0,
          };
        }
        const stopped = failedAt ?? errorAt;
        if (stopped !== undefined) {
          return {
            status: 'check-condition',
            sense: check(SENSE.WriteError, { information: stopped }).sense,
            processed: (stopped - lba) * SECTOR_SIZE,
          };
        }
        return GOOD;
      },
      () => {
        aborted = true;
      },
    );
  }

  /**
   * SYNCHRONIZE CACHE (MMC-6 §6.41): b1 IMMED(1). Waits until the write buffer
   * is empty. In CD SAO, once every block of the cue sheet has arrived, it
   * also writes the lead-out and closes the session (MMC-6 §4.5.4.3: the
   * host sends no CLOSE TRACK/SESSION in SAO).
   */
  #synchronizeCache(cdb: Uint8Array): CommandPlan {
    const immed = ((cdb[1] ?? 0) & 0x02) !== 0;
    let ms = this.#drainTime();
    const disc = this.#disc;
    if (disc && this.#sao?.complete) ms += this.#closeSaoSession(disc);
    else if (disc) ms += this.#closeDaoDisc(disc);
    return this.#plan(Opcode.SynchronizeCache, 'SYNCHRONIZE CACHE', undefined, () =>
      this.#operation(SENSE.OperationInProgress, ms, immed),
    );
  }

  /** Page 05h MULTI-SESSION (byte 3 bits 7:6) = 11b: the next session is allowed (MMC-6 §7.5.4.4). */
  #nextSessionAllowed(): boolean {
    return (this.#page05[3] ?? 0) >> 6 === 3;
  }

  /**
   * DVD-R Disc-at-Once (MMC-6 §4.5.3.4, write type 2 into a reserved track):
   * once the reserved track is written to its end, SYNCHRONIZE CACHE makes
   * the drive write the lead-out and finalize the disc; the host sends no
   * CLOSE TRACK/SESSION. Returns the time it takes (0 when nothing closes).
   */
  #closeDaoDisc(real: Disc): number {
    if (!isDvdMinus(real.media) || ((this.#page05[2] ?? 0) & 0x0f) !== 2) return 0;
    const disc = this.#writeTarget(real, false);
    const open = disc.openSession;
    const reserved = disc.tracks.find((t) => t.session === open && t.reserved);
    if (
      !reserved ||
      reserved.size === undefined ||
      reserved.recorded < reserved.size ||
      disc.finalized
    )
      return 0;
    disc.closeSession(true);
    if (this.testWrite) this.#simulation = undefined;
    return TIMING.finalizeMs;
  }

  /** Closes the SAO session on the disc written to; returns the time it takes. */
  #closeSaoSession(real: Disc): number {
    const disc = this.#writeTarget(real, false);
    const finalize = !this.#nextSessionAllowed();
    disc.closeSession(finalize);
    this.#sao = undefined;
    if (this.testWrite) this.#simulation = undefined; // the simulated session is over
    return finalize ? TIMING.finalizeMs : TIMING.closeSessionMs;
  }

  /**
   * SEND CUE SHEET (MMC-6 §6.33): b6-8 CUE SHEET SIZE (bytes, u24), then the
   * cue sheet as data out. CD-R/RW only (5/30/05 otherwise), page 05h write
   * type SAO on a blank disc with no SAO session under way (5/2C/00
   * otherwise). The size must be whole 8-byte entries and at most feature
   * 002Eh's MAXIMUM CUE SHEET LENGTH (5/24/00); zero sends nothing and is not
   * an error. The entries are checked by sao.ts (5/26/00); an accepted cue
   * sheet replaces one sent before.
   */
  #sendCueSheet(cdb: Uint8Array): CommandPlan {
    const size = ((cdb[6] ?? 0) << 16) | get16(cdb, 7);
    const real = this.#checkWritable();
    if (real.media.family !== 'cd' || real.media.kind === 'rom') {
      throw check(SENSE.CannotWriteIncompatibleFormat);
    }
    if (((this.#page05[2] ?? 0) & 0x0f) !== 2) throw check(SENSE.CommandSequenceError);
    const disc = this.#writeTarget(real, false);
    if (disc.status !== DiscStatus.Empty || this.#sao?.started) {
      throw check(SENSE.CommandSequenceError);
    }
    if (size === 0) return this.#good(Opcode.SendCueSheet);
    if (size % 8 !== 0 || size > MAX_CUE_SHEET_BYTES) throw check(SENSE.InvalidFieldInCdb);
    const sheet = new Uint8Array(size);
    let received = 0;
    const data: DataOutPhase = {
      direction: 'out',
      length: size,
      write: (chunk) => {
        sheet.set(chunk.subarray(0, size - received), received);
        received += Math.min(chunk.length, size - received);
        return Promise.resolve();
      },
    };
    return this.#plan(Opcode.SendCueSheet, 'SEND CUE SHEET', data, () => {
      if (received < size) return; // the transport reports the short data phase
      this.#sao = new SaoWriter(parseCuePlan(sheet, disc.capacity));
      this.#saoSimulated = this.testWrite;
    });
  }

  /** RESERVE TRACK (MMC-6 §6.31): b1 ARSV(0) (address form, unsupported: 5/24/00), b5-8 RESERVATION SIZE. */
  #reserveTrack(cdb: Uint8Array): CommandPlan {
    if ((cdb[1] ?? 0) & 0x01) throw check(SENSE.InvalidFieldInCdb);
    const disc = this.#checkWritable();
    if (disc.media.kind === 'rom') throw check(SENSE.CannotWriteIncompatibleFormat);
    // With TEST WRITE the reservation is simulated too (DVD-R DAO test runs reserve first).
    this.#writeTarget(disc, false).reserveTrack(get32(cdb, 5));
    return this.#good(Opcode.ReserveTrack);
  }

  /**
   * CLOSE TRACK/SESSION (MMC-6 §6.3): b1 IMMED(0), b2 CLOSE FUNCTION(2:0), b4-5
   * LOGICAL TRACK NUMBER. 001b closes a track; 010b closes the session (CD and
   * DVD-R/RW: finalizes unless page 05h MULTI-SESSION is 11b; DVD+R/BD-R: stays
   * appendable); 101b/110b finalize DVD+R, DVD+R DL and BD-R. DVD+RW/BD-RE
   * accept 000b-011b and have nothing to do. The buffer is flushed first.
   * With TEST WRITE the close acts on the simulation copy (the real disc is
   * untouched) and a simulated session close ends the simulation. During a
   * CD SAO session, CLOSE SESSION closes it once every cued block has
   * arrived; CLOSE TRACK, or CLOSE SESSION before that, is 5/2C/00 (the cue
   * sheet fixed the layout, MMC-6 §4.5.4.3).
   */
  #closeTrackSession(cdb: Uint8Array): CommandPlan {
    const immed = ((cdb[1] ?? 0) & 0x01) !== 0;
    const fn = (cdb[2] ?? 0) & 0x07;
    const trackNumber = get16(cdb, 4);
    const real = this.#checkWritable();
    const m = real.media;
    let ms = this.#drainTime();
    if (m.kind === 'rom') throw check(SENSE.CannotWriteIncompatibleFormat);
    const disc = this.#writeTarget(real, false);
    const simulating = disc !== real;
    const sao = this.#sao?.started ? this.#sao : undefined;
    if (sao && (fn === 1 || fn === 2)) {
      if (fn === 1 || !sao.complete) throw check(SENSE.CommandSequenceError);
      ms += this.#closeSaoSession(real);
    } else if (m.kind === 'formattable') {
      if (fn > 3) throw check(SENSE.InvalidFieldInCdb);
    } else if (fn === 1) {
      disc.closeTrack(trackNumber);
      ms += TIMING.closeTrackMs;
    } else if (fn === 2) {
      const finalize = (m.family === 'cd' || isDvdMinus(m)) && !this.#nextSessionAllowed();
      disc.closeSession(finalize);
      if (simulating) this.#simulation = undefined;
      ms += finalize ? TIMING.finalizeMs : TIMING.closeSessionMs;
    } else if (
      (fn === 5 || fn === 6) &&
      (m.name === 'dvd+r' || m.name === 'dvd+r-dl' || m.name === 'bd-r')
    ) {
      disc.closeSession(true);
      if (simulating) this.#simulation = undefined;
      ms += TIMING.finalizeMs;
    } else {
      throw check(SENSE.InvalidFieldInCdb);
    }
    return this.#plan(Opcode.CloseTrackSession, 'CLOSE TRACK/SESSION', undefined, () =>
      this.#operation(SENSE.OperationInProgress, ms, immed),
    );
  }

  /**
   * BLANK (MMC-6 §6.2): b1 IMMED(4), BLANKING TYPE(2:0): 000b full, 001b
   * minimal; the other types are 5/24/00. CD-RW and DVD-RW only (5/30/05).
   */
  #blank(cdb: Uint8Array): CommandPlan {
    const immed = ((cdb[1] ?? 0) & 0x10) !== 0;
    const type = (cdb[1] ?? 0) & 0x07;
    const disc = this.#checkWritable();
    if (disc.media.kind !== 'erasable') throw check(SENSE.CannotWriteIncompatibleFormat);
    if (type > 1) throw check(SENSE.InvalidFieldInCdb);
    const fullMs = Math.ceil((disc.capacity * SECTOR_SIZE) / this.#maxDrainRate(disc.media));
    const ms = type === 0 ? fullMs : TIMING.minimalBlankMs;
    return this.#plan(Opcode.Blank, 'BLANK', undefined, async () => {
      await disc.blank();
      this.#simulation = undefined;
      this.#sao = undefined;
      await this.#operation(SENSE.OperationInProgress, ms, immed);
    });
  }

  #maxDrainRate(media: MediaInfo): number {
    const kbps = media.writeSpeeds[0] ?? ONE_X[media.family];
    return kbps * (media.family === 'cd' ? 2048 / 2352 : 1);
  }

  /**
   * FORMAT UNIT (MMC-6 §6.5): b1 FMTDATA(4) CMPLIST(3) FORMAT CODE(2:0) = 001b.
   * Parameter list (12 bytes): header 1 IMMED(1), 2-3 FORMAT DESCRIPTOR LENGTH
   * = 8; descriptor 4-7 NUMBER OF BLOCKS, 8 FORMAT TYPE(7:2) SUBTYPE(1:0), 9-11
   * TYPE DEPENDENT. DVD+RW: type 26h. BD-RE: 30h (subtype 00b quick, 10b full
   * with certification, 11b full without) and 31h. FMTDATA = 0 formats with
   * the medium's default. Progress: NOT READY 2/04/04 with the indicator.
   */
  #formatUnit(cdb: Uint8Array): CommandPlan {
    const b1 = cdb[1] ?? 0;
    const fmtData = (b1 & 0x10) !== 0;
    const disc = this.#checkWritable();
    if (disc.media.kind !== 'formattable') throw check(SENSE.CannotWriteIncompatibleFormat);
    const m = disc.media;
    const quickMs = m.family === 'dvd' ? TIMING.dvdPlusRwFormatMs : TIMING.bdQuickFormatMs;
    if (!fmtData) {
      if ((b1 & 0x0f) !== 0) throw check(SENSE.InvalidFieldInCdb);
      return this.#plan(Opcode.FormatUnit, 'FORMAT UNIT', undefined, async () => {
        await disc.format(m.capacity);
        await this.#operation(SENSE.FormatInProgress, quickMs, false);
      });
    }
    if ((b1 & 0x07) !== 1) throw check(SENSE.InvalidFieldInCdb);
    const list = new Uint8Array(12);
    let received = 0;
    const data: DataOutPhase = {
      direction: 'out',
      length: 12,
      write: (chunk) => {
        list.set(chunk.subarray(0, 12 - received), received);
        received += Math.min(chunk.length, 12 - received);
        return Promise.resolve();
      },
    };
    return this.#plan(Opcode.FormatUnit, 'FORMAT UNIT', data, async () => {
      if (received < 12) return;
      const immed = ((list[1] ?? 0) & 0x02) !== 0;
      if (get16(list, 2) !== 8) throw check(SENSE.InvalidFieldInParameterList);
      const blocks = get32(list, 4);
      const type = (list[8] ?? 0) >> 2;
      const subtype = (list[8] ?? 0) & 0x03;
      const any = blocks === 0 || blocks === 0xffffffff;
      let capacity: number;
      let ms: number = quickMs;
      if (m.family === 'dvd' && type === 0x26 && subtype === 0 && (any || blocks <= m.capacity)) {
        capacity = m.capacity;
      } else if (
        m.family === 'bd' &&
        type === 0x30 &&
        subtype !== 1 &&
        (any || blocks <= m.capacity)
      ) {
        capacity = any ? m.capacity : blocks;
        if (subtype === 2) ms = Math.ceil((m.maxCapacity * SECTOR_SIZE) / this.#maxDrainRate(m));
      } else if (
        m.family === 'bd' &&
        type === 0x31 &&
        subtype === 0 &&
        (any || blocks <= m.maxCapacity)
      ) {
        capacity = m.maxCapacity;
      } else {
        throw check(SENSE.InvalidFieldInParameterList);
      }
      await disc.format(capacity);
      await this.#operation(SENSE.FormatInProgress, ms, immed);
    });
  }
}

/** A data-in phase of `bytes`, cut to the CDB's allocation length (SPC-4 §4.2.5.6). */
function bytesIn(bytes: Uint8Array, allocation: number): DataInPhase | undefined {
  const length = Math.min(bytes.length, allocation);
  if (length === 0) return undefined;
  return {
    direction: 'in',
    length,
    read: (offset, n) => Promise.resolve(bytes.subarray(offset, offset + n)),
  };
}
