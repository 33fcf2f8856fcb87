/**
 * Sectors on the fly. The plan's regions are produced in order; file data is
 * read only when its sectors are due, in chunks, and checked against the
 * planned size; output is coalesced into chunks of whole 2048-byte sectors.
 * Memory in flight is one output chunk and one read chunk, whatever the
 * data size.
 *
 * By default every chunk is fresh memory, as the consumer may keep it. A
 * consumer done with each chunk before it asks for the next (a synchronous
 * write) says so with `reuseBuffers`: file data is then read into two
 * buffers taken in turn and small pieces coalesced into one, so nothing is
 * allocated per chunk; fresh memory costs about as much as the read itself.
 */
import { FileSizeChangedError, UnreadableFileError } from './errors.ts';
import { SECTOR } from './iso9660/volume-descriptor.ts';
import type { FileNode } from './plan/nodes.ts';
import type { PlanState } from './plan/plan.ts';
import type { ByteSource } from './tree.ts';

export interface StreamOptions {
  /** Bytes per output chunk (a multiple of 2048); default 1 MiB. */
  chunkBytes?: number;
  /** Bytes per read from a file; default 1 MiB. */
  readBytes?: number;
  /**
   * The consumer is done with each chunk once it asks for the next one (it
   * writes synchronously, or copies): the stream then reuses its buffers,
   * and reads file data straight into them from sources that offer
   * `readInto` (the Node walker's do). Default false: every chunk is fresh.
   */
  reuseBuffers?: boolean;
  /** Stops the stream between regions once aborted. */
  signal?: { readonly aborted: boolean; readonly reason?: unknown };
}

/** Hooks a part may add to a file's bytes as they stream (the boot info table). */
export type FilePatcher = (
  n: FileNode,
  read: (offset: number, length: number) => Promise<Uint8Array>,
) => Promise<((offset: number, chunk: Uint8Array) => Uint8Array) | undefined>;

/**
 * A source that can also read into memory the stream provides: up to
 * `target.length` bytes at `offset`, resolving to how many it read (fewer
 * only at the end of the file).
 */
export interface ReadIntoSource extends ByteSource {
  readInto(offset: number, target: Uint8Array): Promise<number>;
}

const canReadInto = (s: ByteSource): s is ReadIntoSource =>
  typeof (s as Partial<ReadIntoSource>).readInto === 'function';

/** The two read buffers of a `reuseBuffers` stream, taken in turn. */
class ReadBuffers {
  private readonly bufs: Uint8Array[] = [];
  private turn = 0;
  /** A buffer of at least `size` bytes; `hint`: the largest size this stream will ask for. */
  next(size: number, hint: number): Uint8Array {
    this.turn ^= 1;
    let b = this.bufs[this.turn];
    if (!b || b.length < size) this.bufs[this.turn] = b = new Uint8Array(Math.max(size, hint));
    return b;
  }
}

/**
 * The read buffers of the stream whose region is being set up. `streamImage`
 * sets it around each region's synchronous `produce()` call, which is where
 * `fileSectors` is called, so concurrent streams never see each other's.
 */
let producing: ReadBuffers | undefined;

/** Zeros to the end of a file's last sector: pieces this small are always copied, so one will do. */
const ZEROS = new Uint8Array(SECTOR);

async function readChecked(n: FileNode, offset: number, length: number): Promise<Uint8Array> {
  try {
    const b = await n.entry.content.read(offset, length);
    return b.length > length ? b.subarray(0, length) : b;
  } catch (e) {
    throw new UnreadableFileError(n.path, { cause: e });
  }
}

/**
 * A file's sectors: its bytes, checked to be exactly the planned size (a
 * shorter read followed by an empty one means it shrank; a byte past the end
 * means it grew), then zeros to the end of its last sector.
 */
export function fileSectors(
  n: FileNode,
  readBytes: number,
  patcher?: FilePatcher,
): AsyncIterable<Uint8Array> {
  const src = n.entry.content;
  const buffers = producing && canReadInto(src) ? producing : undefined;
  const read = (offset: number, length: number): Promise<Uint8Array> =>
    buffers
      ? readIntoChecked(
          n,
          src as ReadIntoSource,
          offset,
          buffers.next(length, readBytes + 1).subarray(0, length),
        )
      : readChecked(n, offset, length);
  return fileSectorsWith(n, readBytes, read, patcher);
}

async function readIntoChecked(
  n: FileNode,
  src: ReadIntoSource,
  offset: number,
  target: Uint8Array,
): Promise<Uint8Array> {
  try {
    const got = await src.readInto(offset, target);
    return got === target.length ? target : target.subarray(0, got);
  } catch (e) {
    throw new UnreadableFileError(n.path, { cause: e });
  }
}

async function* fileSectorsWith(
  n: FileNode,
  readBytes: number,
  read: (offset: number, length: number) => Promise<Uint8Array>,
  patcher?: FilePatcher,
): AsyncIterable<Uint8Array> {
  const src = n.entry.content;
  // One read ahead: the next chunk is on its way while the consumer writes this one.
  // With reused buffers that is the other of the two: the one yielded last is free
  // again once the consumer asks for more, which is when the next read starts.
  // The last read asks for one byte more than is left: a file that grew shows
  // there, without a read of its own (a system call per file, for small files).
  let next: Promise<Uint8Array> | undefined;
  const ahead = (offset: number): void => {
    const left = n.size - offset;
    next = left > 0 ? read(offset, left > readBytes ? readBytes : left + 1) : undefined;
    next?.catch(() => {}); // awaited below; never an unhandled rejection
  };
  try {
    const patch = patcher ? await patcher(n, (o, l) => readChecked(n, o, l)) : undefined;
    let offset = 0;
    ahead(0);
    while (offset < n.size) {
      const b = await (next as Promise<Uint8Array>);
      if (b.length === 0) throw new FileSizeChangedError(n.path, n.size, offset);
      if (b.length > n.size - offset) {
        throw new FileSizeChangedError(n.path, n.size, offset + b.length);
      }
      const at = offset;
      offset += b.length;
      ahead(offset);
      yield patch ? patch(at, b) : b;
    }
    const tail = n.size % SECTOR;
    if (tail) yield ZEROS.subarray(0, SECTOR - tail);
  } finally {
    await next?.catch(() => {});
    await src.close?.();
  }
}

/** Coalesces pieces of any length into chunks of whole sectors. */
class Chunker {
  private buf: Uint8Array;
  private used = 0;
  /** `reuse`: the consumer is done with a chunk when it asks for the next; keep one buffer. */
  constructor(
    private readonly size: number,
    private readonly reuse = false,
  ) {
    this.buf = new Uint8Array(size);
  }
  *push(piece: Uint8Array): Iterable<Uint8Array> {
    // Large sector-aligned pieces (file data read in big chunks) pass through without a copy.
    if (piece.length >= this.size / 4 && piece.length % SECTOR === 0 && this.used % SECTOR === 0) {
      yield* this.flush();
      yield piece;
      return;
    }
    let o = 0;
    while (o < piece.length) {
      const n = Math.min(piece.length - o, this.size - this.used);
      this.buf.set(piece.subarray(o, o + n), this.used);
      this.used += n;
      o += n;
      if (this.used === this.size) {
        yield this.buf;
        if (!this.reuse) this.buf = new Uint8Array(this.size);
        this.used = 0;
      }
    }
  }
  *flush(): Iterable<Uint8Array> {
    if (this.used % SECTOR) throw new Error(`internal: ${this.used} bytes is not whole sectors`);
    if (this.used === 0) return;
    const full = this.buf.subarray(0, this.used);
    // The consumer keeps what it was given: continue in a fresh buffer (unless it said it does not).
    if (!this.reuse) this.buf = new Uint8Array(this.size);
    this.used = 0;
    yield full;
  }
}

/** The whole image, region by region, checking each produces exactly its planned sectors. */
export async function* streamImage(s: PlanState, o: StreamOptions = {}): AsyncIterable<Uint8Array> {
  const chunkBytes = o.chunkBytes ?? 1 << 20;
  if (chunkBytes % SECTOR || chunkBytes <= 0)
    throw new RangeError('chunkBytes must be whole sectors');
  const out = new Chunker(chunkBytes, o.reuseBuffers === true);
  const buffers = o.reuseBuffers ? new ReadBuffers() : undefined;
  let sector = 0;
  for (const r of s.regions) {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    if (r.start !== sector)
      throw new Error(`internal: ${r.what} planned at ${r.start}, due at ${sector}`);
    let bytes = 0;
    producing = buffers;
    let pieces;
    try {
      pieces = r.produce();
    } finally {
      producing = undefined;
    }
    for await (const piece of pieces) {
      bytes += piece.length;
      if (bytes > r.sectors * SECTOR) throw new Error(`internal: ${r.what} overran its sectors`);
      yield* out.push(piece);
    }
    if (bytes !== r.sectors * SECTOR) {
      throw new Error(`internal: ${r.what} produced ${bytes} bytes for ${r.sectors} sectors`);
    }
    sector += r.sectors;
  }
  yield* out.flush();
  if (sector !== s.totalSectors)
    throw new Error(`internal: ${sector} of ${s.totalSectors} sectors`);
}

/** The controller part of a ReadableStream's underlying source that `sectorSource` uses. */
export interface PullController {
  enqueue(chunk: Uint8Array): void;
  close(): void;
}

/**
 * An underlying source for `new ReadableStream(sectorSource(plan.stream()))`
 * in any realm that has ReadableStream (the page, a worker, Node 18+); this
 * module itself needs none of their globals.
 */
export function sectorSource(chunks: AsyncIterable<Uint8Array>): {
  pull(controller: PullController): Promise<void>;
  cancel(reason?: unknown): Promise<void>;
} {
  const it = chunks[Symbol.asyncIterator]();
  return {
    async pull(controller) {
      const r = await it.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    async cancel(reason) {
      await it.return?.(reason);
    },
  };
}
