/**
 * The beam center a file's header states (SMV, CBF, NeXus, …), drawn as a second marker beside
 * the found center: a diamond, so that it cannot be taken for the crosshair, with a short label.
 */
import type { IOverlayInfo } from './overlays.js';

/** Half the diamond's diagonal, CSS pixels. */
export const HEADER_MARKER_SIZE = 7;

/** Draw the header's beam center (row, col) into the overlay (client coordinates). */
export function drawHeaderMarker(
  ctx: CanvasRenderingContext2D,
  info: Pick<IOverlayInfo, 'imageToClient' | 'clientWidth' | 'clientHeight'>,
  beam: { row: number; col: number },
  label: string
): void {
  const { x, y } = info.imageToClient(beam.row, beam.col);
  const s = HEADER_MARKER_SIZE;
  if (x < -s || y < -s || x > info.clientWidth + s || y > info.clientHeight + s) {
    return;
  }
  ctx.save();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.8)';
  ctx.beginPath();
  ctx.moveTo(x, y - s - 1);
  ctx.lineTo(x + s + 1, y);
  ctx.lineTo(x, y + s + 1);
  ctx.lineTo(x - s - 1, y);
  ctx.closePath();
  ctx.stroke();
  ctx.strokeStyle = '#ffd400';
  ctx.beginPath();
  ctx.moveTo(x, y - s);
  ctx.lineTo(x + s, y);
  ctx.lineTo(x, y + s);
  ctx.lineTo(x - s, y);
  ctx.closePath();
  ctx.stroke();
  ctx.fillStyle = '#ffd400';
  ctx.font = '11px sans-serif';
  ctx.fillText(label, x + s + 3, y - s);
  ctx.restore();
}
