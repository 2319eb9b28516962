/**
 * The NCC at one shift, remembered per plane: the searches of one `autocenter` call evaluate
 * the same shifts of the same plane again (the uncertainty's 3 x 3 samples about the peak the
 * last climb has just evaluated, the climbs of a restarted track, the final comparison of the
 * tracks). `nccAt` is a pure function of the plane and the shift, so the remembered value is the
 * value; planes are never changed after they are made (ncc.ts; a plane made into reused
 * `PlaneBuffers` is not used again once the next one is made into them).
 */
import { nccAt, type Plane } from './ncc.js';

/** Values by plane, keyed by `row * KEY_SPAN + col` (|col| < KEY_SPAN / 2). */
const memo = new WeakMap<Plane, Map<number, number>>();
const KEY_SPAN = 1 << 17;

/** `nccAt(plane, shiftRow, shiftCol)`, computed once per plane and shift. */
export function nccAtMemo(plane: Plane, shiftRow: number, shiftCol: number): number {
  if (Math.abs(shiftCol) >= KEY_SPAN / 2) {
    return nccAt(plane, shiftRow, shiftCol);
  }
  let values = memo.get(plane);
  if (!values) {
    values = new Map();
    memo.set(plane, values);
  }
  const key = shiftRow * KEY_SPAN + shiftCol;
  let v = values.get(key);
  if (v === undefined) {
    v = nccAt(plane, shiftRow, shiftCol);
    values.set(key, v);
  }
  return v;
}
