/**
 * The canvas view of a viewer: the colored frame (a cached bitmap, see `render.ts`) drawn under
 * the model's view transform, an overlay canvas above it for tools, and a message in place of
 * the image while loading or after an error. It reads the model and never changes the display
 * state; it tells the model the stage's size.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { PixelValidity } from '../center/validity.js';
import type { DiffractionImage } from '../io/image.js';
import type { ViewerModel } from './model.js';
import { FrameBitmap, RenderCancelled } from './render.js';
import { visibleRect } from './view.js';

/** The stage: image canvas, overlay canvas and message. */
export class ImageStage extends Widget {
  constructor(options: ImageStage.IOptions) {
    super();
    this.addClass('jp-Diffraction-stage');
    this._model = options.model;
    this._trans = options.trans;
    this._drawOverlay = options.drawOverlay;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'jp-Diffraction-canvas';
    this.node.appendChild(this.canvas);
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'jp-Diffraction-overlay';
    this.node.appendChild(this.overlay);
    this._message = document.createElement('div');
    this._message.className = 'jp-Diffraction-message';
    this.node.appendChild(this._message);
    // The stage also changes size without a Lumino resize (side panel, frame bar).
    if (typeof ResizeObserver !== 'undefined') {
      this._resizeObserver = new ResizeObserver(() => this.updateSize());
      this._resizeObserver.observe(this.node);
    }
  }

  /** The image canvas. */
  readonly canvas: HTMLCanvasElement;

  /** The overlay canvas (drawn by the viewer's overlay drawers). */
  readonly overlay: HTMLCanvasElement;

  /** The frame painted (set by the viewer; null: nothing to paint). */
  frame: DiffractionImage | null = null;

  /** How long the last paint took (ms). */
  get lastPaintMs(): number {
    return this._lastPaintMs;
  }

  /** Show a loading message. */
  showLoading(path: string): void {
    this._message.hidden = false;
    this._message.replaceChildren();
    this._message.textContent = this._trans.__('Loading %1…', path);
  }

  /** Show an error in place of the image. */
  showError(name: string, detail: string, path: string): void {
    this._message.hidden = false;
    this._message.replaceChildren();
    const line = (className: string, text: string) => {
      const node = document.createElement('div');
      node.className = className;
      node.textContent = text;
      this._message.appendChild(node);
    };
    line('jp-Diffraction-errorTitle', this._trans.__('Cannot open %1', name));
    line('jp-Diffraction-errorDetail', detail);
    line('jp-Diffraction-errorPath', path);
    this.frame = null;
    this._bitmap.cancel();
    this.requestPaint();
  }

  /** Hide the message (the image is shown). */
  hideMessage(): void {
    this._message.hidden = true;
  }

  /** Color `frame` through the LUT into the bitmap, then paint. Rejects with `RenderCancelled`. */
  async render(frame: DiffractionImage, params: ViewerModel['display'], rule?: PixelValidity): Promise<void> {
    await this._bitmap.render(frame, params, rule);
  }

  /** Cancel the LUT pass under way. */
  cancelRender(): void {
    this._bitmap.cancel();
  }

  /** Ask for the image (and the overlay when `overlay`) to be painted on the next animation frame. */
  requestPaint(overlay = false): void {
    if (overlay) this._overlayDirty = true;
    if (this._rafId || this.isDisposed) {
      return;
    }
    this._rafId = requestAnimationFrame(() => {
      this._rafId = 0;
      this.paint();
    });
  }

  /** Paint now (synchronously). */
  paint(): void {
    if (this.isDisposed) return;
    const t0 = performance.now();
    const { width, height } = this._model.clientSize;
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.max(1, Math.round(width * dpr));
    const ph = Math.max(1, Math.round(height * dpr));
    for (const canvas of [this.canvas, this.overlay]) {
      if (canvas.width !== pw || canvas.height !== ph) {
        canvas.width = pw;
        canvas.height = ph;
        this._overlayDirty = true;
      }
    }
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, pw, ph);
    const bitmap = this._bitmap;
    const frame = this.frame;
    const view = this._model.view;
    if (frame && bitmap.width === frame.width && bitmap.height === frame.height) {
      const r = visibleRect(view, bitmap.height, bitmap.width, width, height);
      if (r) {
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        // Smooth when shrinking (less aliasing); crisp pixels when magnifying.
        const zoom = view.zoom * dpr;
        ctx.imageSmoothingEnabled = zoom < 1;
        // Zoomed far out: draw from a reduced copy (fewer pixels to resample per frame).
        const { canvas, scale: k } = bitmap.levelFor(zoom, () => this.requestPaint());
        const sw = Math.min(canvas.width - r.sx * k, r.sw * k);
        const sh = Math.min(canvas.height - r.sy * k, r.sh * k);
        ctx.drawImage(canvas, r.sx * k, r.sy * k, sw, sh, r.dx, r.dy, (sw / k) * view.zoom, (sh / k) * view.zoom);
      }
    }
    if (this._overlayDirty) {
      this._overlayDirty = false;
      const octx = this.overlay.getContext('2d')!;
      octx.setTransform(1, 0, 0, 1, 0, 0);
      octx.clearRect(0, 0, this.overlay.width, this.overlay.height);
      if (frame) this._drawOverlay(octx, dpr);
    }
    this._lastPaintMs = performance.now() - t0;
  }

  /** Read the stage's size into the model (and repaint). */
  updateSize(): void {
    if (this.isDisposed) return;
    this._model.setClientSize(this.node.clientWidth, this.node.clientHeight);
    this.requestPaint(true);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this._bitmap.cancel();
    this._resizeObserver?.disconnect();
    if (this._rafId) cancelAnimationFrame(this._rafId);
    super.dispose();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.updateSize();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    // A viewer restored in a background tab paints when its tab is first shown.
    this.updateSize();
    this.requestPaint(true);
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.updateSize();
  }

  private _model: ViewerModel;
  private _trans: TranslationBundle;
  private _drawOverlay: (ctx: CanvasRenderingContext2D, dpr: number) => void;
  private _message: HTMLDivElement;
  private _bitmap = new FrameBitmap();
  private _rafId = 0;
  private _overlayDirty = true;
  private _lastPaintMs = 0;
  private _resizeObserver: ResizeObserver | null = null;
}

export namespace ImageStage {
  export interface IOptions {
    model: ViewerModel;
    trans: TranslationBundle;
    /** Draws the overlay (the context is cleared and in device pixels; `dpr` to scale). */
    drawOverlay: (ctx: CanvasRenderingContext2D, dpr: number) => void;
  }
}

export { RenderCancelled };
