import { VIRTUAL_ID, virtualMediaLabel } from '../../../contract/virtual.ts';
import { LitElement, html, nothing } from 'lit';
import type { ErrorValue, RecorderSummary, VirtualDriveState } from '../../../contract/api.ts';
import {
  WdConnectUsbEvent,
  WdInsertImageEvent,
  WdInsertMediaEvent,
  WdSelectDriveEvent,
  WdVirtualEjectButtonEvent,
} from '../../lib/events.ts';
import { hex4 } from '../../lib/format.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-drive-list.styles.ts';

/**
 * The drives: the virtual recorder (always there) and granted USB drives, as
 * a radio group; "Connect a USB drive"; and, for the virtual recorder, its
 * media picker and front-panel eject button.
 */
export class WdDriveList extends LitElement {
  static override styles = styles;
  static override properties = {
    recorders: { attribute: false },
    selectedId: { attribute: 'selected-id' },
    usbSupported: { type: Boolean, attribute: 'usb-supported' },
    connecting: { type: Boolean },
    virtualState: { attribute: false },
    virtualBusy: { type: Boolean, attribute: 'virtual-busy' },
    virtualLoading: { type: Boolean, attribute: 'virtual-loading' },
    error: { attribute: false },
    choice: { state: true },
  };

  declare recorders: readonly RecorderSummary[];
  declare selectedId: string;
  declare usbSupported: boolean;
  declare connecting: boolean;
  declare virtualState: VirtualDriveState | null;
  /** An insert or eject-button press is running. */
  declare virtualBusy: boolean;
  /** virtualState() is being read. */
  declare virtualLoading: boolean;
  declare error: ErrorValue | null;
  /** The medium chosen in the picker (defaults to the one in the drive). */
  declare choice: string | null;

  constructor() {
    super();
    this.recorders = [];
    this.selectedId = VIRTUAL_ID;
    this.usbSupported = false;
    this.connecting = false;
    this.virtualState = null;
    this.virtualBusy = false;
    this.virtualLoading = false;
    this.error = null;
    this.choice = null;
  }

  #describe(r: RecorderSummary): string {
    if (r.kind === 'virtual') return 'Simulated drive in this browser';
    const ids = `USB ${hex4(r.vendorId)}:${hex4(r.productId)}`;
    return r.serial ? `${ids} · serial ${r.serial}` : ids;
  }

  #onSelect(e: Event) {
    const input = e.target as HTMLInputElement;
    if (input.checked) this.dispatchEvent(new WdSelectDriveEvent(input.value));
  }

  #insert() {
    const name = this.choice ?? this.virtualState?.media;
    if (name) this.dispatchEvent(new WdInsertMediaEvent(name));
  }

  #insertImage(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that picking the same file again is a change too.
    input.value = '';
    if (file) this.dispatchEvent(new WdInsertImageEvent(file));
  }

  #virtualControls() {
    const v = this.virtualState;
    const names = v?.mediaNames ?? [];
    const chosen = this.choice ?? v?.media ?? '';
    return html`
      <div class="virtual" data-testid="virtual-controls">
        <h3 id="vh">Virtual recorder</h3>
        <p class="muted" data-testid="virtual-media">
          ${
            v
              ? html`In the drive: <strong>${virtualMediaLabel(v.media)}</strong>; tray
                  ${v.trayOpen ? 'open' : 'closed'}${
                    v.prevent ? ', locked' : ''
                  }${v.mountedByOs ? ', mounted by the OS' : ''}.`
              : this.virtualLoading
                ? 'Reading the virtual drive…'
                : 'The virtual drive did not answer.'
          }
        </p>
        <div class="row">
          <label for="media">Medium</label>
          <select
            id="media"
            ?disabled=${names.length === 0}
            @change=${(e: Event) => (this.choice = (e.target as HTMLSelectElement).value)}
          >
            ${names.map(
              (n) =>
                html`<option value=${n} ?selected=${n === chosen}>${virtualMediaLabel(n)}</option>`,
            )}
          </select>
          <button
            class="primary"
            ?disabled=${names.length === 0 || this.virtualBusy}
            @click=${this.#insert}
          >
            Insert
          </button>
        </div>
        <div class="row">
          <!-- A finished disc from an image someone has, to browse, save or copy it. -->
          <button
            data-testid="insert-image"
            ?disabled=${this.virtualBusy}
            @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#image-input')?.click()}
          >
            Insert an image as a disc…
          </button>
          <input
            id="image-input"
            class="hidden-input"
            type="file"
            tabindex="-1"
            aria-hidden="true"
            accept=".iso,.img,.udf,application/x-iso9660-image"
            @change=${this.#insertImage}
          />
        </div>
        <div class="row">
          <button
            ?disabled=${this.virtualBusy}
            @click=${() => this.dispatchEvent(new WdVirtualEjectButtonEvent())}
          >
            Press the drive's eject button
          </button>
        </div>
      </div>
    `;
  }

  override render() {
    const selected = this.recorders.find((r) => r.id === this.selectedId);
    return html`
      <section class="panel" aria-labelledby="h">
        <h2 id="h">Drives</h2>
        <fieldset>
          <legend class="visually-hidden">Drive to use</legend>
          ${this.recorders.map(
            (r, i) => html`
              <label class="drive" data-recorder=${r.id}>
                <input
                  type="radio"
                  name="drive"
                  .value=${r.id}
                  .checked=${r.id === this.selectedId}
                  @change=${this.#onSelect}
                  aria-describedby=${`meta-${i}`}
                />
                <span class="name">${r.name}</span>
                <span class="meta" id=${`meta-${i}`}>${this.#describe(r)}</span>
              </label>
            `,
          )}
        </fieldset>
        <div class="row">
          <button
            class="primary"
            ?disabled=${!this.usbSupported || this.connecting}
            @click=${() => this.dispatchEvent(new WdConnectUsbEvent())}
          >
            ${this.connecting ? 'Connecting…' : 'Connect a USB drive'}
          </button>
        </div>
        ${
          this.usbSupported
            ? nothing
            : html`<p class="muted">
                This browser has no WebUSB. Use Chrome or Edge on a computer, or the
                <code>webdisc</code> command-line tool.
              </p>`
        }
        <wd-error-view .error=${this.error} label="Drives"></wd-error-view>
        ${selected?.kind === 'virtual' ? this.#virtualControls() : nothing}
      </section>
    `;
  }
}

customElements.define('wd-drive-list', WdDriveList);

declare global {
  interface HTMLElementTagNameMap {
    'wd-drive-list': WdDriveList;
  }
}
