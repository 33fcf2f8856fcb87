import { LitElement, html, nothing } from 'lit';
import type { ErrorValue } from '../../../contract/api.ts';
import { formatHResult } from '../../../contract/hresult.ts';
import { formatSense } from '../../lib/format.ts';
import { styles } from './wd-error-view.styles.ts';

/**
 * An ErrorValue in words: what failed, the message, the HRESULT name and
 * code (0xC0AA0210), and the decoded SCSI sense when a command failed.
 */
export class WdErrorView extends LitElement {
  static override styles = styles;
  static override properties = {
    error: { attribute: false },
    label: {},
  };

  declare error: ErrorValue | null;
  /** What was attempted, e.g. "Eject refused". */
  declare label: string;

  constructor() {
    super();
    this.error = null;
    this.label = 'Error';
  }

  override render() {
    const e = this.error;
    if (!e) return nothing;
    return html`
      <div class="error" role="alert">
        <p><span class="label">${this.label}:</span> ${e.message}</p>
        <p class="codes">
          <code data-testid="error-name">${e.name}</code>
          <code data-testid="error-hresult">${formatHResult(e.hresult)}</code>
          ${
            e.sense
              ? html`<span data-testid="error-sense">Sense: ${formatSense(e.sense)}</span>`
              : nothing
          }
        </p>
      </div>
    `;
  }
}

customElements.define('wd-error-view', WdErrorView);

declare global {
  interface HTMLElementTagNameMap {
    'wd-error-view': WdErrorView;
  }
}
