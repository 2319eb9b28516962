/**
 * Loading for the viewer: the document's base64 content decoded as a TIFF in the TIFF Worker,
 * and one frame read with its statistics (computed in time slices so that the page never
 * blocks, even at 4096²). No painting and no state here.
 */
import type { DiffractionImage } from '../io/image.js';
import { base64ToArrayBuffer } from '../io/index.js';
import { openTiffInWorker, type RemoteTiff } from '../worker/tiff-client.js';
import { type FrameStats, frameStatsSteps } from './contrast.js';
import { SLICE_MS, yieldToEventLoop } from './render.js';

/** Decode the document's base64 content in the TIFF Worker. */
export async function openDocumentTiff(base64: string): Promise<{ tiff: RemoteTiff; base64Ms: number }> {
  const t0 = performance.now();
  const buffer = base64ToArrayBuffer(base64);
  const base64Ms = performance.now() - t0;
  // Decoded in the TIFF Worker: an LZW 4096² frame would block the page for most of a second.
  const tiff = await openTiffInWorker(buffer);
  return { tiff, base64Ms };
}

/** Frame `index` of `tiff` with its statistics; `readMs` and `statsMs` time the two steps. */
export async function readFrameWithStats(
  tiff: RemoteTiff,
  index: number,
  maskNegative: boolean,
  isCurrent: () => boolean
): Promise<{ frame: DiffractionImage; stats: FrameStats; readMs: number; statsMs: number } | null> {
  const t0 = performance.now();
  const frame = await tiff.readFrame(index);
  if (!isCurrent()) return null;
  const t1 = performance.now();
  // The statistics pass is time-sliced like the LUT pass (float frames take two passes).
  const stats = await runSliced(frameStatsSteps(frame.data, { maskNegative }, 1 << 18));
  if (!isCurrent()) return null;
  return { frame, stats, readMs: t1 - t0, statsMs: performance.now() - t1 };
}

/** Run a step generator in time slices of `SLICE_MS`, yielding to the event loop between. */
export async function runSliced<T>(steps: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const start = performance.now();
    let next = steps.next();
    while (!next.done && performance.now() - start < SLICE_MS) {
      next = steps.next();
    }
    if (next.done) {
      return next.value;
    }
    await yieldToEventLoop();
  }
}
