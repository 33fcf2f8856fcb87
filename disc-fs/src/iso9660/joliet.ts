/**
 * Joliet (Microsoft, "Joliet Specification", 1995): a supplementary volume
 * descriptor (ECMA-119 8.5) whose escape sequences announce UCS-2, and a
 * second directory hierarchy whose identifiers are UCS-2 big-endian, up to
 * 64 characters, with any character but the control characters and
 * * / : ; ? \ . Directories deeper than eight levels are allowed; paths are
 * at most 240 characters (`JOLIET_PATH_MAX`).
 */
import { utf16beDecode, utf16beEncode, truncateUnits } from '../binary/text.ts';
import { type NameRule, splitExtension } from '../names.ts';

/** Escape sequences of UCS-2 level 3, "%/E" (ECMA-119 8.5.6 with ISO 2022). */
export const JOLIET_ESCAPE = Uint8Array.of(0x25, 0x2f, 0x45);
/** Levels 1 and 2 ("%/@", "%/C"), which readers also accept. */
export const JOLIET_ESCAPES = [
  Uint8Array.of(0x25, 0x2f, 0x40),
  Uint8Array.of(0x25, 0x2f, 0x43),
  JOLIET_ESCAPE,
];

/** The limit mkisofs and libisofs apply: 64 characters before the ";1". */
export const JOLIET_MAX = 64;

function forbidden(c: number): boolean {
  return (
    c < 0x20 || c === 0x2a || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3f || c === 0x5c
  );
}

function clean(name: string): string {
  let out = name;
  for (let i = 0; i < name.length; i++) {
    if (forbidden(name.charCodeAt(i))) {
      out = Array.from(name, (ch) => (forbidden(ch.charCodeAt(0)) ? '_' : ch)).join('');
      break;
    }
  }
  // Readers drop a trailing '.' with the ";1" (libisofs), Windows drops it anyway.
  return out.endsWith('.') ? out.replace(/\.+$/, (dots) => '_'.repeat(dots.length)) : out;
}

function fitUnits(name: string, max: number): string {
  if (name.length <= max) return name;
  const [base, ext] = splitExtension(name);
  if (ext !== undefined && ext.length <= 16 && ext.length + 2 <= max) {
    return truncateUnits(base, max - ext.length - 1) + '.' + ext;
  }
  return truncateUnits(name, max);
}

/**
 * Microsoft's Joliet specification limits a path to 240 characters. It is
 * counted here as the recorded identifiers from the root, each after a "/"
 * separator, files with their ";1" ("/DIR/NAME.TXT;1"), in UCS-2 units: the
 * strictest reading, so every reader's count stays within it.
 */
export const JOLIET_PATH_MAX = 240;
/** Below this many characters of room an entry is left out of Joliet rather than cut to nothing. */
export const JOLIET_MIN_NAME = 8;

/** Characters a path takes for a child with a `units`-long name: the "/" and a file's ";1". */
export function jolietComponentLength(units: number, isDir: boolean): number {
  return 1 + units + (isDir ? 0 : 2);
}

/**
 * The Joliet rule for one directory: names of at most 64 characters, and
 * fewer where the directory's own path (`prefix` characters, see
 * `JOLIET_PATH_MAX`) leaves less room, so no path exceeds 240.
 */
export function jolietNameRule(prefix = 0): NameRule {
  const room = (isDir: boolean): number =>
    Math.min(JOLIET_MAX, JOLIET_PATH_MAX - prefix - jolietComponentLength(0, isDir));
  return {
    map: (name, isDir) => fitUnits(clean(name), room(isDir)),
    withSuffix(mapped, suffix, isDir) {
      const max = room(isDir);
      const [base, ext] = splitExtension(mapped);
      const tail = suffix + (ext === undefined ? '' : `.${ext}`);
      if (tail.length >= max) return truncateUnits(mapped, max - suffix.length) + suffix;
      return truncateUnits(base, max - tail.length) + tail;
    },
    suffix: (n) => `~${n}`,
    key: (mapped) => mapped,
  };
}

/** Whether an entry fits in a Joliet directory whose path is `prefix` characters long. */
export function jolietHasRoom(prefix: number, isDir: boolean): boolean {
  return JOLIET_PATH_MAX - prefix - jolietComponentLength(0, isDir) >= JOLIET_MIN_NAME;
}

/** Recorded identifier: UCS-2 big-endian, files with ";1" as mkisofs and Windows write them. */
export function jolietIdentifier(name: string, isDir: boolean): Uint8Array {
  return utf16beEncode(isDir ? name : `${name};1`);
}

/** A recorded identifier back to its name (drops ";1"). */
export function jolietDisplayName(identifier: Uint8Array): string {
  const s = utf16beDecode(identifier);
  return s.endsWith(';1') ? s.slice(0, -2) : s;
}

/** Joliet directories are ordered by the identifiers' UCS-2 code units (ECMA-119 9.3). */
export function compareJolietIdentifiers(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return a.length - b.length;
}
