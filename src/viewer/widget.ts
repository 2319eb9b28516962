/**
 * The diffraction viewer widget. It holds a `ViewerModel` (display and view state) and lays out
 * its parts as Lumino widgets in a `PanelLayout`:
 *
 *   jp-DiffractionViewer
 *   ├── jp-Diffraction-body
 *   │   ├── jp-Diffraction-imageArea
 *   │   │   └── ImageStage (jp-Diffraction-stage: image and overlay canvases, message)
 *   │   └── jp-Diffraction-side (ContrastPanel, shown by `toggleContrastPanel`)
 *   └── jp-Diffraction-statusbar (FrameBar, Readout, FileInfo,
 *       jp-Diffraction-statusArea: widgets of other tools, `addStatusWidget`)
 *
 * It decodes the TIFF held by the document context (in a Worker), reads frames with their
 * statistics, and hands pointer and key input to tools (`addInputHandler`) before its own pan.
 */
import { type DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import type { Contents } from '@jupyterlab/services';
import { type ITranslator, nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { PromiseDelegate } from '@lumino/coreutils';
import { DisposableDelegate, type IDisposable } from '@lumino/disposable';
import type { Message } from '@lumino/messaging';
import { type ISignal, Signal } from '@lumino/signaling';
import { Panel, PanelLayout, Widget } from '@lumino/widgets';
import type { DiffractionImage } from '../io/image.js';
import type { DatasetSummary } from '../io/image-file.js';
import type { RemoteImage } from '../worker/tiff-client.js';
import { ContrastPanel } from './contrast-panel.js';
import type { ValueRange } from './contrast.js';
import { DiskWatch } from './disk-watch.js';
import { FrameBar } from './frame-bar.js';
import { drawHeaderMarker } from './header-marker.js';
import type { DisplayParams, ScaleName } from './lut.js';
import { ViewerModel } from './model.js';
import { FileInfo, Readout } from './readout.js';
import { FramePipeline } from './pipeline.js';
import { type IInputHandler as InputHandler, ViewerInput } from './input.js';
import { type IOverlayInfo as OverlayInfo, OverlayList, type OverlayDrawer as Drawer } from './overlays.js';
import { ImageStage } from './stage.js';
import { writeFileDataset, writeReadDataset, writeStateDataset } from './dataset.js';
import { clientToImage, type ImagePoint, imageToClient, type ViewTransform } from './view.js';

/**
 * A viewer for diffraction images (TIFF, MRC, DM3/DM4, MIB, SMV, CBF, HDF5): 8/16/32-bit integer
 * and float data, stacks.
 */
export class DiffractionViewer extends Widget {
  constructor(context: DocumentRegistry.Context, options: DiffractionViewer.IOptions = {}) {
    super();
    this.context = context;
    this.addClass('jp-DiffractionViewer');
    this.node.tabIndex = 0;
    this.node.dataset.state = 'loading';
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_diffraction');
    this.model = new ViewerModel({ defaults: options.defaults });
    if (options.scale) this.model.scale = options.scale;
    this._contents = options.contents ?? null;

    const trans = this._trans;
    this._stage = new ImageStage({ model: this.model, trans, drawOverlay: (ctx, dpr) => this._drawOverlay(ctx, dpr) });
    this._stage.showLoading(context.path);
    this._statusArea = Private.panel('jp-Diffraction-statusArea');
    const imageArea = Private.panel('jp-Diffraction-imageArea', this._stage);
    this._side = Private.panel('jp-Diffraction-side');
    this._side.hide();
    this._frameBar = new FrameBar(trans);
    this._frameBar.requested.connect((_, index) => void this.setFrame(index));
    this._readout = new Readout(trans);
    this._fileInfo = new FileInfo(trans);
    const layout = (this.layout = new PanelLayout());
    layout.addWidget(Private.panel('jp-Diffraction-body', imageArea, this._side));
    layout.addWidget(
      Private.panel('jp-Diffraction-statusbar', this._frameBar, this._readout, this._fileInfo, this._statusArea)
    );

    this._input = new ViewerInput(this, this._stage.node, this._inputHandlers, {
      onPointer: point => {
        this._pointer = point;
        this._updateReadout();
      }
    });
    this.model.changed.connect(this._onModelChanged, this);
    this._pipeline = new FramePipeline(this.model, this._stage);
    this._pipeline.loaded.connect(this._onLoaded, this);
    this._pipeline.frameShown.connect(this._onFrameShown, this);
    this._pipeline.rendered.connect(this._onRendered, this);
    this._pipeline.failed.connect(this._onFailed, this);

    void context.ready.then(async () => {
      if (this.isDisposed) return;
      // The context holds no content (see LazyFileModelFactory): a change on disk is a new file.
      context.fileChanged.connect(() => void this._pipeline.load(context.path, this._contents), this);
      if (this._contents) {
        this._diskWatch = new DiskWatch({
          context,
          contents: this._contents,
          isVisible: () => this.isVisible,
          interval: this.model.defaults.pollInterval
        });
      }
      await this._pipeline.load(context.path, this._contents);
      this._ready.resolve();
    });
  }

  /** The document context. */
  readonly context: DocumentRegistry.Context;

  /** The display and view state (DOM-free; saved and restored by the layout restorer). */
  readonly model: ViewerModel;

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
    return this._pipeline.tiff;
  }

  /** The current frame, if decoded. */
  get frame(): DiffractionImage | null {
    return this._pipeline.frame;
  }

  /** The index (0-based) of the current frame. */
  get frameIndex(): number {
    return this.model.frameIndex;
  }

  /** The number of frames of the file (0 before load). */
  get frameCount(): number {
    return this._pipeline.tiff?.info.frames ?? 0;
  }

  /** Range and valid-pixel count of the current frame. */
  get frameRange(): ValueRange | null {
    return this._pipeline.stats?.range ?? null;
  }

  /** Show frame `index` (clamped to the file's frames). */
  async setFrame(index: number): Promise<void> {
    const count = this.frameCount;
    const wanted = Math.max(0, Math.floor(index));
    const pipeline = this._pipeline;
    if (!pipeline.tiff || count === 0) {
      pipeline.batch(() => (this.model.frameIndex = wanted));
      return;
    }
    const target = Math.min(count - 1, wanted);
    if (target === this.model.frameIndex && pipeline.shownIndex === target) return;
    pipeline.batch(() => (this.model.frameIndex = target));
    await pipeline.showFrame(target);
  }

  /** Step `delta` frames (wrapping around). */
  stepFrame(delta: number): Promise<void> {
    const count = this.frameCount;
    if (count <= 1) return Promise.resolve();
    return this.setFrame((((this.frameIndex + delta) % count) + count) % count);
  }

  /** HDF5: the dataset the user chose (null: the reader's automatic choice); see dataset-picker.ts. */
  get imageDataset(): string | null {
    return this._pipeline.dataset ?? null;
  }

  /** HDF5: the image datasets of the file (of the last load that succeeded). */
  get imageDatasets(): DatasetSummary[] {
    return this._pipeline.datasets;
  }

  /** Read another dataset of the file (null: the automatic choice); kept in the saved state. */
  async setImageDataset(path: string | null): Promise<void> {
    if ((path ?? undefined) === this._pipeline.dataset) return;
    this._pipeline.dataset = path ?? undefined;
    this._stateChanged.emit();
    if (this.context.isReady) await this._pipeline.load(this.context.path, this._contents);
  }

  // ------------------------------------------------------------------ display

  /** The display parameters of the LUT pass (colormap, scale…: see `model`). */
  get display(): DisplayParams {
    return this.model.display;
  }

  /** Apply new defaults (from the settings); only what changed in them is applied. */
  setDefaults(defaults: Partial<DiffractionViewer.IDefaults>): void {
    const keys = this._pipeline.batch(() => this.model.setDefaults(defaults));
    if (keys.includes('pollInterval') && this._diskWatch) {
      this._diskWatch.interval = this.model.defaults.pollInterval;
    }
    if (keys.includes('maskNegative')) this._pipeline.refreshStats();
    if (keys.length) this._pipeline.requestRender();
  }

  // ------------------------------------------------------------------ view

  /** The current view transform (image ↔ client). */
  get view(): ViewTransform {
    return this.model.view;
  }

  /** The zoom (CSS pixels per image pixel). */
  get zoom(): number {
    return this.model.zoom;
  }

  /** Whether the view follows the widget's size (fit to window). */
  get fitMode(): boolean {
    return this.model.fit;
  }

  /** Whether dragging with the primary button pans (tools may turn it off while they draw). */
  dragPan = true;

  /** The element holding the canvases; tools listen to pointer events on it. */
  get stage(): HTMLElement {
    return this._stage.node;
  }

  /** The side panel area (the contrast panel lives here). */
  get sidePanel(): HTMLElement {
    return this._side.node;
  }

  /** The contrast panel (histogram, limits), created on first use. */
  get contrastPanel(): ContrastPanel {
    if (!this._contrastPanel) {
      this._contrastPanel = new ContrastPanel(this, this.model, this._trans);
      this._side.addWidget(this._contrastPanel);
    }
    return this._contrastPanel;
  }

  /** Whether the contrast panel is shown. */
  get contrastPanelVisible(): boolean {
    return !!this._contrastPanel && !this._side.isHidden;
  }

  /** Show or hide the contrast panel (default: toggle). */
  toggleContrastPanel(show = !this.contrastPanelVisible): void {
    const panel = this.contrastPanel;
    this._side.setHidden(!show);
    this.toggleClass('jp-mod-sidePanel', show);
    if (show) panel.update();
  }

  /**
   * Put a widget in the status area of the status bar, below the image (never over it), in the
   * order added, e.g. the find-center status. The area places the widgets; they need no position
   * of their own. Pointer events on them do not reach the stage (no pan, no tool input).
   * Disposing the returned handle takes the widget out of the area (it is not disposed);
   * disposing the widget removes it too. The viewer disposes what is still there with itself.
   */
  addStatusWidget(widget: Widget): IDisposable {
    this._statusArea.addWidget(widget);
    return new DisposableDelegate(() => {
      if (!widget.isDisposed && widget.parent === this._statusArea) widget.parent = null;
    });
  }

  /** Image (row, col) → client (x, y) in CSS pixels relative to the stage. */
  imageToClient(row: number, col: number): { x: number; y: number } {
    return imageToClient(this.model.view, row, col);
  }

  /** Client (x, y) relative to the stage → image (row, col), fractional. */
  clientToImage(x: number, y: number): ImagePoint {
    return clientToImage(this.model.view, x, y);
  }

  /** Client size of the stage (CSS pixels). */
  get clientSize(): { width: number; height: number } {
    return this._sized.clientSize;
  }

  /** The model, after reading the stage's size (a view change right after a layout change). */
  private get _sized(): ViewerModel {
    this._stage.updateSize();
    return this.model;
  }

  /** Zoom by a factor about a client point (default: the stage center). */
  zoomBy(factor: number, x?: number, y?: number): void {
    this._sized.zoomBy(factor, x, y);
  }

  zoomIn(): void {
    this._sized.zoomIn();
  }

  zoomOut(): void {
    this._sized.zoomOut();
  }

  /** Move the view by (dx, dy) client pixels. */
  panBy(dx: number, dy: number): void {
    this._sized.panBy(dx, dy);
  }

  /** Show the whole image, and keep doing so when the widget resizes. */
  fit(): void {
    this._sized.fitToWindow();
  }

  /** One image pixel per CSS pixel, keeping the image point at the stage center. */
  actualSize(): void {
    this._sized.actualSize();
  }

  /** Center the view on an image point, at the given zoom (default: the current one). */
  centerView(row: number, col: number, zoom?: number): void {
    this._sized.centerView(row, col, zoom);
  }

  // ------------------------------------------------------------------ center & overlays

  /** The pattern's center (row, col), used by the readout (radius, azimuth) and overlays. */
  get center(): ImagePoint | null {
    return this._center;
  }
  set center(value: ImagePoint | null) {
    const next = value ? { row: value.row, col: value.col } : null;
    const old = this._center;
    if (next === old || (next && old && next.row === old.row && next.col === old.col)) return;
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
    return this._overlays.add(drawer);
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
      if (i >= 0) this._inputHandlers.splice(i, 1);
    });
  }

  /**
   * Add a note to the readout of some pixels, e.g. "masked" for the pixels of a user's mask:
   * `provider(row, col)` gives the note of that pixel, or null. Disposing the handle removes it.
   */
  addPixelNote(provider: (row: number, col: number) => string | null): IDisposable {
    return this._readout.addNote(provider);
  }

  /** Ask for the overlay to be redrawn on the next animation frame. */
  requestOverlayRedraw(): void {
    this._stage.requestPaint(true);
  }

  // ------------------------------------------------------------------ state

  /** What the layout restorer keeps for this viewer. */
  saveState(): DiffractionViewer.IState {
    const dataset = this.imageDataset;
    return dataset === null ? this.model.toJSON() : { ...this.model.toJSON(), dataset };
  }

  /** Restore a state saved by `saveState` (before or after the file has loaded). */
  restoreState(state: Partial<DiffractionViewer.IState>): void {
    this.model.fromJSON(state);
    if (typeof state?.dataset === 'string' && state.dataset) void this.setImageDataset(state.dataset);
  }

  /** Timings of the last load (ms; for the benchmark and the curious). */
  get timings(): DiffractionViewer.ITimings {
    return this._pipeline.timings;
  }

  /** How long the last paint of the view took (ms). */
  get lastPaintMs(): number {
    return this._stage.lastPaintMs;
  }

  /** Paint now (synchronously) instead of on the next animation frame. */
  paintNow(): void {
    this._stage.updateSize();
    this._stage.paint();
  }

  // ------------------------------------------------------------------ lumino

  dispose(): void {
    if (this.isDisposed) return;
    this._pipeline.dispose();
    this._diskWatch?.dispose();
    this._input.dispose();
    Signal.clearData(this.model);
    super.dispose();
  }

  protected onActivateRequest(_msg: Message): void {
    this.node.focus();
  }

  // ------------------------------------------------------------------ model & pipeline

  private _onModelChanged(_: ViewerModel, change: ViewerModel.Change): void {
    if (change === 'display') {
      this._updateDataset();
      this._displayChanged.emit(this.display);
    } else if (change === 'view') {
      this._updateDataset();
      this._viewChanged.emit(this.model.view);
      this._updateReadout();
      this._stage.requestPaint(true);
    }
    this._stateChanged.emit();
  }

  private _onLoaded(_: FramePipeline, info: FramePipeline.FileInfo): void {
    this._fileInfo.describe(info);
    writeFileDataset(this.node, info);
    // The beam center the header states, a second marker beside the found center.
    this._headerMarker?.dispose();
    this._headerMarker = null;
    const beam = info.metadata?.beamCenter;
    if (beam) {
      const label = this._trans.__('header');
      this._headerMarker = this.addOverlay((ctx, overlay) => drawHeaderMarker(ctx, overlay, beam, label));
    }
    this._stateChanged.emit(); // the dataset read may differ from the one asked for (no longer in the file)
  }

  private _onFrameShown(_: FramePipeline, change: DiffractionViewer.IFrameChange): void {
    this._frameBar.showFrame(change.index, this.frameCount);
    this._updateDataset();
    writeReadDataset(this.node, this._pipeline.tiff);
    this._updateReadout();
    this._frameChanged.emit(change);
    this._displayChanged.emit(this.display);
    this._stateChanged.emit();
  }

  private _onRendered(): void {
    const d = this.node.dataset;
    const total = this._pipeline.timings.total;
    if (total > 0) d.firstPaintMs = total.toFixed(1);
    d.rendered = String(this._pipeline.renderCount);
    d.state = 'ready';
  }

  private _onFailed(_: FramePipeline, error: Error): void {
    const path = this.context.path;
    const name = path.split('/').pop() ?? path;
    this._stage.showError(name, error.message || String(error), path);
    this._fileInfo.showError(name);
    this._frameBar.hide();
    this.node.dataset.state = 'error';
    this.node.dataset.error = (error as { code?: string }).code ?? error.name ?? 'error';
  }

  // ------------------------------------------------------------------ painting & readout

  private _drawOverlay(ctx: CanvasRenderingContext2D, dpr: number): void {
    const frame = this._pipeline.frame;
    if (!frame) return;
    const { width, height } = this.model.clientSize;
    this._overlays.draw(ctx, dpr, this, frame, this.model.view, this._center, width, height);
  }

  private _updateReadout(): void {
    this._readout.follow(this._pipeline.frame, this.model, this._pointer, this._center, this._pipeline.stats?.rule);
  }

  private _updateDataset(): void {
    writeStateDataset(this.node, this.model, this.frameCount);
  }

  // ------------------------------------------------------------------ fields

  private _trans: TranslationBundle;
  private _stage: ImageStage;
  private _statusArea: Panel;
  private _side: Panel;
  private _frameBar: FrameBar;
  private _readout: Readout;
  private _fileInfo: FileInfo;
  private _contrastPanel: ContrastPanel | null = null;
  private _input: ViewerInput;
  private _pipeline: FramePipeline;

  private _ready = new PromiseDelegate<void>();

  private _pointer: { x: number; y: number } | null = null;
  private _overlays = new OverlayList<DiffractionViewer>(() => this.requestOverlayRedraw());
  private _inputHandlers: DiffractionViewer.IInputHandler[] = [];
  private _center: ImagePoint | null = null;
  private _diskWatch: DiskWatch | null = null;
  private _contents: Contents.IManager | null;
  private _headerMarker: IDisposable | null = null;

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
    /** A scale to open with instead of the default (the one last chosen by the user). */
    scale?: ScaleName;
    /** The contents manager, to notice when the file changes on disk (no polling without). */
    contents?: Contents.IManager;
    /** The translator of every user-visible string. */
    translator?: ITranslator;
  }

  /** Defaults from the settings (schema/viewer.json). */
  export type IDefaults = ViewerModel.IDefaults;

  /** The defaults of the settings schema (schema/viewer.json). */
  export const DEFAULTS = ViewerModel.DEFAULTS;

  /** The state kept across reloads (`dataset`: the HDF5 dataset chosen, if not the automatic one). */
  export type IState = ViewerModel.IState & { dataset?: string };

  /** The payload of `frameChanged`. */
  export interface IFrameChange {
    index: number;
    image: DiffractionImage;
  }

  /** What an overlay drawer gets besides its context. */
  export type IOverlayInfo = OverlayInfo<DiffractionViewer>;

  /** Draws into the overlay (client coordinates, CSS pixels). */
  export type OverlayDrawer = Drawer<DiffractionViewer>;

  /**
   * A tool that takes input on the image before the viewer (see `addInputHandler`). Each method
   * returns true when it used the event. `point` is the pointer in image coordinates (row, col;
   * pixel centers at integers) and in client coordinates of the stage (x, y, CSS pixels).
   */
  export type IInputHandler = InputHandler;

  /** Load timings (ms) from the file content to the first complete paint. */
  export type ITimings = FramePipeline.ITimings;
}

/** The document widget holding a diffraction viewer. */
export class DiffractionDocument extends DocumentWidget<DiffractionViewer> {}

namespace Private {
  /** A panel with a class name and children. */
  export function panel(className: string, ...children: Widget[]): Panel {
    const p = new Panel();
    p.addClass(className);
    for (const child of children) p.addWidget(child);
    return p;
  }
}
