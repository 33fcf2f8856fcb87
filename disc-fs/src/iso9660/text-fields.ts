/**
 * Character sets of ISO 9660 text fields (ECMA-119 7.4.1): a-characters
 * (A-Z, 0-9, space and `!"%&'()*+,-./:;<=>?_`) for the publisher and other
 * identifiers, d-characters (A-Z, 0-9, _) for the volume identifier. Lower
 * case becomes upper case, anything else '_'.
 */
const A_EXTRA = ' !"%&\'()*+,-./:;<=>?_';

export function toAChars(s: string, max: number): string {
  return Array.from(s.toUpperCase(), (ch) =>
    /^[A-Z0-9]$/.test(ch) || A_EXTRA.includes(ch) ? ch : '_',
  )
    .join('')
    .slice(0, max);
}

export function toDChars(s: string, max: number): string {
  return s
    .toUpperCase()
    .replace(/[^A-Z0-9_]/gu, '_')
    .slice(0, max);
}
