/**
 * Where the CLI's virtual drive keeps its disc between commands, and who may
 * use it (issue 17).
 *
 * The folder: `--virtual-dir DIR`, else `$WEBDISC_VIRTUAL_DIR`, else
 * `$XDG_DATA_HOME/webdisc/virtual`, else `~/.local/share/webdisc/virtual`.
 * It holds `drive.json` (the tray and the disc's recorded state:
 * virtual-recorder's `DriveState`, and the name of its image file) and the
 * sparse image files of cli/virtual-store.ts. `drive.json` is replaced
 * atomically (a temporary name, fsync, rename), so a killed process leaves
 * the state before or after a change, never half of one.
 *
 * One process at a time: a process holds the folder for as long as it uses
 * the virtual drive, through a lock record of cli/process-coordinator.ts (a
 * socket the OS frees when its holder dies, so a killed process never leaves
 * the folder locked, and a reused pid never looks alive). Another process
 * waits a little, then fails with `VirtualDriveBusyError`, which names the
 * holder's pid.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import type { LockLease } from '../engine/coordinator.ts';
import { parseDriveState, type DriveState } from '../virtual-recorder/src/index.ts';
import { ProcessCoordinator, runtimeDir } from './process-coordinator.ts';

export const STATE_FILE = 'drive.json';
const STATE_FORMAT = 'webdisc-virtual-drive';
const IMAGE_NAME = /^disc-[0-9a-z-]+\.img$/;
const TEMP_NAME = /^drive\.json\.\d+\.tmp$/;

/** The folder of the virtual drive: the option, else $WEBDISC_VIRTUAL_DIR, else the user's data folder. */
export function virtualDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return resolve(option);
  if (env.WEBDISC_VIRTUAL_DIR) return resolve(env.WEBDISC_VIRTUAL_DIR);
  const data = env.XDG_DATA_HOME?.startsWith('/')
    ? env.XDG_DATA_HOME
    : join(homedir(), '.local', 'share');
  return join(data, 'webdisc', 'virtual');
}

/** What `drive.json` holds. */
export interface SavedDrive {
  /** The disc's image file in the folder; null when nothing was written (or the disc is pressed). */
  readonly image: string | null;
  readonly drive: DriveState;
}

/** `drive.json` read back, or undefined when there is none (no disc was ever kept here). */
export function readSavedDrive(dir: string): SavedDrive | undefined {
  const path = join(dir, STATE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as { format?: unknown; image?: unknown; drive?: unknown };
    if (value.format !== STATE_FORMAT) throw new Error(`it is not a ${STATE_FORMAT} file`);
    const image = value.image ?? null;
    if (image !== null && (typeof image !== 'string' || !IMAGE_NAME.test(image))) {
      throw new Error(`"image" is not an image file name`);
    }
    return { image, drive: parseDriveState(value.drive) };
  } catch (error) {
    throw new WebdiscError(
      'E_INVALIDARG',
      `The virtual drive's state ${path} is unreadable (${(error as Error).message}). ` +
        'Insert a new disc with --virtual=MEDIA, or remove the file.',
      { cause: error },
    );
  }
}

/** Replaces `drive.json` atomically: written and synced under a temporary name, then renamed. */
export function writeSavedDrive(dir: string, saved: SavedDrive): void {
  const temp = join(dir, `${STATE_FILE}.${process.pid}.tmp`);
  const text = `${JSON.stringify({ format: STATE_FORMAT, ...saved }, null, 1)}\n`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, join(dir, STATE_FILE));
}

/** A new image file name (the folder is locked: no other process makes one meanwhile). */
export function newImageName(): string {
  return `disc-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.img`;
}

/**
 * Deletes what no saved state names: image files other than `keep` (and
 * the files of stores still open), and temporary state files of processes
 * that died before their rename.
 */
export function collectGarbage(dir: string, keep: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if ((IMAGE_NAME.test(name) && !keep.has(name)) || TEMP_NAME.test(name)) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Gone already, or not ours to delete: it costs only space.
      }
    }
  }
}

/** Another process uses the virtual drive's folder. */
export class VirtualDriveBusyError extends WebdiscError {
  readonly dir: string;
  /** The holder's process id, when its lock record says. */
  readonly holderPid: number | undefined;

  constructor(dir: string, holderPid: number | undefined) {
    super(
      'IMAPI_E_DEVICE_NOTACCESSIBLE',
      `The virtual drive in ${dir} is in use by another webdisc process` +
        `${holderPid === undefined ? '' : ` (pid ${holderPid})`}. Wait for it to finish, ` +
        'or give this one another folder with --virtual-dir DIR.',
    );
    this.dir = dir;
    this.holderPid = holderPid;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the folder for this process (it is made if missing): waits up to
 * `waitMs` for another holder to finish, then throws VirtualDriveBusyError.
 */
export async function lockVirtualDir(
  dir: string,
  options: { waitMs?: number; runtimeDir?: string } = {},
): Promise<LockLease> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const id = `virtual-dir:${realpathSync(dir)}`;
  const coordinator = new ProcessCoordinator({ dir: options.runtimeDir ?? runtimeDir() });
  const holder = { sessionId: `cli-${process.pid}`, clientName: `webdisc (pid ${process.pid})` };
  const deadline = Date.now() + (options.waitMs ?? 3000);
  for (;;) {
    const lease = await coordinator.tryLock(id, holder);
    if (lease) return lease;
    if (Date.now() >= deadline) break;
    await sleep(100);
  }
  const other = await coordinator.holder(id);
  const pid = /^cli-(\d+)$/.exec(other?.sessionId ?? '')?.[1];
  throw new VirtualDriveBusyError(dir, pid === undefined ? undefined : Number(pid));
}
