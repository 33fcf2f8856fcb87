import { LitElement, css, html, nothing } from 'lit';
import { formatBytes } from '../../lib/format.ts';
import { controls, theme } from '../../styles/theme.ts';

/** The copy panel's buttons: burn the kept copy, or throw it away. */
export class WdCopyActionEvent extends Event {
  static readonly type = 'wd-copy-action';
  constructor(readonly action: 'burn' | 'discard') {
    super(WdCopyActionEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-copy-action': WdCopyActionEvent;
  }
}

/**
 * "Copy disc…" with one drive (issue 17): once the disc is read into a
 * temporary copy (OPFS), this says so and waits for the blank disc: "Burn
 * the copy…" opens the burn dialog with it (its checks, options and full
 * verification), "Discard the copy" forgets it.
 */
export class WdCopyPanel extends LitElement {
  static override styles = [
    theme,
    controls,
    css`
      :host {
        display: block;
      }
      :host([hidden]) {
        display: none;
      }
    `,
  ];
  static override properties = {
    file: { attribute: false },
    busy: { type: Boolean },
  };

  /** The copy, or null when there is none. */
  declare file: File | null;
  declare busy: boolean;

  constructor() {
    super();
    this.file = null;
    this.busy = false;
  }

  override render() {
    const f = this.file;
    if (!f) return nothing;
    return html`<section class="panel" aria-labelledby="copy-h" data-testid="copy-panel">
      <h2 id="copy-h">Copy of the disc</h2>
      <p role="status" data-testid="copy-status">
        The disc is read into a temporary copy (${formatBytes(f.size)}). Insert a blank disc, then
        burn the copy; full verification proves the new disc holds it.
      </p>
      <div class="row actions">
        <button
          class="primary"
          ?disabled=${this.busy}
          @click=${() => this.dispatchEvent(new WdCopyActionEvent('burn'))}
        >
          Burn the copy…
        </button>
        <button @click=${() => this.dispatchEvent(new WdCopyActionEvent('discard'))}>
          Discard the copy
        </button>
      </div>
    </section>`;
  }
}

customElements.define('wd-copy-panel', WdCopyPanel);

declare global {
  interface HTMLElementTagNameMap {
    'wd-copy-panel': WdCopyPanel;
  }
}
