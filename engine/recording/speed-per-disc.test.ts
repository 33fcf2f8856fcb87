/**
 * The write speeds on offer are the disc's (issue 19, defect 2: "a DVD+R
 * offers CD speeds"): the medium's state carries the speeds the drive reports
 * for the disc in it (GET PERFORMANCE TYPE 03h for DVD and BD, else page
 * 2Ah's write speed descriptors), read with the medium; the drive's info,
 * read while another disc was in, is read again once the medium's profile
 * differs from the one it was read with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEDIA } from '../../virtual-recorder/src/index.ts';
import { V, bench, image, ok } from '../test-kit.ts';
import { bytesSource } from './source.ts';

describe('write speeds per disc (issue 19, defect 2)', () => {
  it('a DVD+R after a CD-R offers the DVD+R speeds, in the media state and the info', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A').service;
    const cdSpeeds = [...MEDIA['cd-r'].writeSpeeds];
    assert.deepEqual(ok(await s.getInfo(V)).capabilities.writeSpeedsKBps, cdSpeeds);
    assert.deepEqual(ok(await s.getMedia(V)).writeSpeedsKBps, cdSpeeds);

    b.drive.changeMedia('dvd+r');
    const dvdSpeeds = [...MEDIA['dvd+r'].writeSpeeds];
    // The page asks for both at once; the info may still be the CD-R's then,
    // the medium is read now and carries its own speeds.
    await s.getInfo(V);
    const media = ok(await s.getMedia(V));
    assert.equal(media.physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSR');
    assert.deepEqual(media.writeSpeedsKBps, dvdSpeeds);
    assert.deepEqual(ok(await s.getInfo(V)).capabilities.writeSpeedsKBps, dvdSpeeds);
  });

  it('the fastest first, none for a pressed disc, and a drive without page 2Ah or GET PERFORMANCE', async () => {
    const b = bench({ media: 'bd-r' });
    const s = b.session('A').service;
    const speeds = ok(await s.getMedia(V)).writeSpeedsKBps ?? [];
    assert.deepEqual(speeds, [...MEDIA['bd-r'].writeSpeeds]);
    assert.deepEqual(
      speeds,
      [...speeds].sort((x, y) => y - x),
    );
    b.drive.changeMedia('dvd-rom');
    assert.deepEqual(ok(await s.getMedia(V)).writeSpeedsKBps, []);

    const bare = bench({
      media: 'cd-rw',
      unsupportedCommands: [0xac],
      unsupportedModePages: [0x2a],
    });
    assert.deepEqual(ok(await bare.session('B').service.getMedia(V)).writeSpeedsKBps, []);
  });

  it('a speed chosen from the list is the one the burn uses and reports', async () => {
    const b = bench({ media: 'dvd+r' });
    const session = b.session('A');
    const s = session.service;
    const speeds = ok(await s.getMedia(V)).writeSpeedsKBps ?? [];
    const slowest = speeds.at(-1)!;
    const r = await s.burn(V, bytesSource(image(32, 2)), { clientName: 'S', speedKBps: slowest });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.speedKBps, slowest);
    assert.equal(b.drive.state.writeSpeed, slowest);
    // The progress says the speed in use while writing, with the medium to say it in ×.
    const writing = session.events.flatMap((e) =>
      e.type === 'progress' && e.progress.action === 'writing' ? [e.progress] : [],
    );
    assert.ok(writing.length > 0);
    for (const p of writing) {
      assert.equal(p.writeSpeedKBps, slowest);
      assert.equal(p.physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSR');
    }
  });
});
