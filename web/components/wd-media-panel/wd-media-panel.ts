import { LitElement, html, nothing } from 'lit';
import type { ErrorValue, MediaState } from '../../../contract/api.ts';
import { DialogName, WdOpenDialogEvent } from '../../lib/events.ts';
import { formatBytes } from '../../lib/format.ts';
import { mediaTypeName } from '../../../contract/profiles.ts';
import { STATUS_WORDS, burnTarget, canAddFiles } from '../../lib/media.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-media-panel.styles.ts';

/** Re-exported: the names live in lib/media.ts, shared with the erase and burn dialogs. */
export { mediaTypeName };

/** A disc with a data track: something to save, browse or verify. */
export function hasData(m: MediaState | null): boolean {
  return !!m?.present && m.status !== 'blank' && m.tracks.some((t) => t.mode === 'data');
}

/**
 * The medium: type, status, sessions and tracks (TOC), capacity and free
 * space. The app feeds it from getMedia and from 'media' events, so it
 * changes live when a disc goes in or out. "Burn an image…", "Burn files…"
 * (a writable disc only) and "Erase…" ask the shell for their dialogs (WdOpenDialogEvent); both wait while an
 * erase or burn runs (`busy`).
 */
export class WdMediaPanel extends LitElement {
  static override styles = styles;
  static override properties = {
    recorderId: { attribute: 'recorder-id' },
    media: { attribute: false },
    loading: { type: Boolean },
    error: { attribute: false },
    busy: { type: Boolean },
  };

  declare recorderId: string;
  declare media: MediaState | null;
  declare loading: boolean;
  declare error: ErrorValue | null;
  /** An erase or burn runs on this drive. */
  declare busy: boolean;

  constructor() {
    super();
    this.recorderId = '';
    this.busy = false;
    this.media = null;
    this.loading = false;
    this.error = null;
  }

  #summary(m: MediaState): string {
    if (!m.present) return m.trayOpen ? 'No disc; the tray is open.' : 'No disc.';
    return `${mediaTypeName(m.physicalType)}, ${STATUS_WORDS[m.status]}.`;
  }

  override render() {
    const m = this.media;
    return html`
      <section class="panel" aria-labelledby="h" aria-busy=${this.loading ? 'true' : 'false'}>
        <h2 id="h">Media</h2>
        <p class="summary" role="status" data-testid="media-summary">
          ${m ? this.#summary(m) : this.loading ? 'Reading the medium…' : 'Unknown.'}
        </p>
        <wd-error-view .error=${this.error} label="Could not read the medium"></wd-error-view>
        ${this.#actions(m)} ${m ? this.#details(m) : nothing}
      </section>
    `;
  }

  #open(dialog: DialogName) {
    this.dispatchEvent(new WdOpenDialogEvent(this.recorderId, dialog));
  }

  /** Save, browse and verify read the disc: a data track must be there. */
  #readActions(m: MediaState | null) {
    const off = this.busy || !hasData(m);
    const button = (dialog: DialogName, label: string) =>
      html`<button ?disabled=${off} aria-describedby="read-help" @click=${() => this.#open(dialog)}>
        ${label}
      </button>`;
    return html`<div class="row actions" data-testid="read-actions">
        ${button(DialogName.Save, 'Save as image…')} ${button(DialogName.Browse, 'Browse files…')}
        ${button(DialogName.Verify, 'Verify…')} ${button(DialogName.Copy, 'Copy disc…')}
      </div>
      <p id="read-help" class="help" data-testid="read-help">
        ${
          this.busy
            ? 'Wait for the running operation to finish.'
            : hasData(m)
              ? 'Save the disc as an image, open its files, compare it with an image or a folder, or copy it.'
              : 'A disc with data can be saved as an image, browsed, verified and copied.'
        }
      </p>`;
  }

  #actions(m: MediaState | null) {
    if (!this.recorderId) return nothing;
    return html`${this.#burnActions(m)} ${this.#readActions(m)}`;
  }

  #burnActions(m: MediaState | null) {
    const off = this.busy || !m?.present;
    return html`<div class="row actions">
        <button
          class="primary"
          ?disabled=${off}
          aria-describedby="actions-help"
          @click=${() => this.#open(DialogName.Burn)}
        >
          Burn an image…
        </button>
        <button
          ?disabled=${off || burnTarget(m, null).problem !== null}
          aria-describedby="actions-help"
          @click=${() => this.#open(DialogName.Files)}
        >
          Burn files…
        </button>
        <button
          ?disabled=${off || !canAddFiles(m)}
          aria-describedby="actions-help"
          @click=${() => this.#open(DialogName.AddFiles)}
        >
          Add files…
        </button>
        <button
          ?disabled=${off}
          aria-describedby="actions-help"
          @click=${() => this.#open(DialogName.Erase)}
        >
          Erase…
        </button>
      </div>
      <p id="actions-help" class="help" data-testid="actions-help">
        ${
          this.busy
            ? 'An erase or burn is running; see Progress.'
            : m?.present
              ? 'Each asks for confirmation before changing the disc.'
              : 'Insert a disc to burn or erase it.'
        }
      </p>`;
  }

  #details(m: MediaState) {
    const tray = m.trayOpen === null ? 'unknown' : m.trayOpen ? 'open' : 'closed';
    if (!m.present) {
      return html`<dl class="facts">
        <dt>Tray</dt>
        <dd data-testid="tray">${tray}</dd>
      </dl>`;
    }
    const total = m.capacityBlocks * m.blockSize;
    const free = m.freeBlocks * m.blockSize;
    const used = Math.max(0, total - free);
    return html`
      <dl class="facts">
        <dt>Type</dt>
        <dd data-testid="media-type">
          ${mediaTypeName(m.physicalType)} <code class="muted">${m.physicalType}</code>
        </dd>
        <dt>Profile</dt>
        <dd>${m.profile?.name ?? 'none'}</dd>
        <dt>Status</dt>
        <dd data-testid="media-status">${STATUS_WORDS[m.status]}</dd>
        <dt>Erasable</dt>
        <dd>${m.erasable ? 'yes' : 'no'}</dd>
        <dt>Sessions</dt>
        <dd data-testid="sessions">${m.sessions}</dd>
        <dt>Tray</dt>
        <dd data-testid="tray">${tray}</dd>
        <dt>Next writable</dt>
        <dd>
          ${m.nextWritableAddress === null ? 'none' : `LBA ${m.nextWritableAddress.toLocaleString()}`}
        </dd>
      </dl>
      <div class="capacity">
        <label for="cap">Space used</label>
        <meter id="cap" min="0" max=${Math.max(total, 1)} .value=${used}></meter>
        <p data-testid="capacity">
          ${formatBytes(free)} free of ${formatBytes(total)}
          <span class="muted"
            >(${m.freeBlocks.toLocaleString()} of ${m.capacityBlocks.toLocaleString()} blocks of
            ${m.blockSize} bytes)</span
          >
        </p>
      </div>
      <h3 id="toc-h">Tracks (${m.tracks.length})</h3>
      ${
        m.tracks.length
          ? html`<div class="scroll" role="region" aria-labelledby="toc-h" tabindex="0">
              <table data-testid="tracks">
                <thead>
                  <tr>
                    <th scope="col" class="num">Track</th>
                    <th scope="col" class="num">Session</th>
                    <th scope="col">Mode</th>
                    <th scope="col" class="num">Start (LBA)</th>
                    <th scope="col" class="num">Blocks</th>
                    <th scope="col" class="num">Size</th>
                  </tr>
                </thead>
                <tbody>
                  ${m.tracks.map(
                    (t) =>
                      html`<tr>
                        <td class="num">${t.number}</td>
                        <td class="num">${t.session}</td>
                        <td>${t.mode}</td>
                        <td class="num">${t.start.toLocaleString()}</td>
                        <td class="num">${t.size.toLocaleString()}</td>
                        <td class="num">${formatBytes(t.size * m.blockSize)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="muted">No tracks.</p>`
      }
    `;
  }
}

customElements.define('wd-media-panel', WdMediaPanel);

declare global {
  interface HTMLElementTagNameMap {
    'wd-media-panel': WdMediaPanel;
  }
}
