/**
 * The scale last chosen by the user, remembered for new viewers (issue 12, item 11): when the
 * user picks a scale in any viewer, the next images open with it, also after a reload (kept in
 * the state database). Changing the default-scale setting forgets it: the setting wins again.
 */
import type { IStateDB } from '@jupyterlab/statedb';
import { isScaleName, type ScaleName } from './lut.js';
import type { ViewerModel } from './model.js';

/** The state-database key of the remembered scale. */
export const LAST_SCALE_KEY = 'jupyterlab-diffraction:viewer:last-scale';

/** Remembers the last scale chosen in a viewer. */
export class ScaleMemory {
  constructor(
    private readonly _state: IStateDB | null,
    private readonly _onChange: (scale: ScaleName | null) => void
  ) {
    this.ready = _state
      ? _state
          .fetch(LAST_SCALE_KEY)
          .then(value => {
            if (isScaleName(value) && this._value === null) this._set(value, false);
          })
          .catch(() => undefined)
      : Promise.resolve();
  }

  /** Resolves when the remembered scale is read. */
  readonly ready: Promise<void>;

  /** The remembered scale (null: none, the default-scale setting applies). */
  get value(): ScaleName | null {
    return this._value;
  }

  /** Remember what the user chooses in this viewer. */
  watch(model: ViewerModel): void {
    model.scaleChosen.connect((_, scale) => this._set(scale, true));
  }

  /** Forget the remembered scale (the default-scale setting changed). */
  forget(): void {
    if (this._value === null) return;
    this._value = null;
    this._onChange(null);
    void this._state?.remove(LAST_SCALE_KEY).catch(() => undefined);
  }

  private _set(scale: ScaleName, save: boolean): void {
    this._value = scale;
    this._onChange(scale);
    if (save) void this._state?.save(LAST_SCALE_KEY, scale).catch(() => undefined);
  }

  private _value: ScaleName | null = null;
}
