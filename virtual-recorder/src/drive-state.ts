/**
 * What a drive keeps across a power-off, as plain JSON-safe data: the disc
 * in it (its recorded state, not its sectors) and whether the tray is open.
 * `VirtualRecorder.saveState()` takes it and `restoreState()` powers the
 * drive on with it; a host keeps the sectors in a store of its own (the CLI:
 * a sparse image file, cli/virtual-store.ts). `parseDriveState` checks data
 * read back from anywhere before it becomes a disc.
 */
import { BgFormat, type BackgroundFormatState } from './background-format.ts';
import type { DiscState, TrackState } from './disc.ts';
import { VirtualRecorderError } from './errors.ts';
import { isMediaName } from './media.ts';

export const DRIVE_STATE_VERSION = 1;

export interface DriveState {
  readonly version: typeof DRIVE_STATE_VERSION;
  readonly trayOpen: boolean;
  /** The disc in the drive (or on its open tray), null when there is none. */
  readonly disc: DiscState | null;
}

function fail(message: string): never {
  throw new VirtualRecorderError('invalid-state', `drive state: ${message}`);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

function count(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    fail(`${what}.${key} is not a whole number >= 0`);
  }
  return v;
}

function flag(o: Record<string, unknown>, key: string, what: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${what}.${key} is not true or false`);
  return v;
}

function trackState(value: unknown, i: number): TrackState {
  const what = `disc.tracks[${i}]`;
  const t = record(value, what);
  const size = t.size === null ? null : count(t, 'size', what);
  return {
    number: count(t, 'number', what),
    session: count(t, 'session', what),
    start: count(t, 'start', what),
    size,
    recorded: count(t, 'recorded', what),
    closed: flag(t, 'closed', what),
    reserved: flag(t, 'reserved', what),
  };
}

function backgroundState(value: unknown): BackgroundFormatState | null {
  if (value === null) return null;
  const b = record(value, 'disc.background');
  const status = count(b, 'status', 'disc.background');
  if (!(Object.values(BgFormat) as number[]).includes(status)) {
    fail('disc.background.status is not 0..3');
  }
  const rate = b.rate;
  if (typeof rate !== 'number' || !(rate >= 0) || !Number.isFinite(rate)) {
    fail('disc.background.rate is not a number >= 0');
  }
  return {
    capacity: count(b, 'capacity', 'disc.background'),
    status: status as BgFormat,
    formatted: count(b, 'formatted', 'disc.background'),
    rate,
    leadOut: flag(b, 'leadOut', 'disc.background'),
  };
}

function discState(value: unknown): DiscState | null {
  if (value === null) return null;
  const d = record(value, 'disc');
  const media = d.media;
  if (!isMediaName(media) || media === 'none')
    fail(`disc.media ${JSON.stringify(media)} is not a medium`);
  if (!Array.isArray(d.tracks)) fail('disc.tracks is not a list');
  const tracks = d.tracks.map(trackState);
  const capacity = count(d, 'capacity', 'disc');
  for (const t of tracks) {
    if (t.recorded > capacity || t.start > capacity) fail('a track lies past the capacity');
  }
  return {
    media,
    capacity,
    tracks,
    closedSessions: count(d, 'closedSessions', 'disc'),
    finalized: flag(d, 'finalized', 'disc'),
    formatted: flag(d, 'formatted', 'disc'),
    incrementalAllowed: flag(d, 'incrementalAllowed', 'disc'),
    background: backgroundState(d.background ?? null),
    generated: flag(d, 'generated', 'disc'),
  };
}

/** `value` (parsed JSON) as a drive state, or a VirtualRecorderError 'invalid-state' saying what is wrong. */
export function parseDriveState(value: unknown): DriveState {
  const s = record(value, 'the state');
  if (s.version !== DRIVE_STATE_VERSION) {
    fail(`version ${JSON.stringify(s.version)} is not ${DRIVE_STATE_VERSION}`);
  }
  return {
    version: DRIVE_STATE_VERSION,
    trayOpen: flag(s, 'trayOpen', 'state'),
    disc: discState(s.disc),
  };
}
