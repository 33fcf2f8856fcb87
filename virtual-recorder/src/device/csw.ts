/**
 * The end of a command on the bus: the CSW (BOT §5.2) with its status and
 * residue as the thirteen cases set them (BOT §6.7, see bot-engine.ts), the
 * faults that corrupt it, and the command log entry written with it.
 */
import { encodeCsw, type Cbw } from '../../../usb-mass-storage/src/bot/wrappers.ts';
import type { Sense } from '../../../usb-mass-storage/src/scsi/sense.ts';
import { toHex } from '../../../usb-mass-storage/src/struct.ts';
import type { CommandOutcome, CommandPlan } from '../mmc-target/command.ts';
import type { CommandLogEntry, CommandStatus } from '../observer.ts';
import type { BotContext } from './bot-context.ts';

/** The command between its CBW and its CSW. */
export interface ActiveCommand {
  readonly seq: number;
  readonly cbw: Cbw;
  readonly plan: CommandPlan;
  /** Bytes moved in the data phase as the host counts them (padding included). */
  moved: number;
  /** Bytes of the device's own data sent or taken. */
  relevant: number;
  /** The data phase ended early (a STALL). */
  dataDone: boolean;
  /** Set for phase errors decided before or during the data phase. */
  forcedStatus: 1 | 2 | undefined;
  forcedSense: Sense | undefined;
  cswStalls: number;
  csw: Uint8Array | undefined;
  finishing: boolean;
  /**
   * The short-data-in fault cut this command's data: its CSW says GOOD with
   * the true residue ('honest') or with 0 ('zero', a bridge that lies).
   */
  cut: 'honest' | 'zero' | undefined;
}

/** A command whose CBW was just taken. */
export function activeCommand(seq: number, cbw: Cbw, plan: CommandPlan): ActiveCommand {
  return {
    seq,
    cbw,
    plan,
    moved: 0,
    relevant: 0,
    dataDone: false,
    forcedStatus: undefined,
    forcedSense: undefined,
    cswStalls: 0,
    csw: undefined,
    finishing: false,
    cut: undefined,
  };
}

/** The CSW of `cmd` once its plan finished with `outcome` (none when the status was forced). */
export function buildCsw(
  c: BotContext,
  cmd: ActiveCommand,
  outcome: CommandOutcome | undefined,
): Uint8Array {
  const faults = c.faults;
  const h = cmd.cbw.dataTransferLength;
  const dLength = cmd.plan.data?.length ?? 0;
  let status: number;
  let logStatus: CommandStatus;
  let sense: Sense | undefined;
  if (cmd.forcedStatus === 2) {
    status = 2;
    logStatus = 'phase-error';
  } else if (cmd.forcedStatus === 1) {
    status = 1;
    logStatus = 'check-condition';
    sense = cmd.forcedSense;
    if (sense) c.target.reportTransportFailure(sense);
  } else {
    status = outcome?.status === 'good' ? 0 : 1;
    logStatus = outcome?.status ?? 'good';
    sense = outcome?.sense;
  }
  // BOT §6.7: residue = H minus the data the device actually used.
  let residue: number;
  const checked = cmd.forcedStatus === undefined;
  if (cmd.cbw.direction === 'in') {
    residue = c.bot.shortDataIn === 'pad-zero-residue' ? h - cmd.moved : h - cmd.relevant;
    if (cmd.cut === 'zero') residue = 0;
    if (checked && dLength > h) {
      // Case 7: more data than asked for.
      if (c.bot.truncatedDataIn === 'phase-error') {
        status = 2;
        logStatus = 'phase-error';
      }
      residue = 0;
    }
  } else if (cmd.cbw.direction === 'out') {
    const used = Math.min(outcome?.processed ?? cmd.relevant, cmd.relevant);
    residue = h - used;
    if (checked && cmd.relevant < dLength) {
      // Case 13: the host sent less than the command needs.
      status = 2;
      logStatus = 'phase-error';
    }
  } else {
    residue = 0;
  }
  if (faults.take('phaseError')) {
    status = 2;
    logStatus = 'phase-error';
  }
  let tag = cmd.cbw.tag;
  if (faults.take('badCswTag')) {
    tag = (tag + 1) >>> 0;
  }
  const csw = encodeCsw({ tag, residue: Math.max(0, residue), status });
  if (faults.take('badCswSignature')) {
    csw[3] = 0x58; // "USBX" instead of "USBS"
  }
  logCommand(c, cmd, {
    status: logStatus,
    cswStatus: status,
    sense: status === 1 ? sense : undefined,
    residue: Math.max(0, residue),
  });
  return csw;
}

/** Logs a command dropped before its CSW (reset, disconnect, device failure). */
export function logAborted(c: BotContext, cmd: ActiveCommand): void {
  logCommand(c, cmd, {
    status: 'aborted',
    cswStatus: undefined,
    sense: undefined,
    residue: cmd.cbw.dataTransferLength - cmd.relevant,
  });
}

function logCommand(
  c: BotContext,
  cmd: ActiveCommand,
  end: Pick<CommandLogEntry, 'status' | 'cswStatus' | 'sense' | 'residue'>,
): void {
  c.observer.command({
    seq: cmd.seq,
    time: c.clock.now(),
    opcode: cmd.plan.opcode,
    name: cmd.plan.name,
    cdb: toHex(cmd.cbw.cdb),
    tag: cmd.cbw.tag,
    direction: cmd.cbw.direction,
    hostLength: cmd.cbw.dataTransferLength,
    ...end,
  });
}
