/**
 * pyramid.ts `reduceWindow` and `reducePlane`: 2x reductions by normalized convolution, chained
 * `times` times, then planeOf's masked-mean subtraction (AssemblyScript; see index.ts).
 *
 * The rows stream as in the JavaScript: the caller writes the window's rows a chunk at a time
 * (values f64, mask u8) and calls `reducePush`; each row is reduced horizontally into its
 * level's ring of the last 4 or 5 such rows, and every coarse row that is then complete is
 * formed vertically and pushed on to the next level (the last level writes the plane). So the
 * memory is the chunk, a few lines per level and the result, whatever the window's size.
 * Same taps, same sums in the same order, same validity rule as the JavaScript: the values are
 * those of the JavaScript route.
 *
 * Layout from `heap` (`reduceStart` writes the header; `reduceBytes` gives its extent):
 *   header: mean f64, valid f64, offset f64, times i32, chunk i32, then the input, output and
 *     level tables (see the H_ and L_ offsets)
 *   per level: line value, valid f64[cols]; ring num, den f64[taps * outCols]; colTotal f64[outCols]
 *   input: values f64[chunk * cols], mask u8[chunk * cols]
 *   output: x, m f32[outRows * outCols]
 */
import { align16 } from './layout';

/** Most reductions one call may chain (the level table's size). */
const MAX_LEVELS = 16;

// Header fields (byte offsets from heap).
const H_MEAN = 0;
const H_VALID = 8;
const H_OFFSET = 16;
const H_TIMES = 24;
const H_CHUNK = 28;
const H_VALUES = 32;
const H_MASK = 36;
const H_X = 40;
const H_M = 44;
const H_ROWS = 48;
const H_COLS = 52;
const H_LEVELS = 64;
// Level table: 8 i32 per level.
const L_ROWS = 0;
const L_COLS = 4;
const L_PUSHED = 8;
const L_EMITTED = 12;
const L_LINE = 16;
const L_RING = 20;
const L_TOTAL = 24;
const L_SIZE = 32;
const HEADER = H_LEVELS + MAX_LEVELS * L_SIZE;

function tapCount(n: i32): i32 {
  return (n & 1) == 0 ? 4 : 5;
}

function tapFirst(n: i32): i32 {
  return (n & 1) == 0 ? -1 : -2;
}

/** Tap t of an axis of n samples: 1 3 3 1 / 8 (even n) or 1 4 6 4 1 / 16 (odd n). */
function tap(n: i32, t: i32): f64 {
  if ((n & 1) == 0) {
    return t == 0 || t == 3 ? 1.0 / 8 : 3.0 / 8;
  }
  return t == 0 || t == 4 ? 1.0 / 16 : t == 2 ? 6.0 / 16 : 4.0 / 16;
}

function coarse(n: i32): i32 {
  return (n + 1) >> 1;
}

/** Sum of the taps of coarse sample `k` inside an axis of `n` samples (pyramid.ts's order). */
function inBoundsWeight(k: i32, n: i32): f64 {
  let total = 0.0;
  const first = 2 * k + tapFirst(n);
  for (let t = 0; t < tapCount(n); t++) {
    const i = first + t;
    if (i >= 0 && i < n) {
      total += tap(n, t);
    }
  }
  return total;
}

/** Lay out the work space (and write the header when `write`); returns its extent in bytes. */
function layout(heap: usize, rows: i32, cols: i32, times: i32, chunk: i32, write: bool): f64 {
  let at = align16(heap + HEADER);
  let r = rows;
  let c = cols;
  for (let level = 0; level < times; level++) {
    const outCols = coarse(c);
    const line = at;
    const ring = line + (align16(<usize>c << 3) << 1);
    const total = ring + align16(<usize>(tapCount(r) * outCols) << 4);
    at = total + align16(<usize>outCols << 3);
    if (write) {
      const l = heap + H_LEVELS + <usize>(level * L_SIZE);
      store<i32>(l + L_ROWS, r);
      store<i32>(l + L_COLS, c);
      store<i32>(l + L_PUSHED, 0);
      store<i32>(l + L_EMITTED, 0);
      store<i32>(l + L_LINE, <i32>line);
      store<i32>(l + L_RING, <i32>ring);
      store<i32>(l + L_TOTAL, <i32>total);
    }
    r = coarse(r);
    c = outCols;
  }
  const values = at;
  const mask = values + align16(<usize>(chunk * cols) << 3);
  const x = mask + align16(<usize>(chunk * cols));
  const m = x + align16(<usize>(r * c) << 2);
  if (write) {
    store<i32>(heap + H_TIMES, times);
    store<i32>(heap + H_CHUNK, chunk);
    store<i32>(heap + H_VALUES, <i32>values);
    store<i32>(heap + H_MASK, <i32>mask);
    store<i32>(heap + H_X, <i32>x);
    store<i32>(heap + H_M, <i32>m);
    store<i32>(heap + H_ROWS, r);
    store<i32>(heap + H_COLS, c);
  }
  return <f64>(m - heap) + <f64>align16(<usize>(r * c) << 2);
}

/**
 * Bytes from `heap` that reducing a rows x cols window `times` times takes, its rows written
 * `chunk` at a time (computed in f64: the caller compares it with its cap before anything).
 */
export function reduceBytes(rows: i32, cols: i32, times: i32, chunk: i32): f64 {
  if (times < 1 || times > MAX_LEVELS || rows < 1 || cols < 1 || chunk < 1) {
    return Infinity;
  }
  const size = <f64>rows * <f64>cols;
  // The layout's i32 products must not overflow.
  if (<f64>chunk * <f64>cols > 1.0e8 || size > 2.5e8) {
    return Infinity;
  }
  return layout(0, rows, cols, times, chunk, false) + 16.0;
}

/**
 * Start a reduction of a rows x cols window (`offset` is added to the valid values of the
 * first reduction: `reducePlane`'s mean); then write rows at `reduceValuesAt` and
 * `reduceMaskAt` and call `reducePush`.
 */
export function reduceStart(heap: usize, rows: i32, cols: i32, times: i32, chunk: i32, offset: f64): void {
  layout(heap, rows, cols, times, chunk, true);
  store<f64>(heap + H_OFFSET, offset);
  for (let level = 0; level < times; level++) {
    const l = heap + H_LEVELS + <usize>(level * L_SIZE);
    const r = load<i32>(l + L_ROWS);
    const c = load<i32>(l + L_COLS);
    const outCols = coarse(c);
    // The rings start at 0 (a missing edge row reads slot 0 with weight 0: it must be finite).
    memory.fill(<usize>load<i32>(l + L_RING), 0, <usize>(tapCount(r) * outCols) << 4);
    const total = <usize>load<i32>(l + L_TOTAL);
    for (let k = 0; k < outCols; k++) {
      store<f64>(total + (<usize>k << 3), inBoundsWeight(k, c));
    }
  }
}

/** Where the caller writes a chunk's values (f64, `chunk` rows of the window's cols). */
export function reduceValuesAt(heap: usize): usize {
  return <usize>load<i32>(heap + H_VALUES);
}

/** Where the caller writes a chunk's mask (u8, non-zero where valid). */
export function reduceMaskAt(heap: usize): usize {
  return <usize>load<i32>(heap + H_MASK);
}

/** Reduce the next `count` rows of the window, written by the caller at the chunk's start. */
export function reducePush(heap: usize, count: i32): void {
  const l = heap + H_LEVELS;
  const cols = load<i32>(l + L_COLS);
  const line = <usize>load<i32>(l + L_LINE);
  const valid = line + align16(<usize>cols << 3);
  const values = reduceValuesAt(heap);
  const mask = reduceMaskAt(heap);
  for (let r = 0; r < count; r++) {
    // pyramid.ts `maskedLine`: masked values (maybe NaN) become 0.
    const v = values + (<usize>(r * cols) << 3);
    const m = mask + <usize>(r * cols);
    for (let c = 0; c < cols; c++) {
      if (load<u8>(m + <usize>c) != 0) {
        store<f64>(line + (<usize>c << 3), load<f64>(v + (<usize>c << 3)));
        store<f64>(valid + (<usize>c << 3), 1);
      } else {
        store<f64>(line + (<usize>c << 3), 0);
        store<f64>(valid + (<usize>c << 3), 0);
      }
    }
    push(heap, 0);
  }
}

/**
 * Level `level` takes the row in its line: reduced horizontally into its ring, then every coarse
 * row whose last source row this was is formed and handed to the next level (or the output).
 */
function push(heap: usize, level: i32): void {
  const l = heap + H_LEVELS + <usize>(level * L_SIZE);
  const rows = load<i32>(l + L_ROWS);
  const cols = load<i32>(l + L_COLS);
  const done = load<i32>(l + L_PUSHED);
  const outCols = coarse(cols);
  const taps = tapCount(rows);
  const line = <usize>load<i32>(l + L_LINE);
  const ring = <usize>load<i32>(l + L_RING);
  const span = <usize>outCols << 3;
  const slot = ring + <usize>(done % taps) * (span << 1);
  horizontal(line, line + align16(<usize>cols << 3), cols, slot, slot + span);
  store<i32>(l + L_PUSHED, done + 1);
  const outRows = coarse(rows);
  const next = heap + H_LEVELS + <usize>((level + 1) * L_SIZE);
  const final = level + 1 == load<i32>(heap + H_TIMES);
  for (let k = load<i32>(l + L_EMITTED); k < outRows; k++) {
    const first = 2 * k + tapFirst(rows);
    if (min(rows - 1, first + taps - 1) > done) {
      break;
    }
    let value: usize;
    let valid: usize;
    if (final) {
      value = <usize>load<i32>(heap + H_X) + (<usize>(k * outCols) << 2);
      valid = <usize>load<i32>(heap + H_M) + (<usize>(k * outCols) << 2);
    } else {
      value = <usize>load<i32>(next + L_LINE);
      valid = value + align16(span);
    }
    vertical(heap, level, k, rows, first, taps, ring, span, outCols, value, valid, final);
    store<i32>(l + L_EMITTED, k + 1);
    if (!final) {
      push(heap, level + 1);
    }
  }
}

/**
 * pyramid.ts `vertical`: coarse row k of a level from the ring's rows (missing edge rows get
 * weight 0 and slot 0's data; an even axis's fifth tap too), written as f64 lines for the next
 * level or as f32 into the output.
 */
function vertical(
  heap: usize,
  level: i32,
  k: i32,
  rows: i32,
  first: i32,
  taps: i32,
  ring: usize,
  span: usize,
  outCols: i32,
  value: usize,
  valid: usize,
  final: bool
): void {
  const pitch = span << 1;
  let n0: usize = ring;
  let n1: usize = ring;
  let n2: usize = ring;
  let n3: usize = ring;
  let n4: usize = ring;
  let w0 = 0.0;
  let w1 = 0.0;
  let w2 = 0.0;
  let w3 = 0.0;
  let w4 = 0.0;
  for (let t = 0; t < taps; t++) {
    const r = first + t;
    const inside = r >= 0 && r < rows;
    const at = ring + (inside ? <usize>(r % taps) * pitch : 0);
    const w = inside ? tap(rows, t) : 0.0;
    if (t == 0) {
      n0 = at;
      w0 = w;
    } else if (t == 1) {
      n1 = at;
      w1 = w;
    } else if (t == 2) {
      n2 = at;
      w2 = w;
    } else if (t == 3) {
      n3 = at;
      w3 = w;
    } else {
      n4 = at;
      w4 = w;
    }
  }
  if (taps == 4) {
    n4 = n0;
  }
  const limit = 0.5 * inBoundsWeight(k, rows);
  const total = <usize>load<i32>(heap + H_LEVELS + <usize>(level * L_SIZE) + L_TOTAL);
  const offset = level == 0 ? load<f64>(heap + H_OFFSET) : 0.0;
  for (let c = 0; c < outCols; c++) {
    const o = <usize>c << 3;
    const sm =
      w0 * load<f64>(n0 + span + o) +
      w1 * load<f64>(n1 + span + o) +
      w2 * load<f64>(n2 + span + o) +
      w3 * load<f64>(n3 + span + o) +
      w4 * load<f64>(n4 + span + o);
    let x = 0.0;
    let m = 0.0;
    if (sm >= limit * load<f64>(total + o) && sm > 0) {
      x =
        (w0 * load<f64>(n0 + o) +
          w1 * load<f64>(n1 + o) +
          w2 * load<f64>(n2 + o) +
          w3 * load<f64>(n3 + o) +
          w4 * load<f64>(n4 + o)) /
          sm +
        offset;
      m = 1;
    }
    if (final) {
      store<f32>(value + (<usize>c << 2), <f32>x);
      store<f32>(valid + (<usize>c << 2), <f32>m);
    } else {
      store<f64>(value + o, x);
      store<f64>(valid + o, m);
    }
  }
}

/** pyramid.ts `horizontal`: tap sums of one line of values and of its mask. */
function horizontal(value: usize, valid: usize, cols: i32, num: usize, den: usize): void {
  const hi = (cols - 3) >> 1;
  if ((cols & 1) == 0) {
    for (let k = 1, s = 1; k <= hi; k++, s += 2) {
      const v = value + (<usize>s << 3);
      const m = valid + (<usize>s << 3);
      store<f64>(
        num + (<usize>k << 3),
        (load<f64>(v) + 3 * (load<f64>(v, 8) + load<f64>(v, 16)) + load<f64>(v, 24)) / 8
      );
      store<f64>(
        den + (<usize>k << 3),
        (load<f64>(m) + 3 * (load<f64>(m, 8) + load<f64>(m, 16)) + load<f64>(m, 24)) / 8
      );
    }
  } else {
    for (let k = 1, s = 0; k <= hi; k++, s += 2) {
      const v = value + (<usize>s << 3);
      const m = valid + (<usize>s << 3);
      store<f64>(
        num + (<usize>k << 3),
        (load<f64>(v) + 4 * (load<f64>(v, 8) + load<f64>(v, 24)) + 6 * load<f64>(v, 16) + load<f64>(v, 32)) / 16
      );
      store<f64>(
        den + (<usize>k << 3),
        (load<f64>(m) + 4 * (load<f64>(m, 8) + load<f64>(m, 24)) + 6 * load<f64>(m, 16) + load<f64>(m, 32)) / 16
      );
    }
  }
  const outCols = coarse(cols);
  const first = tapFirst(cols);
  const taps = tapCount(cols);
  for (let k = 0; k < outCols; k++) {
    if (k >= 1 && k <= hi) {
      continue;
    }
    const s = 2 * k + first;
    let sx = 0.0;
    let sm = 0.0;
    for (let t = 0; t < taps; t++) {
      const i = s + t;
      if (i >= 0 && i < cols) {
        sx += tap(cols, t) * load<f64>(value + (<usize>i << 3));
        sm += tap(cols, t) * load<f64>(valid + (<usize>i << 3));
      }
    }
    store<f64>(num + (<usize>k << 3), sx);
    store<f64>(den + (<usize>k << 3), sm);
  }
}

/**
 * After the last row: ncc.ts `planeOf` on the output (masked mean, in the JavaScript's order,
 * subtracted from the valid values); stores the mean and the valid count in the header and
 * returns the offset of x (f32, outRows x outCols; m follows at `reduceOutMaskAt`).
 */
export function reduceFinish(heap: usize): usize {
  const x = <usize>load<i32>(heap + H_X);
  const m = <usize>load<i32>(heap + H_M);
  const size = load<i32>(heap + H_ROWS) * load<i32>(heap + H_COLS);
  let sum = 0.0;
  let valid = 0;
  for (let i = 0; i < size; i++) {
    if (load<f32>(m + (<usize>i << 2)) != 0) {
      sum += <f64>load<f32>(x + (<usize>i << 2));
      valid++;
    }
  }
  const mean = valid > 0 ? sum / <f64>valid : 0.0;
  for (let i = 0; i < size; i++) {
    if (load<f32>(m + (<usize>i << 2)) != 0) {
      const at = x + (<usize>i << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) - mean));
    }
  }
  store<f64>(heap + H_MEAN, mean);
  store<f64>(heap + H_VALID, <f64>valid);
  return x;
}

/** Offset of the output's mask (f32). */
export function reduceOutMaskAt(heap: usize): usize {
  return <usize>load<i32>(heap + H_M);
}

/** Output rows, then (`reduceOutCols`) columns. */
export function reduceOutRows(heap: usize): i32 {
  return load<i32>(heap + H_ROWS);
}

export function reduceOutCols(heap: usize): i32 {
  return load<i32>(heap + H_COLS);
}
