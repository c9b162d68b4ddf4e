/**
 * Draws the add-in's icons (a white tick in a rounded square) as PNG files under assets/, so the
 * manifests point at real images without a design tool. Deterministic: same bytes every run.
 *
 *   npx tsx outlook-addin/tools/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const ACCENT: Rgba = [0x1f, 0x4e, 0x79, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
type Rgba = [number, number, number, number];

/** The files the manifests name: ribbon (16/32/80), XML icon (64/128), mobile (25/32/48 at scale 1–3), app package (color 192, outline 32). */
export const ICONS: ReadonlyArray<{ file: string; size: number; style: 'color' | 'outline' }> = [
  ...[16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144].map((size) => ({ file: `icon-${size}.png`, size, style: 'color' as const })),
  { file: 'color.png', size: 192, style: 'color' },
  { file: 'outline.png', size: 32, style: 'outline' },
];

/** Distance from point p to the segment a–b, all in unit coordinates. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function inRoundedSquare(x: number, y: number, inset: number, radius: number): boolean {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const cx = Math.min(Math.max(x, lo), hi);
  const cy = Math.min(Math.max(y, lo), hi);
  return Math.hypot(x - cx, y - cy) <= radius;
}

/** Colour of one sample point (unit coordinates). */
function sample(x: number, y: number, style: 'color' | 'outline'): Rgba {
  const tick = Math.min(segmentDistance(x, y, 0.27, 0.52, 0.43, 0.68), segmentDistance(x, y, 0.43, 0.68, 0.74, 0.33)) <= 0.075;
  if (style === 'color') return tick ? WHITE : inRoundedSquare(x, y, 0.02, 0.18) ? ACCENT : CLEAR;
  const ring = inRoundedSquare(x, y, 0.04, 0.18) && !inRoundedSquare(x, y, 0.11, 0.12);
  return tick || ring ? WHITE : CLEAR;
}

/** 4×4 supersampling per pixel, so edges are smooth at 16 px. */
function draw(size: number, style: 'color' | 'outline'): Uint8Array {
  const n = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, style);
          // Premultiplied, so transparent samples do not darken the edge.
          for (let i = 0; i < 3; i++) sum[i]! += (c[i]! * c[3]) / 255;
          sum[3]! += c[3];
        }
      }
      const alpha = sum[3]! / (n * n);
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) rgba[o + i] = alpha ? Math.round((sum[i]! / (n * n)) * (255 / alpha)) : 0;
      rgba[o + 3] = Math.round(alpha);
    }
  }
  return rgba;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function png(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

if (require.main === module) {
  const dir = join(__dirname, '..', 'assets');
  mkdirSync(dir, { recursive: true });
  for (const icon of ICONS) writeFileSync(join(dir, icon.file), png(icon.size, draw(icon.size, icon.style)));
  console.log(`Wrote ${ICONS.length} icons to ${dir}`);
}
