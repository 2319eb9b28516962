/**
 * Drawing of the mask in client coordinates: the masked pixels as a translucent layer, the
 * drawn shapes and the shape being drawn. Lines are drawn twice (dark halo, light line) so they
 * stay visible on any colormap.
 */
import type { RGBA } from '../io/color.js';
import type { DiffractionViewer } from '../viewer/widget.js';
import type { MaskShape } from './model.js';

type Info = DiffractionViewer.IOverlayInfo;

/** An image-size canvas holding the masked pixels in `rgba`, transparent elsewhere. */
export function maskLayer(mask: Uint8Array, height: number, width: number, rgba: RGBA): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(width, height);
  const pixels = new Uint32Array(image.data.buffer);
  const [r, g, b, a] = rgba;
  // ImageData is RGBA in memory; little-endian Uint32 holds it as ABGR.
  const color = ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) {
      pixels[i] = color;
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** Draw the mask layer under the current view (nearest-neighbour, so pixels stay square). */
export function drawMaskLayer(ctx: CanvasRenderingContext2D, info: Info, layer: HTMLCanvasElement): void {
  const { view, frame } = info;
  ctx.save();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(layer, view.x0, view.y0, frame.width * view.zoom, frame.height * view.zoom);
  ctx.restore();
}

/** Stroke the current path with a dark halo and a light line. */
export function haloStroke(ctx: CanvasRenderingContext2D, color: string, width = 1.5, dash: number[] = []): void {
  ctx.setLineDash(dash);
  ctx.lineWidth = width + 2;
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.75)';
  ctx.stroke();
  ctx.lineWidth = width;
  ctx.strokeStyle = color;
  ctx.stroke();
  ctx.setLineDash([]);
}

/** Trace a shape (image coordinates) as a client-space path. */
export function traceShape(ctx: CanvasRenderingContext2D, info: Info, shape: MaskShape): void {
  ctx.beginPath();
  switch (shape.kind) {
    case 'rect': {
      const a = info.imageToClient(Math.min(shape.r0, shape.r1), Math.min(shape.c0, shape.c1));
      const b = info.imageToClient(Math.max(shape.r0, shape.r1), Math.max(shape.c0, shape.c1));
      ctx.rect(a.x, a.y, b.x - a.x, b.y - a.y);
      break;
    }
    case 'circle': {
      const c = info.imageToClient(shape.row, shape.col);
      ctx.arc(c.x, c.y, Math.max(0, shape.radius * info.view.zoom), 0, 2 * Math.PI);
      break;
    }
    case 'polygon': {
      shape.points.forEach(([r, c], i) => {
        const p = info.imageToClient(r, c);
        if (i === 0) {
          ctx.moveTo(p.x, p.y);
        } else {
          ctx.lineTo(p.x, p.y);
        }
      });
      if (shape.points.length > 2) {
        ctx.closePath();
      }
      break;
    }
  }
}

/** Outline drawn shapes: excluded dashed in the mask color, re-included dotted in white. */
export function drawShapes(
  ctx: CanvasRenderingContext2D,
  info: Info,
  shapes: readonly MaskShape[],
  color: string
): void {
  for (const shape of shapes) {
    traceShape(ctx, info, shape);
    haloStroke(ctx, shape.mode === 'exclude' ? color : '#ffffff', 1.25, shape.mode === 'exclude' ? [6, 4] : [2, 3]);
  }
}

/** Outline the shape being drawn (thin, dashed). */
export function drawDraft(ctx: CanvasRenderingContext2D, info: Info, shape: MaskShape, color: string): void {
  traceShape(ctx, info, shape);
  ctx.setLineDash([4, 3]);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = color;
  ctx.stroke();
  ctx.setLineDash([]);
}
