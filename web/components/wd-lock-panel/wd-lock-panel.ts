import { LitElement, html, nothing } from 'lit';
import type { ErrorValue, LockState } from '../../../contract/api.ts';
import { clientNameProblem } from '../../../contract/client-name.ts';
import { clientNameField } from '../../lib/dialog-parts.ts';
import { RecorderAction, WdAcquireEvent, WdRecorderActionEvent } from '../../lib/events.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-lock-panel.styles.ts';

/**
 * IMAPI2 exclusive access: the lock count and the owner's name (live from
 * 'lock' events, so another tab's lock shows up with its owner), Acquire with
 * a validated client name and a force toggle, Release, and "Unlock tray" for
 * a drive left locked by a session that died.
 */
export class WdLockPanel extends LitElement {
  static override styles = styles;
  static override properties = {
    recorderId: { attribute: 'recorder-id' },
    lock: { attribute: false },
    error: { attribute: false },
    acquiring: { type: Boolean },
    releasing: { type: Boolean },
    unlocking: { type: Boolean },
    clientName: { attribute: 'client-name' },
    force: { type: Boolean },
    busy: { type: Boolean },
    touched: { state: true },
  };

  declare recorderId: string;
  declare lock: LockState | null;
  declare error: ErrorValue | null;
  declare acquiring: boolean;
  declare releasing: boolean;
  declare unlocking: boolean;
  declare clientName: string;
  declare force: boolean;
  /**
   * An erase or burn runs and holds the lock: Release waits, or it would
   * hand the drive to another session in the middle of the operation.
   */
  declare busy: boolean;
  /** Show the name's problem only once the person has typed or tried to acquire. */
  declare touched: boolean;

  constructor() {
    super();
    this.recorderId = '';
    this.lock = null;
    this.error = null;
    this.acquiring = false;
    this.releasing = false;
    this.unlocking = false;
    this.clientName = 'webdisc';
    this.force = false;
    this.busy = false;
    this.touched = false;
  }

  #onSubmit(e: SubmitEvent) {
    e.preventDefault();
    this.touched = true;
    if (clientNameProblem(this.clientName)) {
      this.renderRoot.querySelector<HTMLInputElement>('#client-name')?.focus();
      return;
    }
    this.dispatchEvent(new WdAcquireEvent(this.recorderId, this.clientName, this.force));
  }

  #action(action: RecorderAction) {
    this.dispatchEvent(new WdRecorderActionEvent(this.recorderId, action));
  }

  #state(lock: LockState | null) {
    if (!lock) return html`<span class="badge">unknown</span>`;
    if (lock.stale) return html`<span class="badge danger">stale lock</span>`;
    if (lock.ownedByMe) return html`<span class="badge ok">yours</span>`;
    if (lock.busy || lock.owner) return html`<span class="badge danger">in use</span>`;
    return html`<span class="badge accent">free</span>`;
  }

  override render() {
    const lock = this.lock;
    const tray =
      lock?.trayLocked === null || lock === null
        ? 'unknown'
        : lock.trayLocked
          ? 'locked'
          : 'unlocked';
    return html`
      <section class="panel" aria-labelledby="h">
        <h2 id="h">Exclusive access ${this.#state(lock)}</h2>
        <dl class="facts" aria-live="polite">
          <dt>Owner</dt>
          <dd data-testid="lock-owner">
            ${lock?.owner ? html`<strong>${lock.owner}</strong>` : 'nobody'}${
              lock?.ownedByMe ? ' (this tab)' : lock?.busy ? ' (another session)' : ''
            }
          </dd>
          <dt>Lock count</dt>
          <dd class="count" data-testid="lock-count">${lock ? lock.count : '–'}</dd>
          <dt>Tray</dt>
          <dd>${tray}</dd>
          ${
            lock?.openedV1
              ? html`<dt>IMAPI v1</dt>
                  <dd>opened with openExclusive()</dd>`
              : nothing
          }
        </dl>
        ${
          lock?.busy && !lock.ownedByMe
            ? html`<p class="notice" data-testid="busy-notice">
                <strong>${lock.owner || 'Another session'}</strong> holds this drive. Eject, erase
                and writing are refused until it releases.
              </p>`
            : nothing
        }
        ${
          lock?.stale
            ? html`<div class="notice" data-testid="stale-notice">
                <p>
                  The drive's tray is locked, but no running session owns it (its owner closed or
                  crashed).
                </p>
                <button
                  ?disabled=${this.unlocking}
                  @click=${() => this.#action(RecorderAction.UnlockTray)}
                >
                  ${this.unlocking ? 'Unlocking…' : 'Unlock tray'}
                </button>
              </div>`
            : nothing
        }
        <form novalidate @submit=${this.#onSubmit}>
          ${clientNameField(this, 'Shown to everyone who asks who holds the drive.')}
          <label class="check">
            <input
              type="checkbox"
              .checked=${this.force}
              @change=${(e: Event) => (this.force = (e.target as HTMLInputElement).checked)}
            />
            <span>Force: take the drive even if the operating system has it mounted</span>
          </label>
          <div class="row">
            <button type="submit" class="primary" ?disabled=${this.acquiring}>
              ${this.acquiring ? 'Acquiring…' : 'Acquire'}
            </button>
            <button
              type="button"
              ?disabled=${this.releasing || this.busy || !lock || lock.count === 0}
              @click=${() => this.#action(RecorderAction.Release)}
            >
              ${this.releasing ? 'Releasing…' : 'Release'}
            </button>
          </div>
        </form>
        <wd-error-view .error=${this.error} label="Exclusive access"></wd-error-view>
      </section>
    `;
  }
}

customElements.define('wd-lock-panel', WdLockPanel);

declare global {
  interface HTMLElementTagNameMap {
    'wd-lock-panel': WdLockPanel;
  }
}
