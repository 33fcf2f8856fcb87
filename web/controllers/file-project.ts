import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  ErrorValue,
  FileImageOptions,
  FileImagePlan,
  FileTreeEntry,
} from '../../contract/api.ts';
import { SECTOR_BYTES } from '../../contract/profiles.ts';
import type { UiApi } from '../lib/api.ts';
import { settle, toErrorValue } from '../lib/errors.ts';
import { addEntries, removeEntry, renameEntry, type EntryPath } from '../lib/file-project.ts';
import type { DirNode } from '../lib/file-tree.ts';

/** The planned image against the disc's free space, in whole 2048-byte sectors. */
export interface FilesFit {
  readonly sectors: number;
  readonly free: number;
  readonly fits: boolean;
  /** Bytes over the free space (0 when it fits). */
  readonly excessBytes: number;
}

/** The worker call the project needs. */
export type PlanApi = Pick<UiApi, 'planFileImage'>;

/**
 * The "Burn files…" dialog's project: the entries at the disc's root, the
 * volume label, and the image the worker plans from them. Every change asks
 * the worker for a new plan (planFileImage: exact sectors, counts and the
 * name report), debounced so typing a label or adding a folder file by file
 * asks once; an answer to an older project is dropped. Until the newest
 * answer is in, `planning` is true and the dialog does not offer Burn.
 */
export class FileProjectController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #api: () => PlanApi | undefined;
  entries: readonly FileTreeEntry[] = [];
  volumeLabel = '';
  plan: FileImagePlan | null = null;
  /** Why the worker could not plan the image (an IMAPI2FS HRESULT naming the entry). */
  planError: ErrorValue | null = null;
  planning = false;
  /** What the last add renamed because the name was taken, in words. */
  notice = '';
  /** How long after the last change the worker is asked (ms). */
  debounceMs = 250;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  #date = Date.now();

  constructor(host: ReactiveControllerHost, api: () => PlanApi | undefined) {
    this.#host = host;
    this.#api = api;
    host.addController(this);
  }

  /** The project as burnImage and planFileImage take it. */
  get root(): DirNode {
    return { kind: 'dir', name: '', children: this.entries };
  }

  /**
   * The image's options: the label, and the date of the last change as the
   * volume's date, so the plan, a burn and Save as ISO of the same project
   * are the same image byte for byte.
   */
  get imageOptions(): FileImageOptions {
    const label = this.volumeLabel.trim();
    return { ...(label ? { volumeLabel: label } : {}), date: this.#date };
  }

  /** Adds entries at the root, or into the folder at `dir`. */
  add(added: readonly FileTreeEntry[], dir: EntryPath = []): void {
    if (added.length === 0) return;
    const { entries, renamed } = addEntries(this.entries, added, dir);
    this.notice = renamed.length
      ? `Already in the project, so added as: ${renamed.map((r) => `${r.from} → ${r.to}`).join(', ')}.`
      : '';
    this.#set(entries);
  }

  remove(path: EntryPath): void {
    this.notice = '';
    this.#set(removeEntry(this.entries, path));
  }

  /** Renames the entry at `path`; the reason in words when the name cannot be used. */
  rename(path: EntryPath, name: string): string | null {
    const r = renameEntry(this.entries, path, name);
    if (!r.ok) return r.problem;
    this.notice = '';
    this.#set(r.entries);
    return null;
  }

  setVolumeLabel(label: string): void {
    if (label === this.volumeLabel) return;
    this.volumeLabel = label;
    this.#changed();
  }

  clear(): void {
    this.notice = '';
    this.volumeLabel = '';
    this.#set([]);
  }

  /** The plan against `freeBlocks` sectors; null while there is no plan. */
  fit(freeBlocks: number): FilesFit | null {
    const p = this.plan;
    if (!p) return null;
    const over = Math.max(0, p.sectors - freeBlocks);
    return {
      sectors: p.sectors,
      free: freeBlocks,
      fits: over === 0,
      excessBytes: over * SECTOR_BYTES,
    };
  }

  #set(entries: readonly FileTreeEntry[]): void {
    this.entries = entries;
    this.#changed();
  }

  #changed(): void {
    clearTimeout(this.#timer);
    this.#date = Date.now();
    const seq = ++this.#seq;
    if (this.entries.length === 0) {
      this.plan = null;
      this.planError = null;
      this.planning = false;
    } else {
      this.planning = true;
      this.#timer = setTimeout(() => void this.#plan(seq), this.debounceMs);
    }
    this.#host.requestUpdate();
  }

  async #plan(seq: number): Promise<void> {
    const api = this.#api();
    const root = this.root;
    const options = this.imageOptions;
    const result = api ? await settle(() => api.planFileImage(root, options)) : null;
    if (seq !== this.#seq) return;
    this.planning = false;
    if (!result) {
      this.plan = null;
      this.planError = toErrorValue(new Error('The recorder service is not running.'));
    } else if (result.ok) {
      this.plan = result.value;
      this.planError = null;
    } else {
      this.plan = null;
      this.planError = result.error;
    }
    this.#host.requestUpdate();
  }

  /** Back in the page with a plan outstanding (hostDisconnected dropped it): ask again. */
  hostConnected(): void {
    if (this.planning) this.#changed();
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#seq++;
  }
}
