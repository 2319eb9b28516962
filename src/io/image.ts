/**
 * The one image type every room of the project shares (viewer, Worker, CLI, engine).
 *
 * Pixels are stored row-major: the value at (row, col) is `data[row * width + col]`,
 * exactly as numpy's `im[row, col]` for a C-ordered array. No DOM here.
 */

/** The sample type of a decoded frame, named as numpy names dtypes. */
export type SampleType =
  | 'bool'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'float64';

/** Any typed array a frame may be held in. */
export type PixelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** One decoded 2-D frame. */
export interface DiffractionImage {
  /** Number of rows. */
  readonly height: number;
  /** Number of columns. */
  readonly width: number;
  /** Row-major pixel values, length `height * width`. */
  readonly data: PixelArray;
  /** Sample type of `data` as stored in the file. */
  readonly sampleType: SampleType;
}
