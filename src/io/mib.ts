/**
 * Medipix/Merlin MIB (Quantum Detectors' Merlin readout): every frame is an ASCII header of
 * comma-separated fields ("MQ1", sequence number, header size, chip count, width, height, pixel
 * depth, sensor layout, chip select, time stamp, shutter time in s, ...) padded to the header
 * size (384 bytes for one chip, 768 for a quad), followed by width × height big-endian samples.
 * One file holds one frame or many of the same size (the header is repeated).
 *
 * Pixel depths read: U01 (1 bit per pixel, 8 pixels per byte, most significant bit first,
 * returned as uint8 0/1), U08, U16, U32. Refused: the raw mode R64, whose samples are in the
 * chips' readout order, not in image order (save "as image" in the Merlin software).
 */
import { FormatError } from './format-error.js';
import type { DiffractionImage, SampleType } from './image.js';
import type { ImageFileInfo, ImageMetadata, OpenImageOptions, RangedImageFile } from './image-file.js';
import { DEFAULT_IMAGE_MAX_BYTES } from './image-file.js';
import { allocate, ascii, asBytes, checkBudget, checkDimensions, checkFrameIndex, guardFormat, readRawFrame } from './raw.js';

/** Whether the bytes start like a MIB frame header. */
export function looksLikeMib(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 4) === 'MQ1,';
}

/** Open a MIB file held in memory. @throws FormatError */
export async function openMib(
  buffer: ArrayBuffer | ArrayBufferView,
  options: OpenImageOptions = {}
): Promise<RangedImageFile> {
  const bytes = asBytes(buffer);
  const maxBytes = options.maxBytes ?? DEFAULT_IMAGE_MAX_BYTES;
  return guardFormat('mib', 'reading the header', () => new Private.MibFile(bytes, maxBytes, options.fileLength ?? bytes.length));
}

namespace Private {
  const DEPTHS: Record<string, { type: SampleType; bits: number }> = {
    U01: { type: 'uint8', bits: 1 },
    U08: { type: 'uint8', bits: 8 },
    U16: { type: 'uint16', bits: 16 },
    U32: { type: 'uint32', bits: 32 }
  };

  export class MibFile implements RangedImageFile {
    readonly info: ImageFileInfo;

    constructor(
      private readonly bytes: Uint8Array,
      maxBytes: number,
      fileLength: number
    ) {
      if (!looksLikeMib(bytes)) {
        throw new FormatError('not a MIB file: it does not start with "MQ1,"', 'not-this-format', 'mib');
      }
      // The header size is the third field; read the first 1 KiB at most to find it.
      const fields = ascii(bytes, 0, Math.min(bytes.length, 1024)).split(',');
      const headerSize = Number(fields[2]);
      const width = Number(fields[4]);
      const height = Number(fields[5]);
      const depth = (fields[6] ?? '').trim();
      if (!Number.isInteger(headerSize) || headerSize < 64 || headerSize > 65536 || fields.length < 8) {
        throw new FormatError(`corrupt MIB header: header size "${fields[2]}"`, 'corrupt', 'mib');
      }
      if (bytes.length < headerSize) {
        throw new FormatError(`truncated: the MIB header is ${headerSize} bytes, the file has ${bytes.length}`, 'truncated', 'mib');
      }
      checkDimensions('mib', height, width, 1);
      if (depth === 'R64') {
        throw new FormatError(
          'unsupported MIB data: raw mode (R64) stores samples in the chips\' readout order; save the frames as image data (U01–U32)',
          'unsupported-format',
          'mib'
        );
      }
      const spec = DEPTHS[depth];
      if (!spec) {
        throw new FormatError(`unsupported MIB data: pixel depth "${depth}" (U01, U08, U16 and U32 are read)`, 'unsupported-format', 'mib');
      }
      checkBudget('mib', height, width, spec.type, maxBytes);
      this.spec = spec;
      this.headerSize = headerSize;
      this.dataBytes = Math.ceil((width * height * spec.bits) / 8);
      this.stride = headerSize + this.dataBytes;
      const frames = Math.floor(fileLength / this.stride);
      if (frames < 1) {
        throw new FormatError(
          `truncated: a ${height} × ${width} ${depth} MIB frame needs ${this.stride} bytes, the file has ${fileLength}`,
          'truncated',
          'mib'
        );
      }
      const notes: string[] = [];
      const rest = fileLength - frames * this.stride;
      if (rest > 0) {
        notes.push(`${rest} bytes after the last whole frame are ignored (an incomplete frame?)`);
      }
      if (depth === 'U01') {
        notes.push('1-bit frames unpacked to 0/1 (most significant bit first)');
      }
      const metadata: ImageMetadata = {};
      const shutter = Number(fields[10]);
      if (Number.isFinite(shutter) && shutter > 0) {
        metadata.exposureTime = { value: shutter, unit: 's' };
      }
      this.info = {
        format: 'mib',
        width,
        height,
        frames,
        sampleType: spec.type,
        littleEndian: false,
        notes,
        metadata,
        description: fields.slice(0, 12).join(',')
      };
    }

    async readFrame(index: number): Promise<DiffractionImage> {
      return this.decodeAt(index, this.bytes, this.frameSpan(index).offset);
    }

    frameSpan(index: number): { offset: number; length: number } {
      checkFrameIndex('mib', index, this.info.frames);
      return { offset: index * this.stride, length: this.stride };
    }

    decodeSpan(index: number, bytes: Uint8Array): DiffractionImage {
      return this.decodeAt(index, bytes, 0);
    }

    /** Frame `index`, its header starting at `start` of `bytes`. */
    private decodeAt(index: number, bytes: Uint8Array, start: number): DiffractionImage {
      return guardFormat('mib', `reading frame ${index}`, () => {
        if (ascii(bytes, start, start + 4) !== 'MQ1,') {
          throw new FormatError(`corrupt MIB file: frame ${index} does not start with a "MQ1," header`, 'corrupt', 'mib');
        }
        const { width, height } = this.info;
        const offset = start + this.headerSize;
        if (this.spec.bits === 1) {
          const out = allocate('mib', 'uint8', width * height);
          for (let i = 0; i < out.length; i++) {
            out[i] = (bytes[offset + (i >> 3)] >> (7 - (i & 7))) & 1;
          }
          return { height, width, data: out, sampleType: 'uint8' as const };
        }
        return readRawFrame('mib', bytes, offset, height, width, this.spec.type, false, `frame ${index}`);
      });
    }

    private readonly spec: { type: SampleType; bits: number };
    private readonly headerSize: number;
    private readonly dataBytes: number;
    private readonly stride: number;
  }
}
