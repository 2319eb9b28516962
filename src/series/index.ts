/**
 * Series: the centers of many frames (frame selections, tracking from frame to frame).
 * DOM-free and Node-free like the engine.
 */
export { FrameSpecError, parseFrameSpec, selectFrames, splitTracks, type FrameSpec } from './frames.js';
export {
  MIN_TRACK_SIDE,
  TRACK_DROP,
  TRACK_JUMP,
  Tracker,
  type FrameCenter,
  type FullSearchReason,
  type TrackerOptions
} from './tracker.js';
export { refineFromSeed, type RefineOptions, type Refined } from './track.js';
