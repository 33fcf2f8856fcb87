import { LitElement, html } from 'lit';
import type { SelfTestResult } from '../../../worker/api.ts';
import { styles } from './wd-app.styles.ts';

export interface SelfTestSource {
  selfTest(tag: number): Promise<SelfTestResult>;
}

/** The application shell. */
export class WdApp extends LitElement {
  static override styles = styles;
  static override properties = {
    result: { state: true },
    error: { state: true },
  };

  declare result: SelfTestResult | undefined;
  declare error: string | undefined;
  /** Injected by main.ts (the Comlink proxy) or by tests (a fake). */
  source: SelfTestSource | undefined;

  constructor() {
    super();
    this.result = undefined;
    this.error = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    if (!this.source) return;
    try {
      this.result = await this.source.selfTest(0x2a);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  override render() {
    return html`
      <h1>webdisc</h1>
      <section aria-label="Worker self-test">
        ${
          this.error
            ? html`<p role="alert">Worker failed: ${this.error}</p>`
            : this.result
              ? html`<p>
                  CBW from the worker: <code data-testid="cbw">${this.result.cbwHex}</code>
                  (tag ${this.result.decodedTag},
                  <span data-testid="roundtrip"
                    >${this.result.roundTrip ? 'round trip ok' : 'round trip FAILED'}</span
                  >)
                </p>`
              : html`<p>Starting the recorder service…</p>`
        }
      </section>
    `;
  }
}

customElements.define('wd-app', WdApp);

declare global {
  interface HTMLElementTagNameMap {
    'wd-app': WdApp;
  }
}
