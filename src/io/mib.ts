/**
 * Medipix/Merlin MIB (Quantum Detectors' Merlin readout): every frame is an ASCII header of
 * comma-separated fields ("MQ1", sequence number, header size, chip count, width, height, pixel
 * depth, sensor layout, chip select, time stamp, shutter time in s, ...) padded to the header
 * size (384 bytes for one chip, 768 for a quad), followed by width × height big-endian samples.
 * One file holds one frame or many of the same size (the header is repeated).
 *
 * Pixel depths read: U08, U16, U32; U01 (1-bit counters, returned as uint8 0/1), stored one
 * byte per pixel or packed 8 pixels per byte (most significant bit first): the frame's length
 * in the file decides (where the next header starts, or the file's end); and the raw mode R64
 * (the chips' readout order, 1-, 6- and 12-bit counters, single chip and quad layouts:
 * ./mib-raw.ts), whose counter depth the "MQ1A" extended header states.
 */
import { FormatError } from './format-error.js';
import type { DiffractionImage, SampleType } from './image.js';
import type { ImageFileInfo, ImageMetadata, OpenImageOptions, RangedImageFile } from './image-file.js';
import { DEFAULT_IMAGE_MAX_BYTES } from './image-file.js';
import { decodeRawMib, type RawMibLayout, rawMibLayout } from './mib-raw.js';
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
  /**
   * Bytes of a U01 frame: one per pixel or 8 pixels per byte, as the file shows (the file ends,
   * or the next frame's header starts, after one of the two); packed when it shows neither.
   */
  export function u01Bytes(bytes: Uint8Array, headerSize: number, pixels: number): number {
    const packed = Math.ceil(pixels / 8);
    for (const size of [pixels, packed]) {
      const end = headerSize + size;
      if (bytes.length === end || ascii(bytes, end, end + 4) === 'MQ1,') return size;
    }
    return packed;
  }

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
      // The extended header: "MQ1A", time stamp, shutter time in ns, counter depth.
      const ext = fields.indexOf('MQ1A');
      const counterDepth = ext >= 0 ? Number(fields[ext + 3]?.trim()) : undefined;
      let spec = DEPTHS[depth];
      if (depth === 'R64') {
        this.raw = rawMibLayout(width, height, fields[7] ?? '', Number.isInteger(counterDepth) ? counterDepth : undefined);
        spec = { type: this.raw.depth === 12 ? 'uint16' : 'uint8', bits: 0 };
      }
      if (!spec) {
        throw new FormatError(`unsupported MIB data: pixel depth "${depth}" (U01, U08, U16, U32 and R64 are read)`, 'unsupported-format', 'mib');
      }
      const outHeight = this.raw?.height ?? height;
      const outWidth = this.raw?.width ?? width;
      checkBudget('mib', outHeight, outWidth, spec.type, maxBytes);
      this.spec = spec;
      this.headerSize = headerSize;
      this.dataBytes = this.raw?.dataBytes ?? (spec.bits === 1 ? Private.u01Bytes(bytes, headerSize, width * height) : (width * height * spec.bits) / 8);
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
      if (depth === 'U01' && this.dataBytes < width * height) {
        notes.push('1-bit frames unpacked to 0/1 (8 pixels per byte, most significant bit first)');
      }
      if (this.raw) {
        notes.push(`raw (R64) ${this.raw.depth}-bit frames put in image order (sensor layout ${(fields[7] ?? '').trim()})`);
      }
      const metadata: ImageMetadata = {};
      const shutter = Number(fields[10]);
      if (Number.isFinite(shutter) && shutter > 0) {
        metadata.exposureTime = { value: shutter, unit: 's' };
      }
      this.info = {
        format: 'mib',
        width: outWidth,
        height: outHeight,
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
        if (this.raw) {
          const out = allocate('mib', this.spec.type, width * height) as Uint8Array | Uint16Array;
          decodeRawMib(this.bytes, offset, this.raw, out);
          return { height, width, data: out, sampleType: this.spec.type };
        }
        if (this.spec.bits === 1 && this.dataBytes === width * height) {
          return readRawFrame('mib', this.bytes, offset, height, width, 'uint8', false, `frame ${index}`);
        }
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

    private readonly raw: RawMibLayout | undefined;
    private readonly spec: { type: SampleType; bits: number };
    private readonly headerSize: number;
    private readonly dataBytes: number;
    private readonly stride: number;
  }
}
