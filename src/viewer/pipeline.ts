/**
 * The frame pipeline of a viewer: the file (read by the Worker, by ranges) → its frames decoded in the Worker → the
 * current frame with its statistics → auto-contrast limits and the automatic scale → the LUT
 * pass → a paint of the stage. It follows the model (a display change renders again, a frame
 * index change reads that frame) and says what happened through signals; the viewer updates
 * its widgets from them.
 */
import type { IDisposable } from '@lumino/disposable';
import { type ISignal, Signal } from '@lumino/signaling';
import type { DiffractionImage } from '../io/image.js';
import type { Contents } from '@jupyterlab/services';
import type { DatasetSummary, ImageFileInfo, TiffInfo } from '../io/index.js';
import type { RemoteImage } from '../worker/tiff-client.js';
import { automaticScale } from './auto-scale.js';
import { autoContrast, type FrameStats, frameStats } from './contrast.js';
import { openServerImage, readFrameWithStats } from './loader.js';
import type { ViewerModel } from './model.js';
import { RenderCancelled } from './render.js';
import type { ImageStage } from './stage.js';

/** Loads, reads and renders the frames of one document. */
export class FramePipeline implements IDisposable {
  constructor(
    private readonly _model: ViewerModel,
    private readonly _stage: ImageStage
  ) {
    _model.changed.connect(this._onModelChanged, this);
  }

  /** The file (null before load or after an error). */
  get tiff(): RemoteImage | null {
    return this._tiff;
  }
  /** The frame shown (null before load or after an error). */
  get frame(): DiffractionImage | null {
    return this._frame;
  }
  /** The statistics of the frame shown. */
  get stats(): FrameStats | null {
    return this._stats;
  }
  /** The index of the frame shown (-1: none yet). */
  get shownIndex(): number {
    return this._shownIndex;
  }
  /** Timings of the last load (ms). */
  get timings(): FramePipeline.ITimings {
    return { ...this._timings };
  }
  /** How many renders completed. */
  get renderCount(): number {
    return this._renderCount;
  }

  /** Emitted when a file decoded. */
  get loaded(): ISignal<this, FramePipeline.FileInfo> {
    return this._loaded;
  }
  /** Emitted when a frame is read (before it is rendered). */
  get frameShown(): ISignal<this, { index: number; image: DiffractionImage }> {
    return this._frameShown;
  }
  /** Emitted after each completed render and paint. */
  get rendered(): ISignal<this, void> {
    return this._rendered;
  }
  /** Emitted when the file cannot be shown. */
  get failed(): ISignal<this, Error> {
    return this._failed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this._tiff?.dispose();
    this._tiff = null;
    Signal.clearData(this);
  }

  /** Run `fn` without the renders and frame reads its model changes would ask for. */
  batch<T>(fn: () => T): T {
    const outer = this._batching;
    this._batching = true;
    try {
      return fn();
    } finally {
      this._batching = outer;
    }
  }

  /**
   * Open the file at `path` (read by the Worker from the server, by ranges where the layout
   * allows; `contents` gives its URL and fetches the data files an HDF5 master links to) and
   * show the model's frame (clamped).
   */
  async load(path: string, contents: Contents.IManager | null): Promise<void> {
    const t0 = performance.now();
    const loadId = ++this._loadId;
    try {
      const { tiff, openMs } = await this._open(path, contents);
      if (loadId !== this._loadId || this._isDisposed) {
        tiff.dispose();
        return;
      }
      this._tiff?.dispose();
      this._tiff = tiff;
      this._shownIndex = -1;
      this._loaded.emit(tiff.info);
      const index = Math.min(this._model.frameIndex, tiff.info.frames - 1);
      this.batch(() => (this._model.frameIndex = index));
      this._timings = { open: openMs, decode: performance.now() - t0, stats: 0, lut: 0, paint: 0, total: 0 };
      this._loadStart = t0;
      await this.showFrame(index, true);
    } catch (e) {
      if (e instanceof RenderCancelled || loadId !== this._loadId || this._isDisposed) return;
      this._tiff?.dispose();
      this._tiff = null;
      this._frame = null;
      this._stats = null;
      this._stage.frame = null;
      this._failed.emit(e as Error);
    }
  }

  /** HDF5: the dataset to read (undefined: the reader's automatic choice). */
  dataset: string | undefined = undefined;

  /** The image datasets of the last file that opened (kept when a later load fails). */
  get datasets(): DatasetSummary[] {
    return this._datasets;
  }

  /**
   * Open the file on `dataset`; a dataset no longer in the file (a restored choice) gives the
   * automatic choice, with a note saying so.
   */
  private async _open(path: string, contents: Contents.IManager | null): ReturnType<typeof openServerImage> {
    const dataset = this.dataset;
    let opened: Awaited<ReturnType<typeof openServerImage>>;
    try {
      opened = await openServerImage(path, contents, { dataset });
    } catch (e) {
      if (dataset === undefined || (e as { code?: string }).code !== 'no-such-dataset') throw e;
      opened = await openServerImage(path, contents);
      if (this.dataset === dataset) this.dataset = undefined;
      opened.tiff.info.notes.push(`the dataset ${dataset} chosen before is not in the file: ${opened.tiff.info.dataset} is shown`);
    }
    this._datasets = opened.tiff.info.datasets ?? [];
    return opened;
  }

  /** Read frame `index` (the model's frame index must already say so) and render it. */
  async showFrame(index: number, fromLoad = false): Promise<void> {
    const tiff = this._tiff;
    if (!tiff) return;
    const model = this._model;
    const isCurrent = () => !this._isDisposed && tiff === this._tiff && index === model.frameIndex;
    const read = await readFrameWithStats(tiff, index, model.maskNegative, isCurrent);
    if (!read) return;
    const { frame, stats } = read;
    if (fromLoad) {
      this._timings.decode += read.readMs;
      this._timings.stats = read.statsMs;
    }
    this._frame = frame;
    this._stats = stats;
    this._shownIndex = index;
    this._autoKey = '';
    this._stage.frame = frame;
    this.batch(() => {
      model.setShape(frame.height, frame.width);
      this._syncAutoLimits();
      if (model.scaleFromData) {
        const [vmin, vmax] = model.limits;
        model.chooseScale(automaticScale(frame.data, { vmin, vmax }, { stats, maskNegative: model.maskNegative }));
      }
    });
    this._stage.hideMessage();
    this._frameShown.emit({ index, image: frame });
    this._stage.requestPaint(true);
    await this._render(fromLoad);
  }

  /** The validity rule changed: statistics again, then limits and a render. */
  refreshStats(): void {
    if (!this._frame) return;
    this._stats = frameStats(this._frame.data, { maskNegative: this._model.maskNegative });
    this._autoKey = '';
    this.requestRender();
  }

  /** Render once, at the end of the current task, whatever changed before. */
  requestRender(): void {
    if (this._renderQueued) return;
    this._renderQueued = true;
    queueMicrotask(() => {
      this._renderQueued = false;
      if (this._isDisposed || !this._frame) return;
      this.batch(() => this._syncAutoLimits());
      void this._render();
    });
  }

  private _onModelChanged(model: ViewerModel, change: ViewerModel.Change): void {
    if (this._batching) return;
    if (change === 'display') {
      this.requestRender();
    } else if (change === 'frame' && this._tiff && this._shownIndex !== model.frameIndex) {
      const index = Math.min(model.frameIndex, this._tiff.info.frames - 1);
      if (index !== model.frameIndex) this.batch(() => (model.frameIndex = index));
      void this.showFrame(index);
    }
  }

  /** Auto-contrast on: limits from the percentiles of the frame (computed when they change). */
  private _syncAutoLimits(): void {
    const frame = this._frame;
    const model = this._model;
    if (!model.autoContrast) {
      // Manual limits: auto-contrast turned on again must compute the limits afresh.
      this._autoKey = '';
      return;
    }
    if (!frame) return;
    const [low, high] = model.percentiles;
    const key = `${low} ${high}`;
    if (key === this._autoKey) return;
    this._autoKey = key;
    const { vmin, vmax } = autoContrast(frame.data, low, high, {
      maskNegative: model.maskNegative,
      stats: this._stats ?? undefined
    });
    model.setAutoLimits(vmin, vmax);
  }

  private async _render(fromLoad = false): Promise<void> {
    const frame = this._frame;
    if (!frame) return;
    const t0 = performance.now();
    try {
      await this._stage.render(frame, this._model.display, this._stats?.rule);
    } catch (e) {
      if (e instanceof RenderCancelled) return;
      throw e;
    }
    if (this._isDisposed) return;
    const t1 = performance.now();
    this._stage.updateSize();
    this._stage.paint();
    this._renderCount++;
    if (fromLoad) {
      this._timings.lut = t1 - t0;
      this._timings.paint = performance.now() - t1;
      this._timings.total = performance.now() - this._loadStart;
    }
    this._rendered.emit();
  }

  private _tiff: RemoteImage | null = null;
  private _datasets: DatasetSummary[] = [];
  private _frame: DiffractionImage | null = null;
  private _stats: FrameStats | null = null;
  private _shownIndex = -1;
  private _autoKey = '';
  private _loadId = 0;
  private _batching = false;
  private _renderQueued = false;
  private _renderCount = 0;
  private _loadStart = 0;
  private _timings: FramePipeline.ITimings = { open: 0, decode: 0, stats: 0, lut: 0, paint: 0, total: 0 };
  private _isDisposed = false;
  private _loaded = new Signal<this, FramePipeline.FileInfo>(this);
  private _frameShown = new Signal<this, { index: number; image: DiffractionImage }>(this);
  private _rendered = new Signal<this, void>(this);
  private _failed = new Signal<this, Error>(this);
}

export namespace FramePipeline {
  /** What a decoded file says of itself (TIFF files add their TIFF details). */
  export type FileInfo = ImageFileInfo & Partial<TiffInfo>;

  /** Load timings (ms) from the file content to the first complete paint. */
  export interface ITimings {
    /** Opening the file: its header read from the server (part of `decode`). */
    open: number;
    /** Open → first frame read and decoded. */
    decode: number;
    /** Value range and auto-contrast percentiles. */
    stats: number;
    /** The chunked LUT pass (wall time, including yields). */
    lut: number;
    /** The first paint of the view. */
    paint: number;
    /** From the start of decoding to the end of the first paint. */
    total: number;
  }
}
