import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { ErrorValue, ProgressInfo } from '../../../worker/api.ts';
import { ClockController } from '../../controllers/clock.ts';
import { WdCancelEvent } from '../../lib/events.ts';
import { formatDuration } from '../../lib/format.ts';
import '../wd-error-view/wd-error-view.ts';
import { styles } from './wd-progress.styles.ts';

/**
 * Progress of a long operation (erase, burn), from 'progress' events: a
 * progress bar, the current action, elapsed and remaining time (kept moving
 * between events), and Cancel, which emits a WdCancelEvent.
 */
export class WdProgress extends LitElement {
  static override styles = styles;
  static override properties = {
    recorderId: { attribute: 'recorder-id' },
    progress: { attribute: false },
    cancelling: { type: Boolean },
    error: { attribute: false },
  };

  declare recorderId: string;
  declare progress: ProgressInfo | null;
  declare cancelling: boolean;
  declare error: ErrorValue | null;
  readonly #clock = new ClockController(this);
  /** When the current `progress` arrived (performance.now()). */
  #receivedAt = 0;

  constructor() {
    super();
    this.recorderId = '';
    this.progress = null;
    this.cancelling = false;
    this.error = null;
  }

  get done(): boolean {
    return this.progress?.fraction === 1;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('progress')) {
      this.#receivedAt = this.#clock.now();
      this.#clock.running = this.progress !== null && !this.done;
    }
  }

  #cancel() {
    this.dispatchEvent(new WdCancelEvent(this.recorderId));
  }

  override render() {
    const p = this.progress;
    return html`
      <section class="panel" aria-labelledby="h">
        <h2 id="h">Progress</h2>
        ${p ? this.#running(p) : html`<p class="muted">No operation is running.</p>`}
        <wd-error-view .error=${this.error} label="Cancel"></wd-error-view>
      </section>
    `;
  }

  /** What a burn adds (IDiscFormat2DataEventArgs): sectors written and the drive's buffer. */
  #burnFacts(p: ProgressInfo) {
    const written =
      p.sectorCount !== undefined && p.lastWrittenLba !== undefined && p.lastWrittenLba !== null
        ? Math.max(0, p.lastWrittenLba - (p.startLba ?? 0) + 1)
        : null;
    return html`
      ${
        written !== null && p.sectorCount !== undefined
          ? html`<dt>Sectors</dt>
              <dd data-testid="progress-sectors">
                ${written.toLocaleString()} of ${p.sectorCount.toLocaleString()}
              </dd>`
          : nothing
      }
      ${
        p.bufferFill !== undefined && p.bufferFill !== null
          ? html`<dt>Drive buffer</dt>
              <dd data-testid="progress-buffer">${Math.round(p.bufferFill * 100)}%</dd>`
          : nothing
      }
    `;
  }

  #running(p: ProgressInfo) {
    const since = this.done ? 0 : Math.max(0, this.#clock.now() - this.#receivedAt);
    const elapsed = p.elapsedMs + since;
    const remaining = this.done
      ? 0
      : p.remainingMs === null
        ? null
        : Math.max(0, p.remainingMs - since);
    const percent = p.fraction === null ? null : Math.round(p.fraction * 1000) / 10;
    return html`
      <div class="line">
        <p class="action" id="action" data-testid="progress-action">
          ${p.action}${this.done ? ' — done' : ''}
        </p>
        <span class="percent" data-testid="progress-percent"
          >${percent === null ? 'working…' : `${percent}%`}</span
        >
      </div>
      ${
        p.fraction === null
          ? html`<progress aria-labelledby="action"></progress>`
          : html`<progress aria-labelledby="action" max="1" .value=${p.fraction}></progress>`
      }
      <dl class="facts">
        <dt>Elapsed</dt>
        <dd data-testid="progress-elapsed">${formatDuration(elapsed)}</dd>
        <dt>Remaining</dt>
        <dd data-testid="progress-remaining">
          ${remaining === null ? 'estimating…' : formatDuration(remaining)}
        </dd>
        ${this.#burnFacts(p)}
      </dl>
      ${
        this.done
          ? nothing
          : html`<button class="danger" ?disabled=${this.cancelling} @click=${this.#cancel}>
              ${this.cancelling ? 'Cancelling…' : 'Cancel'}
            </button>`
      }
    `;
  }
}

customElements.define('wd-progress', WdProgress);

declare global {
  interface HTMLElementTagNameMap {
    'wd-progress': WdProgress;
  }
}
