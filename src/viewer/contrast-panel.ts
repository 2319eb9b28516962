/**
 * The contrast side panel of a viewer: histogram of the current frame (log counts) with the
 * contrast limits drawn on it, manual min/max inputs, auto-contrast percentiles.
 * Drag on the histogram: near a limit line moves that limit, elsewhere selects a new range.
 */
import { histogram } from './contrast.js';
import type { DiffractionViewer } from './widget.js';

/** The number of histogram bins shown. */
const BINS = 256;

/** A panel in the viewer's side area; `toggle()` shows or hides it. */
export class ContrastPanel {
  constructor(viewer: DiffractionViewer) {
    this._viewer = viewer;
    const node = (this.node = document.createElement('div'));
    node.className = 'jp-Diffraction-contrastPanel';
    const title = document.createElement('div');
    title.className = 'jp-Diffraction-panelTitle';
    title.textContent = 'Contrast';
    node.appendChild(title);

    this._canvas = document.createElement('canvas');
    this._canvas.className = 'jp-Diffraction-histogram';
    this._canvas.title = 'Histogram of the frame (log counts). Drag to set the limits.';
    node.appendChild(this._canvas);
    this._rangeLabel = document.createElement('div');
    this._rangeLabel.className = 'jp-Diffraction-histogramRange';
    node.appendChild(this._rangeLabel);

    this._vmin = this._numberRow('Min', 'jp-Diffraction-vmin');
    this._vmax = this._numberRow('Max', 'jp-Diffraction-vmax');
    const onLimits = () => {
      const lo = Number(this._vmin.value);
      const hi = Number(this._vmax.value);
      if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) viewer.setLimits(lo, hi);
      else this.update();
    };
    this._vmin.addEventListener('change', onLimits);
    this._vmax.addEventListener('change', onLimits);

    this._low = this._numberRow('Low %', 'jp-Diffraction-lowPercentile');
    this._high = this._numberRow('High %', 'jp-Diffraction-highPercentile');
    for (const input of [this._low, this._high]) {
      input.step = '0.05';
      input.min = '0';
      input.max = '100';
    }
    const auto = document.createElement('button');
    auto.className = 'jp-mod-styled jp-mod-accept jp-Diffraction-autoButton';
    auto.textContent = 'Auto';
    auto.title = 'Contrast limits from the percentiles of each frame';
    auto.addEventListener('click', () => {
      viewer.applyAutoContrast(Number(this._low.value), Number(this._high.value));
    });
    node.appendChild(auto);
    this._status = document.createElement('div');
    this._status.className = 'jp-Diffraction-panelNote';
    node.appendChild(this._status);

    this._canvas.addEventListener('pointerdown', this._onPointerDown);
    viewer.frameChanged.connect(this._onFrame, this);
    viewer.displayChanged.connect(() => this.update(), this);
    viewer.sidePanel.appendChild(node);
  }

  /** The panel's node (inside the viewer's side area). */
  readonly node: HTMLDivElement;

  /** Whether the panel is shown. */
  get visible(): boolean {
    return !this._viewer.sidePanel.hidden;
  }

  /** Show or hide the panel. */
  toggle(show = !this.visible): void {
    this._viewer.sidePanel.hidden = !show;
    this._viewer.node.classList.toggle('jp-mod-sidePanel', show);
    if (show) {
      this._counts = null;
      this.update();
    }
  }

  /** Redraw the histogram and inputs from the viewer's state. */
  update(): void {
    if (!this.visible) return;
    const viewer = this._viewer;
    const { vmin, vmax } = viewer.display;
    const [low, high] = viewer.percentiles;
    if (document.activeElement !== this._vmin) this._vmin.value = String(Private.round(vmin));
    if (document.activeElement !== this._vmax) this._vmax.value = String(Private.round(vmax));
    this._low.value = String(low);
    this._high.value = String(high);
    this._status.textContent = viewer.autoContrast
      ? `Auto: ${low} – ${high} percentiles`
      : 'Manual limits';
    const frame = viewer.frame;
    const range = viewer.frameRange;
    if (!frame || !range || !(range.valid > 0)) {
      this._rangeLabel.textContent = 'No valid pixels';
      return;
    }
    if (!this._counts) {
      const hi = range.max > range.min ? range.max : range.min + 1;
      this._counts = histogram(frame.data, range.min, hi, BINS, { maskNegative: viewer.display.maskNegative });
      this._hmin = range.min;
      this._hmax = hi;
    }
    this._rangeLabel.textContent =
      `${Private.round(this._hmin)} … ${Private.round(this._hmax)}` +
      (range.invalid > 0 ? ` (${range.invalid} invalid px)` : '');
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
    const { vmin, vmax } = this._viewer.display;
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
    const { vmin, vmax } = this._viewer.display;
    const near = (v: number) => Math.abs(this._valueToX(v, w) - x0) < 6;
    const mode: 'min' | 'max' | 'range' = near(vmin) ? 'min' : near(vmax) ? 'max' : 'range';
    const start = this._xToValue(x0, w);
    canvas.setPointerCapture?.(event.pointerId);
    const move = (e: PointerEvent) => {
      const v = this._xToValue(Math.min(w, Math.max(0, e.clientX - rect.left)), w);
      const cur = this._viewer.display;
      if (mode === 'min' && v < cur.vmax) this._viewer.setLimits(v, cur.vmax);
      else if (mode === 'max' && v > cur.vmin) this._viewer.setLimits(cur.vmin, v);
      else if (mode === 'range' && v !== start) this._viewer.setLimits(Math.min(start, v), Math.max(start, v));
    };
    const up = (e: PointerEvent) => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.releasePointerCapture?.(e.pointerId);
    };
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
  };

  private _viewer: DiffractionViewer;
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

namespace Private {
  export function round(v: number): number {
    return Number(v.toPrecision(6));
  }
}
