/**
 * ScsiDrive (scsi/scsi-drive.ts) over the real Bulk-Only transport and the
 * in-memory device: the sense table's policy seen as the commands on the
 * wire, auto-sense included. It lives beside the transport because the SCSI
 * layer never imports BOT.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulkOnlyTransport } from './transport.ts';
import { ScsiDrive } from '../scsi/scsi-drive.ts';
import { ScsiCommandError } from '../errors.ts';
import { noData } from '../scsi/command.ts';
import { write10 } from '../scsi/sbc.ts';
import { MemoryBotDevice } from '../testing/memory-device.ts';

async function setup() {
  const device = new MemoryBotDevice();
  const drive = new ScsiDrive(await BulkOnlyTransport.connect(device));
  return { device, drive };
}
const TUR = () => noData(new Uint8Array(6));
const ops = (d: MemoryBotDevice) => d.commands.map((c) => c[0]);

describe('ScsiDrive: the sense table decides', () => {
  it('polls TEST UNIT READY through NOT READY and reports progress, then retries (2/04/04)', async () => {
    const { device, drive } = await setup();
    device.pendingFailures.push(
      { key: 2, asc: 4, ascq: 4, progress: 16384 },
      { key: 2, asc: 4, ascq: 4, progress: 49152 },
    );
    const progress: number[] = [];
    const r = await drive.run(TUR(), { onProgress: (f) => progress.push(f) });
    assert.equal(r.status, 'good');
    assert.deepEqual(progress, [0.25, 0.75]);
    // TUR fails, REQUEST SENSE; polled TUR fails, REQUEST SENSE; polled TUR ok; the command again.
    assert.deepEqual(ops(device), [0x00, 0x03, 0x00, 0x03, 0x00, 0x00]);
  });

  it('waits out "becoming ready" (2/04/01)', async () => {
    const { device, drive } = await setup();
    device.pendingFailures.push({ key: 2, asc: 4, ascq: 1 });
    assert.equal((await drive.run(TUR())).status, 'good');
  });

  it('resends a WRITE after a buffer-full 2/04/08 without polling', async () => {
    const { device, drive } = await setup();
    device.pendingFailures.push({ key: 2, asc: 4, ascq: 8 }, { key: 2, asc: 4, ascq: 8 });
    const r = await drive.run(write10({ lba: 5, data: new Uint8Array(2048).fill(9) }));
    assert.equal(r.status, 'good');
    assert.deepEqual(ops(device), [0x2a, 0x03, 0x2a, 0x03, 0x2a]);
  });

  it('refreshes on a unit attention and retries once (6/28)', async () => {
    const { device, drive } = await setup();
    let refreshed = 0;
    drive.onUnitAttention = () => {
      refreshed++;
    };
    device.pendingFailures.push({ key: 6, asc: 0x28, ascq: 0 });
    assert.equal((await drive.run(TUR())).status, 'good');
    assert.equal(refreshed, 1);
  });

  it('retries a unit attention only once, then fails with the sense', async () => {
    const { device, drive } = await setup();
    device.pendingFailures.push({ key: 6, asc: 0x29, ascq: 0 }, { key: 6, asc: 0x29, ascq: 0 });
    await assert.rejects(drive.run(TUR()), (e: unknown) => {
      assert.ok(e instanceof ScsiCommandError);
      assert.equal(e.sense?.asc, 0x29);
      return true;
    });
  });

  it('turns other sense into a typed error with its HRESULT (2/3A no medium)', async () => {
    const { device, drive } = await setup();
    device.pendingFailures.push({ key: 2, asc: 0x3a, ascq: 0x01 });
    await assert.rejects(drive.run(TUR()), (e: unknown) => {
      assert.ok(e instanceof ScsiCommandError);
      assert.equal(e.hresultName, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA');
      assert.match(e.message, /TEST UNIT READY failed: 2\/3A\/01/);
      return true;
    });
  });

  it('returns the CHECK CONDITION when asked to (raw commands)', async () => {
    const { device, drive } = await setup();
    device.pendingFailures.push({ key: 5, asc: 0x20, ascq: 0 });
    const r = await drive.run(noData(new Uint8Array([0xff, 0, 0, 0, 0, 0])), {
      allowCheckCondition: true,
    });
    assert.equal(r.status, 'check-condition');
    assert.equal(r.sense?.asc, 0x20);
  });

  it('gives up polling when the NOT READY budget runs out', async () => {
    const { device, drive } = await setup();
    for (let i = 0; i < 50; i++) device.pendingFailures.push({ key: 2, asc: 4, ascq: 7 });
    await assert.rejects(drive.run(TUR(), { notReadyBudgetMs: 60 }), ScsiCommandError);
  });
});

describe('ScsiDrive: sense a bridge lost (issue 13, item 6)', () => {
  it('CHECK CONDITION with no sense data is reported as that, not as a reservation', async () => {
    const { device, drive } = await setup();
    device.pendingFailures.push({ key: 0, asc: 0, ascq: 0 });
    device.scriptIn.push({ kind: 'map' });
    // REQUEST SENSE answers nothing usable: the bridge lost the sense.
    device.scriptIn.push({ kind: 'map', map: () => new Uint8Array(18) });
    await assert.rejects(drive.run(TUR()), (e: unknown) => {
      assert.ok(e instanceof ScsiCommandError);
      assert.equal(e.hresultName, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE');
      assert.match(e.message, /no sense data/);
      assert.doesNotMatch(e.message, /reserv/i);
      return true;
    });
  });
});
