/**
 * Centers in notebook metadata: one entry per image, one center per frame.
 *
 *   metadata.diffraction.centers["../data/stack.tif"] = {
 *     serverPath: "data/stack.tif",      // relative to the server root
 *     shape: [512, 512],
 *     frames: { "0": {row, col, mask, method, score, options, created, version}, "5": {...} },
 *     series: { frame: [0, 1, ...], row: [...], col: [...], score: [...], ... },  // all frames
 *     fit: { kind: "linear", row: [a, b], col: [c, d], ... }                     // if made
 *   }
 *
 * `series` holds the centers of every frame (Find Centers of All Frames) as per-frame arrays,
 * compact for thousands of frames; `frames` the centers written one frame at a time. A frame
 * written one at a time after the series replaces the series' center of that frame (readers
 * take `frames` over `series`); writing a series folds the `frames` it covers into it.
 *
 * The key is the image path relative to the notebook's folder (what the kernel opens). Entries
 * of the first format (`centers[<server path>] = {row, col, frame, shape, ...}`, one frame per
 * image) are still read, and folded into the new format when their image gets a new center.
 *
 * Works on anything with JupyterLab 4's metadata API (`INotebookModel`, or the shared
 * `YNotebook` behind it). Every other metadata key, and every other image's entry, is kept.
 */
import type { ImagePaths } from './paths.js';

/** The top-level notebook metadata key owned by this extension. */
export const METADATA_KEY = 'diffraction';

/** How the center was obtained. */
export type CenterMethod = 'autocenter' | 'manual';

/** One center of one frame, as the viewer gives it to be stored. */
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
  /**
   * The engine's standard uncertainty (row, col) of the center in pixels (null for a manual
   * center; absent in entries written before it existed).
   */
  sigma?: [number, number] | null;
  /** Engine options used. */
  options: Record<string, unknown>;
  /** ISO-8601 time of creation. */
  created: string;
  /** Version of jupyterlab-diffraction that wrote it. */
  version: string;
}

/** The center of one frame as stored under `frames`. */
export type FrameCenter = Omit<CenterEntry, 'frame' | 'shape'>;

/** One image's entry: its centers by frame index (decimal string keys, JSON objects). */
export interface ImageCenters {
  /** The image path relative to the server root. */
  serverPath: string;
  /** Image shape `[height, width]`. */
  shape: [number, number];
  frames: Record<string, FrameCenter>;
  /** The centers of every frame, as per-frame arrays (`writeSeries`). */
  series?: SeriesEntry;
  /** The robust fit of the series' drift, if one was made. */
  fit?: SeriesFit;
}

/** The centers of every frame of an image as per-frame arrays (null where a frame failed). */
export interface SeriesEntry {
  frame: number[];
  row: (number | null)[];
  col: (number | null)[];
  score: (number | null)[];
  /** Standard uncertainty per frame (null where unknown). */
  sigma_row: (number | null)[];
  sigma_col: (number | null)[];
  /** 'full' (the engine's search), 'tracked' (seeded with the previous frame) or 'manual'. */
  method: string[];
  jump: boolean[];
  outlier: boolean[];
  /** Why a frame failed, by frame. */
  errors: Record<string, string>;
  mask: string | null;
  options: Record<string, unknown>;
  created: string;
  version: string;
}

/** A robust fit of the drift (src/series/drift.ts's `DriftFit`, with its description). */
export interface SeriesFit {
  kind: 'linear' | 'plane';
  row: number[];
  col: number[];
  scanWidth?: number;
  sigma: [number, number];
  outliers: number[];
  count: number;
  description: string;
}

/** One stored center with its image, as listed by `listCenters`. */
export interface ListedCenter extends CenterEntry {
  /** The entry's key: the image path relative to the notebook's folder. */
  image: string;
  serverPath: string;
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

/** The centers stored in a notebook, by image (entries of the first format converted). */
export function readCenters(host: IMetadataHost): Record<string, ImageCenters> {
  const centers = Private.centersOf(Private.readSection(host));
  const result: Record<string, ImageCenters> = {};
  for (const [key, value] of Object.entries(centers)) {
    const entry = Private.normalize(key, value);
    if (entry) {
      result[key] = entry;
    }
  }
  return result;
}

/** Every stored center, image by image, frames in increasing order. */
export function listCenters(host: IMetadataHost): ListedCenter[] {
  return Object.entries(readCenters(host)).flatMap(([image, entry]) =>
    Object.keys(entry.frames)
      .sort((a, b) => Number(a) - Number(b))
      .map(frame => ({
        image,
        serverPath: entry.serverPath,
        shape: entry.shape,
        frame: Number(frame),
        ...entry.frames[frame]
      }))
  );
}

/** One image's series of centers as summed up by `listSeries` (the per-frame arrays stay in the entry). */
export interface ListedSeries {
  /** The entry's key: the image path relative to the notebook's folder. */
  image: string;
  serverPath: string;
  /** Frames in the series, and how many have a center (the others failed). */
  frames: number;
  centered: number;
  /** Smallest and largest row and column of the centers found (null when none was). */
  rowRange: [number, number] | null;
  colRange: [number, number] | null;
  /** Frames by method ('full', 'tracked', 'manual'). */
  methods: Record<string, number>;
  jumps: number;
  outliers: number;
  /** The drift fit's description, or null. */
  fit: string | null;
  created: string;
}

/** The series entries stored in a notebook (`writeSeries`), one summary per image. */
export function listSeries(host: IMetadataHost): ListedSeries[] {
  return Object.entries(readCenters(host)).flatMap(([image, entry]) => {
    const series = entry.series;
    if (!series || !Array.isArray(series.frame)) {
      return [];
    }
    const found = series.frame.map((_, i) => i).filter(i => Number.isFinite(series.row?.[i]) && Number.isFinite(series.col?.[i]));
    const range = (values: (number | null)[]): [number, number] | null =>
      found.length ? [Math.min(...found.map(i => values[i] as number)), Math.max(...found.map(i => values[i] as number))] : null;
    const methods: Record<string, number> = {};
    for (const method of series.method ?? []) {
      methods[method] = (methods[method] ?? 0) + 1;
    }
    const count = (flags: boolean[] | undefined) => (flags ?? []).filter(Boolean).length;
    return [
      {
        image,
        serverPath: entry.serverPath,
        frames: series.frame.length,
        centered: found.length,
        rowRange: range(series.row),
        colRange: range(series.col),
        methods,
        jumps: count(series.jump),
        outliers: count(series.outlier),
        fit: typeof entry.fit?.description === 'string' ? entry.fit.description : null,
        created: String(series.created ?? '')
      }
    ];
  });
}

/**
 * Store (or replace) the center of one frame of one image, keeping the image's other frames,
 * every other image and every other key. `image` is the image's paths for this notebook (a
 * single string stands for both). A stored entry of another image shape (the file was
 * replaced) starts afresh.
 */
export function writeCenter(host: IMetadataHost, image: ImagePaths | string, entry: CenterEntry): void {
  const { path, serverPath } = typeof image === 'string' ? { path: image, serverPath: image } : image;
  if (!path || !serverPath) {
    throw new MetadataError('The image path is empty.');
  }
  if (!Number.isFinite(entry.row) || !Number.isFinite(entry.col)) {
    throw new MetadataError(`The center (${entry.row}, ${entry.col}) is not finite.`);
  }
  if (!Number.isInteger(entry.frame) || entry.frame < 0) {
    throw new MetadataError(`The frame index ${entry.frame} is not a non-negative integer.`);
  }
  const section = Private.readSection(host);
  const centers = { ...Private.centersOf(section) };
  const { frame, shape, ...center } = JSON.parse(JSON.stringify(entry)) as CenterEntry;
  const frames: Record<string, FrameCenter> = {};
  let kept: Partial<ImageCenters> = {};
  // This image's earlier centers: under its key, and (first format) under its server path.
  for (const key of path === serverPath ? [path] : [serverPath, path]) {
    const old = key in centers ? Private.normalize(key, centers[key]) : undefined;
    if (!old || (key !== path && !Private.isFirstFormat(centers[key]))) {
      continue;
    }
    if (old.shape[0] === shape[0] && old.shape[1] === shape[1]) {
      Object.assign(frames, old.frames);
      if (key === path) {
        // The series and its fit stay; this frame's own center now comes first.
        kept = Object.fromEntries(
          Object.entries(old).filter(([name]) => !['serverPath', 'shape', 'frames'].includes(name))
        );
      }
    }
    if (key !== path) {
      delete centers[key];
    }
  }
  frames[String(frame)] = center;
  const value: ImageCenters = { ...kept, serverPath, shape, frames };
  centers[path] = value;
  host.setMetadata(METADATA_KEY, { ...section, centers });
}

/**
 * Store (or replace) the centers of every frame of one image as per-frame arrays, with the fit
 * of their drift (or none). Centers of single frames stored before (`writeCenter`) for frames
 * the series covers are folded into it; the others, every other image and every other key stay.
 * An entry of another image shape starts afresh.
 */
export function writeSeries(
  host: IMetadataHost,
  image: ImagePaths,
  shape: [number, number],
  series: SeriesEntry,
  fit: SeriesFit | null
): void {
  const { path, serverPath } = image;
  if (!path || !serverPath) {
    throw new MetadataError('The image path is empty.');
  }
  const n = series.frame.length;
  for (const key of ['row', 'col', 'score', 'sigma_row', 'sigma_col', 'method', 'jump', 'outlier'] as const) {
    if (series[key].length !== n) {
      throw new MetadataError(`The series' ${key} has ${series[key].length} values for ${n} frames.`);
    }
  }
  const section = Private.readSection(host);
  const centers = { ...Private.centersOf(section) };
  const old = path in centers ? Private.normalize(path, centers[path]) : undefined;
  const frames: Record<string, FrameCenter> = {};
  if (old && old.shape[0] === shape[0] && old.shape[1] === shape[1]) {
    const covered = new Set(series.frame.map(String));
    for (const [frame, center] of Object.entries(old.frames)) {
      if (!covered.has(frame)) {
        frames[frame] = center;
      }
    }
  }
  const value: ImageCenters = {
    serverPath,
    shape,
    frames,
    series: JSON.parse(JSON.stringify(series)) as SeriesEntry,
    ...(fit ? { fit: JSON.parse(JSON.stringify(fit)) as SeriesFit } : {})
  };
  centers[path] = value;
  host.setMetadata(METADATA_KEY, { ...section, centers });
}

/**
 * Remove one frame's center (or, without `frame`, all of an image's); returns whether there
 * was one. An image left without frames is removed.
 */
export function removeCenter(host: IMetadataHost, image: string, frame?: number): boolean {
  const section = Private.readSection(host);
  const centers = { ...Private.centersOf(section) };
  if (!(image in centers)) {
    return false;
  }
  if (frame !== undefined) {
    const entry = Private.normalize(image, centers[image]);
    if (!entry || !(String(frame) in entry.frames)) {
      return false;
    }
    delete entry.frames[String(frame)];
    if (Object.keys(entry.frames).length > 0) {
      centers[image] = entry;
      host.setMetadata(METADATA_KEY, { ...section, centers });
      return true;
    }
  }
  delete centers[image];
  host.setMetadata(METADATA_KEY, { ...section, centers });
  return true;
}

namespace Private {
  export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** The `diffraction` metadata object, validated (an empty one when absent). */
  export function readSection(host: IMetadataHost): Record<string, unknown> {
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

  export function centersOf(section: Record<string, unknown>): Record<string, unknown> {
    return (section.centers as Record<string, unknown> | undefined) ?? {};
  }

  /** An entry of the first format: one center (`row`, `col`, `frame`) per image. */
  export function isFirstFormat(value: unknown): value is CenterEntry {
    return isPlainObject(value) && !('frames' in value) && typeof value.row === 'number';
  }

  /** An entry in the current format (a copy), or undefined for something unreadable. */
  export function normalize(key: string, value: unknown): ImageCenters | undefined {
    if (isFirstFormat(value)) {
      const { frame, shape, ...center } = JSON.parse(JSON.stringify(value)) as CenterEntry;
      return { serverPath: key, shape, frames: { [String(Number.isInteger(frame) ? frame : 0)]: center } };
    }
    if (!isPlainObject(value) || !isPlainObject(value.frames)) {
      return undefined;
    }
    const copy = JSON.parse(JSON.stringify(value)) as ImageCenters;
    return { ...copy, serverPath: typeof copy.serverPath === 'string' ? copy.serverPath : key };
  }
}
