import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type {
  BurnReport,
  EraseReport,
  ErrorValue,
  MediaState,
  OperationFailure,
  Progress,
} from '../../../contract/api.ts';
import { SECTOR_BYTES, speedWords as writeSpeedWords } from '../../../contract/profiles.ts';
import { ClockController } from '../../controllers/clock.ts';
import { WdCancelEvent, WdClearResultEvent, WdResumeSaveEvent } from '../../lib/events.ts';
import { formatBytes, formatDuration, formatMs } from '../../lib/format.ts';
import { describeMedia, speedLabel } from '../../lib/media.ts';
import {
  E_IMAPI_REQUEST_CANCELLED,
  actionWords,
  operationNoun,
  type BurnOperation,
  type Operation,
  type SaveOperation,
} from '../../lib/operations.ts';
import '../wd-error-view/wd-error-view.ts';
import { pageSaveEnv } from '../../lib/save-iso.ts';
import { copySuccess, readingFacts, saveSuccess } from './save-parts.ts';
import { styles } from './wd-progress.styles.ts';

const WRITE_TYPE_WORDS: Readonly<Record<BurnReport['writeType'], string>> = {
  tao: 'track-at-once (TAO)',
  sao: 'session-at-once (SAO)',
  dao: 'disc-at-once (DAO)',
  incremental: 'incremental',
  random: 'random access (in place)',
};

const ERASE_METHOD_WORDS: Readonly<Record<EraseReport['method'], string>> = {
  'blank-minimal': 'quick blank',
  'blank-full': 'full blank',
  format: 'format',
};

/** "CD-R, appendable (open session); 1 session; 699 MB free". */
function discWords(d: MediaState): string {
  if (!d.present) return describeMedia(d);
  const sessions = `${d.sessions} session${d.sessions === 1 ? '' : 's'}`;
  return `${describeMedia(d)}; ${sessions}; ${formatBytes(d.freeBlocks * d.blockSize)} free`;
}

const lba = (n: number) => n.toLocaleString('en-US');

/** "850 ms", "4.20 s", then "1:05": a quick burn on the virtual drive is not "0:00". */
const took = (ms: number) => (ms < 10_000 ? formatMs(ms) : formatDuration(ms));

/**
 * Progress of a long operation (erase, burn), from 'progress' events: a
 * progress bar, the current action, elapsed and remaining time (kept moving
 * between events), the burn's sectors and drive buffer, and Cancel, which
 * emits a WdCancelEvent. When the operation ends, its result: what was
 * written and verified (the image's SHA-256) and the disc afterwards, or the
 * error with the last written LBA, the first bad LBA and the state the disc
 * was left in; Dismiss (WdClearResultEvent) puts it away.
 */
export class WdProgress extends LitElement {
  static override styles = styles;
  static override properties = {
    recorderId: { attribute: 'recorder-id' },
    progress: { attribute: false },
    cancelling: { type: Boolean },
    error: { attribute: false },
    operation: { attribute: false },
  };

  declare recorderId: string;
  declare progress: Progress | null;
  declare cancelling: boolean;
  declare error: ErrorValue | null;
  /** The erase or burn this session runs or ran (the controller's record), or null. */
  declare operation: Operation | null;
  readonly #clock = new ClockController(this);
  /** When the current `progress` arrived (performance.now()). */
  #receivedAt = 0;

  constructor() {
    super();
    this.recorderId = '';
    this.progress = null;
    this.cancelling = false;
    this.error = null;
    this.operation = null;
  }

  get done(): boolean {
    return this.progress?.fraction === 1;
  }

  /** Progress is live: not finished, and the operation (when known) has not ended. */
  get #live(): boolean {
    return this.progress !== null && !this.done && (this.operation?.running ?? true);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('progress')) this.#receivedAt = this.#clock.now();
    if (changed.has('progress') || changed.has('operation')) this.#clock.running = this.#live;
  }

  /** Moves focus to the panel's heading, so a screen reader follows an operation that starts. */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('#h')?.focus();
  }

  #cancel() {
    this.dispatchEvent(new WdCancelEvent(this.recorderId));
  }

  #dismiss() {
    this.dispatchEvent(new WdClearResultEvent(this.recorderId));
  }

  override render() {
    const p = this.progress;
    const op = this.operation;
    const ended = op !== null && !op.running;
    return html`
      <section class="panel" aria-labelledby="h">
        <h2 id="h" tabindex="-1">Progress</h2>
        ${op ? html`<p class="title" data-testid="operation-title">${op.title}</p>` : nothing}
        ${
          ended
            ? this.#result(op)
            : p
              ? this.#running(p)
              : op
                ? html`<p class="muted" role="status">Starting…</p>`
                : html`<p class="muted">No operation is running.</p>`
        }
        <wd-error-view .error=${this.error} label="Cancel"></wd-error-view>
      </section>
    `;
  }

  #result(op: Operation) {
    const r = op.result;
    if (!r) return nothing;
    return html`<div class=${r.ok ? 'result ok' : 'result failed'} data-testid="result">
      ${r.ok ? this.#success(op) : this.#failure(op, r.error)}
      <button type="button" @click=${this.#dismiss}>Dismiss</button>
    </div>`;
  }

  #success(op: Operation) {
    const noun = operationNoun(op);
    if (op.kind === 'erase') {
      const report = op.result?.ok ? op.result.value : null;
      if (!report) return nothing;
      return html`<p class="headline" role="status" data-testid="result-headline">
          ${noun} completed
        </p>
        <dl class="facts">
          <dt>Method</dt>
          <dd>${ERASE_METHOD_WORDS[report.method]}</dd>
          <dt>Took</dt>
          <dd>${took(report.durationMs)}</dd>
          <dt>Disc now</dt>
          <dd data-testid="result-disc">${discWords(report.disc)}</dd>
        </dl>`;
    }
    if (op.kind === 'copy') {
      const copied = op.result?.ok ? op.result.value : null;
      return copied ? copySuccess(op, copied) : nothing;
    }
    if (op.kind === 'save') {
      const saved = op.result?.ok ? op.result.value : null;
      return saved
        ? saveSuccess(op, saved, (text, name) => this.#downloadMap(text, name))
        : nothing;
    }
    const report = op.result?.ok ? op.result.value : null;
    if (!report) return nothing;
    return html`<p class="headline" role="status" data-testid="result-headline">
        ${
          report.verifyCancelled
            ? 'Written; verification cancelled'
            : `${noun} completed${report.simulated ? ': nothing was written' : ''}`
        }
      </p>
      <dl class="facts">
        <dt>${report.simulated ? 'Rehearsed' : 'Written'}</dt>
        <dd data-testid="result-sectors">
          ${lba(report.sectorCount)} sectors
          (${formatBytes(report.sectorCount * SECTOR_BYTES)})${
            report.lastWrittenLba !== null
              ? `, LBA ${lba(report.startLba)} to ${lba(report.lastWrittenLba)}`
              : ''
          }
        </dd>
        <dt>Verified</dt>
        <dd data-testid="result-verify">${this.#verifyWords(op, report)}</dd>
        ${
          report.sha256
            ? html`<dt>SHA-256</dt>
                <dd><code class="hash" data-testid="result-sha256">${report.sha256}</code></dd>`
            : nothing
        }
        <dt>Write mode</dt>
        <dd>${WRITE_TYPE_WORDS[report.writeType]}</dd>
        <dt>Speed</dt>
        <dd>
          ${
            report.speedKBps === null
              ? "maximum (the drive's choice)"
              : speedLabel(report.speedKBps, report.disc)
          }
        </dd>
        <dt>Took</dt>
        <dd>${took(report.durationMs)}</dd>
        <dt>Disc now</dt>
        <dd data-testid="result-disc">
          ${discWords(report.disc)}${report.closed && !report.simulated ? ' (closed)' : ''}
        </dd>
      </dl>`;
  }

  /** The rescue map beside the image (tests replace it). */
  downloadMap = (text: string, name: string): void => {
    pageSaveEnv().download(new Blob([text], { type: 'text/plain' }), name);
  };

  #downloadMap(text: string, name: string): void {
    this.downloadMap(text, name);
  }

  #verifyWords(op: BurnOperation, report: BurnReport): string {
    if (report.simulated) return 'no (test write)';
    // Issue 19, defect 4: every sector was written and the disc closed as asked;
    // only the read-back was stopped, so the burn did not fail.
    if (report.verifyCancelled)
      return 'no: you cancelled the verification (every sector was written)';
    if (report.verify === 'full')
      return report.sha256
        ? 'every sector read back; the SHA-256 of the disc matches the image'
        : 'every sector read back and compared';
    if (report.verify === 'quick') return 'a sample of sectors read back and compared';
    return op.options.verify === 'none' || op.options.verify === undefined ? 'no' : 'skipped';
  }

  #failure(op: Operation, error: OperationFailure) {
    const cancelled = error.name === E_IMAPI_REQUEST_CANCELLED;
    const noun = operationNoun(op);
    const headline = cancelled ? `${noun} cancelled` : `${noun} failed`;
    return html`<p class="headline" data-testid="result-headline">${headline}</p>
      <wd-error-view .error=${error} label="Reason"></wd-error-view>
      <dl class="facts">
        ${
          op.kind === 'burn' || op.kind === 'copy'
            ? html`<dt>Last written LBA</dt>
                <dd data-testid="result-last-lba">
                  ${error.lastWrittenLba === null ? 'none: nothing was written' : lba(error.lastWrittenLba)}
                </dd>`
            : nothing
        }
        ${
          error.firstBadLba !== null
            ? html`<dt>First bad LBA</dt>
                <dd data-testid="result-bad-lba">${lba(error.firstBadLba)}</dd>`
            : nothing
        }
        <dt>Disc left</dt>
        <dd data-testid="result-disc">
          ${error.disc ? discWords(error.disc) : 'unknown (see the Media panel)'}
        </dd>
      </dl>
      ${op.kind === 'save' && error.resumable ? this.#resume(op, error, error.resumable) : nothing}`;
  }

  /**
   * A save that stopped part way keeps what it read (not in the file yet):
   * Resume reads only the rest; past an unreadable sector it may go on with
   * that sector zero-filled. Dismiss gives it up (the file stays as it was).
   */
  #resume(
    op: SaveOperation,
    error: OperationFailure,
    kept: NonNullable<OperationFailure['resumable']>,
  ) {
    const resume = (continuePastErrors: boolean) =>
      this.dispatchEvent(new WdResumeSaveEvent(this.recorderId, continuePastErrors));
    const unreadable = error.firstBadLba !== null && !op.options.continuePastErrors;
    return html`<p data-testid="result-resumable">
        ${lba(kept.readSectors)} of ${lba(kept.totalSectors)} sectors are read and kept;
        ${op.fileName} is not written until the save ends. Resume reads only the rest (the same disc
        must be in the drive); Dismiss gives the save up.
      </p>
      <p class="resume">
        <button type="button" @click=${() => resume(Boolean(op.options.continuePastErrors))}>
          Resume
        </button>
        ${
          unreadable
            ? html`<button type="button" @click=${() => resume(true)}>
                Resume past unreadable sectors
              </button>`
            : nothing
        }
      </p>`;
  }

  /** What a burn adds (IDiscFormat2DataEventArgs): sectors written, LBAs, the speed used and the drive's buffer. */
  #burnFacts(p: Progress) {
    const written =
      p.sectorCount !== undefined && p.lastWrittenLba !== undefined && p.lastWrittenLba !== null
        ? Math.max(0, p.lastWrittenLba - (p.startLba ?? 0) + 1)
        : null;
    return html`
      ${
        p.startLba !== undefined && p.sectorCount !== undefined
          ? html`<dt>LBAs</dt>
              <dd data-testid="progress-lbas">
                ${lba(p.startLba)} to ${lba(p.startLba + Math.max(p.sectorCount, 1) - 1)}; last
                written
                ${p.lastWrittenLba === null || p.lastWrittenLba === undefined ? 'none yet' : lba(p.lastWrittenLba)}
              </dd>`
          : nothing
      }
      ${
        written !== null && p.sectorCount !== undefined
          ? html`<dt>Sectors</dt>
              <dd data-testid="progress-sectors">
                ${written.toLocaleString()} of ${p.sectorCount.toLocaleString()}
              </dd>`
          : nothing
      }
      ${
        p.writeSpeedKBps !== undefined && p.writeSpeedKBps !== null
          ? html`<dt>Speed</dt>
              <dd data-testid="progress-write-speed">
                ${writeSpeedWords(p.writeSpeedKBps, p.physicalType ?? '')}
              </dd>`
          : nothing
      }
      ${
        // Null: the drive reports no buffer; no row rather than a "0%" that never moves.
        p.bufferFill !== undefined && p.bufferFill !== null
          ? html`<dt>Drive buffer</dt>
              <dd data-testid="progress-buffer">${Math.round(p.bufferFill * 100)}%</dd>`
          : nothing
      }
    `;
  }

  #running(p: Progress) {
    const live = this.#live;
    const since = live ? Math.max(0, this.#clock.now() - this.#receivedAt) : 0;
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
          ${actionWords(p.action)}${this.done ? ' — done' : ''}
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
        ${p.action === 'reading' ? readingFacts(p) : this.#burnFacts(p)}
      </dl>
      ${
        live
          ? html`<button
              class="danger"
              ?disabled=${this.cancelling || !!this.operation?.cancelRequested}
              @click=${this.#cancel}
            >
              ${this.cancelling || this.operation?.cancelRequested ? 'Cancelling…' : 'Cancel'}
            </button>`
          : nothing
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
