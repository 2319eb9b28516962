/**
 * CBF (Crystallographic Binary File) with byte-offset compression, as Pilatus and Eiger
 * "miniCBF" files write it: a CIF text header, then a binary section introduced by MIME-like
 * lines (conversions="x-CBF_BYTE_OFFSET", X-Binary-Size, X-Binary-Element-Type,
 * X-Binary-Size-Fastest-Dimension, X-Binary-Size-Second-Dimension, ...) and the 4-byte start
 * marker 0C 1A 04 D5.
 *
 * Byte offset (the CBFlib specification): each value is the previous plus a difference stored as
 * one signed byte; the byte -128 announces a 16-bit little-endian difference, whose value -32768
 * announces a 32-bit one, whose minimum announces a 64-bit one. Values are returned as int32
 * (Pilatus' element type), so the detector's gaps (-1) and bad pixels (-2) stay as they are:
 * the viewer and the engine treat negative values as invalid. One image per file.
 *
 * Refused: other compressions (packed, canonical, none), element types other than 8/16/32-bit
 * integers, and values beyond int32. Metadata from the Pilatus header lines ("# Pixel_size",
 * "# Detector_distance", "# Wavelength", "# Beam_xy (x, y) pixels", "# Exposure_time").
 */
import { FormatError } from './format-error.js';
import type { DiffractionImage } from './image.js';
import type { ImageFile, ImageFileInfo, ImageMetadata, OpenImageOptions } from './image-file.js';
import { DEFAULT_IMAGE_MAX_BYTES } from './image-file.js';
import { allocate, ascii, asBytes, checkBudget, checkDimensions, checkFrameIndex, guardFormat } from './raw.js';

/** Whether the bytes start like a CBF file. */
export function looksLikeCbf(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 15) === '###CBF: VERSION' || /^(data_|###CBF)/.test(ascii(bytes, 0, 8));
}

/** Open a CBF file held in memory. @throws FormatError */
export async function openCbf(
  buffer: ArrayBuffer | ArrayBufferView,
  options: OpenImageOptions = {}
): Promise<ImageFile> {
  const bytes = asBytes(buffer);
  return guardFormat('cbf', 'reading the header', () => new Private.CbfFile(bytes, options.maxBytes ?? DEFAULT_IMAGE_MAX_BYTES));
}

namespace Private {
  const MARKER = [0x0c, 0x1a, 0x04, 0xd5];
  /** Headers longer than this without a binary section are refused (no search through GBs). */
  const MAX_HEADER = 1 << 20;

  function findMarker(bytes: Uint8Array): number {
    const limit = Math.min(bytes.length - 3, MAX_HEADER);
    for (let i = 0; i < limit; i++) {
      if (bytes[i] === MARKER[0] && bytes[i + 1] === MARKER[1] && bytes[i + 2] === MARKER[2] && bytes[i + 3] === MARKER[3]) {
        return i;
      }
    }
    return -1;
  }

  export class CbfFile implements ImageFile {
    readonly info: ImageFileInfo;

    constructor(
      private readonly bytes: Uint8Array,
      maxBytes: number
    ) {
      const marker = findMarker(bytes);
      if (marker < 0) {
        throw new FormatError('corrupt CBF file: no binary section (start marker 0C 1A 04 D5) in the first MiB', 'corrupt', 'cbf');
      }
      const header = ascii(bytes, 0, marker);
      const section = header.lastIndexOf('--CIF-BINARY-FORMAT-SECTION--');
      const mime = section >= 0 ? header.slice(section) : header;
      const field = (name: string): string | undefined =>
        new RegExp(`^${name}:\\s*(.*?)\\s*$`, 'im').exec(mime)?.[1];
      const conversions = /conversions\s*=\s*"?([^";\s]+)"?/i.exec(mime)?.[1] ?? 'none';
      if (conversions.toLowerCase() !== 'x-cbf_byte_offset') {
        throw new FormatError(
          `unsupported CBF compression: ${conversions} (byte-offset, x-CBF_BYTE_OFFSET, is read)`,
          'unsupported-compression',
          'cbf'
        );
      }
      const elementType = (field('X-Binary-Element-Type') ?? '"signed 32-bit integer"').replace(/"/g, '');
      if (!/^(un)?signed (8|16|32)-bit integer$/i.test(elementType)) {
        throw new FormatError(`unsupported CBF data: element type "${elementType}"`, 'unsupported-format', 'cbf');
      }
      const width = Number(field('X-Binary-Size-Fastest-Dimension'));
      const height = Number(field('X-Binary-Size-Second-Dimension'));
      const third = field('X-Binary-Size-Third-Dimension');
      checkDimensions('cbf', height, width, 1);
      if (third !== undefined && Number(third) !== 1) {
        throw new FormatError(`unsupported CBF data: a third dimension of ${third}`, 'unsupported-format', 'cbf');
      }
      const count = Number(field('X-Binary-Number-of-Elements') ?? width * height);
      if (count !== width * height) {
        throw new FormatError(
          `bad dimensions: the CBF section holds ${count} elements, not ${height} × ${width}`,
          'bad-dimensions',
          'cbf'
        );
      }
      const size = Number(field('X-Binary-Size'));
      this.start = marker + 4;
      this.end = Number.isInteger(size) && size >= 0 ? this.start + size : bytes.length;
      if (this.end > bytes.length) {
        throw new FormatError(
          `truncated: the CBF binary section declares ${size} bytes, the file holds ${bytes.length - this.start}`,
          'truncated',
          'cbf'
        );
      }
      checkBudget('cbf', height, width, 'int32', maxBytes);
      this.info = {
        format: 'cbf',
        width,
        height,
        frames: 1,
        sampleType: 'int32',
        littleEndian: true,
        notes: ['byte-offset compressed; gaps (-1) and bad pixels (-2) kept as negative values'],
        metadata: metadataOf(header),
        description: header.slice(0, section >= 0 ? section : header.length).trim().slice(0, 4096)
      };
    }

    async readFrame(index: number): Promise<DiffractionImage> {
      checkFrameIndex('cbf', index, 1);
      return guardFormat('cbf', 'decoding the image', () => this.decode());
    }

    private decode(): DiffractionImage {
      const { width, height } = this.info;
      const n = width * height;
      const out = allocate('cbf', 'int32', n) as Int32Array;
      const b = this.bytes;
      const end = this.end;
      let p = this.start;
      let value = 0;
      const need = (k: number): void => {
        if (p + k > end) {
          throw new FormatError(`truncated: the CBF data ends after ${p - this.start} bytes, ${n} values expected`, 'truncated', 'cbf');
        }
      };
      for (let i = 0; i < n; i++) {
        need(1);
        let delta = (b[p] << 24) >> 24;
        p += 1;
        if (delta === -128) {
          need(2);
          delta = ((b[p] | (b[p + 1] << 8)) << 16) >> 16;
          p += 2;
          if (delta === -32768) {
            need(4);
            delta = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
            p += 4;
            if (delta === -2147483648) {
              need(8);
              const low = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
              const high = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
              p += 8;
              delta = high * 4294967296 + (low >>> 0);
            }
          }
        }
        value += delta;
        if (value > 2147483647 || value < -2147483648) {
          throw new FormatError(`unsupported CBF data: value ${value} at element ${i} exceeds 32 bits`, 'unsupported-format', 'cbf');
        }
        out[i] = value;
      }
      return { height, width, data: out, sampleType: 'int32' };
    }

    private readonly start: number;
    private readonly end: number;
  }

  /** The Pilatus header lines ("# Key value unit"). */
  function metadataOf(header: string): ImageMetadata {
    const metadata: ImageMetadata = {};
    const line = (key: string): string | undefined => new RegExp(`^#\\s*${key}[\\s:=]+(.*)$`, 'im').exec(header)?.[1];
    const pixel = line('Pixel_size');
    const px = pixel && /([-+0-9.eE]+)\s*(\w+)\s*x\s*([-+0-9.eE]+)\s*(\w+)/.exec(pixel);
    if (px) {
      metadata.pixelSize = { row: { value: Number(px[3]), unit: px[4] }, col: { value: Number(px[1]), unit: px[2] } };
    }
    const quantity = (key: string): { value: number; unit: string } | undefined => {
      const m = /^([-+0-9.eE]+)\s*([A-Za-z]*)/.exec(line(key) ?? '');
      return m && Number.isFinite(Number(m[1])) ? { value: Number(m[1]), unit: m[2] } : undefined;
    };
    const distance = quantity('Detector_distance');
    if (distance) metadata.detectorDistance = distance;
    const wavelength = quantity('Wavelength');
    if (wavelength) metadata.wavelength = { value: wavelength.value, unit: wavelength.unit === 'A' ? 'Å' : wavelength.unit };
    const exposure = quantity('Exposure_time');
    if (exposure) metadata.exposureTime = exposure;
    const beam = /\(\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\)/.exec(line('Beam_xy') ?? '');
    if (beam) {
      // Pilatus: (x, y) = (fast, slow) in pixels from the first pixel's corner.
      metadata.beamCenter = {
        row: Number(beam[2]) - 0.5,
        col: Number(beam[1]) - 0.5,
        source: `# Beam_xy (${beam[1]}, ${beam[2]}) pixels (x fast, from the pixel corner)`
      };
    }
    return metadata;
  }
}
