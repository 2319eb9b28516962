/**
 * The automatic intensity scale (the default-scale setting "auto"): a scale chosen from the
 * data's dynamic range under the contrast limits. Pure, no DOM.
 *
 * Diffraction patterns put most pixels in a faint background with a few bright features (the
 * direct beam, Bragg peaks): under percentile limits the median pixel then sits near the bottom
 * of the colormap and a linear scale shows a black image with a bright spot. When the median
 * valid pixel, normalised to the limits, falls below `LOG_MEDIAN_LEVEL`, the log scale is
 * chosen; otherwise linear. (graphite.tif: limits [0, 287], median 2 → 0.007 → log; an even
 * ramp → 0.5 → linear.)
 */
import type { PixelArray } from '../io/image.js';
import { type FrameStats, percentiles } from './contrast.js';
import type { ScaleName } from './lut.js';

/** Below this normalised median the automatic scale is log. */
export const LOG_MEDIAN_LEVEL = 0.1;

/** The scale for a frame shown with limits [vmin, vmax]. */
export function automaticScale(
  data: PixelArray,
  limits: { vmin: number; vmax: number },
  options: { stats?: FrameStats; maskNegative?: boolean } = {}
): ScaleName {
  const span = limits.vmax - limits.vmin;
  const range = options.stats?.range;
  // Nothing to stretch in a flat image (the limits are then [v, v + 1]).
  if (!(span > 0) || (range && !(range.max > range.min))) return 'linear';
  const [median] = percentiles(data, [50], options);
  if (!Number.isFinite(median)) return 'linear';
  return (median - limits.vmin) / span < LOG_MEDIAN_LEVEL ? 'log' : 'linear';
}
