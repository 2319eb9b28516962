/**
 * Synthetic diffraction patterns with a known sub-pixel center, for tests and benchmarks.
 * Pure and deterministic: the same options (and seed) give the same pixels. No DOM.
 *
 * Patterns: powder rings; hexagonal and square spot lattices whose spot intensities are
 * Friedel-symmetric (I(h, k) = I(-h, -k)) but otherwise uneven, so the true center is the one
 * inversion center whose pairs match, while every lattice point is a geometric one.
 * Extras: Poisson noise, diffuse background, walk-off (a smooth multiplicative gradient, so
 * Friedel pairs no longer match in intensity), a beam block (a bar from any side ending in a
 * disk), hot pixels, and detector gap lines holding -1 like Pilatus module gaps.
 */
import type { DiffractionImage } from '../../src/io/image.js';
import { Rng } from './rng.js';

/** What kind of pattern to draw. */
// Jest runs tests in a vm context, where every global lookup (Math.exp in a loop over 4 M
// pixels) goes through the context's interceptor: a module binding is looked up directly.
const Math = globalThis.Math;

export type PatternKind = 'rings' | 'hexagonal' | 'square';

/** Which image edge the beam-block bar comes from. */
export type Side = 'top' | 'bottom' | 'left' | 'right';

/** Options of `generatePattern`; every one has a default. */
export interface SynthOptions {
  kind?: PatternKind;
  height?: number;
  width?: number;
  /** True center (row, col); default: the image middle plus a random sub-pixel offset. */
  center?: { row: number; col: number };
  seed?: number;
  /** Peak signal in counts (default 2000). */
  intensity?: number;
  /** Poisson noise (default true). */
  noise?: boolean;
  /** Diffuse background around the center, in counts at the center (default 100). */
  diffuse?: number;
  /** Flat background in counts (default 5). */
  flat?: number;
  /** Walk-off: relative intensity change across half the image diagonal (default 0). */
  walkOff?: number;
  /** Direction of the walk-off gradient in radians (default random). */
  walkOffAngle?: number;
  /** Beam block: a bar from `side` to the center, plus a disk there (default none). */
  beamBlock?: { side: Side; width?: number; radius?: number } | null;
  /** Number of hot pixels (default 0) and their value (default 60000). */
  hotPixels?: number;
  hotValue?: number;
  /** Detector gap lines: module size in px and gap width in px (default none). */
  gaps?: { module: number; width?: number; value?: -1 | -2 } | null;
  /** Ring or lattice spacing in px (default about a tenth of the smaller side). */
  spacing?: number;
  /** Width (sigma, px) of rings and spots (default random in [1.2, 2.5]). */
  sigma?: number;
  /** Lattice rotation in radians (default random). */
  angle?: number;
  /** Sample type of the output (default 'float32'). */
  sampleType?: 'float32' | 'uint16' | 'int32';
}

/** A generated pattern: the image, its validity mask and where the center truly is. */
export interface SynthPattern {
  image: DiffractionImage;
  /** 1 = valid; 0 under the beam block and on gap lines (what a detector mask would hold). */
  mask: Uint8Array;
  /** The true center (row, col). */
  center: { row: number; col: number };
  /** Indices of the hot pixels (not in `mask`: nobody knows them in advance). */
  hotPixels: number[];
}

/** Draw a pattern. */
export function generatePattern(options: SynthOptions = {}): SynthPattern {
  const rng = new Rng(options.seed ?? 1);
  const height = options.height ?? 256;
  const width = options.width ?? height;
  const kind = options.kind ?? 'rings';
  const center = options.center ?? {
    row: (height - 1) / 2 + rng.uniform(-3, 3),
    col: (width - 1) / 2 + rng.uniform(-3, 3)
  };
  const spacing = options.spacing ?? Math.min(height, width) / rng.uniform(8, 14);
  const sigma = options.sigma ?? rng.uniform(1.2, 2.5);
  const intensity = options.intensity ?? 2000;
  const angle = options.angle ?? rng.uniform(0, Math.PI);
  const expected = new Float64Array(height * width);

  if (kind === 'rings') {
    Private.drawRings(expected, height, width, center, spacing, sigma, intensity, rng);
  } else {
    Private.drawLattice(expected, height, width, center, kind, spacing, sigma, intensity, angle, rng);
  }
  Private.addBackground(expected, height, width, center, options.diffuse ?? 100, options.flat ?? 5);
  if (options.walkOff) {
    const direction = options.walkOffAngle ?? rng.uniform(0, 2 * Math.PI);
    Private.applyWalkOff(expected, height, width, center, options.walkOff, direction);
  }

  const mask = new Uint8Array(height * width).fill(1);
  if (options.beamBlock) {
    Private.beamBlock(expected, mask, height, width, center, options.beamBlock);
  }

  const sampleType = options.sampleType ?? 'float32';
  const data =
    sampleType === 'uint16'
      ? new Uint16Array(height * width)
      : sampleType === 'int32'
        ? new Int32Array(height * width)
        : new Float32Array(height * width);
  const noise = options.noise ?? true;
  const ceiling = sampleType === 'uint16' ? 65535 : Infinity;
  for (let i = 0; i < data.length; i++) {
    const counts = noise ? rng.poisson(expected[i]) : expected[i];
    data[i] = Math.min(counts, ceiling);
  }

  if (options.gaps) {
    const gapValue = sampleType === 'uint16' ? 0 : (options.gaps.value ?? -1);
    Private.gaps(data, mask, height, width, options.gaps.module, options.gaps.width ?? 3, gapValue);
  }

  const hotPixels: number[] = [];
  const hotValue = options.hotValue ?? 60000;
  for (let k = 0; k < (options.hotPixels ?? 0); k++) {
    const i = rng.int(0, height * width - 1);
    data[i] = Math.min(hotValue, ceiling);
    hotPixels.push(i);
  }

  return { image: { height, width, data, sampleType }, mask, center, hotPixels };
}

namespace Private {
  type Point = { row: number; col: number };

  /** Powder rings at radii following a cubic-crystal-like sequence, with Friedel-symmetric texture. */
  export function drawRings(
    out: Float64Array,
    height: number,
    width: number,
    center: Point,
    spacing: number,
    sigma: number,
    intensity: number,
    rng: Rng
  ): void {
    const factors = [1, Math.SQRT2, Math.sqrt(3), 2, Math.sqrt(5), Math.sqrt(6), Math.sqrt(8), 3];
    const maxRadius = Math.hypot(height, width);
    const rings: { radius: number; amplitude: number; texture: number; phase: number }[] = [];
    for (let shell = 0; rings.length < 64; shell++) {
      const radius = spacing * factors[shell % factors.length] * (1 + Math.floor(shell / factors.length) * 3);
      if (radius > maxRadius) {
        break;
      }
      rings.push({
        radius,
        amplitude: intensity * rng.uniform(0.3, 1) * Math.exp(-radius / (0.6 * maxRadius)),
        // cos(2 theta) texture is unchanged by inversion: Friedel symmetric.
        texture: rng.uniform(0, 0.5),
        phase: rng.uniform(0, Math.PI)
      });
    }
    const reach = 5 * sigma;
    for (let r = 0; r < height; r++) {
      const dy = r - center.row;
      for (let c = 0; c < width; c++) {
        const dx = c - center.col;
        const rho = Math.hypot(dy, dx);
        const theta = Math.atan2(dy, dx);
        let sum = 0;
        for (const ring of rings) {
          const d = rho - ring.radius;
          if (d > reach || d < -reach) {
            continue;
          }
          const texture = 1 + ring.texture * Math.cos(2 * (theta - ring.phase));
          sum += ring.amplitude * texture * Math.exp((-d * d) / (2 * sigma * sigma));
        }
        out[r * width + c] += sum;
      }
    }
  }

  /** A spot lattice through the center; I(h, k) = I(-h, -k) but uneven otherwise. */
  export function drawLattice(
    out: Float64Array,
    height: number,
    width: number,
    center: Point,
    kind: 'hexagonal' | 'square',
    spacing: number,
    sigma: number,
    intensity: number,
    angle: number,
    rng: Rng
  ): void {
    const second = kind === 'hexagonal' ? Math.PI / 3 : Math.PI / 2;
    const a1 = { row: spacing * Math.sin(angle), col: spacing * Math.cos(angle) };
    const a2 = { row: spacing * Math.sin(angle + second), col: spacing * Math.cos(angle + second) };
    const maxRadius = Math.hypot(height, width);
    const reach = Math.ceil(4 * sigma);
    const extent = Math.ceil(maxRadius / (spacing * Math.sin(second))) + 1;
    const friedel = new Map<string, number>();
    for (let h = -extent; h <= extent; h++) {
      for (let k = -extent; k <= extent; k++) {
        const row = center.row + h * a1.row + k * a2.row;
        const col = center.col + h * a1.col + k * a2.col;
        if (row < -reach || row > height + reach || col < -reach || col > width + reach) {
          continue;
        }
        const key = h > 0 || (h === 0 && k >= 0) ? `${h},${k}` : `${-h},${-k}`;
        let structure = friedel.get(key);
        if (structure === undefined) {
          structure = rng.uniform(0.1, 1);
          friedel.set(key, structure);
        }
        const g = Math.hypot(row - center.row, col - center.col);
        const amplitude =
          h === 0 && k === 0 ? 4 * intensity : intensity * structure * Math.exp(-g / (0.5 * maxRadius));
        drawSpot(out, height, width, row, col, sigma, amplitude, reach);
      }
    }
  }

  function drawSpot(
    out: Float64Array,
    height: number,
    width: number,
    row: number,
    col: number,
    sigma: number,
    amplitude: number,
    reach: number
  ): void {
    const r0 = Math.max(0, Math.floor(row - reach));
    const r1 = Math.min(height - 1, Math.ceil(row + reach));
    const c0 = Math.max(0, Math.floor(col - reach));
    const c1 = Math.min(width - 1, Math.ceil(col + reach));
    const scale = -1 / (2 * sigma * sigma);
    for (let r = r0; r <= r1; r++) {
      const dy = r - row;
      for (let c = c0; c <= c1; c++) {
        const dx = c - col;
        out[r * width + c] += amplitude * Math.exp((dx * dx + dy * dy) * scale);
      }
    }
  }

  /** Diffuse (inelastic) scattering around the center plus a flat level. */
  export function addBackground(
    out: Float64Array,
    height: number,
    width: number,
    center: Point,
    diffuse: number,
    flat: number
  ): void {
    const length = 0.25 * Math.min(height, width);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const rho = Math.hypot(r - center.row, c - center.col);
        out[r * width + c] += flat + diffuse / (1 + rho / length) ** 2;
      }
    }
  }

  /** Multiply by 1 + strength * (projection on the direction) / (half diagonal), floored at 0.05. */
  export function applyWalkOff(
    out: Float64Array,
    height: number,
    width: number,
    center: Point,
    strength: number,
    direction: number
  ): void {
    const half = Math.hypot(height, width) / 2;
    const ur = Math.sin(direction);
    const uc = Math.cos(direction);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const t = ((r - center.row) * ur + (c - center.col) * uc) / half;
        out[r * width + c] *= Math.max(0.05, 1 + strength * t);
      }
    }
  }

  /** A bar from `side` to the center ending in a disk; almost nothing passes through. */
  export function beamBlock(
    out: Float64Array,
    mask: Uint8Array,
    height: number,
    width: number,
    center: Point,
    block: { side: Side; width?: number; radius?: number }
  ): void {
    const size = Math.min(height, width);
    const barHalf = (block.width ?? Math.max(4, size / 24)) / 2;
    const radius = block.radius ?? Math.max(6, size / 14);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const dy = r - center.row;
        const dx = c - center.col;
        let inside = dx * dx + dy * dy <= radius * radius;
        if (!inside) {
          switch (block.side) {
            case 'top':
              inside = dy <= 0 && Math.abs(dx) <= barHalf;
              break;
            case 'bottom':
              inside = dy >= 0 && Math.abs(dx) <= barHalf;
              break;
            case 'left':
              inside = dx <= 0 && Math.abs(dy) <= barHalf;
              break;
            case 'right':
              inside = dx >= 0 && Math.abs(dy) <= barHalf;
              break;
          }
        }
        if (inside) {
          const i = r * width + c;
          out[i] = 0.02 * out[i];
          mask[i] = 0;
        }
      }
    }
  }

  /** Horizontal and vertical gap lines between detector modules. */
  export function gaps(
    data: Float32Array | Uint16Array | Int32Array,
    mask: Uint8Array,
    height: number,
    width: number,
    module: number,
    gapWidth: number,
    value: number
  ): void {
    for (let r = 0; r < height; r++) {
      const rowGap = r % (module + gapWidth) >= module;
      for (let c = 0; c < width; c++) {
        const colGap = c % (module + gapWidth) >= module;
        if (rowGap || colGap) {
          const i = r * width + c;
          data[i] = value;
          mask[i] = 0;
        }
      }
    }
  }
}
