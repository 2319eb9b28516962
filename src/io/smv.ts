/**
 * SMV (`.img`, ADSC and Rigaku "Super Marty View"): an ASCII header "{\nKEY=value;\n...}"
 * padded to HEADER_BYTES, then SIZE2 rows of SIZE1 samples (SIZE1 is the fast axis, columns).
 * TYPE (or Data_type) unsigned_short / unsigned_int (and signed_short / signed_int / float / double, rare),
 * BYTE_ORDER little_endian or big_endian. One frame per file.
 *
 * Metadata: PIXEL_SIZE (mm), DISTANCE (mm), WAVELENGTH (Å), and BEAM_CENTER_X / BEAM_CENTER_Y
 * (mm). The beam center is converted to pixels with the ADSC convention DIALS and fabio use for
 * these files: BEAM_CENTER_X is along the slow axis (rows) and BEAM_CENTER_Y along the fast
 * axis (columns), both from the first pixel's corner, so row = X / pixel − 0.5 and
 * col = Y / pixel − 0.5 (pixel centers at integers). Other detectors' conventions differ: the
 * source string says which keys were used.
 */
import { FormatError } from './format-error.js';
import type { DiffractionImage, SampleType } from './image.js';
import type { ImageFileInfo, ImageMetadata, OpenImageOptions, RangedImageFile } from './image-file.js';
import { DEFAULT_IMAGE_MAX_BYTES } from './image-file.js';
import { ascii, asBytes, BYTES_PER_SAMPLE, checkBudget, checkDimensions, checkFrameIndex, guardFormat, readRawFrame } from './raw.js';

/** Whether the bytes start like an SMV header. */
export function looksLikeSmv(bytes: Uint8Array): boolean {
  return /^\{\s*\n?\s*[A-Z_0-9]+\s*=/.test(ascii(bytes, 0, 64)) && ascii(bytes, 0, 512).includes('HEADER_BYTES');
}

/** The KEY=value; pairs of an SMV/ADSC-style header (keys as written). */
export function parseSmvHeader(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z_0-9]*)\s*=\s*([^;\n]*);/g)) {
    fields.set(m[1], m[2].trim());
  }
  return fields;
}

/** Open an SMV file held in memory. @throws FormatError */
export async function openSmv(
  buffer: ArrayBuffer | ArrayBufferView,
  options: OpenImageOptions = {}
): Promise<RangedImageFile> {
  const bytes = asBytes(buffer);
  const maxBytes = options.maxBytes ?? DEFAULT_IMAGE_MAX_BYTES;
  return guardFormat('smv', 'reading the header', () => new Private.SmvFile(bytes, maxBytes, options.fileLength ?? bytes.length));
}

namespace Private {
  const TYPES: Record<string, SampleType> = {
    unsigned_short: 'uint16',
    unsigned_int: 'uint32',
    unsigned_long: 'uint32',
    signed_short: 'int16',
    short: 'int16',
    signed_int: 'int32',
    int: 'int32',
    long: 'int32',
    unsigned_char: 'uint8',
    float: 'float32',
    float_ieee: 'float32',
    double: 'float64'
  };

  export class SmvFile implements RangedImageFile {
    readonly info: ImageFileInfo;

    constructor(
      private readonly bytes: Uint8Array,
      maxBytes: number,
      fileLength: number
    ) {
      const first = parseSmvHeader(ascii(bytes, 0, 1024));
      const headerBytes = Number(first.get('HEADER_BYTES'));
      if (!Number.isInteger(headerBytes) || headerBytes < 16 || headerBytes > 1 << 20) {
        throw new FormatError(`corrupt SMV header: HEADER_BYTES is "${first.get('HEADER_BYTES') ?? 'missing'}"`, 'corrupt', 'smv');
      }
      if (bytes.length < headerBytes) {
        throw new FormatError(`truncated: the SMV header is ${headerBytes} bytes, the file has ${Math.min(bytes.length, fileLength)}`, 'truncated', 'smv');
      }
      const header = ascii(bytes, 0, headerBytes);
      const end = header.indexOf('}');
      const fields = parseSmvHeader(end >= 0 ? header.slice(0, end) : header);
      const width = Number(fields.get('SIZE1'));
      const height = Number(fields.get('SIZE2'));
      checkDimensions('smv', height, width, 1);
      const dim = fields.get('DIM');
      if (dim !== undefined && dim !== '2') {
        throw new FormatError(`unsupported SMV data: DIM=${dim} (2-D images are read)`, 'unsupported-format', 'smv');
      }
      // TYPE (ADSC, Rigaku) or Data_type (fabio's writer: "unsigned short int"); ADSC's default is unsigned short.
      const typeName = (fields.get('TYPE') ?? fields.get('Data_type')?.replace(/\s+int$/i, '').replace(/\s+/g, '_') ?? 'unsigned_short').toLowerCase();
      const type = TYPES[typeName];
      if (!type) {
        throw new FormatError(`unsupported SMV data: TYPE=${typeName}`, 'unsupported-format', 'smv');
      }
      const order = (fields.get('BYTE_ORDER') ?? '').toLowerCase();
      const notes: string[] = [];
      if (order !== 'little_endian' && order !== 'big_endian') {
        notes.push(`BYTE_ORDER "${order}" not understood: read as little-endian`);
      }
      if (fields.has('COMPRESSION') && !/^none$/i.test(fields.get('COMPRESSION')!)) {
        throw new FormatError(`unsupported SMV data: COMPRESSION=${fields.get('COMPRESSION')}`, 'unsupported-compression', 'smv');
      }
      checkBudget('smv', height, width, type, maxBytes);
      this.type = type;
      this.offset = headerBytes;
      this.littleEndian = order !== 'big_endian';
      this.info = {
        format: 'smv',
        width,
        height,
        frames: 1,
        sampleType: type,
        littleEndian: this.littleEndian,
        notes,
        metadata: metadataOf(fields),
        description: header.slice(0, end >= 0 ? end + 1 : header.length).replace(/\0+$/, '')
      };
    }

    async readFrame(index: number): Promise<DiffractionImage> {
      return this.decodeAt(this.bytes, this.frameSpan(index).offset);
    }

    frameSpan(index: number): { offset: number; length: number } {
      checkFrameIndex('smv', index, 1);
      const { height, width } = this.info;
      return { offset: this.offset, length: height * width * BYTES_PER_SAMPLE[this.type] };
    }

    decodeSpan(_index: number, bytes: Uint8Array): DiffractionImage {
      return this.decodeAt(bytes, 0);
    }

    private decodeAt(bytes: Uint8Array, offset: number): DiffractionImage {
      const { height, width } = this.info;
      return guardFormat('smv', 'reading the image', () =>
        readRawFrame('smv', bytes, offset, height, width, this.type, this.littleEndian, 'the image')
      );
    }

    private readonly type: SampleType;
    private readonly offset: number;
    private readonly littleEndian: boolean;
  }

  function metadataOf(fields: Map<string, string>): ImageMetadata {
    const metadata: ImageMetadata = {};
    const num = (key: string): number | undefined => {
      const v = Number(fields.get(key));
      return fields.has(key) && Number.isFinite(v) ? v : undefined;
    };
    const pixel = num('PIXEL_SIZE');
    if (pixel !== undefined && pixel > 0) {
      metadata.pixelSize = { row: { value: pixel, unit: 'mm' }, col: { value: pixel, unit: 'mm' } };
    }
    const distance = num('DISTANCE');
    if (distance !== undefined) metadata.detectorDistance = { value: distance, unit: 'mm' };
    const wavelength = num('WAVELENGTH');
    if (wavelength !== undefined) metadata.wavelength = { value: wavelength, unit: 'Å' };
    const time = num('TIME') ?? num('EXPOSURE_TIME');
    if (time !== undefined) metadata.exposureTime = { value: time, unit: 's' };
    const x = num('BEAM_CENTER_X');
    const y = num('BEAM_CENTER_Y');
    if (x !== undefined && y !== undefined && pixel !== undefined && pixel > 0) {
      metadata.beamCenter = {
        row: x / pixel - 0.5,
        col: y / pixel - 0.5,
        source: `BEAM_CENTER_X=${x} mm, BEAM_CENTER_Y=${y} mm, PIXEL_SIZE=${pixel} mm (ADSC convention: X along rows)`
      };
    }
    return metadata;
  }
}
