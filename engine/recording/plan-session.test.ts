/**
 * "Add files…" in the app (issue 18): planFileSession plans a new session
 * without writing (its size, where it starts, the free space, what it
 * changes), and walkSessionFiles lists the disc's newest session (what the
 * new one builds on), on write-once and overwritable media.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileTreeEntry } from '../../contract/api.ts';
import { V, bench, ok, type Session } from '../test-kit.ts';

type Dir = FileTreeEntry & { kind: 'dir' };
const DATE = Date.UTC(2024, 0, 1);
const f = (name: string, text: string) => ({
  kind: 'file' as const,
  name,
  blob: new Blob([text]),
  mtime: DATE,
});
const root = (children: FileTreeEntry[]): Dir => ({ kind: 'dir', name: '', children });

async function burn(s: Session, tree: Dir, append?: { remove: string[] }, close = false) {
  const r = await s.service.burnImage(
    V,
    { kind: 'files', root: tree, image: { date: DATE }, ...(append ? { append } : {}) },
    { clientName: 'Test', close },
  );
  assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
}

const paths = async (s: Session) =>
  ok(await s.service.walkSessionFiles(V))
    .filter((e) => e.path !== '/')
    .map((e) => `${e.path} ${e.kind} ${e.size}`);

describe('planFileSession and walkSessionFiles (issue 18, app side)', () => {
  for (const media of ['dvd+r', 'cd-r', 'dvd+rw'] as const) {
    it(`${media}: plans the session the burn then writes; the newest session lists merged`, async () => {
      const s = bench({ media }).session('A');
      await burn(s, root([f('keep.txt', 'kept\n'), f('old.txt', 'old\n'), f('same.txt', 'v1\n')]));
      assert.deepEqual(await paths(s), ['/keep.txt file 5', '/old.txt file 4', '/same.txt file 3']);
      const before = ok(await s.service.getMedia(V));
      const add = root([f('new.txt', 'added later\n'), f('same.txt', 'version 2\n')]);
      const plan = ok(
        await s.service.planFileSession(V, add, { date: DATE }, { remove: ['/old.txt'] }),
      );
      assert.deepEqual(
        plan.edits.map((e) => `${e.kind} ${e.path}`),
        ['removed /old.txt', 'added /new.txt', 'replaced /same.txt'],
      );
      assert.ok(plan.sectors > 0 && plan.bytes === plan.sectors * 2048);
      if (media === 'dvd+rw') {
        assert.equal(plan.grow, true);
        assert.equal(plan.startSector % 16, 0);
        assert.equal(plan.freeSectors, before.capacityBlocks - plan.startSector);
      } else {
        assert.equal(plan.grow, false);
        assert.equal(plan.startSector, before.nextWritableAddress);
        assert.equal(plan.freeSectors, before.freeBlocks);
      }
      await burn(s, add, { remove: ['/old.txt'] });
      assert.deepEqual(await paths(s), [
        '/keep.txt file 5',
        '/new.txt file 12',
        '/same.txt file 10',
      ]);
    });
  }

  it('a session too big for the disc still has a size (the fit is the caller’s to show)', async () => {
    const s = bench({ media: 'cd-r' }).session('A');
    await burn(s, root([f('a.txt', 'a\n')]));
    const free = ok(await s.service.getMedia(V)).freeBlocks;
    const big = root([
      { ...f('big.bin', ''), blob: new Blob([new Uint8Array((free + 10) * 2048)]) },
    ]);
    const plan = ok(await s.service.planFileSession(V, big, { date: DATE }, {}));
    assert.ok(plan.sectors > plan.freeSectors);
    assert.equal(plan.freeSectors, free);
  });

  it('a closed (finalized) disc: refused in words', async () => {
    const s = bench({ media: 'dvd+r' }).session('A');
    await burn(s, root([f('a.txt', 'a\n')]), undefined, true);
    const r = await s.service.planFileSession(V, root([f('b.txt', 'b\n')]), {}, {});
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /closed \(finalized\): it cannot take more files/);
  });
});
