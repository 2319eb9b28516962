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

/** The columns of the sidecar CSV, in order (`read_centers` needs row and col; frame and score it reads too). */
export const SIDECAR_COLUMNS = [
  'frame',
  'row',
  'col',
  'score',
  'sigma_row',
  'sigma_col',
  'method',
  'jump',
  'outlier',
  'fit_row',
  'fit_col',
  'error'
] as const;

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
 * The series as CSV text: `#` comment lines (image, shape, fit), a header, one line per frame in
 * frame order. Numbers are written in full (JavaScript's shortest exact form); a failed frame
 * has empty row and col (NaN for numpy) and its message in `error`.
 */
export function centersCsv(centers: readonly SeriesCenter[], info: SidecarInfo, fit: DriftFit | null = null): string {
  const lines = [
    `# centers of ${info.image} (${info.shape[0]} x ${info.shape[1]}), jupyterlab-diffraction ${info.version}, ${info.created}`,
    '# row, col: numpy convention (image[row, col]), pixel centers at integers; read with numpy.genfromtxt or jupyterlab_diffraction.read_centers'
  ];
  if (fit) {
    lines.push(`# fit: ${describeFit(fit)}`);
  }
  lines.push(SIDECAR_COLUMNS.join(','));
  for (const c of [...centers].sort((a, b) => a.frame - b.frame)) {
    const fitted = fit ? evaluateFit(fit, c.frame) : null;
    const cells: Record<(typeof SIDECAR_COLUMNS)[number], unknown> = {
      frame: c.frame,
      row: Number.isFinite(c.row) ? c.row : null,
      col: Number.isFinite(c.col) ? c.col : null,
      score: c.score,
      sigma_row: c.sigma?.[0],
      sigma_col: c.sigma?.[1],
      method: c.method,
      jump: c.jump ? 1 : 0,
      outlier: c.outlier ? 1 : 0,
      fit_row: fitted?.row,
      fit_col: fitted?.col,
      error: c.error
    };
    lines.push(SIDECAR_COLUMNS.map(column => csvCell(cells[column])).join(','));
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
