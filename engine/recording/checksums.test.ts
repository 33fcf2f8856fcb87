/**
 * Checksums that travel with the disc (issue 18): every session's files
 * verified against the SHA-256 list burned with them, without the source;
 * a sector corrupted on the disc (silently: GOOD status, wrong bytes) is
 * found and the file named; `sha256sum -c` agrees with the list.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FileTreeEntry } from '../../contract/api.ts';
import { openVolume } from '../reading/disc-files.ts';
import { verifyChecksums } from '../reading/verify-checksums.ts';
import { V, bench, image, ok, type Session } from '../test-kit.ts';
import { lastSessionStart } from '../reading/sessions.ts';

type Dir = FileTreeEntry & { kind: 'dir' };
const f = (name: string, bytes: Uint8Array) => ({
  kind: 'file' as const,
  name,
  blob: new Blob([bytes]),
});
const d = (name: string, children: FileTreeEntry[]): Dir => ({ kind: 'dir', name, children });
const data = (n: number, seed: number) => image(Math.ceil(n / 2048), seed).subarray(0, n);
const sha256 = async () => {
  const h = createHash('sha256');
  return { update: (b: Uint8Array) => void h.update(b), digest: () => h.digest('hex') };
};
const tmp = mkdtempSync(join(tmpdir(), 'webdisc-sums-'));

async function burn(s: Session, root: Dir, append = false) {
  const r = await s.service.burnImage(
    V,
    { kind: 'files', root, image: { checksums: true }, ...(append ? { append: {} } : {}) },
    { clientName: 'Archive' },
  );
  assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
}

describe('checksums burned with the files', () => {
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const media of ['cd-r', 'dvd+rw'] as const) {
    it(`${media}: every file of every session checks out; a corrupted sector names its file`, async () => {
      const b = bench({ media });
      const s = b.session('A');
      await burn(s, d('', [f('a.bin', data(50_000, 1)), d('docs', [f('b.txt', data(300, 2))])]));
      await burn(s, d('', [f('c.bin', data(9000, 3))]), true);
      await burn(s, d('', [f('a.bin', data(7000, 4))]), true); // replaced
      const media1 = ok(await s.service.getMedia(V));
      const r = await verifyChecksums(s.service.discReader(V), media1, sha256);
      if (media === 'cd-r')
        assert.deepEqual([r.sessions, r.checkedSessions, r.files], [3, 3, 2 + 3 + 3]);
      else assert.deepEqual([r.sessions, r.checkedSessions, r.files], [1, 1, 3]);

      // sha256sum, in a copy of the newest tree, agrees with the list.
      const vol = await openVolume(s.service.discReader(V), lastSessionStart(media1));
      const root = join(tmp, media);
      for await (const e of vol.walk('/')) {
        if (e.kind !== 'file') continue;
        const parts: Uint8Array[] = [];
        for await (const c of vol.read(e)) parts.push(c.slice());
        mkdirSync(dirname(join(root, e.path)), { recursive: true });
        writeFileSync(join(root, e.path), Buffer.concat(parts));
      }
      const check = spawnSync('sha256sum', ['-c', '.webdisc/SHA256SUMS'], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(check.status, 0, check.stdout + check.stderr);

      // One sector of c.bin comes back wrong, with no error from the drive.
      const c = await vol.stat('/c.bin');
      b.drive.faults.corruptSectors(c.entry.extents[0]!.sector + 2);
      await assert.rejects(verifyChecksums(s.service.discReader(V), media1, sha256), (e: Error) => {
        assert.match(e.message, /\/c\.bin differs from its recorded checksum/);
        return true;
      });
    });
  }
});
