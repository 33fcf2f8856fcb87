import type { Sense } from '../../contract/api.ts';

/** SPC-4 Table 48 sense key names. */
const SENSE_KEYS: readonly string[] = [
  'NO SENSE',
  'RECOVERED ERROR',
  'NOT READY',
  'MEDIUM ERROR',
  'HARDWARE ERROR',
  'ILLEGAL REQUEST',
  'UNIT ATTENTION',
  'DATA PROTECT',
  'BLANK CHECK',
  'VENDOR SPECIFIC',
  'COPY ABORTED',
  'ABORTED COMMAND',
  'RESERVED',
  'VOLUME OVERFLOW',
  'MISCOMPARE',
  'COMPLETED',
];

export function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0') + 'h';
}

export function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** "ILLEGAL REQUEST (5h), ASC 24h, ASCQ 00h". */
export function formatSense(sense: Sense): string {
  const key = SENSE_KEYS[sense.key & 0x0f] ?? 'UNKNOWN';
  let text = `${key} (${(sense.key & 0x0f).toString(16).toUpperCase()}h), ASC ${hex2(sense.asc)}, ASCQ ${hex2(sense.ascq)}`;
  if (sense.progress !== undefined)
    text += `, progress ${Math.round((sense.progress / 65536) * 100)}%`;
  if (sense.information !== undefined) text += `, information ${sense.information}`;
  return text;
}

/** "12 34 56": a CDB's hex with a space between bytes. */
export function spacedHex(hex: string): string {
  return (hex.replace(/\s+/g, '').match(/../g) ?? []).join(' ').toUpperCase();
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Decimal units as disc makers print them: 4.7 GB for a DVD±R. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** "1:05", "1:02:03"; "–" for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '–';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "0.4 ms", "12 ms", "1.20 s". */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** "12:34:56.789" in local time. */
export function formatClock(time: number): string {
  const d = new Date(time);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A FeatureInfo / ModePageInfo field value for display. */
export function formatField(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** "bufferSizeKiB" -> "Buffer size KiB", "lock_state" -> "Lock state", "LBAStart" -> "LBA start". */
export function humanize(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])(?=[A-Z][a-z])/g, '$1 ')
    .replace(/([a-z0-9])(?=[A-Z]{2,})/g, '$1 ')
    .replace(/([A-Z]+)(?=[A-Z][a-z])/g, '$1 ')
    .trim()
    .split(/\s+/)
    .map((w, i) => (i > 0 && /^[A-Z][a-z]+$/.test(w) ? w.toLowerCase() : w));
  const first = words[0] ?? '';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}
