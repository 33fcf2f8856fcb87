/**
 * Copying a disc from one drive to another at once (K3b's and ImgBurn's
 * on-the-fly copy): the source is read by the save step into a bounded pipe
 * that the burn step writes from, so at most `limitBytes` are in memory
 * whatever the disc's size. Either side's failure stops the other: a failed
 * read ends the burn's stream with the read's error; a failed burn cancels
 * the read.
 */
import type { BurnReport, CopyReport, OperationResult, SaveReport } from '../../contract/api.ts';
import { hresultName } from '../../contract/hresult.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import { streamSource, type ImageSource } from '../recording/source.ts';
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

/** The two sides of a copy on the fly: the source drive's save and the other drive's burn. */
export interface CopySides {
  /** Sectors the read gives (the burn's stream size). */
  readonly sectors: number;
  read(sink: ImageSink): Promise<OperationResult<SaveReport>>;
  write(source: ImageSource): Promise<OperationResult<BurnReport>>;
  /** Stops the read (the burn failed); throws when it had already ended. */
  cancelRead(): void;
}

/** Reads into a CopyPipe while burning from it; either side's failure stops the other. */
export async function copyOnTheFly(sides: CopySides): Promise<OperationResult<CopyReport>> {
  const pipe = new CopyPipe();
  try {
    const reading = sides.read(pipe.sink).then((r) => {
      if (r.ok) pipe.close();
      else pipe.fail(new WebdiscError(hresultName(r.error.hresult) ?? 'E_FAIL', r.error.message));
      return r;
    });
    let burnStopped = false;
    const writing = sides.write(streamSource(pipe.stream(), sides.sectors * 2048)).then((r) => {
      if (!r.ok) {
        burnStopped = true;
        pipe.abandon();
        try {
          sides.cancelRead();
        } catch {
          // the read had already ended
        }
      }
      return r;
    });
    const [read, written] = await Promise.all([reading, writing]);
    // The burn's own failure first, unless the read failed and took the burn with it.
    const readStoppedByBurn = !read.ok && read.error.name === 'E_IMAPI_REQUEST_CANCELLED';
    if (!written.ok && burnStopped && (read.ok || readStoppedByBurn)) return written;
    if (!read.ok) return read;
    if (!written.ok) return written;
    return { ok: true, value: { save: read.value, burn: written.value } };
  } catch (error) {
    pipe.abandon();
    throw error;
  }
}
