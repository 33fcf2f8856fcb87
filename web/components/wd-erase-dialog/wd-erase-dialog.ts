import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { LockState, MediaState } from '../../../contract/api.ts';
import { clientNameProblem } from '../../../contract/client-name.ts';
import {
  clientNameField,
  driveFacts,
  heldElsewhere,
  heldElsewhereNotice,
  OPERATION_DIALOG_PROPERTIES,
} from '../../lib/dialog-parts.ts';
import { ModalDialogController } from '../../controllers/modal-dialog.ts';
import { DialogName, WdEraseEvent } from '../../lib/events.ts';
import { eraseCheck, theMedium } from '../../lib/media.ts';
import { styles } from './wd-erase-dialog.styles.ts';

/**
 * Erase (IMAPI2's IDiscFormat2Erase) as a modal dialog: names the drive and
 * the medium (type, status, free space), refuses up front a medium that
 * cannot be erased (only CD-RW, DVD-RW, DVD+RW and BD-RE can), offers quick
 * or full, takes the client name the lock will carry, and asks for
 * confirmation in so many words. The confirmed request is a WdEraseEvent;
 * the shell runs it and shows progress and the result in wd-progress.
 */
export class WdEraseDialog extends LitElement {
  static override styles = styles;
  static override properties = {
    ...OPERATION_DIALOG_PROPERTIES,
    full: { state: true },
  };

  /** The shell opens and closes it; Escape and Cancel ask it to with a WdCloseDialogEvent. */
  declare open: boolean;
  readonly #modal = new ModalDialogController(this, DialogName.Erase);
  declare recorderId: string;
  declare driveName: string;
  declare media: MediaState | null;
  declare lock: LockState | null;
  /** An erase or burn already runs on this recorder. */
  declare busy: boolean;
  declare clientName: string;
  declare full: boolean;
  declare touched: boolean;

  constructor() {
    super();
    this.open = false;
    this.recorderId = '';
    this.driveName = '';
    this.media = null;
    this.lock = null;
    this.busy = false;
    this.clientName = 'webdisc';
    this.full = false;
    this.touched = false;
  }

  /** Each opening starts with no complaint about the name yet. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) this.touched = false;
  }

  #onSubmit(e: SubmitEvent) {
    e.preventDefault();
    this.touched = true;
    if (clientNameProblem(this.clientName)) {
      this.renderRoot.querySelector<HTMLInputElement>('#client-name')?.focus();
      return;
    }
    if (eraseCheck(this.media).problem || this.busy || heldElsewhere(this.lock)) return;
    this.dispatchEvent(
      new WdEraseEvent(this.recorderId, { clientName: this.clientName, full: this.full }),
    );
  }

  override render() {
    // Closed, the <dialog> stays (showModal needs it) but holds nothing: its
    // fields would otherwise sit in the page's text and label lookups.
    return html`<dialog aria-labelledby="erase-title" @close=${this.#modal.onClose}>
      ${this.open ? this.#content() : nothing}
    </dialog>`;
  }

  #content() {
    const check = eraseCheck(this.media);
    const medium = theMedium(this.media);
    return html`<div class="body">
      <h2 id="erase-title">Erase ${medium}</h2>
      ${driveFacts(this.driveName, this.media, 'erase')}
      ${
        check.problem
          ? html`<p class="refusal" role="alert" data-testid="erase-refusal">${check.problem}</p>
              <div class="actions">
                <button type="button" class="primary" @click=${this.#modal.requestClose}>
                  Close
                </button>
              </div>`
          : this.#form(medium, check.method)
      }
    </div>`;
  }

  #form(medium: string, method: 'blank' | 'format' | null) {
    const blocked = this.busy || heldElsewhere(this.lock);
    const how =
      method === 'format'
        ? {
            quick: 'Formats the disc again; takes a minute or so.',
            full: 'Formats and certifies every sector; takes as long as writing the whole disc.',
          }
        : {
            quick:
              'Blanks the table of contents; takes a minute or so. The old data is unreachable.',
            full: 'Blanks every sector; takes as long as writing the whole disc.',
          };
    return html`<form novalidate @submit=${this.#onSubmit}>
      <fieldset>
        <legend>Method</legend>
        <label class="check">
          <input
            type="radio"
            name="method"
            value="quick"
            .checked=${!this.full}
            @change=${() => (this.full = false)}
          />
          <span>Quick <span class="help">${how.quick}</span></span>
        </label>
        <label class="check">
          <input
            type="radio"
            name="method"
            value="full"
            .checked=${this.full}
            @change=${() => (this.full = true)}
          />
          <span>Full <span class="help">${how.full}</span></span>
        </label>
      </fieldset>
      ${clientNameField(this)} ${heldElsewhereNotice(this.lock, 'Erasing')}
      ${
        this.busy
          ? html`<p class="notice" data-testid="erase-busy">
              An erase or burn is running on this drive; wait for it to finish.
            </p>`
          : nothing
      }
      <p class="warning" data-testid="erase-warning">
        Everything on ${medium} will be lost. This cannot be undone.
      </p>
      <div class="actions">
        <button type="button" @click=${this.#modal.requestClose}>Cancel</button>
        <button type="submit" class="primary danger" ?disabled=${blocked}>Erase disc</button>
      </div>
    </form>`;
  }
}

customElements.define('wd-erase-dialog', WdEraseDialog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-erase-dialog': WdEraseDialog;
  }
}
