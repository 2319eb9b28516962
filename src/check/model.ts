/**
 * What the center check shows for one viewer: the radial profile, its peaks and the polar view
 * of the current frame about the current center, computed in the check Worker and kept up to
 * date while the center moves (the crosshair dragged), the frame changes or the mask is edited.
 * Computes only while something uses it (`active`: the check panel is open, or the guide rings
 * follow the peaks). No DOM besides the Worker.
 */
import type { IDisposable } from '@lumino/disposable';
import { Signal, type ISignal } from '@lumino/signaling';
import type { CenterSession } from '../centering/session.js';
import type { DiffractionViewer } from '../viewer/widget.js';
import { CheckClient, type CheckOptions, type CheckResult } from '../worker/check-client.js';
import type { CheckFailure } from '../worker/check-protocol.js';

/** Azimuths of the polar view (1° each). */
export const POLAR_AZIMUTHS = 360;

/** The guide rings that follow the data: at most this many peaks, the most prominent. */
export const MAX_FOLLOWED_RINGS = 6;

export class CheckModel implements IDisposable {
  constructor(
    readonly viewer: DiffractionViewer,
    readonly session: CenterSession,
    private readonly _autoMask: () => boolean
  ) {
    this._client = new CheckClient(
      result => this._onResult(result),
      failure => this._onError(failure)
    );
    viewer.centerChanged.connect(this.refresh, this);
    viewer.frameChanged.connect(this.refresh, this);
    session.editor.changed.connect(this.refresh, this);
  }

  /** Emitted when a new result (or error) arrives, or the options change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The latest answer, about `result.center` (null before the first, or without a center). */
  get result(): CheckResult | null {
    return this._result;
  }

  /** Why there is no result ('' when there is one or none was asked for). */
  get message(): string {
    return this._message;
  }

  /** Whether a computation is under way. */
  get busy(): boolean {
    return this._client.busy;
  }

  /** Whether it computes (someone shows the result). Turning it on computes at once. */
  get active(): boolean {
    return this._active || this._holds > 0;
  }
  set active(value: boolean) {
    if (value !== this._active) {
      this._active = value;
      this.refresh();
    }
  }

  /**
   * The result about the viewer's current center, frame, mask and statistic: the one shown when
   * it is up to date, else computed now (also while nothing shows it). Rejects with the reason
   * when there is none (no center yet, the image not loaded, an error of the Worker).
   */
  async current(): Promise<CheckResult> {
    this._holds++;
    try {
      if (!this._upToDate()) {
        const done = new Promise<void>(resolve => {
          const check = () => {
            if (this._upToDate() || this._message || this._disposed) {
              this._changed.disconnect(check);
              resolve();
            }
          };
          this._changed.connect(check);
        });
        this._message = '';
        this.refresh();
        await done;
      }
      if (!this._upToDate()) {
        throw new Error(this._message || 'no-result');
      }
      return this._result!;
    } finally {
      this._holds--;
    }
  }

  /** Whether the polar view is computed too (the profile always is). */
  get polar(): boolean {
    return this._options.azimuths > 0;
  }
  set polar(value: boolean) {
    const azimuths = value ? POLAR_AZIMUTHS : 0;
    if (azimuths !== this._options.azimuths) {
      this._options = { ...this._options, azimuths };
      this.refresh();
    }
  }

  /** 'mean' (default) or 'median' per radius bin. */
  get statistic(): 'mean' | 'median' {
    return this._options.statistic;
  }
  set statistic(value: 'mean' | 'median') {
    if (value !== this._options.statistic) {
      this._options = { ...this._options, statistic: value };
      this.refresh();
    }
  }

  /** The radii of the most prominent peaks (at most `MAX_FOLLOWED_RINGS`), increasing. */
  peakRadii(): number[] {
    const peaks = this._result?.peaks ?? [];
    return [...peaks]
      .sort((a, b) => b.prominence - a.prominence)
      .slice(0, MAX_FOLLOWED_RINGS)
      .map(p => p.radius)
      .sort((a, b) => a - b);
  }

  /** Compute again about the viewer's current center (when active). */
  refresh(): void {
    if (!this.active || this._disposed) {
      return;
    }
    const frame = this.viewer.frame;
    const center = this.viewer.center;
    if (!frame || !center) {
      this._result = null;
      this._message = frame ? 'no-center' : 'no-frame';
      this._changed.emit();
      return;
    }
    this._client.setFrame(frame);
    const mask = this.session.mask;
    this._client.setMask(mask && mask.height === frame.height && mask.width === frame.width ? mask.compose() : null, this._autoMask());
    this._client.request(center, this._options);
  }

  /** Whether the result is about what the viewer shows now (nothing newer under way). */
  private _upToDate(): boolean {
    const r = this._result;
    const c = this.viewer.center;
    return (
      !!r && !!c && !this._client.busy && r.center.row === c.row && r.center.col === c.col && r.statistic === this.statistic
    );
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._client.dispose();
    this.viewer.centerChanged.disconnect(this.refresh, this);
    this.viewer.frameChanged.disconnect(this.refresh, this);
    this.session.editor.changed.disconnect(this.refresh, this);
    Signal.clearData(this);
  }

  private _onResult(result: CheckResult): void {
    if (this._disposed) {
      return;
    }
    this._result = result;
    this._message = '';
    this._changed.emit();
  }

  private _onError(failure: CheckFailure): void {
    if (this._disposed) {
      return;
    }
    this._result = null;
    this._message = failure.message;
    this._changed.emit();
  }

  private _client: CheckClient;
  private _active = false;
  /** `current()` calls waiting for a result. */
  private _holds = 0;
  private _options: CheckOptions = { statistic: 'mean', binWidth: 1, azimuths: 0 };
  private _result: CheckResult | null = null;
  private _message = '';
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}
