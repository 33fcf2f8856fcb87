import { LitElement, html, nothing } from 'lit';
import type { ErrorValue, MediaState } from '../../../contract/api.ts';
import { formatBytes } from '../../lib/format.ts';
import { mediaTypeName } from '../../../contract/profiles.ts';
import { STATUS_WORDS } from '../../lib/media.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-media-panel.styles.ts';

/** Re-exported: the names live in lib/media.ts, shared with the erase and burn dialogs. */
export { mediaTypeName };

/**
 * The disc's details for the Advanced area: type (with IMAPI's name),
 * profile, status, sessions and tracks (TOC), capacity and free space. The
 * app feeds it from getMedia and from 'media' events, so it changes live when
 * a disc goes in or out. The jobs are the home's (wd-home).
 */
export class WdMediaPanel extends LitElement {
  static override styles = styles;
  static override properties = {
    media: { attribute: false },
    loading: { type: Boolean },
    error: { attribute: false },
  };

  declare media: MediaState | null;
  declare loading: boolean;
  declare error: ErrorValue | null;

  constructor() {
    super();
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
        <h2 id="h">Disc details</h2>
        <p class="summary" role="status" data-testid="media-summary">
          ${m ? this.#summary(m) : this.loading ? 'Reading the medium…' : 'Unknown.'}
        </p>
        <wd-error-view .error=${this.error} label="Could not read the medium"></wd-error-view>
        ${m ? this.#details(m) : nothing}
      </section>
    `;
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
