/** Helpers for the tests that compare the WebAssembly kernel with the JavaScript route. */
import { autocenter } from '../../src/center/autocenter.js';
import { setWasmEnabled } from '../../src/center/kernel.js';
import type { SynthPattern } from '../synth/index.js';

/** Run `run` with the kernel disabled (the JavaScript route everywhere). */
export function withoutKernel<T>(run: () => T): T {
  setWasmEnabled(false);
  try {
    return run();
  } finally {
    setWasmEnabled(true);
  }
}

/**
 * `autocenter` on the pattern by both routes: the same center (within 1e-6 px), the same
 * branches, and within `tolerance` px of the truth.
 */
export function expectSameCenter(p: SynthPattern, tolerance: number): void {
  const compiled = autocenter(p.image, { mask: p.mask });
  const script = withoutKernel(() => autocenter(p.image, { mask: p.mask }));
  expect(Math.abs(compiled.row - script.row)).toBeLessThan(1e-6);
  expect(Math.abs(compiled.col - script.col)).toBeLessThan(1e-6);
  expect(compiled.branches).toEqual(script.branches);
  expect(Math.hypot(compiled.row - p.center.row, compiled.col - p.center.col)).toBeLessThan(tolerance);
}
