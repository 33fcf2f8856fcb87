// Renders the app icons as PNG files into public/ with no native dependencies:
// each pixel is shaded analytically (4x4 supersampling) and the PNG is encoded
// by hand (IHDR, one zlib IDAT, IEND). Run: node web/tools/make-icons.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const out = new URL('../../public/', import.meta.url);

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels (size*size*4) to a PNG file. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

const BG_TOP = hex('#1a66e0');
const BG_BOTTOM = hex('#0842a0');
const DISC = hex('#eef2f8');
const HUB = hex('#c9d3e3');
const RIM = hex('#7d8aa3');
const DOT = hex('#e53935');
const WHITE = hex('#ffffff');

/** Colour and alpha at (u, v) in [0, 1]^2; `maskable` fills the square and shrinks the art. */
function shade(u, v, maskable) {
  const inRoundedSquare = () => {
    if (maskable) return true;
    const r = 0.2;
    const dx = Math.max(r - u, 0, u - (1 - r));
    const dy = Math.max(r - v, 0, v - (1 - r));
    return dx * dx + dy * dy <= r * r;
  };
  if (!inRoundedSquare()) return [0, 0, 0, 0];
  const background = mix(BG_TOP, BG_BOTTOM, (u + v) / 2);
  // The art lives in a square scaled around the centre (the maskable safe zone is r = 0.4).
  const s = maskable ? 0.8 : 1;
  const x = (u - 0.5) / s;
  const y = (v - 0.5) / s;
  let colour = background;
  const r = Math.hypot(x, y);
  const R = 0.36;
  if (r <= R) {
    if (r > R - 0.012) colour = RIM;
    else if (r > 0.34 * R) {
      // Data area: a faint rainbow sheen by angle and fine grooves by radius.
      const angle = Math.atan2(y, x);
      const hue = (Math.cos(2 * angle) + 1) / 2;
      const sheen = mix(hex('#9ec5ff'), hex('#ffd59e'), hue);
      const groove = 0.04 * Math.sin(r * 260);
      colour = mix(DISC, sheen, 0.35 + groove);
    } else if (r > 0.14 * R) colour = r > 0.31 * R ? RIM : HUB;
    // r <= 0.14 R: the centre hole shows the background.
  }
  // The "recording" dot, lower right, with a white ring.
  const dx = x - 0.255;
  const dy = y - 0.255;
  const d = Math.hypot(dx, dy);
  if (d <= 0.1) colour = d > 0.075 ? WHITE : DOT;
  return [...colour, 255];
}

function render(size, maskable) {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, maskable);
          acc[0] += c[0] * c[3];
          acc[1] += c[1] * c[3];
          acc[2] += c[2] * c[3];
          acc[3] += c[3];
        }
      }
      const i = (py * size + px) * 4;
      const a = acc[3];
      rgba[i] = a ? Math.round(acc[0] / a) : 0;
      rgba[i + 1] = a ? Math.round(acc[1] / a) : 0;
      rgba[i + 2] = a ? Math.round(acc[2] / a) : 0;
      rgba[i + 3] = Math.round(a / (n * n));
    }
  }
  return rgba;
}

const icons = [
  ['pwa-192x192.png', 192, false],
  ['pwa-512x512.png', 512, false],
  ['maskable-icon-192x192.png', 192, true],
  ['maskable-icon-512x512.png', 512, true],
  ['apple-touch-icon-180x180.png', 180, true],
  ['favicon-48x48.png', 48, false],
];
for (const [name, size, maskable] of icons) {
  writeFileSync(new URL(name, out), encodePng(size, render(size, maskable)));
  console.log(`public/${name}`);
}
