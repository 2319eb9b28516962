/**
 * Loading for the viewer: the file read by the image Worker from the server's `/files/` route
 * (any format `openImage` reads: TIFF, MRC, DM3/DM4, MIB, SMV, CBF, HDF5) — by HTTP Range
 * requests where the layout allows (the header, then each frame shown), else whole — and one
 * frame read with its statistics (computed in time slices so that the page never blocks, even
 * at 4096²). No painting and no state here.
 */
import type { DiffractionImage } from '../io/image.js';
import type { Contents } from '@jupyterlab/services';
import { PathExt } from '@jupyterlab/coreutils';
import { base64ToArrayBuffer, FormatError } from '../io/index.js';
import { openImageInWorker, openUrlInWorker, type RemoteImage } from '../worker/tiff-client.js';
import { type FrameStats, frameStatsSteps } from './contrast.js';
import { SLICE_MS, yieldToEventLoop } from './render.js';

/**
 * Open the file at `path` in the image Worker, which reads it from the contents manager's
 * download URL (jupyter_server's `/files/`, Range requests) — no copy of the file through the
 * contents API. `dataset` is an HDF5 dataset path. An HDF5 master whose data lives in files
 * beside it (Eiger) is opened again with those files fetched through `contents` (at most 16), or
 * fails with the reader's error naming the missing one. Without a contents manager (tests), the
 * file is read through `fetchBase64`.
 */
export async function openServerImage(
  path: string,
  contents: Contents.IManager | null,
  options: { dataset?: string; fetchBase64?: (path: string) => Promise<string> } = {}
): Promise<{ tiff: RemoteImage; openMs: number }> {
  const t0 = performance.now();
  const open = async (linked: Record<string, ArrayBuffer>): Promise<RemoteImage> => {
    if (!contents) {
      const base64 = await (options.fetchBase64 ?? Private.noContents)(path);
      return openImageInWorker(base64ToArrayBuffer(base64), path, { dataset: options.dataset, linked });
    }
    const url = new URL(await contents.getDownloadUrl(path), location.href).href;
    const token = contents.serverSettings.token;
    const headers: Record<string, string> = token ? { Authorization: `token ${token}` } : {};
    return openUrlInWorker(url, path, { dataset: options.dataset, linked, headers });
  };
  const linked: Record<string, ArrayBuffer> = {};
  for (let attempt = 0; ; attempt++) {
    try {
      // Copies: the Worker takes (detaches) what it is given.
      const tiff = await open(Object.fromEntries(Object.entries(linked).map(([k, v]) => [k, v.slice(0)])));
      return { tiff, openMs: performance.now() - t0 };
    } catch (e) {
      const name = e instanceof FormatError && e.code === 'linked-file-missing' ? e.linkedFile : undefined;
      if (!name || !contents || attempt >= 16) throw e;
      const base = name.replace(/^.*[\\/]/, '');
      if (base in linked) throw e;
      const linkedPath = PathExt.join(PathExt.dirname(path), base);
      // Looked up in the folder listing first, so that a missing file is not a failed request.
      if (!(await Private.exists(contents, linkedPath))) throw e;
      try {
        const model = await contents.get(linkedPath, {
          content: true,
          format: 'base64',
          type: 'file'
        });
        linked[base] = base64ToArrayBuffer(String(model.content));
      } catch {
        throw e; // not beside the master: the reader's error names the file
      }
    }
  }
}

/** Frame `index` of `tiff` with its statistics; `readMs` and `statsMs` time the two steps. */
export async function readFrameWithStats(
  tiff: RemoteImage,
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

namespace Private {
  export async function noContents(path: string): Promise<string> {
    throw new Error(`cannot read ${path}: no contents manager`);
  }

  /** Whether `path` is a file of its folder's listing (no request for the file itself). */
  export async function exists(contents: Contents.IManager, path: string): Promise<boolean> {
    try {
      const listing = await contents.get(PathExt.dirname(path), { type: 'directory', content: true });
      return ((listing.content ?? []) as Contents.IModel[]).some(item => item.path === path);
    } catch {
      return false;
    }
  }
}
