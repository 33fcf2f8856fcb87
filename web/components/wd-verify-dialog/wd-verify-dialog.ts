import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type {
  DiscVerifyReport,
  ErrorValue,
  MediaState,
  VerifyAgainst,
} from '../../../contract/api.ts';
import { ModalDialogController } from '../../controllers/modal-dialog.ts';
import type { VerifyApi } from '../../lib/api.ts';
import { driveFacts } from '../../lib/dialog-parts.ts';
import { settle, toErrorValue } from '../../lib/errors.ts';
import { HRESULT } from '../../../contract/hresult.ts';
import { DialogName } from '../../lib/events.ts';
import {
  entriesFromFileList,
  entryFromHandle,
  type DirNode,
  type DirectoryHandleLike,
} from '../../lib/file-tree.ts';
import { theMedium } from '../../lib/media.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-verify-dialog.styles.ts';

type DirectoryPicker = (options?: { mode?: 'read' }) => Promise<DirectoryHandleLike>;

/** The folder the person chose, as the root to compare with the disc's root. */
function rootOf(entries: readonly DirNode['children'][number][]): DirNode {
  const only = entries.length === 1 ? entries[0] : undefined;
  return only?.kind === 'dir'
    ? { kind: 'dir', name: '', children: only.children }
    : { kind: 'dir', name: '', children: entries };
}

/**
 * "Verify…" (issue 17): the disc in the drive against an image file (sector
 * by sector from LBA 0: the first differing LBA) or a folder (every file by
 * SHA-256: the first differing path, or what is only on one side). The
 * worker reads and compares; the answer shows here, in words.
 */
export class WdVerifyDialog extends LitElement {
  static override styles = styles;
  static override properties = {
    open: { type: Boolean, reflect: true },
    recorderId: { attribute: 'recorder-id' },
    driveName: { attribute: 'drive-name' },
    media: { attribute: false },
    busy: { type: Boolean },
    api: { attribute: false },
    running: { state: true },
    against: { state: true },
    report: { state: true },
    error: { state: true },
  };

  declare open: boolean;
  declare recorderId: string;
  declare driveName: string;
  declare media: MediaState | null;
  declare busy: boolean;
  declare api: VerifyApi | null;
  declare running: boolean;
  /** "backup.iso", "the folder photos": what the disc is being compared with. */
  declare against: string;
  declare report: DiscVerifyReport | null;
  declare error: ErrorValue | null;
  /** showDirectoryPicker, where the browser has it (tests may set it). */
  directoryPicker: DirectoryPicker | undefined = (
    globalThis as unknown as { showDirectoryPicker?: DirectoryPicker }
  ).showDirectoryPicker?.bind(globalThis);
  readonly #modal = new ModalDialogController(this, DialogName.Verify);

  constructor() {
    super();
    this.open = false;
    this.recorderId = '';
    this.driveName = '';
    this.media = null;
    this.busy = false;
    this.api = null;
    this.running = false;
    this.against = '';
    this.report = null;
    this.error = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open && !this.running) {
      this.report = null;
      this.error = null;
      this.against = '';
    }
  }

  async #verify(what: string, against: VerifyAgainst): Promise<void> {
    const api = this.api;
    if (!api || this.running) return;
    this.against = what;
    this.report = null;
    this.error = null;
    this.running = true;
    const r = await settle(() => api.verifyDisc(this.recorderId, against));
    this.running = false;
    if (r.ok) this.report = r.value;
    else this.error = r.error;
  }

  #onImage(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || this.running) return;
    // Compared with nothing, an empty file would be "identical: 0 sectors" (issue 20, part 6).
    if (file.size === 0) {
      this.report = null;
      this.against = file.name;
      this.error = {
        hresult: HRESULT.E_INVALIDARG,
        name: 'E_INVALIDARG',
        message: `${file.name} is empty: there is nothing to compare the disc with.`,
        sense: null,
      };
      return;
    }
    void this.#verify(file.name, { kind: 'image', image: file });
  }

  #onFolder(e: Event) {
    const input = e.target as HTMLInputElement;
    const entries = entriesFromFileList(input.files ?? []);
    input.value = '';
    if (!entries.length) return;
    const name = entries.length === 1 ? entries[0]!.name : 'the folder';
    void this.#verify(`the folder ${name}`, { kind: 'files', root: rootOf(entries) });
  }

  async #chooseFolder() {
    const pick = this.directoryPicker;
    if (!pick) {
      this.renderRoot.querySelector<HTMLInputElement>('#folder-input')?.click();
      return;
    }
    let handle: DirectoryHandleLike;
    try {
      handle = await pick({ mode: 'read' });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      this.error = toErrorValue(error);
      return;
    }
    const entry = await entryFromHandle(handle);
    void this.#verify(`the folder ${handle.name}`, { kind: 'files', root: rootOf([entry]) });
  }

  override render() {
    return html`<dialog aria-labelledby="verify-title" @close=${this.#modal.onClose}>
      ${this.open ? this.#content() : nothing}
    </dialog>`;
  }

  #content() {
    const off = this.busy || this.running;
    return html`<div class="body">
      <h2 id="verify-title">Verify ${theMedium(this.media)}</h2>
      ${driveFacts(this.driveName, this.media, 'verify')}
      <p class="help">
        Compare the disc with an image file (every sector from LBA 0) or with a folder (every file
        by SHA-256). Nothing is written.
      </p>
      <div class="row">
        <button
          type="button"
          ?disabled=${off}
          @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#image-input')?.click()}
        >
          Compare with an image…
        </button>
        <button type="button" ?disabled=${off} @click=${this.#chooseFolder}>
          Compare with a folder…
        </button>
        <input
          id="image-input"
          class="hidden-input"
          type="file"
          tabindex="-1"
          aria-hidden="true"
          accept=".iso,.img,.udf,application/x-iso9660-image"
          @change=${this.#onImage}
        />
        <input
          id="folder-input"
          class="hidden-input"
          type="file"
          webkitdirectory
          tabindex="-1"
          aria-hidden="true"
          @change=${this.#onFolder}
        />
      </div>
      ${
        this.busy
          ? html`<p class="notice">
              An operation is running on this drive; wait for it to finish.
            </p>`
          : nothing
      }
      <p role="status" data-testid="verify-status">
        ${this.running ? `Comparing the disc with ${this.against}…` : ''}
      </p>
      ${this.report ? this.#result(this.report) : nothing}
      <wd-error-view .error=${this.error} label="Could not verify"></wd-error-view>
      <div class="actions">
        <button type="button" class="primary" @click=${this.#modal.requestClose}>Close</button>
      </div>
    </div>`;
  }

  #result(r: DiscVerifyReport) {
    return html`<div data-testid="verify-result">
      <p class=${r.same ? 'same' : 'different'} data-testid="verify-headline">
        ${r.same ? 'Identical' : 'Different'}: ${r.message}
      </p>
      ${
        r.sha256
          ? html`<p>SHA-256 <code class="hash" data-testid="verify-sha256">${r.sha256}</code></p>`
          : nothing
      }
    </div>`;
  }
}

customElements.define('wd-verify-dialog', WdVerifyDialog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-verify-dialog': WdVerifyDialog;
  }
}
