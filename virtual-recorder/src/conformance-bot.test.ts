/**
 * Conformance: Bulk-Only Transport faults against the host's reset recovery,
 * GET CONFIGURATION RT=2 for every feature, and a host sense-table row for
 * every sense the drive reports (conformance-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulkOnlyTransport, type CommandResult } from '../../usb-mass-storage/src/bot/transport.ts';
import { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import {
  CommandTimeoutError,
  DeviceGoneError,
  TransportError,
  WebdiscError,
} from '../../usb-mass-storage/src/errors.ts';
import { type ScsiRequest } from '../../usb-mass-storage/src/scsi/command.ts';
import { type Feature } from '../../usb-mass-storage/src/scsi/features.ts';
import { ConfigurationRequestType } from '../../usb-mass-storage/src/scsi/mmc.ts';
import { lookupSense } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import {
  inquiry,
  parseInquiry,
  preventAllowMediumRemoval,
  testUnitReady,
} from '../../usb-mass-storage/src/scsi/spc.ts';
import {
  parseCapacity,
  read10,
  readCapacity10,
  write10,
} from '../../usb-mass-storage/src/scsi/sbc.ts';
import { MEDIA, SENSE, createVirtualRecorder, type VirtualRecorder } from './index.ts';
import {
  T,
  SECTOR,
  host,
  refused,
  senseOf,
  rejects,
  pattern,
  configuration,
} from './conformance-harness.test.ts';

// ==============================================================================================
// BOT level: the host's reset recovery against the device's fault injection
// ==============================================================================================

describe('conformance: Bulk-Only Transport faults and reset recovery', T, () => {
  it('stall data: the host clears the halt, reads the CSW, auto-sense says B/4B/00; ScsiDrive retries', async () => {
    const { drive, transport, recorder } = await host({ media: 'cd-rom' });
    recorder.faults.stallData();
    const raw = await transport.execute(inquiry());
    assert.equal(raw.status, 'check-condition');
    assert.deepEqual(senseOf(raw), [0x0b, 0x4b, 0]);
    assert.equal(raw.data.length, 0);
    recorder.faults.stallData();
    const id = parseInquiry((await drive.run(inquiry())).data);
    assert.equal(id.deviceType, 5);
    assert.equal(recorder.counters.bulkResets, 0);
    assert.ok(recorder.counters.clearHalts >= 2);
  });

  it('stall CSW once: cleared and read again; twice: reset recovery and TransportError', async () => {
    const { drive, transport, recorder } = await host({ media: 'cd-rom' });
    recorder.faults.stallCsw(1);
    assert.equal((await drive.run(testUnitReady())).status, 'good');
    assert.equal(recorder.counters.bulkResets, 0);
    recorder.faults.stallCsw(2);
    const error = await rejects(transport.execute(testUnitReady()), TransportError);
    assert.equal(error.hresultName, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
    assert.equal(recorder.counters.bulkResets, 1);
    assert.equal((await drive.run(testUnitReady())).status, 'good'); // after 6/29/00
  });

  for (const [fault, arm] of [
    ['phase error', (r: VirtualRecorder) => r.faults.phaseError()],
    ['bad CSW signature', (r: VirtualRecorder) => r.faults.badCswSignature()],
    ['bad CSW tag', (r: VirtualRecorder) => r.faults.badCswTag()],
  ] as const) {
    it(`${fault}: TransportError after reset recovery, then the drive works`, async () => {
      const { drive, recorder, attentions } = await host({ media: 'cd-rom' });
      arm(recorder);
      const error = await rejects(drive.run(readCapacity10()), TransportError);
      assert.equal(error.hresultName, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
      assert.equal(recorder.counters.bulkResets, 1);
      const cap = parseCapacity((await drive.run(readCapacity10())).data);
      assert.equal(cap.lastLba, MEDIA['cd-rom'].capacity - 1);
      assert.deepEqual(
        attentions.map((s) => [s.key, s.asc]),
        [[6, 0x29]],
      );
    });
  }

  for (const at of ['cbw', 'data', 'csw'] as const) {
    it(`no answer at the ${at}: CommandTimeoutError, reset recovery, then the drive works`, async () => {
      const { drive, recorder } = await host({ media: 'cd-rom' });
      recorder.faults.noAnswer(at);
      const error = await rejects(drive.run(inquiry(), { timeoutMs: 150 }), CommandTimeoutError);
      assert.equal(error.hresultName, 'E_IMAPI_RECORDER_COMMAND_TIMEOUT');
      assert.equal(recorder.counters.bulkResets, 1);
      assert.equal(parseInquiry((await drive.run(inquiry())).data).deviceType, 5);
    });
  }

  it('reset recovery clears PREVENT; afterReset asserts it again', async () => {
    const recorder = createVirtualRecorder({ media: 'dvd+r' });
    let reasserted = 0;
    const transport = await BulkOnlyTransport.connect(recorder.device, {
      afterReset: async (run: (r: ScsiRequest) => Promise<CommandResult>) => {
        reasserted++;
        // The first command after the reset sees 6/29/00: ask again.
        for (let i = 0; i < 3; i++) {
          if ((await run(preventAllowMediumRemoval({ prevent: true }))).status === 'good') break;
        }
      },
    });
    const drive = new ScsiDrive(transport);
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    await drive.run(preventAllowMediumRemoval({ prevent: true }));
    recorder.faults.phaseError();
    await rejects(drive.run(testUnitReady()), TransportError);
    assert.equal(reasserted, 1);
    assert.equal(recorder.state.prevent, true);
    const transitions = recorder.preventHistory.map((t) => [t.prevent, t.cause]);
    assert.deepEqual(transitions, [
      [true, 'command'],
      [false, 'bulk-reset'],
      [true, 'command'],
    ]);
  });

  it('disconnect: DeviceGoneError for the command in flight and every later one', async () => {
    const { drive, transport, recorder } = await host({ media: 'cd-rom' });
    recorder.faults.noAnswer('csw');
    const pending = drive.run(inquiry(), { timeoutMs: 5000 });
    setTimeout(() => recorder.disconnect(), 20);
    const error = await rejects(pending, DeviceGoneError);
    assert.equal(error.hresultName, 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST');
    await rejects(drive.run(testUnitReady()), DeviceGoneError);
    assert.equal(transport.usable, false);
  });

  it('disconnect at the next CBW, and in the middle of a data phase', async () => {
    const a = await host({ media: 'bd-r' });
    a.recorder.faults.disconnectAtCommand(1);
    await rejects(a.drive.run(testUnitReady()), DeviceGoneError);
    const b = await host({ media: 'bd-r' });
    b.recorder.faults.disconnectAfterBytes(100_000);
    await rejects(b.drive.run(write10({ lba: 0, data: pattern(256, 1) })), DeviceGoneError);
    assert.equal(b.transport.usable, false);
  });

  it('a large WRITE crosses several transfers; errors there come back with their LBA', async () => {
    const { drive, recorder, transport } = await host(
      { media: 'bd-r' },
      { maxTransferSize: 64 * 1024 },
    );
    const data = pattern(512, 3); // 1 MiB in 16 transfers
    await drive.run(write10({ lba: 0, data }));
    assert.deepEqual(
      [...(await drive.run(read10({ lba: 500, blocks: 12 }))).data],
      [...data.subarray(500 * SECTOR)],
    );
    const big = await drive.run(read10({ lba: 0, blocks: 512 }));
    assert.deepEqual([big.transferred, big.residue], [512 * SECTOR, 0]);
    assert.deepEqual([...big.data], [...data]);
    recorder.faults.writeErrorAt(600);
    const error = await refused(
      drive.run(write10({ lba: 512, data: pattern(128, 4) })),
      [3, 0x0c, 0],
      'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE',
    );
    assert.equal(error.sense?.information, 600);
    assert.equal(recorder.state.disc?.nextWritableAddress, 600);
    // The CSW residue counts the blocks the drive did not record (BOT §6.7.3 with status 1).
    recorder.faults.writeErrorAt(610);
    const raw = await transport.execute(write10({ lba: 600, data: pattern(20, 6) }));
    assert.deepEqual(senseOf(raw), [3, 0x0c, 0]);
    assert.deepEqual([raw.transferred, raw.residue], [20 * SECTOR, 10 * SECTOR]);
    recorder.faults.readErrorAt(10);
    const read = await transport.execute(read10({ lba: 0, blocks: 20 }));
    assert.deepEqual(senseOf(read), [3, 0x11, 0]);
    assert.equal(read.sense?.information, 10);
    // The blocks before the bad one arrive; the short data-in leaves a residue (BOT case 5).
    assert.deepEqual([read.data.length, read.residue], [10 * SECTOR, 10 * SECTOR]);
    assert.deepEqual([...read.data], [...data.subarray(0, 10 * SECTOR)]);
    recorder.faults.lossOfStreaming();
    await refused(
      drive.run(write10({ lba: 610, data: pattern(8, 5) })),
      [3, 0x0c, 0x09],
      'E_IMAPI_LOSS_OF_STREAMING',
    );
  });

  for (const shortDataIn of ['stall', 'pad', 'pad-zero-residue'] as const) {
    it(`a READ error inside a queued multi-transfer data-in (device ${shortDataIn}s)`, async () => {
      const { drive, transport, recorder } = await host(
        { media: 'bd-r', shortDataIn },
        { maxTransferSize: 64 * 1024, queueDepth: 4 },
      );
      const data = pattern(512, 8);
      await drive.run(write10({ lba: 0, data }));
      recorder.faults.readErrorAt(300);
      const r = await transport.execute(read10({ lba: 0, blocks: 512 }));
      assert.deepEqual(senseOf(r), [3, 0x11, 0]);
      assert.equal(r.sense?.information, 300);
      assert.deepEqual([...r.data.subarray(0, 300 * SECTOR)], [...data.subarray(0, 300 * SECTOR)]);
      // BOT §6.7.2: a device that stops early STALLs (or pads) and reports the residue.
      if (shortDataIn === 'stall') assert.equal(r.data.length, 300 * SECTOR);
      assert.equal(r.residue, shortDataIn === 'pad-zero-residue' ? 0 : 212 * SECTOR);
      assert.equal(recorder.counters.bulkResets, 0); // no phase error: no reset needed
      const again = await drive.run(read10({ lba: 0, blocks: 512 }));
      assert.deepEqual([...again.data], [...data]);
    });
  }

  it('typed errors are WebdiscErrors with the HRESULT value of their name', async () => {
    const { drive } = await host({ media: 'cd-rom' });
    const error = await refused(
      drive.run(write10({ lba: 0, data: pattern(1, 0) })),
      [5, 0x30, 5],
      'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
    );
    assert.ok(error instanceof WebdiscError);
    assert.equal(error.hresult, 0xc0aa0203);
    assert.equal(error.opcode, 0x2a);
  });
});

// A feature decodes the same whatever its code's typed codec: every listed one is reachable by RT=2.
describe('conformance: GET CONFIGURATION RT=2 for every listed feature', T, () => {
  it('each feature alone decodes to the same value as in the full list', async () => {
    const { drive } = await host({ media: 'cd-rw' });
    const all = await configuration(drive);
    for (const f of all.features) {
      const one = await configuration(drive, ConfigurationRequestType.One, f.code);
      assert.deepEqual(one.features, [f] as Feature[]);
    }
  });
});

describe('conformance: every sense the drive reports has a row in the host sense table', T, () => {
  for (const [name, code] of Object.entries(SENSE)) {
    it(`${name} ${code.key.toString(16)}/${code.asc.toString(16)}/${code.ascq.toString(16)}`, () => {
      const advice = lookupSense(code);
      assert.notEqual(advice.message, 'UNKNOWN SENSE', `${name} falls to the default row`);
    });
  }
});
