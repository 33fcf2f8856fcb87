import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MEDIA_NAMES, type RecorderEvent } from './index.ts';
import { Cdb, readyBot, within, type RawCommand } from './raw-bot.ts';

const T = { timeout: 60_000 };
const OPCODES = [
  0x00, 0x03, 0x04, 0x12, 0x16, 0x17, 0x1b, 0x1e, 0x23, 0x25, 0x28, 0x2a, 0x35, 0x43, 0x46, 0x4a,
  0x51, 0x52, 0x53, 0x55, 0x5a, 0x5b, 0x5c, 0xa1, 0xbb, 0xbd, 0x1a, 0xff,
];

const commandArb = fc.record({
  opcode: fc.constantFrom(...OPCODES),
  rest: fc.uint8Array({ minLength: 15, maxLength: 15 }),
  cdbLength: fc.constantFrom(6, 10, 12, 16),
  direction: fc.constantFrom('none', 'in', 'out'),
  length: fc.integer({ min: 1, max: 6000 }),
  chunk: fc.constantFrom(13, 512, 1000, 4096, 65536),
});

describe('properties', T, () => {
  it('random commands: the device always answers with a well-formed CSW and never hangs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...MEDIA_NAMES),
        fc.array(commandArb, { minLength: 1, maxLength: 12 }),
        async (media, commands) => {
          const { recorder, bot } = await readyBot({ media });
          const failures: string[] = [];
          recorder.subscribe((e: RecorderEvent) => {
            if (e.type === 'invalid-cbw') failures.push(e.reason);
          });
          for (const c of commands) {
            const cdb = Uint8Array.from([c.opcode, ...c.rest]).subarray(0, c.cdbLength);
            const command: RawCommand =
              c.direction === 'none'
                ? { cdb }
                : c.direction === 'in'
                  ? { cdb, dataIn: c.length, chunk: c.chunk }
                  : { cdb, dataOut: new Uint8Array(c.length).fill(c.opcode), chunk: c.chunk };
            const r = await within(bot.run(command), 3000, `opcode ${c.opcode.toString(16)}`);
            const h = c.direction === 'none' ? 0 : c.length;
            assert.ok([0, 1, 2].includes(r.csw.status));
            assert.ok(r.csw.residue <= h);
            if (c.direction === 'in') assert.ok(r.data.length <= h);
            if (r.csw.status === 2) await within(bot.resetRecovery(), 3000, 'reset recovery');
          }
          assert.deepEqual(failures, []);
          assert.equal(recorder.log.filter((e) => e.status === 'aborted').length, 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('write-once media accept a write exactly at the NWA and keep every accepted block', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('cd-r', 'dvd-r', 'dvd+r', 'bd-r', 'dvd+r-dl'),
        fc.array(
          fc.record({
            skew: fc.integer({ min: -3, max: 3 }),
            blocks: fc.integer({ min: 1, max: 8 }),
          }),
          {
            minLength: 1,
            maxLength: 15,
          },
        ),
        async (media, writes) => {
          const { bot } = await readyBot({ media });
          let nwa = 0;
          const model: number[] = [];
          for (const [i, w] of writes.entries()) {
            const lba = Math.max(0, nwa + w.skew);
            const data = new Uint8Array(w.blocks * 2048).fill(i + 1);
            const r = await bot.exec({ cdb: Cdb.write10(lba, w.blocks), dataOut: data });
            if (lba === nwa) {
              assert.equal(r.csw.status, 0);
              for (let b = 0; b < w.blocks; b++) model.push(i + 1);
              nwa += w.blocks;
            } else {
              assert.deepEqual([r.csw.status, r.sense?.asc, r.sense?.ascq], [1, 0x21, 0x02]);
            }
          }
          if (model.length > 0) {
            const read = await bot.exec({
              cdb: Cdb.read10(0, model.length),
              dataIn: model.length * 2048,
            });
            assert.equal(read.csw.status, 0);
            model.forEach((v, b) => assert.equal(read.data[b * 2048 + 100], v));
          }
          const ti = await bot.exec({ cdb: Cdb.readTrackInformation(1, 0xff), dataIn: 48 });
          const got =
            ((ti.data[12]! << 24) | (ti.data[13]! << 16) | (ti.data[14]! << 8) | ti.data[15]!) >>>
            0;
          assert.equal(got, nwa);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('formatted media behave as random-access storage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('dvd+rw', 'bd-re'),
        fc.array(
          fc.record({
            lba: fc.integer({ min: 0, max: 200 }),
            blocks: fc.integer({ min: 1, max: 70 }),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (media, writes) => {
          const { bot } = await readyBot({ media, formatted: true });
          const model = new Map<number, number>();
          for (const [i, w] of writes.entries()) {
            const r = await bot.exec({
              cdb: Cdb.write10(w.lba, w.blocks),
              dataOut: new Uint8Array(w.blocks * 2048).fill(i + 1),
              chunk: 3000,
            });
            assert.equal(r.csw.status, 0);
            for (let b = 0; b < w.blocks; b++) model.set(w.lba + b, i + 1);
          }
          const read = await bot.exec({ cdb: Cdb.read10(0, 300), dataIn: 300 * 2048, chunk: 7777 });
          for (let b = 0; b < 300; b++) assert.equal(read.data[b * 2048 + 2047], model.get(b) ?? 0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
