import { LitElement, html, nothing } from 'lit';
import type { ErrorValue } from '../../../contract/api.ts';
import { errorWords } from '../../../contract/error-words.ts';
import { formatHResult } from '../../../contract/hresult.ts';
import { formatSense } from '../../lib/format.ts';
import { styles } from './wd-error-view.styles.ts';

/**
 * An ErrorValue, words first: what failed and a sentence a person
 * understands (contract/error-words.ts, with the lock owner's name for "in
 * use" errors), followed by the service's own message when it says more
 * (which file, which sector); then a details line for bug reports: the
 * HRESULT name and code (0xC0AA0210) and the decoded SCSI sense.
 */
export class WdErrorView extends LitElement {
  static override styles = styles;
  static override properties = {
    error: { attribute: false },
    label: {},
    owner: {},
  };

  declare error: ErrorValue | null;
  /** What was attempted, e.g. "Eject refused". */
  declare label: string;
  /** Who holds the drive, when known: "in use" errors name them. */
  declare owner: string;

  constructor() {
    super();
    this.error = null;
    this.label = 'Error';
    this.owner = '';
  }

  override render() {
    const e = this.error;
    if (!e) return nothing;
    const words = errorWords(e, { owner: this.owner });
    return html`
      <div class="error" role="alert">
        <p>
          <span class="label">${this.label}:</span>
          <span data-testid="error-words">${words}</span>
          ${
            e.message !== words
              ? html`<span class="said" data-testid="error-message">${e.message}</span>`
              : nothing
          }
        </p>
        <p class="codes" data-testid="error-details">
          <span>Details:</span>
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
