/**
 * The median of nine values (a 3x3 neighbourhood) by a selection network: the hot-pixel scan's
 * inner step, kept apart from the masks that use it. `median9Int` is the same network without
 * branches for int31 values (counts), whose comparisons the CPU cannot predict.
 */

/**
 * Median of 9 values (no NaN). A selection network of 19 compare-exchanges (A. Paeth,
 * Graphics Gems; N. Devillard's opt_med9): sort the triples p0..p2, p3..p5, p6..p8; the median
 * is then the median of the largest minimum, the middle middle and the smallest maximum.
 * Integers (counts) take a branch-free version: the comparisons are unpredictable.
 */
export function median9(
  p0: number,
  p1: number,
  p2: number,
  p3: number,
  p4: number,
  p5: number,
  p6: number,
  p7: number,
  p8: number
): number {
  if (
    isInt31(p0) &&
    isInt31(p1) &&
    isInt31(p2) &&
    isInt31(p3) &&
    isInt31(p4) &&
    isInt31(p5) &&
    isInt31(p6) &&
    isInt31(p7) &&
    isInt31(p8)
  ) {
    return median9Int(p0, p1, p2, p3, p4, p5, p6, p7, p8);
  }
  let t: number;
  // Sort each triple.
  if (p2 < p1) {
    t = p1;
    p1 = p2;
    p2 = t;
  }
  if (p5 < p4) {
    t = p4;
    p4 = p5;
    p5 = t;
  }
  if (p8 < p7) {
    t = p7;
    p7 = p8;
    p8 = t;
  }
  if (p1 < p0) {
    t = p0;
    p0 = p1;
    p1 = t;
  }
  if (p4 < p3) {
    t = p3;
    p3 = p4;
    p4 = t;
  }
  if (p7 < p6) {
    t = p6;
    p6 = p7;
    p7 = t;
  }
  if (p2 < p1) {
    t = p1;
    p1 = p2;
    p2 = t;
  }
  if (p5 < p4) {
    t = p4;
    p4 = p5;
    p5 = t;
  }
  if (p8 < p7) {
    t = p7;
    p7 = p8;
    p8 = t;
  }
  // Largest minimum into p6, smallest maximum into p2, middle middle into p4.
  if (p3 < p0) {
    p3 = p0;
  }
  if (p6 < p3) {
    p6 = p3;
  }
  if (p8 < p5) {
    p5 = p8;
  }
  if (p5 < p2) {
    p2 = p5;
  }
  if (p7 < p4) {
    t = p4;
    p4 = p7;
    p7 = t;
  }
  if (p4 < p1) {
    p4 = p1;
  }
  if (p7 < p4) {
    p4 = p7;
  }
  // Median of p6, p4, p2.
  if (p2 < p4) {
    t = p4;
    p4 = p2;
    p2 = t;
  }
  if (p4 < p6) {
    p4 = p6;
  }
  return p2 < p4 ? p2 : p4;
}

/** An integer in [-2^30, 2^30): the difference of two fits in an int32. */
function isInt31(x: number): boolean {
  return (x << 1) >> 1 === x;
}

/** `median9`'s network on int31 values, without branches (see `lowerPart`). */
export function median9Int(
  p0: number,
  p1: number,
  p2: number,
  p3: number,
  p4: number,
  p5: number,
  p6: number,
  p7: number,
  p8: number
): number {
  let d: number;
  // Sort each triple: a += d; b -= d with d = lowerPart(a, b) orders a, b.
  d = lowerPart(p1, p2);
  p1 += d;
  p2 -= d;
  d = lowerPart(p4, p5);
  p4 += d;
  p5 -= d;
  d = lowerPart(p7, p8);
  p7 += d;
  p8 -= d;
  d = lowerPart(p0, p1);
  p0 += d;
  p1 -= d;
  d = lowerPart(p3, p4);
  p3 += d;
  p4 -= d;
  d = lowerPart(p6, p7);
  p6 += d;
  p7 -= d;
  d = lowerPart(p1, p2);
  p1 += d;
  p2 -= d;
  d = lowerPart(p4, p5);
  p4 += d;
  p5 -= d;
  d = lowerPart(p7, p8);
  p7 += d;
  p8 -= d;
  // Largest minimum into p6, smallest maximum into p2, middle middle into p4.
  p3 -= lowerPart(p0, p3);
  p6 -= lowerPart(p3, p6);
  p5 += lowerPart(p5, p8);
  p2 += lowerPart(p2, p5);
  d = lowerPart(p4, p7);
  p4 += d;
  p7 -= d;
  p4 -= lowerPart(p1, p4);
  p4 += lowerPart(p4, p7);
  // Median of p6, p4, p2.
  d = lowerPart(p4, p2);
  p4 += d;
  p2 -= d;
  p4 -= lowerPart(p6, p4);
  return p4 + lowerPart(p4, p2);
}

/**
 * min(a, b) - a for int31 a and b, without a branch: b - a masked by its sign bit spread over
 * all bits (b - a >> 31 is all ones when b < a, else 0). So a + lowerPart(a, b) = min(a, b)
 * and b - lowerPart(a, b) = max(a, b).
 */
function lowerPart(a: number, b: number): number {
  const d = (b - a) | 0;
  return d & (d >> 31);
}
