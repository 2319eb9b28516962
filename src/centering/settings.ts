/**
 * The settings of the find-center plugin (`jupyterlab-diffraction:center`): engine options,
 * masks, the crosshair and the notebook bridge, read from the composite settings (the schema
 * holds the defaults; these are used only without a setting registry).
 */
import type { CenterRequestOptions } from '../worker/center-protocol.js';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

/** Settings a find-center session reads. */
export interface CenterSettings {
  normalizeBackground: 'auto' | 'on' | 'off';
  maxIterations: number;
  autoMask: boolean;
  route: 'fast' | 'reference';
  loadSiblingMask: boolean;
  autoMaskThreshold: number;
  ringRadii: number[];
  /** Guide rings at the radial profile's peaks about the center instead of `ringRadii`. */
  ringsFollowPeaks: boolean;
  maskColor: string;
  maskOpacity: number;
  crosshairColor: string;
}

/** Settings of the notebook bridge. */
export interface BridgeSettings {
  writeOnFind: boolean;
  saveNotebook: boolean;
  variableName: string;
  copyFormat: 'python' | 'json';
}

/** Both, as the plugin holds them. */
export interface CenterPluginSettings {
  center: CenterSettings;
  bridge: BridgeSettings;
}

export const DEFAULT_CENTER_SETTINGS: CenterSettings = {
  normalizeBackground: 'auto',
  maxIterations: 5,
  autoMask: true,
  route: 'fast',
  loadSiblingMask: true,
  autoMaskThreshold: 0.1,
  ringRadii: [],
  ringsFollowPeaks: false,
  maskColor: '#ff3d7f',
  maskOpacity: 0.4,
  crosshairColor: '#39ff14'
};

export const DEFAULT_BRIDGE_SETTINGS: BridgeSettings = {
  writeOnFind: false,
  saveNotebook: false,
  variableName: 'center',
  copyFormat: 'python'
};

/**
 * Where the commands read and write the plugin's settings: the plugin's `ISettings`
 * (`set(key, value)` saves through the server and the change comes back as `changed`), or
 * memory when JupyterLab has no setting registry.
 */
export interface ICenterSettingsStore {
  current: CenterPluginSettings;
  set(key: keyof CenterSettings | keyof BridgeSettings, value: number[] | string | number | boolean): Promise<void>;
}

/** Find-center and bridge settings from the composite settings, with defaults. */
export function centerSettingsFrom(composite: ReadonlyPartialJSONObject): CenterPluginSettings {
  const c = { ...DEFAULT_CENTER_SETTINGS, ...(composite as Partial<CenterSettings>) };
  const b = { ...DEFAULT_BRIDGE_SETTINGS, ...(composite as Partial<BridgeSettings>) };
  return {
    center: {
      normalizeBackground: c.normalizeBackground,
      maxIterations: c.maxIterations,
      autoMask: c.autoMask,
      route: c.route,
      loadSiblingMask: c.loadSiblingMask,
      autoMaskThreshold: c.autoMaskThreshold,
      ringRadii: [...c.ringRadii],
      ringsFollowPeaks: c.ringsFollowPeaks,
      maskColor: c.maskColor,
      maskOpacity: c.maskOpacity,
      crosshairColor: c.crosshairColor
    },
    bridge: {
      writeOnFind: b.writeOnFind,
      saveNotebook: b.saveNotebook,
      variableName: b.variableName,
      copyFormat: b.copyFormat
    }
  };
}

/** Guide ring radii typed by the user ("120, 240 360"); null when one is not a positive number. */
export function parseRingRadii(text: string): number[] | null {
  const radii = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  return radii.every(r => Number.isFinite(r) && r > 0) ? radii : null;
}

/** The engine options the settings ask for (Find Center and Find Centers of All Frames). */
export function engineOptions(s: CenterSettings): CenterRequestOptions {
  return {
    normalizeBackground: s.normalizeBackground === 'auto' ? 'auto' : s.normalizeBackground === 'on',
    maxIterations: s.maxIterations,
    autoMask: s.autoMask,
    route: s.route
  };
}
