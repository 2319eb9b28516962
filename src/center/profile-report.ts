/**
 * The radial profile and its peaks as one plain, JSON-ready record (number arrays, NaN for empty
 * bins, which JSON writes as null): what the Node API (`centerFile(path, { profile: true })`)
 * and the CLI (`--profile`) return about the found center.
 */
import { hotPixelMask, invalidPixelMask } from './masking.js';
import { profilePeaks, type ProfilePeak } from './peaks.js';
import { radialProfile } from './profile.js';
import type { ImageLike } from './types.js';

/**
 * The pixels a profile about a found center uses: what the engine used (the validity rule's
 * invalid pixels, hot pixels when `autoMask` is on, as Find Center's automatic mask) and the
 * given mask (1 = valid). The Node API, the CLI and the viewer's profile panel share it.
 */
export function profileValidMask(image: ImageLike, mask: Uint8Array | null, autoMask = true): Uint8Array {
  let valid = invalidPixelMask(image);
  if (autoMask) {
    valid = hotPixelMask(image, valid);
  }
  if (mask) {
    for (let i = 0; i < valid.length; i++) {
      valid[i] = valid[i] && mask[i] ? 1 : 0;
    }
  }
  return valid;
}

/** Options of a profile report: bin width (px) and statistic, as `radialProfile`'s. */
export interface ProfileReportOptions {
  binWidth?: number;
  statistic?: 'mean' | 'median';
}

/** A radial profile about a center, with its prominent peaks. */
export interface ProfileReport {
  center: { row: number; col: number };
  /** Bin k covers k * binWidth <= r < (k + 1) * binWidth (pixel centers at integers). */
  binWidth: number;
  statistic: 'mean' | 'median';
  /** Middle of each bin, (k + 0.5) * binWidth. */
  radius: number[];
  /** NaN (JSON null) where the bin holds no valid pixel. */
  value: number[];
  count: number[];
  peaks: ProfilePeak[];
}

/** The profile of `image` about `center` (mask: 1 = valid) and its peaks. */
export function profileReport(
  image: ImageLike,
  center: { row: number; col: number },
  mask: Uint8Array | null,
  options: ProfileReportOptions = {}
): ProfileReport {
  const profile = radialProfile(image, center, { mask, binWidth: options.binWidth, statistic: options.statistic });
  return {
    center: profile.center,
    binWidth: profile.binWidth,
    statistic: profile.statistic,
    radius: Array.from(profile.radius),
    value: Array.from(profile.value),
    count: Array.from(profile.count),
    peaks: profilePeaks(profile)
  };
}
