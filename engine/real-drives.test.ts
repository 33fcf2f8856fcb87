/**
 * The engine against the virtual recorder's real-drive personalities and
 * switches (issue 13, items 16 and 17; docs/real-drives.md). Each case was
 * wrong before: no tracks when READ TRACK INFORMATION is missing, "lock: no"
 * when the drive did not say, and one MODE SENSE refusal listed twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PERSONALITY_NAMES } from '../virtual-recorder/src/index.ts';
import { bench, ok, V } from './test-kit.ts';

describe('real drives: what the engine reads from drives that lack commands', () => {
  it('READ TRACK INFORMATION refused (QEMU scsi-cd): the tracks come from READ TOC', async () => {
    const b = bench({ media: 'cd-rom', unsupportedCommands: [0x52] });
    const s = b.session('A');
    const media = ok(await s.service.getMedia(V));
    assert.equal(media.present, true);
    assert.equal(media.tracks.length, 1);
    const [track] = media.tracks;
    assert.deepEqual([track!.number, track!.start, track!.mode], [1, 0, 'data']);
    assert.equal(track!.size, media.capacityBlocks);
    assert.ok(track!.size > 0);
  });

  it('a bare CD-ROM bridge: media from READ CAPACITY, capabilities unknown, each refusal once', async () => {
    const b = bench({ media: 'cd-rom', personality: 'bare-cdrom-bridge' });
    const s = b.session('A');
    const media = ok(await s.service.getMedia(V));
    assert.equal(media.tracks.length, 1);
    assert.ok(media.capacityBlocks > 0);
    const info = ok(await s.service.getInfo(V));
    assert.equal(info.capabilities.canLock, null, 'unknown, not "no"');
    assert.equal(info.capabilities.canEject, null);
    assert.ok(info.unsupported.includes('GET CONFIGURATION'));
    assert.ok(info.unsupported.includes('MODE SENSE(10) page 2Ah'));
    assert.equal(new Set(info.unsupported).size, info.unsupported.length, 'each once');
  });

  it('a full burner says what it can', async () => {
    const s = bench({ media: 'dvd+r' }).session('A');
    const info = ok(await s.service.getInfo(V));
    assert.equal(info.capabilities.canLock, true);
    assert.deepEqual(info.unsupported, []);
  });
});

describe('real drives: every personality runs the same host flows', () => {
  for (const personality of PERSONALITY_NAMES) {
    it(`${personality}: identify, media, exclusive access with the tray locked, read`, async () => {
      const b = bench({ media: 'cd-rom', personality });
      const s = b.session('A');
      const info = ok(await s.service.getInfo(V));
      assert.ok(info.identity.vendor.length > 0);
      const media = ok(await s.service.getMedia(V));
      assert.equal(media.present, true);
      assert.ok(media.tracks.length >= 1, 'tracks are listed');
      const lock = ok(await s.service.acquireExclusiveAccess(V, false, 'Personality'));
      assert.equal(lock.count, 1);
      assert.equal(b.drive.state.prevent, true, 'the tray is locked while owned');
      const sectors = ok(await s.service.readSectors(V, 16, 2));
      assert.equal(sectors.length, 2 * 2048);
      assert.equal(sectors[1], 0x43, 'the ISO 9660 volume descriptor ("CD001")');
      ok(await s.service.releaseExclusiveAccess(V));
      assert.equal(b.drive.state.prevent, false, 'and unlocked after');
    });
  }
});
