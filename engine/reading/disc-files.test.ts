/**
 * Browsing a disc's files: each file system the builder writes is found and
 * listed; bytes stream back identical; crafted images (a name with "/",
 * "..", a folder that loops back, an extent past the end, a size that lies)
 * end in typed errors, never a hang.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bytesSource,
  planImage,
  type DirEntry,
  type ImageOptions,
} from '../../disc-fs/src/index.ts';
import { image } from '../test-kit.ts';
import { openVolume } from './disc-files.ts';

async function build(root: DirEntry, o: ImageOptions = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of planImage(root, { date: Date.UTC(2024, 0, 1), ...o }).stream())
    parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

function reader(img: Uint8Array) {
  return {
    read: async (sector: number, count: number) =>
      img.slice(Math.min(img.length, sector * 2048), Math.min(img.length, (sector + count) * 2048)),
  };
}

const tree = (): DirEntry => ({
  kind: 'dir',
  name: '',
  children: [
    {
      kind: 'file',
      name: 'AAAA.TXT',
      size: 5000,
      content: bytesSource(image(3, 1).subarray(0, 5000)),
    },
    {
      kind: 'dir',
      name: 'SUB',
      children: [
        { kind: 'dir', name: 'LOOP', children: [] },
        {
          kind: 'file',
          name: 'Straße.bin',
          size: 70_000,
          content: bytesSource(image(35, 2).subarray(0, 70_000)),
        },
      ],
    },
    { kind: 'symlink', name: 'link', target: '/etc/passwd' },
  ],
});

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

/** Offset of the directory record whose identifier is `name` (ECMA-119 9.1: identifier at byte 33). */
function recordOf(img: Uint8Array, name: string): number {
  // The last occurrence: path tables (which also hold folder names) come before the directories.
  const at = Buffer.from(img).lastIndexOf(Buffer.from(name, 'latin1'));
  assert.ok(at > 33, `${name} is in the image`);
  return at - 33;
}

describe('disc files', () => {
  it('lists Rock Ridge names and links (never followed) and streams files back identical', async () => {
    const v = await openVolume(reader(await build(tree())));
    assert.equal(v.fileSystem, 'ISO 9660 + Rock Ridge');
    const top = await v.list('/');
    assert.deepEqual(
      top.map((e) => [e.name, e.kind]),
      [
        ['AAAA.TXT', 'file'],
        ['link', 'symlink'],
        ['SUB', 'dir'],
      ],
      "in the disc's order (ISO 9660 sorts by the d-character name: LINK before SUB)",
    );
    assert.equal(top[1]!.target, '/etc/passwd');
    const file = await v.stat('/SUB/Straße.bin');
    assert.deepEqual(await collect(v.read(file)), image(35, 2).subarray(0, 70_000));
    const all = [];
    for await (const e of v.walk('/')) all.push(e.path);
    assert.deepEqual(all.sort(), [
      '/',
      '/AAAA.TXT',
      '/SUB',
      '/SUB/LOOP',
      '/SUB/Straße.bin',
      '/link',
    ]);
  });

  it('finds Joliet without Rock Ridge, and UDF without ISO 9660 names worth having', async () => {
    const joliet = await openVolume(reader(await build(tree(), { rockRidge: false, udf: false })));
    assert.equal(joliet.fileSystem, 'ISO 9660 + Joliet');
    assert.ok((await joliet.list('/SUB')).some((e) => e.name === 'Straße.bin'));
    const udf = await openVolume(
      reader(await build(tree(), { rockRidge: false, joliet: false, udfSymlinks: false })),
    );
    assert.equal(udf.fileSystem, 'UDF');
    assert.ok((await udf.list('/SUB')).some((e) => e.name === 'Straße.bin'));
  });

  it('a name with "/" or ".." is a typed error, not a path', async () => {
    const img = await build(tree(), { rockRidge: false, joliet: false, udf: false, level: 1 });
    const at = recordOf(img, 'AAAA.TXT;1');
    img.set(Buffer.from('../A.TXT;1', 'latin1'), at + 33);
    const v = await openVolume(reader(img));
    await assert.rejects(v.list('/'), {
      name: 'WebdiscError',
      hresultName: 'IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR',
    });
  });

  it('a folder that loops back to the root ends the walk with a typed error', async () => {
    const img = await build(tree(), { rockRidge: false, joliet: false, udf: false, level: 1 });
    const root = new DataView(img.buffer).getUint32(16 * 2048 + 156 + 2, true); // PVD root record's extent
    const loop = recordOf(img, 'LOOP');
    const dv = new DataView(img.buffer);
    dv.setUint32(loop + 2, root, true);
    dv.setUint32(loop + 6, root, false);
    const v = await openVolume(reader(img));
    const walk = async () => {
      for await (const _ of v.walk('/')) void _;
    };
    await assert.rejects(walk, { hresultName: 'IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR' });
  });

  it('an extent past the end of the image and a size that lies are typed errors', async () => {
    const img = await build(tree(), { rockRidge: false, joliet: false, udf: false, level: 1 });
    const rec = recordOf(img, 'AAAA.TXT;1');
    const dv = new DataView(img.buffer);
    dv.setUint32(rec + 2, 1_000_000, true);
    dv.setUint32(rec + 6, 1_000_000, false);
    const v = await openVolume(reader(img));
    const file = await v.stat('/AAAA.TXT');
    await assert.rejects(collect(v.read(file)), {
      hresultName: 'IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR',
    });
  });

  it('not a file system at all: IMAPI_E_NO_SUPPORTED_FILE_SYSTEM', async () => {
    await assert.rejects(openVolume(reader(image(400, 3))), {
      hresultName: 'IMAPI_E_NO_SUPPORTED_FILE_SYSTEM',
    });
  });
});
