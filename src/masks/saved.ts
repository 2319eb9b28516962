/**
 * A mask as plain JSON, to be kept across page reloads: the drawn shapes, the inversion, and how
 * the base layer was made (its steps: a mask file, automatic masks) rather than its pixels, which
 * are made again from those steps. No DOM. `savedMaskFrom` validates what comes back.
 */
import type { MaskBaseStep, MaskModel, MaskShape, MaskSource } from './model.js';

/** A mask as kept in the state database. */
export interface SavedMask {
  /** The image shape the mask was made for. */
  height: number;
  width: number;
  /** The base layer's origin; `steps` null when it cannot be made again. */
  source: { kind: MaskSource['kind']; description: string | null; steps: MaskBaseStep[] | null };
  shapes: MaskShape[];
  inverted: boolean;
}

/** The JSON of a mask; null when it masks nothing. */
export function maskToJSON(mask: MaskModel): SavedMask | null {
  if (mask.isEmpty) {
    return null;
  }
  const { kind, description, steps } = mask.source;
  return {
    height: mask.height,
    width: mask.width,
    source: { kind, description, steps: steps ? steps.map(step => ({ ...step })) : kind === 'none' ? [] : null },
    shapes: mask.shapes.map(shape => JSON.parse(JSON.stringify(shape)) as MaskShape),
    inverted: mask.inverted
  };
}

/** A valid copy of a saved mask, or null when `value` is not one. Invalid shapes are left out. */
export function savedMaskFrom(value: unknown): SavedMask | null {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || !Private.positiveInt(v.height) || !Private.positiveInt(v.width)) {
    return null;
  }
  const source = v.source as Record<string, unknown> | null;
  const kind = source?.kind;
  if (kind !== 'file' && kind !== 'auto' && kind !== 'none') {
    return null;
  }
  const steps = Array.isArray(source!.steps) ? source!.steps.map(maskStepFrom) : null;
  const shapes = Array.isArray(v.shapes) ? v.shapes.map(maskShapeFrom).filter((s): s is MaskShape => s !== null) : [];
  return {
    height: v.height,
    width: v.width,
    source: {
      kind,
      description: typeof source!.description === 'string' ? source!.description : null,
      // A step that cannot be read makes the whole base layer unmakeable.
      steps: steps && steps.every(s => s !== null) ? (steps as MaskBaseStep[]) : null
    },
    shapes,
    inverted: v.inverted === true
  };
}

/** A valid copy of a base-layer step, or null. */
export function maskStepFrom(value: unknown): MaskBaseStep | null {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object') {
    return null;
  }
  if (v.kind === 'file' && typeof v.path === 'string' && v.path) {
    return { kind: 'file', path: v.path };
  }
  if (v.kind === 'auto' && typeof v.invalidOnly === 'boolean' && Private.finite(v.threshold) && Private.index(v.frame)) {
    return { kind: 'auto', invalidOnly: v.invalidOnly, threshold: v.threshold, frame: v.frame };
  }
  return null;
}

/** A valid copy of a drawn shape, or null. */
export function maskShapeFrom(value: unknown): MaskShape | null {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || (v.mode !== 'exclude' && v.mode !== 'include')) {
    return null;
  }
  const { finite } = Private;
  const mode = v.mode;
  switch (v.kind) {
    case 'rect':
      return [v.r0, v.c0, v.r1, v.c1].every(finite)
        ? { kind: 'rect', mode, r0: v.r0 as number, c0: v.c0 as number, r1: v.r1 as number, c1: v.c1 as number }
        : null;
    case 'circle':
      return finite(v.row) && finite(v.col) && finite(v.radius) && v.radius > 0
        ? { kind: 'circle', mode, row: v.row, col: v.col, radius: v.radius }
        : null;
    case 'polygon': {
      const points = Array.isArray(v.points) ? v.points : [];
      const valid = points.every(p => Array.isArray(p) && p.length === 2 && p.every(finite));
      return valid && points.length >= 3
        ? { kind: 'polygon', mode, points: points.map(p => [p[0], p[1]] as [number, number]) }
        : null;
    }
    default:
      return null;
  }
}

namespace Private {
  export function finite(x: unknown): x is number {
    return typeof x === 'number' && Number.isFinite(x);
  }
  export function index(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= 0;
  }
  export function positiveInt(x: unknown): x is number {
    return index(x) && x > 0;
  }
}
