/**
 * Model-based test of exclusive access (issues 14, 20): two to four sessions do
 * acquire, forced acquire, release, die, burn (with a release, another
 * session's acquire or a cancel in the middle) and unlock the tray, with a
 * fault injected at a random command, in random interleavings (fast-check's
 * model commands). After every step:
 * - no lock count is negative, and at most one session owns the drive;
 * - there is an owner exactly when some session's count is positive, and the
 *   owner's name is the one the model expects;
 * - PREVENT on the drive matches the lock (or a dead owner's stale PREVENT);
 * - no disc-changing command reached the drive without a holder;
 * - a dead owner's lock is gone, and the next session clears its PREVENT.
 *
 * `npm test` runs a few fixed seeds; `npm run fuzz` runs it long
 * (WEBDISC_FUZZ_RUNS interleavings, WEBDISC_FUZZ_SEED to start from,
 * WEBDISC_FUZZ_PATH to replay one reported failure).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { BurnProgress } from '../contract/api.ts';
import type { VirtualRecorder } from '../virtual-recorder/src/index.ts';
import { bytesSource } from './recording/source.ts';
import { V, bench, image, watchWrites, type Session } from './test-kit.ts';

const RUNS = Number(process.env.WEBDISC_FUZZ_RUNS ?? 25);
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x14;

type Bench = ReturnType<typeof bench>;

/** Faults a drive or a bridge really produces, each armed at the n-th command from now. */
const FAULTS = {
  phaseError: (d: VirtualRecorder) => d.faults.phaseError(),
  stallCsw: (d: VirtualRecorder) => d.faults.stallCsw(1),
  abortedCommand: (d: VirtualRecorder) => d.faults.abortedCommand(1),
  recoveredError: (d: VirtualRecorder) => d.faults.recoveredError(1),
  reservationConflict: (d: VirtualRecorder) => d.faults.reservationConflict(),
  badCswTag: (d: VirtualRecorder) => d.faults.badCswTag(),
} as const;
type FaultName = keyof typeof FAULTS;

interface Slot {
  session: Session;
  readonly name: string;
  /** The client's own count, as the model keeps it. */
  count: number;
}

interface Model {
  /** Whether a dead owner left PREVENT on the drive that nobody cleared yet. */
  stale: boolean;
}

interface Real {
  readonly b: Bench;
  readonly slots: Slot[];
  readonly writesWithoutOwner: () => Promise<number[]>;
  generation: number;
  /** Set when the armed fault went off during the step. */
  faultFired: boolean;
}

const locked = (b: Bench) => b.drive.state.prevent || b.drive.state.persistentPrevent;

/** Arms `fault` at the n-th command block from now (counted at the CBW). */
function armAt(r: Real, n: number, fault: FaultName | undefined): () => void {
  r.faultFired = false;
  if (!fault) return () => undefined;
  const device = r.b.drive.device;
  const transferOut = device.transferOut;
  let left = n;
  device.transferOut = (ep: number, data: Parameters<typeof transferOut>[1]) => {
    const bytes = data as Uint8Array;
    if (bytes.length === 31 && left-- === 0) {
      r.faultFired = true;
      FAULTS[fault](r.b.drive);
    }
    return transferOut.call(device, ep, data);
  };
  return () => {
    device.transferOut = transferOut;
    // A fault that did not go off must not hit the checks.
    r.b.drive.faults.clear();
  };
}

function owner(r: Real): Slot | undefined {
  return r.slots.find((s) => s.count > 0);
}

/** A session clearing a dead owner's PREVENT holds the record for a moment: let it finish. */
async function settled(r: Real): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const h = await r.b.coordinator.holder(V);
    if (!h?.clientName.startsWith('webdisc (clearing')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function check(m: Model, r: Real, step: string): Promise<void> {
  await settled(r);
  const holder = owner(r);
  assert.ok(r.slots.filter((s) => s.count > 0).length <= 1, `${step}: one owner at most`);
  // Before anyone looks: PREVENT is there exactly when the contract says (a
  // dead owner's stays until a look or an acquire clears it).
  if (!holder) {
    // Cleared already if a lock event let a session see it (ExclusiveAccess #emitLock).
    if (m.stale && !locked(r.b)) m.stale = false;
    assert.equal(locked(r.b), m.stale, `${step}: PREVENT when free (stale: ${m.stale})`);
  }
  for (const s of r.slots) {
    let st = await s.session.service.getLockState(V);
    // Another session may be clearing a dead owner's PREVENT this moment.
    for (let i = 0; i < 200 && st.ok && st.value.owner.startsWith('webdisc (clearing'); i++) {
      await settled(r);
      st = await s.session.service.getLockState(V);
    }
    assert.ok(st.ok, `${step}: lock state of ${s.name}`);
    assert.ok(st.value.count >= 0);
    assert.equal(st.value.count, s.count, `${step}: ${s.name}'s count`);
    assert.equal(st.value.owner, holder?.name ?? '', `${step}: owner seen by ${s.name}`);
  }
  const record = await r.b.coordinator.holder(V);
  assert.equal(
    record?.clientName,
    holder?.name,
    `${step}: an owner exactly when a count is positive`,
  );
  if (holder) {
    assert.equal(locked(r.b), true, `${step}: PREVENT while ${holder.name} owns the drive`);
  } else {
    // The looks above cleared a dead owner's PREVENT (Recorder.lockState), unless
    // the drive could not say whether it was locked (then the next acquire does).
    if (m.stale && locked(r.b) && !r.faultFired)
      assert.fail(
        `${step}: a look at the lock left a dead owner's PREVENT with no fault to excuse it`,
      );
    if (m.stale && !locked(r.b)) m.stale = false;
    assert.equal(
      locked(r.b),
      m.stale,
      `${step}: PREVENT when free after a look (stale: ${m.stale})`,
    );
  }
  assert.deepEqual(await r.writesWithoutOwner(), [], `${step}: disc changed without an owner`);
}

abstract class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly who: number,
    readonly fault: FaultName | undefined,
    readonly at: number,
  ) {}
  check(): boolean {
    return true;
  }
  abstract act(m: Model, r: Real, s: Slot): Promise<void>;
  async run(m: Model, r: Real): Promise<void> {
    const s = r.slots[this.who % r.slots.length]!;
    const disarm = armAt(r, this.at, this.fault);
    try {
      await this.act(m, r, s);
    } finally {
      disarm();
    }
    await check(m, r, this.toString());
  }
  get faultText(): string {
    return this.fault ? ` [${this.fault}@${this.at}]` : '';
  }
}

class Acquire extends Step {
  constructor(
    who: number,
    fault: FaultName | undefined,
    at: number,
    readonly force: boolean,
  ) {
    super(who, fault, at);
  }
  async act(m: Model, r: Real, s: Slot): Promise<void> {
    const other = owner(r);
    const res = await s.session.service.acquireExclusiveAccess(V, this.force, s.name);
    if (other && other !== s) {
      // Force only dismounts the OS; it never takes the drive from another session.
      assert.ok(!res.ok && res.error.name === 'E_ACCESS_DENIED', `${this}: refused`);
      return;
    }
    if (res.ok) {
      if (s.count === 0) m.stale = false;
      s.count++;
    } else {
      assert.ok(r.faultFired, `${this}: failed with no fault: ${res.error.message}`);
      assert.equal(s.count, 0, `${this}: a same-session acquire sends nothing, so cannot fail`);
      // Rolled back: no PREVENT of its own stays; a dead owner's may have been cleared already.
      m.stale &&= locked(r.b);
    }
  }
  override toString(): string {
    return `acquire(S${this.who}${this.force ? ', force' : ''})${this.faultText}`;
  }
}

class Release extends Step {
  async act(_m: Model, r: Real, s: Slot): Promise<void> {
    const res = await s.session.service.releaseExclusiveAccess(V);
    if (s.count === 0) {
      assert.ok(!res.ok, `${this}: nothing to release`);
      return;
    }
    // The count goes down whatever the drive said: a failed ALLOW is still sent
    // again and the lock is never kept by a failure.
    s.count--;
    if (!res.ok) assert.ok(r.faultFired, `${this}: failed with no fault: ${res.error.message}`);
  }
  override toString(): string {
    return `release(S${this.who})${this.faultText}`;
  }
}

/** The session's process dies without a word: the platform frees its record. */
class Die extends Step {
  async act(m: Model, r: Real, s: Slot): Promise<void> {
    if (s.count > 0 && locked(r.b)) m.stale = true;
    r.b.coordinator.killSession(s.session.id);
    s.session.service.dispose();
    s.count = 0;
    s.session = r.b.session(`${s.name}-${++r.generation}`);
  }
  override toString(): string {
    return `die(S${this.who})`;
  }
}

class UnlockTray extends Step {
  async act(m: Model, r: Real, s: Slot): Promise<void> {
    const res = await s.session.service.unlockTray(V);
    if (owner(r)) {
      assert.ok(!res.ok, `${this}: refused while a live session owns the drive`);
    } else if (res.ok) {
      m.stale = false;
    } else {
      assert.ok(r.faultFired, `${this}: failed with no fault: ${res.error.message}`);
    }
  }
  override toString(): string {
    return `unlock-tray(S${this.who})${this.faultText}`;
  }
}

type During = 'nothing' | 'release-self' | 'acquire-other' | 'cancel';

/** A burn, with something done by the same or another session while it writes. */
class Burn extends Step {
  constructor(
    who: number,
    fault: FaultName | undefined,
    at: number,
    readonly during: During,
  ) {
    super(who, fault, at);
  }
  async act(m: Model, r: Real, s: Slot): Promise<void> {
    const other = owner(r);
    const others = r.slots.filter((x) => x !== s);
    let midway: Promise<void> = Promise.resolve();
    let done = false;
    const listener = (e: { type: string; progress?: unknown }) => {
      if (done || e.type !== 'progress' || (e.progress as BurnProgress).action !== 'writing')
        return;
      done = true;
      midway = (async () => {
        if (this.during === 'release-self') {
          const res = await s.session.service.releaseExclusiveAccess(V);
          // The client's own count may go; the burn's hold never does.
          if (s.count > 0) {
            assert.ok(res.ok, `${this}: the client releases its own count`);
            s.count--;
          } else {
            assert.ok(!res.ok, `${this}: the burn's hold is not the client's to release`);
          }
          assert.equal(locked(r.b), true, `${this}: the tray stays locked under the burn`);
        } else if (this.during === 'acquire-other') {
          const res = await others[0]!.session.service.acquireExclusiveAccess(
            V,
            true,
            others[0]!.name,
          );
          // Refused while the burn holds the drive. A small burn may have ended (and
          // given the drive back) before this acquire ran: then it is the other's now,
          // and check() proves there is never more than one owner.
          if (res.ok) others[0]!.count++;
          else assert.equal(res.error.name, 'E_ACCESS_DENIED', `${this}: refused mid-burn`);
        } else if (this.during === 'cancel') {
          await s.session.service.cancelOperation(V);
        }
      })();
    };
    void s.session.service.subscribe(listener);
    const res = await s.session.service.burn(V, bytesSource(image(96, this.who + 1)), {
      clientName: s.name,
    });
    s.session.service.unsubscribe(listener);
    await midway;
    if (other && other !== s) {
      assert.ok(!res.ok, `${this}: refused while ${other.name} owns the drive`);
      return;
    }
    if (res.ok) m.stale = false;
    if (!res.ok && this.during !== 'cancel' && !r.faultFired) {
      assert.fail(`${this}: failed with no fault and no cancel: ${res.error.message}`);
    }
    // A burn that failed before it took the drive leaves a dead owner's PREVENT as it was;
    // one that took it cleared it first.
    if (!res.ok && !locked(r.b)) m.stale = false;
  }
  override toString(): string {
    return `burn(S${this.who}, during: ${this.during})${this.faultText}`;
  }
}

const faultArb = fc.option(fc.constantFrom(...(Object.keys(FAULTS) as FaultName[])), {
  freq: 2,
  nil: undefined,
});
// Taken modulo the run's session count (2-4), so every session acts.
const who = fc.integer({ min: 0, max: 3 });
const at = fc.integer({ min: 0, max: 12 });

const commands = [
  fc.tuple(who, faultArb, at, fc.boolean()).map(([w, f, n, force]) => new Acquire(w, f, n, force)),
  fc.tuple(who, faultArb, at).map(([w, f, n]) => new Release(w, f, n)),
  fc.tuple(who, faultArb, at).map(([w, f, n]) => new Release(w, f, n)),
  who.map((w) => new Die(w, undefined, 0)),
  fc.tuple(who, faultArb, at).map(([w, f, n]) => new UnlockTray(w, f, n)),
  fc
    .tuple(
      who,
      faultArb,
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom<During>('nothing', 'release-self', 'acquire-other', 'cancel'),
    )
    .map(([w, f, n, d]) => new Burn(w, f, n, d)),
];

describe('exclusive access: model-based, with faults', () => {
  it(`keeps every invariant over ${RUNS} random interleavings of 2-4 sessions`, async () => {
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom('dvd+rw' as const, 'bd-re' as const),
        fc.commands(commands, { maxCommands: 16 }),
        async (sessions, media, cmds) => {
          const b = bench({ media });
          const real: Real = {
            b,
            slots: Array.from({ length: sessions }, (_, i) => ({
              session: b.session(`S${i}`),
              name: ['Alpha', 'Bravo', 'Charlie', 'Delta'][i]!,
              count: 0,
            })),
            writesWithoutOwner: watchWrites(b),
            generation: 0,
            faultFired: false,
          };
          const model: Model = { stale: false };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          steps += [...cmds].length;
          // Leave nothing behind: every count released, the tray unlocked.
          for (const s of real.slots) {
            while (s.count > 0) {
              await s.session.service.releaseExclusiveAccess(V);
              s.count--;
            }
          }
          if (model.stale) await real.slots[0]!.session.service.unlockTray(V);
          assert.equal(locked(b), false, 'the tray ends unlocked');
          for (const s of real.slots) s.session.service.dispose();
        },
      ),
      {
        numRuns: RUNS,
        seed: SEED,
        // Replays one failing run of a campaign (its "path" in the report).
        ...(process.env.WEBDISC_FUZZ_PATH ? { path: process.env.WEBDISC_FUZZ_PATH } : {}),
        endOnFailure: true,
        includeErrorInReport: true,
        // A run that hangs is a failure with its counterexample, not a stuck campaign.
        timeout: 20_000,
      },
    );
    if (process.env.WEBDISC_FUZZ_RUNS) {
      console.log(JSON.stringify({ fuzz: 'exclusive-access', runs: RUNS, seed: SEED, steps }));
    }
  });
});
