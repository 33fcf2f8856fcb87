/**
 * Copying a disc from one drive to another at once: two virtual recorders in
 * one service; the target disc holds the source's sectors, with a full
 * verification; a damaged source stops the copy (or, asked, is zero-filled);
 * a target that is too small stops the read; the same drive is refused in
 * words.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FileTreeEntry } from '../../contract/api.ts';
import { createVirtualRecorder, type MediaName } from '../../virtual-recorder/src/index.ts';
import { MemoryCoordinator } from '../coordinator.ts';
import { WebdiscService, type RecorderSource } from '../service.ts';
import { image, ok } from '../test-kit.ts';
import { VIRTUAL_ID, virtualSource } from '../virtual-source.ts';

/** Two drives: the virtual recorder as "virtual", a second one as "second". */
function twoDrives(from: MediaName, to: MediaName) {
  const a = createVirtualRecorder({ media: from });
  const b = createVirtualRecorder({ media: to, serial: 'SECOND' });
  const second: RecorderSource = {
    list: async () =>
      (await virtualSource(b).list()).map((d) => ({
        ...d,
        summary: { ...d.summary, id: 'second', name: 'Second drive' },
      })),
  };
  const service = new WebdiscService({
    sessionId: 'copy',
    coordinator: new MemoryCoordinator(),
    sources: [virtualSource(a), second],
    mcnIntervalMs: 0,
  });
  return { a, b, service };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('copying a disc between two drives', () => {
  it('the target holds the source disc, verified in full, with the same SHA-256', async () => {
    const { service } = twoDrives('dvd+r', 'dvd+r');
    const img = image(3000, 1);
    ok(
      await service.burnImage(VIRTUAL_ID, { kind: 'bytes', bytes: img }, { clientName: 'Master' }),
    );
    const r = ok(
      await service.copyDisc(VIRTUAL_ID, 'second', {}, { clientName: 'Copy', verify: 'full' }),
    );
    assert.equal(r.save.sectors, 3000);
    assert.equal(r.burn.sectorCount, 3000);
    assert.equal(r.burn.sha256, sha(img));
    assert.deepEqual(ok(await service.readSectors('second', 0, 3000)), img);
  });

  it('a damaged source stops the copy at the bad sector; with continuePastErrors it is zero-filled', async () => {
    const { a, service } = twoDrives('dvd+r', 'dvd+rw');
    const img = image(1000, 2);
    ok(
      await service.burnImage(VIRTUAL_ID, { kind: 'bytes', bytes: img }, { clientName: 'Master' }),
    );
    a.faults.damagedSectors(600, 1);
    const stopped = await service.copyDisc(
      VIRTUAL_ID,
      'second',
      { retries: 1 },
      { clientName: 'Copy' },
    );
    assert.equal(stopped.ok ? 'ok' : stopped.error.name, 'HRESULT_FROM_WIN32_ERROR_CRC');
    assert.equal(stopped.ok ? -1 : stopped.error.firstBadLba, 600);
    const r = ok(
      await service.copyDisc(
        VIRTUAL_ID,
        'second',
        { retries: 1, continuePastErrors: true },
        { clientName: 'Copy' },
      ),
    );
    assert.deepEqual(r.save.badRanges, [{ start: 600, count: 1 }]);
    const copied = ok(await service.readSectors('second', 0, 1000));
    const want = img.slice();
    want.fill(0, 600 * 2048, 601 * 2048);
    assert.deepEqual(copied, want);
  });

  it('a target too small fails before writing, and the read stops too', async () => {
    const { service } = twoDrives('dvd+r', 'cd-r');
    const img = image(400_000, 3).subarray(0, 400_000 * 2048); // more than a CD holds
    ok(
      await service.burnImage(VIRTUAL_ID, { kind: 'bytes', bytes: img }, { clientName: 'Master' }),
    );
    const r = await service.copyDisc(VIRTUAL_ID, 'second', {}, { clientName: 'Copy' });
    assert.equal(r.ok ? 'ok' : r.error.name, 'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA');
    assert.equal(ok(await service.getMedia('second')).status, 'blank');
    // The source drive is free again (the read was cancelled, not left running).
    assert.equal(ok(await service.getLockState(VIRTUAL_ID)).count, 0);
    ok(
      await service.saveDisc(
        VIRTUAL_ID,
        { write: async () => {} },
        { range: { kind: 'track', track: 1 }, chunkSectors: 4096 },
      ),
    );
  });

  it('the same drive is refused, saying how to copy with one drive', async () => {
    const { service } = twoDrives('dvd+r', 'dvd+r');
    ok(
      await service.burnImage(
        VIRTUAL_ID,
        { kind: 'bytes', bytes: image(10, 4) },
        { clientName: 'Master' },
      ),
    );
    const r = await service.copyDisc(VIRTUAL_ID, VIRTUAL_ID, {}, { clientName: 'Copy' });
    assert.equal(r.ok ? 'ok' : r.error.name, 'E_INVALIDARG');
    assert.match(r.ok ? '' : r.error.message, /save the disc as an image, insert a blank disc/);
  });

  for (const media of ['cd-r', 'dvd+r'] as const) {
    it(`${media}: a multisession disc is copied with its newest files, not the first session's`, async () => {
      const { service } = twoDrives(media, media);
      const file = (name: string, text: string) => ({
        kind: 'file' as const,
        name,
        blob: new Blob([text]),
      });
      const burn = async (children: FileTreeEntry[], append?: object) =>
        ok(
          await service.burnImage(
            VIRTUAL_ID,
            {
              kind: 'files',
              root: { kind: 'dir', name: '', children },
              image: { date: Date.UTC(2024, 0, 1), volumeLabel: 'MULTI' },
              ...(append ? { append } : {}),
            },
            { clientName: 'Master' },
          ),
        );
      await burn([file('first.txt', 'one'), file('changed.txt', 'old')]);
      await burn([file('second.txt', 'two'), file('changed.txt', 'new')], {});
      const source = ok(await service.getMedia(VIRTUAL_ID));
      assert.equal(source.sessions, 2);
      const newest = Math.max(...source.tracks.filter((t) => t.size > 0).map((t) => t.start));

      const r = ok(
        await service.copyDisc(VIRTUAL_ID, 'second', {}, { clientName: 'Copy', verify: 'full' }),
      );
      // PVD, Joliet SVD, terminator, then the first session's UDF bridge announcement
      // (BEA01, NSR02, TEA01): replaced by the newest set and zeros.
      assert.deepEqual(r.save.newestVolume, { sessionStart: newest, sectors: 6 });
      const at = (id: string, lba: number) => service.readSectors(id, lba, 1).then(ok);
      const copy = ok(await service.getMedia('second'));
      assert.equal(copy.sessions, 1, 'a copy is one session');
      // What a reader of the copy finds (its only session starts at 0): the newest tree.
      const listing = ok(await service.listDiscFiles({ kind: 'disc', id: 'second' }, '/'));
      assert.deepEqual(
        listing.entries.map((e) => e.name),
        ['changed.txt', 'first.txt', 'second.txt'],
      );
      const text = async (path: string) => {
        const parts: Uint8Array[] = [];
        for await (const c of await service.discFile({ kind: 'disc', id: 'second' }, path))
          parts.push(c.slice());
        return Buffer.concat(parts).toString();
      };
      assert.equal(await text('/changed.txt'), 'new');
      assert.equal(await text('/first.txt'), 'one');
      // No UDF on the copy: its reader (Windows prefers UDF) would show the first session.
      const ids: string[] = [];
      for (let lba = 16; lba < 32; lba++) {
        const d = await at('second', lba);
        ids.push(String.fromCharCode(...d.subarray(1, 6)));
      }
      assert.deepEqual(ids.slice(0, 3), ['CD001', 'CD001', 'CD001']);
      assert.ok(!ids.some((id) => /BEA01|NSR0|TEA01/.test(id)), ids.join(' '));
      // Every sector but the moved descriptors is the source's (the gaps as zeros).
      assert.deepEqual(await at('second', 16), await at(VIRTUAL_ID, newest + 16));
      assert.deepEqual(await at('second', newest + 20), await at(VIRTUAL_ID, newest + 20));
      // A plain save keeps the disc as it is.
      const plain = ok(await service.saveDisc(VIRTUAL_ID, { write: async () => {} }, {}));
      assert.equal(plain.newestVolume, undefined);
    });
  }
});
