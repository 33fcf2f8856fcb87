import { LitElement, html, nothing } from 'lit';
import { formatLogLine, type LogLine } from '../../lib/operation-log.ts';
import { styles } from './wd-operation-log.styles.ts';

export type ClipboardLike = Pick<Clipboard, 'writeText'>;

/** Hands `text` to the person as a file named `name` (a Blob URL download). */
export type SaveText = (name: string, text: string) => void;

/**
 * The operation log (lib/operation-log.ts), one ImgBurn-style line each
 * (`I 20:51:03 Operation started: Burn!`): what each job did, on which drive
 * and disc, at what speed, how it ended and its checksums. Copy puts it on the
 * clipboard and Save downloads it as a .txt file, for a person's records or
 * a bug report beside the command trace.
 */
export class WdOperationLog extends LitElement {
  static override styles = styles;
  static override properties = {
    lines: { attribute: false },
    dropped: { type: Number },
    message: { state: true },
  };

  declare lines: readonly LogLine[];
  /** Lines the bounded log dropped (oldest first). */
  declare dropped: number;
  declare message: string;
  /** Header lines for the copied or saved text (the browser, the drive). */
  about: readonly string[] = [];
  /** Injected by tests; navigator.clipboard otherwise. */
  clipboard: ClipboardLike | undefined;
  /** Injected by tests; a download through a Blob URL otherwise. */
  saveText: SaveText | undefined;

  constructor() {
    super();
    this.lines = [];
    this.dropped = 0;
    this.message = '';
    this.clipboard = undefined;
    this.saveText = undefined;
  }

  /** The text Copy and Save produce. */
  text(): string {
    return (
      [
        'webdisc operation log',
        ...this.about,
        ...(this.dropped ? [`(${this.dropped} older lines were dropped)`] : []),
        '',
        ...this.lines.map(formatLogLine),
      ].join('\n') + '\n'
    );
  }

  async #copy() {
    const clipboard = this.clipboard ?? navigator.clipboard;
    try {
      await clipboard.writeText(this.text());
      this.message = `Copied ${this.lines.length} lines to the clipboard.`;
    } catch (error) {
      this.message = `Could not copy: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  #download: SaveText = (name, text) => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    // The download has started by then; the URL is not needed after.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  #save() {
    const name = `webdisc-log-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`;
    (this.saveText ?? this.#download)(name, this.text());
    this.message = `Saved the log as ${name}.`;
  }

  override render() {
    const empty = this.lines.length === 0;
    return html`
      <section class="panel" aria-labelledby="h">
        <h2 id="h">Operation log</h2>
        <div class="row">
          <button ?disabled=${empty} @click=${this.#copy}>Copy log</button>
          <button ?disabled=${empty} @click=${this.#save}>Save log…</button>
        </div>
        <p role="status" data-testid="log-status">${this.message}</p>
        ${
          empty
            ? html`<p class="muted" data-testid="log-empty">
                Nothing done yet. Each burn, erase, save, verify and copy is written here.
              </p>`
            : html`<ol
                class="log"
                tabindex="0"
                aria-label="Log lines, oldest first"
                data-testid="log-lines"
              >
                ${
                  this.dropped
                    ? html`<li class="muted">${this.dropped} older lines were dropped.</li>`
                    : nothing
                }
                ${this.lines.map(
                  (l) => html`<li class=${`level-${l.level}`}>${formatLogLine(l)}</li>`,
                )}
              </ol>`
        }
      </section>
    `;
  }
}

customElements.define('wd-operation-log', WdOperationLog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-operation-log': WdOperationLog;
  }
}
