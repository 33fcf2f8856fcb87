/**
 * Adding files to a disc (issue 18): on every writable virtual medium,
 * three sessions in turn (adding, replacing and removing files); after each
 * one the disc's newest tree is the merged one, every file byte-identical,
 * read by our reader and by xorriso (-load sbsector: the session a drive's
 * TOC leads to); the older sessions still read. An interrupted growth of an
 * overwritable disc leaves the old tree. A raw image is not appended unless
 * the caller says where it was mastered for.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FileTreeEntry } from '../../contract/api.ts';
import { writeFamilyOf } from '../../contract/profiles.ts';
import { openVolume } from '../reading/disc-files.ts';
import { V, bench, image, ok, type Session } from '../test-kit.ts';
import { lastSessionStart, sessionStart } from '../reading/sessions.ts';

type Dir = FileTreeEntry & { kind: 'dir' };
const DATE = Date.UTC(2024, 0, 1);
const f = (name: string, bytes: Uint8Array) => ({
  kind: 'file' as const,
  name,
  blob: new Blob([bytes]),
  mtime: DATE,
});
const d = (name: string, children: FileTreeEntry[]): Dir => ({
  kind: 'dir',
  name,
  children,
  mtime: DATE,
});
const data = (n: number, seed: number) => image(Math.ceil(n / 2048), seed).subarray(0, n);

const tmp = mkdtempSync(join(tmpdir(), 'webdisc-append-'));

async function tree(s: Session, start: number): Promise<Map<string, string>> {
  const vol = await openVolume(s.service.discReader(V), start);
  const out = new Map<string, string>();
  for await (const e of vol.walk('/')) {
    if (e.path === '/' || e.path === '/rr_moved') continue;
    if (e.kind !== 'file') out.set(e.path, e.kind);
    else {
      const parts: Uint8Array[] = [];
      for await (const c of vol.read(e)) parts.push(c.slice());
      out.set(e.path, Buffer.concat(parts).toString('base64'));
    }
  }
  return out;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The disc as an image file, and xorriso's file list of the session at `start`. */
function xorrisoFiles(disc: Uint8Array, start: number, name: string): string[] {
  const path = join(tmp, `${name}.img`);
  writeFileSync(path, disc);
  const r = spawnSync(
    'xorriso',
    [
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
    ],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.replace(/^'|'$/g, ''))
    .sort();
}

/**
 * The whole disc as an image, as `webdisc save` makes it: every session at
 * its address, the gaps between sessions (which the drive will not read)
 * as zeros.
 */
async function wholeDisc(s: Session): Promise<Uint8Array> {
  let buf = new Uint8Array(0);
  const sink = {
    async write(offset: number, data: Uint8Array) {
      if (offset + data.length > buf.length) {
        const grown = new Uint8Array(Math.max(offset + data.length, buf.length * 2));
        grown.set(buf);
        buf = grown;
      }
      buf.set(data, offset);
    },
  };
  const r = ok(await s.service.saveDisc(V, sink));
  return buf.subarray(0, r.bytes);
}

describe('adding files to a disc (multisession)', () => {
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const media of [
    'cd-r',
    'cd-rw',
    'dvd-r',
    'dvd-rw',
    'dvd+r',
    'dvd+r-dl',
    'bd-r',
    'dvd+rw',
    'dvd-rw-ro',
    'bd-re',
  ] as const) {
    it(`${media}: three sessions, each reading back as the merged tree`, async () => {
      const b = bench({ media });
      const s = b.session('A');
      const burn = async (root: Dir, append?: { remove?: string[] }) => {
        const r = await s.service.burnImage(
          V,
          { kind: 'files', root, image: { date: DATE }, ...(append ? { append } : {}) },
          {
            clientName: 'Archive',
            verify: 'full',
          },
        );
        assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
        return r.value;
      };
      await burn(
        d('', [
          f('keep.txt', data(3000, 1)),
          f('old.bin', data(70_000, 2)),
          d('docs', [f('a.txt', data(10, 3))]),
        ]),
      );
      await burn(
        d('', [
          f('old.bin', data(5000, 9)),
          f('new.txt', data(4097, 4)),
          d('docs', [f('b.txt', data(20, 5))]),
        ]),
        {},
      );
      const afterTwo = ok(await s.service.getMedia(V));
      await burn(d('', [f('third.txt', data(1, 6))]), { remove: ['/keep.txt', '/docs/a.txt'] });
      const m = ok(await s.service.getMedia(V));

      const newest = lastSessionStart(m);
      assert.deepEqual(
        await tree(s, newest),
        new Map([
          ['/docs', 'dir'],
          ['/docs/b.txt', b64(data(20, 5))],
          ['/new.txt', b64(data(4097, 4))],
          ['/old.bin', b64(data(5000, 9))],
          ['/third.txt', b64(data(1, 6))],
        ]),
      );
      const grown = writeFamilyOf(m.profile?.code) === 'random';
      if (!grown) {
        assert.equal(m.sessions, 3);
        // Older sessions still read (ls --session N).
        assert.equal((await tree(s, sessionStart(m, 1))).get('/keep.txt'), b64(data(3000, 1)));
        assert.equal((await tree(s, sessionStart(m, 2))).get('/docs/a.txt'), b64(data(10, 3)));
        assert.equal(lastSessionStart(afterTwo), sessionStart(m, 2));
      }
      const disc = await wholeDisc(s);
      const files = ['/docs/b.txt', '/new.txt', '/old.bin', '/third.txt'];
      assert.deepEqual(xorrisoFiles(disc, newest, media), files);
      // isoinfo, told where the session starts (-T), lists the merged Rock Ridge tree.
      const iso = spawnSync(
        'isoinfo',
        ['-R', '-f', '-T', String(newest), '-i', join(tmp, `${media}.img`)],
        { encoding: 'utf8' },
      );
      assert.deepEqual(
        iso.stdout
          .trim()
          .split('\n')
          .filter((p) => files.includes(p) || p === '/docs')
          .sort(),
        ['/docs', ...files].sort(),
      );
      // 7-Zip has no session choice: give it the disc as a drive presents its last session
      // (that session's descriptors at sector 16, as a grown disc has them anyway).
      const patched = disc.slice();
      patched.set(disc.subarray((newest + 16) * 2048, (newest + 32) * 2048), 16 * 2048);
      const p7 = join(tmp, `${media}-last.img`);
      writeFileSync(p7, patched);
      const out = join(tmp, `${media}-7z`);
      const x = spawnSync('7zz', ['x', '-y', '-tiso', `-o${out}`, p7], { encoding: 'utf8' });
      assert.equal(x.status, 0, x.stdout + x.stderr);
      assert.deepEqual(new Uint8Array(readFileSync(join(out, 'old.bin'))), data(5000, 9));
      assert.deepEqual(new Uint8Array(readFileSync(join(out, 'docs/b.txt'))), data(20, 5));
      assert.equal(existsSync(join(out, 'keep.txt')), false, 'the removed file is gone');
    });
  }

  it('an interrupted growth (unplugged before the descriptors are rewritten) leaves the old tree', async () => {
    const b = bench({ media: 'dvd+rw' });
    const s = b.session('A');
    const first = d('', [f('a.txt', data(5000, 1)), f('b.txt', data(7000, 2))]);
    ok(
      await s.service.burnImage(
        V,
        { kind: 'files', root: first, image: { date: DATE } },
        { clientName: 'A' },
      ),
    );
    const before = await tree(s, 0);
    // The second write of the growth is the 16 sectors at LBA 16: unplug the drive as it starts.
    let writes = 0;
    const device = b.drive.device;
    const out = device.transferOut.bind(device);
    device.transferOut = (ep: number, bytes: Parameters<typeof out>[1]) => {
      const cbw = bytes as Uint8Array;
      if (cbw.length === 31 && cbw[15] === 0x2a) {
        const lba = (cbw[17]! << 24) | (cbw[18]! << 16) | (cbw[19]! << 8) | cbw[20]!;
        if (lba === 16 && ++writes === 1) b.drive.faults.disconnectAtCommand(1);
      }
      return out(ep, bytes);
    };
    const r = await s.service.burnImage(
      V,
      {
        kind: 'files',
        root: d('', [f('c.txt', data(9000, 3))]),
        image: { date: DATE },
        append: {},
      },
      { clientName: 'A' },
    );
    assert.equal(r.ok, false, 'the growth was cut off');
    b.drive.reconnect?.();
    const s2 = b.session('B');
    const vol = await openVolume(s2.service.discReader(V), 0);
    const names = (await vol.list('/')).map((e) => e.name).sort();
    assert.deepEqual(
      names,
      [...before.keys()].map((p) => p.slice(1)).sort(),
      'the old tree, unchanged',
    );
  });

  it('refuses to append a raw image mastered for LBA 0, in words; says where the session would go', async () => {
    const b = bench({ media: 'cd-r' });
    const s = b.session('A');
    ok(
      await s.service.burnImage(
        V,
        { kind: 'files', root: d('', [f('a', data(10, 1))]) },
        { clientName: 'A' },
      ),
    );
    const nwa = ok(await s.service.getMedia(V)).nextWritableAddress!;
    const r = await s.service.burnImage(
      V,
      { kind: 'bytes', bytes: image(100, 2) },
      { clientName: 'A' },
    );
    assert.equal(r.ok ? 'ok' : r.error.name, 'E_IMAPI_DF2DATA_MEDIA_NOT_BLANK');
    assert.match(r.ok ? '' : r.error.message, new RegExp(`from sector ${nwa}.*append`));
    const wrong = await s.service.burnImage(
      V,
      { kind: 'bytes', bytes: image(100, 2) },
      { clientName: 'A', masteredFor: 0 },
    );
    assert.equal(wrong.ok ? 'ok' : wrong.error.name, 'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE');
    assert.equal(ok(await s.service.getMedia(V)).sessions, 1, 'nothing was written');
    const right = await s.service.burnImage(
      V,
      { kind: 'bytes', bytes: image(100, 2) },
      { clientName: 'A', masteredFor: nwa },
    );
    assert.ok(right.ok);
  });
});
