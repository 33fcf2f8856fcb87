/**
 * The host's sense policy (usb-mass-storage ScsiDrive + the sense table)
 * against the virtual recorder's switches that behave like real drives
 * (issue 13, items 3 and 4; docs/real-drives.md). Each case failed before
 * the fix: RECOVERED ERROR aborted the command, and a drive that kept
 * answering ABORTED COMMAND was resent the command in a tight loop.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulkOnlyTransport } from '../../usb-mass-storage/src/bot/transport.ts';
import {
  CommandTimeoutError,
  ScsiCommandError,
  ShortTransferError,
} from '../../usb-mass-storage/src/errors.ts';
import { read10, readCapacity10, write10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import { MAX_RETRIES, ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { inquiry, testUnitReady } from '../../usb-mass-storage/src/scsi/spc.ts';
import { createVirtualRecorder, type VirtualRecorderOptions } from './index.ts';

async function host(options: VirtualRecorderOptions) {
  const recorder = createVirtualRecorder(options);
  const drive = new ScsiDrive(await BulkOnlyTransport.connect(recorder.device));
  await drive.run(testUnitReady(), { allowCheckCondition: true });
  await drive.run(testUnitReady(), { allowCheckCondition: true });
  return { recorder, drive };
}

const count = (log: readonly { name: string }[], name: string) =>
  log.filter((e) => e.name === name).length;

describe('host sense policy against real-drive behaviour', { timeout: 20_000 }, () => {
  it('RECOVERED ERROR on a WRITE is success, with the sense kept as a note', async () => {
    const { recorder, drive } = await host({ media: 'dvd+r' });
    recorder.faults.recoveredError();
    const data = new Uint8Array(4 * 2048).fill(9);
    const r = await drive.run(write10({ lba: 0, data }));
    assert.equal(r.status, 'good');
    assert.deepEqual([r.recovered?.key, r.recovered?.asc, r.recovered?.ascq], [1, 0x17, 1]);
    assert.equal(count(recorder.log, 'WRITE(10)'), 1, 'not resent');
    const back = await drive.run(read10({ lba: 0, blocks: 4 }));
    assert.deepEqual(back.data, data);
  });

  it('RECOVERED ERROR on a READ gives the data', async () => {
    const { recorder, drive } = await host({ media: 'cd-rom' });
    const expected = (await drive.run(read10({ lba: 16, blocks: 1 }))).data;
    recorder.faults.recoveredError();
    const r = await drive.run(read10({ lba: 16, blocks: 1 }));
    assert.equal(r.status, 'good');
    assert.deepEqual(r.data, expected);
  });

  it('ABORTED COMMAND on a WRITE fails at once: the WRITE is not resent', async () => {
    const { recorder, drive } = await host({ media: 'dvd+r' });
    recorder.faults.abortedCommand(Infinity, 0x2a);
    await assert.rejects(
      drive.run(write10({ lba: 0, data: new Uint8Array(2048) })),
      (e: unknown) => e instanceof ScsiCommandError && e.sense?.key === 0xb,
    );
    assert.equal(count(recorder.log, 'WRITE(10)'), 1);
  });

  it('a drive that keeps answering ABORTED COMMAND is failed after a few delayed retries', async () => {
    const { recorder, drive } = await host({ media: 'cd-rom' });
    recorder.faults.abortedCommand(Infinity, 0x25);
    const started = Date.now();
    await assert.rejects(
      drive.run(readCapacity10()),
      (e: unknown) => e instanceof ScsiCommandError && e.sense?.key === 0xb,
    );
    assert.equal(count(recorder.log, 'READ CAPACITY'), 1 + MAX_RETRIES);
    // Each resend waits (20 ms, doubling): never a tight loop.
    assert.ok(Date.now() - started >= 20 * (2 ** MAX_RETRIES - 1));
  });

  it('CHECK CONDITION with NO SENSE 0/00/00 is success, not a loop', async () => {
    const { recorder, drive } = await host({ media: 'cd-rom' });
    const before = count(recorder.log, 'TEST UNIT READY');
    recorder.faults.reservationConflict();
    const r = await drive.run(testUnitReady());
    assert.equal(r.status, 'good');
    assert.deepEqual([r.recovered?.key, r.recovered?.asc, r.recovered?.ascq], [0, 0, 0]);
    assert.equal(count(recorder.log, 'TEST UNIT READY'), before + 1, 'sent once');
  });
});

describe(
  'short data phases under GOOD status (issue 13, items 5 and 8)',
  { timeout: 20_000 },
  () => {
    for (const residue of ['honest', 'zero'] as const) {
      it(`a READ cut short (residue ${residue}) is an error at the first missing LBA, retried`, async () => {
        const { recorder, drive } = await host({ media: 'cd-rom' });
        const whole = (await drive.run(read10({ lba: 16, blocks: 64 }))).data;
        // 64 blocks = 128 KiB in one transfer-sized data phase; cut after 10 blocks.
        recorder.faults.shortDataIn(10 * 2048, residue);
        const started = Date.now();
        const r = await drive.run(read10({ lba: 16, blocks: 64 }));
        assert.ok(Date.now() - started < 5_000, 'no wait for a deadline');
        assert.deepEqual(r.data, whole, 'the retry read it all');
        assert.equal(count(recorder.log, 'READ(10)'), 3);
      });
    }

    it('a READ that keeps coming back short fails, naming the first missing LBA', async () => {
      const { recorder, drive } = await host({ media: 'cd-rom' });
      recorder.faults.shortDataIn(4 * 2048, 'honest', Infinity);
      await assert.rejects(drive.run(read10({ lba: 100, blocks: 8 })), (e: unknown) => {
        assert.ok(e instanceof ShortTransferError);
        assert.equal(e.lba, 104);
        assert.match(e.message, /LBA 104 and after are missing/);
        return true;
      });
      assert.equal(count(recorder.log, 'READ(10)'), 1 + MAX_RETRIES);
      recorder.faults.clear();
    });

    it('other data-in commands may answer less than their allocation length', async () => {
      const { recorder, drive } = await host({ media: 'cd-rom' });
      recorder.faults.shortDataIn(8);
      const r = await drive.run(inquiry());
      assert.equal(r.status, 'good');
      assert.equal(r.data.length, 8);
    });
  },
);

describe('recovery that real hosts need (issue 13, items 1 and 5)', { timeout: 30_000 }, () => {
  it('a timed-out command leaves a transfer queued: the port reset cancels it, the next command works', async () => {
    const recorder = createVirtualRecorder({ media: 'dvd+r' });
    const transport = await BulkOnlyTransport.connect(recorder.device);
    const drive = new ScsiDrive(transport);
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    recorder.faults.noAnswer('csw');
    await assert.rejects(
      transport.execute({ ...testUnitReady(), timeoutMs: 200 }),
      (e: unknown) => e instanceof CommandTimeoutError,
    );
    assert.equal(transport.portResets, 1, 'escalated to a port reset');
    // Before the fix the stale transferIn took this command's CSW and it timed out too.
    const r = await drive.run(inquiry(), { timeoutMs: 2000 });
    assert.equal(r.status, 'good');
    assert.equal(r.data.length, 36);
  });

  it('a multi-transfer READ cut short is answered at once, not at the deadline', async () => {
    const recorder = createVirtualRecorder({ media: 'dvd-rom' });
    const transport = await BulkOnlyTransport.connect(recorder.device);
    const drive = new ScsiDrive(transport);
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    const whole = (await drive.run(read10({ lba: 0, blocks: 2048 }))).data; // 4 MiB, 4 transfers
    recorder.faults.shortDataIn(10 * 2048);
    const started = Date.now();
    const r = await drive.run({ ...read10({ lba: 0, blocks: 2048 }), timeoutMs: 10_000 });
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(r.data, whole, 'read again in full');
    assert.equal(transport.portResets, 1, 'the transfers left queued were cancelled');
    assert.equal((await drive.run(inquiry())).status, 'good');
  });

  it('where the platform refuses class control transfers, LUN 0 and a port reset do', async () => {
    const recorder = createVirtualRecorder({ media: 'cd-rom', protectedControlTransfers: true });
    const transport = await BulkOnlyTransport.connect(recorder.device);
    assert.equal(transport.maxLun, 0);
    const drive = new ScsiDrive(transport);
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    recorder.faults.noAnswer('csw');
    await assert.rejects(
      transport.execute({ ...testUnitReady(), timeoutMs: 200 }),
      CommandTimeoutError,
    );
    assert.equal(transport.portResets, 1);
    assert.equal(transport.usable, true);
    assert.equal((await drive.run(inquiry(), { timeoutMs: 2000 })).status, 'good');
  });
});

describe('zero-padded data-in (QEMU usb-bot; found by the device tests)', () => {
  it('the data is H minus the residue, not the padded transfer', async () => {
    const recorder = createVirtualRecorder({ media: 'cd-rom', shortDataIn: 'pad' });
    const transport = await BulkOnlyTransport.connect(recorder.device);
    const r = await transport.execute({ ...inquiry(), length: 96 });
    assert.equal(r.status, 'good');
    assert.equal(r.transferred, 96, 'the padding did cross the bus');
    assert.equal(r.residue, 60);
    assert.equal(r.data.length, 36, 'only the INQUIRY data is data');
  });
});
