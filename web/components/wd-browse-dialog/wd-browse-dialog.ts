import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type {
  DiscFileEntry,
  DiscFilesSource,
  DiscListing,
  ErrorValue,
} from '../../../contract/api.ts';
import { ModalDialogController } from '../../controllers/modal-dialog.ts';
import type { BrowseApi } from '../../lib/api.ts';
import { ResultError, saveDiscFile, saveDiscFolder } from '../../lib/disc-download.ts';
import { settle, toErrorValue } from '../../lib/errors.ts';
import { DialogName } from '../../lib/events.ts';
import { formatBytes } from '../../lib/format.ts';
import { pageSaveEnv, type SaveEnv, type SaveOutcome } from '../../lib/save-iso.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-browse-dialog.styles.ts';

/** "2024-06-01 12:00" in the person's time zone. */
function when(mtime: number | null): string {
  if (mtime === null) return '';
  const d = new Date(mtime);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * "Browse files…" (issue 17): the file system on the disc in the drive, or
 * on an image file the person opens: folders with sizes and dates, open a
 * folder, go up, download a file (streamed) or the folder as a zip
 * (streamed), one at a time, with Stop (closing the dialog stops it too:
 * the worker's stream is cancelled and a picked file's writes discarded).
 * Reads go through the worker (listDiscFiles, walkDiscFiles, readDiscFile);
 * nothing changes on the disc.
 */
export class WdBrowseDialog extends LitElement {
  static override styles = styles;
  static override properties = {
    open: { type: Boolean, reflect: true },
    recorderId: { attribute: 'recorder-id' },
    api: { attribute: false },
    source: { state: true },
    imageName: { state: true },
    listing: { state: true },
    loading: { state: true },
    error: { state: true },
    status: { state: true },
    saving: { state: true },
  };

  declare open: boolean;
  declare recorderId: string;
  declare api: BrowseApi | null;
  declare source: DiscFilesSource | null;
  /** The image file's name while one is open. */
  declare imageName: string;
  declare listing: DiscListing | null;
  declare loading: boolean;
  declare error: ErrorValue | null;
  declare status: string;
  /** The running download's stop, while one runs (one at a time). */
  declare saving: AbortController | null;
  /** The page's save picker and downloads (tests replace it). */
  env: SaveEnv | undefined;
  readonly #modal = new ModalDialogController(this, DialogName.Browse);

  constructor() {
    super();
    this.open = false;
    this.recorderId = '';
    this.api = null;
    this.source = null;
    this.imageName = '';
    this.listing = null;
    this.loading = false;
    this.error = null;
    this.status = '';
    this.saving = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Closed while a download runs: stop it (the worker stops reading the disc).
    if (changed.has('open') && !this.open) this.saving?.abort();
    if (changed.has('open') && this.open) {
      this.imageName = '';
      this.status = '';
      this.listing = null;
      void this.#show({ kind: 'disc', id: this.recorderId }, '/');
    }
  }

  /** Counts #show's requests: an answer to any but the newest is dropped. */
  #request = 0;

  /** Lists `path` of `source`; on failure the error shows and the last listing stays. */
  async #show(source: DiscFilesSource, path: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    const request = ++this.#request;
    this.source = source;
    this.loading = true;
    this.error = null;
    const r = await settle(() => api.listDiscFiles(source, path));
    // An image picked while the disc was still being read: the disc's late answer must not
    // show under "Files in IMAGE" (issue 20, part 6). Only the newest request is shown.
    if (request !== this.#request) return;
    this.loading = false;
    if (r.ok) this.listing = r.value;
    else this.error = r.error;
  }

  #openImage(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.imageName = file.name;
    this.listing = null;
    void this.#show({ kind: 'image', image: file }, '/');
  }

  #backToDisc() {
    this.imageName = '';
    this.listing = null;
    void this.#show({ kind: 'disc', id: this.recorderId }, '/');
  }

  async #save(
    what: string,
    run: (env: SaveEnv, api: BrowseApi, signal: AbortSignal) => Promise<SaveOutcome>,
  ) {
    const api = this.api;
    if (!api || this.saving) return;
    const saving = new AbortController();
    this.saving = saving;
    this.error = null;
    this.status = `Saving ${what}…`;
    try {
      const outcome = await run((this.env ??= pageSaveEnv()), api, saving.signal);
      this.status = {
        cancelled: 'No file was chosen.',
        stopped: `Stopped: ${what} was not saved.`,
        saved: `Saved ${what}.`,
        downloaded: `Downloaded ${what}.`,
      }[outcome];
    } catch (error) {
      this.status = '';
      this.error = error instanceof ResultError ? error.error : toErrorValue(error);
    } finally {
      this.saving = null;
    }
  }

  #download(e: DiscFileEntry) {
    const source = this.source;
    if (!source) return;
    void this.#save(e.name, (env, api, signal) => saveDiscFile(env, api, source, e, signal));
  }

  #zip() {
    const source = this.source;
    const l = this.listing;
    if (!source || !l) return;
    const base = l.path === '/' ? l.label || 'disc' : l.path.slice(l.path.lastIndexOf('/') + 1);
    const name = `${base}.zip`;
    void this.#save(name, (env, api, signal) =>
      saveDiscFolder(env, api, source, l.path, name, signal),
    );
  }

  override render() {
    return html`<dialog aria-labelledby="browse-title" @close=${this.#modal.onClose}>
      ${this.open ? this.#content() : nothing}
    </dialog>`;
  }

  #content() {
    const l = this.listing;
    const title = this.imageName ? `Files in ${this.imageName}` : 'Files on the disc';
    return html`<div class="body">
      <h2 id="browse-title">${title}</h2>
      <p data-testid="browse-volume">
        ${
          l
            ? `${l.label || '(no label)'} — ${l.fileSystem}`
            : this.loading
              ? 'Reading the file system…'
              : ''
        }
      </p>
      <div class="row">
        <button
          type="button"
          @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#image-input')?.click()}
        >
          Open an image…
        </button>
        <input
          id="image-input"
          class="file-input"
          type="file"
          tabindex="-1"
          aria-hidden="true"
          accept=".iso,.img,.udf,application/x-iso9660-image"
          @change=${this.#openImage}
        />
        ${
          this.imageName
            ? html`<button type="button" @click=${this.#backToDisc}>Back to the disc</button>`
            : nothing
        }
      </div>
      <wd-error-view .error=${this.error} label="Could not read the files"></wd-error-view>
      ${l ? this.#folder(l) : nothing}
      <div class="row">
        <p class="status" role="status" data-testid="browse-status">${this.status}</p>
        ${
          this.saving
            ? html`<button type="button" @click=${() => this.saving?.abort()}>Stop</button>`
            : nothing
        }
      </div>
      <div class="actions">
        <button type="button" class="primary" @click=${this.#modal.requestClose}>Close</button>
      </div>
    </div>`;
  }

  #folder(l: DiscListing) {
    const source = this.source!;
    const up = l.path === '/' ? null : l.path.slice(0, l.path.lastIndexOf('/')) || '/';
    return html`<div class="where">
        <span>Folder <code data-testid="browse-path">${l.path}</code></span>
        ${
          up
            ? html`<button type="button" @click=${() => void this.#show(source, up)}>Up</button>`
            : nothing
        }
        <button
          type="button"
          @click=${this.#zip}
          ?disabled=${l.entries.length === 0 || this.saving !== null}
        >
          Download this folder as .zip
        </button>
      </div>
      <div class="scroll" role="region" aria-label="Folder contents" tabindex="0">
        <table data-testid="browse-entries">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="num">Size</th>
              <th scope="col">Modified</th>
              <th scope="col"><span class="visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody>
            ${l.entries.map((e) => this.#row(source, e))}
          </tbody>
        </table>
      </div>
      ${l.entries.length ? nothing : html`<p class="muted">This folder is empty.</p>`}`;
  }

  #row(source: DiscFilesSource, e: DiscFileEntry) {
    return html`<tr>
      <td>
        ${
          e.kind === 'dir'
            ? html`<button
                type="button"
                class="link"
                aria-label="Open folder ${e.name}"
                @click=${() => void this.#show(source, e.path)}
              >
                ${e.name}/
              </button>`
            : e.kind === 'symlink'
              ? `${e.name} → ${e.target ?? ''}`
              : e.name
        }
      </td>
      <td class="num">${e.kind === 'file' ? formatBytes(e.size) : ''}</td>
      <td>${when(e.mtime)}</td>
      <td>
        ${
          e.kind === 'file'
            ? html`<button
                type="button"
                aria-label="Download ${e.name}"
                ?disabled=${this.saving !== null}
                @click=${() => this.#download(e)}
              >
                Download
              </button>`
            : nothing
        }
      </td>
    </tr>`;
  }
}

customElements.define('wd-browse-dialog', WdBrowseDialog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-browse-dialog': WdBrowseDialog;
  }
}
