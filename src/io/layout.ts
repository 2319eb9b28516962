/**
 * From one IFD to a validated plan for decoding its frame: sample type, block grid (strips or
 * tiles), block offsets and byte counts checked against the file length, and the memory the
 * decode will need checked against the budget — all before any pixel buffer is allocated.
 * No DOM.
 */
import { TiffError } from './errors.js';
import { Tag, TagReader } from './ifd.js';
import type { SampleType } from './image.js';

/** Compression schemes by name; `compression-N` for codes this reader does not know. */
export type CompressionName =
  | 'none'
  | 'lzw'
  | 'deflate'
  | 'packbits'
  | 'ccitt-rle'
  | 'ccitt-fax3'
  | 'ccitt-fax4'
  | 'old-jpeg'
  | 'jpeg'
  | 'jpeg2000'
  | 'lerc'
  | 'lzma'
  | 'zstd'
  | 'webp'
  | 'jpegxl'
  | `compression-${number}`;

/** How a frame's samples are turned into one value per pixel. */
export type PixelMode = 'gray' | 'first-sample' | 'luminance';

/** Metadata of one frame (page) of a file, known without decoding its pixels. */
export interface FrameInfo {
  /** Frame index in the file (the page index, unless the planes of a page are frames). */
  index: number;
  width: number;
  height: number;
  /**
   * Sample type `readFrame` returns (after luminance conversion / bit unpacking); meaningless
   * when `error` is set.
   */
  sampleType: SampleType;
  /** Bits per stored sample (e.g. 1 for bilevel masks, 16 for half floats). */
  bitsPerSample: number;
  samplesPerPixel: number;
  compression: CompressionName;
  predictor?: 'horizontal' | 'floating-point';
  tiled: boolean;
  /** Tile size, or strip width x rows per strip. */
  blockWidth: number;
  blockHeight: number;
  /** PhotometricInterpretation, by name ('min-is-black', 'rgb', ...). */
  photometric: string;
  planar: 'contiguous' | 'separate';
  littleEndian: boolean;
  /** NewSubfileType bit 0: a reduced-resolution copy (thumbnail) of another page. */
  reducedResolution: boolean;
  description?: string;
  software?: string;
  dateTime?: string;
  /** What the reader did that a scientist should know (luminance conversion, ignored samples ...). */
  notes: string[];
  /** Why `readFrame` will refuse this frame, when it will. */
  error?: string;
}

/** Everything `decodeFrame` needs, validated. */
export interface FramePlan {
  info: FrameInfo;
  littleEndian: boolean;
  /** What the samples are as stored. */
  stored: SampleType | 'float16';
  bytesPerSample: number;
  compressionCode: number;
  predictorCode: number;
  fillOrderReversed: boolean;
  mode: PixelMode;
  /**
   * Frames this page holds: its samples per pixel when its separate planes are frames of a
   * stack (see `planesAsFrames`), else 1. `decodeFrame` then reads the plane whose blocks
   * `offsets` lists first.
   */
  planeFrames: number;
  /** Samples interleaved within one block (1 when planar). */
  samplesInBlock: number;
  /** Planes to decode (1 when contiguous; 3 for planar luminance; 1 for planar first-sample). */
  planesUsed: number;
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
  /** Per plane, row-major block grid. */
  offsets: number[];
  byteCounts: number[];
}

/**
 * Metadata of a frame, and its decoding plan when it can be decoded (else the reason).
 * Throws only when the directory is too broken to describe at all.
 */
export function describeFrame(
  tags: TagReader,
  index: number,
  littleEndian: boolean,
  fileLength: number,
  maxBytes: number,
  seriesDescription?: string
): { info: FrameInfo; plan?: FramePlan; error?: TiffError } {
  const info: FrameInfo = Private.basicInfo(tags, index, littleEndian);
  try {
    const plan = Private.plan(tags, info, littleEndian, fileLength, maxBytes, info.description ?? seriesDescription);
    return { info, plan };
  } catch (e) {
    if (!(e instanceof TiffError)) {
      throw e;
    }
    info.error = e.message;
    return { info, error: e };
  }
}

/**
 * Why the separate planes of a multi-sample page are the frames of a stack rather than the
 * samples (colour components) of its pixels, or undefined when they are samples.
 *
 * tifffile (up to at least 2023) writes a numpy stack of 3 or 4 frames as ONE page of
 * separate "RGB(A)" planes, with its shape as JSON description (`{"shape": [3, 1024, 1024]}`).
 * Planes are frames when: the tifffile description's shape ends with
 * [samples, height, width] and its axes (if any) do not name that axis `S` (samples); or an
 * ImageJ header counts `images=` a multiple of the samples; or the samples are wider than
 * 8 bits (16/32-bit integers, floats) and the photometric interpretation gives them no colour
 * meaning (min-is-black/white). Planar RGB that says so (tifffile axes `S`, or an RGB page
 * without such a description) stays colour.
 */
export function planesAsFrames(
  info: Pick<FrameInfo, 'samplesPerPixel' | 'width' | 'height' | 'photometric'>,
  stored: SampleType | 'float16',
  description: string | undefined
): string | undefined {
  const spp = info.samplesPerPixel;
  const text = description ?? '';
  const tifffile = Private.tifffileShape(text);
  if (tifffile) {
    const { shape, axes } = tifffile;
    const n = shape.length;
    if (n >= 3 && shape[n - 3] === spp && shape[n - 2] === info.height && shape[n - 1] === info.width) {
      if (axes?.[n - 3] === 'S') {
        return undefined;
      }
      return `tifffile shape [${shape.join(', ')}]${axes ? ` (axes ${axes})` : ''}`;
    }
  }
  const imagej = /^ImageJ=[^\n]*\n(?:[^\n]*\n)*?images=(\d+)/.exec(text);
  const images = imagej ? Number(imagej[1]) : 0;
  if (images >= spp && images % spp === 0) {
    return `ImageJ header images=${images}`;
  }
  const wide = stored !== 'bool' && stored !== 'uint8' && stored !== 'int8';
  if (wide && (info.photometric === 'min-is-black' || info.photometric === 'min-is-white')) {
    return `${spp} planes of ${stored} samples with photometric ${info.photometric}`;
  }
  return undefined;
}

/** Name of a TIFF compression code. */
export function compressionName(code: number): CompressionName {
  return Private.COMPRESSIONS[code] ?? `compression-${code}`;
}

namespace Private {
  /** The shape (and axes) of tifffile's JSON description, when the description is one. */
  export function tifffileShape(text: string): { shape: number[]; axes?: string } | undefined {
    if (!text.startsWith('{') || text.length > 100_000) {
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    const { shape, axes } = (parsed ?? {}) as { shape?: unknown; axes?: unknown };
    if (!Array.isArray(shape) || !shape.every(d => Number.isInteger(d) && d >= 0)) {
      return undefined;
    }
    return typeof axes === 'string' && axes.length === shape.length ? { shape, axes } : { shape };
  }

  export const COMPRESSIONS: Record<number, CompressionName> = {
    1: 'none',
    2: 'ccitt-rle',
    3: 'ccitt-fax3',
    4: 'ccitt-fax4',
    5: 'lzw',
    6: 'old-jpeg',
    7: 'jpeg',
    8: 'deflate',
    32946: 'deflate',
    32773: 'packbits',
    32771: 'ccitt-rle',
    33003: 'jpeg2000',
    33005: 'jpeg2000',
    34712: 'jpeg2000',
    34887: 'lerc',
    34925: 'lzma',
    50000: 'zstd',
    50001: 'webp',
    50002: 'jpegxl',
    52546: 'jpegxl'
  };

  const SUPPORTED_COMPRESSIONS = new Set([1, 5, 8, 32946, 32773]);

  const PHOTOMETRIC: Record<number, string> = {
    0: 'min-is-white',
    1: 'min-is-black',
    2: 'rgb',
    3: 'palette',
    4: 'transparency-mask',
    5: 'separated',
    6: 'ycbcr',
    8: 'cielab',
    9: 'icclab',
    10: 'itulab',
    32844: 'logl',
    32845: 'logluv',
    34892: 'linear-raw'
  };

  /** At most this many samples per pixel (a forged count must not drive allocations). */
  const MAX_SAMPLES = 64;

  export function basicInfo(tags: TagReader, index: number, littleEndian: boolean): FrameInfo {
    const where = `frame ${index}`;
    const width = tags.number(Tag.ImageWidth, 'ImageWidth', 0);
    const height = tags.number(Tag.ImageLength, 'ImageLength', 0);
    const spp = tags.number(Tag.SamplesPerPixel, 'SamplesPerPixel', 1);
    if (!(spp >= 1 && spp <= MAX_SAMPLES && Number.isInteger(spp))) {
      throw new TiffError(`corrupt TIFF: ${where} declares ${spp} samples per pixel`, 'corrupt');
    }
    const bits = tags.numbers(Tag.BitsPerSample, 'BitsPerSample', spp) ?? [1];
    const tiled = tags.has(Tag.TileWidth) || tags.has(Tag.TileOffsets);
    const compressionCode = tags.number(Tag.Compression, 'Compression', 1);
    const predictorCode = tags.number(Tag.Predictor, 'Predictor', 1);
    const photometricCode = tags.number(
      Tag.PhotometricInterpretation,
      'PhotometricInterpretation',
      spp >= 3 ? 2 : 1
    );
    const planarCode = tags.number(Tag.PlanarConfiguration, 'PlanarConfiguration', 1);
    const subfile = tags.number(Tag.NewSubfileType, 'NewSubfileType', 0);
    const rowsPerStrip = tags.number(Tag.RowsPerStrip, 'RowsPerStrip', height);
    const info: FrameInfo = {
      index,
      width,
      height,
      sampleType: 'uint8',
      bitsPerSample: bits[0],
      samplesPerPixel: spp,
      compression: compressionName(compressionCode),
      tiled,
      blockWidth: tiled ? tags.number(Tag.TileWidth, 'TileWidth', 0) : width,
      blockHeight: tiled
        ? tags.number(Tag.TileLength, 'TileLength', 0)
        : rowsPerStrip > 0 && rowsPerStrip < height
          ? rowsPerStrip
          : height,
      photometric: PHOTOMETRIC[photometricCode] ?? `photometric-${photometricCode}`,
      planar: planarCode === 2 ? 'separate' : 'contiguous',
      littleEndian,
      reducedResolution: (subfile & 1) === 1,
      notes: []
    };
    if (predictorCode === 2) {
      info.predictor = 'horizontal';
    } else if (predictorCode === 3) {
      info.predictor = 'floating-point';
    }
    const description = tags.text(Tag.ImageDescription);
    const software = tags.text(Tag.Software);
    const dateTime = tags.text(Tag.DateTime);
    if (description !== undefined) info.description = description;
    if (software !== undefined) info.software = software;
    if (dateTime !== undefined) info.dateTime = dateTime;
    return info;
  }

  /** Sample type as stored, from SampleFormat and BitsPerSample. */
  function storedType(format: number, bits: number, where: string): SampleType | 'float16' {
    const unsupported = (what: string): TiffError =>
      new TiffError(`unsupported TIFF: ${where} has ${what}`, 'unsupported-format');
    if (format === 3) {
      if (bits === 16) return 'float16';
      if (bits === 32) return 'float32';
      if (bits === 64) return 'float64';
      throw unsupported(`${bits}-bit floating-point samples (only 16, 32 and 64 bits are supported)`);
    }
    if (format === 5 || format === 6) {
      throw unsupported('complex-valued samples');
    }
    if (format !== 1 && format !== 2 && format !== 4) {
      throw new TiffError(`corrupt TIFF: ${where} has SampleFormat ${format}`, 'corrupt');
    }
    const signed = format === 2;
    switch (bits) {
      case 1:
        if (!signed) return 'bool';
        break;
      case 8:
        return signed ? 'int8' : 'uint8';
      case 16:
        return signed ? 'int16' : 'uint16';
      case 32:
        return signed ? 'int32' : 'uint32';
      case 64:
        throw unsupported('64-bit integer samples (no 64-bit integer image type)');
    }
    throw unsupported(
      `${bits}-bit ${signed ? 'signed ' : ''}integer samples (packed bit depths other than 1 are not supported; ` +
        'supported: 1, 8, 16, 32-bit integers and 16, 32, 64-bit floats)'
    );
  }

  function bytesOf(type: SampleType | 'float16'): number {
    switch (type) {
      case 'bool':
        return 0; // packed bits
      case 'uint8':
      case 'int8':
        return 1;
      case 'uint16':
      case 'int16':
      case 'float16':
        return 2;
      case 'float64':
        return 8;
      default:
        return 4;
    }
  }

  function budgetError(what: string, bytes: number, maxBytes: number): TiffError {
    const gib = (b: number): string =>
      b >= 2 ** 30
        ? `${(b / 2 ** 30).toFixed(1)} GiB`
        : b >= 2 ** 20
          ? `${(b / 2 ** 20).toFixed(1)} MiB`
          : `${(b / 2 ** 10).toFixed(1)} KiB`;
    return new TiffError(
      `too large: ${what} needs ${gib(bytes)}, more than the memory budget of ${gib(maxBytes)} (option maxBytes)`,
      'too-large'
    );
  }

  export function plan(
    tags: TagReader,
    info: FrameInfo,
    littleEndian: boolean,
    fileLength: number,
    maxBytes: number,
    description: string | undefined
  ): FramePlan {
    const where = `frame ${info.index}`;
    const { width, height, samplesPerPixel: spp } = info;
    if (!tags.has(Tag.ImageWidth) || !tags.has(Tag.ImageLength)) {
      throw new TiffError(`corrupt TIFF: ${where} has no ImageWidth/ImageLength tag`, 'bad-dimensions');
    }
    if (!(width >= 1 && height >= 1 && Number.isInteger(width) && Number.isInteger(height))) {
      throw new TiffError(`bad dimensions: ${where} is ${height} x ${width} pixels`, 'bad-dimensions');
    }
    if (width > 2 ** 31 - 1 || height > 2 ** 31 - 1) {
      throw new TiffError(`bad dimensions: ${where} is ${height} x ${width} pixels, beyond any real detector`, 'bad-dimensions');
    }

    // Compression.
    const compressionCode = tags.number(Tag.Compression, 'Compression', 1);
    if (!SUPPORTED_COMPRESSIONS.has(compressionCode)) {
      const label: Record<string, string> = {
        'ccitt-rle': 'CCITT modified Huffman RLE',
        'ccitt-fax3': 'CCITT Group 3 fax',
        'ccitt-fax4': 'CCITT Group 4 fax',
        'old-jpeg': 'old-style JPEG',
        jpeg: 'JPEG',
        jpeg2000: 'JPEG 2000',
        lerc: 'LERC',
        lzma: 'LZMA',
        zstd: 'Zstandard',
        webp: 'WebP',
        jpegxl: 'JPEG XL'
      };
      const name = info.compression;
      throw new TiffError(
        `unsupported compression: ${where} uses ${label[name] ?? `compression code ${compressionCode}`}` +
          ' (supported: none, LZW, Deflate, PackBits)',
        'unsupported-compression'
      );
    }

    // Samples.
    const bits = tags.numbers(Tag.BitsPerSample, 'BitsPerSample', spp) ?? [1];
    const formats = tags.numbers(Tag.SampleFormat, 'SampleFormat', spp) ?? [1];
    if (bits.some(b => b !== bits[0]) || formats.some(f => f !== formats[0])) {
      throw new TiffError(
        `unsupported TIFF: ${where} mixes samples of different types (BitsPerSample ${bits.join('/')})`,
        'unsupported-format'
      );
    }
    const stored = storedType(formats[0], bits[0], where);
    const bytesPerSample = bytesOf(stored);

    // Photometric interpretation and what becomes of several samples.
    const photometric = info.photometric;
    if (
      ['separated', 'ycbcr', 'cielab', 'icclab', 'itulab', 'logl', 'logluv'].includes(photometric) ||
      photometric.startsWith('photometric-')
    ) {
      throw new TiffError(
        `unsupported TIFF: ${where} has colour space '${photometric}' (supported: grayscale, RGB, palette indices)`,
        'unsupported-format'
      );
    }
    // Planar configuration.
    const planarCode = tags.number(Tag.PlanarConfiguration, 'PlanarConfiguration', 1);
    if (planarCode !== 1 && planarCode !== 2) {
      throw new TiffError(`corrupt TIFF: ${where} has PlanarConfiguration ${planarCode}`, 'corrupt');
    }
    const planar = planarCode === 2 && spp > 1;
    const framesWhy = planar && stored !== 'bool' ? planesAsFrames(info, stored, description) : undefined;
    let mode: PixelMode = 'gray';
    if (framesWhy) {
      info.notes.push(`the ${spp} separate planes of a page are read as ${spp} frames, not as colour samples (${framesWhy})`);
    } else if (spp > 1) {
      if (stored === 'bool') {
        throw new TiffError(`unsupported TIFF: ${where} has ${spp} one-bit samples per pixel`, 'unsupported-format');
      }
      if (photometric === 'rgb' && spp >= 3) {
        mode = 'luminance';
        info.notes.push('RGB converted to luminance (0.2125 R + 0.7154 G + 0.0721 B)');
        if (spp > 3) {
          info.notes.push(`${spp - 3} extra sample(s) per pixel (e.g. alpha) ignored`);
        }
      } else {
        mode = 'first-sample';
        info.notes.push(`${spp} samples per pixel: only the first is read, the others (e.g. alpha) are ignored`);
      }
    } else if (photometric === 'rgb') {
      throw new TiffError(`corrupt TIFF: ${where} is RGB with ${spp} sample per pixel`, 'corrupt');
    }
    if (photometric === 'palette') {
      info.notes.push('palette image: colour-map indices are returned, the colour map is ignored');
    } else if (photometric === 'min-is-white') {
      info.notes.push('stored as min-is-white: values are returned as stored, not inverted');
    }
    const sampleType: SampleType =
      mode === 'luminance'
        ? stored === 'float64'
          ? 'float64'
          : 'float32'
        : stored === 'float16'
          ? 'float32'
          : stored;
    info.sampleType = sampleType;
    if (stored === 'float16') {
      info.notes.push('16-bit floats widened to float32');
    }

    // Predictor: applied with LZW and Deflate only, as libtiff does.
    const predictorCode = tags.number(Tag.Predictor, 'Predictor', 1);
    let predictor = 1;
    if (predictorCode !== 1) {
      const predicted = compressionCode === 5 || compressionCode === 8 || compressionCode === 32946;
      if (predictorCode !== 2 && predictorCode !== 3) {
        throw new TiffError(`unsupported TIFF: ${where} uses predictor ${predictorCode}`, 'unsupported-format');
      }
      if (!predicted) {
        info.notes.push(`predictor ${predictorCode} ignored: it only applies to LZW and Deflate`);
        delete info.predictor;
      } else if (stored === 'bool') {
        throw new TiffError(`unsupported TIFF: ${where} uses a predictor on 1-bit samples`, 'unsupported-format');
      } else if (predictorCode === 3 && !stored.startsWith('float')) {
        throw new TiffError(
          `corrupt TIFF: ${where} uses the floating-point predictor on ${stored} samples`,
          'corrupt'
        );
      } else {
        predictor = predictorCode;
      }
    }

    const samplesInBlock = planar ? 1 : spp;
    const planes = planar ? spp : 1;
    const planesUsed = planar ? (mode === 'luminance' ? 3 : 1) : 1;

    // Block grid.
    const blockWidth = info.blockWidth;
    const blockHeight = info.blockHeight;
    if (!(blockWidth >= 1 && blockHeight >= 1 && Number.isInteger(blockWidth) && Number.isInteger(blockHeight))) {
      throw new TiffError(
        `bad dimensions: ${where} has ${info.tiled ? 'tiles' : 'strips'} of ${blockHeight} x ${blockWidth} pixels`,
        'bad-dimensions'
      );
    }
    if (info.tiled && (blockWidth > 2 ** 20 || blockHeight > 2 ** 20)) {
      throw new TiffError(`bad dimensions: ${where} has tiles of ${blockHeight} x ${blockWidth} pixels`, 'bad-dimensions');
    }
    const blocksAcross = Math.ceil(width / blockWidth);
    const blocksDown = Math.ceil(height / blockHeight);
    const blocks = blocksAcross * blocksDown * planes;

    // Memory: the output frame plus one decoded block.
    const outBytes = width * height * (sampleType === 'bool' ? 1 : bytesOf(sampleType));
    const blockBytes =
      stored === 'bool'
        ? Math.ceil(blockWidth / 8) * blockHeight
        : blockWidth * blockHeight * samplesInBlock * bytesPerSample;
    if (outBytes > maxBytes) {
      throw budgetError(`${where} (${height} x ${width} ${sampleType})`, outBytes, maxBytes);
    }
    // One block buffer per plane used, plus one decoded block in flight.
    const workBytes = outBytes + (planesUsed + 1) * blockBytes;
    if (workBytes > maxBytes) {
      throw budgetError(`decoding ${where} (blocks of ${blockHeight} x ${blockWidth})`, workBytes, maxBytes);
    }

    // Offsets and byte counts, checked against the file.
    const offsetTag = info.tiled ? Tag.TileOffsets : Tag.StripOffsets;
    const countTag = info.tiled ? Tag.TileByteCounts : Tag.StripByteCounts;
    const kind = info.tiled ? 'tile' : 'strip';
    const offsetName = info.tiled ? 'TileOffsets' : 'StripOffsets';
    const nOffsets = tags.count(offsetTag);
    if (nOffsets === 0) {
      throw new TiffError(`corrupt TIFF: ${where} has no ${offsetName} tag`, 'corrupt');
    }
    if (nOffsets < blocks) {
      throw new TiffError(
        `corrupt TIFF: ${where} lists ${nOffsets} ${kind} offsets, ${blocks} are needed for ${height} x ${width} pixels`,
        'corrupt'
      );
    }
    const offsets = tags.numbers(offsetTag, offsetName, nOffsets)!.slice(0, blocks);
    let byteCounts = tags.numbers(countTag, info.tiled ? 'TileByteCounts' : 'StripByteCounts', nOffsets);
    const rowBytes =
      stored === 'bool' ? Math.ceil(blockWidth / 8) : blockWidth * samplesInBlock * bytesPerSample;
    if (byteCounts === undefined || byteCounts.length < blocks) {
      if (compressionCode !== 1) {
        throw new TiffError(`corrupt TIFF: ${where} has no byte counts for its ${kind}s`, 'corrupt');
      }
      // Uncompressed: the sizes follow from the geometry.
      byteCounts = offsets.map((_, i) => {
        const down = Math.floor(i / blocksAcross) % blocksDown;
        const rows = info.tiled ? blockHeight : Math.min(blockHeight, height - down * blockHeight);
        return rows * rowBytes;
      });
    }
    byteCounts = byteCounts.slice(0, blocks);
    for (let i = 0; i < blocks; i++) {
      const offset = offsets[i];
      const count = byteCounts[i];
      if (!(count > 0)) {
        throw new TiffError(`corrupt TIFF: ${kind} ${i} of ${where} is empty (byte count ${count})`, 'corrupt');
      }
      if (offset + count > fileLength) {
        throw new TiffError(
          `truncated TIFF: ${kind} ${i} of ${where} lies at bytes ${offset}–${offset + count}, ` +
            `past the end of the file (${fileLength} bytes)`,
          'truncated'
        );
      }
    }
    return {
      info,
      littleEndian,
      stored,
      bytesPerSample,
      compressionCode,
      predictorCode: predictor,
      fillOrderReversed: tags.number(Tag.FillOrder, 'FillOrder', 1) === 2,
      mode,
      planeFrames: framesWhy ? spp : 1,
      samplesInBlock,
      planesUsed,
      blockWidth,
      blockHeight,
      blocksAcross,
      blocksDown,
      offsets,
      byteCounts
    };
  }
}
