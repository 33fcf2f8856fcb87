import { LitElement, html, nothing } from 'lit';
import type { ErrorValue, LockState, MediaState } from '../../../contract/api.ts';
import { Job, discJobs, discWords } from '../../lib/disc-words.ts';
import {
  DialogName,
  RecorderAction,
  WdOpenDialogEvent,
  WdRecorderActionEvent,
} from '../../lib/events.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-home.styles.ts';

/** Each job's button: its words and the dialog it asks the shell for. */
const JOB_BUTTONS: Readonly<Record<Job, { readonly label: string; readonly dialog: DialogName }>> =
  {
    [Job.BurnFiles]: { label: 'Burn files…', dialog: DialogName.Files },
    [Job.BurnImage]: { label: 'Burn an image…', dialog: DialogName.Burn },
    [Job.AddFiles]: { label: 'Add files to this disc…', dialog: DialogName.AddFiles },
    [Job.Save]: { label: 'Save disc as image…', dialog: DialogName.Save },
    [Job.Browse]: { label: 'Browse files…', dialog: DialogName.Browse },
    [Job.Verify]: { label: 'Verify…', dialog: DialogName.Verify },
    [Job.Copy]: { label: 'Copy disc…', dialog: DialogName.Copy },
    [Job.Erase]: { label: 'Erase…', dialog: DialogName.Erase },
  };

/**
 * The front door for the selected drive: what is in it, in words ("Blank
 * DVD+R, 4.7 GB free"), and the jobs that disc allows, each a button that
 * asks the shell for its dialog (WdOpenDialogEvent, as the media panel did);
 * Eject and Close tray (WdRecorderActionEvent). A job the disc does not allow
 * is not offered; the ones a person would look for are explained instead
 * ("This disc is finalized: it cannot take more files."). Exclusive access,
 * features and the trace are the Advanced area's: every job takes the drive
 * itself.
 */
export class WdHome extends LitElement {
  static override styles = styles;
  static override properties = {
    recorderId: { attribute: 'recorder-id' },
    driveName: { attribute: 'drive-name' },
    media: { attribute: false },
    loading: { type: Boolean },
    error: { attribute: false },
    busy: { type: Boolean },
    lock: { attribute: false },
    trayOpen: { attribute: false },
    trayError: { attribute: false },
    ejecting: { type: Boolean },
    closing: { type: Boolean },
    ejectRequested: { type: Boolean, attribute: 'eject-requested' },
    virtual: { type: Boolean },
  };

  declare recorderId: string;
  declare driveName: string;
  declare media: MediaState | null;
  /** The medium is being read. */
  declare loading: boolean;
  /** Reading the medium failed. */
  declare error: ErrorValue | null;
  /** An operation runs on this drive: every job waits. */
  declare busy: boolean;
  declare lock: LockState | null;
  /** Open, closed, or null when the drive does not say. */
  declare trayOpen: boolean | null;
  /** Eject or Close tray was refused. */
  declare trayError: ErrorValue | null;
  declare ejecting: boolean;
  declare closing: boolean;
  /** The drive's own eject button was pressed while the tray was locked. */
  declare ejectRequested: boolean;
  /** The virtual recorder: its front-panel button is in the drive list, so say how it differs. */
  declare virtual: boolean;

  constructor() {
    super();
    this.recorderId = '';
    this.driveName = '';
    this.media = null;
    this.loading = false;
    this.error = null;
    this.busy = false;
    this.lock = null;
    this.trayOpen = null;
    this.trayError = null;
    this.ejecting = false;
    this.closing = false;
    this.ejectRequested = false;
    this.virtual = false;
  }

  #open(dialog: DialogName) {
    this.dispatchEvent(new WdOpenDialogEvent(this.recorderId, dialog));
  }

  #action(action: RecorderAction) {
    this.dispatchEvent(new WdRecorderActionEvent(this.recorderId, action));
  }

  /** Who else holds the drive, when another session does. */
  #otherOwner(): string | null {
    const lock = this.lock;
    return lock?.busy && !lock.ownedByMe ? lock.owner || 'another program' : null;
  }

  override render() {
    const m = this.media;
    const { jobs, why } = discJobs(m);
    const other = this.#otherOwner();
    return html`
      <section class="panel" aria-labelledby="h" aria-busy=${this.loading ? 'true' : 'false'}>
        <h2 id="h"><span class="muted">Drive:</span> ${this.driveName || 'no drive'}</h2>
        <p class="disc" role="status" data-testid="disc-words">${discWords(m, this.loading)}.</p>
        <wd-error-view .error=${this.error} label="Could not read the disc"></wd-error-view>
        ${this.recorderId ? this.#jobs(jobs, why) : nothing}
        ${
          other
            ? html`<p class="notice" data-testid="held-elsewhere">
                The drive is used by <strong>${other}</strong>. Jobs can start once it is free.
              </p>`
            : nothing
        }
        ${this.#tray()}
      </section>
    `;
  }

  #jobs(jobs: readonly Job[], why: readonly string[]) {
    return html`
      ${
        jobs.length
          ? html`<div class="jobs" data-testid="jobs">
              ${jobs.map(
                (job, i) =>
                  html`<button
                    class=${i === 0 ? 'primary' : ''}
                    data-job=${job}
                    ?disabled=${this.busy}
                    @click=${() => this.#open(JOB_BUTTONS[job].dialog)}
                  >
                    ${JOB_BUTTONS[job].label}
                  </button>`,
              )}
            </div>`
          : nothing
      }
      ${
        this.busy
          ? html`<p class="help" data-testid="jobs-help">
              A job is running on this drive; see Progress. The others wait until it ends.
            </p>`
          : nothing
      }
      ${why.map((w) => html`<p class="why" data-testid="why-not">${w}</p>`)}
    `;
  }

  #tray() {
    const open = this.trayOpen;
    const off = this.busy || !this.recorderId;
    return html`
      <div class="tray">
        <div class="row">
          ${
            open !== true
              ? html`<button
                  ?disabled=${off || this.ejecting}
                  @click=${() => this.#action(RecorderAction.Eject)}
                >
                  ${this.ejecting ? 'Ejecting…' : 'Eject'}
                </button>`
              : nothing
          }
          ${
            open !== false
              ? html`<button
                  ?disabled=${off || this.closing}
                  @click=${() => this.#action(RecorderAction.CloseTray)}
                >
                  ${this.closing ? 'Closing…' : 'Close tray'}
                </button>`
              : nothing
          }
        </div>
        ${
          this.virtual
            ? html`<p class="help" data-testid="eject-help">
                Eject opens the tray by command, as your computer does. “Press the drive's eject
                button” under Drives is the button on the drive itself, which a drive in use only
                reports.
              </p>`
            : nothing
        }
        ${
          this.ejectRequested
            ? html`<p class="notice" role="status" data-testid="eject-requested">
                Someone pressed the drive's eject button while the drive is in use.
                ${this.lock?.ownedByMe ? 'Eject here to open it.' : ''}
              </p>`
            : nothing
        }
        <wd-error-view
          .error=${this.trayError}
          owner=${this.lock?.owner ?? ''}
          label="The tray did not move"
        ></wd-error-view>
      </div>
    `;
  }
}

customElements.define('wd-home', WdHome);

declare global {
  interface HTMLElementTagNameMap {
    'wd-home': WdHome;
  }
}
