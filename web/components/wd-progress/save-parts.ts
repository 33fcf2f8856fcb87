/**
 * The progress panel's parts for "Save disc as image…" (issue 17): the
 * reading facts while it runs (position, speed, unreadable sectors so far)
 * and the result (hashes, the unreadable sectors, the rescue map as a
 * download beside the image).
 */
import { html, nothing } from 'lit';
import type { CopyReport, Progress, SavedImage } from '../../../contract/api.ts';
import { formatBytes, formatMs, formatDuration } from '../../lib/format.ts';
import type { CopyOperation, SaveOperation } from '../../lib/operations.ts';
import { mapFileName } from '../../lib/save-disc.ts';

const lba = (n: number) => n.toLocaleString('en-US');

/** "12.3 MB/s". */
export function speedWords(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond ? `${(bytesPerSecond / 1e6).toFixed(1)} MB/s` : 'measuring…';
}

/** While reading: where it is, how fast, and what could not be read so far. */
export function readingFacts(p: Progress) {
  if (p.action !== 'reading' || p.position === undefined) return nothing;
  const end =
    p.startLba !== undefined && p.sectorCount !== undefined
      ? ` of ${lba(p.startLba + Math.max(p.sectorCount, 1) - 1)}`
      : '';
  return html`<dt>Position</dt>
    <dd data-testid="progress-position">LBA ${lba(p.position)}${end}</dd>
    <dt>Speed</dt>
    <dd data-testid="progress-speed">${speedWords(p.bytesPerSecond)}</dd>
    <dt>Unreadable</dt>
    <dd data-testid="progress-bad">
      ${p.badSectors ? `${lba(p.badSectors)} sectors so far` : 'none so far'}
    </dd>`;
}

function ranges(report: SavedImage): string {
  const shown = report.badRanges
    .slice(0, 8)
    .map((r) => (r.count === 1 ? lba(r.start) : `${lba(r.start)}–${lba(r.start + r.count - 1)}`));
  const more = report.badRanges.length - shown.length;
  return `LBA ${shown.join(', ')}${more > 0 ? ` and ${more} more ranges` : ''}`;
}

/** The finished save: what was saved where, its hashes, and what could not be read. */
export function saveSuccess(
  op: SaveOperation,
  report: SavedImage,
  downloadMap: (text: string, name: string) => void,
) {
  const seconds = Math.max(report.durationMs, 1) / 1000;
  const speed = (report.sectorsRead * 2048) / seconds;
  return html`<p class="headline" role="status" data-testid="result-headline">
      Save completed${report.badSectors ? ' with unreadable sectors' : ''}
    </p>
    <dl class="facts">
      <dt>Saved</dt>
      <dd data-testid="result-sectors">
        ${lba(report.sectors)} sectors (${formatBytes(report.bytes)}) from LBA
        ${lba(report.startLba)}
      </dd>
      <dt>Image</dt>
      <dd data-testid="result-file">
        ${op.fileName}${
          op.delivered === 'downloaded'
            ? ' (downloaded)'
            : op.delivered === 'kept'
              ? ' (a temporary copy, to burn)'
              : ''
        }
      </dd>
      ${
        report.sha256
          ? html`<dt>SHA-256</dt>
              <dd><code class="hash" data-testid="result-sha256">${report.sha256}</code></dd>
              <dt>MD5</dt>
              <dd><code class="hash" data-testid="result-md5">${report.md5}</code></dd>`
          : nothing
      }
      <dt>Unreadable</dt>
      <dd data-testid="result-bad">
        ${
          report.badSectors
            ? `${lba(report.badSectors)} sectors, zero-filled in the image: ${ranges(report)}`
            : 'none: every sector was read'
        }
      </dd>
      <dt>Took</dt>
      <dd>
        ${report.durationMs < 10_000 ? formatMs(report.durationMs) : formatDuration(report.durationMs)}
        (${speedWords(speed)})
      </dd>
    </dl>
    ${
      report.map
        ? html`<p>
            <button
              type="button"
              data-testid="result-map"
              @click=${() => downloadMap(report.map!, mapFileName(op.fileName))}
            >
              Download the rescue map (${mapFileName(op.fileName)})
            </button>
            <span class="help"
              >GNU ddrescue's format: which sectors the image lacks, for another try.</span
            >
          </p>`
        : nothing
    }`;
}

/** A copy onto another drive: what was read (its hashes) and what was written (verified). */
export function copySuccess(op: CopyOperation, report: CopyReport) {
  const { save, burn } = report;
  const verified = burn.sha256
    ? 'every sector read back; the SHA-256 matches the disc read'
    : burn.verify === 'quick'
      ? 'a sample of sectors read back and compared'
      : 'no';
  return html`<p class="headline" role="status" data-testid="result-headline">Copy completed</p>
    <dl class="facts">
      <dt>Read</dt>
      <dd data-testid="result-read">
        ${lba(save.sectors)} sectors (${formatBytes(save.bytes)}) from LBA ${lba(save.startLba)}
      </dd>
      <dt>Written</dt>
      <dd data-testid="result-sectors">
        ${lba(burn.sectorCount)} sectors to the disc in ${op.toName}
      </dd>
      <dt>Verified</dt>
      <dd data-testid="result-verify">${verified}</dd>
      ${
        save.sha256
          ? html`<dt>SHA-256</dt>
              <dd><code class="hash" data-testid="result-sha256">${save.sha256}</code></dd>`
          : nothing
      }
      <dt>Took</dt>
      <dd>${formatDuration(Math.max(save.durationMs, burn.durationMs))}</dd>
    </dl>`;
}
