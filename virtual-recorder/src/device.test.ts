import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeCbw, Direction, decodeCsw } from '../../usb-mass-storage/src/bot/wrappers.ts';
import {
  BULK_IN_ENDPOINT,
  BULK_OUT_ENDPOINT,
  DiscardSectorStore,
  INTERFACE_NUMBER,
  VIRTUAL_RECORDER_NAME,
  createVirtualRecorder,
} from './index.ts';
import { Cdb, RawBot, readyBot, stillPending, within } from './raw-bot.ts';

const T = { timeout: 10_000 };

async function rejectsWith(p: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(within(p, 2000), (e: unknown) => e instanceof Error && e.name === name);
}

describe('descriptors', T, () => {
  it('look like a real USB BOT optical drive', () => {
    const r = createVirtualRecorder({ serial: 'ABC123' });
    const d = r.device;
    assert.equal(d.vendorId, 0x1209);
    assert.equal(d.productId, 0x0001);
    assert.equal(d.productName, VIRTUAL_RECORDER_NAME);
    assert.equal(d.manufacturerName, 'webdisc');
    assert.equal(d.serialNumber, 'ABC123');
    assert.equal(d.opened, false);
    assert.equal(d.configurations.length, 1);
    const config = d.configuration;
    assert.ok(config);
    assert.equal(config.configurationValue, 1);
    assert.equal(config.interfaces.length, 1);
    const iface = config.interfaces[0]!;
    assert.equal(iface.interfaceNumber, 0);
    assert.equal(iface.claimed, false);
    assert.equal(iface.alternate.interfaceClass, 0x08);
    assert.equal(iface.alternate.interfaceSubclass, 0x06);
    assert.equal(iface.alternate.interfaceProtocol, 0x50);
    assert.deepEqual(
      iface.alternate.endpoints.map((e) => [e.endpointNumber, e.direction, e.type, e.packetSize]),
      [
        [BULK_IN_ENDPOINT, 'in', 'bulk', 512],
        [BULK_OUT_ENDPOINT, 'out', 'bulk', 512],
      ],
    );
  });

  it('answers GET_DESCRIPTOR for the device and configuration descriptors', async () => {
    const r = createVirtualRecorder();
    await r.device.open();
    const dev = await r.device.controlTransferIn(
      { requestType: 'standard', recipient: 'device', request: 0x06, value: 0x0100, index: 0 },
      18,
    );
    const b = new Uint8Array(dev.data!.buffer, dev.data!.byteOffset, dev.data!.byteLength);
    assert.equal(b.length, 18);
    assert.equal(b[1], 0x01);
    assert.equal(b[8]! | (b[9]! << 8), 0x1209);
    const cfg = await r.device.controlTransferIn(
      { requestType: 'standard', recipient: 'device', request: 0x06, value: 0x0200, index: 0 },
      255,
    );
    const c = new Uint8Array(cfg.data!.buffer, cfg.data!.byteOffset, cfg.data!.byteLength);
    assert.equal(c.length, 32);
    assert.deepEqual([...c.subarray(14, 17)], [0x08, 0x06, 0x50]);
    assert.equal(c[20], 0x81);
    assert.equal(c[27], 0x02);
  });

  it('claimInterface flips interface.claimed and the recorder state', async () => {
    const r = createVirtualRecorder();
    await r.device.open();
    await r.device.claimInterface(0);
    assert.equal(r.device.configuration!.interfaces[0]!.claimed, true);
    assert.equal(r.state.claimed, true);
    await r.device.releaseInterface(0);
    assert.equal(r.state.claimed, false);
  });
});

describe('WebUSB state errors', T, () => {
  it('reject calls before open() with InvalidStateError', async () => {
    const d = createVirtualRecorder().device;
    await rejectsWith(d.claimInterface(0), 'InvalidStateError');
    await rejectsWith(d.transferIn(1, 13), 'InvalidStateError');
    await rejectsWith(d.transferOut(2, new Uint8Array(31)), 'InvalidStateError');
    await rejectsWith(d.clearHalt('in', 1), 'InvalidStateError');
    await rejectsWith(d.selectConfiguration(1), 'InvalidStateError');
    await rejectsWith(
      d.controlTransferIn(
        { requestType: 'class', recipient: 'interface', request: 0xfe, value: 0, index: 0 },
        1,
      ),
      'InvalidStateError',
    );
  });

  it('reject transfers before claimInterface() with NotFoundError, like Chrome', async () => {
    const d = createVirtualRecorder().device;
    await d.open();
    await rejectsWith(d.transferIn(1, 13), 'NotFoundError');
    await rejectsWith(d.transferOut(2, new Uint8Array(31)), 'NotFoundError');
    await rejectsWith(d.clearHalt('out', 2), 'NotFoundError');
    await rejectsWith(
      d.controlTransferOut(
        { requestType: 'class', recipient: 'interface', request: 0xff, value: 0, index: 0 },
        new Uint8Array(0),
      ),
      'InvalidStateError',
    );
  });

  it('reject unknown interfaces, configurations and endpoints', async () => {
    const d = createVirtualRecorder().device;
    await d.open();
    await rejectsWith(d.claimInterface(1), 'NotFoundError');
    await rejectsWith(d.selectConfiguration(2), 'NotFoundError');
    await d.selectConfiguration(1);
    await d.claimInterface(0);
    await rejectsWith(d.transferIn(2, 13), 'NotFoundError'); // endpoint 2 is OUT
    await rejectsWith(d.transferOut(1, new Uint8Array(31)), 'NotFoundError');
    await rejectsWith(d.clearHalt('in', 0), 'IndexSizeError');
    await rejectsWith(d.clearHalt('in', 16), 'IndexSizeError');
    await rejectsWith(
      d.controlTransferIn(
        { requestType: 'class', recipient: 'interface', request: 0xfe, value: 0, index: 3 },
        1,
      ),
      'NotFoundError',
    );
  });

  it('open() twice and close() when closed are no-ops', async () => {
    const d = createVirtualRecorder().device;
    await d.open();
    await d.open();
    assert.equal(d.opened, true);
    await d.close();
    await d.close();
    assert.equal(d.opened, false);
  });

  it('close() and releaseInterface() abort pending transfers with AbortError', async () => {
    const r = createVirtualRecorder();
    const bot = await new RawBot(r.device).open();
    const pending = r.device.transferIn(1, 13); // nothing to send: the device NAKs
    assert.equal(await stillPending(pending), true);
    await r.device.releaseInterface(0);
    await rejectsWith(pending, 'AbortError');
    await r.device.claimInterface(0);
    const again = r.device.transferIn(1, 13);
    await r.device.close();
    await rejectsWith(again, 'AbortError');
    assert.equal(bot.device.opened, false);
  });

  it('transfers above maxTransferBytes fail with NetworkError', async () => {
    const { recorder } = await readyBot({ maxTransferBytes: 4096 });
    await rejectsWith(recorder.device.transferIn(1, 4097), 'NetworkError');
    await rejectsWith(recorder.device.transferOut(2, new Uint8Array(4097)), 'NetworkError');
  });

  it('claimInterface() fails with NetworkError while the OS holds the drive (mountedBlocksClaim)', async () => {
    const r = createVirtualRecorder({ mountedByOs: true, mountedBlocksClaim: true });
    await r.device.open();
    await rejectsWith(r.device.claimInterface(0), 'NetworkError');
    r.dismount();
    await r.device.claimInterface(0);
    assert.equal(r.state.claimed, true);
  });
});

describe('class and standard control requests', T, () => {
  const getMaxLun = {
    requestType: 'class',
    recipient: 'interface',
    request: 0xfe,
    value: 0,
    index: 0,
  } as const;

  it('Get Max LUN answers 0 (single LUN)', async () => {
    const { recorder } = await readyBot();
    const r = await recorder.device.controlTransferIn(getMaxLun, 1);
    assert.equal(r.status, 'ok');
    assert.equal(r.data!.byteLength, 1);
    assert.equal(r.data!.getUint8(0), 0);
  });

  it('Get Max LUN can STALL like some devices, resolved not thrown', async () => {
    const { recorder } = await readyBot({ maxLun: 'stall' });
    const r = await recorder.device.controlTransferIn(getMaxLun, 1);
    assert.equal(r.status, 'stall');
  });

  it('Get Max LUN with a non-zero wValue or wLength 0 STALLs', async () => {
    const { recorder } = await readyBot();
    assert.equal(
      (await recorder.device.controlTransferIn({ ...getMaxLun, value: 1 }, 1)).status,
      'stall',
    );
    assert.equal((await recorder.device.controlTransferIn(getMaxLun, 0)).status, 'stall');
  });

  it('Bulk-Only Mass Storage Reset succeeds, and STALLs with a data stage or wValue', async () => {
    const { recorder } = await readyBot();
    const setup = {
      requestType: 'class',
      recipient: 'interface',
      request: 0xff,
      value: 0,
      index: 0,
    } as const;
    assert.equal((await recorder.device.controlTransferOut(setup)).status, 'ok');
    assert.equal(
      (await recorder.device.controlTransferOut(setup, new Uint8Array(1))).status,
      'stall',
    );
    assert.equal(
      (await recorder.device.controlTransferOut({ ...setup, value: 1 })).status,
      'stall',
    );
    assert.equal(recorder.counters.bulkResets, 1);
  });

  it('GET_STATUS reports an endpoint halt and CLEAR_FEATURE clears it', async () => {
    const { recorder, bot } = await readyBot();
    await bot.sendCbw({ cdb: Cdb.testUnitReady(), hostLength: 512, dataIn: 512 }, 9);
    const stalled = await recorder.device.transferIn(1, 512); // case 4: STALL
    assert.equal(stalled.status, 'stall');
    const status = await recorder.device.controlTransferIn(
      { requestType: 'standard', recipient: 'endpoint', request: 0x00, value: 0, index: 0x81 },
      2,
    );
    assert.equal(status.data!.getUint8(0), 1);
    const clear = await recorder.device.controlTransferOut(
      { requestType: 'standard', recipient: 'endpoint', request: 0x01, value: 0, index: 0x81 },
      new Uint8Array(0),
    );
    assert.equal(clear.status, 'ok');
    assert.equal(recorder.device.botState.inHalted, false);
    const { csw } = await bot.readCsw(0);
    assert.equal(csw.residue, 512);
  });

  it('unknown requests STALL instead of throwing', async () => {
    const { recorder } = await readyBot();
    const r = await recorder.device.controlTransferIn(
      { requestType: 'vendor', recipient: 'device', request: 0x42, value: 0, index: 0 },
      4,
    );
    assert.equal(r.status, 'stall');
    const w = await recorder.device.controlTransferOut(
      { requestType: 'vendor', recipient: 'device', request: 0x42, value: 0, index: 0 },
      new Uint8Array(2),
    );
    assert.equal(w.status, 'stall');
  });
});

describe('CBW validity and meaningfulness (BOT §6.2, §6.6.1)', T, () => {
  async function expectStuckUntilReset(bot: RawBot): Promise<void> {
    const d = bot.device;
    assert.equal((await within(d.transferIn(1, 13), 1000)).status, 'stall');
    await d.clearHalt('in', 1);
    // Still stalled: a clear halt alone is not reset recovery.
    assert.equal((await within(d.transferIn(1, 13), 1000)).status, 'stall');
    assert.equal(
      (
        await within(
          d.transferOut(
            2,
            encodeCbw({
              tag: 1,
              dataTransferLength: 0,
              direction: Direction.None,
              lun: 0,
              cdb: new Uint8Array(6),
            }),
          ),
          1000,
        )
      ).status,
      'stall',
    );
    await bot.resetRecovery();
    const tur = await bot.exec({ cdb: Cdb.testUnitReady() });
    // The reset raised 6/29/00; the command after it runs normally.
    assert.equal(tur.sense?.key, 6);
    assert.equal((await bot.exec({ cdb: Cdb.testUnitReady() })).csw.status, 0);
  }

  it('a CBW of the wrong length keeps bulk-in stalled until reset recovery', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    const r = await recorder.device.transferOut(2, new Uint8Array(30));
    assert.equal(r.status, 'ok');
    await expectStuckUntilReset(bot);
    assert.equal(recorder.counters.invalidCbws, 1);
  });

  it('a CBW with a bad signature is invalid', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    const cbw = encodeCbw({
      tag: 5,
      dataTransferLength: 0,
      direction: Direction.None,
      lun: 0,
      cdb: new Uint8Array(6),
    });
    cbw[0] = 0x56;
    await recorder.device.transferOut(2, cbw);
    await expectStuckUntilReset(bot);
  });

  it('a CBW that is not meaningful (reserved bits, CB length) is treated the same', async () => {
    for (const corrupt of [
      (b: Uint8Array) => (b[12] = 0x81), // reserved flag bit
      (b: Uint8Array) => (b[13] = 0x10), // reserved LUN bits
      (b: Uint8Array) => (b[14] = 0), // CB length 0
      (b: Uint8Array) => (b[14] = 17), // CB length 17
    ]) {
      const { recorder, bot } = await readyBot({ media: 'cd-rom' });
      const cbw = encodeCbw({
        tag: 5,
        dataTransferLength: 0,
        direction: Direction.None,
        lun: 0,
        cdb: new Uint8Array(6),
      });
      corrupt(cbw);
      await recorder.device.transferOut(2, cbw);
      await expectStuckUntilReset(bot);
    }
  });

  it('a meaningful CBW for LUN 1 fails with 5/25/00; INQUIRY there says "no device" (7Fh)', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const tur = await bot.exec({ cdb: Cdb.testUnitReady(), lun: 1 });
    assert.equal(tur.csw.status, 1);
    assert.deepEqual([tur.sense?.key, tur.sense?.asc], [5, 0x25]);
    const inq = await bot.run({ cdb: Cdb.inquiry(36), dataIn: 36, lun: 1 });
    assert.equal(inq.data[0], 0x7f);
  });
});

describe('the thirteen cases (BOT §6.7)', T, () => {
  it('case 1 Hn=Dn: status 0, residue 0', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.run({ cdb: Cdb.testUnitReady() });
    assert.deepEqual([r.csw.status, r.csw.residue], [0, 0]);
  });

  it('case 2 Hn<Di and case 3 Hn<Do: phase error', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const r2 = await bot.run({ cdb: Cdb.inquiry(36), hostLength: 0 });
    assert.equal(r2.csw.status, 2);
    await bot.resetRecovery();
    await bot.exec({ cdb: Cdb.testUnitReady() }); // the reset's 6/29/00
    const r3 = await bot.run({ cdb: Cdb.write10(0, 1), hostLength: 0 });
    assert.equal(r3.csw.status, 2);
  });

  it('case 4 Hi>Dn: bulk-in STALLs, residue = H', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.run({ cdb: Cdb.testUnitReady(), dataIn: 512 });
    assert.equal(r.dataStalled, true);
    assert.deepEqual([r.csw.status, r.csw.residue], [0, 512]);
  });

  it('case 5 Hi>Di: short data, then STALL, residue = difference', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.run({ cdb: Cdb.inquiry(96), dataIn: 96 });
    assert.equal(r.data.length, 36);
    assert.equal(r.cswStalls, 1); // the STALL shows on the CSW read after the short packet
    assert.deepEqual([r.csw.status, r.csw.residue], [0, 60]);
  });

  it('case 5 with a padding device: zeros up to H, no STALL; residue as the switch says', async () => {
    const padded = await readyBot({ media: 'cd-rom', shortDataIn: 'pad' });
    const r = await padded.bot.run({ cdb: Cdb.inquiry(96), dataIn: 96 });
    assert.equal(r.data.length, 96);
    assert.ok(r.data.subarray(36).every((b) => b === 0));
    assert.equal(r.cswStalls, 0);
    assert.equal(r.csw.residue, 60);
    const zero = await readyBot({ media: 'cd-rom', shortDataIn: 'pad-zero-residue' });
    const z = await zero.bot.run({ cdb: Cdb.inquiry(96), dataIn: 96 });
    assert.equal(z.data.length, 96);
    assert.equal(z.csw.residue, 0);
  });

  it('case 6 Hi=Di: all data, residue 0', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.run({ cdb: Cdb.readCapacity(), dataIn: 8 });
    assert.equal(r.data.length, 8);
    assert.deepEqual([r.csw.status, r.csw.residue, r.dataStalled, r.cswStalls], [0, 0, false, 0]);
  });

  it('case 7 Hi<Di: H bytes then phase error (or truncation behind a switch)', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.run({ cdb: Cdb.inquiry(36), dataIn: 20 });
    assert.equal(r.data.length, 20);
    assert.equal(r.csw.status, 2);
    const t = await readyBot({ media: 'cd-rom', truncatedDataIn: 'truncate' });
    const r2 = await t.bot.run({ cdb: Cdb.inquiry(36), dataIn: 20 });
    assert.deepEqual([r2.data.length, r2.csw.status, r2.csw.residue], [20, 0, 0]);
  });

  it('case 8 Hi<>Do: bulk-in STALL and phase error', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const r = await bot.run({ cdb: Cdb.write10(0, 1), dataIn: 2048 });
    assert.equal(r.dataStalled, true);
    assert.equal(r.csw.status, 2);
  });

  it('case 9 Ho>Dn: data accepted and discarded (or STALLed), residue = H', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.run({ cdb: Cdb.testUnitReady(), dataOut: new Uint8Array(512) });
    assert.equal(r.dataStalled, false);
    assert.deepEqual([r.csw.status, r.csw.residue], [0, 512]);
    const s = await readyBot({ media: 'cd-rom', excessDataOut: 'stall' });
    const r2 = await s.bot.run({ cdb: Cdb.testUnitReady(), dataOut: new Uint8Array(512) });
    assert.equal(r2.dataStalled, true);
    assert.deepEqual([r2.csw.status, r2.csw.residue], [0, 512]);
  });

  it('case 10 Ho<>Di: bulk-out STALL and phase error', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.run({ cdb: Cdb.inquiry(36), dataOut: new Uint8Array(36) });
    assert.equal(r.dataStalled, true);
    assert.equal(r.csw.status, 2);
  });

  it('case 11 Ho>Do: residue = difference; the extra is discarded or STALLed', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    const data = new Uint8Array(4096).fill(0x5a);
    const r = await bot.run({ cdb: Cdb.write10(0, 1), dataOut: data });
    assert.deepEqual([r.csw.status, r.csw.residue, r.dataStalled], [0, 2048, false]);
    assert.equal(recorder.state.disc?.nextWritableAddress, 1);
    const s = await readyBot({ media: 'cd-r', excessDataOut: 'stall' });
    const r2 = await s.bot.run({ cdb: Cdb.write10(0, 1), dataOut: data });
    assert.deepEqual([r2.csw.status, r2.csw.residue, r2.dataStalled], [0, 2048, true]);
  });

  it('case 12 Ho=Do: status 0, residue 0', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const r = await bot.run({ cdb: Cdb.write10(0, 2), dataOut: new Uint8Array(4096) });
    assert.deepEqual([r.csw.status, r.csw.residue], [0, 0]);
  });

  it('case 13 Ho<Do: phase error', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    const r = await bot.run({ cdb: Cdb.write10(0, 2), dataOut: new Uint8Array(2048) });
    assert.equal(r.csw.status, 2);
  });

  it('a failing data-in command STALLs with residue H and CHECK CONDITION', async () => {
    const { bot } = await readyBot();
    const r = await bot.exec({ cdb: Cdb.readCapacity(), dataIn: 8 });
    assert.equal(r.dataStalled, true);
    assert.deepEqual([r.csw.status, r.csw.residue], [1, 8]);
    assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [2, 0x3a, 0x01]);
  });

  it('a CSW read into a buffer smaller than 13 bytes is babble', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    await bot.sendCbw({ cdb: Cdb.testUnitReady() }, 77);
    const r = await recorder.device.transferIn(1, 12);
    assert.equal(r.status, 'babble');
    assert.equal(r.data!.byteLength, 12);
  });

  it('more OUT bytes than dCBWDataTransferLength in one transfer: the rest is STALLed', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    await bot.sendCbw({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }, 78);
    const r = await recorder.device.transferOut(2, new Uint8Array(3000));
    assert.deepEqual([r.status, r.bytesWritten], ['stall', 2048]);
    await recorder.device.clearHalt('out', 2);
    const { csw } = await bot.readCsw();
    assert.deepEqual([csw.status, csw.residue], [0, 0]);
  });
});

describe('data phases across many transfers', T, () => {
  it('writes in odd-sized transfers and reads back in others', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    const data = new Uint8Array(256 * 2048);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 11)) & 0xff;
    const w = await bot.run({ cdb: Cdb.write10(0, 256), dataOut: data, chunk: 1000 });
    assert.deepEqual([w.csw.status, w.csw.residue], [0, 0]);
    const r = await bot.run({ cdb: Cdb.read10(0, 256), dataIn: data.length, chunk: 777 });
    assert.equal(r.csw.status, 0);
    assert.deepEqual(r.data, data);
  });

  it('a transferIn larger than the rest of the phase returns only the rest', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    await bot.sendCbw({ cdb: Cdb.read10(16, 1), dataIn: 2048 }, 11);
    const first = await recorder.device.transferIn(1, 1500);
    assert.equal(first.data!.byteLength, 1500);
    const rest = await recorder.device.transferIn(1, 65536);
    assert.equal(rest.data!.byteLength, 548);
    const { csw } = await bot.readCsw(0);
    assert.deepEqual([csw.status, csw.residue], [0, 0]);
  });

  it(
    'streams 1 GiB out and in through many transfers without holding it',
    { timeout: 60_000 },
    async () => {
      const store = new DiscardSectorStore();
      const { recorder, bot } = await readyBot({
        media: 'bd-re',
        formatted: true,
        storeFactory: () => store,
      });
      const chunk = new Uint8Array(8 * 1024 * 1024).fill(0xa5);
      const blocksPerCommand = 16384; // 32 MiB per WRITE(10)
      const commands = 32; // 1 GiB
      for (let c = 0; c < commands; c++) {
        const tag = bot.nextTag();
        await bot.sendCbw(
          {
            cdb: Cdb.write10(c * blocksPerCommand, blocksPerCommand),
            dataOut: new Uint8Array(0),
            hostLength: blocksPerCommand * 2048,
          },
          tag,
        );
        for (let sent = 0; sent < blocksPerCommand * 2048; sent += chunk.length) {
          const r = await recorder.device.transferOut(2, chunk);
          assert.equal(r.bytesWritten, chunk.length);
        }
        const { csw } = await bot.readCsw(0);
        assert.deepEqual([csw.tag, csw.status, csw.residue], [tag, 0, 0]);
      }
      assert.equal(store.bytesWritten, 1024 * 1024 * 1024);
      assert.equal(store.bytesHeld, 0);
      const r = await bot.run({
        cdb: Cdb.read10(0, 65535),
        dataIn: 65535 * 2048,
        chunk: 8 * 1024 * 1024,
      });
      assert.deepEqual([r.csw.status, r.data.length], [0, 65535 * 2048]);
      assert.equal(recorder.counters.sectorsWritten, commands * blocksPerCommand);
    },
  );

  it('transfers issued before the CBW wait (NAK) and are served in order', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    const dataP = recorder.device.transferIn(1, 8);
    const cswP = recorder.device.transferIn(1, 13);
    assert.equal(await stillPending(dataP), true);
    await bot.sendCbw({ cdb: Cdb.readCapacity(), dataIn: 8 }, 42);
    const data = await within(dataP, 1000);
    assert.equal(data.data!.byteLength, 8);
    const csw = decodeCsw(new Uint8Array((await within(cswP, 1000)).data!.buffer));
    assert.deepEqual([csw.tag, csw.status], [42, 0]);
  });
});

describe('disconnect and reconnect', T, () => {
  it('after a disconnect every call rejects with NotFoundError, pending ones too', async () => {
    const { recorder } = await readyBot({ media: 'cd-rom' });
    const d = recorder.device;
    const pending = d.transferIn(1, 13);
    recorder.disconnect();
    await rejectsWith(pending, 'NotFoundError');
    assert.equal(d.opened, false);
    assert.equal(recorder.state.connected, false);
    const setup = {
      requestType: 'class',
      recipient: 'interface',
      request: 0xfe,
      value: 0,
      index: 0,
    } as const;
    await rejectsWith(d.open(), 'NotFoundError');
    await rejectsWith(d.close(), 'NotFoundError');
    await rejectsWith(d.selectConfiguration(1), 'NotFoundError');
    await rejectsWith(d.claimInterface(0), 'NotFoundError');
    await rejectsWith(d.releaseInterface(0), 'NotFoundError');
    await rejectsWith(d.controlTransferIn(setup, 1), 'NotFoundError');
    await rejectsWith(d.controlTransferOut(setup), 'NotFoundError');
    await rejectsWith(d.transferIn(1, 13), 'NotFoundError');
    await rejectsWith(d.transferOut(2, new Uint8Array(31)), 'NotFoundError');
    await rejectsWith(d.clearHalt('in', 1), 'NotFoundError');
    await rejectsWith(d.reset(), 'NotFoundError');
  });

  it('reconnect() gives a new device that powers on with 6/29/00; the old one stays dead', async () => {
    const { recorder } = await readyBot({ media: 'cd-rom' });
    const old = recorder.device;
    recorder.disconnect();
    const fresh = recorder.reconnect();
    assert.notEqual(fresh, old);
    assert.equal(recorder.device, fresh);
    await rejectsWith(old.open(), 'NotFoundError');
    const bot = await new RawBot(fresh).open();
    const r = await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.deepEqual([r.sense?.key, r.sense?.asc], [6, 0x29]);
    assert.equal(recorder.state.mediaName, 'cd-rom');
    assert.equal(INTERFACE_NUMBER, 0);
  });

  it('a port reset (device.reset()) aborts transfers, clears halts and raises 6/29/00', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    await bot.run({ cdb: Cdb.preventAllow(true) });
    const pending = recorder.device.transferIn(1, 13);
    await recorder.device.reset();
    await rejectsWith(pending, 'AbortError');
    assert.equal(recorder.state.prevent, false);
    const r = await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.deepEqual([r.sense?.key, r.sense?.asc], [6, 0x29]);
    assert.equal(recorder.counters.portResets, 1);
  });
});

describe('needs-reset state survives close()', T, () => {
  it('after an invalid CBW, close() and open() do not end the STALL; reset recovery does', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    await recorder.device.transferOut(2, new Uint8Array(7));
    await recorder.device.close();
    await bot.open();
    await recorder.device.clearHalt('in', 1);
    assert.equal((await within(recorder.device.transferIn(1, 13), 1000)).status, 'stall');
    await bot.resetRecovery();
    const r = await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.equal(r.sense?.key, 6);
    assert.equal(recorder.device.botState.phase, 'cbw');
  });
});
