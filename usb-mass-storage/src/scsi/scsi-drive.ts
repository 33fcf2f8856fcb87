/**
 * Runs SCSI commands with the host policy of one sense table
 * (scsi/sense-table.ts): NOT READY is polled with TEST UNIT READY and backoff
 * while the drive reports progress (2/04/01, 2/04/04, 2/04/07, 2/04/08); a
 * unit attention (6/28, 6/29) refreshes media state and retries once; every
 * other CHECK CONDITION becomes a typed ScsiCommandError carrying the sense.
 */
import { ScsiCommandError, ShortTransferError, type WebdiscError } from '../errors.ts';
import { u16, u32 } from './bytes.ts';
import { delay, now, type AbortSignalLike } from '../timers.ts';
import {
  noData,
  type CommandResult,
  type CommandRunner,
  type ExecuteOptions,
  type ScsiRequest,
} from './command.ts';
import { OPCODE, commandName } from './opcodes.ts';
import { SensePolicy, describeSense, lookupSense } from './sense-table.ts';
import type { Sense } from './sense.ts';

export type { CommandRunner };

export interface RunOptions {
  readonly signal?: AbortSignalLike | undefined;
  readonly timeoutMs?: number | undefined;
  /** Progress 0..1 while the drive is busy (blank/format/close), from the sense-key-specific bytes. */
  readonly onProgress?: ((fraction: number, sense: Sense) => void) | undefined;
  /** Return the CHECK CONDITION result instead of throwing (raw command interface). */
  readonly allowCheckCondition?: boolean;
  /** Longest total wait for NOT READY to clear; default 10 minutes. */
  readonly notReadyBudgetMs?: number;
}

/**
 * A unit attention the host refreshes for (6/28 medium may have changed, 6/29
 * power on / reset, ...): the sense table's "refresh" policy, so the table
 * stays the one place that decides.
 */
export function isUnitAttention(sense: Pick<Sense, 'key' | 'asc' | 'ascq'>): boolean {
  return lookupSense(sense).policy === SensePolicy.Refresh;
}

const BACKOFF_START_MS = 20;
const BACKOFF_MAX_MS = 1000;
/**
 * Resends of one command under the "retry" policy (becoming ready, ABORTED
 * COMMAND), each after a growing delay: a drive that keeps refusing is failed
 * after this many, never resent in a tight loop (issue 13: 57,622 WRITEs in
 * 500 ms). Polling a long operation and a full buffer are bounded by time.
 */
export const MAX_RETRIES = 5;

export class ScsiDrive {
  readonly runner: CommandRunner;
  /** Called on a unit attention before the command is retried (refresh media state). */
  onUnitAttention: ((sense: Sense) => void | Promise<void>) | undefined;

  constructor(runner: CommandRunner) {
    this.runner = runner;
  }

  /**
   * Runs `request`; 'good' results come back, CHECK CONDITION throws
   * ScsiCommandError (unless allowed). What happens in between is decided by
   * the sense table's policy for the sense triple, and nowhere else.
   */
  async run(request: ScsiRequest, options: RunOptions = {}): Promise<CommandResult> {
    const exec: ExecuteOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
    const opcode = request.cdb[0]!;
    /** Unit attentions already refreshed for, by triple: each is retried once (several may be queued). */
    const refreshed = new Set<string>();
    const budgetEnds = now() + (options.notReadyBudgetMs ?? 10 * 60_000);
    let backoff = BACKOFF_START_MS;
    let retries = 0;
    for (;;) {
      const answer = await this.runner.execute(request, exec);
      const sense = answer.sense;
      const policy = sense ? lookupSense(sense, opcode).policy : SensePolicy.Fail;
      // The command completed; the sense is a note (SPC-4 §4.5.6). It still
      // has to have moved its data: a READ that answered RECOVERED ERROR with
      // no data is as short as one that answered GOOD with none (issue 20).
      const result: CommandResult =
        answer.status !== 'good' && sense && policy === SensePolicy.Recovered
          ? { ...answer, status: 'good', recovered: sense }
          : answer;
      if (result.status === 'good') {
        const short = shortTransfer(request, result);
        if (!short) return result;
        // A short READ is read again (the bridge may have hiccuped); a WRITE
        // that was not taken whole is not: its data may be half on the disc.
        if (request.direction === 'in' && retries++ < MAX_RETRIES) {
          await delay(backoff, options.signal);
          backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
          continue;
        }
        throw short;
      }
      const triple = sense ? `${sense.key}/${sense.asc}/${sense.ascq}` : '';
      if (sense && policy === SensePolicy.Refresh && !refreshed.has(triple) && refreshed.size < 4) {
        // Unit attention: refresh what we know of the medium, retry once for
        // each condition (a reset and a media change can both be pending).
        refreshed.add(triple);
        await this.onUnitAttention?.(sense);
        continue;
      }
      if (sense && now() < budgetEnds) {
        if (policy === SensePolicy.RetryWrite) {
          // Buffer full: resend the same command after a short, growing delay.
          await delay(backoff, options.signal);
          backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
          continue;
        }
        if (policy === SensePolicy.Poll) {
          if (sense.progress !== undefined) options.onProgress?.(sense.progress / 65536, sense);
          await this.waitReady({ ...options, notReadyBudgetMs: budgetEnds - now() });
          continue;
        }
        if (policy === SensePolicy.Retry && retries++ < MAX_RETRIES) {
          await this.waitReady({ ...options, notReadyBudgetMs: budgetEnds - now() });
          await delay(backoff, options.signal);
          backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
          continue;
        }
      }
      if (options.allowCheckCondition) return result;
      throw commandError(request, result);
    }
  }

  /**
   * Polls TEST UNIT READY with backoff while the drive is becoming ready or
   * busy, reporting progress. Resolves when ready; throws the first other
   * condition (e.g. no medium) as ScsiCommandError.
   */
  async waitReady(options: RunOptions = {}): Promise<void> {
    const ends = now() + (options.notReadyBudgetMs ?? 10 * 60_000);
    let backoff = BACKOFF_START_MS;
    let unitAttentions = 0;
    for (;;) {
      const request = noData(new Uint8Array(6));
      const result = await this.runner.execute(request, { signal: options.signal });
      if (result.status === 'good') return;
      const sense = result.sense;
      const policy = sense ? lookupSense(sense, request.cdb[0]).policy : SensePolicy.Fail;
      // TEST UNIT READY completed (RECOVERED ERROR, or NO SENSE: its sense was
      // taken by another initiator's REQUEST SENSE): the unit is ready.
      if (policy === SensePolicy.Recovered) return;
      if (sense && policy === SensePolicy.Refresh && unitAttentions++ < 2) {
        await this.onUnitAttention?.(sense);
        continue;
      }
      const busy =
        policy === SensePolicy.Retry ||
        policy === SensePolicy.Poll ||
        policy === SensePolicy.RetryWrite;
      if (!sense || !busy || now() >= ends) throw commandError(request, result);
      if (sense.progress !== undefined) options.onProgress?.(sense.progress / 65536, sense);
      await delay(backoff, options.signal);
      backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
    }
  }
}

/** Block reads and writes: opcode, LBA at CDB bytes 2-5, block count. */
const BLOCK_IO: Readonly<Record<number, (cdb: Uint8Array) => number>> = {
  [OPCODE.READ_10]: (cdb) => u16(cdb, 7),
  [OPCODE.WRITE_10]: (cdb) => u16(cdb, 7),
  [OPCODE.READ_12]: (cdb) => u32(cdb, 6),
  [OPCODE.WRITE_12]: (cdb) => u32(cdb, 6),
};

/**
 * A GOOD status that did not move what the command needs (issue 13, items 7
 * and 8): a block READ must bring exactly count x block size, and any data-out
 * must be taken whole (no residue). Other data-in commands may legitimately
 * answer less than their allocation length.
 */
export function shortTransfer(
  request: ScsiRequest,
  result: CommandResult,
): ShortTransferError | undefined {
  const opcode = request.cdb[0]!;
  const name = commandName(request.cdb);
  const blocks = BLOCK_IO[opcode]?.(request.cdb);
  const lba = blocks === undefined ? 0 : u32(request.cdb, 2);
  const blockSize = blocks ? request.length / blocks : 0;
  const firstMissing = (moved: number) => (blockSize ? lba + Math.floor(moved / blockSize) : lba);
  if (request.direction === 'in' && blocks !== undefined && result.data.length < request.length) {
    const got = result.data.length;
    return new ShortTransferError(
      `${name} brought ${got} of ${request.length} bytes under GOOD status: LBA ${firstMissing(got)} and after are missing.`,
      opcode,
      firstMissing(got),
    );
  }
  if (request.direction === 'out' && (result.residue > 0 || result.transferred < request.length)) {
    const taken = Math.min(result.transferred, request.length - result.residue);
    return new ShortTransferError(
      `${name} was taken only in part (${taken} of ${request.length} bytes) under GOOD status: LBA ${firstMissing(taken)} and after were not written.`,
      opcode,
      firstMissing(taken),
    );
  }
  return undefined;
}

export function commandError(request: ScsiRequest, result: CommandResult): WebdiscError {
  const name = commandName(request.cdb);
  if (!result.sense) {
    // CHECK CONDITION and then no sense at all: USB bridges lose sense data
    // (issue 13). Say so; it is not evidence of a reservation by another host.
    return new ScsiCommandError(
      'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE',
      `${name} failed: the drive reported CHECK CONDITION but gave no sense data (REQUEST SENSE returned nothing).`,
      request.cdb[0]!,
      undefined,
    );
  }
  const entry = lookupSense(result.sense, request.cdb[0]);
  return new ScsiCommandError(
    entry.hresultName,
    `${name} failed: ${describeSense(result.sense, request.cdb[0])}`,
    request.cdb[0]!,
    result.sense,
  );
}
