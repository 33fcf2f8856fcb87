/**
 * ISO 9660 file and directory identifiers (ECMA-119 7.4.2, 7.5, 7.6, 10):
 * d-characters (A-Z, 0-9, _) only; a file is NAME.EXT;1 (the separator is
 * always present, 7.5.1); interchange level 1 allows 8.3 names and 8-character
 * directories (10.1), levels 2 and 3 up to 30 characters of name and
 * extension and 31 for directories (7.5.1, 7.6.3, 10.2).
 */
import { latin1Encode } from '../binary/text.ts';
import { type NameRule, splitExtension } from '../names.ts';

export type InterchangeLevel = 1 | 2 | 3;

/** ECMA-119 6.8.2.1: at most eight levels of directories, the root being level 1. */
export const MAX_DEPTH = 8;

function dchars(s: string): string {
  // One '_' per character (the u flag keeps a surrogate pair whole).
  return s.toUpperCase().replace(/[^A-Z0-9_]/gu, '_');
}

interface Limits {
  dir: number;
  base: number;
  ext: number;
  total: number;
}

function limits(level: InterchangeLevel): Limits {
  return level === 1
    ? { dir: 8, base: 8, ext: 3, total: 11 }
    : { dir: 31, base: 30, ext: 30, total: 30 };
}

/** The display form "NAME.EXT" or "NAME" (files) and "NAME" (directories); see `isoIdentifier`. */
export function isoNameRule(level: InterchangeLevel): NameRule {
  const l = limits(level);
  const fit = (base: string, ext: string): [string, string] => {
    let e = ext.slice(0, l.ext);
    if (base.length + e.length > l.total && e.length > 8) e = e.slice(0, 8);
    const b = base.slice(0, Math.min(l.base, l.total - e.length));
    return [b, e];
  };
  return {
    map(name, isDir) {
      if (isDir) return dchars(name).slice(0, l.dir) || '_';
      const [b0, e0] = splitExtension(name);
      const [b, e] = fit(dchars(b0), e0 === undefined ? '' : dchars(e0));
      return (b || (e ? '' : '_')) + (e ? `.${e}` : '');
    },
    withSuffix(mapped, suffix, isDir) {
      if (isDir) return mapped.slice(0, l.dir - suffix.length) + suffix;
      const dot = mapped.indexOf('.');
      const b = dot < 0 ? mapped : mapped.slice(0, dot);
      const e = dot < 0 ? '' : mapped.slice(dot + 1);
      const room = Math.min(l.base, l.total - e.length) - suffix.length;
      const ext = room < 0 ? e.slice(0, e.length + room) : e;
      return b.slice(0, Math.max(0, room)) + suffix + (ext ? `.${ext}` : '');
    },
    suffix: (n) => `_${n}`,
    key: (mapped) => mapped,
  };
}

/** The recorded identifier: files get the separator and version, "NAME.EXT;1" / "NAME.;1" (7.5.1). */
export function isoIdentifier(display: string, isDir: boolean): Uint8Array {
  if (isDir) return latin1Encode(display);
  return latin1Encode(display.includes('.') ? `${display};1` : `${display}.;1`);
}

/** The display form of a recorded identifier: without ";1" and without a trailing separator. */
export function isoDisplayName(identifier: string): string {
  const semi = identifier.indexOf(';');
  const base = semi < 0 ? identifier : identifier.slice(0, semi);
  return base.endsWith('.') ? base.slice(0, -1) : base;
}

/**
 * ECMA-119 9.3: records ordered by file name, then extension (each padded
 * with spaces, i.e. compared as strings where a shorter one sorts first when
 * a prefix), then version. Identifiers here are d-characters, all above the
 * space, so plain comparison of the padded parts is this order.
 */
export function compareIsoIdentifiers(a: string, b: string): number {
  const [an, ae] = splitIdentifier(a);
  const [bn, be] = splitIdentifier(b);
  return an < bn ? -1 : an > bn ? 1 : ae < be ? -1 : ae > be ? 1 : 0;
}

function splitIdentifier(id: string): [string, string] {
  const semi = id.indexOf(';');
  const s = semi < 0 ? id : id.slice(0, semi);
  const dot = s.indexOf('.');
  return dot < 0 ? [s, ''] : [s.slice(0, dot), s.slice(dot + 1)];
}
