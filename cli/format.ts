/** Human-readable and JSON renderings of CLI results. */
import { AccessProblem, type ErrorValue } from '../contract/errors.ts';
import { formatHResult } from '../contract/hresult.ts';
import type {
  LockState,
  MediaState,
  RawResult,
  RecorderInfo,
  RecorderSummary,
} from '../contract/api.ts';

/** yes / no, or unknown when the drive did not say. */
function yesNo(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

export function hexdump(bytes: Uint8Array, max = 512): string {
  const lines: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i += 16) {
    const row = bytes.subarray(i, Math.min(i + 16, bytes.length));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) =>
      b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.',
    ).join('');
    lines.push(`${i.toString(16).padStart(6, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes`);
  return lines.join('\n');
}

/**
 * What to do about a device the CLI could not open. The protocol layer says
 * only what happened (`ErrorValue.problem`); the advice is the CLI's.
 */
export function problemAdvice(problem: AccessProblem): string {
  switch (problem) {
    case AccessProblem.Busy:
      return (
        "what to do: another driver holds the drive; on Linux it is usually the kernel's " +
        'usb-storage driver. Detach it for the length of a lock with force (`acquire NAME ' +
        'force` in `webdisc shell`, or `webdisc --device ID lock --name NAME --force`), or ' +
        'keep usb-storage off the drive for good with the quirk in the README ("Real drives", ' +
        '"In Node").'
      );
    case AccessProblem.ProtectedClass:
      return (
        'what to do: the drive refused access to its mass-storage interface, which is not ' +
        'expected in Node (no USB class is restricted here): replug the drive and try again.'
      );
  }
}

/**
 * An error for people: one line, then what to do when the user can fix it.
 * `separator` joins the two (the shell prints each result on one line).
 */
export function errorText(e: ErrorValue, separator = '\n'): string {
  const sense = e.sense
    ? ` [sense ${e.sense.key.toString(16)}/${e.sense.asc.toString(16).padStart(2, '0')}/${e.sense.ascq.toString(16).padStart(2, '0')}]`
    : '';
  const text = `error ${formatHResult(e.hresult)} ${e.name}: ${e.message}${sense}`;
  return e.problem ? `${text}${separator}${problemAdvice(e.problem)}` : text;
}

export function listText(
  list: readonly (RecorderSummary & { readonly owner?: string | null })[],
): string {
  return list
    .map(
      (r) =>
        `${r.id.padEnd(28)} ${r.name}${r.serial ? ` (serial ${r.serial})` : ''}` +
        (r.owner ? `  [in use by "${r.owner}"]` : ''),
    )
    .join('\n');
}

export function infoText(info: RecorderInfo): string {
  const id = info.identity;
  const lines = [
    `${id.vendor} ${id.product} ${id.revision}${id.serial ? `  serial ${id.serial}` : ''}`,
    `USB ${id.vendorId.toString(16).padStart(4, '0')}:${id.productId.toString(16).padStart(4, '0')}`,
    `profiles: ${info.profiles.map((p) => (p.current ? `[${p.name}]` : p.name)).join(', ') || 'none reported'}`,
    `features: ${info.features.map((f) => `${f.name}${f.current ? '*' : ''}`).join(', ') || 'none reported'}`,
    `mechanism: ${info.capabilities.loadingMechanism}; can load: ${yesNo(info.capabilities.canLoadMedia)}; ` +
      `eject: ${yesNo(info.capabilities.canEject)}; lock: ${yesNo(info.capabilities.canLock)}`,
    `reads: ${info.capabilities.reads.join(', ') || '?'}; writes: ${info.capabilities.writes.join(', ') || 'none'}`,
    `buffer: ${info.capabilities.bufferSizeKiB ?? '?'} KiB; write speeds: ${info.capabilities.writeSpeedsKBps.join(', ') || '?'} kB/s`,
  ];
  if (info.unsupported.length)
    lines.push(`unsupported by the drive: ${info.unsupported.join(', ')}`);
  return lines.join('\n');
}

export function mediaText(m: MediaState): string {
  if (!m.present)
    return `no disc${m.trayOpen === true ? ' (tray open)' : m.trayOpen === false ? ' (tray closed)' : ''}`;
  const lines = [
    `${m.profile?.name ?? 'unknown medium'} (${m.physicalType}), ${m.status}${m.erasable ? ', erasable' : ''}`,
    `sessions: ${m.sessions}; tracks: ${m.tracks.length}`,
    `capacity: ${m.capacityBlocks} blocks (${((m.capacityBlocks * m.blockSize) / 1e6).toFixed(1)} MB); ` +
      `free: ${m.freeBlocks} blocks; next writable: ${m.nextWritableAddress ?? 'none'}`,
  ];
  for (const t of m.tracks)
    lines.push(
      `  track ${t.number} session ${t.session}: ${t.mode} at ${t.start}, ${t.size} blocks`,
    );
  return lines.join('\n');
}

export function lockText(l: LockState): string {
  const owner = l.owner ? `owner "${l.owner}"` : 'free';
  const tray = l.trayLocked === null ? '' : l.trayLocked ? ', tray locked' : ', tray unlocked';
  return `lock count ${l.count}, ${owner}${l.busy ? ' (another session)' : ''}${tray}${l.stale ? ', STALE' : ''}`;
}

export function rawText(r: RawResult): string {
  const head = `status ${r.status}, ${r.transferred} bytes${r.senseText ? `, sense ${r.senseText}` : ''}`;
  return r.data.length ? `${head}\n${hexdump(r.data)}` : head;
}
