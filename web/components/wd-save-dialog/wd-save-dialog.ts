import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { DiscRange, ErrorValue, MediaState } from '../../../contract/api.ts';
import { ModalDialogController } from '../../controllers/modal-dialog.ts';
import { driveFacts } from '../../lib/dialog-parts.ts';
import type { BrowseApi } from '../../lib/api.ts';
import { settle, toErrorValue } from '../../lib/errors.ts';
import { DialogName, WdSaveDiscEvent } from '../../lib/events.ts';
import { theMedium } from '../../lib/media.ts';
import { pageDiscSaveEnv, pickImageTarget, type DiscSaveEnv } from '../../lib/save-disc.ts';
import { isoFileName } from '../../lib/save-iso.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-save-dialog.styles.ts';

function rangeOf(value: string): DiscRange {
  const [kind, n] = value.split(':');
  return kind === 'session'
    ? { kind: 'session', session: Number(n) }
    : { kind: 'track', track: Number(n) };
}

/**
 * "Save disc as image…" (issue 17): the file name, whether to go on past
 * unreadable sectors (zero-filled in the image, listed in a rescue map),
 * then the save picker (or, without one, a temporary file in OPFS that is
 * downloaded afterwards). The request is a WdSaveDiscEvent; the shell runs
 * it and wd-progress shows the reading and the result.
 */
export class WdSaveDialog extends LitElement {
  static override styles = styles;
  static override properties = {
    open: { type: Boolean, reflect: true },
    recorderId: { attribute: 'recorder-id' },
    driveName: { attribute: 'drive-name' },
    media: { attribute: false },
    busy: { type: Boolean },
    label: {},
    api: { attribute: false },
    fileName: { state: true },
    continuePastErrors: { state: true },
    range: { state: true },
    error: { state: true },
    status: { state: true },
  };

  declare open: boolean;
  declare recorderId: string;
  declare driveName: string;
  declare media: MediaState | null;
  declare busy: boolean;
  /** The disc's volume label, when known: the suggested file name. */
  declare label: string;
  /** To read the disc's volume label for the file name (optional). */
  declare api: Pick<BrowseApi, 'listDiscFiles'> | null;
  declare fileName: string;
  declare continuePastErrors: boolean;
  /** "disc", "session:N" or "track:N": which part of the disc to save. */
  declare range: string;
  declare error: ErrorValue | null;
  declare status: string;
  /** The page's pickers and downloads (tests replace it). */
  env: DiscSaveEnv | undefined;
  readonly #modal = new ModalDialogController(this, DialogName.Save);

  constructor() {
    super();
    this.open = false;
    this.recorderId = '';
    this.driveName = '';
    this.media = null;
    this.busy = false;
    this.label = '';
    this.api = null;
    this.fileName = 'disc.iso';
    this.continuePastErrors = false;
    this.range = 'disc';
    this.error = null;
    this.status = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('open') || changed.has('label')) && this.open) {
      this.fileName = isoFileName(this.label);
      this.error = null;
      this.status = '';
    }
    if (changed.has('open') && this.open) {
      this.range = 'disc';
      void this.#readLabel();
    }
  }

  /** The volume label names the file ("SOMMER_2024.iso"); a disc without a file system keeps "disc.iso". */
  async #readLabel(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const r = await settle(() => api.listDiscFiles({ kind: 'disc', id: this.recorderId }, '/'));
    if (r.ok && r.value.label && this.open && this.fileName === 'disc.iso')
      this.fileName = isoFileName(r.value.label);
  }

  async #onSubmit(e: SubmitEvent) {
    e.preventDefault();
    if (this.busy) return;
    this.error = null;
    this.status = '';
    const name = this.fileName.trim() || 'disc.iso';
    let target;
    try {
      target = await pickImageTarget((this.env ??= pageDiscSaveEnv()), name);
    } catch (error) {
      this.error = toErrorValue(error);
      return;
    }
    if (!target) {
      this.status = 'No file was chosen; nothing was saved.';
      return;
    }
    this.dispatchEvent(
      new WdSaveDiscEvent(this.recorderId, target, {
        continuePastErrors: this.continuePastErrors,
        ...(this.range === 'disc' ? {} : { range: rangeOf(this.range) }),
      }),
    );
  }

  /** Whole disc, or one session or track, when the disc has more than one. */
  #rangeField() {
    const m = this.media;
    if (!m || (m.sessions <= 1 && m.tracks.length <= 1)) return nothing;
    const sessions = [...new Set(m.tracks.map((t) => t.session))];
    return html`<label for="range">What to save</label>
      <select
        id="range"
        .value=${this.range}
        @change=${(e: Event) => (this.range = (e.target as HTMLSelectElement).value)}
      >
        <option value="disc">The whole disc</option>
        ${sessions.map((n) => html`<option value="session:${n}">Session ${n}</option>`)}
        ${m.tracks.map(
          (t) =>
            html`<option value="track:${t.number}">
              Track ${t.number} (${t.mode}, ${t.size.toLocaleString('en-US')} sectors)
            </option>`,
        )}
      </select>`;
  }

  override render() {
    return html`<dialog aria-labelledby="save-title" @close=${this.#modal.onClose}>
      ${this.open ? this.#content() : nothing}
    </dialog>`;
  }

  #content() {
    return html`<div class="body">
      <h2 id="save-title">Save ${theMedium(this.media)} as an image</h2>
      ${driveFacts(this.driveName, this.media, 'save')}
      <form novalidate @submit=${this.#onSubmit}>
        <label for="file-name">File name</label>
        <input
          id="file-name"
          .value=${this.fileName}
          @input=${(e: Event) => (this.fileName = (e.target as HTMLInputElement).value)}
        />
        ${this.#rangeField()}
        <label class="check">
          <input
            type="checkbox"
            id="continue"
            .checked=${this.continuePastErrors}
            @change=${(e: Event) =>
              (this.continuePastErrors = (e.target as HTMLInputElement).checked)}
          />
          <span
            >Continue past unreadable sectors
            <span class="help"
              >Each is retried, then zero-filled in the image and listed in a rescue map (GNU
              ddrescue's format) offered beside it. Otherwise the save stops at the first one.</span
            ></span
          >
        </label>
        ${
          this.busy
            ? html`<p class="notice" data-testid="save-busy">
                An operation is running on this drive; wait for it to finish.
              </p>`
            : nothing
        }
        <p class="status" role="status" data-testid="save-dialog-status">${this.status}</p>
        <wd-error-view .error=${this.error} label="Could not save"></wd-error-view>
        <div class="actions">
          <button type="button" @click=${this.#modal.requestClose}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${this.busy}>Save…</button>
        </div>
      </form>
    </div>`;
  }
}

customElements.define('wd-save-dialog', WdSaveDialog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-save-dialog': WdSaveDialog;
  }
}
