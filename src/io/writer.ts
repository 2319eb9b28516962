/**
 * A minimal TIFF writer: little-endian, classic (32-bit offsets), uncompressed, strip-based,
 * one grayscale sample per pixel, any number of pages.
 *
 * It is the counterpart of `openTiff` for what the project itself produces (generated examples,
 * saved masks). Every `SampleType` is written with its TIFF BitsPerSample/SampleFormat pair;
 * `bool` is written as uint8 0/1 (the convention of tifffile and ImageJ masks), so it reads back
 * as `uint8`. No DOM: runs in Node, Web Workers and the browser.
 */
import type { DiffractionImage, PixelArray, SampleType } from './image.js';
import { TiffError } from './errors.js';

/** Options of `encodeTiff`. */
export interface EncodeTiffOptions {
  /** ImageDescription tag (270) of the first page, e.g. a small JSON document. */
  description?: string;
  /** Software tag (305) of the first page. */
  software?: string;
}

/**
 * Encode one frame or a stack of frames as a TIFF file.
 *
 * @param frames - one image or a non-empty list of images (any sizes and sample types; a
 *   reader treats pages of different size or type as separate images).
 * @returns the file's bytes.
 * @throws TiffError (`bad-dimensions`) for empty stacks or inconsistent `data` lengths,
 *   (`too-large`) when the file would exceed the 4 GiB limit of classic TIFF.
 */
export function encodeTiff(
  frames: DiffractionImage | DiffractionImage[],
  options: EncodeTiffOptions = {}
): Uint8Array {
  const list = Array.isArray(frames) ? frames : [frames];
  if (list.length === 0) {
    throw new TiffError('cannot write a TIFF without frames', 'bad-dimensions');
  }
  const plans = list.map((frame, index) =>
    Private.planPage(frame, index, index === 0 ? options : {})
  );

  // Layout: header, then per page [IFD | out-of-line tag values | pixel data].
  let offset = Private.HEADER_BYTES;
  for (const plan of plans) {
    plan.ifdOffset = offset;
    offset += plan.ifdBytes + plan.extraBytes;
    offset = Private.align(offset);
    plan.dataOffset = offset;
    offset = Private.align(offset + plan.dataBytes);
  }
  if (offset > 0xffffffff) {
    throw new TiffError(
      `the stack needs ${offset} bytes, more than the 4 GiB of a classic TIFF`,
      'too-large'
    );
  }

  const out = new Uint8Array(offset);
  const view = new DataView(out.buffer);
  // Header: "II", 42, offset of the first IFD.
  view.setUint16(0, 0x4949, true);
  view.setUint16(2, 42, true);
  view.setUint32(4, plans[0].ifdOffset, true);
  plans.forEach((plan, i) => {
    const next = i + 1 < plans.length ? plans[i + 1].ifdOffset : 0;
    Private.writePage(out, view, plan, next);
  });
  return out;
}

namespace Private {
  export const HEADER_BYTES = 8;
  const ENTRY_BYTES = 12;

  /** TIFF field types used here. */
  const SHORT = 3;
  const LONG = 4;
  const ASCII = 2;

  /** Sizes in bytes of the field types above. */
  const TYPE_BYTES: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4 };

  /** Strips hold about this many bytes (at least one row). */
  const STRIP_TARGET_BYTES = 64 * 1024;

  /** BitsPerSample and SampleFormat (1 unsigned, 2 signed, 3 float) of each sample type. */
  const FORMATS: Record<SampleType, { bits: number; format: number }> = {
    bool: { bits: 8, format: 1 },
    uint8: { bits: 8, format: 1 },
    int8: { bits: 8, format: 2 },
    uint16: { bits: 16, format: 1 },
    int16: { bits: 16, format: 2 },
    uint32: { bits: 32, format: 1 },
    int32: { bits: 32, format: 2 },
    float32: { bits: 32, format: 3 },
    float64: { bits: 64, format: 3 }
  };

  /** A tag to write: its values are numbers (SHORT/LONG) or a byte string (ASCII). */
  interface Entry {
    tag: number;
    type: number;
    values: number[] | Uint8Array;
    /** Byte offset of out-of-line values, set when laid out. */
    valueOffset?: number;
  }

  /** Everything needed to write one page. */
  export interface PagePlan {
    frame: DiffractionImage;
    entries: Entry[];
    stripOffsetsEntry: Entry;
    rowsPerStrip: number;
    bytesPerSample: number;
    ifdBytes: number;
    extraBytes: number;
    dataBytes: number;
    ifdOffset: number;
    dataOffset: number;
  }

  /** Word-align an offset, as TIFF requires for values and IFDs. */
  export function align(offset: number): number {
    return offset + (offset & 1);
  }

  function ascii(text: string): Uint8Array {
    const bytes = new TextEncoder().encode(text);
    const out = new Uint8Array(bytes.length + 1); // NUL-terminated
    out.set(bytes);
    return out;
  }

  function valueBytes(entry: Entry): number {
    return entry.values.length * TYPE_BYTES[entry.type];
  }

  /** Check one frame and compute its tags and sizes. */
  export function planPage(
    frame: DiffractionImage,
    index: number,
    options: EncodeTiffOptions
  ): PagePlan {
    const { width, height, data, sampleType } = frame;
    const format = FORMATS[sampleType];
    if (!format) {
      throw new TiffError(`frame ${index}: unknown sample type '${sampleType}'`, 'unsupported-format');
    }
    if (
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width < 1 ||
      height < 1 ||
      width > 0xffffffff ||
      height > 0xffffffff
    ) {
      throw new TiffError(
        `frame ${index}: invalid dimensions ${height} x ${width}`,
        'bad-dimensions'
      );
    }
    if (data.length !== width * height) {
      throw new TiffError(
        `frame ${index}: data holds ${data.length} values, expected ${height} x ${width} = ${width * height}`,
        'bad-dimensions'
      );
    }
    const bytesPerSample = format.bits / 8;
    if (data.BYTES_PER_ELEMENT !== bytesPerSample) {
      throw new TiffError(
        `frame ${index}: ${sampleType} data must be held in a ${bytesPerSample}-byte typed array`,
        'unsupported-format'
      );
    }
    const rowBytes = width * bytesPerSample;
    const rowsPerStrip = Math.min(height, Math.max(1, Math.floor(STRIP_TARGET_BYTES / rowBytes)));
    const strips = Math.ceil(height / rowsPerStrip);
    const stripOffsets: number[] = new Array(strips).fill(0);
    const stripCounts: number[] = [];
    for (let s = 0; s < strips; s++) {
      const rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
      stripCounts.push(rows * rowBytes);
    }

    const stripOffsetsEntry: Entry = { tag: 273, type: LONG, values: stripOffsets };
    const entries: Entry[] = [
      { tag: 256, type: LONG, values: [width] }, // ImageWidth
      { tag: 257, type: LONG, values: [height] }, // ImageLength
      { tag: 258, type: SHORT, values: [format.bits] }, // BitsPerSample
      { tag: 259, type: SHORT, values: [1] }, // Compression: none
      { tag: 262, type: SHORT, values: [1] }, // PhotometricInterpretation: BlackIsZero
      stripOffsetsEntry,
      { tag: 277, type: SHORT, values: [1] }, // SamplesPerPixel
      { tag: 278, type: LONG, values: [rowsPerStrip] }, // RowsPerStrip
      { tag: 279, type: LONG, values: stripCounts }, // StripByteCounts
      { tag: 284, type: SHORT, values: [1] }, // PlanarConfiguration: contiguous
      { tag: 339, type: SHORT, values: [format.format] } // SampleFormat
    ];
    if (options.description !== undefined) {
      entries.push({ tag: 270, type: ASCII, values: ascii(options.description) });
    }
    if (options.software !== undefined) {
      entries.push({ tag: 305, type: ASCII, values: ascii(options.software) });
    }
    entries.sort((a, b) => a.tag - b.tag); // TIFF requires ascending tags

    const ifdBytes = 2 + entries.length * ENTRY_BYTES + 4;
    let extraBytes = 0;
    for (const entry of entries) {
      const size = valueBytes(entry);
      if (size > 4) {
        extraBytes = align(extraBytes + size);
      }
    }
    return {
      frame,
      entries,
      stripOffsetsEntry,
      rowsPerStrip,
      bytesPerSample,
      ifdBytes,
      extraBytes,
      dataBytes: height * rowBytes,
      ifdOffset: 0,
      dataOffset: 0
    };
  }

  function writeValues(out: Uint8Array, view: DataView, at: number, entry: Entry): void {
    if (entry.values instanceof Uint8Array) {
      out.set(entry.values, at);
      return;
    }
    const values = entry.values;
    for (let i = 0; i < values.length; i++) {
      if (entry.type === SHORT) {
        view.setUint16(at + 2 * i, values[i], true);
      } else {
        view.setUint32(at + 4 * i, values[i], true);
      }
    }
  }

  /** Write a page's IFD, out-of-line values and pixels at their planned offsets. */
  export function writePage(
    out: Uint8Array,
    view: DataView,
    plan: PagePlan,
    nextIfdOffset: number
  ): void {
    const { frame, entries } = plan;
    const rowBytes = frame.width * plan.bytesPerSample;
    const offsets = plan.stripOffsetsEntry.values as number[];
    for (let s = 0; s < offsets.length; s++) {
      offsets[s] = plan.dataOffset + s * plan.rowsPerStrip * rowBytes;
    }

    let at = plan.ifdOffset;
    let extra = plan.ifdOffset + plan.ifdBytes;
    view.setUint16(at, entries.length, true);
    at += 2;
    for (const entry of entries) {
      view.setUint16(at, entry.tag, true);
      view.setUint16(at + 2, entry.type, true);
      view.setUint32(at + 4, entry.values.length, true);
      if (valueBytes(entry) <= 4) {
        writeValues(out, view, at + 8, entry);
      } else {
        view.setUint32(at + 8, extra, true);
        writeValues(out, view, extra, entry);
        extra = align(extra + valueBytes(entry));
      }
      at += ENTRY_BYTES;
    }
    view.setUint32(at, nextIfdOffset, true);

    writePixels(out, plan.dataOffset, frame.data, plan.bytesPerSample);
  }

  const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

  /** Copy pixels as little-endian bytes. */
  function writePixels(out: Uint8Array, at: number, data: PixelArray, bytes: number): void {
    if (HOST_IS_LITTLE_ENDIAN || bytes === 1) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
      return;
    }
    const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < src.length; i += bytes) {
      for (let b = 0; b < bytes; b++) {
        out[at + i + b] = src[i + bytes - 1 - b];
      }
    }
  }
}
