/**
 * The Node API: `import { autocenter, centerFile } from 'jupyterlab-diffraction/center'`.
 * The same engine the JupyterLab Worker runs, plus file helpers (Node only: reads files).
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  autoMask,
  autocenter,
  CenterError,
  combineMasks,
  profileReport,
  profileValidMask
} from './center/index.js';
import type { AutocenterOptions, AutocenterResult, ProfileReport, ProfileReportOptions } from './center/index.js';
import { maskFromImage, openByteSource, siblingMaskPaths, type ByteSource, type ReadScratch } from './io/index.js';
import type { DiffractionImage, ImageFile as ImageFileHandle, ImageFormat, ImageMetadata } from './io/index.js';

export * from './center/index.js';
export * from './series/index.js';
export { openTiff, encodeTiff, TiffError, MaskFileError, siblingMaskPaths, maskPathFor } from './io/index.js';
export { openImage, FormatError, ALL_IMAGE_EXTENSIONS, ReadScratch } from './io/index.js';
export type { DiffractionImage, TiffFile, TiffInfo } from './io/index.js';
export type { ImageFile, ImageFileInfo, ImageFormat, ImageMetadata, OpenImageOptions, FormatErrorCode } from './io/index.js';

/** Options of `centerFile`. */
export interface CenterFileOptions extends Omit<AutocenterOptions, 'mask'> {
  /**
   * A mask file path or mask array (1 = valid). Undefined: use `IMAGE_mask.tif` beside the
   * image if there is one. Null: no mask file.
   */
  mask?: string | Uint8Array | null;
  /** Frame of a multi-frame file (default 0). */
  frame?: number;
  /** HDF5: the dataset to read instead of the automatic choice. */
  dataset?: string;
  /** Also apply scikit-ued's `auto_masking` (dark pixels) on top of the invalid-pixel mask. */
  darkMask?: boolean;
  /**
   * Also return the radial profile about the found center (true: 1 px bins, mean), over the
   * same mask plus invalid and (unless `autoMask` is false) hot pixels.
   */
  profile?: boolean | ProfileReportOptions;
}

/** The engine's result plus where the data came from. */
export interface CenterFileResult extends AutocenterResult {
  file: string;
  frame: number;
  /** The mask file used (null when none). */
  mask: string | null;
  /** How the mask was chosen. */
  maskSource: 'option' | 'sibling' | 'array' | 'none';
  /** What the reader did to the data (e.g. RGB converted to luminance). */
  notes: string[];
  /** With the `profile` option: the radial profile about the center and its peaks. */
  profile?: ProfileReport;
  /** The file's format. */
  format: ImageFormat;
  /** The header's metadata: pixel size, distance, wavelength or voltage, the beam center it states. */
  metadata: ImageMetadata;
  /** HDF5: the dataset read. */
  dataset?: string;
}

/** Read one frame of an image file (TIFF, MRC, DM3/DM4, MIB, SMV, CBF, HDF5). */
export async function readTiffFrame(path: string, frame = 0): Promise<DiffractionImage> {
  return (await Private.readFrameWithNotes(path, frame)).image;
}

/** Read one frame of an image file of any format `openImage` reads (the same as `readTiffFrame`). */
export const readImageFrame = readTiffFrame;

/**
 * Read a mask TIFF (first frame) as 1 = valid (any non-zero value). With `shape`, refuses a mask
 * whose height × width differs from it (`MaskFileError` 'mask-shape').
 */
export async function readMaskFile(
  path: string,
  shape?: { height: number; width: number }
): Promise<Uint8Array> {
  const image = await readTiffFrame(path, 0);
  return maskFromImage(image, shape?.height ?? image.height, shape?.width ?? image.width, path);
}

/** The first of `siblingMaskPaths(path)` (`IMAGE_mask.tif`, `.tiff`) that exists, or null. */
export async function findSiblingMask(path: string): Promise<string | null> {
  for (const candidate of siblingMaskPaths(path)) {
    try {
      if ((await stat(candidate)).isFile()) {
        return candidate;
      }
    } catch {
      // not there
    }
  }
  return null;
}

/** Center the pattern in an image file (TIFF, MRC, DM3/DM4, MIB, SMV, CBF, HDF5). */
export async function centerFile(
  path: string,
  options: CenterFileOptions = {}
): Promise<CenterFileResult> {
  const frame = options.frame ?? 0;
  const { image, notes, format, metadata, dataset } = await Private.readFrameWithNotes(path, frame, options.dataset);
  Private.refuseAllZero(image, path, frame);
  let maskPath: string | null = null;
  let maskSource: CenterFileResult['maskSource'] = 'none';
  let mask: Uint8Array | null = null;
  if (options.mask instanceof Uint8Array) {
    mask = options.mask;
    maskSource = 'array';
  } else if (typeof options.mask === 'string') {
    maskPath = options.mask;
    maskSource = 'option';
  } else if (options.mask === undefined) {
    maskPath = await findSiblingMask(path);
    maskSource = maskPath ? 'sibling' : 'none';
  }
  if (maskPath) {
    mask = await readMaskFile(maskPath, image);
  }
  if (options.darkMask) {
    mask = combineMasks(mask, autoMask(image));
  }
  const result = autocenter(image, {
    normalizeBackground: options.normalizeBackground,
    maxIterations: options.maxIterations,
    autoMask: options.autoMask,
    route: options.route,
    signal: options.signal,
    onProgress: options.onProgress,
    mask
  });
  const found: CenterFileResult = {
    ...result,
    file: path,
    frame,
    mask: maskPath,
    maskSource,
    notes,
    format,
    metadata
  };
  if (dataset !== undefined) found.dataset = dataset;
  if (options.profile) {
    found.profile = Private.profileAbout(image, found, mask, options);
  }
  return found;
}

/** An image file opened from disk for the CLI's series: what it holds, its frames on demand. */
export interface OpenedImageFile {
  readonly path: string;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  readonly sampleType: DiffractionImage['sampleType'];
  /** What the reader did or found (e.g. RGB converted to luminance). */
  readonly notes: string[];
  /** Decode one frame (the format's typed error when it cannot be read). */
  readFrame(index: number, scratch?: ReadScratch): Promise<DiffractionImage>;
  /** True when frames are read from disk by ranges, false when the file was read whole. */
  readonly byRanges: boolean;
  /** Bytes read from disk so far. */
  readonly bytesRead: number;
}

/**
 * Open an image file of any supported format (TIFF, MRC, DM3/DM4, MIB, SMV, CBF, HDF5): the one
 * place the Node API and the CLI read image files from disk. Read by byte ranges as the viewer
 * reads (`openByteSource`): the header, then each frame when it is asked for, where the format's
 * layout allows (TIFF stacks, MRC, MIB, SMV over 4 MiB); other files are read whole once (HDF5
 * external links from beside it). Frames are decoded on demand.
 */
export async function openImageFile(path: string, dataset?: string): Promise<OpenedImageFile & { file: ImageFileHandle }> {
  // HDF5 external links (Eiger data files) are read from beside the file.
  const linkedFile = async (name: string): Promise<Uint8Array | undefined> => {
    try {
      return await readFile(join(dirname(path), basename(name)));
    } catch {
      return undefined;
    }
  };
  const { file, byRanges, source } = await openByteSource(await fileSource(path), path, {
    dataset,
    linkedFile,
    cacheBytes: FILE_CACHE_BYTES
  });
  const { frames, height, width, sampleType, notes } = file.info;
  return {
    path,
    frames,
    height,
    width,
    sampleType,
    notes: [...notes],
    readFrame: (i, scratch) => file.readFrame(i, scratch),
    byRanges,
    get bytesRead() {
      return source.bytesRead;
    },
    file
  };
}

/**
 * A file on disk read by byte ranges (`ByteSource`). Reads that follow each other (the frames
 * of a batch) share one open handle; it is closed once no read has come for `FILE_IDLE_MS`, so
 * nothing is left open between frames a user steps through (the timer does not keep a process
 * alive). Its size is taken once, at the start.
 */
export async function fileSource(path: string): Promise<ByteSource> {
  const { size } = await stat(path);
  let bytesRead = 0;
  const handles = new Private.HandleKeeper(path);
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    isOwned: () => true,
    async read(offset: number, length: number, into?: ReadScratch): Promise<Uint8Array> {
      const start = Math.max(0, offset);
      const end = Math.min(size, offset + length);
      const count = Math.max(0, end - start);
      const out = into ? into.bytes(count) : new Uint8Array(count);
      if (!out.length) return out;
      const handle = await handles.acquire();
      let done = 0;
      try {
        while (done < out.length) {
          const { bytesRead: n } = await handle.read(out, done, out.length - done, start + done);
          if (n === 0) break; // the file got shorter since it was opened
          done += n;
        }
      } finally {
        handles.release();
      }
      bytesRead += done;
      return done === out.length ? out : out.subarray(0, done);
    }
  };
}

/**
 * Bytes of a file on disk kept by `openImageFile`'s range cache (its directories and small
 * frames; larger frames pass through). The OS caches the file anyway, and a batch reads each
 * frame once: keeping its frames would only take fresh memory, which costs more than reading.
 */
export const FILE_CACHE_BYTES = 256 * 1024;

/** An idle file handle of `fileSource` is closed after this many milliseconds. */
export const FILE_IDLE_MS = 50;

namespace Private {
  /** One open handle of a file, shared by the reads in flight and closed when idle. */
  export class HandleKeeper {
    constructor(private readonly path: string) {}

    async acquire(): Promise<FileHandle> {
      this.users++;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.handle ??= open(this.path, 'r');
      try {
        return await this.handle;
      } catch (error) {
        this.users--;
        this.handle = null;
        throw error;
      }
    }

    release(): void {
      if (--this.users > 0) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        const handle = this.handle;
        this.handle = null;
        void handle?.then(h => h.close()).catch(() => undefined);
      }, FILE_IDLE_MS);
      this.timer.unref?.();
    }

    private handle: Promise<FileHandle> | null = null;
    private users = 0;
    private timer: ReturnType<typeof setTimeout> | null = null;
  }

  /** The profile about the found center, leaving out what the engine left out. */
  export function profileAbout(
    image: DiffractionImage,
    center: { row: number; col: number },
    mask: Uint8Array | null,
    options: CenterFileOptions
  ): ProfileReport {
    const valid = profileValidMask(image, mask, options.autoMask ?? true);
    const settings = typeof options.profile === 'object' ? options.profile : {};
    return profileReport(image, { row: center.row, col: center.col }, valid, settings);
  }

  /** One frame and what the reader noted about the file (e.g. RGB converted to luminance). */
  export async function readFrameWithNotes(
    path: string,
    frame: number,
    dataset?: string
  ): Promise<{ image: DiffractionImage; notes: string[]; format: ImageFormat; metadata: ImageMetadata; dataset?: string }> {
    const opened = await openImageFile(path, dataset);
    const { info } = opened.file;
    try {
      if (!Number.isInteger(frame) || frame < 0 || frame >= info.frames) {
        throw new CenterError('invalid-input', `frame ${frame} does not exist: ${path} has ${info.frames} frame(s)`);
      }
      const image = await opened.readFrame(frame);
      return { image, notes: opened.notes, format: info.format, metadata: info.metadata, dataset: info.dataset };
    } finally {
      opened.file.close?.();
    }
  }

  /** An image whose every pixel is 0 holds no pattern: say so plainly (before the engine). */
  export function refuseAllZero(image: DiffractionImage, path: string, frame: number): void {
    const data = image.data;
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== 0) return;
    }
    throw new CenterError(
      'no-signal',
      `all-zero image: every pixel of ${path}${frame ? ` (frame ${frame})` : ''} is 0, there is no pattern to center`
    );
  }
}
