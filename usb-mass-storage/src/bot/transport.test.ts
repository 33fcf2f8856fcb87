import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CancelledError,
  CommandTimeoutError,
  DeviceAccessError,
  toErrorValue,
  DeviceGoneError,
  DeviceUnusableError,
  TransportError,
} from '../errors.ts';
import { dataIn, dataOut, noData, type ScsiRequest } from '../scsi/command.ts';
import { MemoryBotDevice } from '../testing/memory-device.ts';
import type { UsbDeviceLike, UsbInTransferResultLike } from '../usb.ts';
import { BulkOnlyTransport, findMassStorageInterface } from './transport.ts';
import { encodeCsw } from './wrappers.ts';

const TUR = () => noData(new Uint8Array(6));
const INQUIRY = (alloc: number) => dataIn(new Uint8Array([0x12, 0, 0, 0, alloc, 0]), alloc);
function read10(lba: number, blocks: number, blockSize = 2048): ScsiRequest {
  const cdb = new Uint8Array(10);
  const v = new DataView(cdb.buffer);
  cdb[0] = 0x28;
  v.setUint32(2, lba);
  v.setUint16(7, blocks);
  return dataIn(cdb, blocks * blockSize);
}
function write10(lba: number, data: Uint8Array, blockSize = 2048): ScsiRequest {
  const cdb = new Uint8Array(10);
  const v = new DataView(cdb.buffer);
  cdb[0] = 0x2a;
  v.setUint32(2, lba);
  v.setUint16(7, data.length / blockSize);
  return dataOut(cdb, data);
}
function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('BulkOnlyTransport: connect', () => {
  it('finds the BOT interface, selects the configuration, claims it and reads the max LUN', async () => {
    const device = new MemoryBotDevice({ maxLun: 0 });
    assert.deepEqual(findMassStorageInterface(device), {
      configurationValue: 1,
      interfaceNumber: 0,
      alternateSetting: 0,
      subclass: 6,
      inEndpoint: 1,
      outEndpoint: 2,
      packetSize: 512,
    });
    const t = await BulkOnlyTransport.connect(device);
    assert.equal(device.opened, true);
    assert.equal(device.configuration?.configurationValue, 1);
    assert.equal(t.maxLun, 0);
    assert.equal(t.lun, 0);
  });

  it('falls back to LUN 0 when Get Max LUN stalls, and accepts a reported max LUN', async () => {
    assert.equal(
      (await BulkOnlyTransport.connect(new MemoryBotDevice({ maxLun: 'stall' }))).maxLun,
      0,
    );
    const t = await BulkOnlyTransport.connect(new MemoryBotDevice({ maxLun: 3 }), { lun: 2 });
    assert.equal(t.maxLun, 3);
    assert.equal(t.lun, 2);
  });

  it('treats a max LUN above 15 as LUN 0 only and refuses a LUN the device lacks', async () => {
    const t = await BulkOnlyTransport.connect(new MemoryBotDevice({ maxLun: 200 }));
    assert.equal(t.maxLun, 0);
    await assert.rejects(
      BulkOnlyTransport.connect(new MemoryBotDevice({ maxLun: 0 }), { lun: 1 }),
      RangeError,
    );
  });

  it('refuses a device without a mass-storage interface', async () => {
    const device = new MemoryBotDevice();
    const hid = {
      ...device,
      configurations: [{ configurationValue: 1, interfaces: [] }],
    } as unknown as UsbDeviceLike;
    await assert.rejects(BulkOnlyTransport.connect(hid), DeviceAccessError);
  });

  for (const [name, pattern] of [
    ['SecurityError', /protected class/],
    ['NetworkError', /Another driver holds/],
  ] as const) {
    it(`explains a claimInterface ${name}`, async () => {
      const device = new MemoryBotDevice();
      device.claimInterface = () =>
        Promise.reject(Object.assign(new Error('Unable to claim interface.'), { name }));
      await assert.rejects(BulkOnlyTransport.connect(device), (e: unknown) => {
        assert.ok(e instanceof DeviceAccessError);
        assert.equal(e.hresultName, 'E_ACCESS_DENIED');
        assert.match(e.message, pattern);
        assert.equal(e.problem, name === 'SecurityError' ? 'protected-class' : 'busy');
        assert.equal(toErrorValue(e).problem, e.problem);
        return true;
      });
    });
  }

  it('refuses a maximum transfer size above 32 MiB', async () => {
    await assert.rejects(
      BulkOnlyTransport.connect(new MemoryBotDevice(), { maxTransferSize: 32 * 1024 * 1024 + 1 }),
      RangeError,
    );
  });
});

describe('BulkOnlyTransport: commands', () => {
  it('runs a no-data command', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    const r = await t.execute(TUR());
    assert.equal(r.status, 'good');
    assert.equal(r.transferred, 0);
    assert.equal(device.stats.cbws, 1);
  });

  it('splits long data phases, queues several transfers, and keeps the bytes in order', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device, { maxTransferSize: 4096, queueDepth: 4 });
    const data = pattern(64 * 1024);
    const w = await t.execute(write10(100, data));
    assert.equal(w.status, 'good');
    assert.equal(w.transferred, data.length);
    const r = await t.execute(read10(100, 32));
    assert.equal(r.status, 'good');
    assert.equal(r.transferred, data.length);
    assert.deepEqual(r.data, data);
    // 16 data transfers + CBW + CSW for the read, same for the write.
    assert.equal(device.stats.transfersIn, 16 + 1 + 1);
    assert.equal(device.stats.maxPending, 4);
  });

  it('handles a STALL in the data phase: clearHalt, then the CSW; reports what moved (case 4)', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    const r = await t.execute(INQUIRY(96));
    assert.equal(r.status, 'good');
    assert.equal(r.data.length, 36);
    assert.equal(r.transferred, 36);
    assert.equal(r.residue, 60);
    assert.equal(device.stats.clearHalts.in, 1);
  });

  it('clears a STALL on the CSW and reads it again', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'stall' });
    const r = await t.execute(TUR());
    assert.equal(r.status, 'good');
    assert.equal(device.stats.clearHalts.in, 1);
    assert.equal(device.stats.resets, 0);
  });

  it('reads again after a zero-length CSW read', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'zero-length' });
    assert.equal((await t.execute(TUR())).status, 'good');
    assert.equal(device.stats.resets, 0);
  });

  it('takes a 13-byte CSW that arrives in the data phase as the CSW (device skipped data)', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'bytes', data: encodeCsw({ tag: 1, residue: 2048, status: 0 }) });
    const r = await t.execute(read10(0, 1));
    assert.equal(r.status, 'good');
    assert.equal(r.transferred, 0);
    assert.equal(r.residue, 2048);
  });

  it('still reads the CSW after babble in the data phase', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'map', status: 'babble' });
    const r = await t.execute(INQUIRY(36));
    assert.equal(r.status, 'good');
    assert.equal(r.data.length, 36);
    assert.equal(device.stats.resets, 0);
  });

  it('clamps a residue larger than the request', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({
      kind: 'map',
      map: (b) => (new DataView(b.buffer).setUint32(8, 0xffffffff, true), b),
    });
    const r = await t.execute(TUR());
    assert.equal(r.residue, 0);
  });

  it('clears a STALL on bulk-out during data-out and reads the CSW (case 11/13)', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device, { maxTransferSize: 2048, queueDepth: 1 });
    device.scriptOut.push({ kind: 'bytes', data: new Uint8Array(0) }); // the CBW passes
    device.scriptOut.push({ kind: 'bytes', data: new Uint8Array(0) }); // first block passes
    device.scriptOut.push({ kind: 'stall' });
    const r = await t.execute(write10(0, pattern(3 * 2048)));
    assert.equal(device.stats.clearHalts.out, 1);
    assert.equal(r.transferred, 2048);
    assert.equal(r.residue, 2 * 2048);
  });

  it('serialises concurrent callers: one command in flight, in call order', async () => {
    const device = new MemoryBotDevice();
    device.asyncTransfers = true;
    const t = await BulkOnlyTransport.connect(device);
    const writes = Array.from({ length: 8 }, (_, i) => t.execute(write10(i, pattern(2048, i))));
    const reads = Array.from({ length: 8 }, (_, i) => t.execute(read10(i, 1)));
    await Promise.all(writes);
    const results = await Promise.all(reads);
    results.forEach((r, i) => assert.deepEqual(r.data, pattern(2048, i)));
    assert.deepEqual(
      device.commands.map((c) => c[0]),
      [...Array(8).fill(0x2a), ...Array(8).fill(0x28)],
    );
    assert.equal(device.stats.maxPending, 1);
  });
});

describe('BulkOnlyTransport: auto-sense', () => {
  it('runs REQUEST SENSE after status 1 and decodes it', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.pendingFailures.push({ key: 2, asc: 0x04, ascq: 0x01 });
    const r = await t.execute(TUR());
    assert.equal(r.status, 'check-condition');
    assert.deepEqual(
      { key: r.sense?.key, asc: r.sense?.asc, ascq: r.sense?.ascq },
      { key: 2, asc: 4, ascq: 1 },
    );
    assert.deepEqual(
      device.commands.map((c) => c[0]),
      [0x00, 0x03],
    );
  });

  it('asks again when REQUEST SENSE itself ends in CHECK CONDITION', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.pendingFailures.push({ key: 6, asc: 0x28, ascq: 0 });
    // The first REQUEST SENSE's CSW says "failed" with zeroed data.
    device.scriptIn.push({ kind: 'map' }); // TUR CSW untouched
    device.scriptIn.push({ kind: 'map', map: () => new Uint8Array(18) }); // sense data zeroed
    device.scriptIn.push({ kind: 'map', map: (b) => ((b[12] = 1), b) }); // its CSW: status 1
    const r = await t.execute(TUR());
    assert.equal(r.status, 'check-condition');
    assert.equal(device.commands.filter((c) => c[0] === 0x03).length, 2);
  });

  it('reports status 1 with empty sense as emptySense (RESERVATION CONFLICT in BOT)', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.pendingFailures.push({ key: 0, asc: 0, ascq: 0 });
    device.scriptIn.push({ kind: 'map' });
    device.scriptIn.push({ kind: 'map', map: () => new Uint8Array(18) });
    const r = await t.execute(TUR());
    assert.equal(r.status, 'check-condition');
    assert.equal(r.emptySense, true);
    assert.equal(r.sense, undefined);
  });
});

describe('BulkOnlyTransport: reset recovery', () => {
  const corruptions: [string, (b: Uint8Array) => Uint8Array][] = [
    ['an invalid CSW signature', (b) => ((b[0] = 0), b)],
    ['a CSW tag mismatch', (b) => ((b[4] = b[4]! ^ 0xff), b)],
    ['a CSW of the wrong length', (b) => Uint8Array.from([...b, 0])],
    ['status 2 (phase error)', (b) => ((b[12] = 2), b)],
    ['an undefined CSW status', (b) => ((b[12] = 7), b)],
  ];
  for (const [what, map] of corruptions) {
    it(`resets on ${what}, then works again`, async () => {
      const device = new MemoryBotDevice();
      const t = await BulkOnlyTransport.connect(device);
      device.scriptIn.push({ kind: 'map', map });
      await assert.rejects(t.execute(TUR()), TransportError);
      assert.equal(device.stats.resets, 1);
      assert.deepEqual(device.stats.clearHalts, { in: 1, out: 1 });
      assert.equal((await t.execute(TUR())).status, 'good');
    });
  }

  it('resets when the CBW is refused with a STALL', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptOut.push({ kind: 'stall' });
    await assert.rejects(t.execute(TUR()), TransportError);
    assert.equal(device.stats.resets, 1);
    assert.equal((await t.execute(TUR())).status, 'good');
  });

  it('raises DeviceUnusableError when reset recovery fails, and keeps refusing', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.resetBehaviour = 'stall';
    device.scriptIn.push({ kind: 'map', map: (b) => ((b[0] = 0), b) });
    await assert.rejects(t.execute(TUR()), DeviceUnusableError);
    assert.equal(t.usable, false);
    await assert.rejects(t.execute(TUR()), DeviceUnusableError);
  });

  it('runs afterReset with an unqueued executor before the next command', async () => {
    const device = new MemoryBotDevice();
    const seen: number[] = [];
    const t = await BulkOnlyTransport.connect(device, {
      afterReset: async (run) => {
        const r = await run(noData(new Uint8Array([0x1e, 0, 0, 0, 1, 0])));
        seen.push(r.status === 'check-condition' ? 1 : 0);
      },
    });
    device.scriptIn.push({ kind: 'map', map: (b) => ((b[12] = 2), b) });
    await assert.rejects(t.execute(TUR()), TransportError);
    await t.execute(TUR());
    // PREVENT (1Eh) went out right after the reset, before the next TUR.
    assert.deepEqual(
      device.commands.map((c) => c[0]),
      [0x00, 0x1e, 0x00],
    );
    assert.deepEqual(seen, [0]);
  });
});

describe('BulkOnlyTransport: timeouts, cancellation, disconnect', () => {
  it('times out a transfer that never completes, resets, and recovers', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'hang' });
    await assert.rejects(t.execute(TUR(), { timeoutMs: 30 }), CommandTimeoutError);
    assert.equal(device.stats.resets, 1);
    assert.equal((await t.execute(TUR())).status, 'good');
  });

  it('uses the per-command default timeout from the options', async () => {
    const device = new MemoryBotDevice();
    const asked: number[] = [];
    const t = await BulkOnlyTransport.connect(device, {
      defaultTimeoutMs: (cdb) => (asked.push(cdb[0]!), 25),
    });
    device.scriptIn.push({ kind: 'hang' });
    await assert.rejects(t.execute(TUR()), (e: unknown) => {
      assert.ok(e instanceof CommandTimeoutError);
      assert.equal(e.hresultName, 'E_IMAPI_RECORDER_COMMAND_TIMEOUT');
      assert.match(e.message, /25 ms/);
      return true;
    });
    assert.deepEqual(asked, [0]);
  });

  it('marks the device unusable when the reset after a timeout hangs too', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.resetBehaviour = 'hang';
    device.scriptIn.push({ kind: 'hang' });
    await assert.rejects(t.execute(TUR(), { timeoutMs: 20 }), DeviceUnusableError);
  });

  it('cancels with an AbortSignal mid-command, resets, and recovers', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'hang' });
    const controller = new AbortController();
    const run = t.execute(TUR(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof CancelledError);
      assert.equal(e.hresultName, 'E_IMAPI_REQUEST_CANCELLED');
      return true;
    });
    assert.equal(device.stats.resets, 1);
    assert.equal((await t.execute(TUR())).status, 'good');
  });

  it('does not send a command whose signal already aborted', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    await assert.rejects(t.execute(TUR(), { signal: AbortSignal.abort() }), CancelledError);
    assert.equal(device.stats.cbws, 0);
  });

  it('gives DeviceGoneError when the device disappears mid-transfer, and at once afterwards', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'gone' });
    await assert.rejects(t.execute(read10(0, 4)), DeviceGoneError);
    await assert.rejects(t.execute(TUR()), (e: unknown) => {
      assert.ok(e instanceof DeviceGoneError);
      assert.equal(e.hresultName, 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST');
      return true;
    });
    await t.close(); // closing a gone device must not throw
  });

  it('fails a hung transfer at once on markDisconnected (never a hang)', async () => {
    const device = new MemoryBotDevice();
    const t = await BulkOnlyTransport.connect(device);
    device.scriptIn.push({ kind: 'hang' });
    const run = t.execute(TUR(), { timeoutMs: 60_000 });
    const queued = t.execute(TUR(), { timeoutMs: 60_000 });
    setTimeout(() => t.markDisconnected(), 5);
    await assert.rejects(run, DeviceGoneError);
    await assert.rejects(queued, DeviceGoneError);
  });

  it('turns node-usb 3.x "stall" rejections back into stalls', async () => {
    const device = new MemoryBotDevice();
    const original = device.transferIn.bind(device);
    device.transferIn = async (ep: number, length: number): Promise<UsbInTransferResultLike> => {
      const r = await original(ep, length);
      if (r.status === 'stall') throw new Error('LIBUSB_TRANSFER_STALL: transfer stalled');
      return r;
    };
    const t = await BulkOnlyTransport.connect(device);
    const r = await t.execute(INQUIRY(96));
    assert.equal(r.data.length, 36);
    assert.equal(device.stats.clearHalts.in, 1);
  });
});
