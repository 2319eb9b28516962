/**
 * One track of one file (a unit of work of the CLI's pool): read its frames in order and
 * center each, seeded with the previous one (`Tracker`). A frame that cannot be read or centered
 * becomes one error record; the next frame then starts a new track with a full search.
 * Runs in a worker thread or, for one worker, in the main thread.
 */
import {
  CenterError,
  FormatError,
  MaskFileError,
  openImageFile,
  ReadScratch,
  readMaskFile,
  TiffError,
  type OpenedImageFile
} from '../node.js';
import { FrameSpecError, Tracker, type FrameCenter, type TrackerOptions } from '../series/index.js';

/** What a worker is asked to do. */
export interface TrackTask {
  /** Position of the task in the run (for the pool's bookkeeping). */
  id: number;
  file: string;
  frames: number[];
  /** The mask file to use (already chosen and checked by the main thread), or null. */
  mask: string | null;
  options: Omit<TrackerOptions, 'mask'>;
}

/** One frame's result: a center, or why there is none. */
export type FrameRecord =
  | ({ file: string; frame: number } & FrameCenter)
  | { file: string; frame: number | null; error: string; code: string };

/** Center the frames of `task` in order, handing each record to `emit` as soon as it is made. */
export async function runTrack(task: TrackTask, emit: (record: FrameRecord) => void): Promise<void> {
  const { file: path, frames } = task;
  let file: OpenedImageFile;
  let mask: Uint8Array | null = null;
  try {
    file = await openCached(path);
    if (task.mask) {
      mask = await Private.mask(task.mask, file);
    }
  } catch (error) {
    // The whole track fails the same way: one record per frame, so that none is missing.
    for (const frame of frames) {
      emit(errorRecord(path, frame, error));
    }
    return;
  }
  const tracker = new Tracker({ ...task.options, mask });
  // Each frame is read into the memory of the one before (it is centered before the next read).
  const scratch = new ReadScratch();
  for (const frame of frames) {
    try {
      const image = await file.readFrame(frame, scratch);
      emit({ file: path, frame, ...tracker.center(image) });
    } catch (error) {
      emit(errorRecord(path, frame, error));
      tracker.reset();
    }
  }
}

/**
 * Open `path`, or return the file this thread opened last if it is the same: consecutive tracks
 * of one file (and the main thread's look at it before the run) read it once.
 */
export function openCached(path: string): Promise<OpenedImageFile> {
  return Private.open(path);
}

/** A record for a failure: the message and a machine-readable code. */
export function errorRecord(file: string, frame: number | null, error: unknown): FrameRecord {
  const e = error as Error & { code?: unknown };
  const known =
    e instanceof CenterError ||
    e instanceof TiffError ||
    e instanceof FormatError ||
    e instanceof MaskFileError ||
    e instanceof FrameSpecError;
  const code =
    typeof e?.code === 'string' ? e.code : e instanceof FrameSpecError ? 'frames' : 'unexpected';
  const message = known || typeof e?.code === 'string' ? e.message : `unexpected error: ${e?.stack ?? e}`;
  return { file, frame, error: message, code };
}

namespace Private {
  /** The file last opened by this thread. */
  let last: { path: string; file: Promise<OpenedImageFile> } | null = null;
  let lastMask: { path: string; shape: string; mask: Promise<Uint8Array> } | null = null;

  export function open(path: string): Promise<OpenedImageFile> {
    if (last?.path !== path) {
      last = { path, file: openImageFile(path) };
    }
    return last.file;
  }

  export function mask(path: string, file: OpenedImageFile): Promise<Uint8Array> {
    const shape = `${file.height}x${file.width}`;
    if (lastMask?.path !== path || lastMask.shape !== shape) {
      lastMask = { path, shape, mask: readMaskFile(path, file) };
    }
    return lastMask.mask;
  }
}
