/**
 * The engine benchmark's synthetic cases: a seeded, reproducible sweep over pattern kinds,
 * sizes, beam blocks, off-center positions, walk-off, hot pixels and detector gaps (int32 data).
 */
import { Rng } from '../tests/synth/rng.js';
import type { Side, SynthOptions } from '../tests/synth/index.js';

export interface BenchCase {
  id: number;
  label: string;
  /** Row of the accuracy table (the pattern kind, or 'near edge' for the near-edge cases). */
  group?: string;
  options: SynthOptions;
  /** Pass the generator's mask (beam block and gaps) to the engine. */
  useMask: boolean;
}

const SIDES: Side[] = ['top', 'bottom', 'left', 'right'];

/** `count` cases; sizes 256..2048 (few of the largest, they are slow to generate). */
export function benchCases(count: number, seed = 2024): BenchCase[] {
  const rng = new Rng(seed);
  const cases: BenchCase[] = [];
  for (let id = 0; id < count; id++) {
    const kind = (['rings', 'hexagonal', 'square'] as const)[id % 3];
    const size =
      id % 25 === 24 ? 2048 : id % 10 === 9 ? 1024 : rng.pick([256, 320, 384, 448, 512, 640, 768]);
    const width = rng.next() < 0.3 ? size + rng.int(-64, 64) : size;
    // Anywhere from a quarter of the width from the edge to the middle.
    const center = {
      row: rng.uniform(size / 4, (3 * size) / 4),
      col: rng.uniform(width / 4, (3 * width) / 4)
    };
    const beamBlock = rng.next() < 0.5 ? { side: rng.pick(SIDES) } : null;
    const walkOff = rng.next() < 0.3 ? rng.uniform(0.1, 0.5) : 0;
    const hotPixels = rng.int(1, 64);
    const gaps = rng.next() < 0.3 ? { module: rng.int(60, 200), width: rng.int(1, 7), value: rng.pick([-1, -2] as const) } : null;
    const options: SynthOptions = {
      kind,
      height: size,
      width,
      center,
      seed: seed + id,
      noise: true,
      intensity: rng.uniform(300, 5000),
      beamBlock,
      walkOff,
      hotPixels,
      gaps,
      // Gap sentinels (-1/-2) live in signed integer data (Pilatus); the Poisson counts are
      // integers, so the values are those of the float32 default.
      ...(gaps ? { sampleType: 'int32' as const } : {})
    };
    const parts = [kind, `${size}x${width}`];
    if (beamBlock) parts.push(`block-${beamBlock.side}`);
    if (walkOff) parts.push(`walkoff-${walkOff.toFixed(2)}`);
    parts.push(`hot-${hotPixels}`);
    if (gaps) parts.push(`gaps${gaps.value}`);
    cases.push({ id, label: parts.join(' '), options, useMask: beamBlock !== null });
  }
  return cases;
}

/**
 * Centers near an edge: 12-18 % of the width from one edge (the other coordinate 30-70 %),
 * rings and lattices of 516² to 2048², a beam block from any side (its mask passed), Poisson
 * noise, hot pixels. The symmetric crop about the center of mass cannot see these centers.
 */
export function edgeCases(count: number, seed = 4711): BenchCase[] {
  const rng = new Rng(seed);
  const cases: BenchCase[] = [];
  for (let id = 0; id < count; id++) {
    const kind = (['rings', 'hexagonal', 'square'] as const)[id % 3];
    const size = id % 8 === 7 ? 2048 : rng.pick([516, 640, 768, 1024]);
    const near = rng.uniform(0.12, 0.18) * size;
    const other = rng.uniform(0.3, 0.7) * size;
    const edge = rng.pick(SIDES);
    const center =
      edge === 'top'
        ? { row: near, col: other }
        : edge === 'bottom'
          ? { row: size - 1 - near, col: other }
          : edge === 'left'
            ? { row: other, col: near }
            : { row: other, col: size - 1 - near };
    const side = rng.pick(SIDES);
    const hotPixels = rng.int(1, 64);
    const options: SynthOptions = {
      kind,
      height: size,
      center,
      seed: seed + id,
      noise: true,
      intensity: rng.uniform(300, 5000),
      beamBlock: { side },
      hotPixels
    };
    const label = `${kind} ${size}x${size} center ${((100 * near) / size).toFixed(1)} % from ${edge} block-${side} hot-${hotPixels}`;
    cases.push({ id: 1000 + id, label, group: 'near edge', options, useMask: true });
  }
  return cases;
}
