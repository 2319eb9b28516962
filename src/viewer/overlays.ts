/**
 * The overlays of a viewer: drawers other tools register (mask, crosshair, guide rings), called
 * in registration order on the overlay canvas, in client coordinates (CSS pixels of the stage).
 */
import type { DiffractionImage } from '../io/image.js';
import { DisposableDelegate, type IDisposable } from '@lumino/disposable';
import { clientToImage, type ImagePoint, imageToClient, type ViewTransform } from './view.js';

/** What an overlay drawer gets besides its context (`V`: the viewer). */
export interface IOverlayInfo<V = unknown> {
  viewer: V;
  view: ViewTransform;
  frame: DiffractionImage;
  center: ImagePoint | null;
  clientWidth: number;
  clientHeight: number;
  imageToClient(row: number, col: number): { x: number; y: number };
  clientToImage(x: number, y: number): ImagePoint;
}

/** Draws into the overlay (client coordinates, CSS pixels). */
export type OverlayDrawer<V = unknown> = (ctx: CanvasRenderingContext2D, info: IOverlayInfo<V>) => void;

/** An ordered list of overlay drawers. */
export class OverlayList<V> {
  constructor(private readonly _changed: () => void) {}

  /** Add a drawer; disposing the handle removes it. Both ask for a redraw. */
  add(drawer: OverlayDrawer<V>): IDisposable {
    this._drawers.push(drawer);
    this._changed();
    return new DisposableDelegate(() => {
      const i = this._drawers.indexOf(drawer);
      if (i >= 0) {
        this._drawers.splice(i, 1);
        this._changed();
      }
    });
  }

  /**
   * Call every drawer, each in its own saved context scaled to CSS pixels (a stage of
   * `clientWidth` × `clientHeight`); one failing is logged and the others still draw.
   */
  draw(
    ctx: CanvasRenderingContext2D,
    dpr: number,
    viewer: V,
    frame: DiffractionImage,
    view: ViewTransform,
    center: ImagePoint | null,
    clientWidth: number,
    clientHeight: number
  ): void {
    const info: IOverlayInfo<V> = {
      viewer,
      view,
      frame,
      center,
      clientWidth,
      clientHeight,
      imageToClient: (row, col) => imageToClient(view, row, col),
      clientToImage: (x, y) => clientToImage(view, x, y)
    };
    for (const drawer of this._drawers.slice()) {
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

  private _drawers: OverlayDrawer<V>[] = [];
}
