import type { TraceEntry } from '../../contract/api.ts';
import { formatClock, formatMs, formatSense, spacedHex } from './format.ts';

/** The status column: "good", "CHECK CONDITION", "error". */
export function statusText(e: TraceEntry): string {
  return e.status === 'check-condition' ? 'CHECK CONDITION' : e.status;
}

/** The sense column: the decoded text when the worker gave one, else key/ASC/ASCQ. */
export function senseColumn(e: TraceEntry): string {
  const parts: string[] = [];
  if (e.sense) parts.push(formatSense(e.sense));
  if (e.senseText) parts.push(e.senseText);
  if (e.error) parts.push(e.error);
  return parts.join(' — ');
}

export function dataColumn(e: TraceEntry): string {
  if (e.direction === 'none') return '–';
  return `${e.direction} ${e.transferred}/${e.length}`;
}

/**
 * One line per command, like ImgBurn's log:
 * `12:34:56.789 #42 READ CAPACITY [25 00 00 00 00 00 00 00 00 00] in 8/8 good 0.4 ms`
 */
export function traceLine(e: TraceEntry): string {
  const sense = senseColumn(e);
  return [
    formatClock(e.time),
    `#${e.seq}`,
    e.recorderId,
    e.name,
    `[${spacedHex(e.cdbHex)}]`,
    dataColumn(e),
    statusText(e),
    ...(sense ? [sense] : []),
    formatMs(e.durationMs),
  ].join('  ');
}

/** The text file people attach to a drive problem report. */
export function traceText(entries: readonly TraceEntry[], about: readonly string[] = []): string {
  const header = [
    'webdisc command trace',
    `Saved: ${new Date().toISOString()}`,
    ...about,
    `Commands: ${entries.length}`,
    'Columns: time  #seq  recorder  command  [CDB]  data in/out transferred/length  status  sense  duration',
    '',
  ];
  return header.concat(entries.map(traceLine)).join('\n') + '\n';
}

/** Every word of the filter must appear in the entry's name, CDB, status, sense or recorder. */
export function traceMatches(e: TraceEntry, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [
    e.name,
    e.cdbHex,
    spacedHex(e.cdbHex),
    statusText(e),
    senseColumn(e),
    e.recorderId,
    `#${e.seq}`,
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}
