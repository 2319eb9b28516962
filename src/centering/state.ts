/**
 * Where a find-center session stands and the center it holds, as a small state machine (no
 * DOM): idle → running → found | error | cancelled; a center placed by hand is 'manual'. An
 * error is kept until the next action, which dismisses it (a stale error never stays shown).
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { CenterMethod } from '../notebook/metadata.js';
import type { CenterResult } from '../worker/center-client.js';
import type { CenterRequestOptions } from '../worker/center-protocol.js';

/** Where a session stands. */
export type CenterState = 'idle' | 'running' | 'found' | 'manual' | 'error' | 'cancelled';

/** A center with how it was obtained. */
export interface SessionCenter {
  row: number;
  col: number;
  frame: number;
  method: CenterMethod;
  /** The engine's result (the found one, also kept after a manual adjustment). */
  engine: CenterResult | null;
  /** Options the engine ran with. */
  options: CenterRequestOptions;
  /** The mask used, as described for the notebook. */
  mask: string | null;
}

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

  /** The engine found a center. */
  found(center: SessionCenter): void {
    this._center = center;
    this._go('found');
  }

  /** The center was placed by hand (the engine's result, if any, is kept for `reset`). */
  placed(row: number, col: number, fallback: Omit<SessionCenter, 'row' | 'col' | 'method' | 'engine'>): void {
    const c = this._center;
    this._center = {
      row,
      col,
      method: 'manual',
      frame: c?.frame ?? fallback.frame,
      engine: c?.engine ?? null,
      options: c?.options ?? fallback.options,
      mask: c?.mask ?? fallback.mask
    };
    this._go('manual');
  }

  /** Back to the engine's center after a manual adjustment; false when there is none. */
  reset(): boolean {
    const c = this._center;
    if (!c?.engine) {
      return false;
    }
    this._center = { ...c, row: c.engine.row, col: c.engine.col, method: 'autocenter' };
    this._go('found');
    return true;
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
    this._error = error;
    this._changed.emit();
  }

  private _state: CenterState = 'idle';
  private _error: string | null = null;
  private _center: SessionCenter | null = null;
  private _changed = new Signal<this, void>(this);
}
