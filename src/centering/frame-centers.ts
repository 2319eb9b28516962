/**
 * The centers of one image, one per frame (no DOM): what the crosshair and the status show for
 * the current frame, what Write Center writes, and what a page reload brings back (the store
 * is saved with the rest of the image's centering state, `centering/restore.ts`).
 *
 * Filled by Find Center (the current frame), by dragging the crosshair (a center placed by
 * hand) and by Find Centers of All Frames (`setMany`, one `changed` for the whole series).
 * A frame without a center of its own has none: `nearest` says which frame's center is the
 * closest stand-in, and the UI says plainly that it shows that frame's center.
 *
 * Records are plain JSON (saved as they are); `FrameCenters.fromJSON` validates each one and
 * drops what is not a record.
 */
import { Signal, type ISignal } from '@lumino/signaling';

/** How a frame's center was obtained: by the engine, or placed by hand. */
export type FrameCenterSource = 'found' | 'manual';

/** The center of one frame. Coordinates are (row, col), pixel centers at integers (numpy). */
export interface FrameCenterRecord {
  /** The center in use (shown by the crosshair, written to the notebook). */
  row: number;
  col: number;
  /** 'found': the engine's result; 'manual': placed (or adjusted) by hand. */
  source: FrameCenterSource;
  /**
   * The engine's score (peak normalized cross-correlation) of the center it found for this
   * frame, also kept under a manual adjustment; null when the engine never ran on the frame.
   */
  score: number | null;
  /** The engine's standard uncertainty of (row, col) in pixels, when it gave one. */
  sigma?: [number, number];
  /**
   * Where the engine found the center, when `source` is 'manual' after a run (Reset Center
   * goes back to it). Absent for a found center (it is `row`, `col`) and a hand-placed one.
   */
  found?: { row: number; col: number };
  /** The mask used, as described for the notebook (null: none). */
  mask?: string | null;
  /** The engine options the center was found with. */
  options?: Record<string, unknown>;
  /** Caveats: the engine's warnings, tracking flags (e.g. a jump from the previous frame). */
  warnings?: string[];
  /** The engine's time in milliseconds. */
  ms?: number;
}

/** The per-frame centers of one image. */
export class FrameCenters {
  /** Emitted after every change, with the frames whose center changed (ascending). */
  get changed(): ISignal<this, FrameCenters.IChange> {
    return this._changed;
  }

  /** The number of frames with a center. */
  get size(): number {
    return this._map.size;
  }

  /** The center of `frame`, or null when the frame has none of its own. */
  get(frame: number): FrameCenterRecord | null {
    return this._map.get(frame) ?? null;
  }

  /** Whether `frame` has a center of its own. */
  has(frame: number): boolean {
    return this._map.has(frame);
  }

  /** Set (or replace) the center of one frame. Throws on an invalid frame or record. */
  set(frame: number, center: FrameCenterRecord): void {
    this.setMany([[frame, center]]);
  }

  /** Set the centers of many frames at once (one `changed`), e.g. a whole series. */
  setMany(entries: Iterable<readonly [number, FrameCenterRecord]>): void {
    const checked: Array<[number, FrameCenterRecord]> = [];
    for (const [frame, center] of entries) {
      if (!isFrameIndex(frame)) {
        throw new Error(`Not a frame index: ${frame}.`);
      }
      const record = frameCenterFrom(center);
      if (!record) {
        throw new Error(`Not a center record for frame ${frame}: ${JSON.stringify(center)}.`);
      }
      checked.push([frame, record]);
    }
    if (!checked.length) {
      return;
    }
    for (const [frame, record] of checked) {
      this._map.set(frame, record);
    }
    this._emit(checked.map(([frame]) => frame));
  }

  /** Forget the center of one frame; false when it had none. */
  delete(frame: number): boolean {
    if (!this._map.delete(frame)) {
      return false;
    }
    this._emit([frame]);
    return true;
  }

  /** Forget every center. */
  clear(): void {
    const frames = this.frames();
    if (frames.length) {
      this._map.clear();
      this._emit(frames);
    }
  }

  /** The frames with a center, ascending. */
  frames(): number[] {
    return [...this._map.keys()].sort((a, b) => a - b);
  }

  /** [frame, center] pairs, by ascending frame. */
  entries(): Array<[number, FrameCenterRecord]> {
    return this.frames().map(frame => [frame, this._map.get(frame)!]);
  }

  /**
   * The center to show on `frame`: its own, else the center of the nearest frame that has one
   * (the lower frame on a tie), with that frame's index; null when no frame has a center.
   */
  nearest(frame: number): { frame: number; center: FrameCenterRecord } | null {
    const own = this._map.get(frame);
    if (own) {
      return { frame, center: own };
    }
    let best: number | null = null;
    for (const f of this._map.keys()) {
      const d = Math.abs(f - frame);
      if (best === null || d < Math.abs(best - frame) || (d === Math.abs(best - frame) && f < best)) {
        best = f;
      }
    }
    return best === null ? null : { frame: best, center: this._map.get(best)! };
  }

  /** Plain JSON: `{ "<frame>": record }`. */
  toJSON(): Record<string, FrameCenterRecord> {
    const out: Record<string, FrameCenterRecord> = {};
    for (const [frame, center] of this.entries()) {
      out[String(frame)] = center;
    }
    return out;
  }

  /** Replace every center by those of `toJSON`'s output; invalid entries are left out. */
  restore(value: unknown): void {
    const next = FrameCenters.parse(value);
    const frames = new Set([...this._map.keys(), ...next.keys()]);
    this._map = next;
    if (frames.size) {
      this._emit([...frames].sort((a, b) => a - b));
    }
  }

  /** A store holding the valid entries of `toJSON`'s output. */
  static fromJSON(value: unknown): FrameCenters {
    const store = new FrameCenters();
    store._map = FrameCenters.parse(value);
    return store;
  }

  private static parse(value: unknown): Map<number, FrameCenterRecord> {
    const map = new Map<number, FrameCenterRecord>();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, entry] of Object.entries(value)) {
        const frame = /^\d+$/.test(key) ? Number(key) : NaN;
        const record = frameCenterFrom(entry);
        if (isFrameIndex(frame) && record) {
          map.set(frame, record);
        }
      }
    }
    return map;
  }

  private _emit(frames: number[]): void {
    this._changed.emit({ frames });
  }

  private _map = new Map<number, FrameCenterRecord>();
  private _changed = new Signal<this, FrameCenters.IChange>(this);
}

export namespace FrameCenters {
  /** The payload of `changed`. */
  export interface IChange {
    /** The frames whose center was set, replaced or removed (ascending). */
    frames: number[];
  }
}

/** Whether `value` is a frame index (a whole number ≥ 0). */
export function isFrameIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * A valid copy of a center record (unknown fields dropped, JSON-safe), or null when `value` is
 * not one (missing or non-finite coordinates, unknown source, …).
 */
export function frameCenterFrom(value: unknown): FrameCenterRecord | null {
  if (!value || typeof value !== 'object') {
    return null;
  }
  const v = value as Record<string, unknown>;
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!finite(v.row) || !finite(v.col) || (v.source !== 'found' && v.source !== 'manual')) {
    return null;
  }
  if (v.score !== null && !finite(v.score)) {
    return null;
  }
  const record: FrameCenterRecord = { row: v.row, col: v.col, source: v.source, score: v.score };
  if (Array.isArray(v.sigma) && v.sigma.length === 2 && v.sigma.every(finite)) {
    record.sigma = [v.sigma[0], v.sigma[1]];
  }
  const found = v.found as Record<string, unknown> | undefined;
  if (found && typeof found === 'object' && finite(found.row) && finite(found.col)) {
    record.found = { row: found.row, col: found.col };
  }
  if (v.mask === null || typeof v.mask === 'string') {
    record.mask = v.mask;
  }
  if (v.options && typeof v.options === 'object' && !Array.isArray(v.options)) {
    record.options = JSON.parse(JSON.stringify(v.options)) as Record<string, unknown>;
  }
  if (Array.isArray(v.warnings)) {
    record.warnings = v.warnings.filter((w): w is string => typeof w === 'string');
  }
  if (finite(v.ms)) {
    record.ms = v.ms;
  }
  return record;
}
