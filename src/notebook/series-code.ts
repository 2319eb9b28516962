/**
 * The centers of every frame of a series for a notebook: the metadata entry (per-frame arrays,
 * `writeSeries`), and the code cell that loads the sidecar CSV with numpy (no thousand
 * literals pasted into the notebook).
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { describeFit, type DriftFit, type SeriesCenter } from '../series/index.js';
import { isPythonIdentifier, pythonString } from './code.js';
import { writeSeries, type SeriesEntry, type SeriesFit } from './metadata.js';
import { imagePathsFor } from './paths.js';

/** The metadata arrays of a series (null where a frame failed or a value is unknown). */
export function seriesEntry(
  centers: readonly SeriesCenter[],
  about: { mask: string | null; options: Record<string, unknown>; created: string; version: string }
): SeriesEntry {
  const sorted = [...centers].sort((a, b) => a.frame - b.frame);
  const finite = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const errors: Record<string, string> = {};
  sorted.forEach(c => c.error && (errors[String(c.frame)] = c.error));
  return {
    frame: sorted.map(c => c.frame),
    row: sorted.map(c => finite(c.row)),
    col: sorted.map(c => finite(c.col)),
    score: sorted.map(c => finite(c.score)),
    sigma_row: sorted.map(c => finite(c.sigma?.[0])),
    sigma_col: sorted.map(c => finite(c.sigma?.[1])),
    method: sorted.map(c => c.method),
    jump: sorted.map(c => c.jump),
    outlier: sorted.map(c => c.outlier),
    errors,
    ...about
  };
}

/** The fit as the metadata stores it (with its description). */
export function seriesFit(fit: DriftFit | null): SeriesFit | null {
  return fit ? { ...fit, description: describeFit(fit) } : null;
}

/**
 * Write the series of an image (`imagePath` relative to the server root) into a notebook's
 * metadata, under the image's path relative to the notebook's folder; saves when `save`.
 */
export async function writeSeriesToNotebook(
  panel: NotebookPanel,
  imagePath: string,
  shape: [number, number],
  series: SeriesEntry,
  fit: SeriesFit | null,
  save: boolean
): Promise<void> {
  await panel.context.ready;
  const model = panel.content.model;
  if (!model) {
    throw new Error(`The notebook ${panel.context.path} has no model.`);
  }
  writeSeries(model, imagePathsFor(panel.context.localPath, imagePath), shape, series, fit);
  if (save) {
    await panel.context.save();
  }
}

/**
 * A cell that loads the sidecar CSV (`csvPath` as the notebook's kernel opens it) with numpy
 * into a structured array named `variable`.
 */
export function seriesAsPython(variable: string, csvPath: string, imagePath: string, frames: number): string {
  if (!isPythonIdentifier(variable)) {
    throw new Error(`"${variable}" is not a valid Python variable name (setting "variableName").`);
  }
  const about = `${imagePath}`.replace(/[\r\n]+/g, ' ');
  return [
    'import numpy as np',
    '',
    `# Centers of the ${frames} frames of ${about} (jupyterlab-diffraction): one row per frame,`,
    '# columns frame, row, col, score, sigma_row, sigma_col, method, jump, outlier (and fit_row, fit_col',
    '# when a fit was made); row, col as numpy (image[row, col]), NaN where a frame failed.',
    `${variable} = np.genfromtxt(${pythonString(csvPath)}, delimiter=',', names=True, dtype=None, encoding='utf-8')`
  ].join('\n');
}
