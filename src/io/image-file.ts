/**
 * The common face of every opened image file, whatever its format: `info` (size, frame count,
 * sample type, the header's metadata, notes) now, frames on demand. `openImage` returns it; the
 * TIFF reader's `TiffFile` fits it (its info carries the TIFF fields besides). No DOM.
 */
import type { DiffractionImage, SampleType } from './image.js';
import type { ImageFormat } from './format-error.js';
import type { ReadScratch } from './byte-source.js';

/** A number with its unit, as the header states it (converted only where noted). */
export interface Quantity {
  value: number;
  unit: string;
}

/**
 * What the header says about the experiment, beside the pixels. Every field is optional:
 * only what the file states is given.
 */
export interface ImageMetadata {
  /** Size of one pixel along rows and columns (detector pixel in m/mm, or calibrated nm, 1/nm, Å). */
  pixelSize?: { row: Quantity; col: Quantity };
  /** Camera length (electron microscopes). */
  cameraLength?: Quantity;
  /** Sample-to-detector distance (X-ray detectors). */
  detectorDistance?: Quantity;
  /** Wavelength of the radiation (Å unless the unit says otherwise). */
  wavelength?: Quantity;
  /** Accelerating voltage (electron microscopes). */
  voltage?: Quantity;
  /** Exposure time of one frame. */
  exposureTime?: Quantity;
  /**
   * The beam center written in the header, in pixels as (row, col) with pixel centers at
   * integers (numpy's convention), and where it came from (header keys, conversion made).
   */
  beamCenter?: { row: number; col: number; source: string };
}

/** An image dataset of an HDF5 file, for choosing another than the automatic one. */
export interface DatasetSummary {
  path: string;
  shape: number[];
  dtype: string;
}

/** What a scientist wants to know about a file without decoding its pixels. */
export interface ImageFileInfo {
  format: ImageFormat;
  width: number;
  height: number;
  frames: number;
  /** Sample type `readFrame` returns. */
  sampleType: SampleType;
  /** Byte order of the stored samples (absent where it does not apply). */
  littleEndian?: boolean;
  /** Free text of the header (TIFF ImageDescription, MRC labels, ...). */
  description?: string;
  /** What the reader did or found that a scientist should know. */
  notes: string[];
  /** The header's experimental metadata. */
  metadata: ImageMetadata;
  /** HDF5: the dataset read. */
  dataset?: string;
  /** HDF5: every 2-D/3-D dataset of the file, the one read included. */
  datasets?: DatasetSummary[];
}

/** An opened image file: metadata now, frames on demand. */
export interface ImageFile {
  readonly info: ImageFileInfo;
  /**
   * Decode one frame. Throws the format's typed error only (`FormatError`, or `TiffError` for
   * TIFF). With `scratch` (see `ReadScratch`), a reader that can reads the frame into that
   * memory: the frame may then be overwritten by the next read with the same scratch.
   */
  readFrame(index: number, scratch?: ReadScratch): Promise<DiffractionImage>;
  /** Release what the reader holds (HDF5's in-memory file system); a no-op for the others. */
  close?(): void;
}

/**
 * A file whose frames each lie in one range of bytes (uncompressed layouts: MRC, MIB, SMV).
 * Opened on the file's first bytes with `fileLength` (see `OpenImageOptions`), it says where
 * frame `index` lies and decodes it from exactly those bytes (frames are then read by ranges).
 */
export interface RangedImageFile extends ImageFile {
  /** Where frame `index` lies. Throws 'frame-out-of-range'. */
  frameSpan(index: number): { offset: number; length: number };
  /** Decode frame `index` from the bytes of its span. */
  decodeSpan(index: number, bytes: Uint8Array): DiffractionImage;
}

/** Options of `openImage` and of each reader. */
export interface OpenImageOptions {
  /**
   * Memory budget in bytes for one decoded frame (default 1 GiB): frames needing more are
   * refused with a `too-large` error before any allocation.
   */
  maxBytes?: number;
  /**
   * The whole file's length when the buffer holds only its first bytes (MRC, MIB, SMV): the
   * header is read from the buffer, frames with `frameSpan`/`decodeSpan` (`RangedImageFile`).
   */
  fileLength?: number;
  /** HDF5: the dataset to read instead of the automatic choice (see `info.datasets`). */
  dataset?: string;
  /**
   * HDF5: the bytes of a file an external link names (Eiger data files beside the master), or
   * undefined when it is not available. Called with the name as written in the link.
   */
  linkedFile?: (name: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** Default memory budget: 1 GiB (the TIFF reader's). */
export const DEFAULT_IMAGE_MAX_BYTES = 2 ** 30;
