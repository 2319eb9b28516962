/**
 * The center of one frame of a series as the viewer keeps it, and the series written out as a
 * sidecar CSV (`NAME_centers.csv` beside the image) that `read_centers` of the Python package
 * and numpy read.
 */
import type { FullSearchReason } from './tracker.js';
import type { DriftFit } from './drift.js';
import { evaluateFit } from './drift.js';

/** How a frame's center was obtained. */
export type SeriesMethod = 'full' | 'tracked' | 'manual';

/** One frame's center (or why there is none). */
export interface SeriesCenter {
  frame: number;
  /** NaN when the frame failed (`error`). */
  row: number;
  col: number;
  /** The tracker's score (engine NCC for a full search, window NCC for a tracked frame); null by hand. */
  score: number | null;
  /** Standard uncertainty (row, col) in pixels, when known. */
  sigma: [number, number] | null;
  method: SeriesMethod;
  /** Why a full search was made. */
  reason: FullSearchReason | null;
  /** The center lies more than the tracker's jump distance from the previous frame's. */
  jump: boolean;
  /** The frame stands out from its neighbours (`flagOutliers`). */
  outlier: boolean;
  warnings: string[];
  /** Why the frame has no center. */
  error?: string;
}

/**
 * The columns of the sidecar CSV, in order (`read_centers` needs row and col, and reads frame and
 * score); `fit_row` and `fit_col` (the fitted center) follow when a fit was made.
 */
export const SIDECAR_COLUMNS = ['frame', 'row', 'col', 'score', 'sigma_row', 'sigma_col', 'method', 'jump', 'outlier'] as const;

/** What the sidecar's comment lines say about the series. */
export interface SidecarInfo {
  /** The image, as the header names it. */
  image: string;
  shape: [number, number];
  version: string;
  created: string;
}

/** The sidecar path of an image: `NAME_centers.csv` beside `NAME.ext` (as `sidecar_path` in Python). */
export function sidecarPath(imagePath: string): string {
  const slash = imagePath.lastIndexOf('/');
  const folder = imagePath.slice(0, slash + 1);
  const name = imagePath.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  return `${folder}${dot > 0 ? name.slice(0, dot) : name}_centers.csv`;
}

/**
 * The series as CSV text that `numpy.genfromtxt(path, delimiter=',', names=True, dtype=None,
 * encoding='utf-8')` and `read_centers` read: the header line first (numpy takes the names from
 * the first line), then `#` comment lines (image, shape, fit, the frames that failed and why),
 * then one line per frame in frame order. Numbers are written in full (JavaScript's shortest
 * exact form); jump and outlier are 0 or 1; a failed frame has empty cells (NaN for numpy).
 * No cell needs quoting (numpy does not read quotes): the messages live in the comments.
 */
export function centersCsv(centers: readonly SeriesCenter[], info: SidecarInfo, fit: DriftFit | null = null): string {
  const columns: string[] = [...SIDECAR_COLUMNS, ...(fit ? ['fit_row', 'fit_col'] : [])];
  const comment = (text: string) => `# ${text.replace(/[\r\n]+/g, ' ')}`;
  const sorted = [...centers].sort((a, b) => a.frame - b.frame);
  const lines = [
    columns.join(','),
    comment(`centers of ${info.image} (${info.shape[0]} x ${info.shape[1]}), jupyterlab-diffraction ${info.version}, ${info.created}`),
    comment('row, col: numpy convention (image[row, col]), pixel centers at integers')
  ];
  if (fit) {
    lines.push(comment(`fit: ${describeFit(fit)}`));
  }
  for (const c of sorted) {
    if (c.error) {
      lines.push(comment(`frame ${c.frame} failed: ${c.error}`));
    }
  }
  for (const c of sorted) {
    const found = Number.isFinite(c.row) && Number.isFinite(c.col);
    const fitted = fit ? evaluateFit(fit, c.frame) : null;
    const cells: Record<string, unknown> = {
      frame: c.frame,
      row: found ? c.row : null,
      col: found ? c.col : null,
      score: c.score,
      sigma_row: c.sigma?.[0],
      sigma_col: c.sigma?.[1],
      method: c.method,
      jump: c.jump ? 1 : 0,
      outlier: c.outlier ? 1 : 0,
      fit_row: fitted?.row,
      fit_col: fitted?.col
    };
    lines.push(columns.map(column => csvCell(cells[column])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A fit in words, with its coefficients (for the CSV header and the drift panel). */
export function describeFit(fit: DriftFit): string {
  const n = (v: number) => Number(v.toPrecision(6));
  const terms = fit.kind === 'linear' ? ['', ' × frame'] : ['', ' × x', ' × y'];
  const side = (c: number[]) => c.map((v, i) => `${i && v >= 0 ? '+ ' : i ? '- ' : ''}${n(i ? Math.abs(v) : v)}${terms[i]}`).join(' ');
  const grid = fit.kind === 'plane' ? ` (scan of ${fit.scanWidth} frames per row: frame = y × ${fit.scanWidth} + x)` : '';
  return (
    `${fit.kind}${grid}: row = ${side(fit.row)}, col = ${side(fit.col)}; ` +
    `robust sigma (${n(fit.sigma[0])}, ${n(fit.sigma[1])}) px; ${fit.outliers.length} of ${fit.count} frames rejected`
  );
}

/** RFC 4180: quote a cell holding a comma, quote or line break (quotes doubled); empty for null. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
