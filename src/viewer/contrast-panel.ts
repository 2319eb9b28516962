/**
 * The contrast side panel of a viewer: histogram of the current frame (log counts) with the
 * contrast limits drawn on it, manual min/max inputs, auto-contrast percentiles.
 * Drag on the histogram: near a limit line moves that limit, elsewhere selects a new range.
 *
 * A Lumino widget the viewer places in its side area and shows or hides; it knows the viewer
 * only through `ContrastPanel.ISource` (no import of the viewer).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import type { DiffractionImage } from '../io/image.js';
import { histogram, type ValueRange } from './contrast.js';
import type { ViewerModel } from './model.js';

/** The number of histogram bins shown. */
const BINS = 256;

/** The histogram and contrast-limits panel. */
export class ContrastPanel extends Widget {
  constructor(viewer: ContrastPanel.ISource, model: ViewerModel, trans: TranslationBundle) {
    super();
    this._viewer = viewer;
    this._model = model;
    this._trans = trans;
    this.addClass('jp-Diffraction-contrastPanel');
    const node = this.node;
    const title = document.createElement('div');
    title.className = 'jp-Diffraction-panelTitle';
    title.textContent = trans.__('Contrast');
    node.appendChild(title);

    this._canvas = document.createElement('canvas');
    this._canvas.className = 'jp-Diffraction-histogram';
    this._canvas.title = trans.__('Histogram of the frame (log counts). Drag to set the limits.');
    node.appendChild(this._canvas);
    this._rangeLabel = document.createElement('div');
    this._rangeLabel.className = 'jp-Diffraction-histogramRange';
    node.appendChild(this._rangeLabel);

    this._vmin = this._numberRow(trans.__('Min'), 'jp-Diffraction-vmin');
    this._vmax = this._numberRow(trans.__('Max'), 'jp-Diffraction-vmax');
    const onLimits = () => {
      const lo = Number(this._vmin.value);
      const hi = Number(this._vmax.value);
      if (!model.setLimits(lo, hi)) this.update();
    };
    this._vmin.addEventListener('change', onLimits);
    this._vmax.addEventListener('change', onLimits);

    this._low = this._numberRow(trans.__('Low %'), 'jp-Diffraction-lowPercentile');
    this._high = this._numberRow(trans.__('High %'), 'jp-Diffraction-highPercentile');
    for (const input of [this._low, this._high]) {
      input.step = '0.05';
      input.min = '0';
      input.max = '100';
    }
    const auto = document.createElement('button');
    auto.className = 'jp-mod-styled jp-mod-accept jp-Diffraction-autoButton';
    auto.textContent = trans.__('Auto');
    auto.title = trans.__('Contrast limits from the percentiles of each frame');
    auto.addEventListener('click', () => {
      model.setAuto(Number(this._low.value), Number(this._high.value));
    });
    node.appendChild(auto);
    this._status = document.createElement('div');
    this._status.className = 'jp-Diffraction-panelNote';
    node.appendChild(this._status);

    this._canvas.addEventListener('pointerdown', this._onPointerDown);
    viewer.frameChanged.connect(this._onFrame, this);
    model.changed.connect((_, change) => change === 'display' && this.update(), this);
  }

  /** Redraw the histogram and inputs from the viewer's state (only while shown). */
  update(): void {
    if (!this.isVisible) return;
    const viewer = this._viewer;
    const model = this._model;
    const { vmin, vmax } = model.display;
    const [low, high] = model.percentiles;
    if (document.activeElement !== this._vmin) this._vmin.value = String(Private.round(vmin));
    if (document.activeElement !== this._vmax) this._vmax.value = String(Private.round(vmax));
    this._low.value = String(low);
    this._high.value = String(high);
    this._status.textContent = model.autoContrast
      ? this._trans.__('Auto: %1 – %2 percentiles', low, high)
      : this._trans.__('Manual limits');
    const frame = viewer.frame;
    const range = viewer.frameRange;
    if (!frame || !range || !(range.valid > 0)) {
      this._rangeLabel.textContent = this._trans.__('No valid pixels');
      return;
    }
    if (!this._counts) {
      const hi = range.max > range.min ? range.max : range.min + 1;
      this._counts = histogram(frame.data, range.min, hi, BINS, { maskNegative: model.maskNegative });
      this._hmin = range.min;
      this._hmax = hi;
    }
    this._rangeLabel.textContent =
      `${Private.round(this._hmin)} … ${Private.round(this._hmax)}` +
      (range.invalid > 0 ? ` ${this._trans.__('(%1 invalid px)', range.invalid)}` : '');
    this._draw();
  }

  private _numberRow(label: string, className: string): HTMLInputElement {
    const row = document.createElement('label');
    row.className = 'jp-Diffraction-panelRow';
    row.textContent = label;
    const input = document.createElement('input');
    input.type = 'number';
    input.className = `jp-mod-styled ${className}`;
    input.addEventListener('keydown', event => event.stopPropagation());
    row.appendChild(input);
    this.node.appendChild(row);
    return input;
  }

  protected onAfterAttach(): void {
    this._counts = null;
    this.update();
  }

  protected onAfterShow(): void {
    this._counts = null;
    this.update();
  }

  private _onFrame(): void {
    this._counts = null;
    this.update();
  }

  private _draw(): void {
    const canvas = this._canvas;
    const counts = this._counts!;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 200;
    const h = canvas.clientHeight || 100;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const style = getComputedStyle(this.node);
    const fg = style.getPropertyValue('--jp-ui-font-color2').trim() || '#666';
    const accent = style.getPropertyValue('--jp-brand-color1').trim() || '#1976d2';
    let peak = 0;
    for (const c of counts) peak = Math.max(peak, Math.log1p(c));
    ctx.fillStyle = fg;
    const bw = w / counts.length;
    for (let i = 0; i < counts.length; i++) {
      const bh = peak > 0 ? (Math.log1p(counts[i]) / peak) * (h - 2) : 0;
      ctx.fillRect(i * bw, h - bh, Math.max(1, bw), bh);
    }
    const { vmin, vmax } = this._model.display;
    ctx.strokeStyle = accent;
    ctx.lineWidth = 2;
    for (const v of [vmin, vmax]) {
      const x = this._valueToX(v, w);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
      ctx.stroke();
    }
  }

  private _valueToX(v: number, w: number): number {
    return ((v - this._hmin) / (this._hmax - this._hmin)) * w;
  }

  private _xToValue(x: number, w: number): number {
    return this._hmin + (x / w) * (this._hmax - this._hmin);
  }

  private _onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0 || !this._counts) return;
    const canvas = this._canvas;
    const rect = canvas.getBoundingClientRect();
    const w = rect.width;
    const x0 = event.clientX - rect.left;
    const { vmin, vmax } = this._model.display;
    const near = (v: number) => Math.abs(this._valueToX(v, w) - x0) < 6;
    const mode: 'min' | 'max' | 'range' = near(vmin) ? 'min' : near(vmax) ? 'max' : 'range';
    const start = this._xToValue(x0, w);
    canvas.setPointerCapture?.(event.pointerId);
    const move = (e: PointerEvent) => {
      const v = this._xToValue(Math.min(w, Math.max(0, e.clientX - rect.left)), w);
      const cur = this._model.display;
      if (mode === 'min' && v < cur.vmax) this._model.setLimits(v, cur.vmax);
      else if (mode === 'max' && v > cur.vmin) this._model.setLimits(cur.vmin, v);
      else if (mode === 'range' && v !== start) this._model.setLimits(Math.min(start, v), Math.max(start, v));
    };
    const up = (e: PointerEvent) => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.releasePointerCapture?.(e.pointerId);
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
  };

  private _viewer: ContrastPanel.ISource;
  private _model: ViewerModel;
  private _trans: TranslationBundle;
  private _canvas: HTMLCanvasElement;
  private _rangeLabel: HTMLDivElement;
  private _status: HTMLDivElement;
  private _vmin: HTMLInputElement;
  private _vmax: HTMLInputElement;
  private _low: HTMLInputElement;
  private _high: HTMLInputElement;
  private _counts: Float64Array | null = null;
  private _hmin = 0;
  private _hmax = 1;
}

export namespace ContrastPanel {
  /** The frame the panel shows the histogram of (the viewer). */
  export interface ISource {
    readonly frame: DiffractionImage | null;
    readonly frameRange: ValueRange | null;
    readonly frameChanged: ISignal<any, unknown>;
  }
}

namespace Private {
  export function round(v: number): number {
    return Number(v.toPrecision(6));
  }
}
