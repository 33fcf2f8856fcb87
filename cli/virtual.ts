/**
 * The CLI's virtual recorder, in this process. `VirtualDrive.open` powers it
 * on with the disc kept in the virtual folder (cli/virtual-dir.ts) by the
 * command before, or with a new blank disc of the medium `--virtual=MEDIA`
 * names; its sectors live in image files there (cli/virtual-store.ts) and
 * every change of the disc or the tray is saved for the next command.
 * `createVirtualSource` is a drive that keeps nothing (`list`).
 */
import { createReadStream } from 'node:fs';
import {
  MEDIA_NAMES,
  createVirtualRecorder,
  isMediaName,
  type MediaName,
  type VirtualRecorder,
} from '../virtual-recorder/src/index.ts';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import type { LockLease } from '../engine/coordinator.ts';
import { inputFile } from './paths.ts';
import type { RecorderSource, VirtualControl } from '../engine/service.ts';
import { virtualControl, virtualSource } from '../engine/virtual-source.ts';
import {
  collectGarbage,
  lockVirtualDir,
  newImageName,
  readSavedDrive,
  writeSavedDrive,
} from './virtual-dir.ts';
import { FileSectorStore } from './virtual-store.ts';

/** The disc a drive with nothing kept starts with (as before discs were kept). */
export const DEFAULT_MEDIA: MediaName = 'cd-r';
/** While only written blocks move (a burn under way), the state is saved at most this often. */
const PROGRESS_SAVE_MS = 1000;

function mediaName(media: string): MediaName {
  if (!isMediaName(media)) {
    throw new WebdiscError(
      'E_INVALIDARG',
      `Unknown medium "${media}". Choose one of: ${MEDIA_NAMES.join(', ')}.`,
    );
  }
  return media;
}

/** A virtual recorder that keeps nothing, with `media` in it. */
export function createVirtualSource(media: string): {
  source: RecorderSource;
  control: VirtualControl;
} {
  const recorder = createVirtualRecorder({ media: mediaName(media) });
  return { source: virtualSource(recorder), control: virtualControl(recorder) };
}

export interface VirtualDriveOptions {
  /** The virtual folder (`virtualDir()`). */
  readonly dir: string;
  /** A new blank disc of this medium, replacing the kept one; else the kept disc. */
  readonly media?: string | undefined;
  /** How long to wait for another process to let go of the folder (default 3 s). */
  readonly waitMs?: number;
  /** The lock records' folder (default process-coordinator.ts `runtimeDir()`). */
  readonly runtimeDir?: string;
}

export class VirtualDrive {
  readonly dir: string;
  readonly recorder: VirtualRecorder;
  readonly source: RecorderSource;
  readonly control: VirtualControl;
  readonly #lease: LockLease;
  /** Stores not closed yet: their files are never collected. */
  readonly #stores = new Set<FileSectorStore>();
  readonly #unsubscribe: () => void;
  #saved = '';
  #savedShape = '';
  #savedAt = 0;
  #closed = false;

  private constructor(dir: string, lease: LockLease, build: (d: VirtualDrive) => VirtualRecorder) {
    this.dir = dir;
    this.#lease = lease;
    this.recorder = build(this);
    this.source = virtualSource(this.recorder);
    this.control = virtualControl(this.recorder);
    this.#unsubscribe = this.recorder.subscribe((e) => {
      if (e.type === 'command' || e.type === 'tray' || e.type === 'media') this.save(false);
    });
  }

  /** Takes the folder (VirtualDriveBusyError if another process keeps it) and powers the drive on. */
  static async open(options: VirtualDriveOptions): Promise<VirtualDrive> {
    const media = options.media === undefined ? undefined : mediaName(options.media);
    const lease = await lockVirtualDir(options.dir, {
      ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
      ...(options.runtimeDir === undefined ? {} : { runtimeDir: options.runtimeDir }),
    });
    try {
      const kept = media === undefined ? readSavedDrive(options.dir) : undefined;
      const drive = new VirtualDrive(options.dir, lease, (d) => {
        const storeFactory = () => d.#newStore(undefined);
        if (!kept) return createVirtualRecorder({ media: media ?? DEFAULT_MEDIA, storeFactory });
        const recorder = createVirtualRecorder({ storeFactory });
        recorder.restoreState(kept.drive, kept.image ? d.#newStore(kept.image) : undefined);
        return recorder;
      });
      // What a dead process left (a new disc's image it never named, a temporary state).
      drive.#collect();
      drive.save(true);
      return drive;
    } catch (error) {
      await lease.release();
      throw error;
    }
  }

  #newStore(file: string | undefined): FileSectorStore {
    const store = new FileSectorStore({
      dir: this.dir,
      file,
      newName: newImageName,
      onClose: (s) => this.#stores.delete(s),
    });
    this.#stores.add(store);
    return store;
  }

  #collect(): void {
    const keep = new Set<string>();
    for (const s of this.#stores) if (s.file) keep.add(s.file);
    collectGarbage(this.dir, keep);
  }

  /**
   * Saves the drive's state if it changed: at once when the disc's shape
   * changed (a medium, the tray, a track or session closed, a format), at
   * most once a second while only written blocks move; `force` always.
   */
  save(force: boolean): void {
    if (this.#closed) return;
    const store = this.recorder.discStore;
    const image = store instanceof FileSectorStore ? (store.file ?? null) : null;
    const saved = { image, drive: this.recorder.saveState() };
    const json = JSON.stringify(saved);
    if (json === this.#saved) return;
    const shape = JSON.stringify(saved, (key, value: unknown) =>
      key === 'recorded' ? undefined : value,
    );
    const now = Date.now();
    if (!force && shape === this.#savedShape && now - this.#savedAt < PROGRESS_SAVE_MS) return;
    // The sectors a state names are on the disk before the state is.
    if (store instanceof FileSectorStore && shape !== this.#savedShape) store.sync();
    writeSavedDrive(this.dir, saved);
    this.#saved = json;
    this.#savedShape = shape;
    this.#savedAt = now;
    this.#collect();
  }

  /**
   * Puts a finished disc holding the image file in the drive: pressed
   * (cd-rom, dvd-rom; the default: the smallest that fits), a finalized
   * recordable disc, or a formatted DVD+RW/BD-RE (`as`). Its sectors are
   * copied into the folder, so the file may go afterwards.
   */
  async insertImage(file: string, options: { as?: string | undefined } = {}): Promise<void> {
    const as = options.as === undefined ? undefined : mediaName(options.as);
    // A regular file only (a FIFO would block the read), said in words.
    const size = await inputFile(file, 'the image');
    if (size === 0) throw new WebdiscError('E_INVALIDARG', `The image ${file} is empty.`);
    await this.recorder.insertImage(createReadStream(file, { highWaterMark: 1 << 20 }), {
      ...(as === undefined ? {} : { as }),
    });
  }

  /** Saves the state a last time and lets go of the folder (the process may end at once). */
  close(): void {
    if (this.#closed) return;
    try {
      this.save(true);
    } finally {
      this.#closed = true;
      this.#unsubscribe();
      for (const s of [...this.#stores]) void s.close();
      try {
        const keep = readSavedDrive(this.dir)?.image;
        collectGarbage(this.dir, new Set(keep ? [keep] : []));
      } finally {
        void this.#lease.release();
      }
    }
  }
}
