/**
 * UDF file identifiers (UDF 1.02 2.1.1 and 4.2.2): any Unicode but NUL and
 * '/', recorded in OSTA CS0 with compression ID 8 (one byte per character,
 * when every character is below U+0100) or 16 (UCS-2 big-endian), in at
 * most 255 bytes including the compression ID (ECMA-167 4/14.4.4 L_FI is one
 * byte): 254 Latin-1 characters or 127 UTF-16 code units.
 */
import { truncateUnits } from '../binary/text.ts';
import { type NameRule, splitExtension } from '../names.ts';

export function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

export function udfMaxUnits(s: string): number {
  return isLatin1(s) ? 254 : 127;
}

function fit(name: string, tail = ''): string {
  const whole = name + tail;
  const max = udfMaxUnits(whole);
  if (whole.length <= max) return whole;
  return truncateUnits(name, Math.max(0, max - tail.length)) + tail;
}

export const udfNameRule: NameRule = {
  map(name) {
    const [base, ext] = splitExtension(name);
    if (ext !== undefined && ext.length <= 16) return fit(base, `.${ext}`);
    return fit(name);
  },
  withSuffix(mapped, suffix) {
    const [base, ext] = splitExtension(mapped);
    return fit(base, suffix + (ext === undefined ? '' : `.${ext}`));
  },
  suffix: (n) => `~${n}`,
  key: (mapped) => mapped,
};
