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
export { refineFromSeed, TrackBuffers, type RefineOptions, type Refined } from './track.js';
export {
  evaluateFit,
  fitDrift,
  flagOutliers,
  median,
  MIN_OUTLIER_PX,
  OUTLIER_SIGMAS,
  robustScale,
  type DriftFit,
  type DriftFitKind,
  type DriftPoint
} from './drift.js';
export {
  centersCsv,
  csvCell,
  describeFit,
  sidecarPath,
  SIDECAR_COLUMNS,
  type SeriesCenter,
  type SeriesMethod,
  type SidecarInfo
} from './records.js';
export {
  formatDuration,
  MAX_SERIES_WORKERS,
  poolSize,
  runQueue,
  SeriesProgress,
  trackedFrameMs,
  workersFor,
  WORKER_START_MS
} from './schedule.js';
