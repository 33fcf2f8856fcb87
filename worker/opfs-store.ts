/**
 * A virtual disc's sectors in the Origin Private File System (File System
 * Standard, "origin private file system"), so a burned DVD or BD image lives
 * on disk rather than in memory. Implements the virtual recorder's
 * `SectorStore` (virtual-recorder/src/store.ts); give the drive
 * `createOpfsStoreFactory()` as `storeFactory`.
 *
 * Layout: `<root>/<directory>/<store name>/c<index>`, one file per chunk of
 * `chunkSectors` sectors. Only chunks that were written exist, so a disc is
 * sparse at chunk granularity whatever the platform's file system does with
 * holes; inside a chunk, bytes past its file's end read as zeros.
 *
 * Two ways in:
 * - `sync` (a dedicated worker, where `FileSystemFileHandle.
 *   createSyncAccessHandle()` exists): one FileSystemSyncAccessHandle per open
 *   chunk, read and written in place. Handles lock their file, so at most
 *   `maxOpenHandles` stay open (least recently used closed first). 32 MiB
 *   chunks by default.
 * - `async` (the page, a SharedWorker): `getFile()` to read,
 *   `createWritable({ keepExistingData: true })` to write. A writable copies
 *   its file into a swap file and swaps it in on close(), so chunks are small
 *   there (1 MiB by default) to keep each WRITE's cost bounded.
 * `access: 'auto'` (the default) picks sync where it exists.
 *
 * Synchronous interface, asynchronous storage: `SectorStoreFactory` is a plain
 * function returning a store, while opening OPFS is asynchronous. The factory
 * therefore returns at once and the store opens in the background; every
 * read/write/clear/close waits for that, and an opening failure rejects the
 * first of them (and every later one) with the typed error below, as any
 * other store failure would. `OpfsSectorStore.open()` awaits the opening for
 * callers that want the error up front. Operations run one at a time, in the
 * order they were called.
 *
 * Errors are WebdiscErrors: QuotaExceededError (the origin's storage is full)
 * becomes `OpfsQuotaError` (E_OUTOFMEMORY, as IMAPI reports a full staging
 * area), no OPFS at all `OpfsUnavailableError` (E_NOTIMPL), anything else
 * E_FAIL with the DOMException as `cause`.
 */
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import {
  SECTOR_SIZE,
  type SectorStore,
  type SectorStoreFactory,
} from '../virtual-recorder/src/store.ts';

/** The directory under the OPFS root that holds every virtual disc's store. */
export const OPFS_STORE_DIRECTORY = 'webdisc-virtual-discs';

export type OpfsAccess = 'auto' | 'sync' | 'async';

// ---- the parts of the File System API used here ---------------------------------------------
// Structural, so the same code type-checks in the worker realm and the page
// (whose lib has no createSyncAccessHandle), and a test can stand in for OPFS.

/** FileSystemSyncAccessHandle (dedicated workers only). */
export interface SyncAccessHandleLike {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  getSize(): number;
  flush(): void;
  close(): void;
}

export interface WritableFileLike {
  write(command: { type: 'write'; position: number; data: Uint8Array<ArrayBuffer> }): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

export interface FileHandleLike {
  getFile(): Promise<{ readonly size: number; slice(start: number, end: number): Blob }>;
  createWritable(options: { keepExistingData: boolean }): Promise<WritableFileLike>;
  createSyncAccessHandle?: () => Promise<SyncAccessHandleLike>;
}

export interface DirectoryHandleLike {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirectoryHandleLike>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<FileHandleLike>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
}

/** `navigator.storage`, or a stand-in. */
export interface StorageLike {
  getDirectory(): Promise<DirectoryHandleLike>;
}

// ---- errors ---------------------------------------------------------------------------------

/** The origin's storage quota is used up (DOMException QuotaExceededError). */
export class OpfsQuotaError extends WebdiscError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_OUTOFMEMORY', message, options);
  }
}

/** This context has no Origin Private File System (or no sync access when `access: 'sync'`). */
export class OpfsUnavailableError extends WebdiscError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_NOTIMPL', message, options);
  }
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : '';
}

/** Any failure of an OPFS call as the typed error callers see. */
function storeError(error: unknown, what: string): WebdiscError {
  if (error instanceof WebdiscError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (errorName(error) === 'QuotaExceededError') {
    return new OpfsQuotaError(
      `The browser's storage for this site is full: could not ${what} (${detail}). ` +
        'Free space (remove old virtual discs) or use a smaller medium.',
      { cause: error },
    );
  }
  return new WebdiscError('E_FAIL', `OPFS: could not ${what}: ${detail}`, { cause: error });
}

// ---- chunks -----------------------------------------------------------------------------------

interface Chunk {
  /** Bytes in the chunk's file. */
  readonly size: number;
  /** Reads into `into` from byte `at`; bytes past the file's end are left as they are (zeros). */
  read(into: Uint8Array, at: number): Promise<void>;
  write(data: Uint8Array<ArrayBuffer>, at: number): Promise<void>;
  close(): Promise<void>;
}

class SyncChunk implements Chunk {
  readonly #handle: SyncAccessHandleLike;
  #size: number;
  constructor(handle: SyncAccessHandleLike) {
    this.#handle = handle;
    this.#size = handle.getSize();
  }
  get size(): number {
    return this.#size;
  }
  read(into: Uint8Array, at: number): Promise<void> {
    if (at < this.#size) this.#handle.read(into, { at });
    return Promise.resolve();
  }
  write(data: Uint8Array<ArrayBuffer>, at: number): Promise<void> {
    const n = this.#handle.write(data, { at });
    this.#size = Math.max(this.#size, at + n);
    if (n !== data.length) {
      // A short write without an exception: the disk (or quota) is full.
      return Promise.reject(
        new DOMException(`wrote ${n} of ${data.length} bytes`, 'QuotaExceededError'),
      );
    }
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.#handle.flush();
    this.#handle.close();
    return Promise.resolve();
  }
}

class AsyncChunk implements Chunk {
  readonly #file: FileHandleLike;
  #size: number;
  constructor(file: FileHandleLike, size: number) {
    this.#file = file;
    this.#size = size;
  }
  get size(): number {
    return this.#size;
  }
  async read(into: Uint8Array, at: number): Promise<void> {
    if (at >= this.#size) return;
    const file = await this.#file.getFile();
    const bytes = new Uint8Array(await file.slice(at, at + into.length).arrayBuffer());
    into.set(bytes.subarray(0, into.length));
  }
  async write(data: Uint8Array<ArrayBuffer>, at: number): Promise<void> {
    const writable = await this.#file.createWritable({ keepExistingData: true });
    try {
      await writable.write({ type: 'write', position: at, data });
      await writable.close();
    } catch (error) {
      await writable.abort(error).catch(() => undefined);
      throw error;
    }
    this.#size = Math.max(this.#size, at + data.length);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

// ---- the store ---------------------------------------------------------------------------------

export interface OpfsSectorStoreOptions {
  /** Directory under the OPFS root holding the stores (default OPFS_STORE_DIRECTORY). */
  readonly directory?: string;
  /** This store's own directory name (default: a random UUID, so each disc gets its own). */
  readonly name?: string;
  /** Sync access handles, async writables, or whichever this context has (default 'auto'). */
  readonly access?: OpfsAccess;
  /** Sectors per chunk file (default 16384 = 32 MiB with sync access, 512 = 1 MiB without). */
  readonly chunkSectors?: number;
  /** Sync access: chunk files kept open at once (default 16). */
  readonly maxOpenHandles?: number;
  /** Keep the files when the disc leaves the drive (close()); default false: remove them. */
  readonly keepOnClose?: boolean;
  /** Where OPFS comes from (default `navigator.storage`): a test can pass a stand-in. */
  readonly storage?: StorageLike;
}

interface Opened {
  /** This store's directory (replaced by clear()). */
  dir: DirectoryHandleLike;
  readonly parent: DirectoryHandleLike;
  readonly sync: boolean;
  readonly chunkBytes: number;
}

function defaultStorage(): StorageLike | undefined {
  const nav = (globalThis as { navigator?: { storage?: Partial<StorageLike> } }).navigator;
  const storage = nav?.storage;
  return typeof storage?.getDirectory === 'function' ? (storage as StorageLike) : undefined;
}

function uniqueName(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return (
    c?.randomUUID?.() ?? `disc-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  );
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

export class OpfsSectorStore implements SectorStore {
  readonly name: string;
  readonly directory: string;
  readonly #options: OpfsSectorStoreOptions;
  readonly #maxOpen: number;
  readonly #opened: Promise<Opened>;
  /** Chunks opened (sync: with a live handle), most recently used last. */
  readonly #chunks = new Map<number, Chunk>();
  /** Every chunk file known to exist, with its size. */
  readonly #sizes = new Map<number, number>();
  /** Chunk files known not to exist (looked for by a read). */
  readonly #absent = new Set<number>();
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** Starts opening at once; operations wait for it (see the file comment). */
  constructor(options: OpfsSectorStoreOptions = {}) {
    this.#options = options;
    this.name = options.name ?? uniqueName();
    this.directory = options.directory ?? OPFS_STORE_DIRECTORY;
    this.#maxOpen = positive('maxOpenHandles', options.maxOpenHandles ?? 16);
    if (options.chunkSectors !== undefined) positive('chunkSectors', options.chunkSectors);
    this.#opened = this.#open();
    // Reported by the first operation; never an unhandled rejection meanwhile.
    this.#opened.catch(() => undefined);
  }

  /** A store whose opening has succeeded (its error, typed, otherwise). */
  static async open(options: OpfsSectorStoreOptions = {}): Promise<OpfsSectorStore> {
    const store = new OpfsSectorStore(options);
    await store.ready;
    return store;
  }

  /** Resolves once OPFS is open; rejects with the opening's typed error. */
  get ready(): Promise<void> {
    return this.#opened.then(() => undefined);
  }

  /** Whether chunks use sync access handles (after `ready`). */
  async usesSyncAccess(): Promise<boolean> {
    return (await this.#opened).sync;
  }

  /** Bytes in this store's chunk files. */
  get bytesHeld(): number {
    let n = 0;
    for (const size of this.#sizes.values()) n += size;
    return n;
  }

  async #open(): Promise<Opened> {
    const storage = this.#options.storage ?? defaultStorage();
    if (!storage) {
      throw new OpfsUnavailableError('This context has no Origin Private File System.');
    }
    const access = this.#options.access ?? 'auto';
    let parent: DirectoryHandleLike;
    let dir: DirectoryHandleLike;
    let probe: FileHandleLike;
    try {
      const root = await storage.getDirectory();
      parent = await root.getDirectoryHandle(this.directory, { create: true });
      dir = await parent.getDirectoryHandle(this.name, { create: true });
      probe = await dir.getFileHandle(chunkName(0), { create: true });
    } catch (error) {
      throw storeError(error, `open the store "${this.directory}/${this.name}"`);
    }
    const canSync = typeof probe.createSyncAccessHandle === 'function';
    if (access === 'sync' && !canSync) {
      throw new OpfsUnavailableError(
        'Sync access handles exist only in a dedicated worker: use access "async" or "auto".',
      );
    }
    const sync = access !== 'async' && canSync;
    const chunkSectors = this.#options.chunkSectors ?? (sync ? 16384 : 512);
    try {
      // The probe made chunk 0's file (or found it, in a kept store).
      this.#sizes.set(0, (await probe.getFile()).size);
    } catch (error) {
      throw storeError(error, `open the store "${this.directory}/${this.name}"`);
    }
    return { dir, parent, sync, chunkBytes: chunkSectors * SECTOR_SIZE };
  }

  /** Runs `work` after every operation called before it; refused once close() was called. */
  #run<T>(what: string, work: (o: Opened) => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new WebdiscError('E_FAIL', `OPFS: could not ${what}: the store is closed.`),
      );
    }
    const run = this.#tail.then(async () => {
      const opened = await this.#opened;
      try {
        return await work(opened);
      } catch (error) {
        throw storeError(error, what);
      }
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #chunk(o: Opened, index: number, create: boolean): Promise<Chunk | undefined> {
    const open = this.#chunks.get(index);
    if (open) {
      // Most recently used goes last.
      this.#chunks.delete(index);
      this.#chunks.set(index, open);
      return open;
    }
    if (!create && !this.#sizes.has(index)) {
      // A kept store (keepOnClose) may hold files this instance has not written.
      if (this.#absent.has(index)) return undefined;
      try {
        await o.dir.getFileHandle(chunkName(index));
      } catch (error) {
        if (errorName(error) !== 'NotFoundError') throw error;
        this.#absent.add(index);
        return undefined;
      }
    }
    this.#absent.delete(index);
    const file = await o.dir.getFileHandle(chunkName(index), { create: true });
    let chunk: Chunk;
    if (o.sync) {
      while (this.#chunks.size >= this.#maxOpen) {
        const [oldest, c] = this.#chunks.entries().next().value as [number, Chunk];
        this.#chunks.delete(oldest);
        await c.close();
      }
      chunk = new SyncChunk(await file.createSyncAccessHandle!());
    } else {
      chunk = new AsyncChunk(file, this.#sizes.get(index) ?? (await file.getFile()).size);
    }
    this.#chunks.set(index, chunk);
    this.#sizes.set(index, chunk.size);
    return chunk;
  }

  /** `count` sectors from `lba`; sectors never written read as zeros. */
  read(lba: number, count: number): Promise<Uint8Array> {
    return this.#run(`read ${count} sectors at LBA ${lba}`, async (o) => {
      const out = new Uint8Array(count * SECTOR_SIZE);
      await this.#span(o, lba, out.length, async (index, at, from, n) => {
        const chunk = await this.#chunk(o, index, false);
        await chunk?.read(out.subarray(from, from + n), at);
      });
      return out;
    });
  }

  /** Whole sectors from `lba`. */
  write(lba: number, data: Uint8Array): Promise<void> {
    if (data.length % SECTOR_SIZE !== 0) {
      return Promise.reject(
        new RangeError(`sector data must be a multiple of ${SECTOR_SIZE} bytes`),
      );
    }
    // The caller may reuse its buffer once this returns: keep a copy until written.
    const copy = data.slice();
    return this.#run(`write ${data.length / SECTOR_SIZE} sectors at LBA ${lba}`, async (o) => {
      await this.#span(o, lba, copy.length, async (index, at, from, n) => {
        const chunk = (await this.#chunk(o, index, true))!;
        try {
          await chunk.write(copy.subarray(from, from + n), at);
        } finally {
          this.#sizes.set(index, chunk.size);
        }
      });
    });
  }

  /** Calls `each(chunk index, offset in chunk, offset in the buffer, bytes)` over a byte range. */
  async #span(
    o: Opened,
    lba: number,
    bytes: number,
    each: (index: number, at: number, from: number, n: number) => Promise<void>,
  ): Promise<void> {
    let pos = lba * SECTOR_SIZE;
    const end = pos + bytes;
    while (pos < end) {
      const index = Math.floor(pos / o.chunkBytes);
      const at = pos - index * o.chunkBytes;
      const n = Math.min(o.chunkBytes - at, end - pos);
      await each(index, at, pos - lba * SECTOR_SIZE, n);
      pos += n;
    }
  }

  async #closeChunks(): Promise<void> {
    const chunks = [...this.#chunks.values()];
    this.#chunks.clear();
    for (const c of chunks) await c.close();
  }

  /** Forgets every sector (BLANK, FORMAT UNIT): the store's directory is emptied. */
  clear(): Promise<void> {
    return this.#run('clear the disc', async (o) => {
      await this.#closeChunks();
      await o.parent.removeEntry(this.name, { recursive: true }).catch((error: unknown) => {
        if (errorName(error) !== 'NotFoundError') throw error;
      });
      this.#sizes.clear();
      this.#absent.clear();
      o.dir = await o.parent.getDirectoryHandle(this.name, { create: true });
    });
  }

  /** The disc left the drive: closes the handles and (unless keepOnClose) removes its files. */
  close(): Promise<void> {
    const run = this.#run('close the store', async (o) => {
      await this.#closeChunks();
      if (!this.#options.keepOnClose) {
        await o.parent.removeEntry(this.name, { recursive: true }).catch((error: unknown) => {
          if (errorName(error) !== 'NotFoundError') throw error;
        });
        this.#sizes.clear();
      }
    });
    this.#closed = true;
    return run;
  }
}

function chunkName(index: number): string {
  return `c${index.toString().padStart(6, '0')}`;
}

/** A `storeFactory` for createVirtualRecorder: each disc gets its own OPFS store. */
export function createOpfsStoreFactory(
  options: Omit<OpfsSectorStoreOptions, 'name'> = {},
): SectorStoreFactory {
  return () => new OpfsSectorStore(options);
}

/**
 * Removes every store under `directory` (discs left behind by a session that
 * ended without close(), e.g. a closed tab). Resolves whether or not there was any.
 */
export async function removeAllOpfsStores(
  options: { readonly directory?: string; readonly storage?: StorageLike } = {},
): Promise<void> {
  const storage = options.storage ?? defaultStorage();
  if (!storage) throw new OpfsUnavailableError('This context has no Origin Private File System.');
  try {
    const root = await storage.getDirectory();
    await root.removeEntry(options.directory ?? OPFS_STORE_DIRECTORY, { recursive: true });
  } catch (error) {
    if (errorName(error) === 'NotFoundError') return;
    throw storeError(error, 'remove the virtual disc stores');
  }
}
