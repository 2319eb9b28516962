/**
 * The view transform between image coordinates (row, col) and client coordinates (x, y) of the
 * viewer's canvas, in CSS pixels. Pure functions, no DOM.
 *
 * Pixel centers are at integer (row, col); pixel (r, c) covers [r - ½, r + ½] × [c - ½, c + ½].
 * A view is `{zoom, x0, y0}`: `zoom` CSS pixels per image pixel, and (x0, y0) the client
 * position of the image's outer top-left corner (row = col = -½). So
 *   x = x0 + (col + ½)·zoom,   y = y0 + (row + ½)·zoom.
 */

/** A view: scale and translation. */
export interface ViewTransform {
  /** CSS pixels per image pixel. */
  readonly zoom: number;
  /** Client x of the image's left edge. */
  readonly x0: number;
  /** Client y of the image's top edge. */
  readonly y0: number;
}

/** A point in image coordinates. */
export interface ImagePoint {
  row: number;
  col: number;
}

/** A point in client coordinates (CSS pixels from the canvas's top-left corner). */
export interface ClientPoint {
  x: number;
  y: number;
}

/** Zoom limits. */
export const MIN_ZOOM = 1 / 64;
export const MAX_ZOOM = 128;

/** The zoom step of the zoom-in / zoom-out commands. */
export const ZOOM_STEP = Math.SQRT2;

/** Image → client. */
export function imageToClient(view: ViewTransform, row: number, col: number): ClientPoint {
  return { x: view.x0 + (col + 0.5) * view.zoom, y: view.y0 + (row + 0.5) * view.zoom };
}

/** Client → image (fractional; the pixel under the point is `Math.round` of each). */
export function clientToImage(view: ViewTransform, x: number, y: number): ImagePoint {
  return { row: (y - view.y0) / view.zoom - 0.5, col: (x - view.x0) / view.zoom - 0.5 };
}

/** The pixel (integer row, col) under a client point, or null outside an image of that shape. */
export function pixelAt(
  view: ViewTransform,
  x: number,
  y: number,
  height: number,
  width: number
): ImagePoint | null {
  const p = clientToImage(view, x, y);
  // floor(v + ½) rather than Math.round, which gives -0 just left of the first pixel center.
  const row = Math.floor(p.row + 0.5);
  const col = Math.floor(p.col + 0.5);
  if (row < 0 || col < 0 || row >= height || col >= width) {
    return null;
  }
  return { row, col };
}

/** Clamp a zoom to [MIN_ZOOM, MAX_ZOOM]. */
export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** Zoom by `factor` keeping the image point under client (x, y) fixed. */
export function zoomAt(view: ViewTransform, factor: number, x: number, y: number): ViewTransform {
  const zoom = clampZoom(view.zoom * factor);
  const ratio = zoom / view.zoom;
  return { zoom, x0: x - (x - view.x0) * ratio, y0: y - (y - view.y0) * ratio };
}

/** Set the zoom to `zoom`, keeping the image point under client (x, y) fixed. */
export function zoomTo(view: ViewTransform, zoom: number, x: number, y: number): ViewTransform {
  return zoomAt(view, zoom / view.zoom, x, y);
}

/** Move the view by (dx, dy) client pixels. */
export function panBy(view: ViewTransform, dx: number, dy: number): ViewTransform {
  return { zoom: view.zoom, x0: view.x0 + dx, y0: view.y0 + dy };
}

/** The view showing the whole image, centered, as large as the client area allows. */
export function fitView(
  height: number,
  width: number,
  clientWidth: number,
  clientHeight: number
): ViewTransform {
  if (height <= 0 || width <= 0 || clientWidth <= 0 || clientHeight <= 0) {
    return { zoom: 1, x0: 0, y0: 0 };
  }
  const zoom = clampZoom(Math.min(clientWidth / width, clientHeight / height));
  return { zoom, x0: (clientWidth - width * zoom) / 2, y0: (clientHeight - height * zoom) / 2 };
}

/** The view centering image point (row, col) in the client area at the given zoom. */
export function centerOn(
  row: number,
  col: number,
  zoom: number,
  clientWidth: number,
  clientHeight: number
): ViewTransform {
  const z = clampZoom(zoom);
  return { zoom: z, x0: clientWidth / 2 - (col + 0.5) * z, y0: clientHeight / 2 - (row + 0.5) * z };
}

/**
 * The part of the image visible in the client area, as a source rectangle (in image pixels,
 * whole pixels, clipped to the image) and where it lands in client coordinates — the arguments
 * of `drawImage(source, sx, sy, sw, sh, dx, dy, dw, dh)`. Null when nothing is visible.
 */
export function visibleRect(
  view: ViewTransform,
  height: number,
  width: number,
  clientWidth: number,
  clientHeight: number
): { sx: number; sy: number; sw: number; sh: number; dx: number; dy: number; dw: number; dh: number } | null {
  const sx = Math.max(0, Math.floor(-view.x0 / view.zoom));
  const sy = Math.max(0, Math.floor(-view.y0 / view.zoom));
  const ex = Math.min(width, Math.ceil((clientWidth - view.x0) / view.zoom));
  const ey = Math.min(height, Math.ceil((clientHeight - view.y0) / view.zoom));
  if (ex <= sx || ey <= sy) {
    return null;
  }
  return {
    sx,
    sy,
    sw: ex - sx,
    sh: ey - sy,
    dx: view.x0 + sx * view.zoom,
    dy: view.y0 + sy * view.zoom,
    dw: (ex - sx) * view.zoom,
    dh: (ey - sy) * view.zoom
  };
}

/**
 * Radius (image pixels) and azimuth (degrees in [0, 360)) of (row, col) from a center.
 * Azimuth convention: measured from the +col axis toward -row, i.e. counter-clockwise as
 * displayed (rows grow downward): 0° to the right, 90° up, 180° left, 270° down.
 */
export function polarFrom(center: ImagePoint, row: number, col: number): { radius: number; azimuth: number } {
  const dc = col - center.col;
  const up = center.row - row;
  const radius = Math.hypot(up, dc);
  let azimuth = (Math.atan2(up, dc) * 180) / Math.PI;
  if (azimuth < 0) azimuth += 360;
  if (azimuth >= 360) azimuth -= 360;
  return { radius, azimuth: radius === 0 ? 0 : azimuth };
}
