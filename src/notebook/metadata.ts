/**
 * The center in notebook metadata: `metadata.diffraction.centers[<image path>]`.
 *
 * Works on anything with JupyterLab 4's metadata API (`INotebookModel`, or the shared
 * `YNotebook` behind it). Every other metadata key, and every other image's entry, is kept.
 */

/** The top-level notebook metadata key owned by this extension. */
export const METADATA_KEY = 'diffraction';

/** How the center was obtained. */
export type CenterMethod = 'autocenter' | 'manual';

/** One image's center as stored in the notebook. */
export interface CenterEntry {
  /** Row of the center, pixel centers at integers (numpy `im[row, col]`). */
  row: number;
  /** Column of the center. */
  col: number;
  /** Frame index of a stack (0 for a single image). */
  frame: number;
  /** Image shape `[height, width]`. */
  shape: [number, number];
  /** The mask used: a path relative to the server root, a description, or null. */
  mask: string | null;
  method: CenterMethod;
  /** The engine's peak normalized cross-correlation (null for a manual center). */
  score: number | null;
  /** Engine options used. */
  options: Record<string, unknown>;
  /** ISO-8601 time of creation. */
  created: string;
  /** Version of jupyterlab-diffraction that wrote it. */
  version: string;
}

/** The part of a notebook model this module needs. */
export interface IMetadataHost {
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
}

/** A notebook's metadata holds something under `diffraction` that is not ours to overwrite. */
export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `diffraction` metadata object, validated (an empty one when absent). */
function readSection(host: IMetadataHost): Record<string, unknown> {
  const section = host.getMetadata(METADATA_KEY);
  if (section === undefined || section === null) {
    return {};
  }
  if (!isPlainObject(section)) {
    throw new MetadataError(
      `The notebook's metadata key "${METADATA_KEY}" holds a ${Array.isArray(section) ? 'list' : typeof section}, ` +
        'not an object; it was left untouched. Rename or remove it to store centers.'
    );
  }
  const centers = section.centers;
  if (centers !== undefined && !isPlainObject(centers)) {
    throw new MetadataError(
      `The notebook's metadata "${METADATA_KEY}.centers" is not an object; it was left untouched.`
    );
  }
  return section;
}

/** The centers stored in a notebook, by image path. */
export function readCenters(host: IMetadataHost): Record<string, CenterEntry> {
  const section = readSection(host);
  return { ...((section.centers as Record<string, CenterEntry> | undefined) ?? {}) };
}

/** Store (or replace) the center of one image, keeping everything else. */
export function writeCenter(host: IMetadataHost, imagePath: string, entry: CenterEntry): void {
  if (!imagePath) {
    throw new MetadataError('The image path is empty.');
  }
  if (!Number.isFinite(entry.row) || !Number.isFinite(entry.col)) {
    throw new MetadataError(`The center (${entry.row}, ${entry.col}) is not finite.`);
  }
  const section = readSection(host);
  const centers = { ...((section.centers as Record<string, unknown> | undefined) ?? {}) };
  centers[imagePath] = JSON.parse(JSON.stringify(entry));
  host.setMetadata(METADATA_KEY, { ...section, centers });
}

/** Remove one image's center; returns whether there was one. */
export function removeCenter(host: IMetadataHost, imagePath: string): boolean {
  const section = readSection(host);
  const centers = { ...((section.centers as Record<string, unknown> | undefined) ?? {}) };
  if (!(imagePath in centers)) {
    return false;
  }
  delete centers[imagePath];
  host.setMetadata(METADATA_KEY, { ...section, centers });
  return true;
}
