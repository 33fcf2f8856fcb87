import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MEDIA,
  MEDIA_NAMES,
  VirtualRecorderError,
  createVirtualRecorder,
  isMediaName,
  mediaInfo,
  type MediaName,
} from './index.ts';
import { lbaToMsf } from './responses/fields.ts';
import { Cdb, readyBot, type RawBot } from './raw-bot.ts';

const T = { timeout: 10_000 };
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

type Exec = Awaited<ReturnType<RawBot['exec']>>;
function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got ${JSON.stringify(r.sense)}`);
}
function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}

function blocks(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n * 2048);
  for (let i = 0; i < b.length; i++) b[i] = (seed + i * 13 + (i >> 11) * 7) & 0xff;
  return b;
}

async function write(bot: RawBot, lba: number, data: Uint8Array): Promise<Exec> {
  return bot.exec({ cdb: Cdb.write10(lba, data.length / 2048), dataOut: data });
}

async function discInfo(bot: RawBot) {
  const r = await bot.exec({ cdb: Cdb.readDiscInformation(), dataIn: 34 });
  expectGood(r);
  const d = r.data;
  return {
    erasable: (d[2]! & 0x10) !== 0,
    lastSession: (d[2]! >> 2) & 3,
    status: d[2]! & 3,
    sessions: d[4]! | (d[9]! << 8),
    firstInLast: d[5]! | (d[10]! << 8),
    lastInLast: d[6]! | (d[11]! << 8),
    leadIn: be32(d, 16),
    leadOut: be32(d, 20),
  };
}

async function trackInfo(bot: RawBot, track: number) {
  const r = await bot.exec({ cdb: Cdb.readTrackInformation(1, track), dataIn: 48 });
  expectGood(r);
  const d = r.data;
  return {
    number: d[2]!,
    session: d[3]!,
    reserved: (d[6]! & 0x80) !== 0,
    blank: (d[6]! & 0x40) !== 0,
    nwaValid: (d[7]! & 1) !== 0,
    start: be32(d, 8),
    nwa: be32(d, 12),
    free: be32(d, 16),
    size: be32(d, 24),
  };
}

async function toc0(bot: RawBot, msf = false) {
  const r = await bot.exec({ cdb: Cdb.readToc(0, { msf }), dataIn: 2048 });
  expectGood(r);
  const n = (be16(r.data, 0) - 2) / 8;
  return {
    first: r.data[2]!,
    last: r.data[3]!,
    entries: Array.from({ length: n }, (_, i) => ({
      track: r.data[4 + i * 8 + 2]!,
      address: be32(r.data, 4 + i * 8 + 4),
    })),
  };
}

async function setMultisession(bot: RawBot, next: boolean, writeType = 1): Promise<void> {
  const s = await bot.exec({ cdb: Cdb.modeSense10(0x05), dataIn: 1024 });
  const page = s.data.slice(8, 8 + 52);
  page[2] = (page[2]! & 0xf0) | writeType;
  page[3] = (page[3]! & 0x3f) | (next ? 0xc0 : 0);
  const list = new Uint8Array(8 + page.length);
  list.set(page, 8);
  expectGood(await bot.exec({ cdb: Cdb.modeSelect10(list.length), dataOut: list }));
}

describe('MEDIA table', T, () => {
  it('lists every medium by name with profile and capacity', () => {
    assert.deepEqual(
      [...MEDIA_NAMES],
      [
        'cd-rom',
        'cd-r',
        'cd-rw',
        'dvd-rom',
        'dvd-r',
        'dvd-rw',
        'dvd-rw-ro',
        'dvd+r',
        'dvd+rw',
        'dvd+r-dl',
        'bd-r',
        'bd-re',
        'none',
      ],
    );
    const profiles = Object.fromEntries(MEDIA_NAMES.map((n) => [n, MEDIA[n].profile]));
    assert.deepEqual(profiles, {
      'cd-rom': 0x08,
      'cd-r': 0x09,
      'cd-rw': 0x0a,
      'dvd-rom': 0x10,
      'dvd-r': 0x11,
      'dvd-rw': 0x14,
      'dvd-rw-ro': 0x13,
      'dvd+r': 0x1b,
      'dvd+rw': 0x1a,
      'dvd+r-dl': 0x2b,
      'bd-r': 0x41,
      'bd-re': 0x43,
      none: 0,
    });
    for (const n of MEDIA_NAMES) {
      assert.equal(MEDIA[n].name, n);
      assert.ok(MEDIA[n].label.length > 0);
      if (n !== 'none') assert.ok(MEDIA[n].capacity > 0);
    }
    assert.equal(isMediaName('bd-re'), true);
    assert.equal(isMediaName('hd-dvd'), false);
  });

  it('unknown media names are a typed error', () => {
    assert.throws(
      () => mediaInfo('hd-dvd'),
      (e: unknown) =>
        e instanceof VirtualRecorderError &&
        e.code === 'unknown-media' &&
        e.hresultName === 'E_INVALIDARG',
    );
    assert.throws(
      () => createVirtualRecorder({ media: 'hd-dvd' as MediaName }),
      VirtualRecorderError,
    );
    const r = createVirtualRecorder();
    assert.throws(() => r.changeMedia('floppy' as MediaName), /unknown media "floppy"/);
  });

  it('bad options are a typed error', () => {
    assert.throws(() => createVirtualRecorder({ serial: '' }), VirtualRecorderError);
    assert.throws(
      () => createVirtualRecorder({ inquiry: { vendor: 'TOO LONG VENDOR' } }),
      VirtualRecorderError,
    );
    assert.throws(() => createVirtualRecorder({ bufferBytes: 0 }), VirtualRecorderError);
    assert.throws(
      () => createVirtualRecorder({ clock: { mode: 'scaled', factor: 0 } }),
      VirtualRecorderError,
    );
    assert.throws(
      () => createVirtualRecorder({ shortDataIn: 'maybe' as 'pad' }),
      VirtualRecorderError,
    );
  });
});

describe('write-once rules and the NWA', T, () => {
  it('R media: written only at the NWA, never overwritten', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd-r' });
    const a = blocks(16, 1);
    expectGood(await write(bot, 0, a));
    expectSense(await write(bot, 0, blocks(1, 9)), 5, 0x21, 0x02);
    expectSense(await write(bot, 17, blocks(1, 9)), 5, 0x21, 0x02);
    const b = blocks(16, 2);
    expectGood(await write(bot, 16, b));
    const r = await bot.exec({ cdb: Cdb.read10(0, 32), dataIn: 32 * 2048 });
    assert.deepEqual(r.data.subarray(0, a.length), a);
    assert.deepEqual(r.data.subarray(a.length), b);
    assert.equal(recorder.state.disc?.nextWritableAddress, 32);
    const di = await discInfo(bot);
    assert.deepEqual([di.status, di.lastSession, di.sessions], [1, 1, 1]);
  });

  it('CD-R TAO: close track, the next track after the run-out, close session finalizes', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    expectGood(await write(bot, 0, blocks(150, 3)));
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(1, 2) }), 5, 0x24, 0);
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) }));
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) }), 5, 0x2c, 0);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(1, 2) }), 5, 0x2c, 0); // empty track
    const t1 = await trackInfo(bot, 1);
    assert.deepEqual([t1.size, t1.nwaValid, t1.free], [150, false, 0]);
    const t2 = await trackInfo(bot, 0xff);
    assert.deepEqual(
      [t2.number, t2.start, t2.nwa, t2.nwaValid, t2.blank],
      [2, 152, 152, true, true],
    );
    expectSense(await write(bot, 150, blocks(1, 1)), 5, 0x21, 0x02);
    expectGood(await write(bot, 152, blocks(10, 4)));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) })); // MULTI-SESSION 00b: finalize
    const di = await discInfo(bot);
    assert.deepEqual([di.status, di.lastSession, di.sessions, di.lastInLast], [2, 3, 1, 2]);
    assert.deepEqual([di.leadIn, di.leadOut], [0xffffffff, 0xffffffff]);
    const toc = await toc0(bot);
    assert.deepEqual(toc.entries, [
      { track: 1, address: 0 },
      { track: 2, address: 152 },
      { track: 0xaa, address: 162 },
    ]);
    expectSense(await write(bot, 162, blocks(1, 1)), 5, 0x21, 0x02);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(2) }), 5, 0x2c, 0);
    expectSense(await bot.exec({ cdb: Cdb.reserveTrack(10) }), 5, 0x2c, 0);
    assert.equal(recorder.state.disc?.status, 2);
  });

  it('CD-R multisession: TOC, session info, full TOC and disc information stay consistent', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    await setMultisession(bot, true);
    expectGood(await write(bot, 0, blocks(50, 5)));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
    let di = await discInfo(bot);
    assert.deepEqual(
      [di.status, di.lastSession, di.sessions, di.firstInLast, di.lastInLast],
      [1, 0, 2, 2, 2],
    );
    const second = 50 + 6750 + 4500 + 150;
    const t2 = await trackInfo(bot, 0xff);
    assert.deepEqual([t2.number, t2.session, t2.start, t2.nwa], [2, 2, second, second]);
    const [m, sec, f] = lbaToMsf(MEDIA['cd-r'].capacity);
    assert.equal(di.leadOut, (m << 16) | (sec << 8) | f); // 00 M S F on CD
    expectGood(await write(bot, second, blocks(20, 6)));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
    const toc = await toc0(bot);
    assert.deepEqual(toc.entries, [
      { track: 1, address: 0 },
      { track: 2, address: second },
      { track: 0xaa, address: second + 20 },
    ]);
    const s = await bot.exec({ cdb: Cdb.readToc(1), dataIn: 12 });
    assert.deepEqual([s.data[2], s.data[3], s.data[6], be32(s.data, 8)], [1, 2, 2, second]);
    const full = await bot.exec({ cdb: Cdb.readToc(2), dataIn: 4096 });
    const n = (be16(full.data, 0) - 2) / 11;
    const rows = Array.from({ length: n }, (_, i) =>
      full.data.subarray(4 + i * 11, 4 + i * 11 + 11),
    );
    assert.deepEqual(
      rows.map((r) => [r[0], r[3]]),
      [
        [1, 0xa0],
        [1, 0xa1],
        [1, 0xa2],
        [1, 1],
        [2, 0xa0],
        [2, 0xa1],
        [2, 0xa2],
        [2, 2],
        [2, 0xb0],
      ],
    );
    const third = second + 20 + 2250 + 4500 + 150;
    const b0 = rows[8]!;
    assert.equal(b0[1], 0x54);
    assert.deepEqual([...b0.subarray(4, 7)], lbaToMsf(third));
    di = await discInfo(bot);
    assert.deepEqual([di.status, di.sessions, di.firstInLast], [1, 3, 3]);
    // The gap between sessions (lead-out, lead-in) is not addressable, as on a
    // real disc; past the last session is out of range too.
    expectSense(await bot.exec({ cdb: Cdb.read10(100, 1), dataIn: 2048 }), 5, 0x21, 0);
    expectSense(await bot.exec({ cdb: Cdb.read10(second + 20, 1), dataIn: 2048 }), 5, 0x21, 0);
    // Closing the empty session with MULTI-SESSION 00b finalizes the disc.
    await setMultisession(bot, false);
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
    di = await discInfo(bot);
    assert.deepEqual([di.status, di.sessions], [2, 2]);
  });

  it('a blank disc cannot close a session or finalize; an empty track cannot be closed', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(2) }), 5, 0x2c, 0);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(6) }), 5, 0x2c, 0);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) }), 5, 0x2c, 0);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(7) }), 5, 0x24, 0);
  });

  it('DVD+R: close session stays appendable, function 6 finalizes; BD-R function 5 finalizes', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    expectGood(await write(bot, 0, blocks(32, 7)));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
    let di = await discInfo(bot);
    assert.deepEqual([di.status, di.sessions], [1, 2]);
    const next = await trackInfo(bot, 0xff);
    assert.equal(next.start, 32 + 16384);
    assert.equal(di.leadIn, next.start);
    assert.equal(di.leadOut, MEDIA['dvd+r'].capacity);
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(6) }));
    di = await discInfo(bot);
    assert.deepEqual([di.status, di.sessions], [2, 1]);
    const bd = await readyBot({ media: 'bd-r' });
    expectGood(await write(bd.bot, 0, blocks(32, 8)));
    expectGood(await bd.bot.exec({ cdb: Cdb.closeTrackSession(5) }));
    assert.equal((await discInfo(bd.bot)).status, 2);
    const cd = await readyBot({ media: 'cd-r' });
    expectGood(await write(cd.bot, 0, blocks(1, 8)));
    expectSense(await cd.bot.exec({ cdb: Cdb.closeTrackSession(6) }), 5, 0x24, 0);
  });

  it('DVD-R: close session finalizes unless MULTI-SESSION is 11b', async () => {
    const { bot } = await readyBot({ media: 'dvd-r' });
    await setMultisession(bot, true, 0);
    expectGood(await write(bot, 0, blocks(16, 1)));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
    assert.equal((await discInfo(bot)).status, 1);
    await setMultisession(bot, false, 0);
    expectGood(await write(bot, 16 + 16384, blocks(16, 1)));
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
    const di = await discInfo(bot);
    assert.deepEqual([di.status, di.sessions], [2, 2]);
  });

  it('RESERVE TRACK: a fixed track, the next invisible track after it, refusals', async () => {
    const { bot } = await readyBot({ media: 'dvd-r' });
    expectSense(await bot.exec({ cdb: Cdb.reserveTrack(0) }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.reserveTrack(16, true) }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.reserveTrack(MEDIA['dvd-r'].capacity + 1) }), 5, 0x24, 0);
    expectGood(await bot.exec({ cdb: Cdb.reserveTrack(100) }));
    const t1 = await trackInfo(bot, 1);
    assert.deepEqual(
      [t1.reserved, t1.size, t1.free, t1.nwa, t1.nwaValid],
      [true, 100, 100, 0, true],
    );
    const t2 = await trackInfo(bot, 0xff);
    assert.deepEqual([t2.number, t2.start], [2, 100]);
    expectGood(await write(bot, 100, blocks(10, 1))); // the invisible track is writable too
    expectSense(await bot.exec({ cdb: Cdb.reserveTrack(50) }), 5, 0x2c, 0); // not empty any more
    expectGood(await write(bot, 0, blocks(100, 2)));
    const full = await trackInfo(bot, 1);
    assert.deepEqual([full.nwaValid, full.free], [false, 0]); // complete once written to its end
    const rom = await readyBot({ media: 'cd-rom' });
    expectSense(await rom.bot.exec({ cdb: Cdb.reserveTrack(10) }), 5, 0x30, 0x05);
    const rw = await readyBot({ media: 'bd-re', formatted: true });
    expectSense(await rw.bot.exec({ cdb: Cdb.reserveTrack(10) }), 5, 0x30, 0x05);
  });
});

describe('erasable media (BLANK)', T, () => {
  for (const media of ['cd-rw', 'dvd-rw'] as const) {
    for (const type of [0, 1]) {
      it(`${media}: BLANK type ${type} makes a finalized disc blank and writable again`, async () => {
        const { recorder, bot } = await readyBot({ media });
        expectGood(await write(bot, 0, blocks(32, 1)));
        expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(2) }));
        assert.equal((await discInfo(bot)).status, 2);
        expectGood(await bot.exec({ cdb: Cdb.blank(type) }));
        const di = await discInfo(bot);
        assert.deepEqual([di.status, di.erasable, di.sessions], [0, true, 1]);
        expectSense(await bot.exec({ cdb: Cdb.read10(0, 1), dataIn: 2048 }), 5, 0x21, 0);
        if (media === 'dvd-rw' && type === 1) {
          // A minimally blanked DVD-RW writes disc-at-once only (real-drive-writing.test.ts).
          expectSense(await write(bot, 0, blocks(4, 2)), 5, 0x64, 0);
          return;
        }
        expectGood(await write(bot, 0, blocks(4, 2)));
        assert.equal(recorder.state.disc?.nextWritableAddress, 4);
      });
    }
  }

  it('BLANK refusals: other blanking types 5/24/00; non-erasable media 5/30/05', async () => {
    const { bot } = await readyBot({ media: 'cd-rw' });
    expectSense(await bot.exec({ cdb: Cdb.blank(2) }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.blank(6) }), 5, 0x24, 0);
    for (const media of ['cd-r', 'dvd+rw', 'cd-rom', 'bd-re'] as const) {
      const r = await readyBot({ media });
      expectSense(await r.bot.exec({ cdb: Cdb.blank(0) }), 5, 0x30, 0x05);
    }
  });
});

describe('formattable media (FORMAT UNIT)', T, () => {
  it('DVD+RW: blank until format 26h, then complete and random-writable', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+rw' });
    let di = await discInfo(bot);
    assert.deepEqual([di.status, di.erasable], [0, true]);
    expectGood(
      await bot.exec({ cdb: Cdb.formatUnit(), dataOut: Cdb.formatList(0x26, 0xffffffff) }),
    );
    di = await discInfo(bot);
    assert.deepEqual([di.status, di.lastSession], [2, 3]);
    const cap = await bot.exec({ cdb: Cdb.readCapacity(), dataIn: 8 });
    assert.equal(be32(cap.data, 0), MEDIA['dvd+rw'].capacity - 1);
    expectGood(await write(bot, 1000, blocks(2, 1)));
    expectGood(await write(bot, 5, blocks(2, 2)));
    const over = blocks(1, 3);
    expectGood(await write(bot, 6, over)); // overwrite
    const r = await bot.exec({ cdb: Cdb.read10(4, 3), dataIn: 3 * 2048 });
    assert.ok(r.data.subarray(0, 2048).every((b) => b === 0)); // never written: zeros
    assert.deepEqual(r.data.subarray(2048, 4096), blocks(2, 2).subarray(0, 2048));
    assert.deepEqual(r.data.subarray(4096), over);
    expectGood(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) })); // nothing to close
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(5) }), 5, 0x24, 0);
    assert.equal(recorder.state.disc?.formatted, true);
  });

  it('BD-RE: a descriptor READ FORMAT CAPACITIES lists (30h default, most spares, 31h none); disc status 3', async () => {
    const { bot } = await readyBot({ media: 'bd-re' });
    const last = async () => be32((await bot.exec({ cdb: Cdb.readCapacity(), dataIn: 8 })).data, 0);
    const format = (type: number, blocks: number, param: number, subtype = 0) =>
      bot.exec({
        cdb: Cdb.formatUnit(),
        dataOut: Cdb.formatList(type, blocks, { param, subtype }),
      });
    expectGood(await format(0x30, 11_826_176, 0x3000));
    assert.equal(await last(), 11_826_176 - 1);
    assert.equal((await discInfo(bot)).status, 3);
    expectGood(await format(0x30, 11_564_032, 0x5000, 3));
    assert.equal(await last(), 11_564_032 - 1);
    expectGood(await format(0x31, 12_219_392, 0x800));
    assert.equal(await last(), 12_219_392 - 1);
    expectGood(await format(0x00, 11_826_176, 0x3000));
    assert.equal(await last(), 11_826_176 - 1);
    expectGood(await bot.exec({ cdb: Cdb.formatUnit(false) }));
    assert.equal(await last(), 11_826_176 - 1);
  });

  it('FORMAT UNIT refusals: invented descriptors, subtypes the drive does not offer', async () => {
    const { bot } = await readyBot({ media: 'bd-re' });
    const bad = async (list: Uint8Array) =>
      expectSense(await bot.exec({ cdb: Cdb.formatUnit(), dataOut: list }), 5, 0x26, 0);
    await bad(Cdb.formatList(0x26, 0)); // a DVD+RW type on BD-RE
    await bad(Cdb.formatList(0x30, 0)); // no such size
    await bad(Cdb.formatList(0x30, 0xffffffff, { param: 0x3000 }));
    await bad(Cdb.formatList(0x30, 11_826_176)); // the type dependent parameter left out
    await bad(Cdb.formatList(0x30, 12_000_000, { param: 0x3000 })); // a size not listed
    await bad(Cdb.formatList(0x00, 11_826_176, { param: 0x3000, subtype: 2 }));
    const shortDescriptor = Cdb.formatList(0x30, 11_826_176, { param: 0x3000 });
    shortDescriptor[3] = 4;
    await bad(shortDescriptor);
    const code2 = Cdb.formatUnit();
    code2[1] = 0x12;
    expectSense(
      await bot.exec({ cdb: code2, dataOut: Cdb.formatList(0x30, 11_826_176, { param: 0x3000 }) }),
      5,
      0x24,
      0,
    );
    const plain = await readyBot({ media: 'bd-re', certification: { full: false, quick: false } });
    for (const subtype of [2, 3]) {
      const list = Cdb.formatList(0x30, 11_826_176, { param: 0x3000, subtype });
      expectSense(await plain.bot.exec({ cdb: Cdb.formatUnit(), dataOut: list }), 5, 0x26, 0);
    }
    const quick = Cdb.formatList(0x30, 11_826_176, { param: 0x3000, subtype: 0 });
    expectGood(await plain.bot.exec({ cdb: Cdb.formatUnit(), dataOut: quick }));
    for (const media of ['dvd-r', 'cd-rom', 'cd-rw'] as const) {
      const r = await readyBot({ media });
      expectSense(
        await r.bot.exec({ cdb: Cdb.formatUnit(), dataOut: Cdb.formatList(0x26, 0) }),
        5,
        0x30,
        0x05,
      );
    }
  });
});

describe('images', T, () => {
  it('insertImage presses a CD-ROM sized to the image; READ(10) and exportImage give it back', async () => {
    const { recorder, bot } = await readyBot();
    const image = new Uint8Array(5000);
    for (let i = 0; i < image.length; i++) image[i] = i & 0xff;
    await recorder.insertImage(image);
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
    const gesn = await bot.exec({ cdb: Cdb.gesn(), dataIn: 8 });
    assert.equal(gesn.data[4], 2); // new media
    assert.equal(recorder.state.mediaName, 'cd-rom');
    const cap = await bot.exec({ cdb: Cdb.readCapacity(), dataIn: 8 });
    assert.equal(be32(cap.data, 0), 2);
    const r = await bot.exec({ cdb: Cdb.read10(0, 3), dataIn: 3 * 2048 });
    assert.deepEqual(r.data.subarray(0, 5000), image);
    assert.ok(r.data.subarray(5000).every((b) => b === 0));
    const chunks: Uint8Array[] = [];
    for await (const c of recorder.exportImage({ chunkBlocks: 2 })) chunks.push(c);
    assert.deepEqual(
      chunks.map((c) => c.length),
      [4096, 2048],
    );
    assert.deepEqual((await recorder.readImage()).subarray(0, 5000), image);
  });

  it('insertImage streams chunked sources onto recordable and rewritable media', async () => {
    const { recorder, bot } = await readyBot();
    async function* source() {
      for (let i = 0; i < 10; i++) yield new Uint8Array(1000).fill(i);
    }
    await recorder.insertImage(source(), { as: 'dvd+r', finalize: false });
    await bot.exec({ cdb: Cdb.testUnitReady() });
    const di = await discInfo(bot);
    assert.deepEqual([di.status, di.sessions], [1, 2]);
    const r = await bot.exec({ cdb: Cdb.read10(0, 5), dataIn: 5 * 2048 });
    for (let i = 0; i < 10; i++) assert.equal(r.data[i * 1000 + 500], i);
    await recorder.insertImage([new Uint8Array(4096).fill(9)], { as: 'bd-re' });
    await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.equal((await discInfo(bot)).status, 3);
    await recorder.insertImage(new Uint8Array(2048).buffer, { as: 'cd-r' });
    await bot.exec({ cdb: Cdb.testUnitReady() });
    assert.equal((await discInfo(bot)).status, 2);
    const toc = await toc0(bot);
    assert.deepEqual(
      toc.entries.map((e) => e.address),
      [0, 1],
    );
  });

  it('insertImage refuses images that do not fit, "none" and empty images', async () => {
    const r = createVirtualRecorder();
    async function* huge() {
      const mb = new Uint8Array(1024 * 1024);
      for (let i = 0; i < 800; i++) yield mb;
    }
    await assert.rejects(
      r.insertImage(huge(), { as: 'cd-r' }),
      (e: unknown) => e instanceof VirtualRecorderError && e.code === 'image-too-large',
    );
    await assert.rejects(r.insertImage(new Uint8Array(10), { as: 'none' }), VirtualRecorderError);
    await assert.rejects(r.insertImage(new Uint8Array(0)), VirtualRecorderError);
    assert.equal(r.state.mediaName, 'none');
  });

  it('exportImage with no disc is a typed error', async () => {
    const r = createVirtualRecorder();
    await assert.rejects(
      r.readImage(),
      (e: unknown) => e instanceof VirtualRecorderError && e.code === 'no-medium',
    );
    await assert.rejects(async () => {
      for await (const c of r.exportImage()) void c;
    }, VirtualRecorderError);
  });
});
