/**
 * The recorder's link to the drive: the Bulk-Only transport and the SCSI
 * layer over it, opened on first use and closed on the last release; every
 * command traced as an event; a reset or a vanished device reported to the
 * parts that must react.
 */
import {
  BulkOnlyTransport,
  type CommandRecord,
  type CommandResult,
} from '../../usb-mass-storage/src/bot/transport.ts';
import { ScsiDrive, isUnitAttention } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { DeviceGoneError } from '../../usb-mass-storage/src/errors.ts';
import type { ScsiRequest } from '../../usb-mass-storage/src/scsi/command.ts';
import { commandName, defaultTimeoutMs } from '../../usb-mass-storage/src/scsi/opcodes.ts';
import { describeSense } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import { toHex } from '../../usb-mass-storage/src/struct.ts';
import type { RecorderContext } from './context.ts';
import { guardDiscChange } from './write-guard.ts';

export interface Link {
  readonly transport: BulkOnlyTransport;
  readonly drive: ScsiDrive;
}

/** Sends a command after a reset, letting the reset's unit attentions pass. */
export type ReassertRun = (request: ScsiRequest) => Promise<void>;

/** What the other parts do when the link reports something. */
export interface ConnectionHooks {
  /** After a Bulk-Only reset: assert again what the drive may have dropped. */
  reassert(again: ReassertRun): Promise<void>;
  /** A unit attention: the medium may have changed. */
  unitAttention(): void;
  /** A transfer found the device gone. */
  gone(): void;
  /** Whether this session holds the drive, so a disc-changing command may go out. */
  holdsDrive(): boolean;
}

let traceSeq = 0;

export class Connection {
  readonly #ctx: RecorderContext;
  readonly #hooks: ConnectionHooks;
  #link: Promise<Link> | undefined;

  constructor(ctx: RecorderContext, hooks: ConnectionHooks) {
    this.#ctx = ctx;
    this.#hooks = hooks;
  }

  async connect(): Promise<Link> {
    if (this.#ctx.gone) throw new DeviceGoneError();
    const o = this.#ctx.options;
    this.#link ??= (async () => {
      const transport = await BulkOnlyTransport.connect(o.device, {
        ...o.transport,
        defaultTimeoutMs: o.transport?.defaultTimeoutMs ?? ((cdb) => defaultTimeoutMs(cdb)),
        afterReset: (run) => this.#afterReset(run),
        beforeCommand: (cdb) => guardDiscChange(cdb, this.#hooks.holdsDrive()),
        reclaimFromOs: async () => {
          const os = this.#ctx.options.osDriver;
          if (os && (await os.isMounted())) await os.detach();
        },
        onCommand: (record) => this.#trace(record),
      });
      const drive = new ScsiDrive(transport);
      drive.onUnitAttention = () => this.#hooks.unitAttention();
      return { transport, drive };
    })();
    try {
      return await this.#link;
    } catch (error) {
      this.#link = undefined;
      throw error;
    }
  }

  async run(
    request: ScsiRequest,
    options: { allowCheckCondition?: boolean } = {},
  ): Promise<CommandResult> {
    const { drive } = await this.connect();
    try {
      return await drive.run(request, options);
    } catch (error) {
      if (error instanceof DeviceGoneError) this.#hooks.gone();
      throw error;
    }
  }

  /** Gives the interface back; the next command opens it again. */
  async close(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    if (!link) return;
    try {
      await (await link).transport.close();
    } catch {
      // A gone device has nothing to release.
    }
  }

  /** The platform's disconnect event: the transport stops at once. */
  markDisconnected(): void {
    void this.#link?.then((c) => c.transport.markDisconnected()).catch(() => undefined);
  }

  /** A Bulk-Only reset can drop PREVENT and RESERVE: assert them again first. */
  async #afterReset(run: (request: ScsiRequest) => Promise<CommandResult>): Promise<void> {
    // The reset itself raises 6/29/00 on most drives: let it pass, then re-assert.
    // A command that fails outright here (the device still stalls after a
    // Bulk-Only reset) has escalated the recovery to a port reset: try again.
    const again = async (request: ScsiRequest) => {
      let failure: unknown;
      for (let i = 0; i < 3; i++) {
        let r: CommandResult;
        try {
          r = await run(request);
        } catch (error) {
          failure = error;
          continue;
        }
        if (r.status === 'good' || !r.sense || !isUnitAttention(r.sense)) return;
      }
      if (failure) throw failure;
    };
    await this.#hooks.reassert(again);
  }

  #trace(record: CommandRecord): void {
    const result = record.result;
    const sense = result?.sense ?? null;
    this.#ctx.emit({
      type: 'trace',
      entry: {
        seq: ++traceSeq,
        recorderId: this.#ctx.id,
        time: record.startedAt,
        name: commandName(record.cdb),
        cdbHex: toHex(record.cdb, ' '),
        direction: record.direction,
        length: record.length,
        transferred: result?.transferred ?? 0,
        status: record.error ? 'error' : (result?.status ?? 'error'),
        sense,
        senseText: sense ? describeSense(sense) : null,
        error: record.error ? `${record.error.hresultName}: ${record.error.message}` : null,
        durationMs: record.durationMs,
      },
    });
  }
}
