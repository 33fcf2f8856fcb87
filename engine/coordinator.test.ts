/**
 * The Web Locks lock record, against a stand-in LockManager and a
 * BroadcastChannel pair: owner names are readable by every session, and an
 * owner that dies without a word (a closed tab) is noticed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  WebLocksCoordinator,
  type BroadcastChannelLike,
  type LockManagerLike,
} from './coordinator.ts';

/** Enough of LockManager: exclusive names, ifAvailable, release when the callback's promise settles. */
class FakeLocks implements LockManagerLike {
  readonly held = new Map<string, string>(); // name -> owner tab
  #tab: string;
  #shared: FakeLocks | undefined;
  constructor(tab: string, shared?: FakeLocks) {
    this.#tab = tab;
    this.#shared = shared;
  }
  get #registry(): Map<string, string> {
    return (this.#shared ?? this).held;
  }
  async request(
    name: string,
    options: { ifAvailable?: boolean },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown> {
    if (this.#registry.has(name)) {
      if (options.ifAvailable) return callback(null);
      throw new Error('the stand-in does not queue');
    }
    this.#registry.set(name, this.#tab);
    try {
      return await callback({ name });
    } finally {
      if (this.#registry.get(name) === this.#tab) this.#registry.delete(name);
    }
  }
  async query() {
    return { held: [...this.#registry.keys()].map((name) => ({ name })) };
  }
  /** The tab dies: the browser drops its locks, and nothing is posted. */
  kill(): void {
    for (const [name, tab] of [...this.#registry])
      if (tab === this.#tab) this.#registry.delete(name);
  }
}

function channels(): [BroadcastChannelLike, BroadcastChannelLike] {
  const listeners: [((e: { data: unknown }) => void)[], ((e: { data: unknown }) => void)[]] = [
    [],
    [],
  ];
  const make = (me: 0 | 1): BroadcastChannelLike => ({
    postMessage: (data) =>
      queueMicrotask(() => listeners[me === 0 ? 1 : 0].forEach((l) => l({ data }))),
    addEventListener: (_type, l) => listeners[me].push(l),
    close: () => undefined,
  });
  return [make(0), make(1)];
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WebLocksCoordinator', () => {
  it('one owner at a time, its name readable by every tab', async () => {
    const registry = new FakeLocks('root');
    const [c1, c2] = channels();
    const a = new WebLocksCoordinator(new FakeLocks('a', registry), c1, 20);
    const b = new WebLocksCoordinator(new FakeLocks('b', registry), c2, 20);
    const lease = await a.tryLock('r', { sessionId: 'A', clientName: 'Tab A' });
    assert.ok(lease);
    assert.equal(
      await b.tryLock('r', { sessionId: 'B', clientName: 'Tab B' }),
      undefined,
      'never queued',
    );
    assert.deepEqual(await b.holder('r'), { sessionId: 'A', clientName: 'Tab A' });
    await lease.release();
    assert.equal(await b.holder('r'), undefined);
    assert.ok(await b.tryLock('r', { sessionId: 'B', clientName: 'Tab B' }));
  });

  it('notices an owner that dies right after taking the lock, before any poll saw it', async () => {
    const registry = new FakeLocks('root');
    const [c1, c2] = channels();
    const tabA = new FakeLocks('a', registry);
    const a = new WebLocksCoordinator(tabA, c1, 60_000);
    const b = new WebLocksCoordinator(new FakeLocks('b', registry), c2, 40);
    const seen: string[] = [];
    const unsubscribe = b.subscribe((id) => seen.push(id));
    await tick(5);
    await a.tryLock('r', { sessionId: 'A', clientName: 'Short-lived' });
    await tick(5); // B hears the broadcast and looks at the registry at once
    tabA.kill();
    const before = seen.length;
    await tick(120); // the next poll finds the owner gone
    assert.ok(seen.length > before, 'B was told the lock changed');
    assert.equal(await b.holder('r'), undefined);
    unsubscribe(); // stops the poll, so the test process can end
  });
});
