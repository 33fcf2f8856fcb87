import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEDIA, MEDIA_NAMES, type MediaName } from './index.ts';
import { Cdb, readyBot, type RawBot } from './raw-bot.ts';

const T = { timeout: 10_000 };
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const be32 = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

type Exec = Awaited<ReturnType<RawBot['exec']>>;

function expectGood(r: Exec): void {
  assert.equal(r.csw.status, 0, `expected GOOD, got sense ${JSON.stringify(r.sense)}`);
}

function expectSense(r: Exec, key: number, asc: number, ascq: number): void {
  assert.equal(r.csw.status, 1, 'expected CHECK CONDITION');
  assert.deepEqual([r.sense?.key, r.sense?.asc, r.sense?.ascq], [key, asc, ascq]);
}

async function features(bot: RawBot, rt = 0, start = 0) {
  const r = await bot.exec({ cdb: Cdb.getConfiguration(rt, start, 8192), dataIn: 8192 });
  expectGood(r);
  const d = r.data;
  const out: {
    code: number;
    current: boolean;
    persistent: boolean;
    version: number;
    data: Uint8Array;
  }[] = [];
  const end = 4 + be32(d, 0);
  for (let at = 8; at < end;) {
    const len = d[at + 3]!;
    out.push({
      code: be16(d, at),
      current: (d[at + 2]! & 1) !== 0,
      persistent: (d[at + 2]! & 2) !== 0,
      version: d[at + 2]! >> 2,
      data: d.subarray(at + 4, at + 4 + len),
    });
    at += 4 + len;
  }
  return { profile: be16(d, 6), dataLength: be32(d, 0), features: out, raw: d };
}

describe('SPC commands', T, () => {
  it('INQUIRY standard data: MMC device, removable, identification', async () => {
    const { bot } = await readyBot({
      inquiry: { vendor: 'ACME', product: 'BD Writer X', revision: '2.5' },
    });
    const r = await bot.exec({ cdb: Cdb.inquiry(36), dataIn: 36 });
    expectGood(r);
    const d = r.data;
    assert.equal(d[0], 0x05);
    assert.equal(d[1], 0x80);
    assert.equal(d[3]! & 0x0f, 2);
    assert.equal(d[4], 31);
    const text = new TextDecoder().decode(d.subarray(8, 36));
    assert.equal(text, 'ACME    BD Writer X     2.5 ');
  });

  it('INQUIRY VPD 00h and 80h (serial); other pages and page without EVPD are 5/24/00', async () => {
    const { bot } = await readyBot({ serial: 'SN-42' });
    const p0 = await bot.exec({ cdb: Cdb.inquiry(255, true, 0), dataIn: 255 });
    assert.deepEqual([...p0.data], [0x05, 0x00, 0x00, 2, 0x00, 0x80]);
    const p80 = await bot.exec({ cdb: Cdb.inquiry(255, true, 0x80), dataIn: 255 });
    assert.equal(new TextDecoder().decode(p80.data.subarray(4)), 'SN-42');
    expectSense(await bot.exec({ cdb: Cdb.inquiry(255, true, 0x83), dataIn: 255 }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.inquiry(36, false, 0x80), dataIn: 36 }), 5, 0x24, 0);
  });

  it('INQUIRY honours a small allocation length', async () => {
    const { bot } = await readyBot();
    const r = await bot.exec({ cdb: Cdb.inquiry(5), dataIn: 5 });
    assert.deepEqual([r.csw.status, r.data.length, r.csw.residue], [0, 5, 0]);
  });

  it('INQUIRY is not blocked by a unit attention and does not clear it', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    recorder.changeMedia('dvd-rom');
    expectGood(await bot.exec({ cdb: Cdb.inquiry(36), dataIn: 36 }));
    expectSense(await bot.exec({ cdb: Cdb.testUnitReady() }), 6, 0x28, 0);
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
  });

  it('REQUEST SENSE returns the last failure once, then NO SENSE; DESC=1 is refused', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const fail = await bot.run({ cdb: [0xff, 0, 0, 0, 0, 0] });
    assert.equal(fail.csw.status, 1);
    const s1 = await bot.requestSense();
    assert.deepEqual([s1.key, s1.asc, s1.ascq], [5, 0x20, 0]);
    const s2 = await bot.requestSense();
    assert.deepEqual([s2.key, s2.asc, s2.ascq], [0, 0, 0]);
    expectSense(await bot.exec({ cdb: Cdb.requestSense(18, true), dataIn: 18 }), 5, 0x24, 0);
  });

  it('REQUEST SENSE reports "no medium" while there is none, and truncates to the allocation', async () => {
    const { bot } = await readyBot();
    const s = await bot.requestSense();
    assert.deepEqual([s.key, s.asc, s.ascq], [2, 0x3a, 0x01]);
    const r = await bot.run({ cdb: Cdb.requestSense(8), dataIn: 8 });
    assert.deepEqual([r.csw.status, r.data.length, r.data[0]], [0, 8, 0x70]);
  });

  it('sense of a failed command is dropped by the next command', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    await bot.run({ cdb: [0xff, 0, 0, 0, 0, 0] });
    expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
    const s = await bot.requestSense();
    assert.equal(s.key, 0);
  });

  it('unknown opcodes, 6-byte MODE SENSE, and unsupported RESERVE answer 5/20/00', async () => {
    const { bot } = await readyBot({ media: 'cd-rom', reserveSupported: false });
    expectSense(await bot.exec({ cdb: [0xff, 0, 0, 0, 0, 0] }), 5, 0x20, 0);
    expectSense(await bot.exec({ cdb: [0x1a, 0, 0x2a, 0, 255, 0], dataIn: 255 }), 5, 0x20, 0);
    expectSense(await bot.exec({ cdb: Cdb.reserve6() }), 5, 0x20, 0);
    expectSense(await bot.exec({ cdb: Cdb.release6() }), 5, 0x20, 0);
  });

  it('a CDB shorter than its opcode needs is 5/24/00', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    expectSense(await bot.exec({ cdb: [0x28, 0, 0, 0, 0, 0], dataIn: 2048 }), 5, 0x24, 0);
  });

  it('RESERVE(6)/RELEASE(6) when supported; third-party bits are 5/24/00', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rom' });
    expectGood(await bot.exec({ cdb: Cdb.reserve6() }));
    assert.equal(recorder.state.reserved, true);
    expectGood(await bot.exec({ cdb: Cdb.release6() }));
    assert.equal(recorder.state.reserved, false);
    expectSense(await bot.exec({ cdb: [0x16, 0x10, 0, 0, 0, 0] }), 5, 0x24, 0);
  });
});

/** What each medium answers when the drive has it loaded. */
const EXPECT: Record<
  Exclude<MediaName, 'none'>,
  { lastLba: number; status: number; erasable: boolean; toc: boolean; atip: boolean }
> = {
  'cd-rom': { lastLba: 4499, status: 2, erasable: false, toc: true, atip: false },
  'cd-r': { lastLba: 0, status: 0, erasable: false, toc: false, atip: true },
  'cd-rw': { lastLba: 0, status: 0, erasable: true, toc: false, atip: true },
  'dvd-rom': { lastLba: 16383, status: 2, erasable: false, toc: true, atip: false },
  'dvd-r': { lastLba: 0, status: 0, erasable: false, toc: false, atip: false },
  'dvd-rw': { lastLba: 0, status: 0, erasable: true, toc: false, atip: false },
  'dvd-rw-ro': { lastLba: 2_297_887, status: 2, erasable: true, toc: true, atip: false },
  'dvd+r': { lastLba: 0, status: 0, erasable: false, toc: false, atip: false },
  'dvd+rw': { lastLba: 0, status: 0, erasable: true, toc: false, atip: false },
  'dvd+r-dl': { lastLba: 0, status: 0, erasable: false, toc: false, atip: false },
  'bd-r': { lastLba: 0, status: 0, erasable: false, toc: false, atip: false },
  'bd-re': { lastLba: 0, status: 0, erasable: true, toc: false, atip: false },
};

describe('every command, per medium', T, () => {
  for (const name of MEDIA_NAMES) {
    it(`${name}: the read-side commands answer as the medium dictates`, async () => {
      const { bot } = await readyBot({ media: name });
      const info = MEDIA[name];
      const cfg = await features(bot);
      assert.equal(cfg.profile, info.profile);
      const profiles = cfg.features.find((f) => f.code === 0);
      assert.ok(profiles);
      const currentProfiles: number[] = [];
      for (let i = 0; i < profiles.data.length; i += 4) {
        if (profiles.data[i + 2]! & 1) currentProfiles.push(be16(profiles.data, i));
      }
      assert.deepEqual(currentProfiles, name === 'none' ? [] : [info.profile]);
      expectGood(await bot.exec({ cdb: Cdb.inquiry(36), dataIn: 36 }));
      const gesn = await bot.exec({ cdb: Cdb.gesn(), dataIn: 8 });
      expectGood(gesn);
      assert.equal(gesn.data[5], name === 'none' ? 0 : 2);
      expectGood(await bot.exec({ cdb: Cdb.modeSense10(0x2a), dataIn: 1024 }));
      expectGood(await bot.exec({ cdb: Cdb.readBufferCapacity(), dataIn: 12 }));
      expectGood(await bot.exec({ cdb: Cdb.mechanismStatus(), dataIn: 8 }));
      expectGood(await bot.exec({ cdb: Cdb.readFormatCapacities(), dataIn: 252 }));
      expectGood(await bot.exec({ cdb: Cdb.setCdSpeed(0xffff, 0xffff) }));
      if (name === 'none') {
        for (const cdb of [
          Cdb.testUnitReady(),
          Cdb.readCapacity(),
          Cdb.read10(0, 1),
          Cdb.readToc(0),
          Cdb.readDiscInformation(),
          Cdb.readTrackInformation(1, 1),
          Cdb.synchronizeCache(),
          Cdb.write10(0, 1),
        ]) {
          expectSense(await bot.exec({ cdb, dataIn: 64 }), 2, 0x3a, 0x01);
        }
        return;
      }
      const e = EXPECT[name];
      expectGood(await bot.exec({ cdb: Cdb.testUnitReady() }));
      const cap = await bot.exec({ cdb: Cdb.readCapacity(), dataIn: 8 });
      expectGood(cap);
      assert.deepEqual([be32(cap.data, 0), be32(cap.data, 4)], [e.lastLba, 2048]);
      const di = await bot.exec({ cdb: Cdb.readDiscInformation(), dataIn: 34 });
      expectGood(di);
      assert.equal(be16(di.data, 0), 32);
      assert.equal(di.data[2]! & 3, e.status);
      assert.equal((di.data[2]! & 0x10) !== 0, e.erasable);
      const ti = await bot.exec({ cdb: Cdb.readTrackInformation(1, 1), dataIn: 48 });
      expectGood(ti);
      assert.equal(be16(ti.data, 0), 46);
      assert.equal(ti.data[2], 1);
      const toc = await bot.exec({ cdb: Cdb.readToc(0), dataIn: 2048 });
      if (e.toc) expectGood(toc);
      else expectSense(toc, 5, 0x24, 0);
      const atip = await bot.exec({ cdb: Cdb.readToc(4), dataIn: 2048 });
      if (e.atip) expectGood(atip);
      else expectSense(atip, 5, 0x24, 0);
      expectGood(await bot.exec({ cdb: Cdb.synchronizeCache() }));
      if (e.lastLba > 0) {
        const rd = await bot.exec({ cdb: Cdb.read10(e.lastLba, 1), dataIn: 2048 });
        expectGood(rd);
        expectSense(
          await bot.exec({ cdb: Cdb.read10(e.lastLba + 1, 1), dataIn: 2048 }),
          5,
          0x21,
          0,
        );
      } else {
        expectSense(await bot.exec({ cdb: Cdb.read10(0, 1), dataIn: 2048 }), 5, 0x21, 0);
      }
    });
  }

  it('each recordable medium reports its MEDIA capacity as free blocks of track 1', async () => {
    for (const name of ['cd-r', 'cd-rw', 'dvd-r', 'dvd-rw', 'dvd+r', 'dvd+r-dl', 'bd-r'] as const) {
      const { bot } = await readyBot({ media: name });
      const ti = await bot.exec({ cdb: Cdb.readTrackInformation(1, 1), dataIn: 48 });
      assert.equal(be32(ti.data, 16), MEDIA[name].capacity, name);
      assert.equal(ti.data[7]! & 1, 1, `${name} NWA_V`);
      assert.equal(be32(ti.data, 12), 0, `${name} NWA`);
      assert.equal(ti.data[6]! & 0x40, 0x40, `${name} blank`);
    }
    assert.equal(MEDIA['cd-r'].capacity, 359_847);
    assert.equal(MEDIA['dvd+r'].capacity, 2_295_104);
    assert.equal(MEDIA['dvd+r-dl'].capacity, 4_173_824);
    assert.equal(MEDIA['bd-r'].capacity, 12_219_392);
  });
});

describe('READ(10) and pressed content', T, () => {
  it('a CD-ROM holds an ISO 9660 volume with a README and a byte pattern', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const pvd = await bot.exec({ cdb: Cdb.read10(16, 1), dataIn: 2048 });
    expectGood(pvd);
    assert.equal(pvd.data[0], 1);
    assert.equal(new TextDecoder().decode(pvd.data.subarray(1, 6)), 'CD001');
    assert.equal(new TextDecoder().decode(pvd.data.subarray(40, 54)), 'WEBDISC_CD_ROM');
    assert.equal(pvd.data[80]! | (pvd.data[81]! << 8) | (pvd.data[82]! << 16), 4500);
    const data = await bot.exec({ cdb: Cdb.read10(100, 2), dataIn: 4096 });
    for (let i = 0; i < 4096; i++) {
      const lba = 100 + Math.floor(i / 2048);
      assert.equal(data.data[i], (lba * 7 + (i % 2048)) & 0xff);
    }
  });

  it('RELADR is 5/24/00; zero blocks is GOOD with no data', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const c = Cdb.read10(0, 1);
    c[1] = 1;
    expectSense(await bot.exec({ cdb: c, dataIn: 2048 }), 5, 0x24, 0);
    const zero = await bot.exec({ cdb: Cdb.read10(0, 0) });
    assert.deepEqual([zero.csw.status, zero.data.length], [0, 0]);
  });
});

describe('WRITE(10) refusals', T, () => {
  it('pressed media: 5/30/05', async () => {
    const { bot } = await readyBot({ media: 'dvd-rom' });
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }),
      5,
      0x30,
      0x05,
    );
  });

  it('recordable media off the NWA: 5/21/02; past the track end: 5/21/00', async () => {
    const { bot } = await readyBot({ media: 'cd-r' });
    expectSense(
      await bot.exec({ cdb: Cdb.write10(10, 1), dataOut: new Uint8Array(2048) }),
      5,
      0x21,
      0x02,
    );
    expectGood(await bot.exec({ cdb: Cdb.reserveTrack(10) }));
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 11), dataOut: new Uint8Array(11 * 2048) }),
      5,
      0x21,
      0x00,
    );
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 10), dataOut: new Uint8Array(10 * 2048) }));
  });

  it('unformatted DVD+RW / BD-RE: 5/30/10; past the formatted capacity: 5/21/00', async () => {
    const { bot } = await readyBot({ media: 'dvd+rw' });
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }),
      5,
      0x30,
      0x10,
    );
    const f = await readyBot({ media: 'bd-re', formatted: true });
    expectSense(
      await f.bot.exec({
        cdb: Cdb.write10(MEDIA['bd-re'].capacity, 1),
        dataOut: new Uint8Array(2048),
      }),
      5,
      0x21,
      0x00,
    );
  });

  it('write-protect switch: 7/27/00 for WRITE, BLANK, FORMAT, RESERVE TRACK, CLOSE', async () => {
    const { recorder, bot } = await readyBot({ media: 'cd-rw' });
    recorder.writeProtected = true;
    expectSense(
      await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }),
      7,
      0x27,
      0,
    );
    expectSense(await bot.exec({ cdb: Cdb.blank(1) }), 7, 0x27, 0);
    expectSense(await bot.exec({ cdb: Cdb.reserveTrack(100) }), 7, 0x27, 0);
    expectSense(await bot.exec({ cdb: Cdb.closeTrackSession(1, 1) }), 7, 0x27, 0);
    const f = await readyBot({ media: 'dvd+rw' });
    f.recorder.writeProtected = true;
    expectSense(
      await f.bot.exec({ cdb: Cdb.formatUnit(), dataOut: Cdb.formatList(0x26, 0xffffffff) }),
      7,
      0x27,
      0,
    );
    assert.equal(recorder.state.writeProtected, true);
  });

  it('CD in SAO mode without a cue sheet: 5/2C/00; DVD-R DAO outside a reserved track: 5/2C/00', async () => {
    for (const media of ['cd-r', 'dvd-r'] as const) {
      const { bot } = await readyBot({ media });
      const sense = await bot.exec({ cdb: Cdb.modeSense10(0x05), dataIn: 1024 });
      const page = sense.data.slice(8, 8 + 52);
      page[0] = page[0]! & 0x3f;
      page[2] = (page[2]! & 0xf0) | 2;
      const list = new Uint8Array(8 + page.length);
      list.set(page, 8);
      expectGood(await bot.exec({ cdb: Cdb.modeSelect10(list.length), dataOut: list }));
      expectSense(
        await bot.exec({ cdb: Cdb.write10(0, 1), dataOut: new Uint8Array(2048) }),
        5,
        0x2c,
        0,
      );
      if (media === 'dvd-r') {
        expectGood(await bot.exec({ cdb: Cdb.reserveTrack(16) }));
        expectGood(await bot.exec({ cdb: Cdb.write10(0, 16), dataOut: new Uint8Array(16 * 2048) }));
      }
    }
  });
});

describe('READ TOC/PMA/ATIP', T, () => {
  it('format 0 in LBA and MSF, starting track, lead-out only; the SFF-8020i format bits', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const lba = await bot.exec({ cdb: Cdb.readToc(0), dataIn: 2048 });
    assert.equal(be16(lba.data, 0), 2 + 16);
    assert.deepEqual([lba.data[2], lba.data[3]], [1, 1]);
    assert.deepEqual([lba.data[5], lba.data[6], be32(lba.data, 8)], [0x14, 1, 0]);
    assert.deepEqual([lba.data[14], be32(lba.data, 16)], [0xaa, 4500]);
    const msf = await bot.exec({ cdb: Cdb.readToc(0, { msf: true }), dataIn: 2048 });
    assert.deepEqual([...msf.data.subarray(8, 12)], [0, 0, 2, 0]);
    assert.deepEqual([...msf.data.subarray(16, 20)], [0, 1, 2, 0]); // 4500 + 150 frames = 01:02:00
    const leadOut = await bot.exec({ cdb: Cdb.readToc(0, { number: 0xaa }), dataIn: 2048 });
    assert.equal(be16(leadOut.data, 0), 10);
    expectSense(await bot.exec({ cdb: Cdb.readToc(0, { number: 2 }), dataIn: 2048 }), 5, 0x24, 0);
    const sff = Cdb.readToc(0);
    sff[9] = 0x40; // format 1 in the control byte
    const viaControl = await bot.exec({ cdb: sff, dataIn: 2048 });
    assert.equal(be16(viaControl.data, 0), 10);
  });

  it('format 1 session info and format 2 full TOC', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const s = await bot.exec({ cdb: Cdb.readToc(1), dataIn: 12 });
    assert.deepEqual(
      [be16(s.data, 0), s.data[2], s.data[3], s.data[6], be32(s.data, 8)],
      [10, 1, 1, 1, 0],
    );
    const full = await bot.exec({ cdb: Cdb.readToc(2), dataIn: 2048 });
    const n = (be16(full.data, 0) - 2) / 11;
    const points = Array.from({ length: n }, (_, i) => full.data[4 + i * 11 + 3]);
    assert.deepEqual(points, [0xa0, 0xa1, 0xa2, 1]);
    const a2 = 4 + 2 * 11;
    assert.deepEqual([...full.data.subarray(a2 + 8, a2 + 11)], [1, 2, 0]);
  });

  it('format 4 ATIP on CD-R/RW gives the disc type and the last possible lead-out', async () => {
    const { bot } = await readyBot({ media: 'cd-rw' });
    const a = await bot.exec({ cdb: Cdb.readToc(4), dataIn: 28 });
    assert.equal(be16(a.data, 0), 26);
    assert.equal(a.data[6]! & 0x40, 0x40); // CD-RW
    assert.deepEqual([...a.data.subarray(12, 15)], [79, 59, 72]);
    const r = await readyBot({ media: 'cd-r' });
    const b = await r.bot.exec({ cdb: Cdb.readToc(4), dataIn: 28 });
    assert.equal(b.data[6]! & 0x40, 0);
  });

  it('formats 3 (PMA) and 5 (CD-TEXT) are 5/24/00', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    expectSense(await bot.exec({ cdb: Cdb.readToc(3), dataIn: 2048 }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.readToc(5), dataIn: 2048 }), 5, 0x24, 0);
  });
});

describe('GET CONFIGURATION', T, () => {
  it('RT=0 lists every feature in ascending order with current flags for the medium', async () => {
    const { bot } = await readyBot({ media: 'cd-r', serial: 'SER1' });
    const { features: fs, dataLength, raw } = await features(bot);
    assert.equal(dataLength, raw.length - 4);
    const codes = fs.map((f) => f.code);
    assert.deepEqual(
      codes,
      [...codes].sort((a, b) => a - b),
    );
    for (const required of [
      0x0000, 0x0001, 0x0003, 0x0010, 0x0020, 0x0021, 0x0023, 0x002a, 0x002b, 0x002d, 0x002e,
      0x002f, 0x0040, 0x0041, 0x0107, 0x0108,
    ]) {
      assert.ok(codes.includes(required), `feature ${required.toString(16)}`);
    }
    const current = fs.filter((f) => f.current).map((f) => f.code);
    assert.deepEqual(
      current,
      [0x0000, 0x0001, 0x0002, 0x0003, 0x001e, 0x0021, 0x002d, 0x002e, 0x0107, 0x0108],
    );
    const core = fs.find((f) => f.code === 1)!;
    assert.equal(be32(core.data, 0), 8); // USB
    const removable = fs.find((f) => f.code === 3)!;
    assert.equal(removable.data[0]! >> 5, 1); // tray
    assert.equal(removable.data[0]! & 0x09, 0x09); // eject + lock
    const serial = fs.find((f) => f.code === 0x108)!;
    assert.equal(new TextDecoder().decode(serial.data), 'SER1');
  });

  it('current features follow the medium', async () => {
    const cases: [MediaName, number[]][] = [
      ['dvd+rw', [0x001f, 0x0023, 0x002a]],
      ['dvd+r', [0x001f, 0x002b, 0x0107]],
      ['dvd-r', [0x001f, 0x0021, 0x002f]],
      ['dvd+r-dl', [0x001f, 0x003b]],
      ['bd-r', [0x0040, 0x0041]],
      ['cd-rom', [0x001e, 0x0010]],
    ];
    for (const [media, want] of cases) {
      const { bot } = await readyBot({ media });
      const current = (await features(bot, 1)).features.map((f) => f.code);
      for (const w of want) assert.ok(current.includes(w), `${media}: ${w.toString(16)} current`);
      assert.ok(!current.includes(0x0020), `${media}: random writable not current`);
    }
    const { bot } = await readyBot({ media: 'bd-re', formatted: true });
    const current = (await features(bot, 1)).features;
    const rw = current.find((f) => f.code === 0x20);
    assert.ok(rw);
    assert.equal(be32(rw.data, 0), MEDIA['bd-re'].capacity - 1);
  });

  it('RT=1 returns only current features; RT=2 exactly one; RT=3 is 5/24/00', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    const cur = await features(bot, 1);
    assert.ok(cur.features.every((f) => f.current));
    const one = await features(bot, 2, 0x002b);
    assert.deepEqual(
      one.features.map((f) => f.code),
      [0x002b],
    );
    const absent = await features(bot, 2, 0x0030);
    assert.deepEqual([absent.features.length, absent.dataLength], [0, 4]);
    const from = await features(bot, 0, 0x0100);
    assert.deepEqual(
      from.features.map((f) => f.code),
      [0x0107, 0x0108],
    );
    expectSense(await bot.exec({ cdb: Cdb.getConfiguration(3), dataIn: 8 }), 5, 0x24, 0);
  });

  it('a short allocation truncates the data but keeps the full data length', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    const r = await bot.exec({ cdb: Cdb.getConfiguration(0, 0, 8), dataIn: 8 });
    assert.equal(r.data.length, 8);
    assert.ok(be32(r.data, 0) > 100);
    assert.equal(be16(r.data, 6), 0x001b);
  });
});

describe('GET EVENT STATUS NOTIFICATION', T, () => {
  it('polled media class: no change, media present', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    const r = await bot.exec({ cdb: Cdb.gesn(), dataIn: 8 });
    assert.deepEqual([...r.data], [0, 6, 4, 0x10, 0, 2, 0, 0]);
  });

  it('asynchronous mode is 5/24/00; other classes get NEA', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    expectSense(await bot.exec({ cdb: Cdb.gesn(0x10, 8, false), dataIn: 8 }), 5, 0x24, 0);
    const nea = await bot.exec({ cdb: Cdb.gesn(0x02), dataIn: 8 });
    assert.deepEqual([...nea.data], [0, 2, 0x80, 0x10]);
  });
});

describe('READ TRACK INFORMATION addressing', T, () => {
  it('by LBA, track, session and FFh; out of range is refused', async () => {
    const { bot } = await readyBot({ media: 'dvd+r' });
    expectGood(await bot.exec({ cdb: Cdb.write10(0, 32), dataOut: new Uint8Array(32 * 2048) }));
    const byLba = await bot.exec({ cdb: Cdb.readTrackInformation(0, 10), dataIn: 48 });
    assert.equal(byLba.data[2], 1);
    const bySession = await bot.exec({ cdb: Cdb.readTrackInformation(2, 1), dataIn: 48 });
    assert.equal(bySession.data[2], 1);
    const invisible = await bot.exec({ cdb: Cdb.readTrackInformation(1, 0xff), dataIn: 48 });
    assert.deepEqual(
      [invisible.data[2], be32(invisible.data, 12), invisible.data[7]! & 3],
      [1, 32, 3],
    );
    assert.equal(be32(invisible.data, 28), 31); // last recorded address
    expectSense(await bot.exec({ cdb: Cdb.readTrackInformation(1, 0), dataIn: 48 }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.readTrackInformation(1, 5), dataIn: 48 }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.readTrackInformation(2, 9), dataIn: 48 }), 5, 0x24, 0);
    expectSense(await bot.exec({ cdb: Cdb.readTrackInformation(3, 1), dataIn: 48 }), 5, 0x24, 0);
    expectSense(
      await bot.exec({ cdb: Cdb.readTrackInformation(0, MEDIA['dvd+r'].capacity + 5), dataIn: 48 }),
      5,
      0x21,
      0,
    );
  });

  it('READ DISC INFORMATION data type other than 000b is 5/24/00', async () => {
    const { bot } = await readyBot({ media: 'cd-rom' });
    expectSense(await bot.exec({ cdb: Cdb.readDiscInformation(34, 1), dataIn: 34 }), 5, 0x24, 0);
  });
});
