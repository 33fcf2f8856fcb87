import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type {
  ErrorValue,
  FileTreeEntry,
  LockState,
  MediaState,
  RecorderInfo,
  VerifyMode,
} from '../../../contract/api.ts';
import { clientNameProblem } from '../../../contract/client-name.ts';
import { mediaTypeName } from '../../../contract/profiles.ts';
import { DiscSessionController, type SessionApi } from '../../controllers/disc-session.ts';
import { FileProjectController, type PlanApi } from '../../controllers/file-project.ts';
import { ModalDialogController } from '../../controllers/modal-dialog.ts';
import {
  burnOptionFields,
  burnOptionsOf,
  offeredChoice,
  type SpeedChoice,
  burnFacts,
} from '../../lib/burn-options.ts';
import {
  driveFacts,
  heldElsewhere,
  heldElsewhereNotice,
  OPERATION_DIALOG_PROPERTIES,
} from '../../lib/dialog-parts.ts';
import { toErrorValue } from '../../lib/errors.ts';
import { DialogName, WdBurnFilesEvent } from '../../lib/events.ts';
import { entryAt, type EntryPath } from '../../lib/file-project.ts';
import {
  entriesFromDataTransfer,
  entriesFromFileList,
  entryFromHandle,
  type DirectoryHandleLike,
} from '../../lib/file-tree.ts';
import { formatBytes } from '../../lib/format.ts';
import {
  appendTarget,
  eraseCheck,
  filesBurnTarget,
  sameMedium,
  speedLabel,
  theMedium,
  type BurnTarget,
} from '../../lib/media.ts';
import { pageSaveEnv, saveErrorValue, saveIso, type SaveEnv } from '../../lib/save-iso.ts';
import '../wd-error-view/wd-error-view.ts';
import { discList, replacedOnDisc, sessionFacts } from './disc-view.ts';
import { nameReport, projectList, type ProjectViewHost } from './project-view.ts';
import { styles } from './wd-files-dialog.styles.ts';

type DirectoryPicker = (options?: { mode?: 'read' }) => Promise<DirectoryHandleLike>;

/** "SOMMER (12 files)", "12 files": what the progress panel calls the burn. */
function burnTitle(label: string, files: number): string {
  const count = files === 1 ? '1 file' : `${files.toLocaleString('en-US')} files`;
  return label.trim() ? `${label.trim()} (${count})` : count;
}

/**
 * Burn files and folders (IMAPI2's IFileSystemImage and IDiscFormat2Data in
 * one pass) as a modal dialog. The project (FileProjectController): files and
 * folders added with the pickers or dropped here, renamed or removed, and a
 * volume label; after each change the worker plans the image (exact sectors
 * and the name report), and the dialog says whether it fits the disc's free
 * space. The burn options and the confirm step are the image burn dialog's;
 * the confirmed request is a WdBurnFilesEvent. "Save as ISO…" builds the same
 * image in the page and saves it instead.
 */
export class WdFilesDialog extends LitElement implements ProjectViewHost {
  static override styles = styles;
  static override properties = {
    ...OPERATION_DIALOG_PROPERTIES,
    info: { attribute: false },
    api: { attribute: false },
    addToDisc: { type: Boolean, attribute: 'add-to-disc' },
    verify: { state: true },
    close: { state: true },
    speed: { state: true },
    simulate: { state: true },
    writeType: { state: true },
    stage: { state: true },
    dragging: { state: true },
    expanded: { state: true },
    renaming: { state: true },
    saving: { state: true },
    saveStatus: { state: true },
    saveError: { state: true },
    addError: { state: true },
  };

  declare open: boolean;
  readonly #modal = new ModalDialogController(this, DialogName.Files);
  declare recorderId: string;
  declare driveName: string;
  declare media: MediaState | null;
  declare info: RecorderInfo | null;
  declare lock: LockState | null;
  declare busy: boolean;
  /** The worker (planFileImage; planFileSession and walkSessionFiles to add files). */
  declare api: (PlanApi & Partial<SessionApi>) | undefined;
  /** "Add files…": a new session over the disc's files rather than a new disc. */
  declare addToDisc: boolean;
  declare clientName: string;
  declare touched: boolean;
  declare verify: VerifyMode;
  declare close: boolean;
  declare speed: SpeedChoice;
  declare simulate: boolean;
  declare writeType: 'tao' | 'sao';
  declare stage: 'options' | 'confirm';
  declare dragging: boolean;
  declare expanded: ReadonlySet<string>;
  declare renaming: { path: EntryPath; draft: string; problem: string | null } | null;
  /** Save as ISO: bytes written of the image's, while it runs. */
  declare saving: { written: number; total: number } | null;
  declare saveStatus: string;
  declare saveError: ErrorValue | null;
  declare addError: ErrorValue | null;
  /** Where Save as ISO writes (tests pass a fake). */
  saveEnv: SaveEnv | undefined = undefined;
  /** showDirectoryPicker, where the browser has it (tests may set it). */
  directoryPicker: DirectoryPicker | undefined = (
    globalThis as unknown as { showDirectoryPicker?: DirectoryPicker }
  ).showDirectoryPicker?.bind(globalThis);

  readonly project = new FileProjectController(this, () => this.api);
  readonly session = new DiscSessionController(this, () => this.api);
  /** What the last session plan was asked for (the project's entries, label and removals). */
  #planned: readonly unknown[] = [];
  #lastAppend = false;

  constructor() {
    super();
    this.open = false;
    this.recorderId = '';
    this.driveName = '';
    this.media = null;
    this.info = null;
    this.lock = null;
    this.busy = false;
    this.api = undefined;
    this.addToDisc = false;
    this.clientName = 'webdisc';
    this.touched = false;
    this.verify = 'quick';
    this.close = false;
    this.speed = 'max';
    this.simulate = false;
    this.writeType = 'tao';
    this.stage = 'options';
    this.dragging = false;
    this.expanded = new Set();
    this.renaming = null;
    this.saving = null;
    this.saveStatus = '';
    this.saveError = null;
    this.addError = null;
  }

  get entries() {
    return this.project.entries;
  }

  get disabled(): boolean {
    return this.saving !== null;
  }

  get target(): BurnTarget {
    return this.addToDisc
      ? appendTarget(this.media, this.info)
      : filesBurnTarget(this.media, this.info);
  }

  replaces(path: EntryPath): boolean {
    return this.addToDisc && replacedOnDisc(this, path) !== undefined;
  }

  /** "Add files…" has something to write: files added or disc files taken out. */
  get sessionWanted(): boolean {
    return this.project.entries.length > 0 || this.session.removed.size > 0;
  }

  get options() {
    return burnOptionsOf(this, this.target);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('media') as MediaState | null | undefined;
    const otherMedium = changed.has('media') && !sameMedium(before ?? null, this.media);
    const opened = changed.has('open') && this.open;
    if (opened) {
      this.stage = 'options';
      this.touched = false;
      // A project for a new disc and one for a new session are not the same project.
      if (this.addToDisc || this.#lastAppend) this.project.clear();
      this.#lastAppend = this.addToDisc;
    }
    // Add files…: the disc's files, read when the dialog opens and when another disc is in.
    if (this.open && this.addToDisc && (opened || otherMedium) && !this.target.problem)
      void this.session.load(this.recorderId);
    const key = [
      this.project.entries,
      this.project.volumeLabel,
      this.session.removed,
      this.session.entries,
    ];
    if (this.open && this.addToDisc && this.session.entries && this.sessionWanted) {
      if (key.some((k, i) => k !== this.#planned[i])) {
        this.#planned = key;
        this.session.replan(this.recorderId, this.project.root, this.project.imageOptions);
      }
    }
    // The disc's own speeds (issue 19, defect 2): another disc's choice goes back to maximum.
    if ((changed.has('info') || changed.has('media')) && this.speed !== 'max') {
      this.speed = offeredChoice(this);
    }
    // Another medium: show the choices again before anything is written.
    if (otherMedium) this.stage = 'options';
  }

  // -- the project ------------------------------------------------------------

  #added(promise: Promise<readonly FileTreeEntry[]>) {
    this.addError = null;
    promise.then(
      (entries) => {
        this.stage = 'options';
        this.project.add(entries);
      },
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        this.addError = toErrorValue(error);
      },
    );
  }

  #onFiles(e: Event) {
    const input = e.target as HTMLInputElement;
    if (input.files?.length) this.#added(Promise.resolve(entriesFromFileList(input.files)));
    input.value = '';
  }

  #addFolder() {
    const pick = this.directoryPicker;
    if (pick) this.#added(pick({ mode: 'read' }).then(async (h) => [await entryFromHandle(h)]));
    else this.renderRoot.querySelector<HTMLInputElement>('#add-folder-input')?.click();
  }

  #onDragOver(e: DragEvent) {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  /** Leaving the dialog's body, not just moving between its children. */
  #onDragLeave(e: DragEvent) {
    const to = e.relatedTarget as Node | null;
    if (!to || !(e.currentTarget as Node).contains(to)) this.dragging = false;
  }

  /**
   * Files and folders dropped anywhere in the dialog (the project list is the
   * marked zone); preventDefault tells the app's drop handler it is taken.
   */
  #onDrop(e: DragEvent) {
    this.dragging = false;
    const items = e.dataTransfer?.items;
    if (!items?.length) return;
    e.preventDefault();
    this.#added(entriesFromDataTransfer(items));
  }

  toggle(path: EntryPath) {
    const k = path.join('/');
    const next = new Set(this.expanded);
    if (!next.delete(k)) next.add(k);
    this.expanded = next;
  }

  startRename(path: EntryPath) {
    const e = entryAt(this.project.entries, path);
    if (!e) return;
    this.renaming = { path, draft: e.name, problem: null };
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>('#rename-input');
      input?.focus();
      input?.select();
    });
  }

  setDraft(draft: string) {
    if (this.renaming) this.renaming = { ...this.renaming, draft, problem: null };
  }

  commitRename() {
    const r = this.renaming;
    if (!r) return;
    const problem = this.project.rename(r.path, r.draft);
    if (problem) {
      this.renaming = { ...r, problem };
      return;
    }
    // An open folder stays open under its new name.
    const before = r.path.join('/');
    const after = [...r.path.slice(0, -1), r.draft].join('/');
    this.expanded = new Set(
      [...this.expanded].map((k) =>
        k === before || k.startsWith(`${before}/`) ? after + k.slice(before.length) : k,
      ),
    );
    this.renaming = null;
    this.stage = 'options';
  }

  cancelRename() {
    this.renaming = null;
  }

  removeEntry(path: EntryPath) {
    if (this.renaming && this.renaming.path.join('/') === path.join('/')) this.renaming = null;
    this.project.remove(path);
    this.stage = 'options';
  }

  // -- burn and save ------------------------------------------------------------

  /** Why "Review…" cannot go on, in words; null when it can. */
  blocker(): string | null {
    const t = this.target;
    if (t.problem) return t.problem;
    const first = this.addToDisc ? this.#sessionBlocker() : this.#imageBlocker();
    if (first) return first;
    if (this.busy) return 'An erase or burn is running on this drive; wait for it to finish.';
    if (heldElsewhere(this.lock)) return 'Another session holds this drive.';
    if (this.saving) return 'Wait for the ISO to be saved.';
    return null;
  }

  #imageBlocker(): string | null {
    const p = this.project;
    if (p.entries.length === 0) return 'Add files or a folder first.';
    if (p.planning) return 'Working out the size of the disc image…';
    if (p.planError || !p.plan) return 'The disc image cannot be built; see above.';
    const fit = p.fit(this.target.freeBlocks);
    if (fit && !fit.fits) return 'The files do not fit on the disc.';
    return null;
  }

  #sessionBlocker(): string | null {
    const s = this.session;
    if (s.loadError) return 'The files on the disc cannot be read; see above.';
    if (!s.entries) return 'Reading the files on the disc…';
    if (!this.sessionWanted) return 'Add files or a folder, or remove files from the disc.';
    if (s.planning || this.project.planning) return 'Working out the size of the new session…';
    if (s.planError || !s.plan) return 'The new session cannot be built; see above.';
    if (!s.fit()?.fits) return 'The files do not fit on the disc.';
    return null;
  }

  /** The size of what Burn writes: the new disc image, or the new session. */
  get written(): { sectors: number; bytes: number } | null {
    return this.addToDisc ? this.session.plan : this.project.plan;
  }

  #onReview(e: SubmitEvent) {
    e.preventDefault();
    this.touched = true;
    if (clientNameProblem(this.clientName)) {
      this.renderRoot.querySelector<HTMLInputElement>('#client-name')?.focus();
      return;
    }
    if (this.blocker()) return;
    this.stage = 'confirm';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('#confirm-title')?.focus(),
    );
  }

  #onBurn() {
    const plan = this.written;
    if (!plan || this.blocker() || clientNameProblem(this.clientName)) {
      this.stage = 'options';
      return;
    }
    const files = this.project.plan?.files ?? 0;
    this.dispatchEvent(
      new WdBurnFilesEvent(
        this.recorderId,
        this.project.root,
        this.project.imageOptions,
        this.options,
        { title: burnTitle(this.project.volumeLabel, files), bytes: plan.bytes },
        this.addToDisc ? { remove: this.session.remove } : undefined,
      ),
    );
  }

  async saveAsIso(): Promise<void> {
    if (this.project.entries.length === 0 || this.saving) return;
    this.saveError = null;
    this.saveStatus = '';
    this.saving = { written: 0, total: 0 };
    try {
      const outcome = await saveIso(
        this.project.root,
        this.project.imageOptions,
        this.saveEnv ?? pageSaveEnv(),
        (written, total) => (this.saving = { written, total }),
      );
      const total = this.saving.total;
      this.saveStatus =
        outcome === 'cancelled'
          ? 'Not saved: no file was chosen.'
          : `${outcome === 'saved' ? 'Saved' : 'Downloaded'} the disc image (${formatBytes(total)}).`;
    } catch (error) {
      this.saveError = saveErrorValue(error);
    } finally {
      this.saving = null;
    }
  }

  // -- rendering ------------------------------------------------------------

  override render() {
    return html`<dialog aria-labelledby="files-title" @close=${this.#modal.onClose}>
      ${
        this.open
          ? html`<div
              class="body"
              @dragover=${this.#onDragOver}
              @dragleave=${this.#onDragLeave}
              @drop=${this.#onDrop}
            >
              <h2 id="files-title">
                ${this.addToDisc ? 'Add files to the disc' : 'Burn files and folders'}
              </h2>
              ${this.stage === 'confirm' && this.written ? this.#confirm() : this.#form()}
            </div>`
          : nothing
      }
    </dialog>`;
  }

  #sizeFacts(t: BurnTarget) {
    const p = this.project;
    if (p.entries.length === 0) return nothing;
    if (p.planError)
      return html`<wd-error-view
        .error=${p.planError}
        label="The disc image cannot be built"
      ></wd-error-view>`;
    const plan = p.plan;
    if (!plan)
      return html`<p class="help" role="status" data-testid="files-size">Working out the size…</p>`;
    const fit = t.problem ? null : p.fit(t.freeBlocks);
    const folders = plan.directories === 1 ? '1 folder' : `${plan.directories} folders`;
    return html`<p class="help" data-testid="files-size">
        ${burnTitle('', plan.files)} in ${folders}: ${formatBytes(plan.bytes)}
        <span class="muted"
          >(${plan.sectors.toLocaleString('en-US')} sectors${p.planning ? '; updating…' : ''})</span
        >
      </p>
      ${
        fit
          ? html`<p class=${fit.fits ? 'fit ok' : 'fit bad'} role="status" data-testid="files-fit">
              ${
                fit.fits
                  ? `Fits: ${fit.sectors.toLocaleString('en-US')} of ${fit.free.toLocaleString('en-US')} free sectors.`
                  : `Too big by ${formatBytes(fit.excessBytes)}: it needs ${fit.sectors.toLocaleString('en-US')} sectors; the disc has ${fit.free.toLocaleString('en-US')} free.`
              }
            </p>`
          : nothing
      }
      ${nameReport(plan)}`;
  }

  #saveFacts() {
    const s = this.saving;
    return html`${
        s
          ? html`<p class="help" role="status" data-testid="save-status">
              Saving the disc image…
              ${s.total ? `${Math.floor((s.written / s.total) * 100)} %` : ''}
            </p>`
          : this.saveStatus
            ? html`<p class="help" role="status" data-testid="save-status">${this.saveStatus}</p>`
            : nothing
      } <wd-error-view .error=${this.saveError} label="Save as ISO failed"></wd-error-view>`;
  }

  #form() {
    const t = this.target;
    const p = this.project;
    const blocker = this.blocker();
    return html`
      ${driveFacts(this.driveName, this.media, 'files')}
      ${
        t.problem
          ? html`<p class="refusal" role="alert" data-testid="files-refusal">${t.problem}</p>`
          : nothing
      }
      <form novalidate @submit=${this.#onReview}>
        <div class=${this.dragging ? 'drop dragging' : 'drop'}>
          <div class="toolbar">
            <button
              type="button"
              ?disabled=${this.disabled}
              @click=${() =>
                this.renderRoot.querySelector<HTMLInputElement>('#add-files-input')?.click()}
            >
              Add files…
            </button>
            <button type="button" ?disabled=${this.disabled} @click=${this.#addFolder}>
              Add folder…
            </button>
            <input
              id="add-files-input"
              class="hidden-input"
              type="file"
              multiple
              tabindex="-1"
              aria-hidden="true"
              @change=${this.#onFiles}
            />
            <input
              id="add-folder-input"
              class="hidden-input"
              type="file"
              webkitdirectory
              tabindex="-1"
              aria-hidden="true"
              @change=${this.#onFiles}
            />
          </div>
          <p class="help">Or drop files and folders here.</p>
          ${this.addToDisc && !t.problem ? discList(this) : nothing} ${projectList(this)}
          ${
            p.notice
              ? html`<p class="help" role="status" data-testid="add-notice">${p.notice}</p>`
              : nothing
          }
          <wd-error-view .error=${this.addError} label="Could not add them"></wd-error-view>
          ${this.addToDisc ? sessionFacts(this) : this.#sizeFacts(t)}
        </div>
        <div class="field">
          <label for="volume-label">Volume label</label>
          <input
            id="volume-label"
            type="text"
            autocomplete="off"
            spellcheck="false"
            maxlength="32"
            .value=${p.volumeLabel}
            aria-describedby="volume-label-help"
            @input=${(e: Event) => {
              this.stage = 'options';
              p.setVolumeLabel((e.target as HTMLInputElement).value);
            }}
          />
          <p id="volume-label-help" class="help">
            The disc's name. Windows (Joliet) shows up to 16 characters of it; plain ISO 9660 shows
            it in capitals, A–Z, 0–9 and _.
          </p>
        </div>
        <div class="options">${burnOptionFields(this, t)}</div>
        ${heldElsewhereNotice(this.lock, 'Burning')}
        ${
          blocker && !t.problem && (p.entries.length || this.addToDisc)
            ? html`<p class="help" data-testid="files-blocker">${blocker}</p>`
            : nothing
        }
        ${this.#saveFacts()}
        <div class="actions">
          <button type="button" @click=${this.#modal.requestClose}>Cancel</button>
          <button
            type="button"
            ?disabled=${!p.entries.length || !!p.planError || this.disabled || this.addToDisc}
            @click=${() => void this.saveAsIso()}
          >
            Save as ISO…
          </button>
          <button type="submit" class="primary" ?disabled=${!!blocker}>Review…</button>
        </div>
      </form>
    `;
  }

  #confirmSize(size: { sectors: number; bytes: number }) {
    const p = this.project.plan;
    const sectors = `${formatBytes(size.bytes)}, ${size.sectors.toLocaleString('en-US')} sectors`;
    const removed = this.session.remove.length;
    if (this.addToDisc)
      return `${p ? burnTitle('', p.files) : 'no new files'}${removed ? `, ${removed} removed` : ''} (${sectors})`;
    const dirs = p?.directories === 1 ? '1 folder' : `${p?.directories ?? 0} folders`;
    return `${burnTitle('', p?.files ?? 0)} in ${dirs} (${sectors})`;
  }

  #confirm() {
    const t = this.target;
    const o = this.options;
    const plan = this.written;
    if (!plan) return nothing;
    const medium = theMedium(this.media);
    const start = this.addToDisc ? (this.session.plan?.startSector ?? t.startLba) : t.startLba;
    const end = start + plan.sectors - 1;
    const name = this.media?.present ? mediaTypeName(this.media.physicalType) : 'disc';
    const speed = o.speedKBps === undefined ? 'maximum' : speedLabel(o.speedKBps, this.media);
    const range = `LBA ${start.toLocaleString('en-US')} to ${end.toLocaleString('en-US')}`;
    const erasable = eraseCheck(this.media).problem === null;
    const closing = o.close
      ? ` After closing, nothing more can be added${erasable ? ' until it is erased' : ''}.`
      : '';
    const less = this.session.remove.length ? ', less the ones taken out,' : '';
    const kept = this.addToDisc
      ? ` The files already on it stay where they are; the new session lists them${less} with the new ones.`
      : '';
    const warning = o.simulate
      ? `Test write: the drive rehearses the burn with the laser off; nothing is written to ${medium}.`
      : t.overwrites
        ? `Everything on ${medium} from ${range} is overwritten. This cannot be undone.`
        : this.addToDisc && t.family === 'random'
          ? `The new files go after the ${name}'s (${range}); then its volume descriptors at LBA 16 are rewritten to show the new tree${less ? ', less the files taken out' : ''}.`
          : t.family === 'random'
            ? `The ${name} is written from LBA 0.`
            : erasable
              ? `Writing uses ${range} of ${medium}; they stay used until the disc is erased.${closing}`
              : `Writing to a ${name} cannot be undone: the sectors it uses are used for good.${closing}`;
    const label = this.project.volumeLabel.trim();
    return html`
      <h3 id="confirm-title" tabindex="-1">Check and confirm</h3>
      <dl class="facts" data-testid="files-summary">
        <dt>${this.addToDisc ? 'New session' : 'Files'}</dt>
        <dd>${this.#confirmSize(plan)}</dd>
        <dt>Volume label</dt>
        <dd>${label || 'none (CDROM)'}</dd>
        ${burnFacts(this, o, t, range, speed)}
      </dl>
      <p class="warning" data-testid="files-warning">
        ${warning}${t.family === 'random' ? '' : kept}
      </p>
      <div class="actions">
        <button type="button" @click=${() => (this.stage = 'options')}>Back</button>
        <button type="button" class="primary" @click=${this.#onBurn}>
          ${o.simulate ? 'Start test write' : 'Burn'}
        </button>
      </div>
    `;
  }
}

customElements.define('wd-files-dialog', WdFilesDialog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-files-dialog': WdFilesDialog;
  }
}
