/** A disc image on disk, for `webdisc burn`: streamed, never read whole, re-readable for verification. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { inputFile } from './paths.ts';
import type { ImageSource } from '../engine/recording/source.ts';

export async function fileSource(path: string): Promise<ImageSource> {
  // A regular file only: a FIFO would block the stream, a folder cannot be read as one.
  const size = await inputFile(path, 'the image');
  return {
    size,
    async *stream() {
      // The file is opened read-only: the image is never modified.
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
        const b = chunk as Buffer;
        yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
    },
    async readAt(offset, length) {
      const handle = await open(path, 'r');
      try {
        const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        let at = 0;
        while (at < out.length) {
          const { bytesRead } = await handle.read(out, at, out.length - at, offset + at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return out.subarray(0, at);
      } finally {
        await handle.close();
      }
    },
  };
}
