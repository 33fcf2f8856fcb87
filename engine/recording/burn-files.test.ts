/**
 * Burning files and folders: the image is planned, checked against the disc
 * and every file checked readable before a single disc-changing command; the
 * disc then holds exactly the built stream (the same SHA-256 both sides), and
 * reads back through the file system with every file byte-identical.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileTreeEntry } from '../../contract/api.ts';
import { openIso, planImage, type DirEntry } from '../../disc-fs/src/index.ts';
import { DISC_CHANGING_OPCODES } from '../recorder/write-guard.ts';
import { V, bench, image, ok, type Bench } from '../test-kit.ts';
import { imageOptions, treeOf } from './file-image.ts';
import { createHash } from 'node:crypto';

const DATE = Date.UTC(2024, 0, 1);

/** Every disc-changing command block that reaches the drive, owner or not. */
function countWrites(b: Bench): () => number {
  const device = b.drive.device;
  const transferOut = device.transferOut.bind(device);
  let n = 0;
  device.transferOut = (ep: number, data: Parameters<typeof transferOut>[1]) => {
    const bytes = data as Uint8Array;
    if (bytes.length === 31 && bytes[15]! in DISC_CHANGING_OPCODES) n++;
    return transferOut(ep, data);
  };
  return () => n;
}

function project(): FileTreeEntry & { kind: 'dir' } {
  const file = (name: string, bytes: Uint8Array) =>
    ({ kind: 'file', name, blob: new Blob([bytes]), mtime: DATE }) as const;
  return {
    kind: 'dir',
    name: '',
    children: [
      file('empty.txt', new Uint8Array(0)),
      file('one', Uint8Array.of(7)),
      {
        kind: 'dir',
        name: 'Fotos 2024 – Sommer',
        children: [
          file('Strand.jpg', image(3, 1).subarray(0, 2049)),
          file('写真.raw', image(40, 2)),
          { kind: 'dir', name: 'leer', children: [] },
        ],
      },
      { kind: 'symlink', name: 'latest', target: 'Fotos 2024 – Sommer/Strand.jpg' },
    ],
  };
}

async function sha256(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const h = createHash('sha256');
  for await (const c of chunks) h.update(c);
  return h.digest('hex');
}

describe('burning files and folders', () => {
  it('writes exactly the built stream and reads back every file through Rock Ridge', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const root = project();
    const planned = ok(await s.service.planFileImage(root, { volumeLabel: 'Sommer', date: DATE }));
    assert.equal(planned.files, 4);
    assert.equal(planned.directories, 2);
    assert.ok(planned.renamed.some((r) => r.path === '/Fotos 2024 – Sommer/写真.raw'));
    assert.ok(planned.omitted.some((o) => o.path === '/latest' && o.namespace === 'joliet'));

    const r = await s.service.burnImage(
      V,
      { kind: 'files', root, image: { volumeLabel: 'Sommer', date: DATE } },
      { clientName: 'Files', verify: 'full' },
    );
    assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
    assert.equal(r.value.sectorCount, planned.sectors);
    // Full verification hashed the disc and the stream: the same SHA-256 as building it again.
    const again = planImage(treeOf(root), imageOptions({ volumeLabel: 'Sommer', date: DATE }));
    assert.equal(r.value.sha256, await sha256(again.stream()));

    const vol = await openIso({
      read: async (lba, n) => ok(await s.service.readSectors(V, lba, n)),
    });
    assert.equal(vol.volumeId, 'SOMMER');
    const top = await vol.list(vol.root);
    const dir = top.find((e) => e.name === 'Fotos 2024 – Sommer')!;
    const inner = await vol.list(dir);
    const raw = inner.find((e) => e.name === '写真.raw')!;
    assert.deepEqual(await vol.readFile(raw), image(40, 2));
    const jpg = inner.find((e) => e.name === 'Strand.jpg')!;
    assert.deepEqual(await vol.readFile(jpg), image(3, 1).subarray(0, 2049));
    assert.ok(inner.some((e) => e.name === 'leer' && e.kind === 'dir'));
    assert.ok(top.some((e) => e.name === 'latest' && e.kind === 'symlink'));
  });

  it('refuses a tree too big for the disc before any write (IMAPI_E/STREAM_TOO_LARGE)', async () => {
    const b = bench({ media: 'cd-r' });
    const writes = countWrites(b);
    const s = b.session('A');
    // 800 MB of one Blob-like file that is never read: the plan alone says it cannot fit.
    const huge = {
      size: 800e6,
      slice: () => ({ arrayBuffer: () => Promise.reject(new Error('read')) }),
    };
    const r = await s.service.burnImage(
      V,
      {
        kind: 'files',
        root: { kind: 'dir', name: '', children: [{ kind: 'file', name: 'big', blob: huge }] },
      },
      { clientName: 'Files' },
    );
    assert.equal(r.ok ? 'ok' : r.error.name, 'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA');
    assert.match(r.ok ? '' : r.error.message, /need \d+ sectors/);
    assert.equal(writes(), 0);
  });

  it('names an unreadable file and writes nothing (IMAPI_E_DATA_STREAM_READ_FAILURE)', async () => {
    const b = bench({ media: 'dvd+r' });
    const writes = countWrites(b);
    const s = b.session('A');
    const gone = {
      size: 5000,
      slice: () => ({
        arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')),
      }),
    };
    const root = project();
    const r = await s.service.burnImage(
      V,
      {
        kind: 'files',
        root: {
          ...root,
          children: [...root.children, { kind: 'file', name: 'moved.doc', blob: gone }],
        },
      },
      { clientName: 'Files' },
    );
    assert.equal(r.ok ? 'ok' : r.error.name, 'IMAPI_E_DATA_STREAM_READ_FAILURE');
    assert.match(r.ok ? '' : r.error.message, /\/moved\.doc/);
    assert.equal(writes(), 0);
    assert.equal(ok(await s.service.getMedia(V)).status, 'blank');
  });

  it('finds a file that changed size since it was picked before any write', async () => {
    const b = bench({ media: 'dvd+r' });
    const writes = countWrites(b);
    const s = b.session('A');
    const real = new Blob([image(2, 3)]); // 4096 bytes, but the project said 6000
    const shrunk = { size: 6000, slice: (a?: number, e?: number) => real.slice(a, e) };
    const r = await s.service.burnImage(
      V,
      {
        kind: 'files',
        root: {
          kind: 'dir',
          name: '',
          children: [{ kind: 'file', name: 'log.txt', blob: shrunk }],
        },
      },
      { clientName: 'Files' },
    );
    assert.equal(r.ok ? 'ok' : r.error.name, 'IMAPI_E_DATA_STREAM_INCONSISTENCY');
    assert.match(r.ok ? '' : r.error.message, /\/log\.txt.*planned 6000/);
    assert.equal(writes(), 0);
  });

  it('stops the burn, naming the file, when a file shrinks after the check', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    const bytes = image(300, 4);
    let reads = 0;
    // Reads of the last byte pass (the check); the data then ends early.
    const changing = {
      size: bytes.length,
      slice: (a = 0, e = bytes.length) => ({
        arrayBuffer: async () => {
          reads++;
          // The file was cut at 200 kB after the check: reads past that come back empty.
          const part =
            a >= bytes.length - 2
              ? bytes.slice(a, e)
              : a >= 200_000
                ? new Uint8Array(0)
                : bytes.slice(a, Math.min(e, 200_000));
          return part.buffer;
        },
      }),
    };
    const root: DirEntry = treeOf({
      kind: 'dir',
      name: '',
      children: [{ kind: 'file', name: 'growing.log', blob: changing }],
    });
    const r = await s.service.burnFiles(V, root, {}, { clientName: 'Files' });
    assert.equal(r.ok ? 'ok' : r.error.name, 'IMAPI_E_DATA_STREAM_INCONSISTENCY');
    assert.match(r.ok ? '' : r.error.message, /\/growing\.log/);
    assert.ok(reads > 1);
    // The failure says the burn stopped; the tray is not left locked and the drive is free.
    const lock = ok(await s.service.getLockState(V));
    assert.equal(lock.count, 0);
    assert.equal(b.drive.state.prevent || b.drive.state.persistentPrevent, false);
  });

  it('refuses a boot image of the wrong size for its emulation before any write', async () => {
    const b = bench({ media: 'dvd+r' });
    const writes = countWrites(b);
    const s = b.session('A');
    const r = await s.service.burnImage(
      V,
      {
        kind: 'files',
        root: {
          kind: 'dir',
          name: '',
          children: [{ kind: 'file', name: 'boot.img', blob: new Blob([]) }],
        },
        image: { bootImage: '/boot.img' },
      },
      { clientName: 'Files' },
    );
    assert.equal(r.ok ? 'ok' : r.error.name, 'IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH');
    assert.equal(writes(), 0);
  });

  it('will not write an image mastered for LBA 0 after the data on an appendable disc', async () => {
    const b = bench({ media: 'dvd+r' });
    const s = b.session('A');
    ok(
      await s.service.burnImage(V, { kind: 'bytes', bytes: image(64, 5) }, { clientName: 'First' }),
    );
    const writes = countWrites(b);
    const r = await s.service.burnImage(
      V,
      { kind: 'files', root: project() },
      { clientName: 'Files' },
    );
    assert.equal(r.ok ? 'ok' : r.error.name, 'E_IMAPI_DF2DATA_MEDIA_NOT_BLANK');
    assert.equal(writes(), 0);
  });
});
