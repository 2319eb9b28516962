/**
 * The radial profile as text, for "Insert Profile as Code" and its export: a CSV file beside the
 * image, Python (numpy) that loads it, and Python that recomputes it from the image and the
 * center with the same bin convention (so the numbers can be checked without this extension).
 * No DOM: the commands that use these live elsewhere.
 */
import { formatCoordinate, isPythonIdentifier, pythonString } from './code.js';

/** What the export needs of a profile (`radialProfile`'s result or the Node API's report). */
export interface ProfileLike {
  center: { row: number; col: number };
  binWidth: number;
  statistic: 'mean' | 'median';
  radius: ArrayLike<number>;
  value: ArrayLike<number>;
  count: ArrayLike<number>;
}

/** `data/graphite.tif` -> `data/graphite_profile.csv` (any extension replaced). */
export function profileCsvPath(imagePath: string): string {
  const slash = imagePath.lastIndexOf('/') + 1;
  const dot = imagePath.lastIndexOf('.');
  const stem = dot > slash ? imagePath.slice(0, dot) : imagePath;
  return `${stem}_profile.csv`;
}

/**
 * The profile as CSV: `#` comment lines (image, center, bin convention; the column names last),
 * then one `radius,value,count` line per bin, `nan` for empty bins. Numbers are written in full
 * (shortest round-trip form), so numpy reads back exactly the same values.
 */
export function profileAsCsv(profile: ProfileLike, imagePath: string, sigma?: [number, number] | null): string {
  const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');
  const { row, col } = profile.center;
  const lines = [
    `# radial profile of ${oneLine(imagePath)}, jupyterlab-diffraction`,
    `# center (row, col) = (${row}, ${col})` +
      (sigma ? `, sigma (row, col) = (${sigma[0].toPrecision(2)}, ${sigma[1].toPrecision(2)}) px` : ''),
    `# bin k: k * ${profile.binWidth} <= r < (k + 1) * ${profile.binWidth} px, r = distance of the pixel center ` +
      '(integer row, col); radius = bin middle',
    `# value: ${profile.statistic} of the valid pixels of the bin (nan: none); count: valid pixels`,
    '# radius,value,count'
  ];
  for (let k = 0; k < profile.radius.length; k++) {
    const v = profile.value[k];
    lines.push(`${profile.radius[k]},${Number.isFinite(v) ? v : 'nan'},${profile.count[k]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Python that loads the CSV of `profileAsCsv` with numpy into `<variable>_radius` etc. */
export function profileLoadCode(variable: string, csvPath: string): string {
  checkVariable(variable);
  return [
    'import numpy as np',
    '',
    '# Radial profile written by jupyterlab-diffraction (radius in px, value per bin, count of pixels)',
    `${variable}_radius, ${variable}_value, ${variable}_count = np.loadtxt(`,
    `    ${pythonString(csvPath)}, delimiter=',', unpack=True)`
  ].join('\n');
}

/** Options of `profileRecomputeCode`. */
export interface RecomputeOptions {
  /** Mask file (non-zero = valid), or null. */
  maskPath?: string | null;
  binWidth?: number;
  statistic?: 'mean' | 'median';
  frame?: number;
}

/**
 * Python (numpy + tifffile) that recomputes the profile from the image and the center with the
 * extension's bin convention, into `<variable>_radius`, `<variable>_value`, `<variable>_count`.
 */
export function profileRecomputeCode(
  variable: string,
  imagePath: string,
  center: { row: number; col: number },
  options: RecomputeOptions = {}
): string {
  checkVariable(variable);
  const binWidth = options.binWidth ?? 1;
  if (!(binWidth > 0) || !Number.isFinite(binWidth)) {
    throw new Error(`The bin width must be a positive number, got ${binWidth}.`);
  }
  const statistic = options.statistic ?? 'mean';
  const frame = options.frame ?? 0;
  const read = frame > 0 ? `tifffile.imread(${pythonString(imagePath)}, key=${frame})` : `tifffile.imread(${pythonString(imagePath)})`;
  const lines = [
    'import numpy as np',
    'import tifffile',
    '',
    `# Radial profile (${statistic} per bin) about the center found with jupyterlab-diffraction:`,
    '# bin k holds the valid pixels whose center (integer row, col) lies at k * w <= r < (k + 1) * w.',
    `image = ${read}.astype(np.float64)`,
    'valid = np.isfinite(image)'
  ];
  if (options.maskPath) {
    lines.push(`valid &= tifffile.imread(${pythonString(options.maskPath)}) != 0`);
  }
  lines.push(
    `row, col = ${formatCenter(center.row)}, ${formatCenter(center.col)}`,
    `w = ${binWidth}`,
    'h_, w_ = image.shape',
    'bins = int(np.ceil(np.hypot(max(row, h_ - 1 - row), max(col, w_ - 1 - col)) / w)) + 1',
    'rr, cc = np.indices(image.shape)',
    'k = np.floor(np.hypot(rr - row, cc - col) / w).astype(np.int64)',
    'keep = valid & (k < bins)',
    `${variable}_count = np.bincount(k[keep], minlength=bins)`,
    `${variable}_radius = (np.arange(bins) + 0.5) * w`
  );
  if (statistic === 'mean') {
    lines.push(
      `with np.errstate(invalid='ignore', divide='ignore'):`,
      `    ${variable}_value = np.bincount(k[keep], weights=image[keep], minlength=bins) / ${variable}_count`
    );
  } else {
    lines.push(
      'order = np.argsort(k[keep], kind="stable")',
      'sorted_values = image[keep][order]',
      `edges = np.concatenate([[0], np.cumsum(${variable}_count)])`,
      `${variable}_value = np.array([np.median(sorted_values[a:b]) if b > a else np.nan`,
      '                             for a, b in zip(edges[:-1], edges[1:])])'
    );
  }
  return lines.join('\n');
}

/** The center at full precision (the profile depends on it beyond 1/100 px at bin edges). */
function formatCenter(value: number): string {
  return Number.isInteger(value) ? formatCoordinate(value) : String(value);
}

function checkVariable(variable: string): void {
  if (!isPythonIdentifier(variable)) {
    throw new Error(`"${variable}" is not a valid Python variable name (setting "variableName").`);
  }
}
