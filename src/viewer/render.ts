/**
 * The chunked LUT pass: colors one frame into a cached full-resolution bitmap (an offscreen
 * canvas) in time slices, yielding to the event loop between slices so the UI never blocks, even
 * at 4096². A newer render cancels an older one. Pan and zoom then only transform that bitmap.
 */
import type { DiffractionImage } from '../io/image.js';
import type { PixelValidity } from '../center/validity.js';
import { type DisplayParams, makeColorMapper } from './lut.js';

/** How long one slice of the LUT pass may run before yielding (ms). */
export const SLICE_MS = 10;

/** Thrown (as the rejection) when a render is superseded by a newer one. */
export class RenderCancelled extends Error {
  constructor() {
    super('render superseded');
    this.name = 'RenderCancelled';
  }
}

/** A full-resolution RGBA copy of the current frame under the current display parameters. */
export class FrameBitmap {
  /** The offscreen canvas holding the colored frame (image pixel = canvas pixel). */
  readonly canvas: HTMLCanvasElement = document.createElement('canvas');

  /** The shape of the bitmap (0 × 0 before the first render). */
  get height(): number {
    return this.canvas.height;
  }
  get width(): number {
    return this.canvas.width;
  }

  /** Whether a complete render is in the canvas. */
  get complete(): boolean {
    return this._complete;
  }

  /** Cancel the render under way, if any. */
  cancel(): void {
    this._generation++;
  }

  /**
   * Color `image` into the bitmap in time slices. `onProgress` runs after each slice (to paint
   * what is ready). `rule` is the frame's validity rule (default: from its data). Resolves when
   * done; rejects with `RenderCancelled` if superseded.
   */
  async render(
    image: DiffractionImage,
    params: DisplayParams,
    rule?: PixelValidity,
    onProgress?: () => void
  ): Promise<void> {
    const generation = ++this._generation;
    const { height, width, data } = image;
    if (this.canvas.width !== width || this.canvas.height !== height || !this._imageData) {
      this.canvas.width = width;
      this.canvas.height = height;
      this._imageData = new ImageData(width, height);
      this._context = this.canvas.getContext('2d')!;
    }
    this._complete = false;
    const imageData = this._imageData;
    const out = new Uint32Array(imageData.data.buffer, imageData.data.byteOffset, width * height);
    const mapper = makeColorMapper(data, params, rule);
    const rowsPerCheck = Math.max(1, Math.floor(16384 / Math.max(1, width)));
    let row = 0;
    while (row < height) {
      const sliceStart = performance.now();
      const firstRow = row;
      do {
        const end = Math.min(height, row + rowsPerCheck);
        mapper.apply(data, out, row * width, end * width);
        row = end;
      } while (row < height && performance.now() - sliceStart < SLICE_MS);
      this._context!.putImageData(imageData, 0, 0, 0, firstRow, width, row - firstRow);
      onProgress?.();
      if (row < height) {
        await Private.yieldToEventLoop();
        if (generation !== this._generation) {
          throw new RenderCancelled();
        }
      }
    }
    if (generation !== this._generation) {
      throw new RenderCancelled();
    }
    this._levels = [];
    this._complete = true;
  }

  /**
   * The bitmap to draw at `zoom` (screen pixels per image pixel): the full-resolution canvas, or
   * for zoom ≤ ¼ a reduced copy (½, ¼, … of the size), so that zoomed-out pan/zoom frames
   * resample far fewer pixels. Reduced copies are made once per render, after the paint that
   * first needs them (`onLevelReady` asks for a repaint then), so they never delay a paint.
   * Returns the canvas and its scale (canvas pixels per image pixel).
   */
  levelFor(zoom: number, onLevelReady?: () => void): { canvas: HTMLCanvasElement; scale: number } {
    let scale = 1;
    let canvas = this.canvas;
    let level = 0;
    while (this._complete && zoom <= scale / 4 && Math.min(canvas.width, canvas.height) >= 64) {
      const next = this._levels[level];
      if (!next) {
        this._scheduleLevel(level, onLevelReady);
        break;
      }
      canvas = next;
      scale /= 2;
      level++;
    }
    return { canvas, scale };
  }

  private _scheduleLevel(level: number, onReady?: () => void): void {
    if (this._levelTimer) return;
    const generation = this._generation;
    this._levelTimer = window.setTimeout(() => {
      this._levelTimer = 0;
      if (generation !== this._generation || !this._complete || this._levels[level]) return;
      const source = level === 0 ? this.canvas : this._levels[level - 1];
      if (!source) return;
      const next = document.createElement('canvas');
      next.width = Math.max(1, Math.ceil(source.width / 2));
      next.height = Math.max(1, Math.ceil(source.height / 2));
      const ctx = next.getContext('2d')!;
      // Bilinear sampling at 2:1 averages each 2 × 2 block: a box filter, all a halving needs.
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'low';
      ctx.drawImage(source, 0, 0, source.width, source.height, 0, 0, next.width, next.height);
      this._levels[level] = next;
      onReady?.();
    }, 0);
  }

  private _generation = 0;
  private _complete = false;
  private _levels: HTMLCanvasElement[] = [];
  private _levelTimer = 0;
  private _imageData: ImageData | null = null;
  private _context: CanvasRenderingContext2D | null = null;
}

/** Resolve on the next macrotask without setTimeout's 4 ms clamp. */
export function yieldToEventLoop(): Promise<void> {
  return Private.yieldToEventLoop();
}

namespace Private {
  let channel: MessageChannel | null = null;
  const waiting: Array<() => void> = [];

  export function yieldToEventLoop(): Promise<void> {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    return new Promise<void>(resolve => {
      waiting.push(resolve);
      channel!.port2.postMessage(null);
    });
  }
}
