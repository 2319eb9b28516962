/**
 * The project's one error type for anything wrong with a TIFF file (reading or writing).
 * `code` is stable and machine-readable; `message` names the problem for a scientist.
 */

/** Why a file was refused. */
export type TiffErrorCode =
  /** Not a TIFF at all (wrong magic / byte-order mark). */
  | 'not-tiff'
  /** The file ends before a structure or pixel block it declares. */
  | 'truncated'
  /** Zero, negative or absurd width/height/frame count, or frames of different sizes. */
  | 'bad-dimensions'
  /** A compression scheme this reader does not decode (JPEG, CCITT, ...). */
  | 'unsupported-compression'
  /** A pixel layout this reader does not decode (12-bit packed, palette, planar RGB ...). */
  | 'unsupported-format'
  /** Decoding would need more memory than the budget allows. */
  | 'too-large'
  /** Inconsistent structure or undecodable compressed data. */
  | 'corrupt'
  /** `readFrame`/`frameInfo` asked for a page the file does not have. */
  | 'frame-out-of-range';

/** The project's own error type for anything wrong with a TIFF file. */
export class TiffError extends Error {
  constructor(
    message: string,
    readonly code: TiffErrorCode,
    options?: { cause?: unknown }
  ) {
    super(message, options);
    this.name = 'TiffError';
  }
}
