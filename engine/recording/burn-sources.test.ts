/**
 * Sources (a Blob/File, a stream of 2048-byte sectors, bytes), the exact
 * sector arithmetic of "does it fit", speed choices from the drive, and the
 * stream re-chunking that feeds WRITE(10).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { V, bench, image, ok } from '../test-kit.ts';
import { blobSource, bytesSource, sectorChunks, sectorsFor, streamSource } from './source.ts';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c.slice());
  return out;
}

describe('image sources', () => {
  it('burns a Blob (a picked .iso) and verifies it against the Blob', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const bytes = image(500, 11);
    const r = await s.service.burnImage(
      V,
      { kind: 'blob', blob: new Blob([bytes]) },
      { clientName: 'Blob', verify: 'full' },
    );
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.sectorCount, 500);
  });

  it('burns a ReadableStream of 2048-byte sectors whose size is not known up front', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    const bytes = image(130, 12);
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= 130) return controller.close();
        controller.enqueue(bytes.subarray(i * 2048, ++i * 2048));
      },
    });
    const r = await s.service.burnImage(
      V,
      { kind: 'stream', stream },
      { clientName: 'Stream', verify: 'full' },
    );
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.sectorCount, 130);
    const back = ok(await s.service.readSectors(V, r.value.startLba, 130));
    assert.deepEqual(back, bytes);
  });

  it('uses exact sector arithmetic: a partial last sector counts, and one sector too many does not fit', async () => {
    assert.equal(sectorsFor(0), 0);
    assert.equal(sectorsFor(1), 1);
    assert.equal(sectorsFor(2048), 1);
    assert.equal(sectorsFor(2049), 2);
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    const free = ok(await s.service.getMedia(V)).freeBlocks;
    const exact = { size: free * 2048, stream: async function* () {} };
    const over = { size: free * 2048 + 1, stream: async function* () {} };
    const r = await s.service.burn(V, over, { clientName: 'Fit' });
    assert.equal(r.ok ? '' : r.error.name, 'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA');
    // The exact fit passes the check (and then finds the stream empty of data).
    const e = await s.service.burn(V, exact, { clientName: 'Fit' });
    assert.notEqual(e.ok ? '' : e.error.name, 'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA');
  });

  it('reads a Blob back at any offset for verification', async () => {
    const bytes = image(3, 1);
    const src = blobSource(new Blob([bytes]));
    assert.deepEqual(await src.readAt!(2048, 2048), bytes.subarray(2048, 4096));
    assert.equal(src.size, 3 * 2048);
  });

  it('a one-pass stream cannot be read twice (a clear error, not wrong data)', async () => {
    const src = streamSource(
      (async function* () {
        yield new Uint8Array(2048);
      })(),
    );
    await collect(src.stream());
    await assert.rejects(collect(src.stream()), /only once/);
  });
});

describe('sectorChunks', () => {
  it('regroups any input split into exact chunks, zero-padding only the last sector', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }).map((n) => n * 2048),
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 8 }),
        async (chunkBytes, cuts) => {
          const total = cuts.reduce((a, b) => a + b, 0);
          const data = image(Math.ceil(total / 2048) + 1, 3).subarray(0, total);
          let at = 0;
          const pieces = cuts.map((c) => data.subarray(at, (at += c)));
          const out = await collect(
            sectorChunks(
              (async function* () {
                yield* pieces;
              })(),
              chunkBytes,
            ),
          );
          const joined = Buffer.concat(out);
          assert.equal(joined.length, Math.ceil(total / 2048) * 2048);
          assert.ok(joined.subarray(0, total).equals(data));
          assert.ok(joined.subarray(total).every((b) => b === 0));
          out.slice(0, -1).forEach((c) => assert.equal(c.length, chunkBytes));
        },
      ),
    );
  });

  it('never writes into the source', async () => {
    const data = image(5, 4).subarray(0, 5 * 2048 - 100);
    const copy = data.slice();
    await collect(sectorChunks(bytesSource(data).stream(), 4096));
    assert.deepEqual(data, copy);
  });
});

describe('write speed', () => {
  it('comes from the drive: a requested speed is adjusted to one the drive offers', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    const speeds = ok(await s.service.getInfo(V)).capabilities.writeSpeedsKBps;
    assert.ok(speeds.length > 0, 'the drive reports write speeds');
    const slowest = Math.min(...speeds);
    const r = await s.service.burn(V, bytesSource(image(16, 1)), {
      clientName: 'Speed',
      speedKBps: slowest + 1,
    });
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.ok(r.value.speedKBps !== null && speeds.includes(r.value.speedKBps));
    assert.ok(r.value.speedKBps! <= slowest + 1);
  });
});
