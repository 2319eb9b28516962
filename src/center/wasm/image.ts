/**
 * Passes over the image (AssemblyScript; see index.ts): com.ts `centerOfMassAndCount` over a
 * chunk of rows, and crop.ts `cropPlane`. The caller copies the image's rows in as f64 (native
 * conversion from any sample type) and its masks as bytes; same arithmetic as the JavaScript.
 *
 * Layout from `heap` for rows x cols pixels (`imageBytes`): values f64[rows * cols], mask
 * u8[rows * cols], given u8[rows * cols]; then, for `cropPlane`, the plane's x f32 and m f32
 * and its result (valid, mean: f64); for `comRows`, the sums (f64 x 4).
 */
import { align16 } from './layout';

/** Byte offset of the values (f64) at `heap`. */
export function imageValuesAt(heap: usize): usize {
  return align16(heap);
}

/** Byte offset of the mask (u8, 0 = masked). */
export function imageMaskAt(heap: usize, rows: i32, cols: i32): usize {
  return imageValuesAt(heap) + align16(<usize>(rows * cols) << 3);
}

/** Byte offset of the second (given) mask (u8). */
export function imageGivenAt(heap: usize, rows: i32, cols: i32): usize {
  return imageMaskAt(heap, rows, cols) + align16(<usize>(rows * cols));
}

/** Byte offset of the results: the crop's x (f32), m (f32), then valid and mean (f64); or COM sums. */
export function imageOutAt(heap: usize, rows: i32, cols: i32): usize {
  return imageGivenAt(heap, rows, cols) + align16(<usize>(rows * cols));
}

/**
 * A plane written from `x` (`size` f32 values): its 0/1 mask (f32) after the values, then its
 * valid count and mean (f64); the layout of `cropPlane`'s and `binFinish`'s results.
 */
export function planeMaskAt(x: usize, size: i32): usize {
  return x + align16(<usize>size << 2);
}

/** Byte offset of the valid count and the mean of the plane written from `x` (see `planeMaskAt`). */
export function planeResultAt(x: usize, size: i32): usize {
  return planeMaskAt(x, size) + align16(<usize>size << 2);
}

/** Bytes from `heap` that `comRows` and `cropPlane` use for rows x cols pixels. */
export function imageBytes(rows: i32, cols: i32): f64 {
  return <f64>(imageOutAt(0, rows, cols)) + 8.0 * <f64>rows * <f64>cols + 64.0;
}

/**
 * com.ts `centerOfMassAndCount` on `rows` rows of `cols` pixels, the first being image row
 * `firstRow`: where `useGiven`, the mask is cleared where the given mask is 0 (in place, the
 * caller copies it back); `useMask` 0 = every pixel valid. Adds to the sums at `imageOutAt`:
 * total, sumRow, sumCol, valid (the caller zeroes them before the first chunk).
 */
export function comRows(heap: usize, rows: i32, cols: i32, firstRow: i32, useMask: i32, useGiven: i32): void {
  const values = imageValuesAt(heap);
  const mask = imageMaskAt(heap, rows, cols);
  const given = imageGivenAt(heap, rows, cols);
  const out = imageOutAt(heap, rows, cols);
  let total = load<f64>(out);
  let sumRow = load<f64>(out + 8);
  let sumCol = load<f64>(out + 16);
  let valid = load<f64>(out + 24);
  for (let r = 0; r < rows; r++) {
    let rowTotal = 0.0;
    let rowCol = 0.0;
    const offset = r * cols;
    for (let c = 0; c < cols; c++) {
      const i = <usize>(offset + c);
      if (useMask) {
        if (useGiven && load<u8>(given + i) == 0) {
          store<u8>(mask + i, 0);
        }
        if (load<u8>(mask + i) == 0) {
          continue;
        }
      }
      valid += 1;
      const v = load<f64>(values + (i << 3));
      if (!(v > 0) || v == Infinity) {
        continue;
      }
      rowTotal += v;
      rowCol += v * <f64>c;
    }
    total += rowTotal;
    sumRow += rowTotal * <f64>(firstRow + r);
    sumCol += rowCol;
  }
  store<f64>(out, total);
  store<f64>(out + 8, sumRow);
  store<f64>(out + 16, sumCol);
  store<f64>(out + 24, valid);
}

/**
 * crop.ts `cropPlane` of the window copied at `heap` (values and mask): the masked mean, then
 * x = value - mean (f32) and m = 1 where valid, 0 elsewhere; valid and mean after them.
 */
export function cropPlane(heap: usize, rows: i32, cols: i32): void {
  const values = imageValuesAt(heap);
  const mask = imageMaskAt(heap, rows, cols);
  const size = rows * cols;
  const x = imageOutAt(heap, rows, cols);
  const m = planeMaskAt(x, size);
  const result = planeResultAt(x, size);
  let sum = 0.0;
  let valid = 0;
  for (let i = 0; i < size; i++) {
    if (load<u8>(mask + <usize>i) != 0) {
      sum += load<f64>(values + (<usize>i << 3));
      valid++;
    }
  }
  const mean = valid > 0 ? sum / <f64>valid : 0;
  for (let i = 0; i < size; i++) {
    const o = <usize>i << 2;
    if (load<u8>(mask + <usize>i) != 0) {
      store<f32>(x + o, <f32>(load<f64>(values + (<usize>i << 3)) - mean));
      store<f32>(m + o, 1);
    } else {
      store<f32>(x + o, 0);
      store<f32>(m + o, 0);
    }
  }
  store<f64>(result, <f64>valid);
  store<f64>(result + 8, mean);
}

/*
 * global.ts `binnedPlane`: the image binned in blocks of `block` x `block` pixels (the mean of
 * each block's valid pixels; a block is valid when at least half of its pixels are). The
 * caller copies in one band of `block` image rows at a time (values and mask, at
 * `imageValuesAt` / `imageMaskAt` for `block` rows of the image's width) and calls `binBand`;
 * then `binFinish` makes the plane at `binOutAt` (laid out as `planeMaskAt` says).
 * Layout after the band: sums, counts f64[rows * cols]; x f32, m f32 [rows * cols]; result.
 */

function binSumsAt(heap: usize, block: i32, width: i32): usize {
  return imageOutAt(heap, block, width);
}

/** Byte offset of the binned plane's x (f32), then m (f32), then valid and mean (f64). */
export function binOutAt(heap: usize, block: i32, width: i32, rows: i32, cols: i32): usize {
  return binSumsAt(heap, block, width) + (<usize>(rows * cols) << 4);
}

/** Bytes from `heap` that binning an image of `width` into rows x cols blocks takes. */
export function binBytes(block: i32, width: i32, rows: i32, cols: i32): f64 {
  return <f64>binOutAt(0, block, width, rows, cols) + 8.0 * <f64>rows * <f64>cols + 64.0;
}

/** Add the band copied in (block rows, from column `left`) to block row `br` of the sums. */
export function binBand(heap: usize, block: i32, width: i32, left: i32, cols: i32, br: i32, rows: i32): void {
  const values = imageValuesAt(heap);
  const mask = imageMaskAt(heap, block, width);
  const sums = binSumsAt(heap, block, width);
  const counts = sums + (<usize>(rows * cols) << 3);
  const out = br * cols;
  if (br == 0) {
    memory.fill(sums, 0, <usize>(rows * cols) << 4);
  }
  for (let r = 0; r < block; r++) {
    let i = r * width + left;
    for (let bc = 0; bc < cols; bc++) {
      let sum = 0.0;
      let count = 0;
      for (let k = 0; k < block; k++, i++) {
        if (load<u8>(mask + <usize>i) != 0) {
          sum += load<f64>(values + (<usize>i << 3));
          count++;
        }
      }
      const o = <usize>(out + bc) << 3;
      store<f64>(sums + o, load<f64>(sums + o) + sum);
      store<f64>(counts + o, load<f64>(counts + o) + <f64>count);
    }
  }
}

/** The binned plane from the sums: block means where at least half valid, then planeOf's mean. */
export function binFinish(heap: usize, block: i32, width: i32, rows: i32, cols: i32): void {
  const size = rows * cols;
  const sums = binSumsAt(heap, block, width);
  const counts = sums + (<usize>size << 3);
  const x = binOutAt(heap, block, width, rows, cols);
  const m = planeMaskAt(x, size);
  const result = planeResultAt(x, size);
  const enough = <f64>(block * block) / 2;
  let sum = 0.0;
  let valid = 0;
  for (let i = 0; i < size; i++) {
    const o = <usize>i << 3;
    const count = load<f64>(counts + o);
    if (count >= enough) {
      const v = <f32>(load<f64>(sums + o) / count);
      store<f32>(x + (<usize>i << 2), v);
      store<f32>(m + (<usize>i << 2), 1);
      sum += <f64>v;
      valid++;
    } else {
      store<f32>(x + (<usize>i << 2), 0);
      store<f32>(m + (<usize>i << 2), 0);
    }
  }
  const mean = valid > 0 ? sum / <f64>valid : 0;
  for (let i = 0; i < size; i++) {
    const o = <usize>i << 2;
    if (load<f32>(m + o) != 0) {
      store<f32>(x + o, <f32>(<f64>load<f32>(x + o) - mean));
    }
  }
  store<f64>(result, <f64>valid);
  store<f64>(result + 8, mean);
}
