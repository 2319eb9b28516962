/**
 * What is kept of an image's centering work in the state database (no DOM): its centers by
 * frame, its mask, and the file version they belong to. `CenteringKeeper` saves and restores it.
 */
import { savedMaskFrom, type SavedMask } from '../masks/saved.js';
import { FrameCenters, type FrameCenterRecord } from './frame-centers.js';

/** The state-database key of an image's centering state: this prefix + the image's path. */
export const CENTERING_STATE_PREFIX = 'jupyterlab-diffraction:centering:';

/** What is kept of one image. */
export interface SavedCentering {
  version: 1;
  /** The file's modification time (contents API `last_modified`) its results belong to. */
  modified: string | null;
  /** The centers by frame (`FrameCenters.toJSON`). */
  frames: Record<string, FrameCenterRecord>;
  /** The mask (null: none). */
  mask: SavedMask | null;
}

/** A valid saved state, or null when `value` is not one. */
export function savedCenteringFrom(value: unknown): SavedCentering | null {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || v.version !== 1) {
    return null;
  }
  return {
    version: 1,
    modified: typeof v.modified === 'string' ? v.modified : null,
    frames: FrameCenters.fromJSON(v.frames).toJSON(),
    mask: v.mask === null || v.mask === undefined ? null : savedMaskFrom(v.mask)
  };
}
