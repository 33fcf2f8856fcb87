/**
 * Text encodings the on-disc formats use, written out here because the
 * realm-neutral build has no TextEncoder: UTF-8 for Rock Ridge names (RRIP
 * records bytes, and every POSIX reader today takes them as UTF-8), UTF-16
 * big-endian for Joliet (UCS-2 per the Joliet specification; surrogate pairs
 * pass through as Windows and Linux write and read them) and UDF's OSTA CS0
 * (UDF 1.02 2.1.1).
 */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    let c = ch.codePointAt(0) ?? 0;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else {
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
  }
  return Uint8Array.from(out);
}

export function utf8Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length;) {
    const c = b[i] ?? 0;
    let cp: number;
    let n: number;
    if (c < 0x80) [cp, n] = [c, 1];
    else if (c >= 0xf0) [cp, n] = [c & 7, 4];
    else if (c >= 0xe0) [cp, n] = [c & 15, 3];
    else if (c >= 0xc0) [cp, n] = [c & 31, 2];
    else [cp, n] = [0xfffd, 1];
    for (let k = 1; k < n; k++) cp = (cp << 6) | ((b[i + k] ?? 0) & 63);
    s += String.fromCodePoint(cp > 0x10ffff ? 0xfffd : cp);
    i += n;
  }
  return s;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** UTF-16 big-endian code units of `s` (Joliet file identifiers, UDF CS0 with ID 16). */
export function utf16beEncode(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

export function utf16beDecode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2)
    s += String.fromCharCode(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  return s;
}

/** ASCII/Latin-1 bytes (d-characters, a-characters): one byte per UTF-16 unit below 0x100. */
export function latin1Encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function latin1Decode(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

/**
 * Cuts `s` to at most `max` UTF-16 code units without splitting a surrogate
 * pair (a half pair would be an unreadable name in Joliet and UDF).
 */
export function truncateUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return s.slice(0, cut);
}

/** Cuts `s` so its UTF-8 form has at most `max` bytes, on a code point boundary. */
export function truncateUtf8(s: string, max: number): string {
  if (utf8Length(s) <= max) return s;
  let n = 0;
  let end = 0;
  for (const ch of s) {
    const w = utf8Length(ch);
    if (n + w > max) break;
    n += w;
    end += ch.length;
  }
  return s.slice(0, end);
}
