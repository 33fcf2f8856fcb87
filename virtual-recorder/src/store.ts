/**
 * Where a disc's written sectors live. The drive only ever asks for whole
 * 2048-byte sectors (MMC-6 §4.2: Mode 1 / DVD / BD user data blocks).
 *
 * Implementations here:
 * - `MemorySectorStore`: sparse, in memory (a Map of 128 KiB chunks); sectors
 *   never written read as zeros. The default.
 * - `DiscardSectorStore`: keeps nothing, counts bytes; reads return zeros. For
 *   benches that stream multi-GB images through the drive without holding them.
 * - `GeneratedSectorStore`: read-only content computed per sector (the
 *   pressed CD-ROM/DVD-ROM media).
 *
 * An Origin Private File System store belongs in the worker realm (it needs
 * `FileSystemSyncAccessHandle`, which only dedicated workers have): it is
 * worker/opfs-store.ts, whose `createOpfsStoreFactory()` goes in
 * `storeFactory`. The interface is promise-based so such a store fits
 * without change.
 */
export const SECTOR_SIZE = 2048;

export interface SectorStore {
  /** `count` sectors from `lba`. Sectors never written read as zeros. */
  read(lba: number, count: number): Promise<Uint8Array>;
  /** Whole sectors (`data.length` a multiple of 2048). The store copies what it keeps. */
  write(lba: number, data: Uint8Array): Promise<void>;
  /** Forgets every sector (BLANK, FORMAT UNIT). */
  clear(): Promise<void>;
  /** Releases resources when the disc leaves the drive for good. */
  close?(): Promise<void>;
  /** Bytes currently held, for memory accounting. */
  readonly bytesHeld: number;
}

/** Makes the store for a newly inserted writable disc. */
export type SectorStoreFactory = () => SectorStore;

const CHUNK_SECTORS = 64; // 128 KiB: small enough to stay sparse, large enough to keep the Map short
const CHUNK_BYTES = CHUNK_SECTORS * SECTOR_SIZE;

function assertWhole(data: Uint8Array): void {
  if (data.length % SECTOR_SIZE !== 0) {
    throw new RangeError(`sector data must be a multiple of ${SECTOR_SIZE} bytes`);
  }
}

export class MemorySectorStore implements SectorStore {
  readonly #chunks = new Map<number, Uint8Array>();

  get bytesHeld(): number {
    return this.#chunks.size * CHUNK_BYTES;
  }

  read(lba: number, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count * SECTOR_SIZE);
    let pos = lba * SECTOR_SIZE;
    const end = pos + out.length;
    while (pos < end) {
      const index = Math.floor(pos / CHUNK_BYTES);
      const offset = pos - index * CHUNK_BYTES;
      const n = Math.min(CHUNK_BYTES - offset, end - pos);
      const chunk = this.#chunks.get(index);
      if (chunk) out.set(chunk.subarray(offset, offset + n), pos - lba * SECTOR_SIZE);
      pos += n;
    }
    return Promise.resolve(out);
  }

  write(lba: number, data: Uint8Array): Promise<void> {
    assertWhole(data);
    let pos = lba * SECTOR_SIZE;
    let src = 0;
    while (src < data.length) {
      const index = Math.floor(pos / CHUNK_BYTES);
      const offset = pos - index * CHUNK_BYTES;
      const n = Math.min(CHUNK_BYTES - offset, data.length - src);
      let chunk = this.#chunks.get(index);
      if (!chunk) {
        chunk = new Uint8Array(CHUNK_BYTES);
        this.#chunks.set(index, chunk);
      }
      chunk.set(data.subarray(src, src + n), offset);
      pos += n;
      src += n;
    }
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.#chunks.clear();
    return Promise.resolve();
  }
}

/** Keeps nothing: for streaming GBs through the drive in benches. */
export class DiscardSectorStore implements SectorStore {
  #written = 0;
  readonly bytesHeld = 0;

  /** Bytes written since creation or the last clear(). */
  get bytesWritten(): number {
    return this.#written;
  }

  read(_lba: number, count: number): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(count * SECTOR_SIZE));
  }

  write(_lba: number, data: Uint8Array): Promise<void> {
    assertWhole(data);
    this.#written += data.length;
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.#written = 0;
    return Promise.resolve();
  }
}

/** Read-only sectors computed on demand (pressed media hold no memory). */
export class GeneratedSectorStore implements SectorStore {
  readonly bytesHeld = 0;
  readonly #sector: (lba: number, into: Uint8Array) => void;

  constructor(sector: (lba: number, into: Uint8Array) => void) {
    this.#sector = sector;
  }

  read(lba: number, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count * SECTOR_SIZE);
    for (let i = 0; i < count; i++) {
      this.#sector(lba + i, out.subarray(i * SECTOR_SIZE, (i + 1) * SECTOR_SIZE));
    }
    return Promise.resolve(out);
  }

  write(): Promise<void> {
    return Promise.reject(new Error('pressed media cannot be written'));
  }

  clear(): Promise<void> {
    return Promise.resolve();
  }
}

export function createMemoryStore(): SectorStore {
  return new MemorySectorStore();
}
