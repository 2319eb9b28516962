/**
 * Mask files beside images, the one rule for the viewer, the CLI and the Node API (no DOM, no
 * file system): which names are looked for, which name "Save mask" writes, and how a decoded
 * mask image becomes 1 = valid / 0 = masked, its shape checked as height × width.
 */
import type { DiffractionImage } from './image.js';

/** Why a mask file was refused. */
export type MaskFileErrorCode =
  /** The mask's height × width differs from the image's (even when the pixel count is equal). */
  | 'mask-shape'
  /** The mask holds no non-zero value: it would mask every pixel. */
  | 'mask-empty';

/** A mask file that cannot be used with its image. */
export class MaskFileError extends Error {
  constructor(
    readonly code: MaskFileErrorCode,
    message: string
  ) {
    super(message);
    this.name = 'MaskFileError';
  }
}

/**
 * The file names (by extension, lower case, with the dot) whose masks are looked for beside
 * them. Readers of other formats add theirs here.
 */
export const MASKED_IMAGE_EXTENSIONS: readonly string[] = [
  '.tif',
  '.tiff',
  // The other formats `openImage` reads (src/io/open-image.ts IMAGE_EXTENSIONS).
  '.mrc',
  '.mrcs',
  '.dm3',
  '.dm4',
  '.mib',
  '.img',
  '.smv',
  '.cbf',
  '.h5',
  '.hdf5',
  '.nxs',
  '.emd',
  '.hspy'
];

/** `a/b.tif` → `a/b`; null for another kind of file or for a mask file itself. */
function stem(path: string): string | null {
  const m = /^(.*?)(\.[^./]+)$/.exec(path);
  if (!m || !m[1] || m[1].endsWith('/') || /_mask$/i.test(m[1])) {
    return null;
  }
  return MASKED_IMAGE_EXTENSIONS.includes(m[2].toLowerCase()) ? m[1] : null;
}

/**
 * The mask file names looked for beside `path`, in order
 * (`a/b.tif` → `a/b_mask.tif`, `a/b_mask.tiff`); none for a mask file itself.
 */
export function siblingMaskPaths(path: string): string[] {
  const base = stem(path);
  return base === null ? [] : [`${base}_mask.tif`, `${base}_mask.tiff`];
}

/** The path "Save mask" writes for the image at `path` (`a/b.tiff` → `a/b_mask.tif`). */
export function maskPathFor(path: string): string {
  const m = /^(.*?)(\.[^./]+)$/.exec(path);
  return `${m && m[1] && !m[1].endsWith('/') ? m[1] : path}_mask.tif`;
}

/**
 * A decoded mask image as 1 = valid (non-zero, not NaN) / 0 = masked. Refuses a mask whose
 * height × width is not the image's (a transposed mask of the same pixel count included) and a
 * mask that masks every pixel. `name` names the file in the messages.
 */
export function maskFromImage(
  image: Pick<DiffractionImage, 'height' | 'width' | 'data'>,
  height: number,
  width: number,
  name: string
): Uint8Array {
  if (image.height !== height || image.width !== width) {
    throw new MaskFileError(
      'mask-shape',
      `${name} is ${image.height} × ${image.width} but the image is ${height} × ${width}; ` +
        'a mask must have the shape of its image.'
    );
  }
  const mask = new Uint8Array(height * width);
  const data = image.data;
  let valid = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = data[i];
    mask[i] = v !== 0 && !Number.isNaN(v) ? 1 : 0;
    valid += mask[i];
  }
  if (valid === 0) {
    throw new MaskFileError('mask-empty', `${name} masks every pixel (it holds no non-zero value).`);
  }
  return mask;
}
