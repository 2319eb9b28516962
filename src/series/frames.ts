/**
 * Frame selections (`--frames SPEC`) and how a selection is cut into tracks.
 *
 * SPEC is `all`, one index `N`, or a slice `a:b` / `a:b:step` with numpy's meaning: from `a`
 * up to but not including `b`, every `step`-th frame. `a` may be left out (0) and so may `b`
 * (the end of the file); like numpy, an end beyond the file stops at its last frame.
 * Negative numbers are not accepted (say which frame you mean).
 */

/** A frame selection that cannot be parsed or selects nothing. */
export class FrameSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameSpecError';
  }
}

/** A parsed SPEC, applied to a file once its frame count is known (`selectFrames`). */
export type FrameSpec =
  | { kind: 'all' }
  | { kind: 'one'; index: number }
  | { kind: 'slice'; start: number; stop: number | null; step: number };

/** Parse SPEC (see the module comment). */
export function parseFrameSpec(spec: string): FrameSpec {
  const text = spec.trim();
  if (text === 'all') {
    return { kind: 'all' };
  }
  const parts = text.split(':');
  if (parts.length > 3) {
    throw new FrameSpecError(`frames "${spec}": expected all, N, a:b or a:b:step`);
  }
  /** A non-negative integer; an empty slice part stands for `empty`. */
  const number = (part: string, what: string, empty?: number | null): number | null => {
    if (part === '' && empty !== undefined) {
      return empty;
    }
    if (!/^\d+$/.test(part)) {
      throw new FrameSpecError(
        `frames "${spec}": ${what} must be a non-negative integer, not "${part}" (expected all, N, a:b or a:b:step)`
      );
    }
    return Number(part);
  };
  if (parts.length === 1) {
    return { kind: 'one', index: number(parts[0], 'the frame')! };
  }
  const start = number(parts[0], 'the start', 0)!;
  const stop = number(parts[1], 'the end', null);
  const step = parts.length === 3 ? number(parts[2], 'the step', 1)! : 1;
  if (step < 1) {
    throw new FrameSpecError(`frames "${spec}": the step must be at least 1`);
  }
  if (stop !== null && stop <= start) {
    throw new FrameSpecError(`frames "${spec}": the end (exclusive) must be greater than the start`);
  }
  return { kind: 'slice', start, stop, step };
}

/** The frame indices SPEC selects in a file of `count` frames; throws when it selects none. */
export function selectFrames(spec: FrameSpec, count: number): number[] {
  if (spec.kind === 'all') {
    return Array.from({ length: count }, (_, i) => i);
  }
  if (spec.kind === 'one') {
    if (spec.index >= count) {
      throw new FrameSpecError(`frame ${spec.index} does not exist: the file has ${count} frame(s)`);
    }
    return [spec.index];
  }
  const stop = Math.min(spec.stop ?? count, count);
  const frames: number[] = [];
  for (let i = spec.start; i < stop; i += spec.step) {
    frames.push(i);
  }
  if (frames.length === 0) {
    throw new FrameSpecError(
      `frames ${spec.start}:${spec.stop ?? ''}:${spec.step} select no frame: the file has ${count} frame(s)`
    );
  }
  return frames;
}

/**
 * The selected frames cut into tracks of at most `length` frames (0: one track). Each track
 * starts with a full search; tracks are the units of work of a pool. The cut depends on the
 * selection and `length` only (not on the number of workers), so results do not either.
 */
export function splitTracks(frames: readonly number[], length: number): number[][] {
  if (!(length > 0) || frames.length <= length) {
    return [frames.slice()];
  }
  const tracks: number[][] = [];
  for (let i = 0; i < frames.length; i += length) {
    tracks.push(frames.slice(i, i + length));
  }
  return tracks;
}
