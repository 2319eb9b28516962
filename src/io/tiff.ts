/**
 * Opening TIFF files: `openTiff(buffer)` reads the structure and the first frame's metadata at
 * once, decodes frames on demand, and refuses bad files with a `TiffError` naming the problem.
 *
 * Supported: unsigned/signed 8, 16, 32-bit integers, 16/32/64-bit floats, 1-bit masks;
 * little- and big-endian; classic TIFF and BigTIFF; strips and tiles; none, LZW, Deflate
 * (both codes) and PackBits, with the horizontal and floating-point predictors; contiguous
 * and separate planes; RGB(A) converted to luminance with a note. Multi-page files are stacks
 * of frames of one size: a page of another size is listed in `info.notes` and `readFrame` of it
 * throws `bad-dimensions`. A page of separate planes that are frames (tifffile's 3- or 4-frame
 * stacks, see `planesAsFrames`) holds one frame per plane.
 *
 * The structure parser, the bounded LZW, PackBits and Deflate (pako, loaded lazily) decoders,
 * the predictors and the pixel assembly are ours, so that every declared size is checked
 * against the file length and the memory budget before anything is allocated.
 * No DOM: runs in Node, Web Workers and the browser's main thread.
 */
import { TiffError } from './errors.js';
import { decodeFrame } from './decode.js';
import { inlineNumber, parseStructure, readEntries, Tag, TagReader, type TiffStructure } from './ifd.js';
import type { DiffractionImage, SampleType } from './image.js';
import { describeFrame, type CompressionName, type FrameInfo, type FramePlan } from './layout.js';
import { checkedFrame, imagejContiguous, type ImageJContiguous, oddPagesNote, planeOfPage, shiftedFrame } from './tiff-stack.js';

export { TiffError } from './errors.js';
export type { TiffErrorCode } from './errors.js';
export type { CompressionName, FrameInfo } from './layout.js';

/** What a scientist wants to know about a file without decoding its pixels (from frame 0). */
export interface TiffInfo {
  width: number;
  height: number;
  /** Number of pages (IFDs in the main chain). */
  frames: number;
  /** Sample type `readFrame` returns. */
  sampleType: SampleType;
  bitsPerSample: number;
  samplesPerPixel: number;
  compression: CompressionName;
  predictor?: 'horizontal' | 'floating-point';
  littleEndian: boolean;
  bigTiff: boolean;
  tiled: boolean;
  description?: string;
  software?: string;
  /** What the reader did or found that a scientist should know, e.g. 'RGB converted to luminance'. */
  notes: string[];
}

/** Options of `openTiff`. */
export interface OpenTiffOptions {
  /**
   * Memory budget in bytes for one decoded frame plus its working buffers (default 1 GiB).
   * Frames needing more are refused with a `too-large` TiffError before any allocation.
   */
  maxBytes?: number;
}

/** An opened TIFF: metadata now, frames on demand. */
export interface TiffFile {
  readonly info: TiffInfo;
  /** Per-frame metadata (no pixel decoding). Throws `frame-out-of-range`. */
  frameInfo(index: number): FrameInfo;
  /** Decode one frame. Throws TiffError only. */
  readFrame(index: number): Promise<DiffractionImage>;
}

/** The file's `TiffInfo` from its first frame's metadata and its frame count. */
export function stackInfo(
  first: FrameInfo,
  frames: number,
  structure: { littleEndian: boolean; bigTiff: boolean },
  notes: string[]
): TiffInfo {
  const info: TiffInfo = {
    width: first.width,
    height: first.height,
    frames,
    sampleType: first.sampleType,
    bitsPerSample: first.bitsPerSample,
    samplesPerPixel: first.samplesPerPixel,
    compression: first.compression,
    littleEndian: structure.littleEndian,
    bigTiff: structure.bigTiff,
    tiled: first.tiled,
    notes: [...first.notes, ...notes]
  };
  if (first.predictor) info.predictor = first.predictor;
  if (first.description !== undefined) info.description = first.description;
  if (first.software !== undefined) info.software = first.software;
  return info;
}

/** Default memory budget: 1 GiB. */
export const DEFAULT_MAX_BYTES = 2 ** 30;

/**
 * Open a TIFF held in memory (an ArrayBuffer, or any view of one such as a Node Buffer).
 * The buffer is not copied and never modified; keep it unchanged while the file is in use.
 *
 * @throws TiffError when the file is not a TIFF, is truncated or corrupt, or its first frame
 *   cannot be decoded (unsupported compression or sample format, over the memory budget).
 */
export async function openTiff(
  buffer: ArrayBuffer | ArrayBufferView,
  options: OpenTiffOptions = {}
): Promise<TiffFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
  return Private.guard(() => new Private.File(bytes, maxBytes), 'opening the file');
}

namespace Private {
  /** Convert anything unexpected into a TiffError (last line of defence). */
  export function guard<T>(step: () => T, what: string): T {
    try {
      return step();
    } catch (e) {
      throw asTiffError(e, what);
    }
  }

  export function asTiffError(e: unknown, what: string): TiffError {
    if (e instanceof TiffError) {
      return e;
    }
    if (e instanceof RangeError && /allocat|Array buffer|Invalid typed array length/i.test(e.message)) {
      return new TiffError(`too large: ${what} could not allocate memory (${e.message})`, 'too-large', { cause: e });
    }
    const message = e instanceof Error ? e.message : String(e);
    // Not expected: every known problem is detected before it can throw. Keep the cause.
    return new TiffError(`corrupt TIFF: ${what} failed: ${message}`, 'corrupt', { cause: e });
  }

  export class File implements TiffFile {
    readonly info: TiffInfo;

    constructor(
      private readonly bytes: Uint8Array,
      private readonly maxBytes: number
    ) {
      this.structure = parseStructure(bytes);
      this.view = this.structure.view;
      const firstPage = this.describePage(0);
      this.seriesDescription = firstPage.info.description;
      this.planeFrames = firstPage.plan?.planeFrames ?? 1;
      const first = this.describe(0);
      if (first.error) {
        throw first.error;
      }
      const info = first.info;
      this.contiguous = imagejContiguous(this.structure.ifds.length, first.plan!, bytes.byteLength);
      this.frameCount = this.contiguous?.frames ?? this.structure.ifds.length * this.planeFrames;
      this.info = stackInfo(info, this.frameCount, this.structure, this.structure.notes);
      if (this.contiguous) {
        this.info.notes.push(...this.contiguous.notes);
      } else {
        this.noteOddFrames();
      }
    }

    frameInfo(index: number): FrameInfo {
      this.checkIndex(index);
      return guard(() => this.describe(index).info, `reading the directory of frame ${index}`);
    }

    async readFrame(index: number): Promise<DiffractionImage> {
      this.checkIndex(index);
      const plan = guard(() => this.plan(index), `reading the directory of frame ${index}`);
      try {
        return await decodeFrame(this.bytes, plan);
      } catch (e) {
        throw asTiffError(e, `decoding frame ${index}`);
      }
    }

    private checkIndex(index: number): void {
      const frames = this.frameCount;
      if (!Number.isInteger(index) || index < 0 || index >= frames) {
        throw new TiffError(
          `frame ${index} is out of range: the file has ${frames} frame${frames === 1 ? '' : 's'} (0–${frames - 1})`,
          'frame-out-of-range'
        );
      }
    }

    private describe(index: number): { info: FrameInfo; plan?: FramePlan; error?: TiffError } {
      const cached = this.described.get(index);
      if (cached) {
        return cached;
      }
      if (this.contiguous && index > 0) {
        // An ImageJ frame after the first: frame 0's layout, shifted.
        return shiftedFrame(this.describe(0), index, this.contiguous.frameBytes);
      }
      const perPage = this.planeFrames;
      const page = perPage > 1 ? this.planeOf(index) : this.describePage(index);
      const result = this.info ? checkedFrame(page, this.info, perPage) : page;
      if (this.described.size < 64) {
        this.described.set(index, result); // a small cache: stacks are read frame by frame
      }
      return result;
    }

    /** One page (IFD) as one frame. Pages after the first share the first's description. */
    private describePage(page: number): { info: FrameInfo; plan?: FramePlan; error?: TiffError } {
      const ifd = this.structure.ifds[page];
      const tags = new TagReader(this.view, this.bytes, this.structure.littleEndian, readEntries(this.structure, ifd), `frame ${page}`);
      return describeFrame(
        tags,
        page,
        this.structure.littleEndian,
        this.bytes.byteLength,
        this.maxBytes,
        page > 0 ? this.seriesDescription : undefined
      );
    }

    /** Frame `index` of a file whose pages hold one frame per plane: its page, that plane's blocks. */
    private planeOf(index: number): { info: FrameInfo; plan?: FramePlan; error?: TiffError } {
      return planeOfPage(this.describePage(Math.floor(index / this.planeFrames)), index, this.planeFrames);
    }

    private plan(index: number): FramePlan {
      const { plan, error } = this.describe(index);
      if (!plan) {
        throw error ?? new TiffError(`frame ${index} cannot be decoded`, 'corrupt');
      }
      return plan;
    }

    /** List pages whose size differs from frame 0 (sizes are inline tags: scanned, not parsed). */
    private noteOddFrames(): void {
      const odd: number[] = [];
      for (let i = 1; i < this.structure.ifds.length; i++) {
        const ifd = this.structure.ifds[i];
        const width = inlineNumber(this.structure, ifd, Tag.ImageWidth);
        const height = inlineNumber(this.structure, ifd, Tag.ImageLength);
        if (width !== this.info.width || height !== this.info.height) odd.push(i);
      }
      const note = oddPagesNote(odd, this.planeFrames);
      if (note) this.info.notes.push(note);
    }

    private readonly structure: TiffStructure;
    /** Set for ImageJ files that store all frames after one directory. */
    private readonly contiguous?: ImageJContiguous;
    private readonly frameCount: number;
    /** Frames per page: 1, or the samples per pixel when the planes of a page are frames. */
    private readonly planeFrames: number;
    /** The first page's description (tifffile writes it on the first page of a series only). */
    private readonly seriesDescription?: string;
    private readonly view: DataView;
    private readonly described = new Map<number, { info: FrameInfo; plan?: FramePlan; error?: TiffError }>();
  }
}
