/**
 * The engine's one FFT interface. Everything else calls `createFft2d`; the backend (fft.js,
 * radix-4, double precision, power-of-two sizes) can be swapped here without touching callers.
 *
 * Arrays are interleaved complex, row-major: element (r, c) is `data[2 * (r * cols + c)]` (real)
 * and `data[2 * (r * cols + c) + 1]` (imaginary). Transforms work in place.
 * Convention (numpy's): forward X[k] = sum_n x[n] e^{-2 pi i k n / N}; inverse divides by N.
 */
import FFT from 'fft.js';

/** A 2-D complex FFT of a fixed size. */
export interface Fft2d {
  readonly rows: number;
  readonly cols: number;
  /**
   * Forward transform in place. Rows at index >= `nonZeroRows` must be zero; their row pass is
   * skipped (zero padding costs nothing).
   */
  forward(data: Float64Array, nonZeroRows?: number): void;
  /**
   * Inverse transform in place, normalized by 1 / (rows * cols). Only output rows in
   * [`firstRow`, `endRow`) are computed (the row pass of the others is skipped; they hold
   * intermediate values).
   */
  inverse(data: Float64Array, firstRow?: number, endRow?: number): void;
}

/** The smallest power of two >= n (and >= 2). */
export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) {
    p *= 2;
  }
  return p;
}

/** A 2-D FFT of `rows` x `cols` (both powers of two). */
export function createFft2d(rows: number, cols: number): Fft2d {
  if (!Private.isPowerOfTwo(rows) || !Private.isPowerOfTwo(cols)) {
    throw new RangeError(`FFT sizes must be powers of two, got ${rows} x ${cols}`);
  }
  const rowFft = Private.plan(cols);
  const colFft = Private.plan(rows);
  const rowOut = new Float64Array(2 * cols);
  const colOut = new Float64Array(2 * rows);

  function rowPass(data: Float64Array, inverse: boolean, first: number, end: number): void {
    for (let r = first; r < end; r++) {
      const view = data.subarray(2 * r * cols, 2 * (r + 1) * cols);
      if (inverse) {
        rowFft.inverseTransform(rowOut, view);
      } else {
        rowFft.transform(rowOut, view);
      }
      view.set(rowOut);
    }
  }

  const colIn = new Float64Array(2 * rows);

  function colPass(data: Float64Array, inverse: boolean): void {
    const stride = 2 * cols;
    for (let c = 0; c < cols; c++) {
      for (let r = 0, i = 2 * c; r < rows; r++, i += stride) {
        colIn[2 * r] = data[i];
        colIn[2 * r + 1] = data[i + 1];
      }
      if (inverse) {
        colFft.inverseTransform(colOut, colIn);
      } else {
        colFft.transform(colOut, colIn);
      }
      for (let r = 0, i = 2 * c; r < rows; r++, i += stride) {
        data[i] = colOut[2 * r];
        data[i + 1] = colOut[2 * r + 1];
      }
    }
  }

  return {
    rows,
    cols,
    forward(data: Float64Array, nonZeroRows = rows): void {
      Private.checkLength(data, rows, cols);
      rowPass(data, false, 0, Math.min(rows, nonZeroRows));
      colPass(data, false);
    },
    inverse(data: Float64Array, firstRow = 0, endRow = rows): void {
      Private.checkLength(data, rows, cols);
      colPass(data, true);
      rowPass(data, true, Math.max(0, firstRow), Math.min(rows, endRow));
    }
  };
}

namespace Private {
  const plans = new Map<number, FFT>();

  export function isPowerOfTwo(n: number): boolean {
    return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
  }

  /** fft.js plans hold twiddle tables; keep one per size. */
  export function plan(size: number): FFT {
    let fft = plans.get(size);
    if (!fft) {
      fft = new FFT(size);
      plans.set(size, fft);
    }
    return fft;
  }

  export function checkLength(data: Float64Array, rows: number, cols: number): void {
    if (data.length !== 2 * rows * cols) {
      throw new RangeError(`expected ${2 * rows * cols} values, got ${data.length}`);
    }
  }
}
