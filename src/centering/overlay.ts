/**
 * Drawing of the crosshair and its guide rings in client coordinates (the mask's own drawing is
 * in `masks/overlay.ts`). Lines are drawn at whole-pixel offsets so they stay crisp at any zoom.
 */
import { haloStroke } from '../masks/overlay.js';
import type { DiffractionViewer } from '../viewer/widget.js';

/** Default guide ring radii: quarters of the largest circle that fits the image. */
export function defaultRingRadii(height: number, width: number): number[] {
  const r = Math.min(height, width) / 2;
  return [0.25, 0.5, 0.75].map(f => Math.round(r * f));
}

/** The crosshair at the (sub-pixel) center, with guide rings of the given radii (image pixels). */
export function drawCrosshair(
  ctx: CanvasRenderingContext2D,
  info: DiffractionViewer.IOverlayInfo,
  row: number,
  col: number,
  radii: number[],
  color: string
): void {
  const { x, y } = info.imageToClient(row, col);
  // Snap to the middle of a device pixel so 1.5 px lines do not blur.
  const sx = Math.round(x) + 0.5;
  const sy = Math.round(y) + 0.5;
  const arm = 18;
  const gap = 4;
  ctx.beginPath();
  ctx.moveTo(sx - arm, sy);
  ctx.lineTo(sx - gap, sy);
  ctx.moveTo(sx + gap, sy);
  ctx.lineTo(sx + arm, sy);
  ctx.moveTo(sx, sy - arm);
  ctx.lineTo(sx, sy - gap);
  ctx.moveTo(sx, sy + gap);
  ctx.lineTo(sx, sy + arm);
  haloStroke(ctx, color, 1.5);
  for (const radius of radii) {
    const pixels = radius * info.view.zoom;
    if (pixels < 3) {
      continue;
    }
    ctx.beginPath();
    ctx.arc(x, y, pixels, 0, 2 * Math.PI);
    haloStroke(ctx, color, 1, [8, 6]);
  }
}
