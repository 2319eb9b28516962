/**
 * Find Centers of All Frames on one open viewer: the frames are cut into tracks (each starts
 * with a full search, then every frame is seeded with its neighbour's center: the series room's
 * `Tracker`), the tracks run on a pool of Web Workers sized to the machine and to the work (a
 * small run gets one Worker: a fresh Worker's first full search costs more than a few frames;
 * the Workers stay for the next run of the viewer), and every center
 * goes into the session's per-frame store (`CenterSession.frameCenters`), which the crosshair,
 * the drift panel and the notebook read. A center placed by hand is never replaced: its frame
 * keeps it, and the summary says so.
 *
 * How each frame was found (full search or tracked, jump) is kept in its record's options
 * (`tracking`), so a restored page knows it too; the session also holds what the store does
 * not: the frames of the last run that failed, and the robust fit chosen in the drift panel.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal, type ISignal } from '@lumino/signaling';
import {
  fitDrift,
  flagOutliers,
  SeriesProgress,
  splitTracks,
  type DriftFit,
  type DriftFitKind,
  type FrameCenter,
  TRACK_JUMP,
  type SeriesCenter,
  trackedFrameMs,
  workersFor
} from '../series/index.js';
import { SeriesPool, type SeriesOutcome } from '../worker/series-client.js';
import type { FrameCenterRecord } from './frame-centers.js';
import type { CenterSession } from './session.js';
import { engineOptions, type CenterSettings } from './settings.js';

/** Frames per track: a full search every this many frames (as the CLI's `--reseed`). */
export const SERIES_RESEED = 20;

/** What a run did, for its notification. */
export interface ISeriesSummary {
  /** Frames the run was asked to center. */
  total: number;
  /** Frames done (centered or failed) before the end or the cancel. */
  done: number;
  centered: number;
  tracked: number;
  failed: number;
  jumps: number;
  /** Frames with a hand-placed center that the run left as they were. */
  keptManual: number[];
  cancelled: boolean;
  seconds: number;
  workers: number;
}

/** How the run found a frame's center. */
interface RunInfo {
  method: 'full' | 'tracked';
  reason: SeriesCenter['reason'];
  jump: boolean;
}

/** Where the run stands, for the status. */
export interface ISeriesProgressView {
  state: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  done: number;
  total: number;
  rate: number | null;
  eta: number | null;
  workers: number;
  message: string;
}

export class SeriesSession implements IDisposable {
  constructor(
    readonly session: CenterSession,
    private readonly _trans: TranslationBundle,
    private readonly _settings: () => CenterSettings
  ) {
    session.frameCenters.changed.connect(this._onStoreChanged, this);
  }

  /** Emitted when the series (centers, flags, fit) changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted while running, at most once per animation frame, and at the end. */
  get progressed(): ISignal<this, ISeriesProgressView> {
    return this._progressed;
  }

  get busy(): boolean {
    return this._pool?.busy ?? false;
  }

  get progress(): ISeriesProgressView {
    return this._view;
  }

  /** The robust fit of the drift, if one was asked for. */
  get fit(): DriftFit | null {
    return this._fit;
  }

  /** The fit asked for (kind and scan width), or null: what the drift panel shows and a reload restores. */
  get fitRequest(): { kind: DriftFitKind; scanWidth?: number } | null {
    return this._fitKind ? { ...this._fitKind } : null;
  }

  /** The error of the last fit request (too few frames, no scan width), or null. */
  get fitError(): string | null {
    return this._fitError;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Every frame with a center (from the store) or a failure (of the last run), by frame, with
   * the run's flags and the outliers among them.
   */
  centers(): SeriesCenter[] {
    const store = this.session.frameCenters;
    const frames = new Set([...store.frames(), ...this._failures.keys()]);
    const list: SeriesCenter[] = [...frames]
      .sort((a, b) => a - b)
      .map(frame => {
        const record = store.get(frame);
        if (!record) {
          return Private.failed(frame, this._failures.get(frame) ?? '');
        }
        // Kept in the record (so a restored page knows it too); none for a single Find Center.
        const run = Private.tracking(record);
        return {
          frame,
          row: record.row,
          col: record.col,
          score: record.score,
          sigma: record.sigma ?? null,
          method: record.source === 'manual' ? 'manual' : (run?.method ?? 'full'),
          reason: run?.reason ?? null,
          jump: record.source !== 'manual' && (run?.jump ?? false),
          outlier: false,
          warnings: record.warnings ?? []
        };
      });
    const outliers = flagOutliers(list);
    list.forEach((c, i) => (c.outlier = outliers[i]));
    return list;
  }

  /** Fit the drift ('linear' in the frame, 'plane' over a scan of `scanWidth` frames per row), or clear it (null). */
  setFit(kind: DriftFitKind | null, scanWidth?: number): void {
    this._fitKind = kind ? { kind, scanWidth } : null;
    this._refit();
    this._changed.emit();
  }

  /** Center every frame (see the module comment). Resolves with what was done, cancelled or not. */
  async findAll(): Promise<ISeriesSummary> {
    const viewer = this.session.viewer;
    await viewer.ready;
    const file = viewer.tiff;
    if (!file || !viewer.frame) {
      throw new Error(this._trans.__('%1 has no decoded image to find the centers of.', viewer.context.path));
    }
    if (this.busy) {
      throw new Error(this._trans.__('Find Centers of All Frames is already running on %1.', viewer.context.path));
    }
    const total = file.info.frames;
    const frames = Array.from({ length: total }, (_, i) => i);
    const tracks = splitTracks(frames, SERIES_RESEED);
    const work = total * trackedFrameMs(file.info.height, file.info.width);
    const workers = workersFor(navigator.hardwareConcurrency, tracks.length, work);
    // The Workers of the last run are warm (their engine compiled): keep them when they fit.
    if (this._pool?.size !== workers) {
      this._pool?.dispose();
      this._pool = new SeriesPool(workers);
    }
    const pool = this._pool;
    const store = this.session.frameCenters;
    const keptManual = store.entries().filter(([, c]) => c.source === 'manual').map(([f]) => f);
    const settings = this._settings();
    const options = engineOptions(settings);
    const mask = this.session.mask?.compose() ?? null;
    const maskText = this.session.mask?.describe() ?? null;
    const progress = new SeriesProgress(total);
    const found: Array<[number, FrameCenterRecord]> = [];
    const summary: ISeriesSummary = {
      total,
      done: 0,
      centered: 0,
      tracked: 0,
      failed: 0,
      jumps: 0,
      keptManual,
      cancelled: false,
      seconds: 0,
      workers
    };
    this._failures.clear();
    const onFrame = (frame: number, outcome: SeriesOutcome): void => {
      progress.tick();
      summary.done++;
      if ('error' in outcome) {
        summary.failed++;
        this._failures.set(frame, outcome.error);
      } else {
        const c: FrameCenter = outcome.center;
        summary.centered++;
        summary.tracked += c.method === 'tracked' ? 1 : 0;
        summary.jumps += c.jump ? 1 : 0;
        if (!keptManual.includes(frame)) {
          found.push([frame, Private.record(c, { ...options }, maskText, this._trans)]);
        }
      }
      // Into the store in batches (one `changed` each), so the crosshair and the panel follow.
      if (found.length >= Math.max(1, workers)) {
        store.setMany(found.splice(0));
      }
      this._report('running', progress, workers, '');
    };
    this._report('running', progress, workers, '');
    try {
      await pool.run({
        tracks,
        read: frame => file.readFrame(frame),
        mask,
        options: { engine: options, sigma: true },
        onFrame
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'cancelled') {
        store.setMany(found.splice(0));
        this._report('error', progress, workers, (error as Error).message);
        throw error;
      }
      summary.cancelled = true;
    } finally {
      summary.seconds = progress.elapsed;
    }
    store.setMany(found.splice(0));
    this._refit();
    this._report(summary.cancelled ? 'cancelled' : 'done', progress, workers, '');
    this._changed.emit();
    return summary;
  }

  /** Stop a run: the centers found so far stay. */
  cancel(): void {
    this._pool?.cancel();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._pool?.dispose();
    if (this._frame !== null) {
      cancelAnimationFrame(this._frame);
    }
    Signal.clearData(this);
  }

  private _onStoreChanged(): void {
    if (!this.busy) {
      this._refit();
    }
    this._changed.emit();
  }

  private _refit(): void {
    this._fit = null;
    this._fitError = null;
    if (!this._fitKind) {
      return;
    }
    try {
      this._fit = fitDrift(this.centers(), this._fitKind.kind, this._fitKind.scanWidth);
    } catch (error) {
      this._fitError = (error as Error).message;
    }
  }

  /** Tell the status, at most once per animation frame while running. */
  private _report(state: ISeriesProgressView['state'], progress: SeriesProgress, workers: number, message: string): void {
    this._view = { state, done: progress.done, total: progress.total, rate: progress.rate, eta: progress.eta, workers, message };
    if (state !== 'running') {
      if (this._frame !== null) {
        cancelAnimationFrame(this._frame);
        this._frame = null;
      }
      this._progressed.emit(this._view);
      return;
    }
    this._frame ??= requestAnimationFrame(() => {
      this._frame = null;
      if (!this._disposed) {
        this._progressed.emit(this._view);
      }
    });
  }

  private _pool: SeriesPool | null = null;
  private _failures = new Map<number, string>();
  private _fitKind: { kind: DriftFitKind; scanWidth?: number } | null = null;
  private _fit: DriftFit | null = null;
  private _fitError: string | null = null;
  private _view: ISeriesProgressView = { state: 'idle', done: 0, total: 0, rate: null, eta: null, workers: 0, message: '' };
  private _frame: number | null = null;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _progressed = new Signal<this, ISeriesProgressView>(this);
}

namespace Private {
  /** The store's record of a frame found by the run. */
  export function record(
    c: FrameCenter,
    options: Record<string, unknown>,
    mask: string | null,
    trans: TranslationBundle
  ): FrameCenterRecord {
    const warnings = [...c.warnings];
    if (c.jump) {
      warnings.unshift(trans.__('jump: the center moved more than %1 px from the previous frame’s', TRACK_JUMP));
    }
    return {
      row: c.row,
      col: c.col,
      source: 'found',
      score: c.score,
      ...(c.sigma ? { sigma: c.sigma } : {}),
      mask,
      options: { ...options, tracking: { method: c.method, reason: c.reason, jump: c.jump } },
      warnings,
      ms: c.ms
    };
  }

  /** How a record of a run was found (kept in its options, so it survives a reload), or undefined. */
  export function tracking(record: FrameCenterRecord): RunInfo | undefined {
    const t = record.options?.tracking as Partial<RunInfo> | undefined;
    if (!t || (t.method !== 'full' && t.method !== 'tracked')) {
      return undefined;
    }
    return { method: t.method, reason: typeof t.reason === 'string' ? (t.reason as RunInfo['reason']) : null, jump: t.jump === true };
  }

  export function failed(frame: number, error: string): SeriesCenter {
    return {
      frame,
      row: NaN,
      col: NaN,
      score: null,
      sigma: null,
      method: 'full',
      reason: null,
      jump: false,
      outlier: false,
      warnings: [],
      error
    };
  }
}
