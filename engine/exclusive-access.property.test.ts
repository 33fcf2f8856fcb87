/**
 * Property: random interleavings of acquire, release, eject and close tray
 * from several sessions keep the contract's invariants (issue 5):
 * - no lock count below 0, and at most one session with a count;
 * - PREVENT is on the drive exactly when a session holds the lock (except
 *   while its owner has the tray out: eject sends ALLOW and keeps the lock,
 *   the next load re-sends PREVENT);
 * - only the owner changes the drive;
 * - the owner's name always matches the holder.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { V, bench } from './test-kit.ts';

type Op = { readonly s: number; readonly kind: 'acquire' | 'release' | 'eject' | 'close' };

const opArb: fc.Arbitrary<Op> = fc.record({
  s: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom('acquire', 'release', 'eject', 'close'),
});

describe('exclusive access under random interleavings', () => {
  it('keeps every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 24 }), async (ops) => {
        const b = bench({ media: 'dvd+rw' });
        const sessions = [0, 1, 2].map((i) => b.session(`S${i}`));
        const names = ['Alpha', 'Bravo', 'Charlie'];
        const counts = [0, 0, 0];
        // The model: what PREVENT the drive should show.
        let preventExpected = false;
        for (const op of ops) {
          const me = sessions[op.s]!;
          const owner = counts.findIndex((c) => c > 0);
          const trayBefore = b.drive.state.trayOpen;
          switch (op.kind) {
            case 'acquire': {
              const r = await me.service.acquireExclusiveAccess(V, false, names[op.s]!);
              if (owner === -1 || owner === op.s) {
                assert.ok(r.ok, `acquire by a free or owning session: ${JSON.stringify(r)}`);
                if (counts[op.s] === 0) preventExpected = true;
                counts[op.s]!++;
              } else {
                assert.ok(!r.ok && r.error.name === 'E_ACCESS_DENIED');
              }
              break;
            }
            case 'release': {
              const r = await me.service.releaseExclusiveAccess(V);
              if (owner === op.s) {
                assert.ok(r.ok);
                counts[op.s]!--;
                if (counts[op.s] === 0) preventExpected = false;
              } else {
                assert.ok(!r.ok);
                assert.equal(r.error.name, owner === -1 ? 'E_FAIL' : 'E_IMAPI_RECORDER_LOCKED');
              }
              break;
            }
            case 'eject':
            case 'close': {
              const r =
                op.kind === 'eject'
                  ? await me.service.ejectMedia(V)
                  : await me.service.closeTray(V);
              if (owner !== -1 && owner !== op.s) {
                assert.ok(!r.ok && r.error.name === 'E_IMAPI_RECORDER_LOCKED');
                assert.equal(
                  b.drive.state.trayOpen,
                  trayBefore,
                  'only the owner changes the drive',
                );
              } else {
                assert.ok(r.ok, `${op.kind}: ${JSON.stringify(r)}`);
                assert.equal(b.drive.state.trayOpen, op.kind === 'eject');
                if (owner === op.s) preventExpected = op.kind === 'close';
              }
              break;
            }
          }
          // Invariants after every step.
          assert.ok(counts.every((c) => c >= 0));
          assert.ok(counts.filter((c) => c > 0).length <= 1);
          for (const [i, s] of sessions.entries()) {
            const state = await s.service.getLockState(V);
            assert.ok(state.ok);
            assert.ok(state.value.count >= 0);
            if (counts[i]! > 0) assert.equal(state.value.count, counts[i]);
          }
          const holder = counts.findIndex((c) => c > 0);
          const ownerName = await sessions[0]!.service.exclusiveAccessOwner(V);
          assert.deepEqual(ownerName, { ok: true, value: holder === -1 ? '' : names[holder] });
          const prevent = b.drive.state.prevent || b.drive.state.persistentPrevent;
          assert.equal(prevent, preventExpected, `PREVENT after ${op.kind} by S${op.s}`);
        }
        // Leave nothing behind.
        for (const [i, s] of sessions.entries()) {
          while (counts[i]! > 0) {
            assert.ok((await s.service.releaseExclusiveAccess(V)).ok);
            counts[i]!--;
          }
          s.service.dispose();
        }
        assert.equal(b.drive.state.prevent || b.drive.state.persistentPrevent, false);
      }),
      { numRuns: 40 },
    );
  });
});
