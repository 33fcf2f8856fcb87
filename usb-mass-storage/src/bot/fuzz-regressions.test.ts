/**
 * Defects the device-response campaign (device-responses.fuzz.test.ts, issue
 * 20) found in the Bulk-Only host and the SCSI layer, each pinned by a
 * hand-written case that failed before its fix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeviceGoneError, ShortTransferError } from '../errors.ts';
import type { CommandResult, CommandRunner, ScsiRequest } from '../scsi/command.ts';
import { read10, write10 } from '../scsi/sbc.ts';
import { MAX_RETRIES, ScsiDrive } from '../scsi/scsi-drive.ts';
import { FakeClock, macrotask, settleOn } from '../testing/fake-clock.ts';
import { MemoryBotDevice } from '../testing/memory-device.ts';
import { useClock } from '../timers.ts';
import { BulkOnlyTransport } from './transport.ts';

/** Runs `body` and returns the rejections nobody handled meanwhile. */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    await body();
    for (let i = 0; i < 3; i++) await macrotask();
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return seen;
}

describe('device-response fuzz regressions: transfers left queued', () => {
  it('a disconnect in a queued data-in phase fails the command, with no unhandled rejection', async () => {
    // Two 4 KiB transfers are queued for an 8 KiB READ; the first fails with
    // the disconnect and the second, never awaited, rejected unhandled
    // (a crash of a Node process).
    const device = new MemoryBotDevice({ blocks: 64, backingBytes: 1 << 16 });
    const t = await BulkOnlyTransport.connect(device, { maxTransferSize: 4096, queueDepth: 2 });
    device.scriptIn.push({ kind: 'gone' });
    const unhandled = await unhandledDuring(async () => {
      await assert.rejects(t.execute(read10({ lba: 0, blocks: 4 })), DeviceGoneError);
    });
    assert.deepEqual(unhandled, []);
    assert.equal(t.usable, false);
  });

  it('a disconnect in a queued data-out phase fails the command, with no unhandled rejection', async () => {
    const device = new MemoryBotDevice({ blocks: 64, backingBytes: 1 << 16 });
    const t = await BulkOnlyTransport.connect(device, { maxTransferSize: 4096, queueDepth: 2 });
    // The CBW goes through; the first of the two data-out transfers finds the device gone.
    device.scriptOut.push({ kind: 'map' }, { kind: 'gone' });
    const unhandled = await unhandledDuring(async () => {
      await assert.rejects(
        t.execute(write10({ lba: 0, data: new Uint8Array(4 * 2048) })),
        DeviceGoneError,
      );
    });
    assert.deepEqual(unhandled, []);
  });
});

describe('device-response fuzz regressions: a recovered error still needs its data', () => {
  /** A runner whose READ answers CHECK CONDITION with RECOVERED ERROR and `data`. */
  function recoveredRead(data: Uint8Array): CommandRunner & { calls: number } {
    return {
      calls: 0,
      async execute(request: ScsiRequest): Promise<CommandResult> {
        this.calls++;
        return {
          status: 'check-condition',
          data,
          transferred: data.length,
          residue: request.length - data.length,
          sense: { key: 1, asc: 0x17, ascq: 0x01 },
        };
      },
    };
  }

  it('RECOVERED ERROR with the data missing is a ShortTransferError, not a success', async () => {
    const clock = new FakeClock();
    const restore = useClock(clock);
    try {
      const runner = recoveredRead(new Uint8Array(0));
      const outcome = await settleOn(
        clock,
        new ScsiDrive(runner).run(read10({ lba: 100, blocks: 4 })),
        60_000,
      );
      assert.ok(outcome.settled && !outcome.ok, 'the READ must fail');
      assert.ok(outcome.error instanceof ShortTransferError);
      assert.equal(outcome.error.lba, 100);
      // Read again like any short READ, then failed.
      assert.equal(runner.calls, MAX_RETRIES + 1);
    } finally {
      restore();
    }
  });

  it('RECOVERED ERROR with all the data is still a success carrying the sense (SPC-4 §4.5.6)', async () => {
    const data = new Uint8Array(2 * 2048).fill(7);
    const result = await new ScsiDrive(recoveredRead(data)).run(read10({ lba: 0, blocks: 2 }));
    assert.equal(result.status, 'good');
    assert.deepEqual(result.recovered, { key: 1, asc: 0x17, ascq: 0x01 });
    assert.equal(result.data.length, data.length);
  });
});
