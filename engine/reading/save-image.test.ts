/**
 * Saving discs as images: every virtual medium round-trips; damaged sectors
 * (the virtual recorder's lasting damage, 3/11/00 with INFORMATION as a
 * drive reports it) stop the save at the exact LBA or, with
 * continuePastErrors, are zero-filled and listed in the rescue map; weak
 * sectors come back with retries; a cancelled save resumes from its map to
 * the same SHA-256 as an uninterrupted one.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { bytesSource, planImage } from '../../disc-fs/src/index.ts';
import { V, bench, image, ok } from '../test-kit.ts';
import type { Digests } from './digests.ts';
import { RescueMap } from './rescue-map.ts';
import type { ImageSink } from './save-image.ts';

/** An image sink in memory. */
function memorySink(): ImageSink & { bytes(): Uint8Array } {
  let buf = new Uint8Array(0);
  return {
    async write(offset, data) {
      if (offset + data.length > buf.length) {
        const grown = new Uint8Array(Math.max(offset + data.length, buf.length * 2));
        grown.set(buf);
        buf = grown;
      }
      buf.set(data, offset);
    },
    async read(offset, length) {
      return buf.slice(offset, offset + length);
    },
    bytes: () => buf,
  };
}

/** node:crypto, as the CLI hands in (the engine's own default is hash-wasm). */
function nodeLikeDigests(): Digests {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  return {
    update(b) {
      sha256.update(b);
      md5.update(b);
    },
    digest: () => ({ sha256: sha256.digest('hex'), md5: md5.digest('hex') }),
  };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** An ISO 9660 image of a few files (so overwritable media have a volume size to go by). */
async function isoImage(kib: number): Promise<Uint8Array> {
  const plan = planImage(
    {
      kind: 'dir',
      name: '',
      children: [
        {
          kind: 'file',
          name: 'data.bin',
          size: kib * 1024,
          content: bytesSource(image(kib / 2, 9)),
        },
      ],
    },
    { date: Date.UTC(2024, 0, 1) },
  );
  const parts: Uint8Array[] = [];
  for await (const c of plan.stream()) parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

describe('saving a disc as an image', () => {
  for (const media of [
    'cd-r',
    'cd-rw',
    'dvd-r',
    'dvd+r',
    'dvd+rw',
    'dvd-rw-ro',
    'bd-r',
    'bd-re',
  ] as const) {
    it(`${media}: the saved image is the burned one, with its SHA-256 and MD5`, async () => {
      const b = bench({ media });
      const s = b.session('A');
      const iso = await isoImage(600);
      const burned = await s.service.burnImage(
        V,
        { kind: 'bytes', bytes: iso },
        { clientName: 'Burn' },
      );
      assert.ok(burned.ok, JSON.stringify(burned.ok ? '' : burned.error));
      const sink = memorySink();
      const r = ok(await s.service.saveDisc(V, sink, {}, { digests: nodeLikeDigests() }));
      assert.equal(r.startLba, 0);
      // Sequential media: the track as written (CD TAO pads with the 150-sector run-out xorriso adds too).
      assert.ok(r.sectors * 2048 >= iso.length, `${r.sectors} sectors hold the image`);
      const saved = sink.bytes().subarray(0, r.bytes);
      assert.deepEqual(saved.subarray(0, iso.length), iso);
      assert.equal(r.sha256, sha(saved));
      assert.equal(r.md5, createHash('md5').update(saved).digest('hex'));
      assert.equal(r.badSectors, 0);
    });
  }

  it('stops at the first damaged sector, exactly, and says so; the map says what was read', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const img = image(2000, 3);
    ok(await s.service.burnImage(V, { kind: 'bytes', bytes: img }, { clientName: 'Burn' }));
    b.drive.faults.damagedSectors(1234, 3);
    let map: RescueMap | undefined;
    const sink = memorySink();
    const r = await s.service.saveDisc(V, sink, { retries: 2 }, { onMap: (m) => void (map = m) });
    assert.equal(r.ok ? 'ok' : r.error.name, 'HRESULT_FROM_WIN32_ERROR_CRC');
    assert.equal(r.ok ? -1 : r.error.firstBadLba, 1234);
    assert.deepEqual(map?.ranges('+'), [{ start: 0, count: 1234 }]);
    assert.deepEqual(map?.ranges('-'), [{ start: 1234, count: 1 }]);
    assert.deepEqual(sink.bytes().subarray(0, 1234 * 2048), img.subarray(0, 1234 * 2048));
  });

  it('continues past damage: zero-filled, the exact ranges in the map, resumable in ddrescue format', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const img = image(3000, 4);
    ok(await s.service.burnImage(V, { kind: 'bytes', bytes: img }, { clientName: 'Burn' }));
    b.drive.faults.damagedSectors(700, 5).damagedSectors(2999, 1).damagedSectors(1500, 1);
    let text = '';
    const sink = memorySink();
    const r = ok(
      await s.service.saveDisc(
        V,
        sink,
        { continuePastErrors: true, retries: 2 },
        {
          onMap: (m, at) => void (text = m.encode(at)),
        },
      ),
    );
    assert.deepEqual(r.badRanges, [
      { start: 700, count: 5 },
      { start: 1500, count: 1 },
      { start: 2999, count: 1 },
    ]);
    assert.equal(r.badSectors, 7);
    const saved = sink.bytes();
    const expected = img.slice();
    for (const [at, n] of [
      [700, 5],
      [1500, 1],
      [2999, 1],
    ] as const)
      expected.fill(0, at * 2048, (at + n) * 2048);
    assert.deepEqual(saved.subarray(0, img.length), expected);
    // The mapfile is GNU ddrescue's: byte positions in hex, '+' read, '-' bad.
    assert.match(text, /^0x0015E000 {2}0x00002800 {2}-$/m); // LBA 700, 5 sectors
    const again = RescueMap.parse(text, 0, 3000);
    assert.deepEqual(again.ranges('-'), r.badRanges);
  });

  it('a drive unplugged mid-save ends it with a typed error; the map keeps what was read', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    ok(
      await s.service.burnImage(
        V,
        { kind: 'bytes', bytes: image(3000, 9) },
        { clientName: 'Burn' },
      ),
    );
    b.drive.faults.disconnectAfterBytes(1500 * 2048);
    let map: RescueMap | undefined;
    const r = await s.service.saveDisc(
      V,
      memorySink(),
      { chunkSectors: 64 },
      { onMap: (m) => void (map = m) },
    );
    assert.equal(r.ok, false);
    assert.notEqual(r.ok ? '' : r.error.name, 'E_FAIL', 'a typed error, not a generic one');
    assert.ok(map, 'the map was handed over on failure');
    assert.ok(
      map.sectors('+') > 0 && map.sectors('+') <= 1500,
      `${map.sectors('+')} sectors marked read`,
    );
    assert.equal(map.sectors('-'), 0, 'a lost drive is not a damaged disc');
  });

  it('gets weak sectors back with its retries', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    const img = image(500, 5);
    ok(await s.service.burnImage(V, { kind: 'bytes', bytes: img }, { clientName: 'Burn' }));
    b.drive.faults.damagedSectors(100, 2, 2); // each fails twice, then reads
    const sink = memorySink();
    const r = ok(await s.service.saveDisc(V, sink, { retries: 4 }));
    assert.equal(r.badSectors, 0);
    assert.deepEqual(sink.bytes().subarray(0, img.length), img);
  });

  it('a cancelled save resumes from its map to the same image and SHA-256', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const img = image(4000, 6);
    ok(await s.service.burnImage(V, { kind: 'bytes', bytes: img }, { clientName: 'Burn' }));
    const sink = memorySink();
    let map: RescueMap | undefined;
    let cancelled = false;
    const unsubscribe = s.service.subscribe((e) => {
      if (
        e.type === 'progress' &&
        e.progress.action === 'reading' &&
        (e.progress.position ?? 0) > 1500 &&
        !cancelled
      ) {
        cancelled = true;
        void s.service.cancelOperation(V);
      }
    });
    const first = await s.service.saveDisc(
      V,
      sink,
      { chunkSectors: 64 },
      { onMap: (m) => void (map = m) },
    );
    void unsubscribe;
    assert.equal(first.ok ? 'ok' : first.error.name, 'E_IMAPI_REQUEST_CANCELLED');
    assert.ok(map && !map.finished && map.sectors('+') >= 1500);
    const text = map.encode();
    const second = ok(
      await s.service.saveDisc(
        V,
        sink,
        { chunkSectors: 64 },
        {
          resume: RescueMap.parse(text, 0, map.count),
          digests: nodeLikeDigests(),
        },
      ),
    );
    assert.equal(second.resumed, true);
    assert.ok(second.sectorsRead < 4000 - 1400, `resumed, read ${second.sectorsRead} sectors`);
    assert.equal(second.sha256, sha(img));
    assert.deepEqual(sink.bytes().subarray(0, img.length), img);
  });

  it('saves one session or one track of a multisession CD', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    const one = image(300, 7);
    const two = image(200, 8);
    ok(await s.service.burnImage(V, { kind: 'bytes', bytes: one }, { clientName: 'Burn' }));
    ok(
      await s.service.burnImage(
        V,
        { kind: 'bytes', bytes: two },
        { clientName: 'Burn', masteredFor: 'any' },
      ),
    );
    const media = ok(await s.service.getMedia(V));
    assert.equal(media.sessions, 2);
    const sink = memorySink();
    const r = ok(await s.service.saveDisc(V, sink, { range: { kind: 'session', session: 2 } }));
    assert.equal(r.startLba, media.tracks[1]!.start);
    assert.deepEqual(sink.bytes().subarray(0, two.length), two);
    // The whole disc: the gap between the sessions (not readable, as on a real
    // disc) is zeros in the image; both sessions are at their addresses.
    const whole = memorySink();
    const w = ok(await s.service.saveDisc(V, whole));
    const second = media.tracks[1]!.start;
    assert.equal(w.sectors, second + 200);
    assert.deepEqual(whole.bytes().subarray(0, one.length), one);
    assert.deepEqual(whole.bytes().subarray(second * 2048, second * 2048 + two.length), two);
    assert.ok(
      whole
        .bytes()
        .subarray(300 * 2048, second * 2048)
        .every((b) => b === 0),
    );
    assert.equal(w.badSectors, 0);
    const t = ok(await s.service.saveDisc(V, memorySink(), { range: { kind: 'track', track: 1 } }));
    assert.equal(t.startLba, 0);
    const missing = await s.service.saveDisc(V, memorySink(), {
      range: { kind: 'track', track: 9 },
    });
    assert.equal(missing.ok ? 'ok' : missing.error.name, 'E_INVALIDARG');
  });

  it('refuses a blank disc in words, and a map for another range', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const r = await s.service.saveDisc(V, memorySink());
    assert.equal(r.ok ? 'ok' : r.error.name, 'IMAPI_E_EMPTY_DISC');
    assert.throws(
      () => RescueMap.parse(RescueMap.fresh(0, 10).encode(), 0, 20),
      /covers LBAs 0\.\.9/,
    );
  });
});
