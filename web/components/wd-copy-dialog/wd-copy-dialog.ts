import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { MediaState, RecorderSummary } from '../../../contract/api.ts';
import { ModalDialogController } from '../../controllers/modal-dialog.ts';
import { driveFacts } from '../../lib/dialog-parts.ts';
import { DialogName } from '../../lib/events.ts';
import { theMedium } from '../../lib/media.ts';
import { dialog } from '../../styles/dialog.ts';
import { controls, theme } from '../../styles/theme.ts';

/** The copy dialog's request: onto `toId`'s disc at once, or (null) with this drive, changing discs. */
export class WdCopyDiscEvent extends Event {
  static readonly type = 'wd-copy-disc';
  constructor(
    readonly recorderId: string,
    readonly toId: string | null,
    readonly verify: boolean,
  ) {
    super(WdCopyDiscEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-copy-disc': WdCopyDiscEvent;
  }
}

/**
 * "Copy disc…" when there is more than one drive (issue 17): with this
 * drive (the disc is read into a temporary copy, then a blank disc goes in
 * and the copy is burned), or onto the blank disc in another drive at once
 * (copyDisc: read and burned together, with full verification by default).
 */
export class WdCopyDialog extends LitElement {
  static override styles = [
    theme,
    controls,
    dialog,
    css`
      :host {
        display: contents;
      }
    `,
  ];
  static override properties = {
    open: { type: Boolean, reflect: true },
    recorderId: { attribute: 'recorder-id' },
    driveName: { attribute: 'drive-name' },
    media: { attribute: false },
    recorders: { attribute: false },
    busy: { type: Boolean },
    to: { state: true },
    verify: { state: true },
  };

  declare open: boolean;
  declare recorderId: string;
  declare driveName: string;
  declare media: MediaState | null;
  declare recorders: readonly RecorderSummary[];
  declare busy: boolean;
  /** '' for this drive, else the other drive's id. */
  declare to: string;
  declare verify: boolean;
  readonly #modal = new ModalDialogController(this, DialogName.Copy);

  constructor() {
    super();
    this.open = false;
    this.recorderId = '';
    this.driveName = '';
    this.media = null;
    this.recorders = [];
    this.busy = false;
    this.to = '';
    this.verify = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.to = '';
      this.verify = true;
    }
  }

  #onSubmit(e: SubmitEvent) {
    e.preventDefault();
    if (this.busy) return;
    this.dispatchEvent(new WdCopyDiscEvent(this.recorderId, this.to || null, this.verify));
  }

  override render() {
    return html`<dialog aria-labelledby="copy-title" @close=${this.#modal.onClose}>
      ${this.open ? this.#content() : nothing}
    </dialog>`;
  }

  #content() {
    const others = this.recorders.filter((r) => r.id !== this.recorderId);
    const choice = (value: string, label: string, help: string) =>
      html`<label class="check">
        <input
          type="radio"
          name="to"
          .value=${value}
          .checked=${this.to === value}
          @change=${() => (this.to = value)}
        />
        <span>${label} <span class="help">${help}</span></span>
      </label>`;
    return html`<div class="body">
      <h2 id="copy-title">Copy ${theMedium(this.media)}</h2>
      ${driveFacts(this.driveName, this.media, 'copy')}
      <form novalidate @submit=${this.#onSubmit}>
        <fieldset>
          <legend>Onto</legend>
          ${choice(
            '',
            'A blank disc in this drive',
            'The disc is read into a temporary copy first; then insert the blank disc and burn it.',
          )}
          ${others.map((r) =>
            choice(
              r.id,
              `The blank disc in ${r.name}`,
              'Read and burned at once; either side failing stops both.',
            ),
          )}
        </fieldset>
        ${
          this.to
            ? html`<label class="check">
                <input
                  type="checkbox"
                  id="verify"
                  .checked=${this.verify}
                  @change=${(e: Event) => (this.verify = (e.target as HTMLInputElement).checked)}
                />
                <span
                  >Verify the copy
                  <span class="help">Read every sector back and compare its SHA-256.</span></span
                >
              </label>`
            : nothing
        }
        ${
          this.busy
            ? html`<p class="notice">
                An operation is running on this drive; wait for it to finish.
              </p>`
            : nothing
        }
        <div class="actions">
          <button type="button" @click=${this.#modal.requestClose}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${this.busy}>Copy</button>
        </div>
      </form>
    </div>`;
  }
}

customElements.define('wd-copy-dialog', WdCopyDialog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-copy-dialog': WdCopyDialog;
  }
}
