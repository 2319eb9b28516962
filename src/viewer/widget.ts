/**
 * The diffraction viewer widget: decodes the TIFF held by the document context, colors the
 * current frame through a LUT into a cached bitmap (chunked, see `render.ts`), and draws that
 * bitmap under a view transform (zoom / pan) on a canvas, with an overlay canvas above it for
 * other tools (masks, center crosshair), a pixel readout and frame controls below it.
 */
import { DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import type { Contents } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { DisposableDelegate, type IDisposable } from '@lumino/disposable';
import type { Message } from '@lumino/messaging';
import { type ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import type { DiffractionImage } from '../io/image.js';
import { base64ToArrayBuffer, FormatError, type ImageFileInfo, type TiffInfo } from '../io/index.js';
import { openImageInWorker, type RemoteImage } from '../worker/tiff-client.js';
import { type ColormapName, isColormapName } from './colormaps.js';
import { ContrastPanel } from './contrast-panel.js';
import {
  autoContrast,
  type FrameStats,
  frameStats,
  frameStatsSteps,
  isValidValue,
  type ValueRange
} from './contrast.js';
import { type DisplayParams, isScaleName, type ScaleName } from './lut.js';
import { FrameBitmap, RenderCancelled, SLICE_MS, yieldToEventLoop } from './render.js';
import {
  centerOn,
  clientToImage,
  fitView,
  type ImagePoint,
  imageToClient,
  panBy,
  pixelAt,
  polarFrom,
  type ViewTransform,
  visibleRect,
  zoomAt,
  ZOOM_STEP
} from './view.js';

/** The class name added to the viewer. */
const VIEWER_CLASS = 'jp-DiffractionViewer';

/**
 * A viewer for diffraction images (TIFF): 8/16/32-bit integer and float data, stacks.
 */
export class DiffractionViewer extends Widget {
  constructor(context: DocumentRegistry.Context, options: DiffractionViewer.IOptions = {}) {
    super();
    this.context = context;
    this.addClass(VIEWER_CLASS);
    this.node.tabIndex = 0;
    this.node.dataset.state = 'loading';
    this._defaults = { ...DiffractionViewer.DEFAULTS, ...options.defaults };
    this._contents = options.contents ?? null;
    this._applyDefaults(this._defaults);

    const { node } = this;
    this._body = Private.div('jp-Diffraction-body', node);
    this._stage = Private.div('jp-Diffraction-stage', this._body);
    this._canvas = document.createElement('canvas');
    this._canvas.className = 'jp-Diffraction-canvas';
    this._stage.appendChild(this._canvas);
    this._overlayCanvas = document.createElement('canvas');
    this._overlayCanvas.className = 'jp-Diffraction-overlay';
    this._stage.appendChild(this._overlayCanvas);
    this._message = Private.div('jp-Diffraction-message', this._stage);
    this._message.textContent = `Loading ${context.path}…`;
    this._sidePanel = Private.div('jp-Diffraction-side', this._body);
    this._sidePanel.hidden = true;

    const status = Private.div('jp-Diffraction-statusbar', node);
    this._frameBar = Private.div('jp-Diffraction-frames', status);
    this._frameBar.hidden = true;
    this._buildFrameControls();
    this._readout = Private.div('jp-Diffraction-readout', status);
    this._readout.title =
      '(row, col) of the pixel under the cursor (numpy order, pixel centers at integers) and its ' +
      'value. With a center: radius r in pixels and azimuth φ in degrees, measured from the +col ' +
      'axis (right) toward −row (up), i.e. counter-clockwise as displayed.';
    this._info = Private.div('jp-Diffraction-info', status);
    this._notes = Private.div('jp-Diffraction-notes', status);
    this._notes.hidden = true;

    this._stage.addEventListener('wheel', this, { passive: false });
    this._stage.addEventListener('pointerdown', this);
    this._stage.addEventListener('pointermove', this);
    this._stage.addEventListener('pointerup', this);
    this._stage.addEventListener('pointercancel', this);
    this._stage.addEventListener('pointerleave', this);
    this._stage.addEventListener('dblclick', this);
    this.node.addEventListener('keydown', this);
    // The stage also changes size without a Lumino resize (side panel, frame bar).
    if (typeof ResizeObserver !== 'undefined') {
      this._resizeObserver = new ResizeObserver(() => this._onSizeMaybeChanged());
      this._resizeObserver.observe(this._stage);
    }

    void context.ready.then(() => {
      if (this.isDisposed) {
        return;
      }
      context.model.contentChanged.connect(this._onContentChanged, this);
      this._startPolling();
      return this._load();
    });
  }

  /** The document context. */
  readonly context: DocumentRegistry.Context;

  // ------------------------------------------------------------------ signals

  /** Emitted when the current frame changes (new index, or the file was reloaded). */
  get frameChanged(): ISignal<this, DiffractionViewer.IFrameChange> {
    return this._frameChanged;
  }

  /** Emitted when the view transform changes (zoom, pan, resize). */
  get viewChanged(): ISignal<this, ViewTransform> {
    return this._viewChanged;
  }

  /** Emitted when the center changes. */
  get centerChanged(): ISignal<this, ImagePoint | null> {
    return this._centerChanged;
  }

  /** Emitted when the display parameters (colormap, scale, limits …) change. */
  get displayChanged(): ISignal<this, DisplayParams> {
    return this._displayChanged;
  }

  /** Emitted when anything that belongs to the saved state changes (for the state DB). */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  // ------------------------------------------------------------------ data

  /** Resolves once the first load (success or error) has been shown. */
  get ready(): Promise<void> {
    return this._ready.promise;
  }

  /** The opened file, if it decoded. */
  get tiff(): RemoteImage | null {
    return this._tiff;
  }

  /** The current frame, if decoded. */
  get frame(): DiffractionImage | null {
    return this._frame;
  }

  /** The index (0-based) of the current frame. */
  get frameIndex(): number {
    return this._frameIndex;
  }

  /** The number of frames of the file (0 before load). */
  get frameCount(): number {
    return this._tiff?.info.frames ?? 0;
  }

  /** Range and valid-pixel count of the current frame. */
  get frameRange(): ValueRange | null {
    return this._stats?.range ?? null;
  }

  /** Show frame `index` (clamped to the file's frames). */
  async setFrame(index: number): Promise<void> {
    const count = this.frameCount;
    if (!this._tiff || count === 0) {
      this._frameIndex = Math.max(0, Math.floor(index));
      return;
    }
    const target = Math.min(count - 1, Math.max(0, Math.floor(index)));
    if (target === this._frameIndex && this._frame) {
      return;
    }
    this._frameIndex = target;
    await this._showFrame(this._tiff, target);
  }

  /** Step `delta` frames (wrapping around). */
  stepFrame(delta: number): Promise<void> {
    const count = this.frameCount;
    if (count <= 1) {
      return Promise.resolve();
    }
    return this.setFrame((((this._frameIndex + delta) % count) + count) % count);
  }

  // ------------------------------------------------------------------ display

  /** The display parameters of the LUT pass. */
  get display(): DisplayParams {
    return { ...this._params };
  }

  get colormap(): ColormapName {
    return this._params.colormap;
  }
  set colormap(value: ColormapName) {
    this._setParams({ colormap: value });
  }

  get scale(): ScaleName {
    return this._params.scale;
  }
  set scale(value: ScaleName) {
    this._setParams({ scale: value });
  }

  get gamma(): number {
    return this._params.gamma;
  }
  set gamma(value: number) {
    if (value > 0 && Number.isFinite(value)) this._setParams({ gamma: value });
  }

  get invert(): boolean {
    return this._params.invert;
  }
  set invert(value: boolean) {
    this._setParams({ invert: value });
  }

  /** Whether the contrast limits follow the percentiles of each frame. */
  get autoContrast(): boolean {
    return this._auto;
  }

  /** The auto-contrast percentiles [low, high] (0..100). */
  get percentiles(): [number, number] {
    return [this._low, this._high];
  }

  /** Set the contrast limits by hand (turns auto-contrast off). */
  setLimits(vmin: number, vmax: number): void {
    if (!Number.isFinite(vmin) || !Number.isFinite(vmax) || !(vmax > vmin)) {
      return;
    }
    this._auto = false;
    this._setParams({ vmin, vmax });
  }

  /**
   * Contrast limits from the percentiles of the current frame (turns auto-contrast on);
   * optionally with new percentiles.
   */
  applyAutoContrast(low = this._low, high = this._high): void {
    if (low >= 0 && high <= 100 && low < high) {
      this._low = low;
      this._high = high;
    }
    this._auto = true;
    if (this._frame) {
      const { vmin, vmax } = this._computeAuto(this._frame);
      this._setParams({ vmin, vmax }, true);
    } else {
      this._stateChanged.emit();
    }
  }

  /**
   * Apply new defaults (from the settings): colormap, scale, gamma, invert, percentiles,
   * sentinel handling. Called for every open viewer when the settings change.
   */
  setDefaults(defaults: Partial<DiffractionViewer.IDefaults>): void {
    // Only what changed in the defaults is applied, so a viewer's own choices (made by the
    // user or restored after a reload) survive unrelated settings changes.
    const previous = this._defaults;
    const next = { ...previous, ...defaults };
    const changed: Partial<DiffractionViewer.IDefaults> = {};
    for (const key of Object.keys(next) as (keyof DiffractionViewer.IDefaults)[]) {
      if (next[key] !== previous[key]) (changed as any)[key] = next[key];
    }
    this._defaults = next;
    if (Object.keys(changed).length === 0) {
      return;
    }
    const p: Partial<DisplayParams> = {};
    if (isColormapName(changed.colormap)) p.colormap = changed.colormap;
    if (isScaleName(changed.scale)) p.scale = changed.scale;
    if (typeof changed.gamma === 'number' && changed.gamma > 0) p.gamma = changed.gamma;
    if (typeof changed.invert === 'boolean') p.invert = changed.invert;
    if (typeof changed.maskNegative === 'boolean') p.maskNegative = changed.maskNegative;
    if (typeof changed.invalidColor === 'string') p.invalidColor = Private.parseColor(changed.invalidColor);
    const percentilesChanged = 'lowPercentile' in changed || 'highPercentile' in changed;
    if (percentilesChanged && next.lowPercentile >= 0 && next.highPercentile <= 100 && next.lowPercentile < next.highPercentile) {
      this._low = next.lowPercentile;
      this._high = next.highPercentile;
    }
    Object.assign(this._params, p);
    if ('pollInterval' in changed) {
      this._restartPolling();
    }
    if (this._frame) {
      if ('maskNegative' in changed) {
        this._stats = frameStats(this._frame.data, { maskNegative: this._params.maskNegative });
      }
      if (this._auto && (percentilesChanged || 'maskNegative' in changed)) {
        const { vmin, vmax } = this._computeAuto(this._frame);
        this._params.vmin = vmin;
        this._params.vmax = vmax;
      }
      this._afterParamsChanged();
    } else {
      this._updateDataset();
    }
  }

  // ------------------------------------------------------------------ view

  /** The current view transform (image ↔ client). */
  get view(): ViewTransform {
    return this._view;
  }

  /** The zoom (CSS pixels per image pixel). */
  get zoom(): number {
    return this._view.zoom;
  }

  /** Whether the view follows the widget's size (fit to window). */
  get fitMode(): boolean {
    return this._fit;
  }

  /** Whether dragging with the primary button pans (tools may turn it off while they draw). */
  dragPan = true;

  /** The element holding the canvases; tools listen to pointer events on it. */
  get stage(): HTMLElement {
    return this._stage;
  }

  /** The side panel area (the contrast panel lives here; others may add to it). */
  get sidePanel(): HTMLElement {
    return this._sidePanel;
  }

  /** The contrast panel (histogram, limits), created on first use. */
  get contrastPanel(): ContrastPanel {
    if (!this._contrastPanel) {
      this._contrastPanel = new ContrastPanel(this);
    }
    return this._contrastPanel;
  }

  /** Image (row, col) → client (x, y) in CSS pixels relative to the stage. */
  imageToClient(row: number, col: number): { x: number; y: number } {
    return imageToClient(this._view, row, col);
  }

  /** Client (x, y) relative to the stage → image (row, col), fractional. */
  clientToImage(x: number, y: number): ImagePoint {
    return clientToImage(this._view, x, y);
  }

  /** Client size of the stage (CSS pixels). */
  get clientSize(): { width: number; height: number } {
    return { width: this._stage.clientWidth, height: this._stage.clientHeight };
  }

  /** Zoom by a factor about a client point (default: the stage center). */
  zoomBy(factor: number, x?: number, y?: number): void {
    const { width, height } = this.clientSize;
    this._setView(zoomAt(this._view, factor, x ?? width / 2, y ?? height / 2), false);
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  /** Move the view by (dx, dy) client pixels. */
  panBy(dx: number, dy: number): void {
    this._setView(panBy(this._view, dx, dy), false);
  }

  /** Show the whole image, and keep doing so when the widget resizes. */
  fit(): void {
    const { width, height } = this.clientSize;
    const shape = this._shape();
    this._setView(fitView(shape.height, shape.width, width, height), true);
  }

  /** One image pixel per CSS pixel, keeping the image point at the stage center. */
  actualSize(): void {
    const { width, height } = this.clientSize;
    const c = this.clientToImage(width / 2, height / 2);
    this._setView(centerOn(c.row, c.col, 1, width, height), false);
  }

  /** Center the view on an image point, at the given zoom (default: the current one). */
  centerView(row: number, col: number, zoom = this._view.zoom): void {
    const { width, height } = this.clientSize;
    this._setView(centerOn(row, col, zoom, width, height), false);
  }

  // ------------------------------------------------------------------ center & overlays

  /** The pattern's center (row, col), used by the readout (radius, azimuth) and overlays. */
  get center(): ImagePoint | null {
    return this._center;
  }
  set center(value: ImagePoint | null) {
    const next = value ? { row: value.row, col: value.col } : null;
    const same =
      next === this._center ||
      (next !== null && this._center !== null && next.row === this._center.row && next.col === this._center.col);
    if (same) {
      return;
    }
    this._center = next;
    this._updateReadout();
    this._centerChanged.emit(next);
    this.requestOverlayRedraw();
  }

  /**
   * Register an overlay drawer, called (in registration order) whenever the overlay is redrawn:
   * on every view change, frame change, center change and `requestOverlayRedraw()`. The context
   * is in client coordinates (CSS pixels of the stage; convert with `info.imageToClient`).
   */
  addOverlay(drawer: DiffractionViewer.OverlayDrawer): IDisposable {
    this._overlays.push(drawer);
    this.requestOverlayRedraw();
    return new DisposableDelegate(() => {
      const i = this._overlays.indexOf(drawer);
      if (i >= 0) {
        this._overlays.splice(i, 1);
        this.requestOverlayRedraw();
      }
    });
  }

  /**
   * Give pointer and key input on the image to a tool (mask drawing, crosshair drag) before the
   * viewer's own pan and fit: handlers are asked newest first, and the first that returns true
   * uses the event (the viewer then neither pans nor fits). The readout still follows the pointer.
   */
  addInputHandler(handler: DiffractionViewer.IInputHandler): IDisposable {
    this._inputHandlers.unshift(handler);
    return new DisposableDelegate(() => {
      const i = this._inputHandlers.indexOf(handler);
      if (i >= 0) {
        this._inputHandlers.splice(i, 1);
      }
    });
  }

  /** Ask for the overlay to be redrawn on the next animation frame. */
  requestOverlayRedraw(): void {
    this._overlayDirty = true;
    this._requestPaint();
  }

  // ------------------------------------------------------------------ state

  /** What the layout restorer keeps for this viewer. */
  saveState(): DiffractionViewer.IState {
    const { width, height } = this.clientSize;
    const c = this.clientToImage(width / 2, height / 2);
    return {
      frame: this._frameIndex,
      colormap: this._params.colormap,
      scale: this._params.scale,
      gamma: this._params.gamma,
      invert: this._params.invert,
      auto: this._auto,
      vmin: this._params.vmin,
      vmax: this._params.vmax,
      low: this._low,
      high: this._high,
      fit: this._fit,
      zoom: this._view.zoom,
      viewRow: Number.isFinite(c.row) ? c.row : 0,
      viewCol: Number.isFinite(c.col) ? c.col : 0
    };
  }

  /** Restore a state saved by `saveState` (before or after the file has loaded). */
  restoreState(state: Partial<DiffractionViewer.IState>): void {
    const p: Partial<DisplayParams> = {};
    if (isColormapName(state.colormap)) p.colormap = state.colormap;
    if (isScaleName(state.scale)) p.scale = state.scale;
    if (typeof state.gamma === 'number' && state.gamma > 0) p.gamma = state.gamma;
    if (typeof state.invert === 'boolean') p.invert = state.invert;
    if (typeof state.low === 'number' && typeof state.high === 'number' && state.low < state.high) {
      this._low = state.low;
      this._high = state.high;
    }
    if (state.auto === false && Number.isFinite(state.vmin) && Number.isFinite(state.vmax) && state.vmax! > state.vmin!) {
      this._auto = false;
      p.vmin = state.vmin;
      p.vmax = state.vmax;
    } else if (state.auto === true) {
      this._auto = true;
    }
    Object.assign(this._params, p);
    if (state.fit === false && typeof state.zoom === 'number' && state.zoom > 0) {
      this._fit = false;
      this._pendingView = { zoom: state.zoom, row: state.viewRow ?? 0, col: state.viewCol ?? 0 };
    } else if (state.fit === true) {
      this._fit = true;
    }
    const frame = typeof state.frame === 'number' && state.frame >= 0 ? Math.floor(state.frame) : null;
    if (this._frame) {
      if (this._auto) {
        const limits = this._computeAuto(this._frame);
        this._params.vmin = limits.vmin;
        this._params.vmax = limits.vmax;
      }
      this._applyPendingView();
      this._afterParamsChanged();
      if (frame !== null) void this.setFrame(frame);
    } else if (frame !== null) {
      this._frameIndex = frame;
    }
  }

  /** Timings of the last load (ms; for the benchmark and the curious). */
  get timings(): DiffractionViewer.ITimings {
    return { ...this._timings };
  }

  /** How long the last paint of the view took (ms). */
  get lastPaintMs(): number {
    return this._lastPaintMs;
  }

  /** Paint now (synchronously) instead of on the next animation frame. */
  paintNow(): void {
    this._paint();
  }

  // ------------------------------------------------------------------ lumino

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._bitmap.cancel();
    this._tiff?.dispose();
    this._stopPolling();
    this._resizeObserver?.disconnect();
    if (this._rafId) {
      cancelAnimationFrame(this._rafId);
    }
    super.dispose();
  }

  /** Handle DOM events on the stage. */
  handleEvent(event: Event): void {
    if (event.type === 'keydown') {
      if (this._offerInput(event as KeyboardEvent)) {
        event.stopPropagation();
        event.preventDefault();
      }
      return;
    }
    if (event.type !== 'wheel' && event.type !== 'pointerleave' && this._offerInput(event as PointerEvent)) {
      event.preventDefault();
      if (event.type === 'pointermove') {
        this._pointer = this._clientPoint(event as PointerEvent);
        this._updateReadout();
      }
      return;
    }
    switch (event.type) {
      case 'wheel':
        this._onWheel(event as WheelEvent);
        break;
      case 'pointerdown':
        this._onPointerDown(event as PointerEvent);
        break;
      case 'pointermove':
        this._onPointerMove(event as PointerEvent);
        break;
      case 'pointerup':
      case 'pointercancel':
        this._onPointerUp(event as PointerEvent);
        break;
      case 'pointerleave':
        this._pointer = null;
        this._updateReadout();
        break;
      case 'dblclick':
        this.fit();
        break;
    }
  }

  protected onActivateRequest(_msg: Message): void {
    this.node.focus();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._onSizeMaybeChanged();
  }

  protected onAfterShow(_msg: Message): void {
    this._onSizeMaybeChanged();
  }

  protected onResize(_msg: Widget.ResizeMessage): void {
    this._onSizeMaybeChanged();
  }

  // ------------------------------------------------------------------ loading

  private _onContentChanged(): void {
    void this._load();
  }

  private async _load(): Promise<void> {
    const t0 = performance.now();
    const loadId = ++this._loadId;
    try {
      const buffer = base64ToArrayBuffer(this.context.model.toString());
      const base64Ms = performance.now() - t0;
      // Decoded in the image Worker (any format: TIFF, MRC, DM, MIB, SMV, CBF, HDF5): an LZW
      // 4096² frame would block the page for most of a second.
      const tiff = await this._openInWorker(buffer);
      if (loadId !== this._loadId || this.isDisposed) {
        tiff.dispose();
        return;
      }
      this._tiff?.dispose();
      this._tiff = tiff;
      this._showInfo(tiff.info);
      this._frameIndex = Math.min(Math.max(0, this._frameIndex), tiff.info.frames - 1);
      this._timings = { base64: base64Ms, decode: 0, stats: 0, lut: 0, paint: 0, total: 0 };
      this._timings.decode = performance.now() - t0;
      this._loadStart = t0;
      await this._showFrame(tiff, this._frameIndex, true);
    } catch (e) {
      if (e instanceof RenderCancelled || loadId !== this._loadId || this.isDisposed) {
        return;
      }
      this._showError(e as Error);
    }
    this._ready.resolve();
  }

  /**
   * Open in the Worker; an HDF5 master whose data lives in files beside it (Eiger) is opened
   * again with those files fetched from the server (at most 16), or fails naming the missing one.
   */
  private async _openInWorker(buffer: ArrayBuffer): Promise<RemoteImage> {
    const linked: Record<string, ArrayBuffer> = {};
    const copy = buffer.slice(0);
    for (let attempt = 0; ; attempt++) {
      try {
        // Copies: the Worker takes (detaches) what it is given.
        const files = Object.fromEntries(Object.entries(linked).map(([k, v]) => [k, v.slice(0)]));
        return await openImageInWorker(attempt === 0 ? buffer : copy.slice(0), this.context.path, { linked: files });
      } catch (e) {
        const name = e instanceof FormatError && e.code === 'linked-file-missing' ? e.linkedFile : undefined;
        if (!name || !this._contents || attempt >= 16 || name in linked) throw e;
        const folder = this.context.path.includes('/') ? this.context.path.slice(0, this.context.path.lastIndexOf('/') + 1) : '';
        const base = name.replace(/^.*[\\/]/, '');
        try {
          const model = await this._contents.get(`${folder}${base}`, { content: true, format: 'base64', type: 'file' });
          linked[base] = base64ToArrayBuffer(String(model.content));
        } catch {
          throw e; // not beside the master: the reader's error names the file
        }
      }
    }
  }

  private async _showFrame(tiff: RemoteImage, index: number, fromLoad = false): Promise<void> {
    const t0 = performance.now();
    const frame = await tiff.readFrame(index);
    if (this.isDisposed || tiff !== this._tiff || index !== this._frameIndex) {
      return;
    }
    if (fromLoad) this._timings.decode += performance.now() - t0;
    const shapeChanged = !this._frame || this._frame.height !== frame.height || this._frame.width !== frame.width;
    const t1 = performance.now();
    // The statistics pass is time-sliced like the LUT pass (float frames take two passes).
    const stats = await Private.runSliced(
      frameStatsSteps(frame.data, { maskNegative: this._params.maskNegative }, 1 << 18)
    );
    if (this.isDisposed || tiff !== this._tiff || index !== this._frameIndex) {
      return;
    }
    this._frame = frame;
    this._stats = stats;
    if (this._auto) {
      const { vmin, vmax } = this._computeAuto(frame);
      this._params.vmin = vmin;
      this._params.vmax = vmax;
    }
    if (fromLoad) this._timings.stats = performance.now() - t1;
    this._message.hidden = true;
    this._frameBar.hidden = tiff.info.frames <= 1;
    this._syncFrameControls();
    if (shapeChanged) {
      if (this._pendingView) {
        this._applyPendingView();
      } else if (this._fit || !this._view) {
        this.fit();
      }
    }
    this._updateDataset();
    this._updateReadout();
    this._frameChanged.emit({ index, image: frame });
    this._displayChanged.emit(this.display);
    this._stateChanged.emit();
    this.requestOverlayRedraw();
    await this._render(fromLoad);
  }

  private async _render(fromLoad = false): Promise<void> {
    const frame = this._frame;
    if (!frame) return;
    const t0 = performance.now();
    try {
      await this._bitmap.render(frame, this._params);
    } catch (e) {
      if (e instanceof RenderCancelled) return;
      throw e;
    }
    if (this.isDisposed) return;
    const t1 = performance.now();
    this._paint();
    this._renderCount++;
    if (fromLoad) {
      this._timings.lut = t1 - t0;
      this._timings.paint = performance.now() - t1;
      this._timings.total = performance.now() - this._loadStart;
      this.node.dataset.firstPaintMs = this._timings.total.toFixed(1);
    }
    this.node.dataset.rendered = String(this._renderCount);
    this.node.dataset.state = 'ready';
  }

  private _showInfo(info: ImageFileInfo & Partial<TiffInfo>): void {
    this._info.textContent =
      `${info.height} × ${info.width} ${info.sampleType}` +
      (info.frames > 1 ? `, ${info.frames} frames` : '');
    // The rest of what a scientist wants to know about the file, on hover.
    const tiff = info.format === 'tiff';
    const m = info.metadata;
    const q = (v: { value: number; unit: string }): string => `${Number(v.value.toPrecision(6))} ${v.unit}`;
    this._info.title = [
      `${info.format.toUpperCase()}: ${info.width} × ${info.height} pixels (width × height), ${info.frames} frame${info.frames === 1 ? '' : 's'}`,
      ...(tiff
        ? [
            `${info.sampleType} (${info.bitsPerSample}-bit, ${info.samplesPerPixel} sample${info.samplesPerPixel === 1 ? '' : 's'} per pixel)`,
            `compression: ${info.compression}${info.predictor ? ` + ${info.predictor} predictor` : ''}`,
            `${info.littleEndian ? 'little' : 'big'}-endian${info.bigTiff ? ' BigTIFF' : ''}${info.tiled ? ', tiled' : ''}`
          ]
        : [`${info.sampleType}${info.littleEndian === undefined ? '' : `, ${info.littleEndian ? 'little' : 'big'}-endian`}`]),
      ...(info.dataset ? [`dataset: ${info.dataset}`] : []),
      ...(m.beamCenter ? [`header beam center (row, col): (${m.beamCenter.row.toFixed(2)}, ${m.beamCenter.col.toFixed(2)})`] : []),
      ...(m.pixelSize ? [`pixel size: ${q(m.pixelSize.row)} × ${q(m.pixelSize.col)}`] : []),
      ...(m.detectorDistance ? [`detector distance: ${q(m.detectorDistance)}`] : []),
      ...(m.cameraLength ? [`camera length: ${q(m.cameraLength)}`] : []),
      ...(m.wavelength ? [`wavelength: ${q(m.wavelength)}`] : []),
      ...(m.voltage ? [`voltage: ${q(m.voltage)}`] : []),
      ...(info.software ? [`software: ${info.software}`] : []),
      ...(info.description ? [`description: ${info.description.slice(0, 500)}`] : [])
    ].join('\n');
    this.node.dataset.format = info.format;
    if (m.beamCenter) {
      this.node.dataset.headerBeamCenter = `${m.beamCenter.row},${m.beamCenter.col}`;
    } else {
      delete this.node.dataset.headerBeamCenter;
    }
    // What the reader did to the data (e.g. RGB converted to luminance) must not go unseen.
    this._notes.hidden = info.notes.length === 0;
    this._notes.textContent = info.notes.length ? `⚠ ${info.notes.join('; ')}` : '';
    this.node.dataset.height = String(info.height);
    this.node.dataset.width = String(info.width);
    this.node.dataset.sampleType = info.sampleType;
    this.node.dataset.frames = String(info.frames);
    delete this.node.dataset.error;
  }

  private _showError(error: Error): void {
    this._tiff?.dispose();
    this._tiff = null;
    this._frame = null;
    this._stats = null;
    this._bitmap.cancel();
    const name = this.context.path.split('/').pop() ?? this.context.path;
    this._message.hidden = false;
    this._message.replaceChildren();
    const title = Private.div('jp-Diffraction-errorTitle', this._message);
    title.textContent = `Cannot open ${name}`;
    const detail = Private.div('jp-Diffraction-errorDetail', this._message);
    detail.textContent = error.message || String(error);
    const path = Private.div('jp-Diffraction-errorPath', this._message);
    path.textContent = this.context.path;
    this._info.textContent = `${name}: not displayed`;
    this._frameBar.hidden = true;
    this.node.dataset.state = 'error';
    this.node.dataset.error = (error as { code?: string }).code ?? error.name ?? 'error';
    this._requestPaint();
  }

  // ------------------------------------------------------------------ parameters

  private _applyDefaults(d: DiffractionViewer.IDefaults): void {
    if (isColormapName(d.colormap)) this._params.colormap = d.colormap;
    if (isScaleName(d.scale)) this._params.scale = d.scale;
    if (d.gamma > 0) this._params.gamma = d.gamma;
    this._params.invert = !!d.invert;
    this._params.maskNegative = d.maskNegative;
    this._params.invalidColor = Private.parseColor(d.invalidColor);
    if (d.lowPercentile >= 0 && d.highPercentile <= 100 && d.lowPercentile < d.highPercentile) {
      this._low = d.lowPercentile;
      this._high = d.highPercentile;
    }
  }

  private _computeAuto(frame: DiffractionImage): { vmin: number; vmax: number } {
    return autoContrast(frame.data, this._low, this._high, {
      maskNegative: this._params.maskNegative,
      stats: this._stats ?? undefined
    });
  }

  private _setParams(p: Partial<DisplayParams>, force = false): void {
    const before = JSON.stringify(this._params);
    Object.assign(this._params, p);
    if (!force && JSON.stringify(this._params) === before) {
      this._stateChanged.emit();
      this._updateDataset();
      return;
    }
    this._afterParamsChanged();
  }

  private _afterParamsChanged(): void {
    this._updateDataset();
    this._displayChanged.emit(this.display);
    this._stateChanged.emit();
    void this._render();
  }

  // ------------------------------------------------------------------ view & paint

  private _shape(): { height: number; width: number } {
    return this._frame ?? { height: this._tiff?.info.height ?? 0, width: this._tiff?.info.width ?? 0 };
  }

  private _setView(view: ViewTransform, fit: boolean): void {
    const changed =
      view.zoom !== this._view.zoom || view.x0 !== this._view.x0 || view.y0 !== this._view.y0;
    const fitChanged = fit !== this._fit;
    this._view = view;
    this._fit = fit;
    if (changed) {
      this._updateDataset();
      this._viewChanged.emit(view);
      this._overlayDirty = true;
      this._requestPaint();
    }
    if (changed || fitChanged) {
      this._stateChanged.emit();
    }
  }

  private _applyPendingView(): void {
    const pending = this._pendingView;
    const { width, height } = this.clientSize;
    if (!pending || !this._frame || width === 0 || height === 0) {
      return;
    }
    this._pendingView = null;
    this._setView(centerOn(pending.row, pending.col, pending.zoom, width, height), false);
  }

  private _onSizeMaybeChanged(): void {
    const { width, height } = this.clientSize;
    if (width === this._lastSize.width && height === this._lastSize.height) {
      this._requestPaint();
      return;
    }
    const previous = this._lastSize;
    this._lastSize = { width, height };
    if (this._pendingView) {
      this._applyPendingView();
    } else if (this._fit && this._frame) {
      this.fit();
    } else if (previous.width > 0 && previous.height > 0) {
      // Keep the image point at the stage center where it is.
      const c = this.clientToImage(previous.width / 2, previous.height / 2);
      this._setView(centerOn(c.row, c.col, this._view.zoom, width, height), false);
    }
    this._overlayDirty = true;
    this._requestPaint();
  }

  private _requestPaint(): void {
    if (this._rafId || this.isDisposed) {
      return;
    }
    this._rafId = requestAnimationFrame(() => {
      this._rafId = 0;
      this._paint();
    });
  }

  private _paint(): void {
    if (this.isDisposed) return;
    const t0 = performance.now();
    const { width, height } = this.clientSize;
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.max(1, Math.round(width * dpr));
    const ph = Math.max(1, Math.round(height * dpr));
    for (const canvas of [this._canvas, this._overlayCanvas]) {
      if (canvas.width !== pw || canvas.height !== ph) {
        canvas.width = pw;
        canvas.height = ph;
        this._overlayDirty = true;
      }
    }
    const ctx = this._canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, pw, ph);
    const bitmap = this._bitmap;
    if (this._frame && bitmap.width === this._frame.width && bitmap.height === this._frame.height) {
      const r = visibleRect(this._view, bitmap.height, bitmap.width, width, height);
      if (r) {
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        // Smooth when shrinking (less aliasing); crisp pixels when magnifying.
        const zoom = this._view.zoom * dpr;
        ctx.imageSmoothingEnabled = zoom < 1;
        // Zoomed far out: draw from a reduced copy (fewer pixels to resample per frame).
        const { canvas, scale } = bitmap.levelFor(zoom, () => this._requestPaint());
        const k = scale;
        const sw = Math.min(canvas.width - r.sx * k, r.sw * k);
        const sh = Math.min(canvas.height - r.sy * k, r.sh * k);
        ctx.drawImage(canvas, r.sx * k, r.sy * k, sw, sh, r.dx, r.dy, (sw / k) * this._view.zoom, (sh / k) * this._view.zoom);
      }
    }
    if (this._overlayDirty) {
      this._overlayDirty = false;
      this._paintOverlay(dpr);
    }
    this._lastPaintMs = performance.now() - t0;
  }

  private _paintOverlay(dpr: number): void {
    const ctx = this._overlayCanvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this._overlayCanvas.width, this._overlayCanvas.height);
    if (!this._frame) return;
    const { width, height } = this.clientSize;
    const info: DiffractionViewer.IOverlayInfo = {
      viewer: this,
      view: this._view,
      frame: this._frame,
      center: this._center,
      clientWidth: width,
      clientHeight: height,
      imageToClient: (row, col) => imageToClient(this._view, row, col),
      clientToImage: (x, y) => clientToImage(this._view, x, y)
    };
    for (const drawer of this._overlays.slice()) {
      ctx.save();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      try {
        drawer(ctx, info);
      } catch (e) {
        console.error('jupyterlab-diffraction: an overlay drawer failed', e);
      }
      ctx.restore();
    }
  }

  // ------------------------------------------------------------------ pointer

  /** Offer an event to the input handlers; true when one of them used it. */
  private _offerInput(event: PointerEvent | MouseEvent | KeyboardEvent): boolean {
    if (!this._inputHandlers.length) {
      return false;
    }
    if (event instanceof KeyboardEvent) {
      return this._inputHandlers.slice().some(h => h.key?.(event) === true);
    }
    if (!this._frame) {
      return false;
    }
    const { x, y } = this._clientPoint(event);
    const point = { ...this.clientToImage(x, y), x, y };
    return this._inputHandlers.slice().some(h => h.pointer?.(event, point) === true);
  }

  private _clientPoint(event: MouseEvent): { x: number; y: number } {
    const rect = this._stage.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private _onWheel(event: WheelEvent): void {
    if (!this._frame) return;
    event.preventDefault();
    const unit = event.deltaMode === 1 ? 40 : event.deltaMode === 2 ? 800 : 1;
    const delta = Math.max(-400, Math.min(400, event.deltaY * unit));
    const { x, y } = this._clientPoint(event);
    this.zoomBy(Math.exp(-delta * 0.002), x, y);
    this._pointer = { x, y };
    this._updateReadout();
  }

  private _onPointerDown(event: PointerEvent): void {
    this.node.focus();
    if (!this.dragPan || event.button !== 0 || !this._frame) return;
    const { x, y } = this._clientPoint(event);
    this._drag = { id: event.pointerId, x, y };
    this._stage.setPointerCapture?.(event.pointerId);
    this._stage.classList.add('jp-mod-panning');
  }

  private _onPointerMove(event: PointerEvent): void {
    const { x, y } = this._clientPoint(event);
    if (this._drag && this._drag.id === event.pointerId) {
      this.panBy(x - this._drag.x, y - this._drag.y);
      this._drag = { id: event.pointerId, x, y };
    }
    this._pointer = { x, y };
    this._updateReadout();
  }

  private _onPointerUp(event: PointerEvent): void {
    if (this._drag && this._drag.id === event.pointerId) {
      this._drag = null;
      this._stage.releasePointerCapture?.(event.pointerId);
      this._stage.classList.remove('jp-mod-panning');
    }
  }

  private _updateReadout(): void {
    const frame = this._frame;
    const pointer = this._pointer;
    const pixel =
      frame && pointer ? pixelAt(this._view, pointer.x, pointer.y, frame.height, frame.width) : null;
    if (!frame || !pixel) {
      this._readout.textContent = this._center
        ? `center (${Private.formatCoord(this._center.row)}, ${Private.formatCoord(this._center.col)})`
        : '';
      delete this._readout.dataset.row;
      delete this._readout.dataset.col;
      delete this._readout.dataset.value;
      return;
    }
    const value = frame.data[pixel.row * frame.width + pixel.col];
    const valid = isValidValue(value, this._params.maskNegative);
    let text = `(${pixel.row}, ${pixel.col}): ${Private.formatValue(value, frame.sampleType)}`;
    if (!valid) text += ' (masked)';
    if (this._center) {
      const { radius, azimuth } = polarFrom(this._center, pixel.row, pixel.col);
      text += `  r ${radius.toFixed(2)} px  φ ${azimuth.toFixed(1)}°`;
    }
    this._readout.textContent = text;
    this._readout.dataset.row = String(pixel.row);
    this._readout.dataset.col = String(pixel.col);
    this._readout.dataset.value = String(value);
  }

  // ------------------------------------------------------------------ frames

  private _buildFrameControls(): void {
    const bar = this._frameBar;
    const label = document.createElement('label');
    label.textContent = 'Frame';
    label.title = 'Frame index, 0-based as in numpy';
    bar.appendChild(label);
    const prev = document.createElement('button');
    prev.className = 'jp-Diffraction-frameButton jp-mod-styled';
    prev.textContent = '‹';
    prev.title = 'Previous frame';
    prev.addEventListener('click', () => void this.stepFrame(-1));
    bar.appendChild(prev);
    this._frameSlider = document.createElement('input');
    this._frameSlider.type = 'range';
    this._frameSlider.className = 'jp-Diffraction-frameSlider';
    this._frameSlider.min = '0';
    this._frameSlider.step = '1';
    this._frameSlider.addEventListener('input', () => void this.setFrame(Number(this._frameSlider.value)));
    bar.appendChild(this._frameSlider);
    const next = document.createElement('button');
    next.className = 'jp-Diffraction-frameButton jp-mod-styled';
    next.textContent = '›';
    next.title = 'Next frame';
    next.addEventListener('click', () => void this.stepFrame(1));
    bar.appendChild(next);
    this._frameSpinner = document.createElement('input');
    this._frameSpinner.type = 'number';
    this._frameSpinner.className = 'jp-Diffraction-frameSpinner jp-mod-styled';
    this._frameSpinner.min = '0';
    this._frameSpinner.step = '1';
    this._frameSpinner.addEventListener('change', () => void this.setFrame(Number(this._frameSpinner.value)));
    bar.appendChild(this._frameSpinner);
    this._frameTotal = document.createElement('span');
    this._frameTotal.className = 'jp-Diffraction-frameTotal';
    bar.appendChild(this._frameTotal);
    // Keys typed in the frame inputs must not reach the viewer's shortcuts.
    for (const input of [this._frameSlider, this._frameSpinner]) {
      input.addEventListener('keydown', event => event.stopPropagation());
    }
  }

  private _syncFrameControls(): void {
    const last = Math.max(0, this.frameCount - 1);
    this._frameSlider.max = String(last);
    this._frameSpinner.max = String(last);
    this._frameSlider.value = String(this._frameIndex);
    this._frameSpinner.value = String(this._frameIndex);
    this._frameTotal.textContent = `of ${this.frameCount}`;
  }

  private _updateDataset(): void {
    const d = this.node.dataset;
    d.frame = String(this._frameIndex);
    d.frames = String(this.frameCount);
    d.zoom = String(Math.round(this._view.zoom * 1e4) / 1e4);
    // The exact view (x = x0 + (col + ½)·zoom, y = y0 + (row + ½)·zoom, stage CSS pixels).
    d.view = `${this._view.zoom} ${this._view.x0} ${this._view.y0}`;
    d.colormap = this._params.colormap;
    d.scale = this._params.scale;
    d.invert = String(this._params.invert);
    d.auto = String(this._auto);
    d.vmin = String(this._params.vmin);
    d.vmax = String(this._params.vmax);
  }

  // ------------------------------------------------------------------ file polling

  private _startPolling(): void {
    this._stopPolling();
    const seconds = this._defaults.pollInterval;
    if (!(seconds > 0)) return;
    this._pollTimer = window.setInterval(() => void this._checkDisk(), seconds * 1000);
  }

  private _restartPolling(): void {
    if (this.context.isReady) this._startPolling();
  }

  private _stopPolling(): void {
    if (this._pollTimer) {
      window.clearInterval(this._pollTimer);
      this._pollTimer = 0;
    }
  }

  /** Reload when the file on disk is newer than what we show (re-render when it changes). */
  private async _checkDisk(): Promise<void> {
    if (this._checking || !this._contents || !this.isVisible || this.context.isDisposed) return;
    this._checking = true;
    try {
      const known = this.context.contentsModel?.last_modified;
      const model = await this._contents.get(this.context.path, { content: false });
      if (known && model.last_modified && model.last_modified !== known && !this.isDisposed) {
        await this.context.revert();
      }
    } catch {
      // The file may be gone or renamed; the document manager reports that itself.
    } finally {
      this._checking = false;
    }
  }

  // ------------------------------------------------------------------ fields

  private _body: HTMLDivElement;
  private _stage: HTMLDivElement;
  private _canvas: HTMLCanvasElement;
  private _overlayCanvas: HTMLCanvasElement;
  private _message: HTMLDivElement;
  private _sidePanel: HTMLDivElement;
  private _frameBar: HTMLDivElement;
  private _frameSlider!: HTMLInputElement;
  private _frameSpinner!: HTMLInputElement;
  private _frameTotal!: HTMLSpanElement;
  private _readout: HTMLDivElement;
  private _info: HTMLDivElement;
  private _notes: HTMLDivElement;

  private _tiff: RemoteImage | null = null;
  private _frame: DiffractionImage | null = null;
  private _frameIndex = 0;
  private _stats: FrameStats | null = null;
  private _loadId = 0;
  private _ready = new PromiseDelegate<void>();

  private _defaults: DiffractionViewer.IDefaults;
  private _params: DisplayParams = {
    colormap: 'inferno',
    scale: 'linear',
    gamma: 1,
    invert: false,
    vmin: 0,
    vmax: 1,
    maskNegative: true,
    invalidColor: [0, 200, 255, 255]
  };
  private _auto = true;
  private _low = 0.175;
  private _high = 99.825;

  private _view: ViewTransform = { zoom: 1, x0: 0, y0: 0 };
  private _fit = true;
  private _pendingView: { zoom: number; row: number; col: number } | null = null;
  private _lastSize = { width: 0, height: 0 };
  private _pointer: { x: number; y: number } | null = null;
  private _drag: { id: number; x: number; y: number } | null = null;

  private _bitmap = new FrameBitmap();
  private _rafId = 0;
  private _overlayDirty = true;
  private _overlays: DiffractionViewer.OverlayDrawer[] = [];
  private _inputHandlers: DiffractionViewer.IInputHandler[] = [];
  private _center: ImagePoint | null = null;
  private _renderCount = 0;
  private _lastPaintMs = 0;
  private _loadStart = 0;
  private _timings: DiffractionViewer.ITimings = { base64: 0, decode: 0, stats: 0, lut: 0, paint: 0, total: 0 };
  private _pollTimer = 0;
  private _checking = false;
  private _resizeObserver: ResizeObserver | null = null;
  private _contents: Contents.IManager | null;
  private _contrastPanel: ContrastPanel | null = null;

  private _frameChanged = new Signal<this, DiffractionViewer.IFrameChange>(this);
  private _viewChanged = new Signal<this, ViewTransform>(this);
  private _centerChanged = new Signal<this, ImagePoint | null>(this);
  private _displayChanged = new Signal<this, DisplayParams>(this);
  private _stateChanged = new Signal<this, void>(this);
}

/** The public types of the diffraction viewer. */
export namespace DiffractionViewer {
  /** Options of the viewer. */
  export interface IOptions {
    /** Initial defaults (normally from the settings). */
    defaults?: Partial<IDefaults>;
    /** The contents manager, to notice when the file changes on disk (no polling without). */
    contents?: Contents.IManager;
  }

  /** Defaults from the settings (schema/viewer.json). */
  export interface IDefaults {
    colormap: ColormapName;
    scale: ScaleName;
    gamma: number;
    invert: boolean;
    /** Auto-contrast low percentile (0..100). */
    lowPercentile: number;
    /** Auto-contrast high percentile (0..100). */
    highPercentile: number;
    /** Treat negative values as masked detector sentinels. */
    maskNegative: boolean;
    /** CSS hex color (#rrggbb or #rrggbbaa) of invalid pixels. */
    invalidColor: string;
    /** Seconds between checks of the file on disk (0: never). */
    pollInterval: number;
  }

  /** The built-in defaults (the same as the settings schema's). */
  export const DEFAULTS: IDefaults = {
    colormap: 'inferno',
    scale: 'linear',
    gamma: 0.5,
    invert: false,
    lowPercentile: 0.175,
    highPercentile: 99.825,
    maskNegative: true,
    invalidColor: '#00c8ff',
    pollInterval: 2
  };

  /** The payload of `frameChanged`. */
  export interface IFrameChange {
    index: number;
    image: DiffractionImage;
  }

  /** What an overlay drawer gets besides its context. */
  export interface IOverlayInfo {
    viewer: DiffractionViewer;
    view: ViewTransform;
    frame: DiffractionImage;
    center: ImagePoint | null;
    clientWidth: number;
    clientHeight: number;
    imageToClient(row: number, col: number): { x: number; y: number };
    clientToImage(x: number, y: number): ImagePoint;
  }

  /** Draws into the overlay (client coordinates, CSS pixels). */
  export type OverlayDrawer = (ctx: CanvasRenderingContext2D, info: IOverlayInfo) => void;

  /**
   * A tool that takes input on the image before the viewer (see `addInputHandler`). Each method
   * returns true when it used the event. `point` is the pointer in image coordinates (row, col;
   * pixel centers at integers) and in client coordinates of the stage (x, y, CSS pixels).
   */
  export interface IInputHandler {
    pointer?(event: PointerEvent | MouseEvent, point: { row: number; col: number; x: number; y: number }): boolean;
    key?(event: KeyboardEvent): boolean;
  }

  /** The state kept across reloads. */
  export interface IState {
    frame: number;
    colormap: ColormapName;
    scale: ScaleName;
    gamma: number;
    invert: boolean;
    auto: boolean;
    vmin: number;
    vmax: number;
    low: number;
    high: number;
    fit: boolean;
    zoom: number;
    /** Image point at the stage center. */
    viewRow: number;
    viewCol: number;
  }

  /** Load timings (ms) from the file content to the first complete paint. */
  export interface ITimings {
    /** base64 → bytes (part of `decode`). */
    base64: number;
    /** base64 → bytes → TIFF → first frame. */
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

/** The document widget holding a diffraction viewer. */
export class DiffractionDocument extends DocumentWidget<DiffractionViewer> {}

namespace Private {
  /** Run a step generator in time slices of `SLICE_MS`, yielding to the event loop between. */
  export async function runSliced<T>(steps: Generator<void, T, void>): Promise<T> {
    for (;;) {
      const start = performance.now();
      let next = steps.next();
      while (!next.done && performance.now() - start < SLICE_MS) {
        next = steps.next();
      }
      if (next.done) {
        return next.value;
      }
      await yieldToEventLoop();
    }
  }

  export function div(className: string, parent: HTMLElement): HTMLDivElement {
    const node = document.createElement('div');
    node.className = className;
    parent.appendChild(node);
    return node;
  }

  export function parseColor(text: string): [number, number, number, number] {
    const m = /^#?([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(text.trim());
    if (!m) return [0, 200, 255, 255];
    const v = parseInt(m[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255, m[2] ? parseInt(m[2], 16) : 255];
  }

  export function formatValue(value: number, sampleType: string): string {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
    if (!sampleType.startsWith('float')) return String(value);
    const a = Math.abs(value);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return value.toExponential(4);
    return String(Number(value.toPrecision(6)));
  }

  export function formatCoord(v: number): string {
    return String(Number(v.toFixed(2)));
  }
}
