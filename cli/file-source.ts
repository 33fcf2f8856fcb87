/** A disc image on disk, for `webdisc burn`: streamed, never read whole, re-readable for verification. */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import type { ImageSource } from '../engine/recording/source.ts';

export async function fileSource(path: string): Promise<ImageSource> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a regular file');
    size = s.size;
  } catch (error) {
    throw new WebdiscError(
      'E_INVALIDARG',
      `Cannot read the image "${path}": ${(error as Error).message}.`,
      {
        cause: error,
      },
    );
  }
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
