/**
 * CD Session At Once through SEND CUE SHEET (MMC-6 §6.33, §4.5.4.3), on the
 * wire with the raw BOT host. Cue sheets are built byte by byte here, from
 * the spec, independently of the host codec in usb-mass-storage.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEDIA } from './index.ts';
import { Cdb, readyBot, type RawBot } from './raw-bot.ts';

const T = { timeout: 20_000 };
type Exec = Awaited<ReturnType<RawBot['exec']>>;
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got sense ${JSON.stringify(r.sense)}`);
}
function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}

/** One 8-byte entry: CTL/ADR, TNO, INDEX, DATA FORM, SCMS, absolute time of `lba` (LBA -150 = 00:00:00). */
function entry(ctlAdr: number, tno: number, index: number, form: number, lba: number): number[] {
  const f = lba + 150;
  return [ctlAdr, tno, index, form, 0, Math.floor(f / 4500), Math.floor(f / 75) % 60, f % 75];
}
const sheet = (...entries: number[][]) => Uint8Array.from(entries.flat());
const DATA = 0x41; // CTL 4 (data track), ADR 1 (position)

/** Lead-in, track 1 (generated or sent pre-gap), lead-out after `sectors`. */
function oneTrack(sectors: number, pregapForm = 0x14): Uint8Array {
  return sheet(
    entry(DATA, 0, 0, 0x14, -150),
    entry(DATA, 1, 0, pregapForm, -150),
    entry(DATA, 1, 1, 0x10, 0),
    entry(DATA, 0xaa, 1, 0x14, sectors),
  );
}

const pattern = (lba: number, count: number) => {
  const b = new Uint8Array(count * 2048);
  for (let i = 0; i < count; i++) b.fill((lba + i) & 0xff, i * 2048, (i + 1) * 2048);
  return b;
};

/** MODE SELECT page 05h: write type SAO, MULTI-SESSION `ms`, TEST WRITE `test`. */
async function saoMode(bot: RawBot, options: { ms?: number; test?: boolean } = {}) {
  const r = await bot.exec({ cdb: Cdb.modeSense10(0x05), dataIn: 1024 });
  const page = r.data.slice(8, 8 + 52);
  page[0] = page[0]! & 0x3f;
  page[2] = (page[2]! & 0xe0) | (options.test ? 0x10 : 0) | 2;
  page[3] = (page[3]! & 0x3f) | ((options.ms ?? 0) << 6);
  const list = new Uint8Array(8 + page.length);
  list.set(page, 8);
  expectGood(await bot.exec({ cdb: Cdb.modeSelect10(list.length), dataOut: list }));
}

const sendCue = (bot: RawBot, cue: Uint8Array) =>
  bot.exec({ cdb: Cdb.sendCueSheet(cue.length), dataOut: cue });

const write = (bot: RawBot, lba: number, count: number) =>
  bot.exec({ cdb: Cdb.write10(lba >>> 0, count), dataOut: pattern(lba, count) });

describe('SAO: one data track on a blank CD-R', T, () => {
  it('cue sheet, WRITEs from LBA 0, SYNCHRONIZE CACHE closes: TOC, disc and track info', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot);
    expectGood(await sendCue(bot, oneTrack(400)));
    for (let lba = 0; lba < 400; lba += 100) expectGood(await write(bot, lba, 100));
    // Still open until the drive has written the lead-out.
    assert.equal(recorder.state.disc?.status, 1);
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.status, 2);

    const toc = await bot.exec({ cdb: Cdb.readToc(0), dataIn: 2048 });
    expectGood(toc);
    assert.deepEqual([be16(toc.data, 0), toc.data[2], toc.data[3]], [18, 1, 1]);
    assert.deepEqual([toc.data[5], toc.data[6], be32(toc.data, 8)], [0x14, 1, 0]);
    assert.deepEqual([toc.data[14], be32(toc.data, 16)], [0xaa, 400]);
    const msf = await bot.exec({ cdb: Cdb.readToc(0, { msf: true }), dataIn: 2048 });
    assert.deepEqual([...msf.data.subarray(16, 20)], [0, 0, 7, 25]); // 400 + 150 = 00:07:25
    const full = await bot.exec({ cdb: Cdb.readToc(2), dataIn: 2048 });
    const rows = (be16(full.data, 0) - 2) / 11;
    const points = Array.from({ length: rows }, (_, i) => full.data[4 + 11 * i + 3]);
    assert.deepEqual(points, [0xa0, 0xa1, 0xa2, 1]); // finalized: no B0
    const session = await bot.exec({ cdb: Cdb.readToc(1), dataIn: 12 });
    assert.deepEqual([session.data[3], session.data[6], be32(session.data, 8)], [1, 1, 0]);

    const di = await bot.exec({ cdb: Cdb.readDiscInformation(), dataIn: 34 });
    assert.deepEqual(
      [di.data[2]! & 0x0f, di.data[4], di.data[5], di.data[6]],
      [(3 << 2) | 2, 1, 1, 1], // last session complete, disc complete, 1 session, track 1..1
    );
    const ti = await bot.exec({ cdb: Cdb.readTrackInformation(1, 1), dataIn: 48 });
    assert.deepEqual(
      [be32(ti.data, 8), be32(ti.data, 24), ti.data[6]! & 0x40, ti.data[7]! & 1],
      [0, 400, 0, 0], // start 0, size 400, not blank, no NWA
    );
    const cap = await bot.exec({ cdb: Cdb.readCapacity(), dataIn: 8 });
    assert.equal(be32(cap.data, 0), 399);
    const rd = await bot.exec({ cdb: Cdb.read10(250, 2), dataIn: 4096 });
    assert.deepEqual([rd.data[0], rd.data[2048]], [250, 251]);
    assert.equal(recorder.counters.sectorsWritten, 400);
    // The session is closed: no second cue sheet, no more writes.
    expectSense(await sendCue(bot, oneTrack(400)), 5, 0x2c, 0);
    expectSense(await write(bot, 400, 1), 5, 0x2c, 0);
  });

  it('MULTI-SESSION 11b leaves the disc appendable with the next session after the gap', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rw' });
    await saoMode(bot, { ms: 3 });
    expectGood(await sendCue(bot, oneTrack(300)));
    expectGood(await write(bot, 0, 300));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache(true) }));
    const disc = recorder.state.disc!;
    assert.deepEqual([disc.status, disc.lastSessionState, disc.sessions], [1, 0, 2]);
    const gap = MEDIA['cd-rw'].sessionGap.first;
    assert.equal(disc.nextWritableAddress, 300 + gap);
    const full = await bot.exec({ cdb: Cdb.readToc(2), dataIn: 2048 });
    const rows = (be16(full.data, 0) - 2) / 11;
    assert.equal(full.data[4 + 11 * (rows - 1) + 3], 0xb0);
    const toc = await bot.exec({ cdb: Cdb.readToc(0), dataIn: 2048 });
    assert.equal(be32(toc.data, 16), 300);
  });

  it('a pre-gap the host sends starts at LBA -150 (FFFFFF6Ah) and is not user data', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot);
    expectGood(await sendCue(bot, oneTrack(300, 0x10)));
    expectSense(await write(bot, 0, 10), 5, 0x21, 0x02);
    expectGood(await write(bot, -150, 100));
    expectGood(await write(bot, -50, 80)); // the last 50 pre-gap blocks and LBA 0..29
    expectGood(await write(bot, 30, 270));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.tracks[0]?.recorded, 300);
    const rd = await bot.exec({ cdb: Cdb.read10(0, 1), dataIn: 2048 });
    assert.equal(rd.data[0], 0);
    const rd29 = await bot.exec({ cdb: Cdb.read10(29, 1), dataIn: 2048 });
    assert.equal(rd29.data[0], 29);
    assert.equal(recorder.counters.sectorsWritten, 450);
  });

  it('two tracks: a generated pre-gap is skipped by the host; TOC and track information', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot);
    const cue = sheet(
      entry(DATA, 0, 0, 0x01, -150),
      entry(DATA, 1, 0, 0x14, -150),
      entry(DATA, 1, 1, 0x10, 0),
      entry(DATA, 2, 0, 0x14, 300),
      entry(DATA, 2, 1, 0x10, 450),
      entry(DATA, 2, 2, 0x10, 600), // an index point: sub-channel only
      entry(DATA, 0xaa, 1, 0x01, 750),
    );
    expectGood(await sendCue(bot, cue));
    expectSense(await write(bot, 250, 100), 5, 0x21, 0x02); // not the next block
    expectGood(await write(bot, 0, 250));
    expectSense(await write(bot, 250, 100), 5, 0x21, 0x02); // runs into the generated pre-gap
    expectGood(await write(bot, 250, 50));
    expectSense(await write(bot, 300, 1), 5, 0x21, 0x02); // the drive writes 300..449 itself
    expectSense(await write(bot, 450, 301), 5, 0x21, 0x00); // past the lead-out
    expectGood(await write(bot, 450, 300));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) })); // CLOSE SESSION also closes
    const toc = await bot.exec({ cdb: Cdb.readToc(0), dataIn: 2048 });
    assert.deepEqual(
      [toc.data[3], be32(toc.data, 8), toc.data[14], be32(toc.data, 16), be32(toc.data, 24)],
      [2, 0, 2, 450, 750],
    );
    const t1 = await bot.exec({ cdb: Cdb.readTrackInformation(1, 1), dataIn: 48 });
    const t2 = await bot.exec({ cdb: Cdb.readTrackInformation(1, 2), dataIn: 48 });
    assert.deepEqual([be32(t1.data, 8), be32(t1.data, 24)], [0, 300]);
    assert.deepEqual([be32(t2.data, 8), be32(t2.data, 24)], [450, 300]);
    const di = await bot.exec({ cdb: Cdb.readDiscInformation(), dataIn: 34 });
    assert.deepEqual([di.data[2]! & 3, di.data[5], di.data[6]], [2, 1, 2]);
    const gap = await bot.exec({ cdb: Cdb.read10(300, 1), dataIn: 2048 });
    assert.ok(gap.data.every((b) => b === 0)); // generated pre-gap: zeros
  });

  it('ADR 2 (catalog number) entries are taken and ignored', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot);
    const mcn = [0x02, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37];
    expectGood(await sendCue(bot, Uint8Array.from([...mcn, ...oneTrack(300)])));
    expectGood(await write(bot, 0, 300));
  });
});

describe('SAO: session control', T, () => {
  it('SYNCHRONIZE CACHE before the last block only flushes; CLOSE TRACK/SESSION are 5/2C/00', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot);
    expectGood(await sendCue(bot, oneTrack(300)));
    expectGood(await write(bot, 0, 200));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.status, 1);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) }), 5, 0x2c, 0);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(2) }), 5, 0x2c, 0);
    expectSense(await sendCue(bot, oneTrack(300)), 5, 0x2c, 0); // a session is under way
    expectGood(await write(bot, 200, 100));
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) }), 5, 0x2c, 0);
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.status, 2);
  });

  it('a new cue sheet before any WRITE replaces the first', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot);
    expectGood(await sendCue(bot, oneTrack(1000)));
    expectGood(await sendCue(bot, oneTrack(300)));
    expectSense(await write(bot, 0, 301), 5, 0x21, 0);
    expectGood(await write(bot, 0, 300));
  });

  it('BLANK of a CD-RW forgets the cue sheet and the disc takes a new one', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rw' });
    await saoMode(bot);
    expectGood(await sendCue(bot, oneTrack(300)));
    expectGood(await write(bot, 0, 300));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    expectGood(await bot.exec({ cdb: Cdb.blank(1) }));
    assert.equal(recorder.state.disc?.status, 0);
    expectSense(await write(bot, 0, 1), 5, 0x2c, 0);
    expectGood(await sendCue(bot, oneTrack(500)));
    expectGood(await write(bot, 0, 500));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.tracks[0]?.size, 500);
  });

  it('TEST WRITE: the whole SAO run is simulated; the disc stays blank for the real one', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot, { test: true });
    expectGood(await sendCue(bot, oneTrack(300)));
    expectGood(await write(bot, 0, 300));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.status, 0);
    assert.equal(recorder.counters.sectorsSimulated, 300);
    assert.equal(recorder.counters.sectorsWritten, 0);
    // The simulated session consumed its cue sheet, as a real one would.
    expectSense(await write(bot, 0, 1), 5, 0x2c, 0);
    await saoMode(bot);
    expectGood(await sendCue(bot, oneTrack(300)));
    expectGood(await write(bot, 0, 300));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.status, 2);
  });

  it('a new page 05h ends a simulated SAO session half-way', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot, { test: true });
    expectGood(await sendCue(bot, oneTrack(300)));
    expectGood(await write(bot, 0, 100));
    await saoMode(bot);
    expectSense(await write(bot, 100, 1), 5, 0x2c, 0);
    expectGood(await sendCue(bot, oneTrack(300)));
    expectGood(await write(bot, 0, 300));
    expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
    assert.equal(recorder.state.disc?.tracks[0]?.recorded, 300);
  });
});

describe('SAO: refusals', T, () => {
  it('wrong mode, medium or disc state: 5/2C/00, 5/30/05, 7/27/00', async () => {
    const tao = await readyBot({ media: 'cd-r' });
    expectSense(await sendCue(tao.bot, oneTrack(300)), 5, 0x2c, 0); // page 05h says TAO
    for (const media of ['dvd-r', 'cd-rom', 'bd-r'] as const) {
      const other = await readyBot({ media });
      await saoMode(other.bot);
      expectSense(await sendCue(other.bot, oneTrack(300)), 5, 0x30, 0x05);
    }
    const used = await readyBot({ media: 'cd-r' });
    expectGood(await write(used.bot, 0, 10)); // TAO: no longer blank
    await saoMode(used.bot);
    expectSense(await sendCue(used.bot, oneTrack(300)), 5, 0x2c, 0);
    const locked = await readyBot({ media: 'cd-r' });
    await saoMode(locked.bot);
    locked.recorder.writeProtected = true;
    expectSense(await sendCue(locked.bot, oneTrack(300)), 7, 0x27, 0);
    const none = await readyBot();
    expectSense(await sendCue(none.bot, oneTrack(300)), 2, 0x3a, 0x01);
  });

  it('CUE SHEET SIZE: partial entries and more than 3840 bytes are 5/24/00; zero is GOOD', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    await saoMode(bot);
    const cue = oneTrack(300);
    expectSense(
      await bot.exec({ cdb: Cdb.sendCueSheet(cue.length - 1), dataOut: cue.subarray(0, -1) }),
      5,
      0x24,
      0,
    );
    const big = new Uint8Array(3848);
    expectSense(await bot.exec({ cdb: Cdb.sendCueSheet(big.length), dataOut: big }), 5, 0x24, 0);
    expectGood(await bot.exec({ cdb: Cdb.sendCueSheet(0) }));
    expectSense(await write(bot, 0, 1), 5, 0x2c, 0); // nothing was cued
  });

  const invalid: [string, Uint8Array][] = [
    [
      'no lead-in',
      sheet(
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x10, 0),
        entry(DATA, 0xaa, 1, 0x14, 300),
      ),
    ],
    [
      'lead-in data sent by the host',
      sheet(
        entry(DATA, 0, 0, 0x10, -150),
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x10, 0),
        entry(DATA, 0xaa, 1, 0x14, 300),
      ),
    ],
    [
      'no lead-out',
      sheet(
        entry(DATA, 0, 0, 0x14, -150),
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x10, 0),
      ),
    ],
    [
      'track 1 starts after 00:02:00',
      sheet(
        entry(DATA, 0, 0, 0x14, -150),
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x10, 75),
        entry(DATA, 0xaa, 1, 0x14, 400),
      ),
    ],
    [
      'track 1 without a pre-gap',
      sheet(
        entry(DATA, 0, 0, 0x14, 0),
        entry(DATA, 1, 1, 0x10, 0),
        entry(DATA, 0xaa, 1, 0x14, 300),
      ),
    ],
    [
      'an audio track',
      sheet(
        entry(0x01, 0, 0, 0x01, -150),
        entry(0x01, 1, 0, 0x01, -150),
        entry(0x01, 1, 1, 0x00, 0),
        entry(0x01, 0xaa, 1, 0x01, 300),
      ),
    ],
    [
      'Mode 1 raw (2352 bytes) data form',
      sheet(
        entry(DATA, 0, 0, 0x14, -150),
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x11, 0),
        entry(DATA, 0xaa, 1, 0x14, 300),
      ),
    ],
    [
      'sub-channel data from the host',
      sheet(
        entry(DATA, 0, 0, 0x14, -150),
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x50, 0),
        entry(DATA, 0xaa, 1, 0x14, 300),
      ),
    ],
    ['a track under 4 seconds', oneTrack(299)],
    ['a lead-out past the disc', oneTrack(MEDIA['cd-r'].capacity + 1)],
    [
      'times going back',
      sheet(
        entry(DATA, 0, 0, 0x14, -150),
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x10, 0),
        entry(DATA, 2, 1, 0x10, 400),
        entry(DATA, 0xaa, 1, 0x14, 350),
      ),
    ],
    [
      'track 2 before track 1',
      sheet(
        entry(DATA, 0, 0, 0x14, -150),
        entry(DATA, 2, 0, 0x14, -150),
        entry(DATA, 2, 1, 0x10, 0),
        entry(DATA, 0xaa, 1, 0x14, 300),
      ),
    ],
    [
      'index 3 after index 1',
      sheet(
        entry(DATA, 0, 0, 0x14, -150),
        entry(DATA, 1, 0, 0x14, -150),
        entry(DATA, 1, 1, 0x10, 0),
        entry(DATA, 1, 3, 0x10, 100),
        entry(DATA, 0xaa, 1, 0x14, 300),
      ),
    ],
    ['ADR 4', Uint8Array.from([0x44, 1, 1, 0x10, 0, 0, 2, 0, ...oneTrack(300)])],
    [
      'SEC 60',
      Uint8Array.from([...oneTrack(300).subarray(0, 24), 0x41, 0xaa, 1, 0x14, 0, 0, 60, 0]),
    ],
  ];
  for (const [what, cue] of invalid) {
    it(`an invalid cue sheet is 5/26/00: ${what}`, async () => {
      const { recorder, bot } = await readyBot({ media: 'cd-r' });
      await saoMode(bot);
      expectSense(await sendCue(bot, cue), 5, 0x26, 0);
      expectSense(await write(bot, 0, 1), 5, 0x2c, 0);
      assert.equal(recorder.state.disc?.status, 0);
    });
  }
});
