/**
 * The defaults of a viewer and the one validator of the values its model takes in (settings,
 * user input, a restored layout). The defaults are those of schema/viewer.json, the source:
 * tests/viewer/model.test.ts fails when they differ. Pure, no DOM.
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { parseColor as parseColorOr, type RGBA } from '../io/color.js';
import { type ColormapName, isColormapName } from './colormaps.js';
import { isScaleName, type ScaleName } from './lut.js';

/** The default-scale setting: a scale, or "auto" (chosen from each image's data). */
export type ScaleSetting = ScaleName | 'auto';

/** Defaults from the settings (schema/viewer.json). */
export interface IDefaults {
  colormap: ColormapName;
  scale: ScaleSetting;
  gamma: number;
  invert: boolean;
  /** Auto-contrast low percentile (0..100). */
  lowPercentile: number;
  /** Auto-contrast high percentile (0..100). */
  highPercentile: number;
  /** Treat negative values as masked detector sentinels. */
  maskNegative: boolean;
  /** CSS hex color (#rrggbb or #rrggbbaa) of invalid pixels. */
  invalidColor: string;
  /** Seconds between checks of the file on disk (0: never). */
  pollInterval: number;
}

/**
 * The defaults of schema/viewer.json, for a viewer made without the settings (tests,
 * benches). The schema is the source: tests/viewer/model.test.ts fails when they differ.
 */
export const DEFAULTS: Readonly<IDefaults> = Object.freeze({
  colormap: 'inferno',
  scale: 'auto',
  gamma: 0.5,
  invert: false,
  lowPercentile: 0.175,
  highPercentile: 99.825,
  maskNegative: true,
  invalidColor: '#00c8ff',
  pollInterval: 2
});

/** The state kept across reloads (the layout restorer's args). */
export interface IState {
  frame: number;
  colormap: ColormapName;
  scale: ScaleName;
  gamma: number;
  invert: boolean;
  auto: boolean;
  vmin: number;
  vmax: number;
  low: number;
  high: number;
  fit: boolean;
  zoom: number;
  /** The image point at the middle of the stage. */
  viewRow: number;
  viewCol: number;
}

/** The one validator of every value the model takes in. */
export const validate = {
  /** Percentiles: finite, 0 ≤ low < high ≤ 100. */
  percentiles(low: unknown, high: unknown): low is number {
    return (
      typeof low === 'number' && typeof high === 'number' && Number.isFinite(low) && Number.isFinite(high) &&
      low >= 0 && high <= 100 && low < high
    );
  },
  /** Contrast limits: finite, vmax > vmin. */
  limits(vmin: unknown, vmax: unknown): vmin is number {
    return typeof vmin === 'number' && typeof vmax === 'number' && Number.isFinite(vmin) && Number.isFinite(vmax) && vmax > vmin;
  },
  /** Gamma: finite and positive. */
  gamma(value: unknown): value is number {
    return typeof value === 'number' && Number.isFinite(value) && value > 0;
  },
  /** Zoom: finite and positive (clamped to the zoom limits where it is used). */
  zoom(value: unknown): value is number {
    return typeof value === 'number' && Number.isFinite(value) && value > 0;
  },
  /** Frame index: a non-negative integer. */
  frame(value: unknown): value is number {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0;
  },
  /** A CSS hex color #rrggbb or #rrggbbaa. */
  color(value: unknown): value is string {
    return typeof value === 'string' && /^#?[0-9a-f]{6}([0-9a-f]{2})?$/i.test(value.trim());
  },
  /** The default-scale setting. */
  scaleSetting(value: unknown): value is ScaleSetting {
    return value === 'auto' || isScaleName(value);
  }
};

/**
 * Defaults from the settings' composite (schema defaults + the user's values): each value
 * that fails the validator falls back to `DEFAULTS` (percentiles as a pair).
 */
export function defaultsFrom(composite: ReadonlyPartialJSONObject | Partial<IDefaults> | null | undefined): IDefaults {
  const c = (composite ?? {}) as Record<string, unknown>;
  const d = DEFAULTS;
  const pick = <K extends keyof IDefaults>(key: K, ok: (v: unknown) => boolean): IDefaults[K] =>
    ok(c[key]) ? (c[key] as IDefaults[K]) : d[key];
  const percentilesOk = validate.percentiles(c.lowPercentile, c.highPercentile);
  return {
    colormap: pick('colormap', isColormapName),
    scale: pick('scale', validate.scaleSetting),
    gamma: pick('gamma', validate.gamma),
    invert: pick('invert', v => typeof v === 'boolean'),
    lowPercentile: percentilesOk ? (c.lowPercentile as number) : d.lowPercentile,
    highPercentile: percentilesOk ? (c.highPercentile as number) : d.highPercentile,
    maskNegative: pick('maskNegative', v => typeof v === 'boolean'),
    invalidColor: pick('invalidColor', validate.color),
    pollInterval: pick('pollInterval', v => typeof v === 'number' && Number.isFinite(v) && v >= 0)
  };
}

/** RGBA (0..255) of the invalid-pixel color setting (the default's for anything unreadable). */
export function parseColor(text: string): RGBA {
  return parseColorOr(text, parseColorOr(DEFAULTS.invalidColor, [0, 200, 255, 255]));
}
