/**
 * The drift panel: the center's row and column against the frame, one SVG plot each, for one
 * viewer's series. Outliers, jumps and centers placed by hand are marked; a click on a point
 * shows that frame in the viewer; an optional robust fit (a line in the frame, or a plane over
 * the scan grid of a 4D-STEM scan) is drawn over the raw centers and described in words.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { describeFit, evaluateFit, type DriftFit, type DriftFitKind, type SeriesCenter } from '../series/index.js';
import type { SeriesSession } from './series-session.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Height of one plot and its margins (CSS pixels). */
const PLOT_HEIGHT = 150;
const MARGIN = { left: 56, right: 12, top: 8, bottom: 22 };
/**
 * Above this many frames the ordinary points are drawn as one path (an SVG element per frame
 * would weigh on the page for a large scan); outliers, jumps and hand-set centers stay points.
 */
const MAX_POINTS = 2000;

export class DriftPanel extends Widget {
  constructor(
    private readonly _series: SeriesSession,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-Diffraction-driftPanel');
    const trans = _trans;
    const controls = document.createElement('div');
    controls.className = 'jp-Diffraction-driftControls';
    const label = document.createElement('label');
    label.textContent = trans.__('Fit');
    this._fitSelect.className = 'jp-Diffraction-driftFitSelect';
    for (const [value, text] of [
      ['none', trans.__('none')],
      ['linear', trans.__('linear in the frame')],
      ['plane', trans.__('plane over the scan grid')]
    ]) {
      this._fitSelect.add(new Option(text, value));
    }
    label.append(this._fitSelect);
    this._scanLabel.textContent = trans.__('frames per scan row');
    this._scanWidth.type = 'number';
    this._scanWidth.min = '1';
    this._scanWidth.step = '1';
    this._scanWidth.className = 'jp-Diffraction-driftScanWidth';
    this._scanLabel.append(this._scanWidth);
    this._summary.className = 'jp-Diffraction-driftSummary';
    controls.append(label, this._scanLabel, this._summary);
    this._fitText.className = 'jp-Diffraction-driftFitText';
    this._plots.className = 'jp-Diffraction-driftPlots';
    this.node.append(controls, this._fitText, this._plots);

    const applyFit = () => {
      const kind = this._fitSelect.value as DriftFitKind | 'none';
      this._scanLabel.hidden = kind !== 'plane';
      if (kind === 'plane' && !this._scanWidth.value) {
        this._scanWidth.value = String(Private.guessScanWidth(_series.session.viewer.frameCount));
      }
      _series.setFit(kind === 'none' ? null : kind, kind === 'plane' ? Number(this._scanWidth.value) : undefined);
    };
    this._fitSelect.addEventListener('change', applyFit);
    this._scanWidth.addEventListener('change', applyFit);
    // The fit asked for earlier (a panel opened again, or restored after a reload).
    const asked = _series.fitRequest;
    this._fitSelect.value = asked?.kind ?? 'none';
    if (asked?.scanWidth) {
      this._scanWidth.value = String(asked.scanWidth);
    }
    this._scanLabel.hidden = asked?.kind !== 'plane';
    this._plots.addEventListener('click', event => {
      // A point, or (many frames drawn as one path) the frame nearest the click along the axis.
      const point = (event.target as Element).closest?.('[data-frame]') as SVGElement | null;
      const plot = (event.target as Element).closest?.('svg') as SVGSVGElement | null;
      const frame = point ? Number(point.dataset.frame) : plot ? Private.frameAt(plot, event.clientX, this._frames) : null;
      if (frame !== null) {
        void _series.session.viewer.setFrame(frame);
      }
    });
    _series.changed.connect(this._schedule, this);
    _series.session.viewer.frameChanged.connect(this._schedule, this);
    this._schedule();
  }

  /** The series the panel plots. */
  get series(): SeriesSession {
    return this._series;
  }

  dispose(): void {
    if (this._frame !== null) {
      cancelAnimationFrame(this._frame);
    }
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._series.changed.disconnect(this._schedule, this);
    this._series.session.viewer.frameChanged.disconnect(this._schedule, this);
    super.dispose();
  }

  /** Draw now (tests, and the first show). */
  render(): void {
    const trans = this._trans;
    const centers = this._series.centers();
    const fit = this._series.fit;
    const ok = centers.filter(c => Number.isFinite(c.row));
    this._frames = ok.map(c => c.frame);
    const outliers = ok.filter(c => c.outlier).length;
    const jumps = ok.filter(c => c.jump).length;
    this.node.dataset.points = String(ok.length);
    this.node.dataset.outliers = String(outliers);
    this._summary.textContent = ok.length
      ? trans.__('%1 frames with a center, %2 outliers, %3 jumps', ok.length, outliers, jumps) +
        (centers.length > ok.length ? trans.__(', %1 failed', centers.length - ok.length) : '')
      : trans.__('No centers yet: run Find Centers of All Frames.');
    this._fitText.textContent = fit ? describeFit(fit) : (this._series.fitError ?? '');
    this._fitText.classList.toggle('jp-mod-error', !fit && !!this._series.fitError);
    const width = Math.max(240, this._plots.clientWidth || this.node.clientWidth || 480);
    const current = this._series.session.viewer.frameIndex;
    const frameCount = Math.max(1, this._series.session.viewer.frameCount);
    this._plots.replaceChildren(
      Private.plot('row', trans.__('row (px)'), ok, fit, width, frameCount, current, trans),
      Private.plot('col', trans.__('col (px)'), ok, fit, width, frameCount, current, trans)
    );
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._schedule();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._schedule();
  }

  /**
   * Draw on the next animation frame; while a run is going on, at most every BUSY_RENDER_MS (each
   * draw rebuilds both plots, and results arrive many times a second).
   */
  private _schedule(): void {
    if (this._frame !== null || this._timer !== null || this.isDisposed) {
      return;
    }
    const wait = this._series.busy ? this._drawnAt + Private.BUSY_RENDER_MS - performance.now() : 0;
    if (wait > 0) {
      this._timer = setTimeout(() => {
        this._timer = null;
        this._schedule();
      }, wait);
      return;
    }
    this._frame = requestAnimationFrame(() => {
      this._frame = null;
      if (!this.isDisposed) {
        this._drawnAt = performance.now();
        this.render();
      }
    });
  }

  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _drawnAt = -Infinity;

  private _fitSelect = document.createElement('select');
  private _scanLabel = document.createElement('label');
  private _scanWidth = document.createElement('input');
  private _summary = document.createElement('span');
  private _fitText = document.createElement('div');
  private _plots = document.createElement('div');
  private _frame: number | null = null;
  /** The frames drawn, ascending. */
  private _frames: number[] = [];
}

namespace Private {
  /** While a run is going on, the panel is drawn at most this often (milliseconds). */
  export const BUSY_RENDER_MS = 250;

  /** The drawn frame nearest a click at client x on a plot (null off the plotting area). */
  export function frameAt(plot: SVGSVGElement, clientX: number, frames: readonly number[]): number | null {
    const box = plot.getBoundingClientRect();
    const count = Number(plot.dataset.frames);
    const inner = box.width - MARGIN.left - MARGIN.right;
    const t = (clientX - box.left - MARGIN.left) / inner;
    if (!frames.length || t < -0.02 || t > 1.02 || !(count > 1)) {
      return null;
    }
    const wanted = t * (count - 1);
    let best = frames[0];
    for (const f of frames) {
      if (Math.abs(f - wanted) < Math.abs(best - wanted)) {
        best = f;
      }
    }
    return best;
  }

  /** A square scan's side when the frame count is a square, else the count itself (one row). */
  export function guessScanWidth(frames: number): number {
    const side = Math.round(Math.sqrt(frames));
    return side * side === frames ? side : Math.max(1, frames);
  }

  function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) {
      node.setAttribute(key, String(value));
    }
    return node;
  }

  /** One plot: `axis` of the centers against the frame. */
  export function plot(
    axis: 'row' | 'col',
    title: string,
    centers: SeriesCenter[],
    fit: DriftFit | null,
    width: number,
    frameCount: number,
    current: number,
    trans: TranslationBundle
  ): SVGSVGElement {
    const svg = el('svg', { width, height: PLOT_HEIGHT, class: 'jp-Diffraction-driftPlot', 'data-axis': axis, 'data-frames': frameCount });
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', trans.__('%1 of the center against the frame', title));
    const inner = { w: width - MARGIN.left - MARGIN.right, h: PLOT_HEIGHT - MARGIN.top - MARGIN.bottom };
    const fitted = fit ? Array.from({ length: frameCount }, (_, f) => evaluateFit(fit, f)[axis]) : [];
    const values = [...centers.map(c => c[axis]), ...fitted];
    let lo = values.length ? Math.min(...values) : 0;
    let hi = values.length ? Math.max(...values) : 1;
    if (hi - lo < 0.5) {
      const mid = (hi + lo) / 2;
      lo = mid - 0.25;
      hi = mid + 0.25;
    }
    const pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    const x = (frame: number) => MARGIN.left + (frameCount > 1 ? (frame / (frameCount - 1)) * inner.w : inner.w / 2);
    const y = (v: number) => MARGIN.top + (1 - (v - lo) / (hi - lo)) * inner.h;
    svg.append(
      el('rect', { x: MARGIN.left, y: MARGIN.top, width: inner.w, height: inner.h, class: 'jp-Diffraction-driftFrame' }),
      el('line', { x1: x(current), x2: x(current), y1: MARGIN.top, y2: MARGIN.top + inner.h, class: 'jp-Diffraction-driftCurrent' })
    );
    const text = (content: string, attrs: Record<string, string | number>) => {
      const t = el('text', attrs);
      t.textContent = content;
      return t;
    };
    svg.append(
      text(hi.toFixed(2), { x: MARGIN.left - 4, y: MARGIN.top + 10, 'text-anchor': 'end' }),
      text(lo.toFixed(2), { x: MARGIN.left - 4, y: MARGIN.top + inner.h, 'text-anchor': 'end' }),
      text(title, { x: 4, y: MARGIN.top + inner.h / 2 + 4 }),
      text('0', { x: x(0), y: PLOT_HEIGHT - 6, 'text-anchor': 'middle' }),
      text(String(frameCount - 1), { x: x(frameCount - 1), y: PLOT_HEIGHT - 6, 'text-anchor': 'end' }),
      text(trans.__('frame'), { x: MARGIN.left + inner.w / 2, y: PLOT_HEIGHT - 6, 'text-anchor': 'middle' })
    );
    if (fitted.length) {
      const points = fitted.map((v, f) => `${x(f).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      svg.append(el('polyline', { points, class: 'jp-Diffraction-driftFit' }));
    }
    const many = centers.length > MAX_POINTS;
    if (many) {
      const plain = centers.filter(c => !c.outlier && !c.jump && c.method !== 'manual');
      const d = plain.map(c => `M${x(c.frame).toFixed(1)} ${y(c[axis]).toFixed(1)}h0`).join('');
      svg.append(el('path', { d, class: 'jp-Diffraction-driftDots' }));
    }
    for (const c of many ? centers.filter(c => c.outlier || c.jump || c.method === 'manual') : centers) {
      const classes = ['jp-Diffraction-driftPoint'];
      if (c.outlier) classes.push('jp-mod-outlier');
      if (c.jump) classes.push('jp-mod-jump');
      if (c.method === 'manual') classes.push('jp-mod-manual');
      if (fit?.outliers.includes(c.frame)) classes.push('jp-mod-rejected');
      const point = el('circle', {
        cx: x(c.frame),
        cy: y(c[axis]),
        r: c.outlier || c.jump ? 5 : 3.5,
        class: classes.join(' '),
        'data-frame': c.frame,
        'data-value': c[axis]
      });
      const flags = [
        c.method === 'manual' ? trans.__('placed by hand') : c.method,
        c.outlier ? trans.__('outlier') : '',
        c.jump ? trans.__('jump') : ''
      ].filter(Boolean);
      const tip = el('title', {});
      tip.textContent = trans.__(
        'frame %1: (%2, %3), %4 — click to show this frame',
        c.frame,
        c.row.toFixed(2),
        c.col.toFixed(2),
        flags.join(', ')
      );
      point.append(tip);
      svg.append(point);
    }
    return svg;
  }
}
