/**
 * Warming up the center Worker: V8 compiles the engine's hot loops only after they have run a
 * while, so the first Find Center in a fresh Worker would pay for that (several times the
 * warm time). A new Worker centers a few small generated patterns while it is idle instead,
 * one per task so that a real request is served between them (and ends the warm-up).
 */
import { autocenter } from '../center/index.js';
import type { ImageLike } from '../center/types.js';

/** A generated pattern with a beam block and hot pixels: what a warm-up call centers. */
export interface WarmUpCase {
  image: ImageLike;
  mask: Uint8Array;
}

/**
 * Small patterns that run the engine's common branches: a hexagonal spot lattice (lattice
 * candidates, both representations) and rings, as uint16 and float32 data.
 */
export function warmUpCases(): WarmUpCase[] {
  return [
    Private.pattern(192, 'spots', 'uint16'),
    Private.pattern(256, 'rings', 'float32'),
    Private.pattern(256, 'spots', 'float32'),
    Private.pattern(384, 'spots', 'uint16')
  ];
}

/**
 * Run the warm-up cases one per task (`schedule`, e.g. a zero timeout) until they are done or
 * `stopped()` says a real request came; `done` is called once at the end either way.
 */
export function warmUp(schedule: (step: () => void) => void, stopped: () => boolean, done: () => void): void {
  const cases = warmUpCases();
  const step = (): void => {
    const next = stopped() ? undefined : cases.shift();
    if (!next) {
      done();
      return;
    }
    try {
      autocenter(next.image, { mask: next.mask });
    } catch {
      // A warm-up call has no one to tell.
    }
    schedule(step);
  };
  schedule(step);
}

namespace Private {
  /** A deterministic pattern of `size`², center off the middle, beam block from the top. */
  export function pattern(size: number, kind: 'spots' | 'rings', type: 'uint16' | 'float32'): WarmUpCase {
    const data = type === 'uint16' ? new Uint16Array(size * size) : new Float32Array(size * size);
    const mask = new Uint8Array(size * size).fill(1);
    const r0 = size * 0.53 + 0.3;
    const c0 = size * 0.46 - 0.2;
    const spacing = size / 9;
    let seed = 12345;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const y = r - r0;
        const x = c - c0;
        const radius = Math.hypot(x, y);
        let v = 20 + 200 * Math.exp(-radius / (size / 4));
        if (kind === 'rings') {
          for (const ring of [0.15, 0.27, 0.38]) {
            v += 400 * Math.exp(-(((radius - ring * size) / 2) ** 2));
          }
        } else {
          // Hexagonal lattice: distance to the nearest lattice point.
          const b = y / (spacing * 0.866);
          const a = x / spacing - b / 2;
          const ia = Math.round(a);
          const ib = Math.round(b);
          for (let da = -1; da <= 1; da++) {
            for (let db = -1; db <= 1; db++) {
              const px = (ia + da + (ib + db) / 2) * spacing;
              const py = (ib + db) * spacing * 0.866;
              const d2 = (x - px) ** 2 + (y - py) ** 2;
              v += 800 * Math.exp(-d2 / 4 - radius / size);
            }
          }
        }
        // Deterministic noise.
        seed = (seed * 1103515245 + 12345) % 2147483648;
        v += (seed / 2147483648 - 0.5) * Math.sqrt(v);
        const i = r * size + c;
        data[i] = v;
        if (r < r0 && Math.abs(c - c0) < size / 30) {
          mask[i] = 0;
        }
      }
    }
    // A few hot pixels.
    for (let k = 1; k <= 5; k++) {
      data[(k * 37) % size * size + ((k * 53) % size)] = 60000;
    }
    return { image: { height: size, width: size, data }, mask };
  }
}
