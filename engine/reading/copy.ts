/**
 * Copying a disc from one drive to another at once (K3b's and ImgBurn's
 * on-the-fly copy): the source is read by the save step into a bounded pipe
 * that the burn step writes from, so at most `limitBytes` are in memory
 * whatever the disc's size. Either side's failure stops the other: a failed
 * read ends the burn's stream with the read's error; a failed burn cancels
 * the read.
 */
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import type { ImageSink } from './save-image.ts';

export class CopyPipe {
  readonly #limit: number;
  #queue: Uint8Array[] = [];
  #held = 0;
  #expected = 0;
  #closed = false;
  #error: unknown;
  #wake: (() => void) | undefined;
  #room: (() => void) | undefined;

  constructor(limitBytes = 32 << 20) {
    this.#limit = limitBytes;
  }

  /** The save step's sink: in order only (a copy never seeks), waiting while the pipe is full. */
  readonly sink: ImageSink = {
    write: async (offset, bytes) => {
      if (offset !== this.#expected)
        throw new WebdiscError(
          'E_FAIL',
          `internal: copy pipe written at ${offset}, expected ${this.#expected}`,
        );
      while (this.#held >= this.#limit && !this.#closed) {
        await new Promise<void>((r) => (this.#room = r));
      }
      if (this.#closed)
        throw new WebdiscError(
          'E_IMAPI_REQUEST_CANCELLED',
          'The copy was stopped by the writing drive.',
        );
      this.#expected += bytes.length;
      this.#queue.push(bytes);
      this.#held += bytes.length;
      this.#wake?.();
    },
  };

  /** No more data: the stream ends after what is queued. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /** The read failed: the burn's stream fails with the same error. */
  fail(error: unknown): void {
    this.#error = error;
    this.close();
  }

  /** The burn stopped taking data: unblock the reader (its next write fails). */
  abandon(): void {
    this.#closed = true;
    this.#queue = [];
    this.#held = 0;
    this.#room?.();
  }

  async *stream(): AsyncIterable<Uint8Array> {
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next) {
          this.#held -= next.length;
          this.#room?.();
          this.#room = undefined;
          yield next;
          continue;
        }
        if (this.#error !== undefined) throw this.#error;
        if (this.#closed) return;
        await new Promise<void>((r) => (this.#wake = r));
        this.#wake = undefined;
      }
    } finally {
      if (!this.#closed || this.#queue.length) this.abandon();
    }
  }
}
