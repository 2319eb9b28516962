/**
 * The series benchmark's drifting stacks: frames drawn by the synthetic generator with a center
 * that drifts slowly along a curve (about 0.2 px per frame, a few pixels over the stack) and
 * wobbles by a few hundredths of a pixel, so that every frame has its own sub-pixel center.
 */
import { generatePattern, type PatternKind, type SynthOptions } from '../tests/synth/index.js';
import type { DiffractionImage } from '../src/io/index.js';

export interface DriftingStack {
  frames: DiffractionImage[];
  /** True center of each frame. */
  centers: { row: number; col: number }[];
  /** The detector mask (beam block), the same for every frame, or null. */
  mask: Uint8Array | null;
}

export interface DriftingStackOptions {
  kind: PatternKind;
  frames: number;
  size: number;
  seed: number;
  /** Extra generator options (walk-off, beam block, ...) for every frame. */
  extra?: Partial<SynthOptions>;
}

/** The series benchmarks' stacks (the CLI's in series.bench.ts, the viewer's in viewer-series.bench.ts). */
export const STACKS: Record<string, Omit<DriftingStackOptions, 'frames' | 'size'>> = {
  rings: { kind: 'rings', seed: 1 },
  hexagonal: { kind: 'hexagonal', seed: 2 },
  'hexagonal+beam-block': { kind: 'hexagonal', seed: 3, extra: { beamBlock: { side: 'top' } } },
  'square+walk-off': { kind: 'square', seed: 4, extra: { walkOff: 0.5 } }
};

/** The true center of frame `k` of a stack of `n` frames of `size` pixels. */
export function driftCenter(k: number, n: number, size: number, seed: number): { row: number; col: number } {
  const t = n > 1 ? k / (n - 1) : 0;
  const phase = (seed % 7) * 0.9;
  return {
    row: size / 2 - 3.3 + 0.2 * n * t * Math.cos(phase) + 0.04 * Math.sin(1.7 * k + phase),
    col: size / 2 + 2.6 + 0.2 * n * t * Math.sin(phase) + 0.6 * Math.sin(Math.PI * t) + 0.03 * Math.cos(2.3 * k)
  };
}

/** Draw a drifting stack (spot intensities and noise change from frame to frame, the lattice does not). */
export function driftingStack(options: DriftingStackOptions): DriftingStack {
  const { kind, frames, size, seed } = options;
  const out: DiffractionImage[] = [];
  const centers: { row: number; col: number }[] = [];
  let mask: Uint8Array | null = null;
  for (let k = 0; k < frames; k++) {
    const center = driftCenter(k, frames, size, seed);
    const pattern = generatePattern({
      kind,
      height: size,
      width: size,
      center,
      seed: seed * 1000 + k,
      // The same lattice in every frame (spacing, spot width, angle fixed by the stack's seed).
      spacing: size / (9 + (seed % 4)),
      sigma: 1.4 + (seed % 3) * 0.3,
      angle: 0.3 + seed * 0.17,
      sampleType: 'uint16',
      ...options.extra
    });
    out.push(pattern.image);
    centers.push(center);
    if (options.extra?.beamBlock) {
      mask = pattern.mask;
    }
  }
  return { frames: out, centers, mask };
}
