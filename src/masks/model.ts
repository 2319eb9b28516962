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

/** Where the base layer came from, for the result and the notebook. */
export interface MaskSource {
  /** 'file' (a mask TIFF), 'auto' (threshold / invalid pixels) or 'none'. */
  kind: 'file' | 'auto' | 'none';
  /** Path of the mask file, or a description of the automatic mask. */
  description: string | null;
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

/**
 * The mask of one image: base layer, shapes, inversion. Emits `changed` on every edit.
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
    this._base = base;
    this._source = base ? source : { kind: 'none', description: null };
    this._emit();
  }

  addShape(shape: MaskShape): void {
    this._shapes.push(shape);
    this._emit();
  }

  /** Remove the most recent shape containing (row, col); returns whether one was removed. */
  eraseAt(row: number, col: number): boolean {
    for (let i = this._shapes.length - 1; i >= 0; i--) {
      if (shapeContains(this._shapes[i], row, col)) {
        this._shapes.splice(i, 1);
        this._emit();
        return true;
      }
    }
    return false;
  }

  clearShapes(): void {
    if (this._shapes.length) {
      this._shapes = [];
      this._emit();
    }
  }

  invert(): void {
    this._inverted = !this._inverted;
    this._emit();
  }

  /** Forget everything. */
  reset(): void {
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

  private _emit(): void {
    this._composed = null;
    this._changed.emit();
  }

  private _base: Uint8Array | null = null;
  private _source: MaskSource = { kind: 'none', description: null };
  private _shapes: MaskShape[] = [];
  private _inverted = false;
  private _composed: Uint8Array | null = null;
  private _changed = new Signal<this, void>(this);
}
