/**
 * The centering engine: pure TypeScript on typed arrays, no DOM, no JupyterLab.
 * `autocenter` is the entry point; the rest is exported for tests, benchmarks and tools.
 */
export { autocenter, MIN_CROP } from './autocenter.js';
export { CenterError, type CenterErrorCode } from './errors.js';
export {
  autoMask,
  combineMasks,
  hotPixelMask,
  invalidPixelMask,
  type AutoMaskOptions
} from './masking.js';
export { maskedCenterOfMass } from './com.js';
export { maskedGaussianBlur, boxWidths } from './blur.js';
export { capAxis, cropAxis, cropWindow, type CropAxis } from './crop.js';
export { createFft2d, nextPowerOfTwo, type Fft2d } from './fft.js';
export { makePlane, nccAt, nccMap, OVERLAP_RATIO, type NccMap, type Plane, type PlaneBuffers } from './ncc.js';
export { reducePlane, reduceWindow } from './pyramid.js';
export { searchFast, searchLocal, searchReference, type Peak } from './search.js';
export { peakOffset3x3, type PeakOffset } from './subpixel.js';
export {
  isIntegerData,
  isSignedIntegerData,
  isValidPixel,
  pixelValidity,
  saturationValue,
  TWELVE_BIT_SATURATION,
  type PixelValidity,
  type PixelValidityOptions
} from './validity.js';
export type { AutocenterOptions, AutocenterResult, ImageLike } from './types.js';
export {
  maxRadius,
  radialProfile,
  type RadialProfile,
  type RadialProfileOptions
} from './profile.js';
export { PEAK_MIN_SNR, profilePeaks, type ProfilePeak, type ProfilePeakOptions } from './peaks.js';
export {
  polarAzimuth,
  polarRadius,
  polarTransform,
  type PolarImage,
  type PolarOptions
} from './polar.js';
export { profileReport, profileValidMask, type ProfileReport, type ProfileReportOptions } from './profile-report.js';
export { centerSigma, type CenterSigma } from './uncertainty.js';
export { beginWork } from './kernel.js';
