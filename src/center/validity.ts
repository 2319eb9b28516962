/**
 * The one pixel-validity rule of the project: the engine's automatic mask (`invalidPixelMask`)
 * and the viewer's contrast statistics (`src/viewer/contrast.ts`) both use it. No DOM.
 *
 * A pixel is invalid (not a measurement) when it is
 * - NaN or ±Infinity, whatever the sample type;
 * - negative in INTEGER data (signed integer typed arrays): detectors write sentinels there,
 *   e.g. Pilatus -1 for module gaps and -2 for defective pixels. Floating-point data are
 *   measurements or computations: a negative float is a value (a simulation's -1e-16 round-off,
 *   a dark-subtracted frame), never a sentinel;
 * - saturated: equal to the largest value its integer sample type holds (255, 127, 65535, 32767,
 *   4294967295 - also Eiger's gap/defect flag -, 2147483647), or 4095 in 16-bit unsigned data
 *   whose largest value is exactly 4095 (a 12-bit detector stored in 16-bit words: its
 *   saturation is 2^12 - 1, and a frame that holds no value above 4095 but does hold 4095 is
 *   taken to be one; a true 16-bit frame whose brightest pixel happens to be exactly 4095 loses
 *   that one value, which the percentile contrast and the centering do not miss). Floats have no
 *   saturation value.
 */

/** How the values of one array are judged. */
export interface PixelValidity {
  /** Negative values are sentinels (signed integer data, unless turned off). */
  readonly negativeInvalid: boolean;
  /** The saturation value; NaN when the data have none (floats). */
  readonly saturation: number;
}

/** Saturation of a 12-bit detector stored in 16-bit words. */
export const TWELVE_BIT_SATURATION = 4095;

/** Options of `pixelValidity`. */
export interface PixelValidityOptions {
  /**
   * Negative values of integer data are sentinels (default true). The viewer's
   * "Negative values are masked" setting; floats' negatives are valid either way.
   */
  maskNegative?: boolean;
  /** The largest value of the data when already known (spares the 12-bit check a pass). */
  max?: number;
}

/** Whether `data` holds integers by type (typed integer arrays; plain arrays count as floats). */
export function isIntegerData(data: ArrayLike<number>): boolean {
  return (
    data instanceof Uint8Array ||
    data instanceof Uint8ClampedArray ||
    data instanceof Int8Array ||
    data instanceof Uint16Array ||
    data instanceof Int16Array ||
    data instanceof Uint32Array ||
    data instanceof Int32Array
  );
}

/** Whether `data` is a signed integer typed array (the only kind that holds sentinels). */
export function isSignedIntegerData(data: ArrayLike<number>): boolean {
  return data instanceof Int8Array || data instanceof Int16Array || data instanceof Int32Array;
}

/**
 * The saturation value of `data` (NaN for floats and plain arrays). For 16-bit unsigned data it
 * depends on the largest value (`max`, scanned when not given): 4095 when that is exactly 4095.
 */
export function saturationValue(data: ArrayLike<number>, max?: number): number {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) {
    return 255;
  }
  if (data instanceof Int8Array) {
    return 127;
  }
  if (data instanceof Uint16Array) {
    const top = max ?? Private.maxOf(data);
    return top === TWELVE_BIT_SATURATION ? TWELVE_BIT_SATURATION : 65535;
  }
  if (data instanceof Int16Array) {
    return 32767;
  }
  if (data instanceof Uint32Array) {
    return 4294967295;
  }
  if (data instanceof Int32Array) {
    return 2147483647;
  }
  return NaN;
}

/** The rule for the values of `data` (see the module comment). */
export function pixelValidity(
  data: ArrayLike<number>,
  options: PixelValidityOptions = {}
): PixelValidity {
  return {
    negativeInvalid: (options.maskNegative ?? true) && isSignedIntegerData(data),
    saturation: saturationValue(data, options.max)
  };
}

/** Whether one value is a valid measurement under `rule`. */
export function isValidPixel(value: number, rule: PixelValidity): boolean {
  // NaN fails every comparison.
  return (
    value > -Infinity &&
    value < Infinity &&
    !(rule.negativeInvalid && value < 0) &&
    value !== rule.saturation
  );
}

namespace Private {
  export function maxOf(data: Uint16Array): number {
    let max = 0;
    for (let i = 0; i < data.length; i++) {
      if (data[i] > max) {
        max = data[i];
      }
    }
    return max;
  }
}
