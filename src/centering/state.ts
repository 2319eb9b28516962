/**
 * Where a find-center session stands and the center it holds, as a small state machine (no
 * DOM): idle → running → found | error | cancelled; a center placed by hand is 'manual'. An
 * error is kept until the next action, which dismisses it (a stale error never stays shown).
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { CenterMethod } from '../notebook/metadata.js';
import type { CenterRequestOptions } from '../worker/center-protocol.js';
import type { FrameCenterRecord } from './frame-centers.js';

/** Where a session stands. */
export type CenterState = 'idle' | 'running' | 'found' | 'manual' | 'error' | 'cancelled';

/**
 * What the session keeps of the engine's result for a center: the found center, its score and
 * caveats (the whole result while the page lives; restored from the saved state after a reload).
 */
export interface EngineSummary {
  row: number;
  col: number;
  score: number;
  /** The engine's time (ms), null when not known. */
  ms: number | null;
  warnings: string[];
  sigma?: [number, number];
}

/** A center with how it was obtained. */
export interface SessionCenter {
  row: number;
  col: number;
  /** The frame this center belongs to (the shown frame may have none of its own). */
  frame: number;
  method: CenterMethod;
  /** The engine's result (the found one, also kept after a manual adjustment). */
  engine: EngineSummary | null;
  /** Options the engine ran with. */
  options: CenterRequestOptions;
  /** The mask used, as described for the notebook. */
  mask: string | null;
}

/**
 * Where the session stands. The center comes from outside (`show`: the per-frame store's
 * center for the shown frame); the machine only says what the session is doing about it.
 */
export class CenterStateMachine {
  /** Emitted on every transition. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get state(): CenterState {
    return this._state;
  }

  /** The message of the 'error' state (null in every other state). */
  get error(): string | null {
    return this._error;
  }

  get center(): SessionCenter | null {
    return this._center;
  }

  /** A run started. */
  start(): void {
    this._go('running');
  }

  /**
   * Show another center (or none): a run, an error or a cancellation stay what they are;
   * otherwise the state follows the center ('found', 'manual' or 'idle').
   */
  show(center: SessionCenter | null): void {
    this._center = center;
    const s = this._state;
    this._go(s === 'running' || s === 'error' || s === 'cancelled' ? s : this._resting());
  }

  /** A run ended with a result (already shown): rest on the center shown. */
  finished(): void {
    this._go(this._resting());
  }

  /** Something failed: the previous center (if any) stays. */
  fail(message: string): void {
    this._go('error', message);
  }

  /** A run was cancelled: the previous center (if any) stays. */
  cancelled(): void {
    this._go('cancelled');
  }

  /** Forget an error or a cancellation: back to the state of the center held. */
  settle(): void {
    if (this._state === 'error' || this._state === 'cancelled') {
      this._go(this._resting());
    }
  }

  /** The state that describes the center held, without a run or an error. */
  private _resting(): CenterState {
    const c = this._center;
    return c === null ? 'idle' : c.method === 'manual' ? 'manual' : 'found';
  }

  private _go(state: CenterState, error: string | null = null): void {
    this._state = state;
    this._error = state === 'error' ? (error ?? this._error) : null;
    this._changed.emit();
  }

  private _state: CenterState = 'idle';
  private _error: string | null = null;
  private _center: SessionCenter | null = null;
  private _changed = new Signal<this, void>(this);
}

// ------------------------------------------------------------------ records of the store

/** The record of a center the engine found. */
export function foundRecord(
  result: Omit<EngineSummary, 'ms'> & { ms?: number | null },
  options: CenterRequestOptions,
  mask: string | null
): FrameCenterRecord {
  const record: FrameCenterRecord = {
    row: result.row,
    col: result.col,
    source: 'found',
    score: result.score,
    mask,
    options: { ...options },
    warnings: [...result.warnings]
  };
  if (result.sigma) record.sigma = [result.sigma[0], result.sigma[1]];
  if (typeof result.ms === 'number') record.ms = result.ms;
  return record;
}

/**
 * The record of a center placed by hand on a frame whose own record is `own` (null: none). The
 * engine's result of that frame is kept (for Reset Center); a first center takes `fallback`'s
 * mask and options.
 */
export function placedRecord(
  own: FrameCenterRecord | null,
  row: number,
  col: number,
  fallback: { mask: string | null; options: CenterRequestOptions }
): FrameCenterRecord {
  if (!own) {
    return { row, col, source: 'manual', score: null, mask: fallback.mask, options: { ...fallback.options } };
  }
  const found = own.source === 'found' ? { row: own.row, col: own.col } : own.found;
  const record: FrameCenterRecord = { ...own, row, col, source: 'manual' };
  if (found) record.found = found;
  return record;
}

/** The record back at the engine's center after a manual adjustment; null when there is none. */
export function resetRecord(own: FrameCenterRecord | null): FrameCenterRecord | null {
  if (!own || own.source !== 'manual' || !own.found || own.score === null) {
    return null;
  }
  const { found, ...rest } = own;
  return { ...rest, row: found.row, col: found.col, source: 'found' };
}

/** The session's view of the record of `frame`. */
export function sessionCenter(frame: number, record: FrameCenterRecord): SessionCenter {
  const at = record.source === 'found' ? record : record.found;
  const engine: EngineSummary | null =
    at && record.score !== null
      ? { row: at.row, col: at.col, score: record.score, ms: record.ms ?? null, warnings: record.warnings ?? [] }
      : null;
  if (engine && record.sigma) engine.sigma = record.sigma;
  return {
    row: record.row,
    col: record.col,
    frame,
    method: record.source === 'found' ? 'autocenter' : 'manual',
    engine,
    options: (record.options ?? {}) as CenterRequestOptions,
    mask: record.mask ?? null
  };
}
