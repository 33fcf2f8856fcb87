/**
 * The virtual recorder's writing behaviour that real drives show and the
 * host has to meet (issue 13, items 9-15; docs/real-drives.md §4), seen
 * from a raw BOT host: each switch on its own, byte by byte.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Cdb, readyBot, type RawBot } from './raw-bot.ts';

const T = { timeout: 10_000 };
type Exec = Awaited<ReturnType<RawBot['exec']>>;
const senseOf = (r: Exec) => [
  r.csw.status,
  r.sense?.key ?? -1,
  r.sense?.asc ?? -1,
  r.sense?.ascq ?? -1,
];

/** MODE SELECT(10) of the current page 05h with `edit` applied to its bytes. */
async function selectPage05(bot: RawBot, edit: (page: Uint8Array) => void): Promise<Exec> {
  const sense = await bot.exec({ cdb: Cdb.modeSense10(0x05, 0, 255), dataIn: 255 });
  assert.equal(sense.csw.status, 0);
  const list = sense.data.slice();
  list[0] = 0;
  list[1] = 0; // MODE DATA LENGTH is reserved in MODE SELECT
  edit(list.subarray(8));
  return bot.exec({ cdb: Cdb.modeSelect10(list.length), dataOut: list });
}

describe('page 05h per medium (item 9)', T, () => {
  it('DVD-R incremental: a link size feature 0021h does not list is 5/26/00; 16 is taken', async () => {
    const { bot } = await readyBot({ media: 'dvd-r' });
    const incremental = (link: number) => (p: Uint8Array) => {
      p[2] = 0x40 | 0x20; // BUFE, LS_V, write type 0
      p[3] = 0xc5; // multi-session 11b, track mode 5
      p[5] = link;
    };
    assert.deepEqual(senseOf(await selectPage05(bot, incremental(7))), [1, 5, 0x26, 0]);
    assert.deepEqual(senseOf(await selectPage05(bot, incremental(16))), [0, -1, -1, -1]);
  });

  it('DVD-R incremental: fixed packets are 16 blocks (an ECC block)', async () => {
    const { bot } = await readyBot({ media: 'dvd-rw' });
    const packet = (size: number) => (p: Uint8Array) => {
      p[2] = 0x40;
      p[3] = 0x20 | 0x05; // FP, track mode 5
      p.set([0, 0, size >> 8, size & 0xff], 10);
    };
    assert.deepEqual(senseOf(await selectPage05(bot, packet(32))), [1, 5, 0x26, 0]);
    assert.deepEqual(senseOf(await selectPage05(bot, packet(16))), [0, -1, -1, -1]);
  });

  it('a CD takes its own link size (7), and DAO ignores the link size', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r' });
    const link7 = (p: Uint8Array) => {
      p[2] = 0x40 | 0x20 | 0x01; // TAO with LS_V: the CD link size
      p[5] = 7;
    };
    assert.deepEqual(senseOf(await selectPage05(bot, link7)), [0, -1, -1, -1]);
    recorder.changeMedia('dvd-r');
    await bot.exec({ cdb: Cdb.testUnitReady() }); // 6/28/00
    const dao = (p: Uint8Array) => {
      p[2] = 0x40 | 0x20 | 0x02;
      p[5] = 7;
    };
    assert.deepEqual(senseOf(await selectPage05(bot, dao)), [0, -1, -1, -1]);
  });
});

/** Feature 0021h's CURRENT bit, from GET CONFIGURATION RT 10b. */
async function feature21Current(bot: RawBot): Promise<boolean> {
  const r = await bot.exec({ cdb: Cdb.getConfiguration(2, 0x21, 64), dataIn: 64 });
  assert.equal(r.csw.status, 0);
  assert.equal((r.data[8]! << 8) | r.data[9]!, 0x21);
  return (r.data[10]! & 1) === 1;
}

async function blankAndWait(bot: RawBot, type: number): Promise<void> {
  assert.equal((await bot.exec({ cdb: Cdb.blank(type) })).csw.status, 0);
}

describe('DVD-RW after a minimal blank (item 10)', T, () => {
  it('BLANK 001b: feature 0021h is not current and an incremental WRITE is 5/64/00', async () => {
    const { bot } = await readyBot({ media: 'dvd-rw' });
    assert.equal(await feature21Current(bot), true, 'a new disc writes incrementally');
    await blankAndWait(bot, 1);
    assert.equal(await feature21Current(bot), false);
    const incremental = await selectPage05(bot, (p) => {
      p[2] = 0x40 | 0x20; // LS_V, write type 0
      p[3] = 0xc5;
      p[5] = 16;
    });
    assert.equal(incremental.csw.status, 0, 'MODE SELECT takes it: the WRITE fails');
    const w = await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) });
    assert.deepEqual(senseOf(w), [1, 5, 0x64, 0]);
    // Disc-at-once still works: page 05h write type 2, then RESERVE TRACK.
    const dao = await selectPage05(bot, (p) => {
      p[2] = 0x40 | 0x02;
      p[3] = 0x05;
    });
    assert.equal(dao.csw.status, 0);
    assert.equal((await bot.exec({ cdb: Cdb.reserveTrack(16) })).csw.status, 0);
    const ok = await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) });
    assert.equal(ok.csw.status, 0);
  });

  it('a full blank brings feature 0021h back', async () => {
    const { bot } = await readyBot({ media: 'dvd-rw' });
    await blankAndWait(bot, 1);
    await blankAndWait(bot, 0);
    assert.equal(await feature21Current(bot), true);
  });

  it('minimalBlankKeepsIncremental: the drive keeps offering 0021h', async () => {
    const { bot } = await readyBot({ media: 'dvd-rw', minimalBlankKeepsIncremental: true });
    await blankAndWait(bot, 1);
    assert.equal(await feature21Current(bot), true);
  });
});

/** A one-track Mode 1 cue sheet of 300 blocks; `pregapForm` 10h (host sends) or 14h (drive makes). */
function cue(pregapForm: number): Uint8Array {
  return Uint8Array.from([
    ...[0x41, 0x00, 0x00, 0x14, 0, 0, 0, 0],
    ...[0x41, 0x01, 0x00, pregapForm, 0, 0, 0, 0],
    ...[0x41, 0x01, 0x01, 0x10, 0, 0, 2, 0],
    ...[0x41, 0xaa, 0x01, 0x14, 0, 0, 6, 0], // LBA 300 = 00:06:00
  ]);
}

const sao = (p: Uint8Array) => {
  p[2] = 0x40 | 0x02;
  p[3] = 0x04;
};

describe('CD SAO from LBA -150 and the NWA after page 05h (item 11)', T, () => {
  it('saoGeneratesPregap false: a generated pre-gap (14h) is 5/26/00; a sent one is written from -150', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-r', saoGeneratesPregap: false });
    assert.equal((await selectPage05(bot, sao)).csw.status, 0);
    const generated = await bot.exec({ cdb: Cdb.sendCueSheet(32), dataOut: cue(0x14) });
    assert.deepEqual(senseOf(generated), [1, 5, 0x26, 0]);
    assert.equal((await bot.exec({ cdb: Cdb.sendCueSheet(32), dataOut: cue(0x10) })).csw.status, 0);
    const atZero = await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) });
    assert.deepEqual(senseOf(atZero), [1, 5, 0x21, 2], 'the pre-gap comes first');
    const pregap = await bot.exec({
      cdb: Cdb.write10(-150 >>> 0, 150),
      dataOut: new Uint8Array(150 * 2048),
    });
    assert.equal(pregap.csw.status, 0);
    const track = await bot.exec({
      cdb: Cdb.write10(0, 300),
      dataOut: new Uint8Array(300 * 2048).fill(3),
    });
    assert.equal(track.csw.status, 0);
    assert.equal((await bot.exec({ cdb: Cdb.synchronizeCache() })).csw.status, 0);
    assert.equal(recorder.state.disc?.tracks[0]?.recorded, 300);
  });

  it('by default the drive also generates the pre-gap (14h): writing starts at LBA 0', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    assert.equal((await selectPage05(bot, sao)).csw.status, 0);
    assert.equal((await bot.exec({ cdb: Cdb.sendCueSheet(32), dataOut: cue(0x14) })).csw.status, 0);
    const w = await bot.exec({ cdb: Cdb.write10(0, 300), dataOut: new Uint8Array(300 * 2048) });
    assert.equal(w.csw.status, 0);
  });

  for (const media of ['cd-r', 'dvd-rw'] as const) {
    it(`${media}: nwaNeedsWriteParameters: NWA_V is 0 until page 05h is selected, and again after a media change`, async () => {
      const { recorder, bot } = await readyBot({ media, nwaNeedsWriteParameters: true });
      const nwaValid = async () => {
        const r = await bot.exec({ cdb: Cdb.readTrackInformation(1, 0xff), dataIn: 48 });
        assert.equal(r.csw.status, 0);
        return (r.data[7]! & 1) === 1;
      };
      assert.equal(await nwaValid(), false);
      assert.equal((await selectPage05(bot, (p) => p)).csw.status, 0);
      assert.equal(await nwaValid(), true);
      recorder.changeMedia(media);
      await bot.exec({ cdb: Cdb.testUnitReady() }); // 6/28/00
      assert.equal(await nwaValid(), false);
    });
  }

  it('DVD+R has no page 05h to wait for: its NWA is always there', async () => {
    const { bot } = await readyBot({ media: 'dvd+r', nwaNeedsWriteParameters: true });
    const r = await bot.exec({ cdb: Cdb.readTrackInformation(1, 0xff), dataIn: 48 });
    assert.equal(r.data[7]! & 1, 1);
  });
});

describe('DVD-RW restricted overwrite (item 13)', T, () => {
  it('profile 0013h with feature 002Ch; a WRITE off a 32 KiB boundary or length is 5/21/02', async () => {
    const { bot } = await readyBot({ media: 'dvd-rw-ro' });
    const cfg = await bot.exec({ cdb: Cdb.getConfiguration(2, 0x2c, 64), dataIn: 64 });
    assert.deepEqual(
      [(cfg.data[6]! << 8) | cfg.data[7]!, (cfg.data[8]! << 8) | cfg.data[9]!],
      [0x13, 0x2c],
    );
    assert.equal(cfg.data[10]! & 1, 1, '002Ch current');
    const w = (lba: number, blocks: number) =>
      bot.exec({ cdb: Cdb.write10(lba, blocks), dataOut: new Uint8Array(blocks * 2048) });
    assert.deepEqual(senseOf(await w(8, 16)), [1, 5, 0x21, 2]);
    assert.deepEqual(senseOf(await w(16, 10)), [1, 5, 0x21, 2]);
    assert.equal((await w(32, 32)).csw.status, 0);
  });

  it('BLANK makes it a sequential DVD-RW (profile 0014h)', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd-rw-ro' });
    assert.equal((await bot.exec({ cdb: Cdb.blank(0) })).csw.status, 0);
    const cfg = await bot.exec({ cdb: Cdb.getConfiguration(1, 0, 8), dataIn: 8 });
    assert.equal((cfg.data[6]! << 8) | cfg.data[7]!, 0x14);
    assert.equal(recorder.state.disc?.media, 'dvd-rw');
  });
});

const be32 = (d: Uint8Array, at: number) =>
  ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
const getPerformance = (type: number, write: boolean, max: number) => [
  0xac,
  type === 0 ? 0x10 | (write ? 0x04 : 0) : 0,
  0,
  0,
  0,
  0,
  0,
  0,
  max >> 8,
  max & 0xff,
  type,
  0,
];
function streaming(writeKBps: number): Uint8Array {
  const d = new Uint8Array(28);
  const put = (at: number, v: number) =>
    d.set([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff], at);
  put(8, 2_295_103);
  put(12, 22_160);
  put(16, 1000);
  put(20, writeKBps);
  put(24, 1000);
  return d;
}
const SET_STREAMING = [0xb6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 28, 0];

describe('speeds: GET PERFORMANCE, SET STREAMING, SET CD SPEED (item 15)', T, () => {
  it('GET PERFORMANCE 03h lists the medium write speeds; 00h WRITE the one in effect', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    const list = await bot.exec({ cdb: getPerformance(3, false, 8), dataIn: 8 + 8 * 16 });
    assert.equal(list.csw.status, 0);
    assert.equal(be32(list.data, 0), 4 + 4 * 16, 'four descriptors');
    const speeds = [0, 1, 2, 3].map((i) => be32(list.data, 8 + 16 * i + 12));
    assert.deepEqual(speeds, [22_160, 16_620, 11_080, 5_540]);
    const one = await bot.exec({ cdb: getPerformance(3, false, 1), dataIn: 24 });
    assert.deepEqual([one.data.length, be32(one.data, 0)], [24, 68], 'one sent, four said');
    const now = await bot.exec({ cdb: getPerformance(0, true, 1), dataIn: 24 });
    assert.deepEqual(
      [now.data[4]! & 2, be32(now.data, 12), be32(now.data, 20)],
      [2, 22_160, 22_160],
    );
  });

  it('SET STREAMING sets the speed, rounded down to a listed one; RDD restores the default', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r' });
    assert.equal(
      (await bot.exec({ cdb: SET_STREAMING, dataOut: streaming(12_000) })).csw.status,
      0,
    );
    assert.equal(recorder.state.writeSpeed, 11_080);
    const rdd = new Uint8Array(28);
    rdd[0] = 0x04;
    assert.equal((await bot.exec({ cdb: SET_STREAMING, dataOut: rdd })).csw.status, 0);
    assert.equal(recorder.state.writeSpeed, 22_160);
    const zeroTime = streaming(5540);
    zeroTime.fill(0, 24, 28);
    assert.deepEqual(
      senseOf(await bot.exec({ cdb: SET_STREAMING, dataOut: zeroTime })),
      [1, 5, 0x26, 0],
    );
  });

  it('cdSpeedForDvdBd false: SET CD SPEED is taken and changes nothing on DVD', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r', cdSpeedForDvdBd: false });
    assert.equal((await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, 5540) })).csw.status, 0);
    assert.equal(recorder.state.writeSpeed, 22_160);
  });

  it('writeSpeedCap: the drive picks its own speed; page 2Ah bytes 28-29 and GET PERFORMANCE say which', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r', writeSpeedCap: 11_080 });
    assert.equal(
      (await bot.exec({ cdb: SET_STREAMING, dataOut: streaming(22_160) })).csw.status,
      0,
    );
    assert.equal(recorder.state.writeSpeed, 11_080);
    const page = await bot.exec({ cdb: Cdb.modeSense10(0x2a), dataIn: 1024 });
    assert.equal((page.data[8 + 28]! << 8) | page.data[8 + 29]!, 11_080);
    const now = await bot.exec({ cdb: getPerformance(0, true, 1), dataIn: 24 });
    assert.equal(be32(now.data, 12), 11_080);
  });

  it('DVD+R DL: finalize 110b is 5/24/00, 101b (minimal radius) closes the disc', async () => {
    const { recorder, bot } = await readyBot({ media: 'dvd+r-dl' });
    const w = await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) });
    assert.equal(w.csw.status, 0);
    assert.deepEqual(senseOf(await bot.exec({ cdb: Cdb.closeTrackSession(6) })), [1, 5, 0x24, 0]);
    assert.equal((await bot.exec({ cdb: Cdb.closeTrackSession(5) })).csw.status, 0);
    assert.equal(recorder.state.disc?.status, 2);
  });
});
