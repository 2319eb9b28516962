/**
 * The state of one diffraction viewer, without DOM: how values become colors (colormap, scale,
 * gamma, invert, contrast limits or auto-contrast percentiles, invalid color) and what part of
 * the image is shown (zoom or fit, the image point at the middle of the stage, the frame).
 *
 * The view state is kept in image terms (fit, zoom, view center), never as a client transform:
 * the transform is derived from it and the stage's size, so resizing, hiding a tab or loading
 * a new shape never changes what the user chose, and what is saved is what the user sees.
 *
 * Every value that enters (settings, user, restored layout) passes one validator
 * (`ViewerModel.validate`), and every default comes from one table (`ViewerModel.DEFAULTS`,
 * equal to the defaults of schema/viewer.json — a unit test holds them together).
 */
import { type ISignal, Signal } from '@lumino/signaling';
import { type ColormapName, isColormapName } from './colormaps.js';
import * as Defaults from './defaults.js';
import { type DisplayParams, isScaleName, type ScaleName } from './lut.js';
import {
  centerOn,
  clampZoom,
  clientToImage,
  fitView,
  type ImagePoint,
  panBy,
  type ViewTransform,
  zoomAt,
  ZOOM_STEP
} from './view.js';

/** The display and view state of a viewer, with change signals and save / restore. */
export class ViewerModel {
  constructor(options: ViewerModel.IOptions = {}) {
    this._defaults = ViewerModel.defaultsFrom({ ...ViewerModel.DEFAULTS, ...options.defaults });
    this._applyDefaults(this._defaults, Object.keys(this._defaults) as (keyof ViewerModel.IDefaults)[]);
  }

  /** Emitted when something changes; the argument says what. */
  get changed(): ISignal<this, ViewerModel.Change> {
    return this._changed;
  }

  // ------------------------------------------------------------------ display

  /** The parameters of the LUT pass (a copy). */
  get display(): DisplayParams {
    return { ...this._params };
  }

  get colormap(): ColormapName {
    return this._params.colormap;
  }
  set colormap(value: ColormapName) {
    if (isColormapName(value)) this._setParams({ colormap: value });
  }

  get scale(): ScaleName {
    return this._params.scale;
  }
  /** Set by the user (emits `scaleChosen`; defaults, restore and `chooseScale` do not). */
  set scale(value: ScaleName) {
    if (!isScaleName(value)) return;
    this._scaleFromData = false;
    this._setParams({ scale: value });
    this._scaleChosen.emit(value);
  }

  /** Emitted when the user chooses a scale (to remember it for new viewers). */
  get scaleChosen(): ISignal<this, ScaleName> {
    return this._scaleChosen;
  }

  /**
   * Whether the scale is still to be chosen from the data (the default scale setting is
   * "auto" and nobody chose one yet); `chooseScale` then settles it.
   */
  get scaleFromData(): boolean {
    return this._scaleFromData;
  }

  /** Settle an automatic scale (from the data) without counting it as the user's choice. */
  chooseScale(value: ScaleName): void {
    if (!this._scaleFromData || !isScaleName(value)) return;
    this._scaleFromData = false;
    this._setParams({ scale: value });
  }

  get gamma(): number {
    return this._params.gamma;
  }
  set gamma(value: number) {
    if (ViewerModel.validate.gamma(value)) this._setParams({ gamma: value });
  }

  get invert(): boolean {
    return this._params.invert;
  }
  set invert(value: boolean) {
    this._setParams({ invert: !!value });
  }

  /** Whether negative values are masked detector sentinels (a setting). */
  get maskNegative(): boolean {
    return this._params.maskNegative;
  }

  /** Whether the contrast limits follow the percentiles of each frame. */
  get autoContrast(): boolean {
    return this._auto;
  }

  /** The auto-contrast percentiles [low, high] (0..100). */
  get percentiles(): [number, number] {
    return [this._low, this._high];
  }

  /** The contrast limits [vmin, vmax]. */
  get limits(): [number, number] {
    return [this._params.vmin, this._params.vmax];
  }

  /** Set the contrast limits by hand (turns auto-contrast off). False when they are invalid. */
  setLimits(vmin: number, vmax: number): boolean {
    if (!ViewerModel.validate.limits(vmin, vmax)) return false;
    const wasAuto = this._auto;
    this._auto = false;
    if (!this._setParams({ vmin, vmax }) && wasAuto) this._emit('display');
    return true;
  }

  /**
   * Turn auto-contrast on, optionally with new percentiles (kept only when valid). The limits
   * themselves come from the data: the viewer computes them and calls `setAutoLimits`.
   */
  setAuto(low = this._low, high = this._high): void {
    if (ViewerModel.validate.percentiles(low, high)) {
      this._low = low;
      this._high = high;
    }
    this._auto = true;
    this._emit('display');
  }

  /** The limits computed from the percentiles (auto-contrast stays on). */
  setAutoLimits(vmin: number, vmax: number): void {
    if (ViewerModel.validate.limits(vmin, vmax)) this._setParams({ vmin, vmax });
  }

  // ------------------------------------------------------------------ defaults

  /** The defaults this viewer follows (from the settings). */
  get defaults(): ViewerModel.IDefaults {
    return { ...this._defaults };
  }

  /**
   * Apply new defaults (from the settings). Only what changed in them is applied, so the
   * viewer's own choices (made by the user or restored after a reload) survive unrelated
   * settings changes. Returns the keys that changed.
   */
  setDefaults(defaults: Partial<ViewerModel.IDefaults>): (keyof ViewerModel.IDefaults)[] {
    const next = ViewerModel.defaultsFrom({ ...this._defaults, ...defaults });
    const keys = (Object.keys(next) as (keyof ViewerModel.IDefaults)[]).filter(k => next[k] !== this._defaults[k]);
    this._defaults = next;
    if (keys.length) {
      this._applyDefaults(next, keys);
      this._emit('defaults');
      this._emit('display');
    }
    return keys;
  }

  // ------------------------------------------------------------------ view

  /** The frame shown (0-based). */
  get frameIndex(): number {
    return this._frameIndex;
  }
  set frameIndex(value: number) {
    if (!ViewerModel.validate.frame(value) || value === this._frameIndex) return;
    this._frameIndex = value;
    this._emit('frame');
  }

  /** The image shape (0 × 0 before the first frame). */
  get shape(): { height: number; width: number } {
    return { ...this._shape };
  }

  /** Set the image shape (the viewer does on load); a restored view center is clamped to it. */
  setShape(height: number, width: number): void {
    if (height === this._shape.height && width === this._shape.width) return;
    this._shape = { height, width };
    if (this._viewCenter) this._viewCenter = Private.clampToImage(this._viewCenter, height, width);
    this._emit('view');
  }

  /** The client size of the stage (CSS pixels); the view maps the image onto it. */
  get clientSize(): { width: number; height: number } {
    return { ...this._client };
  }

  setClientSize(width: number, height: number): void {
    if (width === this._client.width && height === this._client.height) return;
    this._client = { width, height };
    this._emit('view');
  }

  /** Whether the view shows the whole image and follows the stage's size. */
  get fit(): boolean {
    return this._fit;
  }

  /** The zoom (CSS pixels per image pixel). */
  get zoom(): number {
    return this.view.zoom;
  }

  /** The image point shown at the middle of the stage. */
  get viewCenter(): ImagePoint {
    if (this._fit || !this._viewCenter) {
      const { height, width } = this._shape;
      return { row: (height - 1) / 2, col: (width - 1) / 2 };
    }
    return { ...this._viewCenter };
  }

  /** The view transform (image ↔ client), derived from the view state and the sizes. */
  get view(): ViewTransform {
    const { height, width } = this._shape;
    const client = this._client;
    if (height <= 0 || width <= 0) {
      return { zoom: 1, x0: 0, y0: 0 };
    }
    if (this._fit) {
      return fitView(height, width, client.width, client.height);
    }
    const c = this.viewCenter;
    return centerOn(c.row, c.col, this._zoom, client.width, client.height);
  }

  /** Show the whole image, and keep doing so when the stage resizes. */
  fitToWindow(): void {
    if (this._fit) return;
    this._fit = true;
    this._emit('view');
  }

  /** Zoom by a factor about a client point (default: the middle of the stage). */
  zoomBy(factor: number, x = this._client.width / 2, y = this._client.height / 2): void {
    if (!(factor > 0) || !Number.isFinite(factor)) return;
    this._setTransform(zoomAt(this.view, factor, x, y));
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  /** Move the view by (dx, dy) client pixels. */
  panBy(dx: number, dy: number): void {
    if (dx === 0 && dy === 0) return;
    this._setTransform(panBy(this.view, dx, dy));
  }

  /** Show image point (row, col) at the middle of the stage, at `zoom` (default: the current). */
  centerView(row: number, col: number, zoom = this.zoom): void {
    if (!ViewerModel.validate.zoom(zoom) || !Number.isFinite(row) || !Number.isFinite(col)) return;
    this._setView(false, clampZoom(zoom), { row, col });
  }

  /** One image pixel per CSS pixel, keeping the image point at the middle of the stage. */
  actualSize(): void {
    const c = this.viewCenter;
    this._setView(false, 1, c);
  }

  // ------------------------------------------------------------------ save / restore

  /** What the layout restorer keeps for this viewer. */
  toJSON(): ViewerModel.IState {
    const c = this.viewCenter;
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
      zoom: this._fit ? this.zoom : this._zoom,
      viewRow: Number.isFinite(c.row) ? c.row : 0,
      viewCol: Number.isFinite(c.col) ? c.col : 0
    };
  }

  /**
   * Restore a state saved by `toJSON` (before or after the image is known). Each field passes
   * the validator on its own; invalid or missing fields keep the current value.
   */
  fromJSON(state: Partial<ViewerModel.IState> | null | undefined): void {
    if (!state || typeof state !== 'object') return;
    const v = ViewerModel.validate;
    const p: Partial<DisplayParams> = {};
    if (isColormapName(state.colormap)) p.colormap = state.colormap;
    if (isScaleName(state.scale)) {
      p.scale = state.scale;
      this._scaleFromData = false;
    }
    if (v.gamma(state.gamma)) p.gamma = state.gamma;
    if (typeof state.invert === 'boolean') p.invert = state.invert;
    if (v.percentiles(state.low, state.high)) {
      this._low = state.low;
      this._high = state.high as number;
    }
    if (state.auto === false && v.limits(state.vmin, state.vmax)) {
      this._auto = false;
      p.vmin = state.vmin;
      p.vmax = state.vmax;
    } else if (state.auto === true) {
      this._auto = true;
    }
    Object.assign(this._params, p);
    if (state.fit === true) {
      this._fit = true;
    } else if (state.fit === false && v.zoom(state.zoom)) {
      this._fit = false;
      this._zoom = clampZoom(state.zoom);
      const row = Number.isFinite(state.viewRow) ? state.viewRow! : 0;
      const col = Number.isFinite(state.viewCol) ? state.viewCol! : 0;
      const { height, width } = this._shape;
      this._viewCenter = height > 0 && width > 0 ? Private.clampToImage({ row, col }, height, width) : { row, col };
    }
    if (v.frame(state.frame)) this._frameIndex = state.frame;
    this._emit('display');
    this._emit('view');
    this._emit('frame');
  }

  // ------------------------------------------------------------------ private

  private _applyDefaults(d: ViewerModel.IDefaults, keys: (keyof ViewerModel.IDefaults)[]): void {
    const has = (k: keyof ViewerModel.IDefaults) => keys.includes(k);
    if (has('colormap')) this._params.colormap = d.colormap;
    if (has('scale')) {
      this._scaleFromData = d.scale === 'auto';
      this._params.scale = d.scale === 'auto' ? 'linear' : d.scale;
    }
    if (has('gamma')) this._params.gamma = d.gamma;
    if (has('invert')) this._params.invert = d.invert;
    if (has('maskNegative')) this._params.maskNegative = d.maskNegative;
    if (has('invalidColor')) this._params.invalidColor = ViewerModel.parseColor(d.invalidColor);
    if (has('lowPercentile') || has('highPercentile')) {
      this._low = d.lowPercentile;
      this._high = d.highPercentile;
    }
  }

  /** Set display parameters; true when something changed (then `display` is emitted). */
  private _setParams(p: Partial<DisplayParams>): boolean {
    const before = this._params;
    const next = { ...before, ...p };
    const same = (Object.keys(p) as (keyof DisplayParams)[]).every(k => next[k] === before[k]);
    if (same) return false;
    this._params = next;
    this._emit('display');
    return true;
  }

  /** Adopt a client transform chosen by zoom or pan (leaves fit mode). */
  private _setTransform(view: ViewTransform): void {
    const { width, height } = this._client;
    this._setView(false, view.zoom, clientToImage(view, width / 2, height / 2));
  }

  private _setView(fit: boolean, zoom: number, center: ImagePoint): void {
    const old = this.view;
    const wasFit = this._fit;
    this._fit = fit;
    this._zoom = zoom;
    this._viewCenter = { row: center.row, col: center.col };
    const now = this.view;
    if (wasFit !== fit || old.zoom !== now.zoom || old.x0 !== now.x0 || old.y0 !== now.y0) {
      this._emit('view');
    }
  }

  private _emit(change: ViewerModel.Change): void {
    this._changed.emit(change);
  }

  private _defaults: ViewerModel.IDefaults;
  private _params: DisplayParams = {
    colormap: ViewerModel.DEFAULTS.colormap,
    scale: 'linear',
    gamma: ViewerModel.DEFAULTS.gamma,
    invert: false,
    vmin: 0,
    vmax: 1,
    maskNegative: true,
    invalidColor: [0, 200, 255, 255]
  };
  private _scaleFromData = false;
  private _auto = true;
  private _low = ViewerModel.DEFAULTS.lowPercentile;
  private _high = ViewerModel.DEFAULTS.highPercentile;
  private _frameIndex = 0;
  private _shape = { height: 0, width: 0 };
  private _client = { width: 0, height: 0 };
  private _fit = true;
  private _zoom = 1;
  private _viewCenter: ImagePoint | null = null;
  private _changed = new Signal<this, ViewerModel.Change>(this);
  private _scaleChosen = new Signal<this, ScaleName>(this);
}

/** The types, defaults and validator of the viewer model. */
export namespace ViewerModel {
  export interface IOptions {
    /** The defaults to start from (normally from the settings); missing keys: `DEFAULTS`. */
    defaults?: Partial<IDefaults>;
  }

  /** What changed: display parameters, view, frame index, or the defaults. */
  export type Change = 'display' | 'view' | 'frame' | 'defaults';

  /** The default-scale setting: a scale, or "auto" (chosen from each image's data). */
  export type ScaleSetting = Defaults.ScaleSetting;

  /** Defaults from the settings (schema/viewer.json). */
  export type IDefaults = Defaults.IDefaults;

  /** The defaults of schema/viewer.json. */
  export const DEFAULTS = Defaults.DEFAULTS;

  /** The state kept across reloads (the layout restorer's args). */
  export type IState = Defaults.IState;

  /** The one validator. */
  export const validate = Defaults.validate;

  /** Validated defaults from the settings' composite. */
  export const defaultsFrom = Defaults.defaultsFrom;

  /** RGBA of a CSS hex color. */
  export const parseColor = Defaults.parseColor;
}

namespace Private {
  /** Clamp an image point to the image (pixel edges included). */
  export function clampToImage(p: ImagePoint, height: number, width: number): ImagePoint {
    const clamp = (v: number, hi: number) => Math.min(hi - 0.5, Math.max(-0.5, v));
    return { row: clamp(p.row, height), col: clamp(p.col, width) };
  }
}
