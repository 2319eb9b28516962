/**
 * The background-normalized representation of a plane (autocenter's second track): values
 * divided by their wide Gaussian background, floored at 1 % of its mean magnitude over the
 * valid pixels, then re-centered on their masked mean. A walk-off gradient or a diffuse halo
 * would otherwise make a false center correlate better than the true one.
 *
 * Computed by the WebAssembly kernel (wasm/normalize.ts) where it is available; the same steps
 * in JavaScript below otherwise (the background evaluated a row at a time, not stored).
 */
import { backgroundModel, blockSize, boxWidths } from './blur.js';
import { planeOf, type Plane } from './ncc.js';
import { wasmNormalize } from './wasm.js';

/** The plane divided by its background of `sigma` pixels; the mask array is shared with `plane`. */
export function normalizedPlane(plane: Plane, sigma: number): Plane {
  const { rows, cols, x, m, mean } = plane;
  const block = blockSize(sigma);
  const compiled = wasmNormalize(plane, block, boxWidths(sigma / block));
  if (compiled) {
    return { rows, cols, x: compiled.x, m, valid: compiled.valid, mean: compiled.mean };
  }
  const model = backgroundModel(rows, cols, x, m, sigma, mean);
  const floor = Math.max(1e-12, 0.01 * model.meanMagnitude);
  const line = new Float64Array(cols);
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    model.row(r, line);
    const start = r * cols;
    for (let c = 0; c < cols; c++) {
      if (m[start + c]) {
        values[start + c] = (x[start + c] + mean) / Math.max(line[c], floor);
      }
    }
  }
  return planeOf(rows, cols, values, m);
}
