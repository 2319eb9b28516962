/** Shared layout rules and formulas of the kernel (AssemblyScript; see index.ts). */

export function nextPowerOfTwo(n: i32): i32 {
  let p = 2;
  while (p < n) {
    p <<= 1;
  }
  return p;
}

export function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

/** Byte offset of the plane's values (f32, rows x cols) for `nccMap(heap, ...)`. */
export function valuesAt(heap: usize): usize {
  return align16(heap);
}

/** Byte offset of the plane's mask (f32, rows x cols) for `nccMap(heap, ...)`. */
export function maskAt(heap: usize, rows: i32, cols: i32): usize {
  return valuesAt(heap) + align16(<usize>(rows * cols) << 2);
}

export function nccFromSums(p: f64, s1: f64, s2: f64, n: f64, minOverlap: f64): f64 {
  if (n < minOverlap || n < 1) {
    return 0;
  }
  const centered = (s1 * s1) / n;
  const variance = s2 - centered;
  if (!(variance > 1e-12 * Math.abs(s2)) || variance <= 0) {
    return 0;
  }
  const value = (p - centered) / variance;
  return value > 1 ? 1 : value < -1 ? -1 : value;
}
