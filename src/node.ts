/**
 * The Node API: `import { autocenter, centerFile } from 'jupyterlab-diffraction/center'`.
 * The same engine the JupyterLab Worker runs, plus file helpers (Node only: reads files).
 */
import { readFile, stat } from 'node:fs/promises';
import {
  autoMask,
  autocenter,
  CenterError,
  combineMasks,
  hotPixelMask,
  invalidPixelMask,
  profileReport
} from './center/index.js';
import type { AutocenterOptions, AutocenterResult, ProfileReport, ProfileReportOptions } from './center/index.js';
import { maskFromImage, openTiff, siblingMaskPaths } from './io/index.js';
import type { DiffractionImage } from './io/index.js';

export * from './center/index.js';
export * from './series/index.js';
export { openTiff, encodeTiff, TiffError, MaskFileError, siblingMaskPaths, maskPathFor } from './io/index.js';
export type { DiffractionImage, TiffFile, TiffInfo } from './io/index.js';

/** Options of `centerFile`. */
export interface CenterFileOptions extends Omit<AutocenterOptions, 'mask'> {
  /**
   * A mask file path or mask array (1 = valid). Undefined: use `IMAGE_mask.tif` beside the
   * image if there is one. Null: no mask file.
   */
  mask?: string | Uint8Array | null;
  /** Frame of a multi-page TIFF (default 0). */
  frame?: number;
  /** Also apply scikit-ued's `auto_masking` (dark pixels) on top of the invalid-pixel mask. */
  darkMask?: boolean;
  /**
   * Also return the radial profile about the found center (true: 1 px bins, mean), over the
   * same mask plus invalid and (unless `autoMask` is false) hot pixels.
   */
  profile?: boolean | ProfileReportOptions;
}

/** The engine's result plus where the data came from. */
export interface CenterFileResult extends AutocenterResult {
  file: string;
  frame: number;
  /** The mask file used (null when none). */
  mask: string | null;
  /** How the mask was chosen. */
  maskSource: 'option' | 'sibling' | 'array' | 'none';
  /** What the TIFF reader did to the data (e.g. RGB converted to luminance). */
  notes: string[];
  /** With the `profile` option: the radial profile about the center and its peaks. */
  profile?: ProfileReport;
}

/** Read one frame of a TIFF file. */
export async function readTiffFrame(path: string, frame = 0): Promise<DiffractionImage> {
  return (await Private.readFrameWithNotes(path, frame)).image;
}

/**
 * Read a mask TIFF (first frame) as 1 = valid (any non-zero value). With `shape`, refuses a mask
 * whose height × width differs from it (`MaskFileError` 'mask-shape').
 */
export async function readMaskFile(
  path: string,
  shape?: { height: number; width: number }
): Promise<Uint8Array> {
  const image = await readTiffFrame(path, 0);
  return maskFromImage(image, shape?.height ?? image.height, shape?.width ?? image.width, path);
}

/** The first of `siblingMaskPaths(path)` (`IMAGE_mask.tif`, `.tiff`) that exists, or null. */
export async function findSiblingMask(path: string): Promise<string | null> {
  for (const candidate of siblingMaskPaths(path)) {
    try {
      if ((await stat(candidate)).isFile()) {
        return candidate;
      }
    } catch {
      // not there
    }
  }
  return null;
}

/** Center the pattern in a TIFF file. */
export async function centerFile(
  path: string,
  options: CenterFileOptions = {}
): Promise<CenterFileResult> {
  const frame = options.frame ?? 0;
  const { image, notes } = await Private.readFrameWithNotes(path, frame);
  let maskPath: string | null = null;
  let maskSource: CenterFileResult['maskSource'] = 'none';
  let mask: Uint8Array | null = null;
  if (options.mask instanceof Uint8Array) {
    mask = options.mask;
    maskSource = 'array';
  } else if (typeof options.mask === 'string') {
    maskPath = options.mask;
    maskSource = 'option';
  } else if (options.mask === undefined) {
    maskPath = await findSiblingMask(path);
    maskSource = maskPath ? 'sibling' : 'none';
  }
  if (maskPath) {
    mask = await readMaskFile(maskPath, image);
  }
  if (options.darkMask) {
    mask = combineMasks(mask, autoMask(image));
  }
  const result = autocenter(image, {
    normalizeBackground: options.normalizeBackground,
    maxIterations: options.maxIterations,
    autoMask: options.autoMask,
    route: options.route,
    signal: options.signal,
    onProgress: options.onProgress,
    mask
  });
  const found: CenterFileResult = { ...result, file: path, frame, mask: maskPath, maskSource, notes };
  if (options.profile) {
    found.profile = Private.profileAbout(image, found, mask, options);
  }
  return found;
}

/** An image file opened for reading: what it holds, its frames on demand. */
export interface ImageFile {
  readonly path: string;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  readonly sampleType: DiffractionImage['sampleType'];
  /** What the reader did or found (e.g. RGB converted to luminance). */
  readonly notes: string[];
  /** Decode one frame (TiffError when it cannot be read). */
  readFrame(index: number): Promise<DiffractionImage>;
}

/**
 * Open an image file (today: TIFF): the one place the Node API and the CLI read image files
 * from disk. The file is read once; frames are decoded on demand.
 */
export async function openImageFile(path: string): Promise<ImageFile> {
  const bytes = await readFile(path);
  const tiff = await openTiff(bytes);
  const { frames, height, width, sampleType, notes } = tiff.info;
  return { path, frames, height, width, sampleType, notes: [...notes], readFrame: i => tiff.readFrame(i) };
}

namespace Private {
  /** The profile about the found center, leaving out what the engine left out. */
  export function profileAbout(
    image: DiffractionImage,
    center: { row: number; col: number },
    mask: Uint8Array | null,
    options: CenterFileOptions
  ): ProfileReport {
    let valid = invalidPixelMask(image);
    if (options.autoMask ?? true) {
      valid = hotPixelMask(image, valid);
    }
    if (mask) {
      for (let i = 0; i < valid.length; i++) {
        valid[i] = valid[i] && mask[i] ? 1 : 0;
      }
    }
    const settings = typeof options.profile === 'object' ? options.profile : {};
    return profileReport(image, { row: center.row, col: center.col }, valid, settings);
  }

  /** One frame and what the reader noted about the file (e.g. RGB converted to luminance). */
  export async function readFrameWithNotes(
    path: string,
    frame: number
  ): Promise<{ image: DiffractionImage; notes: string[] }> {
    const file = await openImageFile(path);
    if (!Number.isInteger(frame) || frame < 0 || frame >= file.frames) {
      throw new CenterError(
        'invalid-input',
        `frame ${frame} does not exist: ${path} has ${file.frames} frame(s)`
      );
    }
    return { image: await file.readFrame(frame), notes: file.notes };
  }
}
