/**
 * The cross-process lock record for Node (issue 14, item 1): one per drive,
 * in the user's runtime directory, that the OS frees when its holder dies.
 *
 * The record is a listening socket: a Unix-domain socket file on Linux and
 * macOS, a named pipe on Windows. Only one process can listen on a path; a
 * connection to it reaches the live holder, which answers with its session id
 * and client name, so every process can read the owner's name. When the
 * holder dies the kernel closes its socket: a connection is refused (the file
 * stays behind on Unix and is cleared), so a killed holder frees the drive at
 * once. A file holding a pid would not do: pids are reused, and a file says
 * nothing about whether its writer lives.
 *
 * Clearing a stale socket file is the one step two processes could race (both
 * see it refused, one unlinks and listens, the other then unlinks the live
 * one): it runs under a mkdir() mutex, and the file is probed again inside.
 */
import { createHash } from 'node:crypto';
import { mkdir, rmdir, stat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type {
  Listener,
  LockCoordinator,
  LockHolder,
  LockLease,
  Topic,
} from '../engine/coordinator.ts';

/** How long a probe waits for the holder's answer before calling it alive but silent. */
const PROBE_MS = 1500;
/** A cleanup mutex older than this was left by a process that died inside it. */
const MUTEX_STALE_MS = 10_000;

/** Where the records live: $WEBDISC_RUNTIME_DIR, else $XDG_RUNTIME_DIR/webdisc, else a per-user temp folder. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WEBDISC_RUNTIME_DIR) return env.WEBDISC_RUNTIME_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'webdisc');
  let user = 'user';
  try {
    user = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    // No passwd entry (containers): one folder for everyone is still correct.
  }
  return join(tmpdir(), `webdisc-${user}`);
}

/** The record's path: hashed, since a Unix socket path is limited to about 104 bytes. */
export function recordPath(dir: string, recorderId: string): string {
  const hash = createHash('sha256').update(recorderId).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return `\\\\.\\pipe\\webdisc-${hash}`;
  return join(dir, `${hash}.sock`);
}

/** What a probe of a record found. */
export type Probe =
  | { readonly state: 'held'; readonly holder: LockHolder }
  | { readonly state: 'free' }
  | { readonly state: 'stale' };

/** Connects to a record and reads the holder's line. */
export function probe(path: string): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let text = '';
    let connected = false;
    const done = (p: Probe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(p);
    };
    const timer = setTimeout(
      () =>
        done(
          connected
            ? // Alive (the kernel accepted) but busy: the drive is held all the same.
              { state: 'held', holder: { sessionId: '?', clientName: 'another webdisc process' } }
            : { state: 'stale' },
        ),
      PROBE_MS,
    );
    socket.setEncoding('utf8');
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk: string) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      try {
        const h = JSON.parse(text.slice(0, nl)) as Partial<LockHolder>;
        if (typeof h.sessionId === 'string' && typeof h.clientName === 'string') {
          done({ state: 'held', holder: { sessionId: h.sessionId, clientName: h.clientName } });
          return;
        }
      } catch {
        // Not one of ours: still a live listener on our path.
      }
      done({ state: 'held', holder: { sessionId: '?', clientName: 'another program' } });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      done(error.code === 'ENOENT' ? { state: 'free' } : { state: 'stale' });
    });
  });
}

function listen(server: Server, path: string): Promise<'ok' | 'in-use'> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') resolve('in-use');
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve('ok');
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(path);
  });
}

/** Runs `body` holding a mkdir() mutex beside `path`; a mutex left by a dead process is broken. */
async function withMutex<T>(path: string, body: () => Promise<T>): Promise<T> {
  const mutex = `${path}.lock`;
  for (let i = 0; ; i++) {
    try {
      await mkdir(mutex);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(mutex).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > MUTEX_STALE_MS) await rmdir(mutex).catch(() => undefined);
      else if (i > 200)
        throw new Error(`the lock record's mutex ${mutex} stays taken`, { cause: error });
      else await new Promise((r) => setTimeout(r, 10));
    }
  }
  try {
    return await body();
  } finally {
    await rmdir(mutex).catch(() => undefined);
  }
}

export interface ProcessCoordinatorOptions {
  /** The folder of the records (default runtimeDir()). */
  readonly dir?: string;
  /** Which recorders are shared between processes; the others use `local` (default: all). */
  readonly shared?: (recorderId: string) => boolean;
  /** The record of recorders this process alone can see (its own virtual recorder). */
  readonly local?: LockCoordinator;
  /** How often subscribers' recorders are probed for holders that came or went. */
  readonly pollMs?: number;
}

export class ProcessCoordinator implements LockCoordinator {
  readonly #dir: string;
  readonly #shared: (recorderId: string) => boolean;
  readonly #local: LockCoordinator | undefined;
  readonly #pollMs: number;
  readonly #mine = new Map<string, { holder: LockHolder; server: Server }>();
  readonly #listeners = new Set<Listener>();
  /** Recorders asked about, with the holder last seen (for change notices). */
  readonly #watched = new Map<string, string>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ProcessCoordinatorOptions = {}) {
    this.#dir = options.dir ?? runtimeDir();
    this.#shared = options.shared ?? (() => true);
    this.#local = options.local;
    this.#pollMs = options.pollMs ?? 500;
  }

  #isLocal(recorderId: string): boolean {
    return this.#local !== undefined && !this.#shared(recorderId);
  }

  async tryLock(recorderId: string, holder: LockHolder): Promise<LockLease | undefined> {
    if (this.#isLocal(recorderId)) return this.#local!.tryLock(recorderId, holder);
    if (this.#mine.has(recorderId)) return undefined;
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const path = recordPath(this.#dir, recorderId);
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(`${JSON.stringify({ ...holder, pid: process.pid })}\n`);
    });
    // The record must not keep the process alive: `lock` and `shell` stay up on their own.
    server.unref();
    let outcome = await listen(server, path);
    if (outcome === 'in-use') {
      outcome = await withMutex(path, async () => {
        const found = await probe(path);
        if (found.state === 'held') return 'in-use';
        // Refused: its holder died. Clear the file and take it.
        if (found.state === 'stale') await unlink(path).catch(() => undefined);
        return listen(server, path);
      });
    }
    if (outcome === 'in-use') {
      server.close();
      return undefined;
    }
    this.#mine.set(recorderId, { holder, server });
    this.#watch(recorderId, holder);
    this.#notify(recorderId, 'lock', holder.sessionId);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.#mine.delete(recorderId);
        // libuv unlinks a Unix socket's file when its server closes.
        await new Promise<void>((r) => server.close(() => r()));
        this.#watch(recorderId, undefined);
        this.#notify(recorderId, 'lock', holder.sessionId);
      },
    };
  }

  async holder(recorderId: string): Promise<LockHolder | undefined> {
    if (this.#isLocal(recorderId)) return this.#local!.holder(recorderId);
    const own = this.#mine.get(recorderId);
    if (own) return own.holder;
    const found = await probe(recordPath(this.#dir, recorderId));
    const holder = found.state === 'held' ? found.holder : undefined;
    this.#watch(recorderId, holder);
    return holder;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    const unsubscribeLocal = this.#local?.subscribe(listener);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
      this.#timer.unref?.();
    }
    return () => {
      this.#listeners.delete(listener);
      unsubscribeLocal?.();
      if (this.#listeners.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  announce(recorderId: string, topic: Topic, origin?: string): void {
    // Other processes learn of lock changes by polling; a medium change is
    // seen by each process's own GESN or unit attention.
    if (this.#isLocal(recorderId)) this.#local!.announce(recorderId, topic, origin);
    else this.#notify(recorderId, topic, origin);
  }

  /** Frees every record this process holds (on exit). */
  async releaseAll(): Promise<void> {
    for (const { server } of this.#mine.values()) server.close();
    this.#mine.clear();
  }

  #watch(recorderId: string, holder: LockHolder | undefined): void {
    this.#watched.set(recorderId, holder ? `${holder.sessionId}\n${holder.clientName}` : '');
  }

  /** A holder in another process that came or went (a death included) is announced. */
  async #poll(): Promise<void> {
    for (const [id, before] of [...this.#watched]) {
      if (this.#mine.has(id)) continue;
      const found = await probe(recordPath(this.#dir, id));
      const now =
        found.state === 'held' ? `${found.holder.sessionId}\n${found.holder.clientName}` : '';
      if (now !== before) {
        this.#watched.set(id, now);
        this.#notify(id, 'lock');
      }
    }
  }

  #notify(recorderId: string, topic: Topic, origin?: string): void {
    for (const l of [...this.#listeners]) l(recorderId, topic, origin);
  }
}
