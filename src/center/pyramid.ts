/**
 * Anti-aliased 2x reduction of a plane, symmetric about its center so that the inversion
 * geometry survives: a shift `s` at the coarse level is the shift `2 s` at the finer one.
 *
 * Along an axis of even length N the coarse samples sit at fine positions 2k + 0.5 (binomial
 * taps 1 3 3 1 / 8); of odd length at 2k (taps 1 4 6 4 1 / 16). Both grids are mirror images of
 * themselves about the crop center (N - 1) / 2. Masked pixels are left out of the averages
 * (normalized convolution); a coarse pixel is valid when at least half of its weight was.
 *
 * The reduction streams: each coarse row is formed from its 4 or 5 source rows, kept as
 * half-width lines, so no full-size intermediate is allocated. `reduceWindow` reads a window of
 * the image itself, and chains several reductions row by row (the coarse pass needs neither the
 * full-resolution crop nor the intermediate levels as planes).
 */
import type { CropAxis } from './crop.js';
import { planeOf, type Plane } from './ncc.js';
import { wasmReduce } from './wasm-image.js';

/** Reduce a plane by 2 on both axes (values re-centered on their own masked mean). */
export function reducePlane(plane: Plane): Plane {
  const { rows, cols, x, m } = plane;
  // The same reduction in the WebAssembly kernel (wasm-image.ts); a plane's mask is 0/1.
  const compiled = wasmReduce(x, m, cols, 0, rows, 0, cols, 1, plane.mean, true);
  if (compiled) {
    return compiled;
  }
  // The plane's values are already 0 where masked.
  const load = (r: number, value: Float64Array, valid: Float64Array): void => {
    for (let c = 0, i = r * cols; c < cols; c++, i++) {
      value[c] = x[i];
      valid[c] = m[i];
    }
  };
  return Private.collect(Private.reduced({ rows, cols, load }, plane.mean));
}

/**
 * The window [rowAxis] x [colAxis] of an image (values where `mask` is 1) reduced `times` times
 * by 2: the same plane as `reducePlane` applied `times` times to the window cut out as a plane,
 * without cutting it out or keeping the intermediate levels (rows stream through).
 */
export function reduceWindow(
  data: ArrayLike<number>,
  mask: ArrayLike<number>,
  width: number,
  rowAxis: CropAxis,
  colAxis: CropAxis,
  times = 1
): Plane {
  // The same reductions in the WebAssembly kernel (wasm-image.ts), which streams the rows likewise.
  const compiled = wasmReduce(data, mask, width, rowAxis.origin, rowAxis.size, colAxis.origin, colAxis.size, times);
  if (compiled) {
    return compiled;
  }
  const load = (r: number, value: Float64Array, valid: Float64Array): void =>
    Private.maskedLine(data, mask, (rowAxis.origin + r) * width + colAxis.origin, colAxis.size, value, valid);
  let source: Private.RowSource = { rows: rowAxis.size, cols: colAxis.size, load };
  for (let k = 0; k < times; k++) {
    source = Private.reduced(source, 0);
  }
  return Private.collect(source);
}

namespace Private {
  const EVEN_TAPS = [1 / 8, 3 / 8, 3 / 8, 1 / 8];
  const ODD_TAPS = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

  /** Taps of an axis of `n` samples: coarse sample k uses fine samples start(k) + t. */
  function tapsOf(n: number): { length: number; first: number; taps: number[] } {
    return n % 2 === 0
      ? { length: n / 2, first: -1, taps: EVEN_TAPS }
      : { length: (n + 1) / 2, first: -2, taps: ODD_TAPS };
  }

  /**
   * A source of rows: `load(r, value, valid)` writes row r as masked values (0 where masked:
   * masked values, which may be NaN, are never read into sums) and 0/1 validity. Rows are
   * requested in order, each once.
   */
  export interface RowSource {
    rows: number;
    cols: number;
    load: (r: number, value: Float64Array, valid: Float64Array) => void;
  }

  /** The source's rows in a new plane. */
  export function collect(source: RowSource): Plane {
    const { rows, cols } = source;
    const x = new Float32Array(rows * cols);
    const m = new Float32Array(rows * cols);
    const value = new Float64Array(cols);
    const valid = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      source.load(r, value, valid);
      x.set(value, r * cols);
      m.set(valid, r * cols);
    }
    return planeOf(rows, cols, x, m);
  }

  /**
   * The 2x reduction of a source, as a source; `offset` is added to every valid coarse value.
   *
   * Horizontal first: every source row is read once, into its half-width tap sums (a ring of
   * the last few such rows); each coarse row then combines 4 or 5 of them vertically. The
   * result is the separable normalized convolution, divided by the in-bounds tap weight of both
   * axes.
   */
  export function reduced(source: RowSource, offset: number): RowSource {
    const { rows, cols } = source;
    const rowTaps = tapsOf(rows);
    const colTaps = tapsOf(cols);
    const outCols = colTaps.length;
    const lineValue = new Float64Array(cols);
    const lineMask = new Float64Array(cols);
    // Ring of horizontally reduced rows, indexed by source row modulo its length.
    const ring = rowTaps.taps.length;
    const hNum = Array.from({ length: ring }, () => new Float64Array(outCols));
    const hDen = Array.from({ length: ring }, () => new Float64Array(outCols));
    const colTotal = new Float64Array(outCols);
    for (let k = 0; k < outCols; k++) {
      colTotal[k] = inBoundsWeight(colTaps, k, cols);
    }
    let done = 0;
    const load = (k: number, value: Float64Array, valid: Float64Array): void => {
      const first = 2 * k + rowTaps.first;
      const last = Math.min(rows - 1, first + rowTaps.taps.length - 1);
      for (; done <= last; done++) {
        source.load(done, lineValue, lineMask);
        horizontal(lineValue, lineMask, cols, colTaps, hNum[done % ring], hDen[done % ring]);
      }
      // The in-bounds source rows of this coarse row, with their weights (missing rows of an
      // edge get weight 0 and any row's data: they add nothing).
      const n: Float64Array[] = [];
      const d: Float64Array[] = [];
      const w: number[] = [];
      for (let t = 0; t < rowTaps.taps.length; t++) {
        const r = first + t;
        const inside = r >= 0 && r < rows;
        n.push(hNum[inside ? r % ring : 0]);
        d.push(hDen[inside ? r % ring : 0]);
        w.push(inside ? rowTaps.taps[t] : 0);
      }
      const limit = 0.5 * inBoundsWeight(rowTaps, k, rows);
      if (n.length === 4) {
        n.push(n[0]);
        d.push(d[0]);
        w.push(0);
      }
      vertical(n, d, w, limit, colTotal, outCols, value, valid, offset);
    };
    return { rows: rowTaps.length, cols: outCols, load };
  }

  interface Taps {
    length: number;
    first: number;
    taps: number[];
  }

  /** Sum of the taps of coarse sample `k` that fall inside an axis of `n` samples. */
  function inBoundsWeight(axis: Taps, k: number, n: number): number {
    let total = 0;
    for (let t = 0; t < axis.taps.length; t++) {
      const i = 2 * k + axis.first + t;
      if (i >= 0 && i < n) {
        total += axis.taps[t];
      }
    }
    return total;
  }

  /**
   * Coarse samples of one row from 5 horizontally reduced source rows (an even axis has 4 taps:
   * the fifth gets weight 0): valid when the weight of valid pixels is at least `limit` times
   * the column's in-bounds weight.
   */
  function vertical(
    n: Float64Array[],
    d: Float64Array[],
    w: number[],
    limit: number,
    colTotal: Float64Array,
    outCols: number,
    value: Float64Array,
    valid: Float64Array,
    offset: number
  ): void {
    const [n0, n1, n2, n3, n4] = n;
    const [d0, d1, d2, d3, d4] = d;
    const [w0, w1, w2, w3, w4] = w;
    for (let c = 0; c < outCols; c++) {
      const sm = w0 * d0[c] + w1 * d1[c] + w2 * d2[c] + w3 * d3[c] + w4 * d4[c];
      if (sm >= limit * colTotal[c] && sm > 0) {
        value[c] = (w0 * n0[c] + w1 * n1[c] + w2 * n2[c] + w3 * n3[c] + w4 * n4[c]) / sm + offset;
        valid[c] = 1;
      } else {
        value[c] = 0;
        valid[c] = 0;
      }
    }
  }

  /**
   * One source row as masked values (0 where masked) and its 0/1 mask. A typed array's row is
   * converted in native code first: one generic loop over every sample type would see many
   * array types and run several times slower.
   */
  export function maskedLine(
    data: ArrayLike<number>,
    mask: ArrayLike<number>,
    start: number,
    cols: number,
    value: Float64Array,
    valid: Float64Array
  ): void {
    if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
      value.set((data as unknown as Float64Array).subarray(start, start + cols));
      for (let c = 0; c < cols; c++) {
        if (mask[start + c]) {
          valid[c] = 1;
        } else {
          valid[c] = 0;
          value[c] = 0;
        }
      }
      return;
    }
    for (let c = 0; c < cols; c++) {
      const m = mask[start + c] ? 1 : 0;
      valid[c] = m;
      value[c] = m ? data[start + c] : 0;
    }
  }

  /**
   * Tap sums of one line of values and of its mask (out-of-bounds taps contribute nothing).
   * Coarse samples 1 .. (cols - 3) / 2 have all their taps inside the line (both parities).
   */
  function horizontal(
    value: Float64Array,
    valid: Float64Array,
    cols: number,
    axis: Taps,
    num: Float64Array,
    den: Float64Array
  ): void {
    const hi = Math.floor((cols - 3) / 2);
    if (axis.taps.length === 4) {
      for (let k = 1, s = 1; k <= hi; k++, s += 2) {
        num[k] = (value[s] + 3 * (value[s + 1] + value[s + 2]) + value[s + 3]) / 8;
        den[k] = (valid[s] + 3 * (valid[s + 1] + valid[s + 2]) + valid[s + 3]) / 8;
      }
    } else {
      for (let k = 1, s = 0; k <= hi; k++, s += 2) {
        num[k] = (value[s] + 4 * (value[s + 1] + value[s + 3]) + 6 * value[s + 2] + value[s + 4]) / 16;
        den[k] = (valid[s] + 4 * (valid[s + 1] + valid[s + 3]) + 6 * valid[s + 2] + valid[s + 4]) / 16;
      }
    }
    for (let k = 0; k < axis.length; k++) {
      if (k >= 1 && k <= hi) {
        continue;
      }
      const s = 2 * k + axis.first;
      let sx = 0;
      let sm = 0;
      for (let t = 0; t < axis.taps.length; t++) {
        const i = s + t;
        if (i >= 0 && i < cols) {
          sx += axis.taps[t] * value[i];
          sm += axis.taps[t] * valid[i];
        }
      }
      num[k] = sx;
      den[k] = sm;
    }
  }
}
