/**
 * The virtual recorder's sectors in a sparse image file (Node only): the
 * `SectorStore` of virtual-recorder/src/store.ts over fs reads and writes at
 * offsets. Sectors never written read as zeros (holes, or past the end of
 * the file), so a 4 GiB disc holds only what was written, on disk and in
 * memory. Each write reaches the file before it resolves.
 *
 * The file is made on the first write: a blank disc has none. `clear()`
 * (BLANK, FORMAT UNIT) does not empty the file in place: it leaves it to the
 * owner (cli/virtual-dir.ts deletes it once the saved state no longer names
 * it) and the next write starts a new one, so a process killed between the
 * clear and the save leaves the previous state with its sectors intact.
 */
import { closeSync, constants, fdatasyncSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SECTOR_SIZE, type SectorStore } from '../virtual-recorder/src/index.ts';

export interface FileStoreOptions {
  /** The folder of the image files. */
  readonly dir: string;
  /** An existing image file's name in `dir` (a restored disc); else one is made on the first write. */
  readonly file?: string | undefined;
  /** A new, unused file name in `dir`. */
  readonly newName: () => string;
  /** Called when the store is closed for good (its disc left the drive). */
  readonly onClose?: (store: FileSectorStore) => void;
}

export class FileSectorStore implements SectorStore {
  readonly bytesHeld = 0;
  readonly #o: FileStoreOptions;
  #file: string | undefined;
  #fd: number | undefined;
  #closed = false;

  constructor(options: FileStoreOptions) {
    this.#o = options;
    this.#file = options.file;
  }

  /** The image file's name in the folder, or undefined while nothing was written. */
  get file(): string | undefined {
    return this.#file;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #open(create: boolean): number | undefined {
    if (this.#closed) throw new Error('the virtual disc image is closed');
    if (this.#fd !== undefined) return this.#fd;
    if (this.#file === undefined) {
      if (!create) return undefined;
      this.#file = this.#o.newName();
      this.#fd = openSync(
        join(this.#o.dir, this.#file),
        constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC,
        0o600,
      );
      return this.#fd;
    }
    try {
      this.#fd = openSync(
        join(this.#o.dir, this.#file),
        constants.O_RDWR | constants.O_CREAT,
        0o600,
      );
    } catch (error) {
      if (!create && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return this.#fd;
  }

  read(lba: number, count: number): Promise<Uint8Array> {
    try {
      const out = new Uint8Array(count * SECTOR_SIZE);
      const fd = this.#open(false);
      if (fd === undefined) return Promise.resolve(out);
      let done = 0;
      while (done < out.length) {
        const n = readSync(fd, out, done, out.length - done, lba * SECTOR_SIZE + done);
        if (n === 0) break; // past the end of the file: zeros
        done += n;
      }
      return Promise.resolve(out);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  write(lba: number, data: Uint8Array): Promise<void> {
    try {
      if (data.length % SECTOR_SIZE !== 0) {
        throw new RangeError(`sector data must be a multiple of ${SECTOR_SIZE} bytes`);
      }
      const fd = this.#open(true)!;
      let done = 0;
      while (done < data.length) {
        done += writeSync(fd, data, done, data.length - done, lba * SECTOR_SIZE + done);
      }
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Every sector reads as zeros again: the next write starts a new file (see above). */
  clear(): Promise<void> {
    this.#closeFd();
    this.#file = undefined;
    return Promise.resolve();
  }

  /** What was written reaches the disk (before a saved state names it). */
  sync(): void {
    if (this.#fd !== undefined) fdatasyncSync(this.#fd);
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closeFd();
      this.#closed = true;
      this.#o.onClose?.(this);
    }
    return Promise.resolve();
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
  }
}
