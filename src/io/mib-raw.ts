/**
 * Merlin "raw" MIB frames (pixel depth field R64): the samples as the Medipix3 chips read them
 * out, in 64-bit big-endian words. The counter depth is the one the extended header states
 * (the field after "MQ1A", its timestamp and its shutter time in ns):
 *
 * - 1 bit: one word holds 64 pixels, pixel k of the word in bit k of the big-endian value
 *   (least significant first);
 * - 6 bits: one byte per pixel, 8 pixels per word in reverse order (pixel k in byte 7 − k);
 * - 12 bits: one big-endian 16-bit value per pixel, 4 per word in reverse order (pixel k in
 *   value 3 − k);
 * - 24 bits (two 12-bit counters sent as two frames) is refused.
 *
 * Layouts: "1x1" (one chip, rows in order) and the quad "2x2" / "2x2G" (4 chips of 256 × 256;
 * G: 2 gap pixels between the chips, left 0): each raw row holds one row of each chip in the
 * order chip 4, 3, 2, 1; chips 1 and 2 are the top half (left, right), chips 3 and 4 the bottom
 * half turned by 180° (their first raw row is the image's last row, read right to left).
 *
 * Source: the layout as LiberTEM-rs (MIT licence) documents and decodes it for the Merlin
 * network stream; no raw MIB file was available to check against (see docs/formats.md).
 * No DOM.
 */
import { FormatError } from './format-error.js';

/** Bits each pixel takes in the raw words, per counter depth. */
const RAW_BITS: Record<number, number> = { 1: 1, 6: 8, 12: 16 };

/** The raw geometry of a frame, or a FormatError saying what is not read. */
export interface RawMibLayout {
  depth: number;
  quad: boolean;
  gap: number;
  height: number;
  width: number;
  dataBytes: number;
}

/** Geometry of R64 frames: header width × height, sensor layout field, counter depth. */
export function rawMibLayout(width: number, height: number, layout: string, depth: number | undefined): RawMibLayout {
  if (depth === undefined) {
    throw new FormatError('unsupported MIB data: a raw (R64) frame without the "MQ1A" extended header that states its counter depth', 'unsupported-format', 'mib');
  }
  if (depth === 24) {
    throw new FormatError(
      'unsupported MIB data: raw (R64) 24-bit frames (two 12-bit counters per image) are not read; save the frames as image data (U32)',
      'unsupported-format',
      'mib'
    );
  }
  const bits = RAW_BITS[depth];
  if (!bits) throw new FormatError(`unsupported MIB data: raw (R64) counter depth ${depth} (1, 6 and 12 are read)`, 'unsupported-format', 'mib');
  const name = layout.trim();
  if (name === '1x1') {
    if ((width * height * bits) % 64 !== 0) {
      throw new FormatError(`corrupt MIB header: a raw ${height} × ${width} frame is not a whole number of 64-bit words`, 'corrupt', 'mib');
    }
    return { depth, quad: false, gap: 0, height, width, dataBytes: (width * height * bits) / 8 };
  }
  if (name === '2x2' || name === '2x2G') {
    if (width * height !== 4 * 256 * 256) {
      throw new FormatError(`corrupt MIB header: a raw quad frame of ${height} × ${width} pixels (4 chips of 256 × 256 expected)`, 'corrupt', 'mib');
    }
    const gap = name === '2x2G' ? 2 : 0;
    return { depth, quad: true, gap, height: 512 + gap, width: 512 + gap, dataBytes: (4 * 256 * 256 * bits) / 8 };
  }
  throw new FormatError(`unsupported MIB data: raw (R64) frames of sensor layout "${name}" (1x1, 2x2 and 2x2G are read)`, 'unsupported-format', 'mib');
}

/** Decode one raw frame at `bytes[offset…]` into `out` (height × width of the layout). */
export function decodeRawMib(bytes: Uint8Array, offset: number, g: RawMibLayout, out: Uint8Array | Uint16Array): void {
  if (!g.quad) {
    Private.decodeRun(bytes, offset, g.dataBytes, g.depth, (k, v) => (out[k] = v));
    return;
  }
  const chipRow = (256 * RAW_BITS[g.depth]) / 8;
  const W = g.width;
  const right = 256 + g.gap;
  for (let r = 0; r < 256; r++) {
    const at = offset + r * 4 * chipRow;
    const top = r * W;
    const bottom = (g.height - 1 - r) * W;
    Private.decodeRun(bytes, at, chipRow, g.depth, (k, v) => (out[bottom + W - 1 - k] = v)); // chip 4
    Private.decodeRun(bytes, at + chipRow, chipRow, g.depth, (k, v) => (out[bottom + 255 - k] = v)); // chip 3
    Private.decodeRun(bytes, at + 2 * chipRow, chipRow, g.depth, (k, v) => (out[top + right + k] = v)); // chip 2
    Private.decodeRun(bytes, at + 3 * chipRow, chipRow, g.depth, (k, v) => (out[top + k] = v)); // chip 1
  }
}

namespace Private {
  /** Pixels of `length` bytes of raw words (in pixel order) → put(index, value). */
  export function decodeRun(bytes: Uint8Array, at: number, length: number, depth: number, put: (k: number, v: number) => void): void {
    let k = 0;
    for (let w = at; w < at + length; w += 8) {
      if (depth === 1) {
        for (let j = 0; j < 64; j++) put(k++, (bytes[w + 7 - (j >> 3)] >> (j & 7)) & 1);
      } else if (depth === 6) {
        for (let j = 0; j < 8; j++) put(k++, bytes[w + 7 - j]);
      } else {
        for (let j = 0; j < 4; j++) put(k++, (bytes[w + 6 - 2 * j] << 8) | bytes[w + 7 - 2 * j]);
      }
    }
  }
}
