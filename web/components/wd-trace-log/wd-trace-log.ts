import { LitElement, html, nothing } from 'lit';
import type { TraceEntry } from '../../../contract/api.ts';
import { WdClearTraceEvent } from '../../lib/events.ts';
import { formatClock, formatMs, spacedHex } from '../../lib/format.ts';
import {
  dataColumn,
  senseColumn,
  statusText,
  traceMatches,
  traceText,
} from '../../lib/trace-format.ts';
import { styles } from './wd-trace-log.styles.ts';

/** Rows drawn at most; copy and export always take every matching entry. */
export const TRACE_ROWS_SHOWN = 300;

export type ClipboardLike = Pick<Clipboard, 'writeText'>;

/**
 * The command trace: every CDB sent (hex and decoded name), data phase,
 * status, decoded sense and duration, newest first. Filter, copy to the
 * clipboard, or export as a text file for a drive problem report.
 */
export class WdTraceLog extends LitElement {
  static override styles = styles;
  static override properties = {
    entries: { attribute: false },
    dropped: { type: Number },
    limit: { type: Number },
    filter: { state: true },
    message: { state: true },
  };

  declare entries: readonly TraceEntry[];
  /** Entries the bounded buffer has dropped (oldest first). */
  declare dropped: number;
  /** The buffer's bound, for the note. */
  declare limit: number;
  declare filter: string;
  declare message: string;
  /** Injected by tests; navigator.clipboard otherwise. */
  clipboard: ClipboardLike | undefined;
  /** Extra header lines for the exported file (drive identity, app version). */
  about: readonly string[] = [];

  constructor() {
    super();
    this.entries = [];
    this.dropped = 0;
    this.limit = 0;
    this.filter = '';
    this.message = '';
    this.clipboard = undefined;
  }

  get matching(): readonly TraceEntry[] {
    return this.filter ? this.entries.filter((e) => traceMatches(e, this.filter)) : this.entries;
  }

  /** The text that Copy and Export produce. */
  text(): string {
    return traceText(this.matching, [
      ...this.about,
      ...(this.filter ? [`Filter: ${this.filter}`] : []),
    ]);
  }

  async #copy() {
    const clipboard = this.clipboard ?? navigator.clipboard;
    const n = this.matching.length;
    try {
      await clipboard.writeText(this.text());
      this.message = `Copied ${n} command${n === 1 ? '' : 's'} to the clipboard.`;
    } catch (error) {
      this.message = `Could not copy: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Downloads the trace as webdisc-trace-<time>.txt through a Blob URL. */
  #export() {
    const blob = new Blob([this.text()], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `webdisc-trace-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`;
    a.hidden = true;
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.message = `Saved ${this.matching.length} commands as ${a.download}.`;
  }

  override render() {
    const matching = this.matching;
    const shown = matching.slice(-TRACE_ROWS_SHOWN).reverse();
    return html`
      <section class="panel" aria-labelledby="h">
        <h2 id="h">Command trace</h2>
        <div class="toolbar">
          <div class="filter">
            <label for="filter">Filter</label>
            <input
              id="filter"
              type="search"
              placeholder="e.g. READ, 5A, CHECK, 3A/00"
              .value=${this.filter}
              @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
            />
          </div>
          <button ?disabled=${matching.length === 0} @click=${this.#copy}>Copy</button>
          <button ?disabled=${matching.length === 0} @click=${this.#export}>
            Export as text file
          </button>
          <button
            ?disabled=${this.entries.length === 0}
            @click=${() => this.dispatchEvent(new WdClearTraceEvent())}
          >
            Clear
          </button>
        </div>
        <p class="muted" data-testid="trace-count">
          ${
            `${matching.length} of ${this.entries.length} commands${this.filter ? ' match' : ''}` +
            (matching.length > shown.length ? `; the newest ${shown.length} are shown` : '') +
            (this.dropped
              ? `; ${this.dropped} older ones were dropped (limit ${this.limit})`
              : '') +
            '.'
          }
        </p>
        <p role="status" data-testid="trace-status">${this.message}</p>
        ${
          shown.length
            ? html`<div
                class="log"
                role="region"
                aria-label="Commands, newest first"
                tabindex="0"
                data-testid="trace-rows"
              >
                <table>
                  <thead>
                    <tr>
                      <th scope="col" class="num">#</th>
                      <th scope="col">Time</th>
                      <th scope="col">Command</th>
                      <th scope="col">CDB</th>
                      <th scope="col">Data</th>
                      <th scope="col">Status</th>
                      <th scope="col">Sense</th>
                      <th scope="col" class="num">Duration</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${shown.map(
                      (e) =>
                        html`<tr class=${e.status}>
                          <td class="num">${e.seq}</td>
                          <td>${formatClock(e.time)}</td>
                          <td>${e.name}</td>
                          <td class="cdb">${spacedHex(e.cdbHex)}</td>
                          <td>${dataColumn(e)}</td>
                          <td class="status">${statusText(e)}</td>
                          <td class="sense">${senseColumn(e) || nothing}</td>
                          <td class="num">${formatMs(e.durationMs)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
            : html`<p class="muted">
                ${this.entries.length ? 'No command matches the filter.' : 'No commands sent yet.'}
              </p>`
        }
      </section>
    `;
  }
}

customElements.define('wd-trace-log', WdTraceLog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-trace-log': WdTraceLog;
  }
}
