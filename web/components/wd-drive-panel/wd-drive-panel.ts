import { LitElement, html, nothing } from 'lit';
import type {
  Capabilities,
  ErrorValue,
  FeatureInfo,
  FieldValue,
  ModePageInfo,
  ProfileInfo,
  RecorderInfo,
} from '../../../contract/api.ts';
import { RecorderAction, WdRecorderActionEvent } from '../../lib/events.ts';
import { formatField, hex4, humanize } from '../../lib/format.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-drive-panel.styles.ts';

/** yes / no, or unknown when the drive did not say. */
const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

/**
 * The drive: identity (INQUIRY, USB IDs), its profiles with the current one
 * highlighted, capabilities, decoded features (GET CONFIGURATION) and mode
 * pages (MODE SENSE).
 */
export class WdDrivePanel extends LitElement {
  static override styles = styles;
  static override properties = {
    recorderId: { attribute: 'recorder-id' },
    info: { attribute: false },
    loading: { type: Boolean },
    error: { attribute: false },
    currentProfileCode: { attribute: false },
  };

  declare recorderId: string;
  declare info: RecorderInfo | null;
  declare loading: boolean;
  declare error: ErrorValue | null;
  /**
   * The current profile from the live media state (null: no medium); when
   * undefined the drive info's own `current` flags are used.
   */
  declare currentProfileCode: number | null | undefined;

  constructor() {
    super();
    this.recorderId = '';
    this.info = null;
    this.loading = false;
    this.error = null;
    this.currentProfileCode = undefined;
  }

  #profiles(info: RecorderInfo): readonly ProfileInfo[] {
    const code = this.currentProfileCode;
    if (code === undefined) return info.profiles;
    return info.profiles.map((p) => ({ ...p, current: p.code === code }));
  }

  #fields(fields: Readonly<Record<string, FieldValue>>) {
    const entries = Object.entries(fields);
    if (entries.length === 0) return html`<p class="muted">No fields.</p>`;
    return html`<dl class="facts">
      ${entries.map(
        ([k, v]) =>
          html`<dt>${humanize(k)}</dt>
            <dd>${formatField(v)}</dd>`,
      )}
    </dl>`;
  }

  #capabilities(c: Capabilities) {
    const list = (items: readonly string[]) => (items.length ? items.join(', ') : 'none');
    return html`
      <h3>Capabilities</h3>
      <dl class="facts" data-testid="capabilities">
        <dt>Loading</dt>
        <dd>${c.loadingMechanism}</dd>
        <dt>Reads</dt>
        <dd>${list(c.reads)}</dd>
        <dt>Writes</dt>
        <dd>${list(c.writes)}</dd>
        <dt>Eject / load / lock</dt>
        <dd>${yesNo(c.canEject)} / ${yesNo(c.canLoadMedia)} / ${yesNo(c.canLock)}</dd>
        <dt>Test write</dt>
        <dd>${yesNo(c.testWrite)}</dd>
        <dt>Underrun protection</dt>
        <dd>${yesNo(c.bufferUnderrunProtection)}</dd>
        <dt>Buffer</dt>
        <dd>${c.bufferSizeKiB === null ? 'unknown' : `${c.bufferSizeKiB.toLocaleString()} KiB`}</dd>
        <dt>Max read speed</dt>
        <dd>
          ${c.maxReadSpeedKBps === null ? 'unknown' : `${c.maxReadSpeedKBps.toLocaleString()} kB/s`}
        </dd>
        <dt>Write speeds</dt>
        <dd>
          ${
            c.writeSpeedsKBps.length
              ? c.writeSpeedsKBps.map((s) => s.toLocaleString()).join(', ') + ' kB/s'
              : 'none'
          }
        </dd>
        <dt>RESERVE(6)</dt>
        <dd>
          ${
            c.reserveSupported === null
              ? 'not tried yet (first acquire tries it)'
              : c.reserveSupported
                ? 'supported'
                : 'not supported'
          }
        </dd>
      </dl>
    `;
  }

  #feature(f: FeatureInfo) {
    return html`
      <details class="feature">
        <summary>
          <code>${hex4(f.code)}h</code> <span>${f.name}</span>
          ${f.current ? html`<span class="badge ok">current</span>` : nothing}
          ${f.persistent ? html`<span class="badge accent">persistent</span>` : nothing}
          <span class="muted">v${f.version}</span>
        </summary>
        ${this.#fields(f.fields)}
      </details>
    `;
  }

  #modePage(p: ModePageInfo) {
    return html`
      <details class="feature">
        <summary>
          <code>${p.code.toString(16).toUpperCase().padStart(2, '0')}h</code> <span>${p.name}</span>
        </summary>
        ${this.#fields(p.fields)}
        <p class="raw">${p.rawHex}</p>
      </details>
    `;
  }

  #refresh() {
    this.dispatchEvent(new WdRecorderActionEvent(this.recorderId, RecorderAction.Refresh));
  }

  override render() {
    const info = this.info;
    return html`
      <section class="panel" aria-labelledby="h" aria-busy=${this.loading ? 'true' : 'false'}>
        <h2 id="h">
          <span>Drive${info ? html`: ${info.summary.name}` : nothing}</span>
          <span class="spacer"></span>
          <button @click=${this.#refresh} ?disabled=${this.loading || !this.recorderId}>
            ${this.loading ? 'Reading…' : 'Read again'}
          </button>
        </h2>
        <wd-error-view .error=${this.error} label="Could not read the drive"></wd-error-view>
        ${info ? this.#body(info) : this.loading ? html`<p class="muted">Reading the drive…</p>` : nothing}
      </section>
    `;
  }

  #body(info: RecorderInfo) {
    const id = info.identity;
    const profiles = this.#profiles(info);
    const current = profiles.find((p) => p.current) ?? null;
    return html`
      <div class="grid">
        <div>
          <h3>Identity</h3>
          <dl class="facts" data-testid="identity">
            <dt>Vendor</dt>
            <dd data-testid="vendor">${id.vendor}</dd>
            <dt>Product</dt>
            <dd data-testid="product">${id.product}</dd>
            <dt>Revision</dt>
            <dd>${id.revision}</dd>
            <dt>Serial</dt>
            <dd>${id.serial ?? 'none'}</dd>
            <dt>USB IDs</dt>
            <dd><code>${hex4(id.vendorId)}:${hex4(id.productId)}</code></dd>
          </dl>
          <h3 id="profiles-h">Profiles</h3>
          ${
            info.profiles.length
              ? html`<ul class="profiles" aria-labelledby="profiles-h" data-testid="profiles">
                  ${profiles.map(
                    (p) =>
                      html`<li
                        class=${p.current ? 'current' : ''}
                        aria-current=${p.current ? 'true' : 'false'}
                      >
                        ${p.name}${p.current ? html` <span class="visually-hidden">(current)</span>` : nothing}
                      </li>`,
                  )}
                </ul>`
              : html`<p class="muted">The drive reported no profiles.</p>`
          }
          <p>
            Current profile:
            <strong data-testid="current-profile">${current?.name ?? 'none'}</strong>
          </p>
        </div>
        <div>${this.#capabilities(info.capabilities)}</div>
      </div>
      <h3>Features (${info.features.length})</h3>
      ${
        info.features.length
          ? info.features.map((f) => this.#feature(f))
          : html`<p class="muted">None reported.</p>`
      }
      <h3>Mode pages (${info.modePages.length})</h3>
      ${
        info.modePages.length
          ? info.modePages.map((p) => this.#modePage(p))
          : html`<p class="muted">None reported.</p>`
      }
      ${
        info.unsupported.length
          ? html`<p class="notice">
              Commands this drive rejected as unsupported: ${info.unsupported.join(', ')}.
            </p>`
          : nothing
      }
    `;
  }
}

customElements.define('wd-drive-panel', WdDrivePanel);

declare global {
  interface HTMLElementTagNameMap {
    'wd-drive-panel': WdDrivePanel;
  }
}
