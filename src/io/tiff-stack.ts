/**
 * The rules that make the pages of a TIFF one stack of frames, shared by the reader of files in
 * memory (`tiff.ts`) and the lazy reader of files read by ranges (`tiff-lazy.ts`): ImageJ's
 * contiguous stacks behind one directory, pages whose separate planes are frames, and pages of
 * another size or layout that are not part of the stack. No DOM.
 */
import { TiffError } from './errors.js';
import type { FrameInfo, FramePlan } from './layout.js';

/** An ImageJ stack stored after a single directory. */
export interface ImageJContiguous {
  frames: number;
  frameBytes: number;
  notes: string[];
}

/** A page described: its metadata, and its decoding plan or why it has none. */
export interface DescribedPage {
  info: FrameInfo;
  plan?: FramePlan;
  error?: TiffError;
}

/**
 * ImageJ writes stacks over 4 GiB (and tifffile with `truncate=True`) as ONE directory whose
 * description says `images=N`, the N frames following each other uncompressed. Recognised
 * only when frame 0's strips are uncompressed and contiguous; the frame count is limited to
 * what the file holds.
 */
export function imagejContiguous(pageCount: number, plan: FramePlan, fileLength: number): ImageJContiguous | undefined {
  const description = plan.info.description ?? '';
  const images = /^ImageJ=[^\n]*\n(?:[^\n]*\n)*?images=(\d+)/.exec(description);
  const declared = images ? Number(images[1]) : 0;
  if (pageCount !== 1 || declared < 2 || plan.planeFrames > 1 || plan.compressionCode !== 1 || plan.fillOrderReversed) {
    return undefined;
  }
  const { offsets, byteCounts } = plan;
  for (let i = 0; i + 1 < offsets.length; i++) {
    if (offsets[i + 1] !== offsets[i] + byteCounts[i]) {
      return undefined;
    }
  }
  const frameBytes = byteCounts.reduce((a, b) => a + b, 0);
  const { width, height, samplesPerPixel } = plan.info;
  if (plan.stored === 'bool' || frameBytes !== width * height * samplesPerPixel * plan.bytesPerSample) {
    return undefined;
  }
  const fit = Math.floor((fileLength - offsets[0]) / frameBytes);
  const frames = Math.min(declared, fit);
  const notes = [`ImageJ stack stored after a single directory: ${frames} frames read from contiguous data`];
  if (frames < declared) {
    notes.push(`the ImageJ description declares ${declared} images, but only ${frames} fit in the file (truncated?)`);
  }
  return { frames, frameBytes, notes };
}

/** Frame `index` of an ImageJ contiguous stack: frame 0's layout, shifted. */
export function shiftedFrame(first: DescribedPage, index: number, frameBytes: number): DescribedPage {
  const shift = index * frameBytes;
  const info = { ...first.info, index, notes: [...first.info.notes] };
  const plan = { ...first.plan!, info, offsets: first.plan!.offsets.map(o => o + shift) };
  return { info, plan };
}

/** Frame `index` of a page whose planes are frames (`perPage` of them): that plane's blocks. */
export function planeOfPage(page: DescribedPage, index: number, perPage: number): DescribedPage {
  const plane = index % perPage;
  const pageIndex = Math.floor(index / perPage);
  const info: FrameInfo = { ...page.info, index, notes: [...page.info.notes] };
  if (!page.plan) {
    const cause = page.error ?? new TiffError(page.info.error ?? 'cannot be decoded', 'corrupt');
    const error = new TiffError(`frame ${index} (plane ${plane} of page ${pageIndex}): ${cause.message}`, cause.code, {
      cause
    });
    info.error = error.message;
    return { info, error };
  }
  const blocks = page.plan.blocksAcross * page.plan.blocksDown;
  const plan: FramePlan = {
    ...page.plan,
    info,
    offsets: page.plan.offsets.slice(plane * blocks, (plane + 1) * blocks),
    byteCounts: page.plan.byteCounts.slice(plane * blocks, (plane + 1) * blocks)
  };
  return { info, plan };
}

/** A page that does not hold as many frames as the first is not part of the stack. */
export function otherLayout(plan: FramePlan, planeFrames: number): TiffError | undefined {
  if (plan.planeFrames === planeFrames) {
    return undefined;
  }
  return new TiffError(
    `unsupported TIFF: frame ${plan.info.index} lies on a page of ${plan.planeFrames} frame(s), ` +
      `not ${planeFrames} like the first page, so it is not part of the stack`,
    'unsupported-format'
  );
}

/** A frame of another size than frame 0 is not part of the stack. */
export function sizeMismatch(frame: FrameInfo, first: { width: number; height: number }): TiffError | undefined {
  if (frame.width !== first.width || frame.height !== first.height) {
    return new TiffError(
      `bad dimensions: frame ${frame.index} is ${frame.height} x ${frame.width} pixels, ` +
        `not ${first.height} x ${first.width} like frame 0, so it is not part of the stack` +
        (frame.reducedResolution ? ' (it is a reduced-resolution copy)' : ''),
      'bad-dimensions'
    );
  }
  return undefined;
}

/** Describe frame `index` from its page, and refuse it when it is not part of the stack. */
export function checkedFrame(
  described: DescribedPage,
  first: { width: number; height: number },
  planeFrames: number
): DescribedPage {
  const result = { ...described };
  if (result.info.index > 0 && result.plan) {
    const mismatch = sizeMismatch(result.info, first) ?? otherLayout(result.plan, planeFrames);
    if (mismatch) {
      result.info = { ...result.info, error: mismatch.message };
      result.error = mismatch;
      delete result.plan;
    }
  }
  return result;
}

/** The note listing the frames of pages whose size differs from frame 0 (none: undefined). */
export function oddPagesNote(pages: number[], planeFrames: number): string | undefined {
  const odd = pages.flatMap(page => Array.from({ length: planeFrames }, (_, plane) => page * planeFrames + plane));
  if (odd.length === 0) return undefined;
  const list = odd.length > 10 ? `${odd.slice(0, 10).join(', ')} … (${odd.length} in all)` : odd.join(', ');
  return `frame${odd.length > 1 ? 's' : ''} ${list} differ${odd.length > 1 ? '' : 's'} in size from frame 0 and cannot be read as part of the stack`;
}
