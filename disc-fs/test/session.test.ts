/**
 * Multisession: a second and third session on top of the first, each
 * importing the newest tree, adding, replacing and removing entries, and
 * pointing at the data earlier sessions wrote. The "disc" is the sessions'
 * images at their addresses; xorriso loads each session from it
 * (-load sbsector), and our reader opens each; every file is byte-identical.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planImage } from '../src/image.ts';
import { openIso } from '../src/reader/iso-reader.ts';
import { importSession, overlay, remove } from '../src/session.ts';
import { bytesSource, type DirEntry, type FileEntry } from '../src/tree.ts';
import { runOk, tempDir } from './tools.ts';

const DATE = Date.UTC(2024, 0, 1);

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) b[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return b;
}
const file = (name: string, data: Uint8Array): FileEntry => ({
  kind: 'file',
  name,
  size: data.length,
  content: bytesSource(data),
  mtime: DATE,
});
const dir = (name: string, children: DirEntry['children']): DirEntry => ({
  kind: 'dir',
  name,
  children,
  mtime: DATE,
});

/** A disc in memory: sessions written at their start sectors. */
class Disc {
  bytes = new Uint8Array(0);
  write(at: number, data: Uint8Array): void {
    const end = at * 2048 + data.length;
    if (end > this.bytes.length) {
      const grown = new Uint8Array(end);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(data, at * 2048);
  }
  get sectors(): number {
    return this.bytes.length / 2048;
  }
  reader = { read: async (s: number, n: number) => this.bytes.slice(s * 2048, (s + n) * 2048) };
}

async function image(root: DirEntry, startSector: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of planImage(root, {
    date: DATE,
    startSector,
    volumeId: `S${startSector}`,
  }).stream())
    parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

/** path -> bytes (or 'dir'), through our reader at a session. */
async function listing(disc: Disc, start: number): Promise<Map<string, string>> {
  const vol = await openIso(disc.reader, 'rockRidge', start);
  const out = new Map<string, string>();
  const walk = async (e: Awaited<ReturnType<typeof vol.list>>[number], path: string) => {
    for (const c of await vol.list(e)) {
      const p = `${path}/${c.name}`;
      if (c.kind === 'dir') {
        out.set(p, 'dir');
        await walk(c, p);
      } else out.set(p, Buffer.from(await vol.readFile(c)).toString('base64'));
    }
  };
  await walk(vol.root, '');
  return out;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('multisession: sessions that add, replace and remove files', () => {
  const tmp = tempDir('disc-fs-session-');
  after(() => tmp.remove());

  it('three sessions; each newest tree is the merged one, older sessions still read', async () => {
    const disc = new Disc();
    const one = dir('', [
      file('keep.txt', bytes(3000, 1)),
      file('old.bin', bytes(70_000, 2)),
      dir('docs', [file('a.txt', bytes(10, 3))]),
    ]);
    disc.write(0, await image(one, 0));
    const s1 = 0;

    // Session 2 (after a CD-style gap): add a file, replace old.bin, add to docs.
    const s2 = disc.sectors + 6900;
    const imported = await importSession(await openIso(disc.reader, 'rockRidge', s1));
    const keep = imported.children.find((c) => c.name === 'keep.txt');
    assert.ok(
      keep?.kind === 'file' && keep.location !== undefined,
      'carried-over files point at their data',
    );
    const two = overlay(
      imported,
      dir('', [
        file('old.bin', bytes(5000, 9)),
        file('new.txt', bytes(4097, 4)),
        dir('docs', [file('b.txt', bytes(20, 5))]),
      ]),
    );
    assert.deepEqual(two.edits, [
      { kind: 'replaced', path: '/old.bin' },
      { kind: 'added', path: '/new.txt' },
      { kind: 'added', path: '/docs/b.txt' },
    ]);
    const img2 = await image(two.tree, s2);
    // Only new data is written: far smaller than the whole tree.
    assert.ok(img2.length < 200 * 2048, `session 2 is ${img2.length / 2048} sectors`);
    disc.write(s2, img2);

    // Session 3: remove docs/a.txt and keep.txt.
    const s3 = disc.sectors + 6900;
    let three = await importSession(await openIso(disc.reader, 'rockRidge', s2));
    three = remove(three, '/docs/a.txt').tree;
    three = remove(three, '/keep.txt').tree;
    disc.write(s3, await image(three, s3));

    assert.deepEqual(
      await listing(disc, s3),
      new Map([
        ['/docs', 'dir'],
        ['/docs/b.txt', b64(bytes(20, 5))],
        ['/new.txt', b64(bytes(4097, 4))],
        ['/old.bin', b64(bytes(5000, 9))],
      ]),
    );
    assert.equal((await listing(disc, s2)).get('/keep.txt'), b64(bytes(3000, 1)));
    assert.equal((await listing(disc, s1)).get('/old.bin'), b64(bytes(70_000, 2)));

    // xorriso, loading each session of the disc image by its start sector.
    const path = join(tmp.path, 'disc.img');
    writeFileSync(path, disc.bytes);
    const found = (start: number) =>
      runOk('xorriso', [
        '-abort_on',
        'FAILURE',
        '-load',
        'sbsector',
        String(start),
        '-indev',
        path,
        '-find',
        '/',
        '-type',
        'f',
      ])
        .trim()
        .split('\n')
        .map((l) => l.replace(/^'|'$/g, ''))
        .sort();
    assert.deepEqual(found(s3), ['/docs/b.txt', '/new.txt', '/old.bin']);
    assert.deepEqual(found(s1), ['/docs/a.txt', '/keep.txt', '/old.bin']);
    const out = join(tmp.path, 'x3');
    runOk('xorriso', [
      '-abort_on',
      'FAILURE',
      '-load',
      'sbsector',
      String(s3),
      '-indev',
      path,
      '-osirrox',
      'on',
      '-extract',
      '/',
      out,
    ]);
    assert.deepEqual(new Uint8Array(readFileSync(join(out, 'new.txt'))), bytes(4097, 4));
    assert.deepEqual(new Uint8Array(readFileSync(join(out, 'old.bin'))), bytes(5000, 9));
  });

  it("a carried-over file must lie in an earlier session, and UDF is the first session's only", async () => {
    const bad = dir('', [{ ...file('x', bytes(10, 1)), location: 500 }]);
    assert.throws(() => planImage(bad, { startSector: 400 }), /not in an earlier session/);
    assert.throws(() => planImage(dir('', []), { startSector: 400, udf: true }), /UDF/);
  });
});
