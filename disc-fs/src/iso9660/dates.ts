/**
 * ISO 9660 date and time forms. The builder records every time in UTC
 * (offset 0), so the same input and the same fixed date give the same bytes
 * on any machine whatever its time zone.
 */
import type { Codec } from '../binary/layout.ts';

/** Milliseconds since 1970 UTC, or `undefined` for "not specified". */
export type Time = number | undefined;

/**
 * ECMA-119 9.1.5 (directory records) and RRIP TF short form: 7 bytes: years
 * since 1900, month, day, hour, minute, second, offset from GMT in 15-minute
 * intervals (signed). Years outside 1900..2155 are clamped.
 */
export const recordingDate: Codec<Time> = {
  size: 7,
  write(out, view, o, t) {
    if (t === undefined) {
      out.fill(0, o, o + 7);
      return;
    }
    const d = new Date(t);
    const year = Math.min(255, Math.max(0, d.getUTCFullYear() - 1900));
    const clamped = year !== d.getUTCFullYear() - 1900;
    out[o] = year;
    out[o + 1] = clamped ? (year === 0 ? 1 : 12) : d.getUTCMonth() + 1;
    out[o + 2] = clamped ? (year === 0 ? 1 : 31) : d.getUTCDate();
    out[o + 3] = clamped ? 0 : d.getUTCHours();
    out[o + 4] = clamped ? 0 : d.getUTCMinutes();
    out[o + 5] = clamped ? 0 : d.getUTCSeconds();
    view.setInt8(o + 6, 0);
  },
  read(b, view, o) {
    if (b.subarray(o, o + 6).every((x) => x === 0)) return undefined;
    const utc = Date.UTC(
      1900 + (b[o] ?? 0),
      (b[o + 1] ?? 1) - 1,
      b[o + 2] ?? 1,
      b[o + 3] ?? 0,
      b[o + 4] ?? 0,
      b[o + 5] ?? 0,
    );
    return utc - view.getInt8(o + 6) * 15 * 60_000;
  },
};

/**
 * ECMA-119 8.4.26.1 (volume descriptors): 16 ASCII digits
 * YYYYMMDDHHMMSShh (hundredths) and the 15-minute GMT offset. "Not
 * specified" is sixteen '0' digits and offset 0.
 */
export const decDateTime: Codec<Time> = {
  size: 17,
  write(out, view, o, t) {
    let digits = '0000000000000000';
    if (t !== undefined) {
      const d = new Date(t);
      const p = (n: number, w: number): string => String(n).padStart(w, '0');
      digits =
        p(Math.min(9999, Math.max(1, d.getUTCFullYear())), 4) +
        p(d.getUTCMonth() + 1, 2) +
        p(d.getUTCDate(), 2) +
        p(d.getUTCHours(), 2) +
        p(d.getUTCMinutes(), 2) +
        p(d.getUTCSeconds(), 2) +
        p(Math.floor(d.getUTCMilliseconds() / 10), 2);
    }
    for (let i = 0; i < 16; i++) out[o + i] = digits.charCodeAt(i);
    view.setInt8(o + 16, 0);
  },
  read(b, view, o) {
    const s = String.fromCharCode(...b.subarray(o, o + 16));
    if (/^0+$/.test(s) || !/^\d{16}$/.test(s)) return undefined;
    const n = (a: number, w: number): number => Number(s.slice(a, a + w));
    const utc = Date.UTC(n(0, 4), n(4, 2) - 1, n(6, 2), n(8, 2), n(10, 2), n(12, 2), n(14, 2) * 10);
    return utc - view.getInt8(o + 16) * 15 * 60_000;
  },
};
