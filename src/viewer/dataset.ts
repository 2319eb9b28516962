/**
 * The viewer's state as `data-*` attributes of its node, for tests, benches and CSS: what file
 * is shown (height, width, sample type, frames) and how (frame, zoom, exact view transform,
 * colormap, scale, invert, auto, vmin, vmax).
 */
import type { ImageFileInfo } from '../io/index.js';
import type { ViewerModel } from './model.js';

/** Write the display and view state. */
export function writeStateDataset(node: HTMLElement, model: ViewerModel, frameCount: number): void {
  const d = node.dataset;
  const view = model.view;
  const p = model.display;
  d.frame = String(model.frameIndex);
  d.frames = String(frameCount);
  d.zoom = String(Math.round(view.zoom * 1e4) / 1e4);
  // The exact view (x = x0 + (col + ½)·zoom, y = y0 + (row + ½)·zoom, stage CSS pixels).
  d.view = `${view.zoom} ${view.x0} ${view.y0}`;
  d.colormap = p.colormap;
  d.scale = p.scale;
  d.invert = String(p.invert);
  d.auto = String(model.autoContrast);
  d.vmin = String(p.vmin);
  d.vmax = String(p.vmax);
}

/** Write what the file is. */
export function writeFileDataset(node: HTMLElement, info: ImageFileInfo): void {
  const d = node.dataset;
  d.format = info.format;
  const beam = info.metadata.beamCenter;
  if (beam) {
    d.headerBeamCenter = `${beam.row},${beam.col}`;
  } else {
    delete d.headerBeamCenter;
  }
  d.height = String(info.height);
  d.width = String(info.width);
  d.sampleType = info.sampleType;
  d.frames = String(info.frames);
  delete d.error;
}

/**
 * How the file is read: `data-read` is 'ranges' (by HTTP Range requests, frame by frame),
 * 'whole' (one read of the whole file) or 'buffer' (bytes given in memory); `data-bytes-read`
 * counts the bytes read from the server so far.
 */
export function writeReadDataset(node: HTMLElement, file: { byRanges?: boolean; bytesRead?: number } | null): void {
  const d = node.dataset;
  if (!file) return;
  d.read = file.byRanges === undefined ? 'buffer' : file.byRanges ? 'ranges' : 'whole';
  if (file.bytesRead !== undefined) d.bytesRead = String(file.bytesRead);
}
