import { LitElement, html, nothing } from 'lit';
import { WdDismissEvent, WdReloadEvent } from '../../lib/events.ts';
import { styles } from './wd-update-banner.styles.ts';

/**
 * "Update available": the service worker has a new version waiting. Reload
 * activates it (the app calls the updateSW function of virtual:pwa-register);
 * Later hides the banner until the next visit.
 */
export class WdUpdateBanner extends LitElement {
  static override styles = styles;
  static override properties = {
    open: { type: Boolean, reflect: true },
    reloading: { type: Boolean },
  };

  declare open: boolean;
  declare reloading: boolean;

  constructor() {
    super();
    this.open = false;
    this.reloading = false;
  }

  override render() {
    if (!this.open) return nothing;
    return html`
      <section class="banner" aria-labelledby="t" data-testid="update-banner">
        <p id="t" role="status">
          <strong>Update available.</strong> A new version of webdisc is ready.
        </p>
        <div class="row">
          <button
            class="primary"
            ?disabled=${this.reloading}
            @click=${() => this.dispatchEvent(new WdReloadEvent())}
          >
            ${this.reloading ? 'Reloading…' : 'Reload'}
          </button>
          <button @click=${() => this.dispatchEvent(new WdDismissEvent())}>Later</button>
        </div>
      </section>
    `;
  }
}

customElements.define('wd-update-banner', WdUpdateBanner);

declare global {
  interface HTMLElementTagNameMap {
    'wd-update-banner': WdUpdateBanner;
  }
}
