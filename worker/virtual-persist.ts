/**
 * The app's virtual drive keeps its disc across reloads (issue 17): the
 * written sectors are in an OPFS store (opfs-store.ts, on disk, never the
 * whole disc in memory) and the disc's layout and the tray in
 * `virtual-drive.json` beside the stores, as the CLI keeps them in its
 * folder (cli/virtual.ts). The state is written when the disc's shape
 * changes (a medium, the tray, a session closed: at once) and while only
 * written blocks move, at most once a second; `createWritable` commits the
 * file whole when it closes, so a closed tab leaves the previous state or
 * the new one, never half of one.
 */
import {
  APP_CLOCK,
  createVirtualRecorder,
  parseDriveState,
  type ClockOption,
  type DriveState,
  type VirtualRecorder,
} from '../virtual-recorder/src/index.ts';
import {
  OPFS_STORE_DIRECTORY,
  OpfsSectorStore,
  removeAllOpfsStores,
  type StorageLike,
} from './opfs-store.ts';

export const STATE_FILE = 'webdisc-virtual-drive.json';
const PROGRESS_SAVE_MS = 1000;

interface Saved {
  readonly store: string | null;
  readonly drive: DriveState;
}

export interface PersistentDrive {
  readonly recorder: VirtualRecorder;
  /** Writes the state now (tests; the host saves on its own). */
  save(): Promise<void>;
  stop(): void;
}

async function readSaved(storage: StorageLike): Promise<Saved | undefined> {
  try {
    const root = await storage.getDirectory();
    const file = await (await root.getFileHandle(STATE_FILE)).getFile();
    const json = JSON.parse(await file.slice(0, file.size).text()) as {
      store?: unknown;
      drive?: unknown;
    };
    return {
      store: typeof json.store === 'string' ? json.store : null,
      drive: parseDriveState(json.drive),
    };
  } catch {
    return undefined; // none yet, or unreadable: start with a blank CD-R as before
  }
}

/** Opens the virtual drive with the disc it kept, or a blank CD-R; on the app's clock unless told. */
export async function openPersistentDrive(
  options: { storage?: StorageLike; media?: 'cd-r'; clock?: ClockOption } = {},
): Promise<PersistentDrive> {
  const clock = options.clock ?? APP_CLOCK;
  const storage = options.storage ?? (navigator.storage as unknown as StorageLike);
  const kept = await readSaved(storage);
  // Stores a crashed session left behind (no state names them) go; a kept disc stays.
  if (!kept?.store) await removeAllOpfsStores({ storage }).catch(() => undefined);
  const storeFactory = () => new OpfsSectorStore({ storage });
  let recorder: VirtualRecorder;
  if (kept) {
    recorder = createVirtualRecorder({ storeFactory, clock });
    recorder.restoreState(
      kept.drive,
      kept.store ? new OpfsSectorStore({ storage, name: kept.store }) : undefined,
    );
  } else {
    recorder = createVirtualRecorder({ media: options.media ?? 'cd-r', storeFactory, clock });
  }

  let saved = '';
  let savedShape = '';
  let savedAt = 0;
  let writing: Promise<void> = Promise.resolve();
  const snapshot = (): Saved => {
    const store = recorder.discStore;
    return {
      store: store instanceof OpfsSectorStore ? store.name : null,
      drive: recorder.saveState(),
    };
  };
  const write = async (json: string) => {
    const root = await storage.getDirectory();
    const handle = await root.getFileHandle(STATE_FILE, { create: true });
    const w = await handle.createWritable({ keepExistingData: false });
    await w.write({ type: 'write', position: 0, data: new TextEncoder().encode(json) });
    await w.close();
  };
  const save = (force: boolean): Promise<void> => {
    const state = snapshot();
    const json = JSON.stringify(state);
    if (json === saved) return writing;
    const shape = JSON.stringify(state, (k, v: unknown) => (k === 'recorded' ? undefined : v));
    const now = Date.now();
    if (!force && shape === savedShape && now - savedAt < PROGRESS_SAVE_MS) return writing;
    saved = json;
    savedShape = shape;
    savedAt = now;
    writing = writing.then(() => write(json)).catch(() => undefined);
    return writing;
  };
  const unsubscribe = recorder.subscribe((e) => {
    if (e.type === 'command' || e.type === 'tray' || e.type === 'media') void save(false);
  });
  await save(true);
  return { recorder, save: () => save(true), stop: unsubscribe };
}

export { OPFS_STORE_DIRECTORY };
