/**
 * The cross-session lock record (exclusive-access.md, "Crashes and stale
 * locks"). A session is a tab's worker or a CLI process; the record must be
 * one the platform frees when its holder dies, and every session must be able
 * to read the owner's client name.
 *
 * - Browser: Web Locks. The exclusive lock `webdisc:recorder:ID` is the
 *   record; a second lock whose name carries the client name makes the owner
 *   readable by every tab through `navigator.locks.query()`. Both die with the
 *   tab. BroadcastChannel tells other tabs at once; a slow poll of query()
 *   notices a holder that died without a word.
 * - One realm (Node, tests): an in-memory registry with the same contract.
 */

export interface LockHolder {
  readonly sessionId: string;
  readonly clientName: string;
}

export interface LockLease {
  release(): Promise<void>;
}

export interface LockCoordinator {
  /** Takes the record at once, or returns undefined when another session holds it. Never waits. */
  tryLock(recorderId: string, holder: LockHolder): Promise<LockLease | undefined>;
  /** The live holder, if any. */
  holder(recorderId: string): Promise<LockHolder | undefined>;
  /**
   * `lock`: any session's lock on `recorderId` changed (including a holder's
   * death). `media`: a session saw the medium change (a GESN event is consumed
   * by whichever session polls first, so the one that saw it tells the rest).
   */
  subscribe(listener: Listener): () => void;
  /** Tells every session that `topic` changed on `recorderId`; `origin` is the announcing session. */
  announce(recorderId: string, topic: Topic, origin?: string): void;
}

export type Topic = 'lock' | 'media';
/** `origin`: the session that announced it, when one did (a death announces nothing). */
export type Listener = (recorderId: string, topic: Topic, origin?: string) => void;

/** One realm's registry. `sessions` in tests share one instance. */
export class MemoryCoordinator implements LockCoordinator {
  #held = new Map<string, LockHolder>();
  #listeners = new Set<Listener>();

  tryLock(recorderId: string, holder: LockHolder): Promise<LockLease | undefined> {
    if (this.#held.has(recorderId)) return Promise.resolve(undefined);
    this.#held.set(recorderId, holder);
    this.#notify(recorderId, 'lock', holder.sessionId);
    let released = false;
    return Promise.resolve({
      release: () => {
        if (!released && this.#held.get(recorderId) === holder) {
          this.#held.delete(recorderId);
          this.#notify(recorderId, 'lock', holder.sessionId);
        }
        released = true;
        return Promise.resolve();
      },
    });
  }

  holder(recorderId: string): Promise<LockHolder | undefined> {
    return Promise.resolve(this.#held.get(recorderId));
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  announce(recorderId: string, topic: Topic, origin?: string): void {
    this.#notify(recorderId, topic, origin);
  }

  /** Frees every record of a session, as the platform does when a process dies. */
  killSession(sessionId: string): void {
    for (const [id, h] of [...this.#held]) {
      if (h.sessionId === sessionId) {
        this.#held.delete(id);
        this.#notify(id);
      }
    }
  }

  #notify(recorderId: string, topic: Topic = 'lock', origin?: string): void {
    for (const l of [...this.#listeners]) l(recorderId, topic, origin);
  }
}

/** The part of LockManager used here (structural, so tests can fake it). */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable?: boolean; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => Promise<unknown> | unknown,
  ): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

const RECORD = 'webdisc:recorder:';
const OWNER = 'webdisc:owner:';

function ownerLockName(recorderId: string, holder: LockHolder): string {
  return `${OWNER}${encodeURIComponent(recorderId)}:${encodeURIComponent(holder.sessionId)}:${encodeURIComponent(holder.clientName)}`;
}

function parseOwner(name: string, recorderId: string): LockHolder | undefined {
  const prefix = `${OWNER}${encodeURIComponent(recorderId)}:`;
  if (!name.startsWith(prefix)) return undefined;
  const [session, client] = name.slice(prefix.length).split(':');
  if (session === undefined || client === undefined) return undefined;
  return { sessionId: decodeURIComponent(session), clientName: decodeURIComponent(client) };
}

export class WebLocksCoordinator implements LockCoordinator {
  #locks: LockManagerLike;
  #channel: BroadcastChannelLike;
  #listeners = new Set<Listener>();
  #known = new Map<string, string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #pollMs: number;

  constructor(locks: LockManagerLike, channel: BroadcastChannelLike, pollMs = 500) {
    this.#locks = locks;
    this.#channel = channel;
    this.#pollMs = pollMs;
    channel.addEventListener('message', (event) => {
      const data = event.data as { recorderId?: unknown; topic?: unknown; origin?: unknown };
      const topic = data?.topic === 'media' ? 'media' : 'lock';
      const origin = typeof data?.origin === 'string' ? data.origin : undefined;
      if (typeof data?.recorderId === 'string') this.#notify(data.recorderId, topic, origin);
      // Re-read the registry now, not at the next poll: an owner that dies
      // before that poll would otherwise never be seen to go.
      if (topic === 'lock') void this.#poll();
    });
  }

  async tryLock(recorderId: string, holder: LockHolder): Promise<LockLease | undefined> {
    let releaseHeld!: () => void;
    const held = new Promise<void>((r) => (releaseHeld = r));
    const granted = await new Promise<boolean>((resolve) => {
      void this.#locks.request(RECORD + recorderId, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return held;
      });
    });
    if (!granted) return undefined;
    // The owner-name lock is unique to this session, so it is granted at once.
    await new Promise<void>((resolve) => {
      void this.#locks.request(ownerLockName(recorderId, holder), {}, () => {
        resolve();
        return held;
      });
    });
    this.announce(recorderId, 'lock', holder.sessionId);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        releaseHeld();
        // Let the lock manager drop both locks before others look.
        await new Promise((r) => setTimeout(r, 0));
        this.announce(recorderId, 'lock', holder.sessionId);
      },
    };
  }

  async holder(recorderId: string): Promise<LockHolder | undefined> {
    const snapshot = await this.#locks.query();
    for (const lock of snapshot.held ?? []) {
      const h = lock.name ? parseOwner(lock.name, recorderId) : undefined;
      if (h) return h;
    }
    return undefined;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    this.#startPolling();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /** A tab that dies posts nothing: compare snapshots to notice its locks vanish. */
  #startPolling(): void {
    if (this.#timer !== undefined) return;
    void this.#poll();
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
  }

  /** One look at the registry; every owner that came or went since the last look is announced. */
  async #poll(): Promise<void> {
    const snapshot = await this.#locks.query();
    const now = new Map<string, string>();
    for (const lock of snapshot.held ?? []) {
      const name = lock.name ?? '';
      if (!name.startsWith(OWNER)) continue;
      const id = decodeURIComponent(name.slice(OWNER.length).split(':')[0] ?? '');
      now.set(id, name);
    }
    const before = this.#known;
    this.#known = now;
    for (const id of new Set([...now.keys(), ...before.keys()])) {
      if (now.get(id) !== before.get(id)) this.#notify(id);
    }
  }

  announce(recorderId: string, topic: Topic, origin?: string): void {
    this.#channel.postMessage({ recorderId, topic, origin });
    this.#notify(recorderId, topic, origin);
  }

  #notify(recorderId: string, topic: Topic = 'lock', origin?: string): void {
    for (const l of [...this.#listeners]) l(recorderId, topic, origin);
  }
}
