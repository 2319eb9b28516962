import type { PixelArray, SampleType } from './image.js';

/** The typed array constructor that holds each sample type (`bool` as 0/1 bytes). */
export const ARRAY_TYPES: {
  readonly [T in SampleType]: {
    new (length: number): PixelArray;
    new (buffer: ArrayBuffer, byteOffset?: number, length?: number): PixelArray;
  };
} = {
  bool: Uint8Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array
};

/** View a buffer as the typed array of a sample type (no copy). */
export function typedArrayOf(sampleType: SampleType, buffer: ArrayBuffer): PixelArray {
  return new ARRAY_TYPES[sampleType](buffer);
}
