/**
 * A disc file's chunks as a ReadableStream the page can take over (it is
 * transferred with Comlink.transfer, not copied): pulled one chunk at a
 * time, so a download or a zip reads the disc only as fast as it writes.
 */
import type { Result } from '../contract/api.ts';
import { toErrorValue } from '../usb-mass-storage/src/errors.ts';

export function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await it.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value.slice());
        } catch (error) {
          controller.error(error instanceof Error ? new Error(error.message) : error);
        }
      },
      async cancel() {
        await it.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

/** The stream as a Result, or why the file cannot be read. */
export async function streamResult(
  open: () => Promise<AsyncIterable<Uint8Array>>,
): Promise<Result<ReadableStream<Uint8Array>>> {
  try {
    return { ok: true, value: streamOf(await open()) };
  } catch (error) {
    return { ok: false, error: toErrorValue(error) };
  }
}
