/**
 * The CRC of every UDF descriptor (ECMA-167 1/7.2.6 and 3/7.2.6): CRC-ITU-T,
 * polynomial x^16 + x^12 + x^5 + 1 (0x1021), initial value 0, most
 * significant bit first, no final XOR. ECMA-167's check value: the CRC of
 * the bytes 70 6A 77 is 0x3299.
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
    t[i] = c & 0xffff;
  }
  return t;
})();

export function crcItu(bytes: Uint8Array, crc = 0): number {
  for (const b of bytes) crc = ((crc << 8) ^ (TABLE[((crc >> 8) ^ b) & 0xff] ?? 0)) & 0xffff;
  return crc;
}
