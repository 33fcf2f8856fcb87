/**
 * The MMC target: the drive firmware of the virtual recorder. It parses CDBs
 * itself (SPC-4, MMC-6), keeps the mechanical state (tray, PREVENT, RESERVE),
 * the disc, the write buffer and long operations, and turns each command
 * into a `CommandPlan` that the BOT engine (device/bot-engine.ts) runs: an
 * optional data phase, then `finish()` giving the status for the CSW.
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
 *   7. the command's own field and state checks (the *-handlers.ts files).
 * Sense of a failed command is kept for the next REQUEST SENSE and dropped by
 * any other command (SPC-4 §5.12 autosense model without ACA).
 *
 * This file: the command table and the dispatch, and the state and actions
 * the recorder (virtual-recorder.ts) reaches. The parts: sense-state.ts,
 * mechanics.ts, long-operations.ts, buffer-model.ts, write-parameters.ts.
 */
import type { Sense } from '../../../usb-mass-storage/src/scsi/sense.ts';
import type { Disc, Formatted } from '../disc.ts';
import { mediaInfo, type MediaName } from '../media.ts';
import { CheckCondition, SENSE, check, type SenseCode } from '../sense-codes.ts';
import { BufferModel } from './buffer-model.ts';
import { Opcode, Planner, type CommandPlan } from './command.ts';
import type { Handler, MmcTargetOptions, TargetContext } from './context.ts';
import { LongOperations } from './long-operations.ts';
import { Mechanics, freshDisc, type EjectButtonResult } from './mechanics.ts';
import {
  getConfiguration,
  gesn,
  mechanismStatus,
  readBufferCapacity,
  readDiscInformation,
  readFormatCapacities,
  readToc,
  readTrackInformation,
} from './mmc-read-handlers.ts';
import { getPerformance, setCdSpeed, setStreaming } from './speed-handlers.ts';
import { blank, closeTrackSession, formatUnit, reserveTrack } from './mmc-session-handlers.ts';
import { sendCueSheet, synchronizeCache, write10 } from './mmc-write-handlers.ts';
import { preventAllow, read10, readCapacity, startStop } from './sbc-handlers.ts';
import { SenseState } from './sense-state.ts';
import {
  inquiry,
  modeSelect,
  modeSense,
  otherLun,
  requestSense,
  reserve,
  testUnitReady,
} from './spc-handlers.ts';
import { WriteParameters } from './write-parameters.ts';

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
  readonly run: Handler;
}

type Flags = { medium?: boolean; duringBusy?: boolean; uaExempt?: boolean };

/** Needs a loaded, spun-up medium (and no IMMED operation in progress). */
const MEDIUM: Flags = { medium: true };
/** Runs while an IMMED operation is in progress. */
const DURING_BUSY: Flags = { duringBusy: true };
/** Runs while busy and is not failed by a unit attention (MMC-6 §4.1.6.1). */
const UA_EXEMPT: Flags = { duringBusy: true, uaExempt: true };

export class MmcTarget {
  readonly #o: MmcTargetOptions;
  readonly #commands = new Map<number, CommandSpec>();
  readonly #t: TargetContext;

  constructor(options: MmcTargetOptions) {
    this.#o = options;
    const sense = new SenseState();
    const mechanics = new Mechanics(options, sense);
    this.#t = {
      options,
      sense,
      mechanics,
      operations: new LongOperations(options.clock, () => this.#settle(), options.slowness),
      buffer: new BufferModel(
        options.clock,
        options.bufferBytes,
        () => mechanics.disc?.media,
        options.speed,
      ),
      writing: new WriteParameters(),
      plans: new Planner(
        (opcode) => this.#commands.get(opcode)?.name ?? '',
        (outcome) => sense.complete(outcome),
      ),
    };
    this.#register();
    if (options.powerOnUnitAttention) sense.addUnitAttention(SENSE.PowerOnOrReset);
  }

  // ---- state the recorder exposes ------------------------------------------------

  get disc(): Disc | undefined {
    return this.#t.mechanics.disc;
  }
  get trayOpen(): boolean {
    return this.#t.mechanics.trayOpen;
  }
  get prevent(): boolean {
    return this.#t.mechanics.prevent;
  }
  get persistentPrevent(): boolean {
    return this.#t.mechanics.persistentPrevent;
  }
  get reserved(): boolean {
    return this.#t.mechanics.reserved;
  }
  get lastSense(): Sense | undefined {
    return this.#t.sense.lastSense;
  }
  get writeProtected(): boolean {
    return this.#t.mechanics.writeProtected;
  }
  set writeProtected(on: boolean) {
    this.#t.mechanics.writeProtected = on;
  }
  get pendingUnitAttentions(): readonly SenseCode[] {
    this.#settle();
    return this.#t.sense.unitAttentions;
  }
  get pendingMediaEvents(): readonly number[] {
    return this.#t.mechanics.pendingMediaEvents;
  }
  /** Progress 0..1 of the running IMMED operation, or undefined. */
  get operationProgress(): number | undefined {
    this.#settle();
    const b = this.#t.operations.busy;
    return b ? this.#t.operations.progress(b) / 65536 : undefined;
  }
  get bufferBytes(): number {
    return this.#o.bufferBytes;
  }
  get bufferFill(): number {
    return this.#t.buffer.fill;
  }
  get writeSpeed(): number {
    return this.#t.buffer.writeSpeed;
  }
  get ready(): boolean {
    this.#settle();
    return this.#t.mechanics.ready;
  }
  /** Page 05h TEST WRITE (byte 2 bit 4, MMC-6 §7.5.4). */
  get testWrite(): boolean {
    return this.#t.writing.testWrite;
  }

  // ---- mechanics (the recorder's control API calls these) ------------------------------

  /** The front-panel button (MMC-6 §4.3.4 and §6.29: refused or turned into an event while locked). */
  pressEjectButton(): EjectButtonResult {
    this.#settle();
    return this.#t.mechanics.pressEjectButton(this.#t.operations.busy !== undefined);
  }

  /** Swaps the disc at once and closes the tray, whatever PREVENT says. */
  changeMedia(name: MediaName, options: { formatted?: Formatted } = {}): void {
    const media = mediaInfo(name);
    const disc =
      media.kind === 'none' ? undefined : freshDisc(media, this.#o.storeFactory, options);
    this.loadDisc(disc);
  }

  /** Puts `disc` (or nothing) in the drive with the tray closed: media change semantics. */
  loadDisc(disc: Disc | undefined): void {
    this.#t.writing.forgetDisc();
    this.#t.operations.clear();
    this.#t.buffer.empty();
    this.#t.mechanics.load(disc);
  }

  /** `disc` (or nothing) was in the drive at power-on, the tray open or closed: no media change. */
  powerOnWith(disc: Disc | undefined, trayOpen: boolean): void {
    this.loadDisc(disc);
    if (trayOpen) this.#t.mechanics.openTray();
    this.clearMediaChangeNotice();
  }

  /** Forgets the change notice of the disc just loaded (a disc present at power-on). */
  clearMediaChangeNotice(): void {
    this.#t.mechanics.clearMediaChangeNotice();
  }

  /** Bulk-Only Mass Storage Reset (BOT 1.0 §3.1): see the recorder options. */
  busReset(): void {
    this.#t.sense.reset(this.#o.resetUnitAttention);
    if (this.#o.resetClearsPrevent) this.#t.mechanics.setPrevent(false, false, 'bulk-reset');
  }

  /** USB port reset (WebUSB reset()): a power cycle for the logical unit. */
  portReset(): void {
    this.#t.sense.reset(true);
    this.#t.mechanics.setPrevent(false, false, 'port-reset');
    this.#t.mechanics.reserved = false;
    this.#t.writing.powerOn();
  }

  /** Lazily applies what time has done: operations finishing, a disc becoming ready. */
  #settle(): void {
    const now = this.#o.clock.now();
    this.#t.operations.expire(now);
    this.#t.mechanics.disc?.background?.settle(now);
    this.#t.mechanics.settle(now);
  }

  // ---- command entry ------------------------------------------------------------------

  /** Validates `cdb` and returns what the transport runs. Never throws for a bad CDB. */
  start(cdb: Uint8Array, lun: number): CommandPlan {
    this.#settle();
    const t = this.#t;
    const opcode = cdb[0] ?? 0;
    const s = this.#commands.get(opcode);
    const name = s?.name ?? `UNKNOWN ${opcode.toString(16).padStart(2, '0').toUpperCase()}h`;
    if (opcode !== Opcode.RequestSense) t.sense.dropPending();
    try {
      if (this.#o.faults.take('reservationConflict')) {
        return t.plans.conflict(opcode, name);
      }
      if (lun !== 0) return otherLun(t, opcode, name, cdb);
      if (!s?.uaExempt) t.sense.reportUnitAttention();
      if (!s) throw check(SENSE.InvalidOpcode);
      if (cdb.length < s.length) throw check(SENSE.InvalidFieldInCdb);
      const busy = t.operations.busy;
      if (!s.duringBusy && busy) {
        throw check(busy.sense, { progress: t.operations.progress(busy) });
      }
      if (s.medium) t.mechanics.checkMediumReady();
      return this.#senseFaults(s.run(t, cdb));
    } catch (e) {
      if (e instanceof CheckCondition) return t.plans.failed(opcode, name, e.sense);
      throw e;
    }
  }

  /**
   * Fault injection after the command's own work: RECOVERED ERROR (the work
   * stands, the status says CHECK CONDITION) or ABORTED COMMAND.
   */
  #senseFaults(plan: CommandPlan): CommandPlan {
    const faults = this.#o.faults;
    const recovered = faults.takeRecoveredError();
    const aborted = !recovered && faults.takeAbortedCommand(plan.opcode);
    if (!recovered && !aborted) return plan;
    const sense = recovered ? SENSE.RecoveredDataWithRetries : SENSE.AbortedCommand;
    return {
      ...plan,
      finish: async () => {
        const outcome = await plan.finish();
        if (outcome.status !== 'good') return outcome;
        return this.#t.sense.complete({ status: 'check-condition', sense: { ...sense } });
      },
    };
  }

  /** The transport failed the command itself (fault injection): REQUEST SENSE reports `sense`. */
  reportTransportFailure(sense: Sense): void {
    this.#t.sense.reportTransportFailure(sense);
  }

  // ---- the command table -----------------------------------------------------------------

  #register(): void {
    const add = (opcode: number, name: string, length: number, flags: Flags, run: Handler) =>
      this.#commands.set(opcode, {
        name,
        length,
        medium: flags.medium ?? false,
        duringBusy: flags.duringBusy ?? false,
        uaExempt: flags.uaExempt ?? false,
        run,
      });
    const O = Opcode;
    // SPC (spc-handlers.ts)
    add(O.TestUnitReady, 'TEST UNIT READY', 6, MEDIUM, testUnitReady);
    add(O.RequestSense, 'REQUEST SENSE', 6, UA_EXEMPT, requestSense);
    add(O.Inquiry, 'INQUIRY', 6, UA_EXEMPT, inquiry);
    if (this.#o.reserveSupported) {
      add(O.Reserve6, 'RESERVE(6)', 6, DURING_BUSY, (t, c) => reserve(t, c, true));
      add(O.Release6, 'RELEASE(6)', 6, DURING_BUSY, (t, c) => reserve(t, c, false));
    }
    add(O.ModeSelect10, 'MODE SELECT(10)', 10, {}, modeSelect);
    add(O.ModeSense10, 'MODE SENSE(10)', 10, DURING_BUSY, modeSense);
    // Block commands (sbc-handlers.ts)
    add(O.StartStopUnit, 'START STOP UNIT', 6, {}, startStop);
    add(O.PreventAllowMediumRemoval, 'PREVENT ALLOW MEDIUM REMOVAL', 6, DURING_BUSY, preventAllow);
    add(O.ReadCapacity, 'READ CAPACITY', 10, MEDIUM, readCapacity);
    add(O.Read10, 'READ(10)', 10, MEDIUM, read10);
    // MMC reporting (mmc-read-handlers.ts)
    add(O.ReadFormatCapacities, 'READ FORMAT CAPACITIES', 10, DURING_BUSY, readFormatCapacities);
    add(O.ReadTocPmaAtip, 'READ TOC/PMA/ATIP', 10, MEDIUM, readToc);
    add(O.GetConfiguration, 'GET CONFIGURATION', 10, UA_EXEMPT, getConfiguration);
    add(O.GetEventStatusNotification, 'GET EVENT STATUS NOTIFICATION', 10, UA_EXEMPT, gesn);
    add(O.ReadDiscInformation, 'READ DISC INFORMATION', 10, MEDIUM, readDiscInformation);
    add(O.ReadTrackInformation, 'READ TRACK INFORMATION', 10, MEDIUM, readTrackInformation);
    add(O.ReadBufferCapacity, 'READ BUFFER CAPACITY', 10, DURING_BUSY, readBufferCapacity);
    add(O.SetCdSpeed, 'SET CD SPEED', 12, DURING_BUSY, setCdSpeed);
    add(O.GetPerformance, 'GET PERFORMANCE', 12, MEDIUM, getPerformance);
    add(O.SetStreaming, 'SET STREAMING', 12, DURING_BUSY, setStreaming);
    add(O.MechanismStatus, 'MECHANISM STATUS', 12, DURING_BUSY, mechanismStatus);
    // MMC recording (mmc-write-handlers.ts, mmc-session-handlers.ts)
    add(O.Write10, 'WRITE(10)', 10, MEDIUM, write10);
    add(O.SynchronizeCache, 'SYNCHRONIZE CACHE', 10, MEDIUM, synchronizeCache);
    add(O.SendCueSheet, 'SEND CUE SHEET', 10, MEDIUM, sendCueSheet);
    add(O.ReserveTrack, 'RESERVE TRACK', 10, MEDIUM, reserveTrack);
    add(O.CloseTrackSession, 'CLOSE TRACK/SESSION', 10, MEDIUM, closeTrackSession);
    add(O.Blank, 'BLANK', 12, MEDIUM, blank);
    add(O.FormatUnit, 'FORMAT UNIT', 6, MEDIUM, formatUnit);
    // What this drive lacks answers 5/20/00 like any unknown opcode.
    for (const opcode of this.#o.unsupportedCommands) this.#commands.delete(opcode);
  }
}
