import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  DiscFileEntry,
  ErrorValue,
  FileImageOptions,
  FileSessionPlan,
  FileTreeEntry,
} from '../../contract/api.ts';
import { SECTOR_BYTES } from '../../contract/profiles.ts';
import type { UiApi } from '../lib/api.ts';
import { settle, toErrorValue } from '../lib/errors.ts';
import type { FilesFit } from './file-project.ts';

/** The worker calls "Add files…" needs besides the project's. */
export type SessionApi = Pick<UiApi, 'planFileSession' | 'walkSessionFiles'>;

type Root = Extract<FileTreeEntry, { kind: 'dir' }>;

/** "/docs" holds "/docs/a.txt" (and itself). */
const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/**
 * "Add files…" (issue 18): the files on the disc's newest session (walkSessionFiles),
 * the ones the person takes out, and the new session the worker plans from them
 * and the project (planFileSession: its size at its start against the free
 * space). Like FileProjectController, each change asks again (debounced) and
 * an answer to an older request is dropped.
 */
export class DiscSessionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #api: () => Partial<SessionApi> | undefined;
  /** The disc's entries, folders before their contents; null until read. */
  entries: readonly DiscFileEntry[] | null = null;
  loadError: ErrorValue | null = null;
  /** Disc paths taken out (a folder takes its contents with it). */
  removed: ReadonlySet<string> = new Set();
  plan: FileSessionPlan | null = null;
  planError: ErrorValue | null = null;
  planning = false;
  debounceMs = 250;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  #loadSeq = 0;

  constructor(host: ReactiveControllerHost, api: () => Partial<SessionApi> | undefined) {
    this.#host = host;
    this.#api = api;
    host.addController(this);
  }

  /** Reads the disc's files afresh (and forgets what was taken out). */
  async load(id: string): Promise<void> {
    const seq = ++this.#loadSeq;
    this.entries = null;
    this.loadError = null;
    this.removed = new Set();
    this.plan = null;
    this.planError = null;
    this.#host.requestUpdate();
    const api = this.#api();
    const r = api?.walkSessionFiles
      ? await settle(() => api.walkSessionFiles!(id))
      : {
          ok: false as const,
          error: toErrorValue(new Error('The recorder service is not running.')),
        };
    if (seq !== this.#loadSeq) return;
    if (r.ok) this.entries = r.value.filter((e) => e.path !== '/');
    else this.loadError = r.error;
    this.#host.requestUpdate();
  }

  /** Whether the entry at `path` goes (itself or a folder above it is taken out). */
  isRemoved(path: string): boolean {
    for (const r of this.removed) if (within(path, r)) return true;
    return false;
  }

  /** Takes the entry out, or keeps it again. */
  toggle(path: string): void {
    const next = new Set(this.removed);
    if (!next.delete(path)) {
      for (const r of next) if (within(r, path)) next.delete(r);
      next.add(path);
    }
    this.removed = next;
    this.#host.requestUpdate();
  }

  /** What burnImage's `append.remove` takes: the removed paths, outermost only. */
  get remove(): readonly string[] {
    return [...this.removed].sort();
  }

  /** The disc's entry at `path`, if any. */
  entryAt(path: string): DiscFileEntry | undefined {
    return this.entries?.find((e) => e.path === path);
  }

  /** Asks the worker for the new session of `root` over the disc's files (debounced). */
  replan(id: string, root: Root, options: FileImageOptions): void {
    clearTimeout(this.#timer);
    const seq = ++this.#seq;
    this.planning = true;
    this.#host.requestUpdate();
    const remove = this.remove;
    this.#timer = setTimeout(
      () => void this.#plan(seq, id, root, options, remove),
      this.debounceMs,
    );
  }

  async #plan(
    seq: number,
    id: string,
    root: Root,
    options: FileImageOptions,
    remove: readonly string[],
  ): Promise<void> {
    const api = this.#api();
    const r = api?.planFileSession
      ? await settle(() => api.planFileSession!(id, root, options, { remove }))
      : {
          ok: false as const,
          error: toErrorValue(new Error('The recorder service is not running.')),
        };
    if (seq !== this.#seq) return;
    this.planning = false;
    this.plan = r.ok ? r.value : null;
    this.planError = r.ok ? null : r.error;
    this.#host.requestUpdate();
  }

  /** The new session against the disc's free space; null while there is no plan. */
  fit(): FilesFit | null {
    const p = this.plan;
    if (!p) return null;
    const over = Math.max(0, p.sectors - p.freeSectors);
    return {
      sectors: p.sectors,
      free: p.freeSectors,
      fits: over === 0,
      excessBytes: over * SECTOR_BYTES,
    };
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#seq++;
    this.#loadSeq++;
  }
}
