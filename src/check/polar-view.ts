/**
 * The polar ("cake") view: the frame resampled on radius (across) × azimuth (down) about the
 * center, in the viewer's colormap and contrast (the same LUT pass), masked and outside samples in
 * the viewer's invalid color. A ring about the right center is a straight vertical line; the
 * dashed line marks the mean radius of the ring followed, so a bend shows at a glance.
 *
 * The canvas holds one pixel per sample (column j: radius (j + 0.5) × step; row i: azimuth
 * -180° + (i + 0.5) × 360° / rows, measured from +col towards +row) and is stretched by CSS; its
 * data attributes say what it shows (for styles and tests).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { applyColorMap, type DisplayParams } from '../viewer/lut.js';
import type { CheckResult } from '../worker/check-client.js';

export class PolarView extends Widget {
  constructor(private readonly _trans: TranslationBundle) {
    super();
    this.addClass('jp-Diffraction-polarView');
    const title = document.createElement('div');
    title.className = 'jp-Diffraction-panelTitle';
    title.textContent = _trans.__('Polar view (radius → , azimuth ↓)');
    this._frame.className = 'jp-Diffraction-polarFrame';
    this._canvas.className = 'jp-Diffraction-polarCanvas';
    this._canvas.title = _trans.__(
      'The image about the center, unrolled: radius across, azimuth down (-180° to 180°, 0° along +col, ' +
        '90° along +row). Rings about the right center are straight vertical lines; a center off by d ' +
        'bends them by ±d. The dashed line is the mean radius of the most prominent ring.'
    );
    this._line.className = 'jp-Diffraction-polarRing';
    this._frame.append(this._canvas, this._line);
    this._readout.className = 'jp-Diffraction-polarReadout';
    this.node.append(title, this._frame, this._readout);
    this._canvas.addEventListener('pointermove', this._onPointer);
    this._canvas.addEventListener('pointerleave', () => this._showReadout());
  }

  /** Show a result in the viewer's display parameters. */
  render(result: CheckResult | null, display: DisplayParams): void {
    this._result = result;
    const polar = result?.polar ?? null;
    const d = this.node.dataset;
    if (!result || !polar) {
      this._canvas.width = 0;
      this._canvas.height = 0;
      this._line.hidden = true;
      for (const key of ['centerRow', 'centerCol', 'radii', 'azimuths', 'radialStep', 'ringRadius', 'ringSpread', 'ringMean']) {
        delete d[key];
      }
      this._showReadout();
      return;
    }
    const { width, height, data } = polar;
    if (this._canvas.width !== width || this._canvas.height !== height) {
      this._canvas.width = width;
      this._canvas.height = height;
    }
    const ctx = this._canvas.getContext('2d');
    if (ctx) {
      const pixels = ctx.createImageData(width, height);
      applyColorMap(data, display, new Uint32Array(pixels.data.buffer));
      ctx.putImageData(pixels, 0, 0);
    }
    const ring = result.straightness;
    this._line.hidden = !ring;
    if (ring) {
      // Across the canvas, the radius r is at (r / step) of `width` columns.
      this._line.style.left = `${(100 * ring.mean) / (polar.radialStep * width)}%`;
    }
    d.centerRow = String(result.center.row);
    d.centerCol = String(result.center.col);
    d.radii = String(width);
    d.azimuths = String(height);
    d.radialStep = String(polar.radialStep);
    const set = (key: string, value: number | undefined) =>
      value === undefined ? delete d[key] : (d[key] = value.toFixed(3));
    set('ringRadius', ring?.radius);
    set('ringSpread', ring?.spread);
    set('ringMean', ring?.mean);
    d.rendered = String(++this._renders);
    this._showReadout();
  }

  private _onPointer = (event: PointerEvent): void => {
    const polar = this._result?.polar;
    if (!polar) {
      return;
    }
    const rect = this._canvas.getBoundingClientRect();
    const j = Math.floor(((event.clientX - rect.left) / rect.width) * polar.width);
    const i = Math.floor(((event.clientY - rect.top) / rect.height) * polar.height);
    if (i < 0 || j < 0 || i >= polar.height || j >= polar.width) {
      this._showReadout();
      return;
    }
    const v = polar.data[i * polar.width + j];
    const radius = (j + 0.5) * polar.radialStep;
    const azimuth = -180 + ((i + 0.5) * 360) / polar.height;
    this._showReadout(
      this._trans.__(
        'r = %1 px, φ = %2°, value %3',
        radius.toFixed(1),
        azimuth.toFixed(1),
        Number.isFinite(v) ? String(Number(v.toPrecision(5))) : this._trans.__('masked')
      )
    );
  };

  private _showReadout(hover?: string): void {
    const ring = this._result?.straightness;
    this._readout.textContent =
      hover ??
      (ring
        ? this._trans.__(
            'Ring at r = %1 px: its radius spreads %2 px over %3 azimuths (straight: ≈ 0).',
            ring.mean.toFixed(1),
            ring.spread.toFixed(2),
            ring.rows
          )
        : '');
  }

  private _frame = document.createElement('div');
  private _canvas = document.createElement('canvas');
  private _line = document.createElement('div');
  private _readout = document.createElement('div');
  private _result: CheckResult | null = null;
  private _renders = 0;
}
