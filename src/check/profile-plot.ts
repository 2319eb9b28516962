/**
 * The radial profile as a plot: value per radius bin (the masked mean or median), the peaks
 * marked, a linear or logarithmic value axis; hovering shows the bin's radius, value and pixel
 * count. Its data attributes list the peaks (for styles and tests).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { CheckResult } from '../worker/check-client.js';

/** Plot margins (CSS px): left, right, top, bottom. */
const MARGIN = { left: 46, right: 8, top: 8, bottom: 20 };

export class ProfilePlot extends Widget {
  constructor(private readonly _trans: TranslationBundle) {
    super();
    this.addClass('jp-Diffraction-profilePlot');
    const title = document.createElement('div');
    title.className = 'jp-Diffraction-panelTitle';
    title.textContent = _trans.__('Radial profile');
    this._canvas.className = 'jp-Diffraction-profileCanvas';
    this._readout.className = 'jp-Diffraction-profileReadout';
    this.node.append(title, this._canvas, this._readout);
    this._canvas.addEventListener('pointermove', this._onPointer);
    this._canvas.addEventListener('pointerleave', () => {
      this._hover = null;
      this.draw();
    });
  }

  /** A logarithmic value axis (values ≤ 0 are left out). */
  get logScale(): boolean {
    return this._log;
  }
  set logScale(value: boolean) {
    this._log = value;
    this.draw();
  }

  /** Show a result. */
  render(result: CheckResult | null): void {
    this._result = result;
    const d = this.node.dataset;
    if (result) {
      d.peaks = result.peaks.map(p => p.radius.toFixed(2)).join(' ');
      d.statistic = result.statistic;
      d.centerRow = String(result.center.row);
      d.centerCol = String(result.center.col);
      d.bins = String(result.radius.length);
    } else {
      for (const key of ['peaks', 'statistic', 'centerRow', 'centerCol', 'bins']) {
        delete d[key];
      }
    }
    this.draw();
  }

  /** Draw at the canvas's current CSS size. */
  draw(): void {
    const canvas = this._canvas;
    const ctx = canvas.getContext('2d');
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const cssWidth = Math.max(1, Math.round(rect.width));
    const cssHeight = Math.max(1, Math.round(rect.height));
    if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(cssHeight * dpr);
    }
    if (!ctx) {
      return;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    const result = this._result;
    const axes = result ? Private.axes(result, this._log, cssWidth, cssHeight) : null;
    if (!result || !axes) {
      this._readout.textContent = '';
      return;
    }
    const style = getComputedStyle(this.node);
    const fg = style.getPropertyValue('--jp-ui-font-color1').trim() || '#333';
    const muted = style.getPropertyValue('--jp-ui-font-color2').trim() || '#777';
    const accent = style.getPropertyValue('--jp-brand-color1').trim() || '#1976d2';
    const warn = style.getPropertyValue('--jp-warn-color0').trim() || '#e65100';
    ctx.font = `10px ${style.getPropertyValue('--jp-ui-font-family').trim() || 'sans-serif'}`;
    // Frame and axis labels.
    ctx.strokeStyle = muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, axes.plotWidth, axes.plotHeight);
    ctx.fillStyle = muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(Private.short(axes.yMax), MARGIN.left - 3, MARGIN.top + 4);
    ctx.fillText(Private.short(axes.yMin), MARGIN.left - 3, MARGIN.top + axes.plotHeight - 4);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText('0', MARGIN.left, MARGIN.top + axes.plotHeight + 3);
    ctx.fillText(this._trans.__('r (px)'), MARGIN.left + axes.plotWidth / 2, MARGIN.top + axes.plotHeight + 3);
    ctx.textAlign = 'right';
    ctx.fillText(axes.rMax.toFixed(0), MARGIN.left + axes.plotWidth, MARGIN.top + axes.plotHeight + 3);
    // The profile.
    ctx.strokeStyle = accent;
    ctx.lineWidth = 1.25;
    ctx.beginPath();
    let pen = false;
    for (let k = 0; k < result.radius.length; k++) {
      const y = axes.y(result.value[k]);
      if (y === null) {
        pen = false;
        continue;
      }
      const x = axes.x(result.radius[k]);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
    // The peaks: a triangle above each and a dotted line down.
    ctx.fillStyle = warn;
    ctx.strokeStyle = warn;
    ctx.setLineDash([2, 2]);
    for (const peak of result.peaks) {
      const x = axes.x(peak.radius);
      const y = axes.y(peak.value) ?? MARGIN.top;
      ctx.beginPath();
      ctx.moveTo(x, y - 3);
      ctx.lineTo(x, MARGIN.top + axes.plotHeight);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x, y - 4);
      ctx.lineTo(x - 4, y - 10);
      ctx.lineTo(x + 4, y - 10);
      ctx.closePath();
      ctx.fill();
    }
    ctx.setLineDash([]);
    // Hover: the bin under the pointer.
    const k = this._hover;
    if (k !== null && k < result.radius.length) {
      const x = axes.x(result.radius[k]);
      ctx.strokeStyle = fg;
      ctx.beginPath();
      ctx.moveTo(x + 0.5, MARGIN.top);
      ctx.lineTo(x + 0.5, MARGIN.top + axes.plotHeight);
      ctx.stroke();
      const v = result.value[k];
      this._readout.textContent = this._trans.__(
        'r = %1 px: %2 %3 of %4 pixels',
        result.radius[k].toFixed(1),
        result.statistic,
        Number.isFinite(v) ? String(Number(v.toPrecision(6))) : this._trans.__('none'),
        result.count[k]
      );
    } else {
      this._readout.textContent = result.peaks.length
        ? this._trans.__('Peaks at r = %1 px', result.peaks.map(p => p.radius.toFixed(1)).join(', '))
        : this._trans.__('No prominent peak');
    }
  }

  protected onResize(): void {
    this.draw();
  }

  protected onAfterShow(): void {
    this.draw();
  }

  private _onPointer = (event: PointerEvent): void => {
    const result = this._result;
    if (!result) {
      return;
    }
    const rect = this._canvas.getBoundingClientRect();
    const axes = Private.axes(result, this._log, rect.width, rect.height);
    if (!axes) {
      return;
    }
    const r = ((event.clientX - rect.left - MARGIN.left) / axes.plotWidth) * axes.rMax;
    const k = Math.floor(r / result.binWidth);
    this._hover = k >= 0 && k < result.radius.length ? k : null;
    this.draw();
  };

  private _canvas = document.createElement('canvas');
  private _readout = document.createElement('div');
  private _result: CheckResult | null = null;
  private _log = false;
  private _hover: number | null = null;
}

namespace Private {
  export interface Axes {
    plotWidth: number;
    plotHeight: number;
    rMax: number;
    yMin: number;
    yMax: number;
    x(radius: number): number;
    /** null for a value the axis cannot show (NaN, or ≤ 0 on a log axis). */
    y(value: number): number | null;
  }

  /** The axes of a profile drawn in a canvas of the given CSS size (null: nothing to draw). */
  export function axes(result: CheckResult, log: boolean, width: number, height: number): Axes | null {
    const plotWidth = width - MARGIN.left - MARGIN.right;
    const plotHeight = height - MARGIN.top - MARGIN.bottom;
    if (plotWidth < 10 || plotHeight < 10) {
      return null;
    }
    const t = (v: number) => (log ? (v > 0 ? Math.log10(v) : NaN) : v);
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < result.value.length; k++) {
      const v = t(result.value[k]);
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(hi >= lo)) {
      return null;
    }
    if (hi === lo) {
      hi = lo + 1;
    }
    const rMax = result.radius.length * result.binWidth;
    const top = MARGIN.top + 12; // room for the peak markers
    return {
      plotWidth,
      plotHeight,
      rMax,
      yMin: log ? 10 ** lo : lo,
      yMax: log ? 10 ** hi : hi,
      x: radius => MARGIN.left + (radius / rMax) * plotWidth,
      y: value => {
        const v = t(value);
        return Number.isFinite(v) ? top + (1 - (v - lo) / (hi - lo)) * (MARGIN.top + plotHeight - top) : null;
      }
    };
  }

  /** A short label for an axis value. */
  export function short(v: number): string {
    return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
  }
}
