/**
 * Where a burn's sectors come from: a File or Blob, a stream of bytes (a
 * ReadableStream from the page, a Node file stream), or bytes in memory.
 * Sources are read sequentially in sector-aligned chunks and never modified;
 * a source that can be read again at an offset (a Blob, a file) lets full
 * verification find the exact first bad sector.
 */
import type { BlobLike, ReadableStreamLike } from '../../contract/api.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';

/** The contract's sector size and arithmetic, under the names the engine uses. */
export { SECTOR_BYTES as SECTOR, sectorsFor } from '../../contract/profiles.ts';
import { SECTOR_BYTES as SECTOR } from '../../contract/profiles.ts';

export interface ImageSource {
  /** Bytes, when known before reading (a Blob, a file); streams may not know. */
  readonly size: number | undefined;
  /** The bytes in order, in chunks of any size. Called once per pass. */
  stream(): AsyncIterable<Uint8Array>;
  /** Random access, when the source has it (for verification). */
  readAt?(offset: number, length: number): Promise<Uint8Array>;
}

const BLOB_READ = 4 * 1024 * 1024;

export function blobSource(blob: BlobLike): ImageSource {
  return {
    size: blob.size,
    async *stream() {
      for (let at = 0; at < blob.size; at += BLOB_READ) {
        yield new Uint8Array(
          await blob.slice(at, Math.min(blob.size, at + BLOB_READ)).arrayBuffer(),
        );
      }
    },
    async readAt(offset, length) {
      return new Uint8Array(
        await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer(),
      );
    },
  };
}

export function bytesSource(bytes: Uint8Array): ImageSource {
  return {
    size: bytes.length,
    async *stream() {
      for (let at = 0; at < bytes.length; at += BLOB_READ) {
        // Views, never copies and never writes: the caller's bytes stay as they are.
        yield bytes.subarray(at, Math.min(bytes.length, at + BLOB_READ));
      }
    },
    readAt(offset, length) {
      return Promise.resolve(bytes.subarray(offset, Math.min(bytes.length, offset + length)));
    },
  };
}

/** A one-pass stream (ReadableStream or AsyncIterable); `size` when the caller knows it. */
export function streamSource(
  stream: ReadableStreamLike<Uint8Array> | AsyncIterable<Uint8Array>,
  size?: number,
): ImageSource {
  let used = false;
  return {
    size,
    async *stream() {
      if (used)
        throw new WebdiscError(
          'E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED',
          'This stream can be read only once.',
        );
      used = true;
      if (Symbol.asyncIterator in stream) {
        yield* stream;
        return;
      }
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          if (value) yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  };
}

/**
 * Regroups a byte stream into chunks of exactly `chunkBytes` (a multiple of
 * 2048), the last one shorter and zero-padded up to a whole sector. Aligned
 * input passes through as views; only chunks that straddle input boundaries
 * are copied, into a buffer of our own.
 */
export async function* sectorChunks(
  input: AsyncIterable<Uint8Array>,
  chunkBytes: number,
): AsyncGenerator<Uint8Array> {
  if (chunkBytes <= 0 || chunkBytes % SECTOR !== 0)
    throw new RangeError('chunk size must be whole sectors');
  let pending: Uint8Array | undefined;
  let filled = 0;
  for await (const piece of input) {
    let at = 0;
    if (pending) {
      const n = Math.min(chunkBytes - filled, piece.length);
      pending.set(piece.subarray(0, n), filled);
      filled += n;
      at = n;
      if (filled < chunkBytes) continue;
      yield pending;
      pending = undefined;
      filled = 0;
    }
    while (piece.length - at >= chunkBytes) {
      yield piece.subarray(at, at + chunkBytes);
      at += chunkBytes;
    }
    if (at < piece.length) {
      pending = new Uint8Array(chunkBytes);
      pending.set(piece.subarray(at), 0);
      filled = piece.length - at;
    }
  }
  if (pending && filled > 0) {
    // Pad the last partial sector with zeros (ISO images are whole sectors already).
    const padded = Math.ceil(filled / SECTOR) * SECTOR;
    yield pending.subarray(0, padded);
  }
}
