/**
 * The mask a user builds in the viewer: a base layer (a loaded mask file or an automatic
 * mask), shapes drawn on top (exclude or re-include), and an optional inversion.
 *
 * Pure: typed arrays in and out, no DOM. 1 = valid pixel, 0 = masked, as scikit-ued does.
 * Shapes are in image coordinates (row, col) with pixel centers at integers: a pixel belongs
 * to a shape when its center lies inside it.
 */
import { Signal, type ISignal } from '@lumino/signaling';

/** A rectangle between two corners (inclusive of the pixel centers it contains). */
export interface RectShape {
  kind: 'rect';
  mode: 'exclude' | 'include';
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

/** A circle (disk). */
export interface CircleShape {
  kind: 'circle';
  mode: 'exclude' | 'include';
  row: number;
  col: number;
  radius: number;
}

/** A polygon through its vertices (closed). */
export interface PolygonShape {
  kind: 'polygon';
  mode: 'exclude' | 'include';
  points: Array<[number, number]>;
}

export type MaskShape = RectShape | CircleShape | PolygonShape;

/**
 * One step that made the base layer, so that it can be made again (after a page reload): a
 * mask file read, or an automatic mask of a frame combined with what was there.
 */
export type MaskBaseStep =
  | { kind: 'file'; path: string }
  | { kind: 'auto'; invalidOnly: boolean; threshold: number; frame: number };

/** Where the base layer came from, for the result and the notebook. */
export interface MaskSource {
  /** 'file' (a mask TIFF), 'auto' (threshold / invalid pixels) or 'none'. */
  kind: 'file' | 'auto' | 'none';
  /** Path of the mask file, or a description of the automatic mask. */
  description: string | null;
  /** The steps that make the base layer again, in order (absent: it cannot be made again). */
  steps?: readonly MaskBaseStep[];
}

/** The whole of a mask at once (see `MaskModel.load`). */
export interface MaskContent {
  base: Uint8Array | null;
  source: MaskSource;
  shapes: readonly MaskShape[];
  inverted: boolean;
}

/** Set `value` on the pixels of `mask` whose centers lie in `shape`. */
export function rasterizeShape(
  mask: Uint8Array,
  height: number,
  width: number,
  shape: MaskShape,
  value: 0 | 1
): void {
  switch (shape.kind) {
    case 'rect': {
      const r0 = Math.max(0, Math.ceil(Math.min(shape.r0, shape.r1)));
      const r1 = Math.min(height - 1, Math.floor(Math.max(shape.r0, shape.r1)));
      const c0 = Math.max(0, Math.ceil(Math.min(shape.c0, shape.c1)));
      const c1 = Math.min(width - 1, Math.floor(Math.max(shape.c0, shape.c1)));
      for (let r = r0; r <= r1; r++) {
        mask.fill(value, r * width + c0, r * width + c1 + 1);
      }
      return;
    }
    case 'circle': {
      const { row, col, radius } = shape;
      const r0 = Math.max(0, Math.ceil(row - radius));
      const r1 = Math.min(height - 1, Math.floor(row + radius));
      for (let r = r0; r <= r1; r++) {
        const half = Math.sqrt(Math.max(0, radius * radius - (r - row) * (r - row)));
        const c0 = Math.max(0, Math.ceil(col - half));
        const c1 = Math.min(width - 1, Math.floor(col + half));
        if (c1 >= c0) {
          mask.fill(value, r * width + c0, r * width + c1 + 1);
        }
      }
      return;
    }
    case 'polygon': {
      const pts = shape.points;
      if (pts.length < 3) {
        return;
      }
      let rMin = Infinity;
      let rMax = -Infinity;
      for (const [r] of pts) {
        rMin = Math.min(rMin, r);
        rMax = Math.max(rMax, r);
      }
      const r0 = Math.max(0, Math.ceil(rMin));
      const r1 = Math.min(height - 1, Math.floor(rMax));
      const crossings: number[] = [];
      // Scanline fill with the even-odd rule at each row of pixel centers.
      for (let r = r0; r <= r1; r++) {
        crossings.length = 0;
        for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
          const [ri, ci] = pts[i];
          const [rj, cj] = pts[j];
          if (ri > r !== rj > r) {
            crossings.push(ci + ((r - ri) / (rj - ri)) * (cj - ci));
          }
        }
        crossings.sort((a, b) => a - b);
        for (let k = 0; k + 1 < crossings.length; k += 2) {
          const c0 = Math.max(0, Math.ceil(crossings[k]));
          const c1 = Math.min(width - 1, Math.floor(crossings[k + 1]));
          if (c1 >= c0) {
            mask.fill(value, r * width + c0, r * width + c1 + 1);
          }
        }
      }
      return;
    }
  }
}

/** Whether the image point (row, col) lies inside a shape (for picking a shape to erase). */
export function shapeContains(shape: MaskShape, row: number, col: number): boolean {
  switch (shape.kind) {
    case 'rect':
      return (
        row >= Math.min(shape.r0, shape.r1) &&
        row <= Math.max(shape.r0, shape.r1) &&
        col >= Math.min(shape.c0, shape.c1) &&
        col <= Math.max(shape.c0, shape.c1)
      );
    case 'circle':
      return (row - shape.row) ** 2 + (col - shape.col) ** 2 <= shape.radius ** 2;
    case 'polygon': {
      let inside = false;
      const pts = shape.points;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [ri, ci] = pts[i];
        const [rj, cj] = pts[j];
        if (ri > row !== rj > row && col < ci + ((row - ri) / (rj - ri)) * (cj - ci)) {
          inside = !inside;
        }
      }
      return inside;
    }
  }
}

/** What the mask holds at one point of its history (arrays are never changed in place). */
interface MaskSnapshot {
  base: Uint8Array | null;
  source: MaskSource;
  shapes: MaskShape[];
  inverted: boolean;
}

/** How many edits `undo` can take back. */
export const MASK_UNDO_LIMIT = 100;

/**
 * The mask of one image: base layer, shapes, inversion. Emits `changed` on every edit; every
 * edit can be taken back with `undo` and made again with `redo`.
 */
export class MaskModel {
  constructor(
    readonly height: number,
    readonly width: number
  ) {
    if (!(height > 0 && width > 0)) {
      throw new Error(`A mask needs a positive shape, got ${height} × ${width}.`);
    }
  }

  /** Emitted whenever the effective mask changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The base layer (null = every pixel valid) and where it came from. */
  get base(): Uint8Array | null {
    return this._base;
  }
  get source(): MaskSource {
    return this._source;
  }

  /** Drawn shapes, oldest first. */
  get shapes(): readonly MaskShape[] {
    return this._shapes;
  }

  get inverted(): boolean {
    return this._inverted;
  }

  /** Whether anything masks any pixel. */
  get isEmpty(): boolean {
    return this._base === null && this._shapes.length === 0 && !this._inverted;
  }

  /** Replace the base layer; its length must match the image. */
  setBase(base: Uint8Array | null, source: MaskSource): void {
    if (base && base.length !== this.height * this.width) {
      throw new Error(
        `The mask has ${base.length} pixels but the image has ${this.height} × ${this.width} = ${this.height * this.width}.`
      );
    }
    this._record();
    this._base = base;
    this._source = base ? source : { kind: 'none', description: null };
    this._emit();
  }

  /** Make `base` the whole mask (no shapes, not inverted) in one edit, e.g. after saving it. */
  replace(base: Uint8Array, source: MaskSource): void {
    if (base.length !== this.height * this.width) {
      throw new Error(
        `The mask has ${base.length} pixels but the image has ${this.height} × ${this.width} = ${this.height * this.width}.`
      );
    }
    this._record();
    this._base = base;
    this._source = source;
    this._shapes = [];
    this._inverted = false;
    this._emit();
  }

  /** Set base layer, shapes and inversion in one edit (e.g. a mask restored after a reload). */
  load(content: MaskContent): void {
    const { base } = content;
    if (base && base.length !== this.height * this.width) {
      throw new Error(
        `The mask has ${base.length} pixels but the image has ${this.height} × ${this.width} = ${this.height * this.width}.`
      );
    }
    this._record();
    this._base = base;
    this._source = base ? content.source : { kind: 'none', description: null };
    this._shapes = [...content.shapes];
    this._inverted = content.inverted;
    this._emit();
  }

  addShape(shape: MaskShape): void {
    this._record();
    this._shapes = [...this._shapes, shape];
    this._emit();
  }

  /** Remove the most recent shape containing (row, col); returns whether one was removed. */
  eraseAt(row: number, col: number): boolean {
    for (let i = this._shapes.length - 1; i >= 0; i--) {
      if (shapeContains(this._shapes[i], row, col)) {
        this._record();
        this._shapes = this._shapes.filter((_, j) => j !== i);
        this._emit();
        return true;
      }
    }
    return false;
  }

  clearShapes(): void {
    if (this._shapes.length) {
      this._record();
      this._shapes = [];
      this._emit();
    }
  }

  invert(): void {
    this._record();
    this._inverted = !this._inverted;
    this._emit();
  }

  /** Forget everything. */
  reset(): void {
    if (this.isEmpty) {
      return;
    }
    this._record();
    this._base = null;
    this._source = { kind: 'none', description: null };
    this._shapes = [];
    this._inverted = false;
    this._emit();
  }

  /** The effective mask (1 = valid), or null when nothing is masked. Cached until the next edit. */
  compose(): Uint8Array | null {
    if (this.isEmpty) {
      return null;
    }
    if (this._composed) {
      return this._composed;
    }
    const { height, width } = this;
    const out = this._base ? this._base.slice() : new Uint8Array(height * width).fill(1);
    for (const shape of this._shapes) {
      rasterizeShape(out, height, width, shape, shape.mode === 'exclude' ? 0 : 1);
    }
    if (this._inverted) {
      for (let i = 0; i < out.length; i++) {
        out[i] = out[i] ? 0 : 1;
      }
    }
    this._composed = out;
    return out;
  }

  /** A short description of the mask for results and notebook metadata (null = no mask). */
  describe(): string | null {
    if (this.isEmpty) {
      return null;
    }
    const parts: string[] = [];
    if (this._base) {
      parts.push(this._source.description ?? this._source.kind);
    }
    if (this._shapes.length) {
      parts.push(`${this._shapes.length} drawn shape${this._shapes.length === 1 ? '' : 's'}`);
    }
    if (this._inverted) {
      parts.push('inverted');
    }
    return parts.join(' + ');
  }

  /** Whether there is an edit to take back / to make again. */
  get canUndo(): boolean {
    return this._undo.length > 0;
  }
  get canRedo(): boolean {
    return this._redo.length > 0;
  }

  /** Take back the last edit; false when there is none. */
  undo(): boolean {
    const previous = this._undo.pop();
    if (!previous) {
      return false;
    }
    this._redo.push(this._snapshot());
    this._restore(previous);
    return true;
  }

  /** Make the last undone edit again; false when there is none. */
  redo(): boolean {
    const next = this._redo.pop();
    if (!next) {
      return false;
    }
    this._undo.push(this._snapshot());
    this._restore(next);
    return true;
  }

  private _snapshot(): MaskSnapshot {
    return { base: this._base, source: this._source, shapes: this._shapes, inverted: this._inverted };
  }

  private _restore(snapshot: MaskSnapshot): void {
    this._base = snapshot.base;
    this._source = snapshot.source;
    this._shapes = snapshot.shapes;
    this._inverted = snapshot.inverted;
    this._emit();
  }

  /** Before an edit: remember the mask as it is, and forget what was undone. */
  private _record(): void {
    this._undo.push(this._snapshot());
    if (this._undo.length > MASK_UNDO_LIMIT) {
      this._undo.shift();
    }
    this._redo = [];
  }

  private _emit(): void {
    this._composed = null;
    this._changed.emit();
  }

  private _base: Uint8Array | null = null;
  private _source: MaskSource = { kind: 'none', description: null };
  private _shapes: MaskShape[] = [];
  private _inverted = false;
  private _composed: Uint8Array | null = null;
  private _undo: MaskSnapshot[] = [];
  private _redo: MaskSnapshot[] = [];
  private _changed = new Signal<this, void>(this);
}
