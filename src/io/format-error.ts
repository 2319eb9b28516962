/**
 * The typed error of the readers of formats other than TIFF (MRC, DM3/DM4, MIB, SMV, CBF,
 * HDF5) and of the dispatcher `openImage`. `code` is stable and machine-readable and shares
 * the TIFF reader's codes where the meaning is the same; `format` names the reader.
 * (The TIFF reader keeps throwing its own `TiffError`.)
 */
import type { TiffErrorCode } from './errors.js';

/** The file formats `openImage` reads. */
export type ImageFormat = 'tiff' | 'mrc' | 'dm3' | 'dm4' | 'mib' | 'smv' | 'cbf' | 'hdf5';

/** Why a file was refused. */
export type FormatErrorCode =
  /** Same meanings as for TIFF ('truncated', 'bad-dimensions', 'too-large', 'corrupt', ...). */
  | Exclude<TiffErrorCode, 'not-tiff'>
  /** Neither the magic bytes nor the extension name a format these readers know. */
  | 'unknown-format'
  /** The file has the format's signature but not the structure its reader expects. */
  | 'not-this-format'
  /** The file holds no image (e.g. a DM file with a thumbnail only, an HDF5 file without a 2-D/3-D dataset). */
  | 'no-image'
  /** An HDF5 dataset path given by the caller is not in the file, or is not an image. */
  | 'no-such-dataset'
  /** The image data lives in another file (HDF5 external link) that was not provided. */
  | 'linked-file-missing'
  /** The file could not be read from the server (a failed or refused HTTP request). */
  | 'fetch-failed';

/** Anything wrong with a non-TIFF image file. */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly code: FormatErrorCode,
    readonly format: ImageFormat | 'unknown',
    options?: { cause?: unknown; linkedFile?: string }
  ) {
    super(message, options);
    this.name = 'FormatError';
    if (options?.linkedFile !== undefined) this.linkedFile = options.linkedFile;
  }

  /** 'linked-file-missing': the file name the external link names (as written in the link). */
  readonly linkedFile?: string;
}
