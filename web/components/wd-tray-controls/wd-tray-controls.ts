import { LitElement, html, nothing } from 'lit';
import type { ErrorValue, LockState } from '../../../contract/api.ts';
import type { HResultName } from '../../../contract/hresult.ts';
import { RecorderAction, WdRecorderActionEvent } from '../../lib/events.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-tray-controls.styles.ts';

/** The error the seeds give for any operation on a drive another session has locked. */
export const E_IMAPI_RECORDER_LOCKED = 'E_IMAPI_RECORDER_LOCKED' satisfies HResultName;

/**
 * Eject and close the tray. When another session holds the lock the drive
 * refuses, and the refusal (the Result's error) is shown with the owner.
 */
export class WdTrayControls extends LitElement {
  static override styles = styles;
  static override properties = {
    recorderId: { attribute: 'recorder-id' },
    trayOpen: { attribute: false },
    lock: { attribute: false },
    error: { attribute: false },
    ejecting: { type: Boolean },
    closing: { type: Boolean },
    ejectRequested: { type: Boolean, attribute: 'eject-requested' },
    busy: { type: Boolean },
  };

  declare recorderId: string;
  declare trayOpen: boolean | null;
  declare lock: LockState | null;
  declare error: ErrorValue | null;
  declare ejecting: boolean;
  declare closing: boolean;
  /** The drive's own eject button was pressed while the tray was locked. */
  declare ejectRequested: boolean;
  /** An erase or burn runs: the tray stays shut until it ends (the worker holds PREVENT meanwhile). */
  declare busy: boolean;

  constructor() {
    super();
    this.recorderId = '';
    this.trayOpen = null;
    this.lock = null;
    this.error = null;
    this.ejecting = false;
    this.closing = false;
    this.ejectRequested = false;
    this.busy = false;
  }

  #action(action: RecorderAction) {
    this.dispatchEvent(new WdRecorderActionEvent(this.recorderId, action));
  }

  override render() {
    const lock = this.lock;
    const heldElsewhere = !!lock && lock.busy && !lock.ownedByMe;
    const tray = this.trayOpen === null ? 'unknown' : this.trayOpen ? 'open' : 'closed';
    const refusedOwner = this.error?.name === E_IMAPI_RECORDER_LOCKED ? lock?.owner || null : null;
    return html`
      <section class="panel" aria-labelledby="h">
        <h2 id="h">Tray</h2>
        <p>The tray is <strong data-testid="tray-state">${tray}</strong>.</p>
        ${
          heldElsewhere
            ? html`<p class="notice">
                <strong>${lock.owner || 'Another session'}</strong> holds this drive; the drive will
                refuse to eject or close for this tab.
              </p>`
            : nothing
        }
        ${
          this.ejectRequested
            ? html`<p class="notice" role="status">
                Someone pressed the drive's eject button while the tray is locked.
                ${lock?.ownedByMe ? 'Eject here to open it.' : ''}
              </p>`
            : nothing
        }
        ${
          this.busy
            ? html`<p class="notice" data-testid="tray-busy">
                An erase or burn is running; the tray stays closed until it ends.
              </p>`
            : nothing
        }
        <div class="row">
          <button
            ?disabled=${this.ejecting || this.busy || !this.recorderId}
            @click=${() => this.#action(RecorderAction.Eject)}
          >
            ${this.ejecting ? 'Ejecting…' : 'Eject'}
          </button>
          <button
            ?disabled=${this.closing || this.busy || !this.recorderId}
            @click=${() => this.#action(RecorderAction.CloseTray)}
          >
            ${this.closing ? 'Closing…' : 'Close tray'}
          </button>
        </div>
        <wd-error-view .error=${this.error} label="Refused"></wd-error-view>
        ${
          refusedOwner
            ? html`<p class="refusal" data-testid="refusal-owner">
                The drive is locked by <strong>${refusedOwner}</strong>.
              </p>`
            : nothing
        }
      </section>
    `;
  }
}

customElements.define('wd-tray-controls', WdTrayControls);

declare global {
  interface HTMLElementTagNameMap {
    'wd-tray-controls': WdTrayControls;
  }
}
