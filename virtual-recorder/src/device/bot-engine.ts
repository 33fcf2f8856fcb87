/**
 * The device side of USB Mass Storage Bulk-Only Transport 1.0: the state
 * machine behind the two bulk pipes.
 *
 * - CBW checks (BOT §6.2.1 valid: 31 bytes and "USBC"; §6.2.2 meaningful:
 *   reserved bits zero, CB length 1..16). A CBW that fails either makes the
 *   device STALL both bulk pipes and keep them stalled, clear halt or not,
 *   until a Bulk-Only Mass Storage Reset (BOT §6.6.1; the Linux mass-storage
 *   gadget does the same for "not meaningful").
 * - The thirteen cases (BOT §6.7), from the host's expectation (H) and the
 *   device's (D):
 *     Hn=Dn (1)          CSW
 *     Hn<Di, Hn<Do (2,3) CSW status 2
 *     Hi>Dn (4), Hi>Di (5)  send what there is, then STALL bulk-in (or pad
 *                        with zeros, `shortDataIn: 'pad'`), residue = H - sent.
 *                        The transfer that carries the last bytes ends short
 *                        with status "ok"; the STALL shows on the next bulk-in
 *                        transfer (normally the CSW read); with no data at all
 *                        the data transfer itself gets "stall"
 *     Hi=Di (6)          data, CSW
 *     Hi<Di (7)          send H bytes, CSW status 2 (or `truncatedDataIn:
 *                        'truncate'`: status as the command, residue 0)
 *     Hi<>Do (8)         STALL bulk-in, CSW status 2
 *     Ho>Dn (9), Ho>Do (11)  take D bytes, then accept and discard the rest
 *                        (or STALL bulk-out, `excessDataOut: 'stall'`),
 *                        residue = H - D
 *     Ho<>Di (10)        STALL bulk-out, CSW status 2
 *     Ho=Do (12)         data, CSW
 *     Ho<Do (13)         take H bytes, CSW status 2
 * - A transfer never has to carry a whole data phase: transferIn(n) returns
 *   at most n bytes of what is left, transferOut takes any chunk, so GB-sized
 *   phases stream through many calls and nothing but the current chunk is
 *   held. A transfer the device cannot serve yet waits (the device NAKs), as
 *   on a real bus.
 * - Bulk-Only Mass Storage Reset (BOT §3.1) makes the device ready for a CBW,
 *   keeps endpoint halts (they need CLEAR_FEATURE / clearHalt), and rejects
 *   transfers left pending with AbortError.
 * - The BOT faults of `recorder.faults` (faults.ts) strike here: no answer,
 *   a disconnect at a command or inside a data phase, a stalled data phase
 *   or CSW, and (csw.ts) a wrong CSW.
 */
import { CSW_LENGTH, decodeCbw, type Cbw } from '../../../usb-mass-storage/src/bot/wrappers.ts';
import type {
  UsbInTransferResultLike,
  UsbOutTransferResultLike,
  UsbTransferStatusLike,
} from '../../../usb-mass-storage/src/usb.ts';
import { UsbMessages, usbError } from '../errors.ts';
import type { CommandOutcome, DataInPhase, DataOutPhase } from '../mmc-target/command.ts';
import { SENSE, check } from '../sense-codes.ts';
import type { BotContext } from './bot-context.ts';
import { activeCommand, buildCsw, logAborted, type ActiveCommand } from './csw.ts';
import { EMPTY, dataView, stalledIn, type InWaiter, type OutWaiter } from './transfers.ts';

export interface BotEngineContext extends BotContext {
  /** True once the device is unplugged. */
  readonly gone: () => boolean;
  /** A fault unplugs the device; rejects what is pending with NotFoundError. */
  readonly unplug: () => void;
}

export type BotPhase = 'cbw' | 'data-in' | 'data-out' | 'csw' | 'needs-reset' | 'hung';

export class BotEngine {
  readonly #c: BotEngineContext;
  #phase: BotPhase = 'cbw';
  #inHalted = false;
  #outHalted = false;
  #inWaiters: InWaiter[] = [];
  #outWaiters: OutWaiter[] = [];
  /** Transfers the device will never answer (noAnswer), kept to reject on reset. */
  #parked: (InWaiter | OutWaiter)[] = [];
  #cmd: ActiveCommand | undefined;
  #gen = 0;
  #running = false;

  constructor(context: BotEngineContext) {
    this.#c = context;
  }

  /** Which phase the device is in and which pipes are halted. */
  get state(): { phase: BotPhase; inHalted: boolean; outHalted: boolean } {
    return { phase: this.#phase, inHalted: this.#inHalted, outHalted: this.#outHalted };
  }

  halted(direction: 'in' | 'out'): boolean {
    return direction === 'in' ? this.#inHalted : this.#outHalted;
  }

  /** A port reset clears both halts. */
  clearHalts(): void {
    this.#inHalted = false;
    this.#outHalted = false;
  }

  // ---- bulk transfers (checked by the device) ---------------------------------------------

  transferIn(length: number): Promise<UsbInTransferResultLike> {
    return new Promise((resolve, reject) => {
      this.#inWaiters.push({ length, resolve, reject });
      this.#kick();
    });
  }

  transferOut(data: Uint8Array): Promise<UsbOutTransferResultLike> {
    return new Promise((resolve, reject) => {
      this.#outWaiters.push({ data, resolve, reject });
      this.#kick();
    });
  }

  // ---- halts and resets ---------------------------------------------------------------------

  clearHalt(direction: 'in' | 'out'): void {
    this.#c.observer.counters.clearHalts++;
    this.#c.observer.emit({ type: 'clear-halt', direction });
    // BOT §6.6.1: after an invalid CBW the pipes stay stalled until reset recovery.
    if (this.#phase === 'needs-reset') return;
    if (direction === 'in') this.#inHalted = false;
    else this.#outHalted = false;
    this.#kick();
  }

  halt(direction: 'in' | 'out'): void {
    if (direction === 'in') this.#inHalted = true;
    else this.#outHalted = true;
    this.#c.observer.counters.stalls++;
    this.#c.observer.emit({ type: 'stall', direction });
  }

  bulkOnlyReset(): void {
    // A class reset is a control request: it resets the device's side, and on
    // a real host the bulk transfers already queued stay queued (only a port
    // reset or close cancels them, WebUSB §"reset"). They then take the next
    // command's data or CSW. The old, agreeable behaviour is a switch.
    if (this.#c.bot.classResetCancelsTransfers) {
      this.abortTransfers('AbortError', UsbMessages.TransferCancelled, true);
    } else {
      this.#dropCommand(true);
      this.#kick();
    }
    this.#c.target.busReset();
    this.#c.observer.counters.bulkResets++;
    this.#c.observer.emit({ type: 'bulk-reset' });
  }

  /**
   * Rejects every pending bulk transfer and drops the command in progress.
   * Only a reset (`deviceReset`) ends the "invalid CBW, reset needed" state:
   * closing or releasing the interface does not reset the device.
   */
  abortTransfers(name: 'AbortError' | 'NotFoundError', message: string, deviceReset = false): void {
    this.#dropCommand(deviceReset);
    const waiters = [...this.#inWaiters, ...this.#outWaiters, ...this.#parked];
    this.#inWaiters = [];
    this.#outWaiters = [];
    this.#parked = [];
    for (const w of waiters) w.reject(usbError(name, message));
  }

  /** Drops the command in progress; the device waits for a CBW again. */
  #dropCommand(deviceReset: boolean): void {
    this.#gen++;
    this.#running = false;
    const cmd = this.#cmd;
    if (cmd && !cmd.csw) logAborted(this.#c, cmd);
    cmd?.plan.abort();
    this.#cmd = undefined;
    if (deviceReset || this.#phase !== 'needs-reset') this.#phase = 'cbw';
  }

  // ---- the pump ----------------------------------------------------------------------------

  /**
   * Serves pending transfers one at a time. The decision of what to do next is
   * synchronous, so a transfer arriving while the pump is busy is never lost;
   * a reset bumps the generation, and any work still awaiting finds it stale.
   */
  #kick(): void {
    if (this.#running || this.#c.gone()) return;
    this.#running = true;
    const gen = this.#gen;
    void this.#pump(gen);
  }

  async #pump(gen: number): Promise<void> {
    for (;;) {
      if (gen !== this.#gen) return;
      const work = this.#nextWork(gen);
      if (!work) {
        this.#running = false;
        return;
      }
      try {
        await work;
      } catch (error) {
        if (gen !== this.#gen) return;
        this.#internalError(error);
      }
    }
  }

  /** What can be done now, or undefined when every pending transfer must wait. */
  #nextWork(gen: number): Promise<void> | undefined {
    const inHead = this.#inWaiters[0];
    const outHead = this.#outWaiters[0];
    if (inHead && this.#inHalted) {
      this.#inWaiters.shift();
      inHead.resolve(stalledIn());
      return Promise.resolve();
    }
    if (outHead && this.#outHalted) {
      this.#outWaiters.shift();
      outHead.resolve({ status: 'stall', bytesWritten: 0 });
      return Promise.resolve();
    }
    switch (this.#phase) {
      case 'cbw':
        if (!outHead) return undefined;
        this.#outWaiters.shift();
        this.#takeCbw(outHead);
        return Promise.resolve();
      case 'data-in':
        if (!inHead) return undefined;
        this.#inWaiters.shift();
        return this.#serveIn(inHead, gen);
      case 'data-out':
        if (!outHead) return undefined;
        this.#outWaiters.shift();
        return this.#serveOut(outHead, gen);
      case 'csw':
        if (!inHead || !this.#cmd?.csw) return undefined;
        this.#inWaiters.shift();
        this.#serveCsw(inHead);
        return Promise.resolve();
      case 'needs-reset':
      case 'hung':
        return undefined;
    }
  }

  /** An exception inside the device (a failing store): the device is confused until reset recovery. */
  #internalError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#c.observer.emit({ type: 'invalid-cbw', reason: `device failure: ${message}` });
    const cmd = this.#cmd;
    if (cmd) {
      logAborted(this.#c, cmd);
      cmd.plan.abort();
    }
    this.#cmd = undefined;
    this.#stallUntilReset();
    this.#kick();
  }

  /** BOT §6.6.1: both bulk pipes STALL, and stay stalled until reset recovery. */
  #stallUntilReset(): void {
    this.#phase = 'needs-reset';
    this.halt('in');
    this.halt('out');
  }

  // ---- CBW --------------------------------------------------------------------------------

  #takeCbw(w: OutWaiter): void {
    const faults = this.#c.faults;
    if (faults.takeNoAnswer('cbw')) {
      this.#phase = 'hung';
      this.#parked.push(w);
      return;
    }
    if (faults.disconnectNow()) {
      this.#outWaiters.unshift(w); // so unplug() rejects it with NotFoundError
      this.#c.unplug();
      return;
    }
    let cbw: (Cbw & { readonly meaningful: boolean }) | undefined;
    let reason = '';
    try {
      cbw = decodeCbw(w.data);
      if (!cbw.meaningful) reason = 'CBW not meaningful (BOT §6.2.2)';
    } catch (error) {
      reason = `CBW not valid (BOT §6.2.1): ${error instanceof Error ? error.message : String(error)}`;
    }
    w.resolve({ status: 'ok', bytesWritten: w.data.length });
    if (!cbw || reason) {
      this.#c.observer.counters.invalidCbws++;
      this.#c.observer.emit({ type: 'invalid-cbw', reason });
      this.#stallUntilReset();
      return;
    }
    const seq = this.#c.observer.nextSeq++;
    const plan = this.#c.target.start(cbw.cdb, cbw.lun);
    const cmd = activeCommand(seq, cbw, plan);
    this.#cmd = cmd;
    this.#classify(cmd);
  }

  /** Picks the BOT §6.7 case from H (the CBW) and D (the plan) and enters the right phase. */
  #classify(cmd: ActiveCommand): void {
    const h = cmd.cbw.dataTransferLength;
    const hDir = cmd.cbw.direction;
    const dDir = cmd.plan.data?.direction ?? 'none';
    const faults = this.#c.faults;
    if (h > 0 && faults.take('stallData')) {
      cmd.plan.abort();
      cmd.forcedStatus = 1;
      cmd.forcedSense = check(SENSE.DataPhaseError).sense;
      cmd.dataDone = true;
      this.halt(hDir === 'in' ? 'in' : 'out');
      this.#enterCsw(cmd);
      return;
    }
    if (hDir === 'none') {
      if (dDir !== 'none') return this.#phaseError(cmd); // cases 2, 3
      return this.#enterCsw(cmd); // case 1
    }
    if (hDir === 'in' && dDir === 'out') {
      this.halt('in'); // case 8
      return this.#phaseError(cmd);
    }
    if (hDir === 'out' && dDir === 'in') {
      this.halt('out'); // case 10
      return this.#phaseError(cmd);
    }
    if (faults.takeNoAnswer('data')) {
      cmd.plan.abort();
      this.#phase = 'hung';
      return;
    }
    if (hDir === 'in') {
      this.#phase = 'data-in'; // cases 4, 5, 6, 7
      return;
    }
    if (dDir === 'none' && this.#c.bot.excessDataOut === 'stall') {
      cmd.dataDone = true; // case 9 with a stalling device
      this.halt('out');
      return this.#enterCsw(cmd);
    }
    this.#phase = 'data-out'; // cases 9, 11, 12, 13
  }

  #phaseError(cmd: ActiveCommand): void {
    cmd.plan.abort();
    cmd.forcedStatus = 2;
    cmd.dataDone = true;
    this.#enterCsw(cmd);
  }

  // ---- data phases ---------------------------------------------------------------------------

  async #serveIn(w: InWaiter, gen: number): Promise<void> {
    const cmd = this.#cmd!;
    const data = cmd.plan.data as DataInPhase | undefined;
    const hostLeft = cmd.cbw.dataTransferLength - cmd.moved;
    const want = Math.min(w.length, hostLeft);
    let deviceLeft = Math.min(data?.length ?? 0, cmd.cbw.dataTransferLength) - cmd.relevant;
    const cutAt = this.#c.faults.shortDataInAt(cmd.seq, cmd.relevant);
    if (cutAt) {
      // A bridge that ends the data early with a short packet and no STALL.
      cmd.cut = cutAt.residue;
      deviceLeft = Math.min(deviceLeft, cutAt.bytes - cmd.relevant);
    }
    const n = Math.max(0, Math.min(want, deviceLeft));
    if (!this.#c.faults.dataBudget(n)) {
      // The disconnect fault strikes inside this transfer: it fails with NotFoundError.
      this.#inWaiters.unshift(w);
      this.#c.unplug();
      return;
    }
    let chunk = n > 0 && data ? await data.read(cmd.relevant, n) : EMPTY;
    if (gen !== this.#gen) return;
    cmd.relevant += n;
    cmd.moved += n;
    let status: UsbTransferStatusLike = 'ok';
    if (n < want && cmd.cut) {
      cmd.dataDone = true; // a short packet ends the data; no STALL, no padding
      this.#c.faults.spendShortDataIn();
    } else if (n < want) {
      if (this.#c.bot.shortDataIn === 'stall') {
        // BOT §6.7.2 case 4/5: end the data with a short packet, then STALL bulk-in.
        this.halt('in');
        cmd.dataDone = true;
        if (n === 0) status = 'stall';
      } else {
        const padded = new Uint8Array(want);
        padded.set(chunk);
        chunk = padded;
        cmd.moved += want - n;
      }
    }
    this.#c.observer.counters.bytesIn += chunk.length;
    if (cmd.dataDone || cmd.moved >= cmd.cbw.dataTransferLength) this.#enterCsw(cmd);
    w.resolve({ status, data: dataView(status === 'stall' ? EMPTY : chunk) });
  }

  async #serveOut(w: OutWaiter, gen: number): Promise<void> {
    const cmd = this.#cmd!;
    const sink = cmd.plan.data?.direction === 'out' ? (cmd.plan.data as DataOutPhase) : undefined;
    const hostLeft = cmd.cbw.dataTransferLength - cmd.moved;
    const take = Math.min(w.data.length, hostLeft);
    const relevant = Math.max(0, Math.min(take, (sink?.length ?? 0) - cmd.relevant));
    const budget = this.#c.faults.disconnectAfterBytes ?? 0;
    if (!this.#c.faults.dataBudget(take)) {
      // The bytes before the cut reached the device; the transfer as a whole fails.
      const part = Math.min(relevant, budget);
      if (sink && part > 0) await sink.write(w.data.subarray(0, part));
      if (gen !== this.#gen) return;
      this.#outWaiters.unshift(w);
      this.#c.unplug();
      return;
    }
    if (sink && relevant > 0) {
      await sink.write(w.data.subarray(0, relevant));
      if (gen !== this.#gen) return;
    }
    cmd.relevant += relevant;
    const excess = take - relevant;
    let status: UsbTransferStatusLike = 'ok';
    let written = take;
    if (excess > 0 && this.#c.bot.excessDataOut === 'stall') {
      // BOT §6.7.3 case 11: the device STALLs bulk-out after what it needs.
      cmd.moved += relevant;
      cmd.dataDone = true;
      written = relevant;
      status = 'stall';
      this.halt('out');
    } else {
      cmd.moved += take;
      if (take < w.data.length) {
        // More than dCBWDataTransferLength: the device takes no bytes past it.
        status = 'stall';
        this.halt('out');
      }
    }
    this.#c.observer.counters.bytesOut += written;
    if (cmd.dataDone || cmd.moved >= cmd.cbw.dataTransferLength) this.#enterCsw(cmd);
    w.resolve({ status, bytesWritten: written });
  }

  // ---- CSW ---------------------------------------------------------------------------------

  #enterCsw(cmd: ActiveCommand): void {
    const faults = this.#c.faults;
    if (faults.takeNoAnswer('csw')) {
      this.#phase = 'hung';
      // The command still runs: only its CSW is lost.
      if (cmd.forcedStatus === undefined) void cmd.plan.finish().catch(() => undefined);
      return;
    }
    this.#phase = 'csw';
    if (faults.stallCsw > 0) {
      cmd.cswStalls = faults.stallCsw;
      faults.stallCsw = 0;
    }
    const gen = this.#gen;
    cmd.finishing = true;
    const outcome: Promise<CommandOutcome | undefined> =
      cmd.forcedStatus === undefined ? cmd.plan.finish() : Promise.resolve(undefined);
    outcome.then(
      (o) => {
        if (gen !== this.#gen || this.#cmd !== cmd) return;
        cmd.csw = buildCsw(this.#c, cmd, o);
        this.#kick();
      },
      (error: unknown) => {
        if (gen !== this.#gen || this.#cmd !== cmd) return;
        this.#internalError(error);
      },
    );
  }

  #serveCsw(w: InWaiter): void {
    const cmd = this.#cmd!;
    if (cmd.cswStalls > 0) {
      cmd.cswStalls--;
      this.halt('in');
      w.resolve(stalledIn());
      return;
    }
    const csw = cmd.csw!;
    this.#cmd = undefined;
    this.#phase = 'cbw';
    if (w.length < CSW_LENGTH) {
      // The device sends 13 bytes into a smaller buffer: babble (USB 2.0 §8.5.1; WebUSB status "babble").
      w.resolve({ status: 'babble', data: dataView(csw.subarray(0, w.length)) });
      return;
    }
    w.resolve({ status: 'ok', data: dataView(csw) });
  }
}
