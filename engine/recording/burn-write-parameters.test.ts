/**
 * Write parameters per medium (issue 13, items 9-11) against the virtual
 * recorder's real-drive behaviour: page 05h as libburn and growisofs compose
 * it for DVD-R/-RW (docs/real-drives.md §4), DVD-RW after a minimal blank
 * (feature 0021h not current: DAO only), CD SAO written from LBA -150.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ModePageCode,
  encodeModeParameterList,
  encodeWriteParameters,
  findModePage,
  parseModeParameterList,
  parseWriteParameters,
  type WriteParameters,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import { toHex } from '../../usb-mass-storage/src/struct.ts';
import { V, bench, image, ok, type Session } from '../test-kit.ts';
import { bytesSource, streamSource } from './source.ts';

const MODE_SENSE_05 = '5a 00 05 00 00 00 00 00 ff 00';

/** The page 05h the drive holds now (MODE SENSE(10), current values). */
async function heldPage05(s: Session): Promise<WriteParameters> {
  ok(await s.service.getMedia(V)); // takes any unit attention first
  const r = ok(await s.service.sendCommand(V, MODE_SENSE_05, { direction: 'in', length: 255 }));
  assert.equal(r.status, 'good', r.senseText ?? '');
  const page = findModePage(parseModeParameterList(r.data), ModePageCode.WriteParameters);
  assert.ok(page, 'page 05h');
  return parseWriteParameters(page);
}

/** What another host left in page 05h: MODE SELECT(10) of `change` over the current page. */
async function leavePage05(s: Session, change: Partial<WriteParameters>): Promise<void> {
  const next = encodeWriteParameters({ ...(await heldPage05(s)), ...change, ps: false });
  const list = encodeModeParameterList(
    {
      mediumType: 0,
      deviceSpecific: 0,
      longLba: false,
      blockDescriptors: new Uint8Array(0),
      pages: [next],
    },
    { select: true },
  );
  const cdb = toHex(Uint8Array.of(0x55, 0x10, 0, 0, 0, 0, 0, list.length >> 8, list.length, 0));
  // A raw MODE SELECT is sent only under exclusive access (the recorder's rule).
  ok(await s.service.acquireExclusiveAccess(V, false, 'Other host'));
  const r = ok(await s.service.sendCommand(V, cdb, { direction: 'out', bytes: list }));
  ok(await s.service.releaseExclusiveAccess(V));
  assert.equal(r.status, 'good', r.senseText ?? '');
}

describe('page 05h per medium (issue 13, item 9)', () => {
  for (const media of ['dvd-r', 'dvd-rw'] as const) {
    it(`${media} incremental: LS_V=1, link size 16, track mode 5, FP=1, packet 16, whatever the drive held`, async () => {
      // A CD burn left page 05h with the CD link size (7) and its own packet setup.
      const b = bench({ media: 'cd-r' });
      const s = b.session('A');
      await leavePage05(s, {
        lsValid: true,
        linkSize: 7,
        fixedPacket: true,
        packetSize: 32,
        trackMode: 4,
      });
      b.drive.changeMedia(media);
      const data = image(64, 9);
      const r = await s.service.burn(V, bytesSource(data), { clientName: 'Inc', verify: 'full' });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(r.value.writeType, 'incremental');
      const p = await heldPage05(s);
      assert.deepEqual(
        {
          writeType: p.writeType,
          lsValid: p.lsValid,
          linkSize: p.linkSize,
          trackMode: p.trackMode,
          fixedPacket: p.fixedPacket,
          packetSize: p.packetSize,
          dataBlockType: p.dataBlockType,
          multiSession: p.multiSession,
        },
        {
          writeType: 0,
          lsValid: true,
          linkSize: 16,
          trackMode: 5,
          fixedPacket: true,
          packetSize: 16,
          dataBlockType: 8,
          multiSession: 3,
        },
      );
    });
  }

  it('dvd-r disc-at-once: LS_V=0, multi-session 00, track mode 5, no fixed packets', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    await leavePage05(s, { lsValid: true, linkSize: 7, fixedPacket: true, packetSize: 32 });
    b.drive.changeMedia('dvd-r');
    const r = await s.service.burn(V, bytesSource(image(48, 2)), {
      clientName: 'DAO',
      close: true,
      verify: 'full',
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.writeType, 'dao');
    const p = await heldPage05(s);
    assert.deepEqual(
      [p.writeType, p.lsValid, p.multiSession, p.trackMode, p.fixedPacket, p.packetSize],
      [2, false, 0, 5, false, 0],
    );
  });

  it('cd-r track-at-once: the CD setup (track mode 4, no link size, no fixed packets)', async () => {
    const b = bench({ media: 'dvd-r' });
    const s = b.session('A');
    ok(await s.service.burn(V, bytesSource(image(32, 1)), { clientName: 'Inc' }));
    b.drive.changeMedia('cd-r');
    const r = await s.service.burn(V, bytesSource(image(300, 3)), { clientName: 'TAO' });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    const p = await heldPage05(s);
    assert.deepEqual(
      [p.writeType, p.lsValid, p.trackMode, p.fixedPacket, p.packetSize, p.multiSession],
      [1, false, 4, false, 0, 3],
    );
  });
});

describe('DVD-RW after a minimal blank (issue 13, item 10)', () => {
  it('feature 0021h is not current: the burn is written disc-at-once and the disc closed', async () => {
    const b = bench({ media: 'dvd-rw' });
    const s = b.session('A');
    ok(await s.service.burn(V, bytesSource(image(64, 1)), { clientName: 'First' }));
    ok(await s.service.eraseMedia(V, { clientName: 'Quick' })); // BLANK 001b
    const data = image(80, 5);
    const r = await s.service.burn(V, bytesSource(data), { clientName: 'After', verify: 'full' });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.writeType, 'dao', 'growisofs engages DAO when 0021h is not current');
    assert.equal(r.value.closed, true, 'DAO closes the disc');
    assert.equal(r.value.disc.status, 'complete');
    assert.ok(
      b.drive.log.some((e) => e.opcode === 0x53),
      'RESERVE TRACK of the image size',
    );
  });

  it('a stream of unknown size cannot be written: the error says why', async () => {
    const b = bench({ media: 'dvd-rw' });
    const s = b.session('A');
    ok(await s.service.burn(V, bytesSource(image(64, 1)), { clientName: 'First' }));
    ok(await s.service.eraseMedia(V, { clientName: 'Quick' }));
    b.drive.clearLog();
    const data = image(32, 2);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(data);
        c.close();
      },
    });
    const r = await s.service.burn(V, streamSource(stream), { clientName: 'Stream' });
    assert.equal(r.ok ? '' : r.error.name, 'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE');
    assert.match(r.ok ? '' : r.error.message, /minimal|full erase|incremental/i);
    assert.ok(!b.drive.log.some((e) => e.opcode === 0x2a), 'nothing was written');
  });

  it('after a full blank the disc takes incremental writing again', async () => {
    const b = bench({ media: 'dvd-rw' });
    const s = b.session('A');
    ok(await s.service.burn(V, bytesSource(image(64, 1)), { clientName: 'First' }));
    ok(await s.service.eraseMedia(V, { clientName: 'Full', full: true }));
    const r = await s.service.burn(V, bytesSource(image(64, 3)), { clientName: 'Inc' });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.writeType, 'incremental');
    assert.equal(r.value.disc.status, 'appendable');
  });
});

describe('CD session-at-once from LBA -150 (issue 13, item 11)', () => {
  it('on a drive that generates no pre-gap: the host sends it from -150, then the track from 0', async () => {
    const b = bench({ media: 'cd-r', saoGeneratesPregap: false });
    const s = b.session('A');
    const data = image(400, 8);
    const r = await s.service.burn(V, bytesSource(data), {
      clientName: 'SAO',
      writeType: 'sao',
      verify: 'full',
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.startLba, 0);
    const writes = b.drive.log.filter((e) => e.opcode === 0x2a);
    // The log keeps each CDB as hex: LBA in bytes 2-5 (signed here), blocks in 7-8.
    const lbaOf = (cdb: string) => Number.parseInt(cdb.replace(/ /g, '').slice(4, 12), 16) | 0;
    const blocksOf = (cdb: string) => Number.parseInt(cdb.replace(/ /g, '').slice(14, 18), 16);
    assert.equal(lbaOf(writes[0]!.cdb), -150, 'the first WRITE is at FFFFFF6Ah');
    assert.equal(
      writes.reduce((n, w) => n + blocksOf(w.cdb), 0),
      150 + 400,
      'the pre-gap and the track, nothing else',
    );
    assert.deepEqual(ok(await s.service.readSectors(V, 0, 64)), data.subarray(0, 64 * 2048));
  });

  it('the NWA is read once the write parameters are set, before the cue sheet (libburn order)', async () => {
    // A drive that reports no NWA before page 05h is selected (LG GSA-4082B in libburn's write.c).
    const b = bench({ media: 'cd-r', nwaNeedsWriteParameters: true });
    const s = b.session('A');
    const r = await s.service.burn(V, bytesSource(image(300, 4)), {
      clientName: 'SAO',
      writeType: 'sao',
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    const names = b.drive.log.map((e) => e.name);
    const select = names.lastIndexOf('MODE SELECT(10)');
    const nwa = names.indexOf('READ TRACK INFORMATION', select);
    const cue = names.indexOf('SEND CUE SHEET');
    const firstWrite = names.indexOf('WRITE(10)');
    assert.ok(select >= 0 && select < nwa && nwa < cue && cue < firstWrite, names.join(', '));
  });

  for (const media of ['cd-r', 'dvd-r'] as const) {
    it(`${media}: incremental/TAO on that drive reads the NWA after page 05h too`, async () => {
      const b = bench({ media, nwaNeedsWriteParameters: true });
      const s = b.session('A');
      const data = image(300, 6);
      const r = await s.service.burn(V, bytesSource(data), { clientName: 'TAO', verify: 'full' });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(r.value.startLba, 0);
    });
  }
});
