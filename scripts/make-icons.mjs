// Draws Switchyard's app icons (public/*.png) offline: no image library, no download. A PNG is
// written by hand (zlib from Node): a slate square with one line forking into two, the picture
// of traffic switched between ISPs. Run `node scripts/make-icons.mjs` after changing the drawing.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const out = path.resolve(import.meta.dirname, "..", "public");
const BG = [15, 23, 42]; // slate-900, the theme colour
const FG = [255, 255, 255];
const ACCENT = [129, 140, 248]; // indigo-400

// the drawing in a 0..1 square: a trunk from the bottom that forks to two ends
const STROKES = [
  { a: [0.5, 0.86], b: [0.5, 0.55], c: FG },
  { a: [0.5, 0.55], b: [0.26, 0.2], c: FG },
  { a: [0.5, 0.55], b: [0.74, 0.2], c: ACCENT },
];
const DOTS = [
  { p: [0.26, 0.2], c: FG },
  { p: [0.74, 0.2], c: ACCENT },
  { p: [0.5, 0.86], c: FG },
];

function segDist(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** RGBA pixels; scale < 1 shrinks the drawing into the middle (the maskable icon's safe zone). */
function draw(size, { scale = 1, rounded = true } = {}) {
  const px = Buffer.alloc(size * size * 4);
  const w = 0.075 * scale,
    dot = 0.085 * scale,
    r = rounded ? 0.18 : 0;
  const map = (v) => 0.5 + (v - 0.5) * scale;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size,
        v = (y + 0.5) / size,
        aa = 1 / size;
      // the rounded square's coverage
      const qx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0),
        qy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
      const bg = r ? Math.max(0, Math.min(1, (r - Math.hypot(qx, qy)) / aa + 0.5)) : 1;
      let col = BG;
      let best = 0;
      for (const s of STROKES) {
        const c = Math.max(0, Math.min(1, (w / 2 - segDist(u, v, s.a.map(map), s.b.map(map))) / aa + 0.5));
        if (c > best) {
          best = c;
          col = s.c;
        }
      }
      for (const d of DOTS) {
        const c = Math.max(0, Math.min(1, (dot - Math.hypot(u - map(d.p[0]), v - map(d.p[1]))) / aa + 0.5));
        if (c > best) {
          best = c;
          col = d.c;
        }
      }
      const i = (y * size + x) * 4;
      for (let k = 0; k < 3; k++) px[i + k] = Math.round(BG[k] * (1 - best) + col[k] * best);
      px[i + 3] = Math.round(255 * bg);
    }
  return px;
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6; // 8-bit RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const icons = [
  ["icon-192.png", 192, {}],
  ["icon-512.png", 512, {}],
  // maskable: full bleed, the drawing inside the central 80 % the platform never crops
  ["icon-maskable-512.png", 512, { scale: 0.7, rounded: false }],
  // iOS rounds the corners itself and shows transparency as black
  ["apple-touch-icon.png", 180, { scale: 0.85, rounded: false }],
];
for (const [name, size, opts] of icons) {
  fs.writeFileSync(path.join(out, name), png(size, draw(size, opts)));
  console.log(`wrote public/${name} (${size}x${size})`);
}
