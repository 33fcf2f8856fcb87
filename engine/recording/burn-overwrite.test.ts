/**
 * Overwritable media as real drives need them (issue 13, items 12-14):
 * DVD-RW restricted overwrite (profile 0013h) written in whole 32 KiB
 * blocks, DVD+RW background formatting stopped and closed, and FORMAT UNIT
 * parameters taken from READ FORMAT CAPACITIES and feature 0023h
 * (docs/real-drives.md §4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { V, bench, image, ok } from '../test-kit.ts';
import { bytesSource } from './source.ts';

/** WRITE(10)s in the drive's log as [lba, blocks] (the log keeps CDBs as hex). */
function writes(log: readonly { opcode: number; cdb: string }[]): [number, number][] {
  return log
    .filter((e) => e.opcode === 0x2a)
    .map((e) => {
      const hex = e.cdb.replace(/ /g, '');
      return [Number.parseInt(hex.slice(4, 12), 16) | 0, Number.parseInt(hex.slice(14, 18), 16)];
    });
}

describe('DVD-RW restricted overwrite: 32 KiB writes (issue 13, item 13)', () => {
  it('every WRITE starts and ends on a 16-block boundary, the tail padded with zeros', async () => {
    const b = bench({ media: 'dvd-rw-ro' });
    const s = b.session('A');
    const data = image(50, 4); // not a multiple of 16 blocks
    const r = await s.service.burn(V, bytesSource(data), {
      clientName: 'RO',
      verify: 'full',
      chunkSectors: 40, // nor is the caller's chunk
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    const w = writes(b.drive.log);
    assert.ok(w.length > 0);
    for (const [lba, blocks] of w)
      assert.deepEqual([lba % 16, blocks % 16], [0, 0], `${lba}+${blocks}`);
    assert.equal(
      w.reduce((n, [, blocks]) => n + blocks, 0),
      64,
    );
    assert.deepEqual(ok(await s.service.readSectors(V, 0, 50)), data);
    assert.ok(
      ok(await s.service.readSectors(V, 50, 14)).every((x) => x === 0),
      'zero padding',
    );
    assert.equal(r.value.sectorCount, 50);
  });

  it('a start LBA off a 32 KiB boundary is refused before anything is written', async () => {
    const b = bench({ media: 'dvd-rw-ro' });
    const s = b.session('A');
    const r = await s.service.burn(V, bytesSource(image(16, 1)), { clientName: 'RO', startLba: 8 });
    assert.equal(r.ok ? '' : r.error.name, 'E_INVALIDARG');
    assert.match(r.ok ? '' : r.error.message, /32 KiB|16/);
    assert.equal(writes(b.drive.log).length, 0);
  });

  it('erasing it (BLANK) makes it a sequential DVD-RW again', async () => {
    const b = bench({ media: 'dvd-rw-ro' });
    const s = b.session('A');
    const e = ok(await s.service.eraseMedia(V, { clientName: 'Erase', full: true }));
    assert.equal(e.method, 'blank-full');
    assert.equal(e.disc.profile?.code, 0x14);
    const r = await s.service.burn(V, bytesSource(image(20, 2)), { clientName: 'Seq' });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.writeType, 'incremental');
  });
});

/** The data-out of every FORMAT UNIT the host sends (the drive's log keeps CDBs only). */
function captureFormatLists(drive: ReturnType<typeof bench>['drive']): Uint8Array[] {
  const lists: Uint8Array[] = [];
  const device = drive.device;
  const transferOut = device.transferOut.bind(device);
  let formatNext = false;
  device.transferOut = (ep: number, data: Parameters<typeof transferOut>[1]) => {
    const bytes = new Uint8Array((data as Uint8Array).slice());
    if (bytes.length === 31 && bytes[0] === 0x55)
      formatNext = bytes[15] === 0x04; // a CBW
    else if (formatNext) lists.push(bytes);
    return transferOut(ep, data);
  };
  return lists;
}

describe('FORMAT UNIT from READ FORMAT CAPACITIES and feature 0023h (issue 13, item 14)', () => {
  it('BD-RE: the default 30h descriptor as listed (blocks and type dependent parameter)', async () => {
    const b = bench({ media: 'bd-re' });
    const lists = captureFormatLists(b.drive);
    const s = b.session('A');
    const r = await s.service.burn(V, bytesSource(image(40, 1)), {
      clientName: 'BD',
      verify: 'full',
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(lists.length, 1);
    const d = lists[0]!;
    assert.deepEqual(
      [
        d[1],
        (d[4]! << 24) | (d[5]! << 16) | (d[6]! << 8) | d[7]!,
        d[8]! >> 2,
        (d[9]! << 16) | (d[10]! << 8) | d[11]!,
      ],
      [0x82, 11_826_176, 0x30, 0x3000],
      'FOV|IMMED, the first 30h descriptor: 11826176 blocks, 3000h',
    );
    assert.equal(d[8]! & 3, 3, 'quick certification: the drive offers it (feature 0023h QCERT)');
    assert.equal(r.value.disc.capacityBlocks, 11_826_176);
  });

  for (const full of [false, true]) {
    it(`BD-RE on a drive with no certification: ${full ? 'a full' : 'a quick'} erase formats with subtype 00b`, async () => {
      const b = bench({ media: 'bd-re', certification: { full: false, quick: false } });
      const lists = captureFormatLists(b.drive);
      const s = b.session('A');
      const r = await s.service.eraseMedia(V, { clientName: 'Erase', full });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(lists.at(-1)![8]! & 3, 0);
    });
  }

  it('BD-RE full erase: full certification (10b) where the drive has it', async () => {
    const b = bench({ media: 'bd-re' });
    const lists = captureFormatLists(b.drive);
    ok(await b.session('A').service.eraseMedia(V, { clientName: 'Erase', full: true }));
    assert.equal(lists.at(-1)![8]! & 3, 2);
  });

  it('DVD+RW: the 26h descriptor as listed', async () => {
    const b = bench({ media: 'dvd+rw' });
    const lists = captureFormatLists(b.drive);
    const r = await b.session('A').service.eraseMedia(V, { clientName: 'Erase' });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    const d = lists[0]!;
    assert.deepEqual(
      [d[1], (d[4]! << 24) | (d[5]! << 16) | (d[6]! << 8) | d[7]!, d[8], d[9], d[10], d[11]],
      [0x02, 2_295_104, 0x26 << 2, 0, 0, 0],
    );
  });
});

describe('DVD+RW background format: stopped and closed (issue 13, item 12)', () => {
  /** BG FORMAT STATUS from READ DISC INFORMATION byte 7 (a raw read, as a host would). */
  async function bgStatus(s: ReturnType<ReturnType<typeof bench>['session']>): Promise<number> {
    ok(await s.service.getMedia(V));
    const r = ok(
      await s.service.sendCommand(V, '51 00 00 00 00 00 00 00 22 00', {
        direction: 'in',
        length: 34,
      }),
    );
    return r.data[7]! & 3;
  }

  it('a blank DVD+RW is formatted, written, then closed: other drives read it', async () => {
    const b = bench({ media: 'dvd+rw' });
    const s = b.session('A');
    const r = await s.service.burn(V, bytesSource(image(100, 3)), {
      clientName: 'Plus',
      verify: 'full',
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    // growisofs plus_rw_finalize: CLOSE 000b ("Stop De-Icing"), then 010b (lead-out).
    const closes = b.drive.log.filter((e) => e.opcode === 0x5b).map((e) => e.cdb.slice(4, 6));
    assert.deepEqual(closes, ['00', '02']);
    assert.equal(b.drive.state.disc?.readableElsewhere, true, 'a lead-out follows the data');
    assert.equal(await bgStatus(s), 1, 'partly formatted: stopped, not running');
  });

  it('erasing (formatting) a DVD+RW closes it too, as dvd+rw-format does', async () => {
    const b = bench({ media: 'dvd+rw', formatted: true });
    const s = b.session('A');
    ok(await s.service.eraseMedia(V, { clientName: 'Erase' }));
    assert.equal(b.drive.state.disc?.readableElsewhere, true);
    assert.equal(await bgStatus(s), 1);
  });

  it('a stopped format (01b) is restarted before writing past the formatted part', async () => {
    const b = bench({ media: 'dvd+rw', formatted: 'partial' });
    const s = b.session('A');
    assert.equal(await bgStatus(s), 1);
    const startLba = 2_000_000; // past the formatted quarter
    const data = image(32, 7);
    const r = await s.service.burn(V, bytesSource(data), {
      clientName: 'Plus',
      startLba,
      verify: 'full',
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    const formats = b.drive.log.filter((e) => e.opcode === 0x04);
    assert.equal(formats.length, 1, 'FORMAT UNIT 26h with the Restart bit');
    assert.deepEqual(ok(await s.service.readSectors(V, startLba, 32)), data);
    assert.equal(b.drive.state.disc?.readableElsewhere, true);
  });

  it('a complete format (11b) is left alone', async () => {
    const b = bench({ media: 'dvd+rw', formatted: true });
    const s = b.session('A');
    const r = await s.service.burn(V, bytesSource(image(16, 1)), { clientName: 'Plus' });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(b.drive.log.filter((e) => e.opcode === 0x04).length, 0);
    assert.equal(await bgStatus(s), 3);
  });
});
