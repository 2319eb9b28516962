/** Radix-2 complex FFTs on f64x2 (AssemblyScript; see index.ts). */

/*
 * Twiddles: w_k = exp(-2 pi i k / n) for k < n / 2, as (cos, -sin) pairs of f64, written by the
 * caller (JavaScript's Math.cos and Math.sin: the kernel holds no math library); `conjugate`
 * turns them into those of the inverse transform.
 */

/** The bit-reversal permutation of n (a power of two) at `rev` (i32). */
export function bitReversal(n: i32, rev: usize): void {
  let bits = 0;
  while ((1 << bits) < n) {
    bits++;
  }
  for (let i = 0; i < n; i++) {
    let r = 0;
    let v = i;
    for (let b = 0; b < bits; b++) {
      r = (r << 1) | (v & 1);
      v >>= 1;
    }
    store<i32>(rev + (<usize>i << 2), r);
  }
}

/** Conjugate the n / 2 twiddles at `tw` in place (forward <-> inverse). */
export function conjugate(tw: usize, n: i32): void {
  const half = n >> 1;
  for (let k = 0; k < half; k++) {
    const at = tw + (<usize>k << 4) + 8;
    store<f64>(at, -load<f64>(at));
  }
}

/** Complex product of a with w, both (re, im) in f64x2. */
// @ts-ignore: decorator
@inline
export function cmul(a: v128, wr: v128, wiSigned: v128): v128 {
  // (ar wr - ai wi, ai wr + ar wi): a * (wr, wr) + swap(a) * (-wi, wi)
  return f64x2.add(f64x2.mul(a, wr), f64x2.mul(v128.shuffle<f64>(a, a, 1, 0), wiSigned));
}

/** In-place radix-2 FFT of one contiguous row of n complex values at `p`. */
export function fftRow(p: usize, n: i32, tw: usize, rev: usize): void {
  for (let i = 0; i < n; i++) {
    const j = load<i32>(rev + (<usize>i << 2));
    if (j > i) {
      const pi = p + (<usize>i << 4);
      const pj = p + (<usize>j << 4);
      const t = v128.load(pi);
      v128.store(pi, v128.load(pj));
      v128.store(pj, t);
    }
  }
  // First stage: twiddle 1.
  for (let k = 0; k < n; k += 2) {
    const pa = p + (<usize>k << 4);
    const a = v128.load(pa);
    const b = v128.load(pa + 16);
    v128.store(pa, f64x2.add(a, b));
    v128.store(pa + 16, f64x2.sub(a, b));
  }
  for (let size = 4; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let k = 0; k < half; k++) {
      const w = tw + (<usize>(k * step) << 4);
      const wr = f64x2.splat(load<f64>(w));
      const wi = load<f64>(w + 8);
      const wis = f64x2.replace_lane(f64x2.splat(wi), 0, -wi);
      for (let start = 0; start < n; start += size) {
        const pa = p + (<usize>(start + k) << 4);
        const pb = pa + (<usize>half << 4);
        const a = v128.load(pa);
        const b = cmul(v128.load(pb), wr, wis);
        v128.store(pa, f64x2.add(a, b));
        v128.store(pb, f64x2.sub(a, b));
      }
    }
  }
}

/**
 * In-place radix-2 FFT along the columns of an n x c array (rows of c complex at `p`): the
 * butterflies act on whole rows, so the inner loops run along contiguous memory.
 */
export function fftColumns(p: usize, n: i32, c: i32, tw: usize, rev: usize, temp: usize): void {
  const rowBytes = <usize>c << 4;
  for (let i = 0; i < n; i++) {
    const j = load<i32>(rev + (<usize>i << 2));
    if (j > i) {
      const pi = p + <usize>i * rowBytes;
      const pj = p + <usize>j * rowBytes;
      memory.copy(temp, pi, rowBytes);
      memory.copy(pi, pj, rowBytes);
      memory.copy(pj, temp, rowBytes);
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let k = 0; k < half; k++) {
      const w = tw + (<usize>(k * step) << 4);
      const wr = f64x2.splat(load<f64>(w));
      const wi = load<f64>(w + 8);
      const wis = f64x2.replace_lane(f64x2.splat(wi), 0, -wi);
      const unit = k == 0;
      for (let start = 0; start < n; start += size) {
        let pa = p + <usize>(start + k) * rowBytes;
        let pb = pa + <usize>half * rowBytes;
        const end = pa + rowBytes;
        if (unit) {
          for (; pa < end; pa += 16, pb += 16) {
            const a = v128.load(pa);
            const b = v128.load(pb);
            v128.store(pa, f64x2.add(a, b));
            v128.store(pb, f64x2.sub(a, b));
          }
        } else {
          for (; pa < end; pa += 16, pb += 16) {
            const a = v128.load(pa);
            const b = cmul(v128.load(pb), wr, wis);
            v128.store(pa, f64x2.add(a, b));
            v128.store(pb, f64x2.sub(a, b));
          }
        }
      }
    }
  }
}
