import { readFileSync } from 'node:fs';

/** Width and height from a PNG's IHDR chunk; throws if the file is not a PNG. */
export function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  if (b.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a' || b.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error(`${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
