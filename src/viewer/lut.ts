/**
 * The lookup-table (LUT) pass: pixel value → normalised value → stretched value → color.
 * Pure functions on typed arrays (no DOM), so they run the same in a Worker, in jest and on the
 * main thread.
 *
 * A value v is first normalised linearly, t = clip((v - vmin) / (vmax - vmin), 0, 1), then
 * stretched by the scale (all map [0, 1] onto [0, 1], monotonic increasing):
 *   linear  s = t
 *   sqrt    s = √t
 *   log     s = log(a·t + 1) / log(a + 1), a = 1000 (astropy's LogStretch)
 *   gamma   s = t^γ
 * and the color is entry floor(256·s) (255 at s = 1) of the colormap, or entry 255 - that index
 * when inverted. Invalid pixels get the invalid color: those of the project's one pixel-validity
 * rule (`src/center/validity.ts`, as the contrast limits and the readout): NaN, ±Infinity,
 * negative sentinels of signed integer data (negative floats are values), saturated values.
 */
import { pixelValidity, type PixelValidity } from '../center/validity.js';
import type { PixelArray } from '../io/image.js';
import { colormapTable, type ColormapName } from './colormaps.js';

/** The intensity scalings. */
export const SCALE_NAMES = ['linear', 'log', 'sqrt', 'gamma'] as const;

/** The name of an intensity scaling. */
export type ScaleName = (typeof SCALE_NAMES)[number];

/** Whether `name` is one of the scalings. */
export function isScaleName(name: unknown): name is ScaleName {
  return typeof name === 'string' && (SCALE_NAMES as readonly string[]).includes(name);
}

/** The `a` of the log stretch, log(a·t + 1) / log(a + 1). */
export const LOG_STRETCH_A = 1000;

/** Everything that decides how values become colors. */
export interface DisplayParams {
  colormap: ColormapName;
  scale: ScaleName;
  /** Exponent of the gamma scale (ignored by the others). */
  gamma: number;
  invert: boolean;
  /** Value shown as the first colormap entry. */
  vmin: number;
  /** Value shown as the last colormap entry. */
  vmax: number;
  /** Treat negative values of signed integer data as masked sentinels (floats' are values). */
  maskNegative: boolean;
  /** RGBA color of invalid pixels (0..255 each). */
  invalidColor: readonly [number, number, number, number];
}

/** Stretch a normalised value t ∈ [0, 1] (clipped) by a scale; result in [0, 1]. */
export function stretch(t: number, scale: ScaleName, gamma = 1): number {
  const c = t <= 0 ? 0 : t >= 1 ? 1 : t;
  switch (scale) {
    case 'linear':
      return c;
    case 'sqrt':
      return Math.sqrt(c);
    case 'log':
      return Math.log(LOG_STRETCH_A * c + 1) / Math.log(LOG_STRETCH_A + 1);
    case 'gamma':
      return gamma > 0 ? Math.pow(c, gamma) : c;
  }
}

/** The colormap index (0..255) of a valid value under the given parameters. */
export function colorIndex(value: number, p: Pick<DisplayParams, 'vmin' | 'vmax' | 'scale' | 'gamma' | 'invert'>): number {
  const span = p.vmax - p.vmin;
  const t = span > 0 ? (value - p.vmin) / span : value >= p.vmax ? 1 : 0;
  const s = stretch(t, p.scale, p.gamma);
  const index = s >= 1 ? 255 : Math.floor(s * 256);
  return p.invert ? 255 - index : index;
}

/** Whether typed-array words are little-endian on this platform (ImageData byte order). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Pack an RGBA color into one 32-bit word in ImageData's byte order on this platform. */
export function packRGBA(r: number, g: number, b: number, a = 255): number {
  return LITTLE_ENDIAN
    ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** The 256 colors of the colormap, packed (see `packRGBA`). */
export function packedPalette(colormap: ColormapName): Uint32Array {
  const table = colormapTable(colormap);
  const palette = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    palette[i] = packRGBA(table[3 * i], table[3 * i + 1], table[3 * i + 2]);
  }
  return palette;
}

/** The number of levels of the quantised path (`makeColorMapper` for float / 32-bit data). */
export const QUANT_LEVELS = 1 << 16;

/**
 * A prepared LUT for one frame's array type: maps a range of pixels to packed colors.
 *
 * - 8- and 16-bit integer data: one table entry per possible raw value (exact).
 * - other data: t is quantised to 2^16 levels, each with a precomputed color (the scale is
 *   evaluated 65536 times, not once per pixel); the color differs from the exact one only for
 *   values within 1/65536 of the range of a color boundary.
 */
export interface ColorMapper {
  /** Write the colors of `data[start..end)` into `out[start..end)`. */
  apply(data: PixelArray, out: Uint32Array, start: number, end: number): void;
}

/**
 * Prepare the LUT for arrays like `data` under the given parameters. `rule` is the validity rule
 * of the frame (the viewer passes the one of its statistics, which knows the frame's largest
 * value for the 12-bit saturation); by default it is worked out from `data`.
 */
export function makeColorMapper(
  data: PixelArray,
  p: DisplayParams,
  rule: PixelValidity = pixelValidity(data, { maskNegative: p.maskNegative })
): ColorMapper {
  const palette = packedPalette(p.colormap);
  const invalid = packRGBA(...p.invalidColor);
  const colorOf = (v: number): number => palette[colorIndex(v, p)];
  if (
    data instanceof Uint8Array ||
    data instanceof Uint16Array ||
    data instanceof Int8Array ||
    data instanceof Int16Array
  ) {
    const unsigned = data instanceof Uint8Array || data instanceof Uint16Array;
    const bits = data instanceof Uint8Array || data instanceof Int8Array ? 8 : 16;
    const offset = unsigned ? 0 : 1 << (bits - 1);
    const table = new Uint32Array(1 << bits);
    // Only values strictly inside (vmin, vmax) need the scale; the rest are the end colors.
    const low = colorOf(-Infinity);
    const high = colorOf(Infinity);
    const first = Math.max(0, Math.min(table.length, Math.floor(p.vmin) + offset + 1));
    const last = Math.max(first, Math.min(table.length, Math.ceil(p.vmax) + offset));
    table.fill(low, 0, first);
    for (let i = first; i < last; i++) table[i] = colorOf(i - offset);
    table.fill(high, last);
    if (rule.negativeInvalid) table.fill(invalid, 0, offset);
    if (Number.isFinite(rule.saturation)) table[rule.saturation + offset] = invalid;
    return Private.tableMapper(table, offset);
  }
  // Quantised path.
  const levels = QUANT_LEVELS;
  const table = new Uint32Array(levels);
  const span = p.vmax - p.vmin;
  for (let q = 0; q < levels; q++) {
    // Level q covers t ∈ [q, q + 1) / levels; colour it by its center.
    table[q] = palette[colorIndex(p.vmin + ((q + 0.5) / levels) * span, p)];
  }
  const low = palette[colorIndex(-Infinity, { ...p, vmin: 0, vmax: 1 })];
  const high = palette[colorIndex(Infinity, { ...p, vmin: 0, vmax: 1 })];
  const k = span > 0 ? levels / span : 0;
  const vmin = p.vmin;
  const vmax = p.vmax;
  const lowest = rule.negativeInvalid ? 0 : -Infinity;
  const saturation = rule.saturation;
  const last = levels - 1;
  return {
    apply(values: PixelArray, out: Uint32Array, start: number, end: number): void {
      for (let i = start; i < end; i++) {
        const v = values[i];
        if (!(v >= lowest) || v === Infinity || v === -Infinity || v === saturation) {
          out[i] = invalid;
        } else if (v <= vmin) {
          out[i] = low;
        } else if (v >= vmax) {
          out[i] = high;
        } else {
          const q = Math.floor((v - vmin) * k);
          out[i] = table[q > last ? last : q];
        }
      }
    }
  };
}

/** Run the whole LUT pass at once (tests, Workers, small images). */
export function applyColorMap(
  data: PixelArray,
  p: DisplayParams,
  out?: Uint32Array,
  rule?: PixelValidity
): Uint32Array {
  const result = out ?? new Uint32Array(data.length);
  makeColorMapper(data, p, rule).apply(data, result, 0, data.length);
  return result;
}

namespace Private {
  export function tableMapper(table: Uint32Array, offset: number): ColorMapper {
    return {
      apply(values: PixelArray, out: Uint32Array, start: number, end: number): void {
        if (offset === 0) {
          for (let i = start; i < end; i++) out[i] = table[values[i]];
        } else {
          for (let i = start; i < end; i++) out[i] = table[values[i] + offset];
        }
      }
    };
  }
}
