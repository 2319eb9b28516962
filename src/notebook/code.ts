/**
 * The center as text: a Python code line or JSON, for "Insert center as code" and "Copy center".
 */
import type { CenterEntry } from './metadata.js';

/** Python keywords that cannot be variable names. */
const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' ')
);

/** Whether `name` can be a Python variable name. */
export function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}

/** Round to 2 decimals (1/100 px: below the engine's accuracy), as a Python float literal. */
export function formatCoordinate(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const text = String(rounded);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** An uncertainty to two significant digits (0.034, 1.2): finer digits say nothing. */
export function formatSigma(value: number): string {
  return String(Number(value.toPrecision(2)));
}

/** A Python string literal for a path (repr-like, escaped). */
export function pythonString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** `center = (556.73, 506.12)  # (row, col) of data/graphite.tif, jupyterlab-diffraction` */
export function centerAsPython(variable: string, entry: CenterEntry, imagePath: string): string {
  if (!isPythonIdentifier(variable)) {
    throw new Error(`"${variable}" is not a valid Python variable name (setting "variableName").`);
  }
  const frame = entry.frame > 0 ? `, frame ${entry.frame}` : '';
  const sigma = entry.sigma ? `, sigma (${formatSigma(entry.sigma[0])}, ${formatSigma(entry.sigma[1])}) px` : '';
  const comment = `# (row, col) of ${imagePath}${frame}, ${entry.method === 'manual' ? 'set by hand' : 'found'} with jupyterlab-diffraction${sigma}`;
  const code = `${variable} = (${formatCoordinate(entry.row)}, ${formatCoordinate(entry.col)})  ${comment}`;
  // A path with a newline would end the comment: keep it all on one line.
  return /\n/.test(imagePath) ? `${variable} = (${formatCoordinate(entry.row)}, ${formatCoordinate(entry.col)})  # ${pythonString(imagePath)}` : code;
}

/** The entry as JSON with its image path. */
export function centerAsJson(entry: CenterEntry, imagePath: string): string {
  return JSON.stringify({ image: imagePath, ...entry }, null, 2);
}
