/**
 * Shared pieces of the binary readers: a bounded view of the file's bytes, and uncompressed
 * frames (any byte order) copied into a native typed array after checking the file holds them
 * and the memory budget allows them. No DOM.
 */
import { FormatError, type ImageFormat } from './format-error.js';
import type { DiffractionImage, PixelArray, SampleType } from './image.js';
import { ARRAY_TYPES } from './typed.js';

/** Bytes per sample of each stored type. */
export const BYTES_PER_SAMPLE: Readonly<Record<SampleType, number>> = {
  bool: 1,
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8
};

/** Whether this machine is little-endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A Uint8Array over any ArrayBuffer or view (no copy). */
export function asBytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
}

/** Latin-1 text of a byte range (headers are ASCII). */
export function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  const stop = Math.min(end, bytes.length);
  for (let i = Math.max(0, start); i < stop; i++) {
    s += String.fromCharCode(bytes[i]);
  }
  return s;
}

/** Refuse a width × height × frames that is not a positive integer size. */
export function checkDimensions(
  format: ImageFormat,
  height: number,
  width: number,
  frames: number
): void {
  const ok = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && n <= 2 ** 31;
  if (!ok(height) || !ok(width) || !ok(frames)) {
    throw new FormatError(
      `bad dimensions: the ${format.toUpperCase()} header declares ${frames} frame(s) of ${height} × ${width} pixels`,
      'bad-dimensions',
      format
    );
  }
}

/** Refuse a frame whose decoded size exceeds the budget (before allocating it). */
export function checkBudget(
  format: ImageFormat,
  height: number,
  width: number,
  sampleType: SampleType,
  maxBytes: number
): void {
  const bytes = height * width * BYTES_PER_SAMPLE[sampleType];
  if (bytes > maxBytes) {
    throw new FormatError(
      `too large: one ${height} × ${width} ${sampleType} frame needs ${bytes} bytes, over the ${maxBytes}-byte budget`,
      'too-large',
      format
    );
  }
}

/** Refuse a frame index outside 0..frames-1. */
export function checkFrameIndex(format: ImageFormat, index: number, frames: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= frames) {
    throw new FormatError(
      `frame ${index} is out of range: the file has ${frames} frame${frames === 1 ? '' : 's'} (0–${frames - 1})`,
      'frame-out-of-range',
      format
    );
  }
}

/** Allocate a frame's typed array, turning an allocation failure into 'too-large'. */
export function allocate(format: ImageFormat, sampleType: SampleType, length: number): PixelArray {
  try {
    return new ARRAY_TYPES[sampleType](length);
  } catch (e) {
    throw new FormatError(`too large: cannot allocate ${length} samples (${String(e)})`, 'too-large', format, {
      cause: e
    });
  }
}

/**
 * Copy one uncompressed frame of `height × width` samples stored at `offset` (row-major, x
 * fastest) in the given byte order into a native array. Refuses with 'truncated' when the file
 * ends before the frame does.
 */
export function readRawFrame(
  format: ImageFormat,
  bytes: Uint8Array,
  offset: number,
  height: number,
  width: number,
  sampleType: SampleType,
  littleEndian: boolean,
  where: string
): DiffractionImage {
  const n = height * width;
  const size = BYTES_PER_SAMPLE[sampleType];
  if (offset < 0 || offset + n * size > bytes.length) {
    throw new FormatError(
      `truncated: ${where} needs bytes ${offset}–${offset + n * size} but the file has ${bytes.length}`,
      'truncated',
      format
    );
  }
  const out = allocate(format, sampleType, n);
  const target = new Uint8Array(out.buffer);
  target.set(bytes.subarray(offset, offset + n * size));
  if (size > 1 && littleEndian !== HOST_LITTLE_ENDIAN) {
    swapBytes(target, size);
  }
  return { height, width, data: out, sampleType };
}

/** Reverse the byte order of every `size`-byte sample in place. */
export function swapBytes(target: Uint8Array, size: number): void {
  for (let i = 0; i + size <= target.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = target[a];
      target[a] = target[b];
      target[b] = t;
    }
  }
}

/** IEEE half floats (stored in any byte order) to float32. */
export function halfToFloat32(bytes: Uint8Array, offset: number, n: number, littleEndian: boolean): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = bytes[offset + 2 * i];
    const b = bytes[offset + 2 * i + 1];
    const h = littleEndian ? a | (b << 8) : (a << 8) | b;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] =
      exp === 0
        ? sign * 2 ** -14 * (frac / 1024)
        : exp === 31
          ? frac
            ? NaN
            : sign * Infinity
          : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

/** Run a step, turning anything unexpected into a 'corrupt' FormatError (last line of defence). */
export function guardFormat<T>(format: ImageFormat, what: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    throw asFormatError(format, what, e);
  }
}

/** Any exception as a FormatError ('corrupt', or 'too-large' for allocation failures). */
export function asFormatError(format: ImageFormat, what: string, e: unknown): FormatError {
  if (e instanceof FormatError) {
    return e;
  }
  if (e instanceof RangeError && /allocat|Array buffer|Invalid typed array length/i.test(e.message)) {
    return new FormatError(`too large: ${what} could not allocate memory (${e.message})`, 'too-large', format, {
      cause: e
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new FormatError(`corrupt ${format.toUpperCase()} file: ${what} failed: ${message}`, 'corrupt', format, {
    cause: e
  });
}
