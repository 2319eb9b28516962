/**
 * Gatan DigitalMicrograph DM3 and DM4 images. The tag tree (dm-tags.ts) holds an `ImageList`
 * group; each image has `ImageData` with `Data` (the pixel array), `DataType`, `Dimensions`
 * (width, height[, frames]) and `Calibrations`. The first image of DM3 files is usually a small
 * RGB thumbnail: the image read is the largest non-RGB one (the thumbnail is never the image).
 * A third dimension is a stack of frames. Pixels are x fastest, so a frame is `height` rows of
 * `width` samples.
 *
 * Read: int8, uint8, int16, uint16, int32, uint32, float32, float64 and bool data (int64 and
 * uint64 as float64, with a note). Refused: complex, packed complex and RGB images, 4-D data.
 * Metadata: pixel size from `Calibrations/Dimension` (scale and units, e.g. 1/nm in
 * diffraction), accelerating voltage and camera length from `ImageTags/Microscope Info`.
 */
import { dmPath, dmVersion, isGroup, parseDmTags, type DmArray, type DmGroup, type DmValue } from './dm-tags.js';
import { FormatError } from './format-error.js';
import type { DiffractionImage, SampleType } from './image.js';
import type { ImageFile, ImageFileInfo, ImageMetadata, OpenImageOptions } from './image-file.js';
import { DEFAULT_IMAGE_MAX_BYTES } from './image-file.js';
import { asBytes, checkBudget, checkDimensions, checkFrameIndex, guardFormat, readRawFrame } from './raw.js';

/** Whether the bytes start like a DM3/DM4 file. */
export function looksLikeDm(bytes: Uint8Array): boolean {
  return dmVersion(bytes) !== null;
}

/** Open a DM3 or DM4 file held in memory. @throws FormatError */
export async function openDm(
  buffer: ArrayBuffer | ArrayBufferView,
  options: OpenImageOptions = {}
): Promise<ImageFile> {
  const bytes = asBytes(buffer);
  const format = dmVersion(bytes) === 4 ? 'dm4' : 'dm3';
  return guardFormat(format, 'reading the tags', () => new Private.DmFile(bytes, options.maxBytes ?? DEFAULT_IMAGE_MAX_BYTES));
}

namespace Private {
  /** Array element type → sample type read (and whether converted). */
  const ELEMENTS: Record<number, { type: SampleType; from?: string }> = {
    2: { type: 'int16' },
    3: { type: 'int32' },
    4: { type: 'uint16' },
    5: { type: 'uint32' },
    6: { type: 'float32' },
    7: { type: 'float64' },
    8: { type: 'uint8', from: 'bool' },
    9: { type: 'int8' },
    10: { type: 'uint8' },
    11: { type: 'float64', from: 'int64' },
    12: { type: 'float64', from: 'uint64' }
  };
  /** DataType codes refused (complex, RGB). */
  const REFUSED: Record<number, string> = {
    3: 'complex64',
    5: 'packed complex',
    8: 'RGB',
    13: 'complex128',
    23: 'RGBA'
  };

  interface Candidate {
    index: number;
    data: DmArray | number[];
    dataType: number;
    dims: number[];
    image: DmGroup;
  }

  export class DmFile implements ImageFile {
    readonly info: ImageFileInfo;

    constructor(
      private readonly bytes: Uint8Array,
      maxBytes: number
    ) {
      const tree = parseDmTags(bytes);
      const format = tree.version === 4 ? 'dm4' : 'dm3';
      this.format = format;
      this.littleEndian = tree.littleEndian;
      const list = dmPath(tree.root, 'ImageList');
      const candidates: Candidate[] = [];
      if (isGroup(list)) {
        list.entries.forEach((entry, index) => {
          const image = entry.value;
          if (!isGroup(image)) return;
          const data = dmPath(image, 'ImageData', 'Data');
          const dims = dmPath(image, 'ImageData', 'Dimensions');
          const dataType = Number(dmPath(image, 'ImageData', 'DataType') ?? -1);
          if (!isGroup(dims) || !(Array.isArray(data) || isArray(data))) return;
          const sizes = dims.entries.map(e => Number(e.value));
          candidates.push({ index, data: data as DmArray | number[], dataType, dims: sizes, image });
        });
      }
      const count = (c: Candidate): number => (Array.isArray(c.data) ? c.data.length : c.data.count);
      const usable = candidates.filter(c => !(c.dataType in REFUSED));
      if (usable.length === 0) {
        const refused = candidates.find(c => c.dataType in REFUSED);
        if (refused && count(refused) > 4096) {
          throw new FormatError(`unsupported ${format.toUpperCase()} data: a ${REFUSED[refused.dataType]} image`, 'unsupported-format', format);
        }
        throw new FormatError(
          `no image: the ${format.toUpperCase()} file holds ${candidates.length ? 'only a thumbnail' : 'no ImageList image'}`,
          'no-image',
          format
        );
      }
      const chosen = usable.reduce((a, b) => (count(b) > count(a) ? b : a));
      const notes: string[] = [];
      if (candidates.length > 1) {
        notes.push(`image ${chosen.index} of the ImageList read (the largest; ${candidates.length - 1} other, e.g. the thumbnail, skipped)`);
      }
      const [width, height = 1, frames = 1, ...rest] = chosen.dims;
      if (rest.some(d => d !== 1) || chosen.dims.length === 0) {
        throw new FormatError(`unsupported ${format.toUpperCase()} data: ${chosen.dims.length}-D (${chosen.dims.join(' × ')})`, 'unsupported-format', format);
      }
      checkDimensions(format, height, width, frames);
      const element = isArray(chosen.data) ? chosen.data.type : -1;
      const spec = ELEMENTS[element];
      if (!isArray(chosen.data) || !spec) {
        throw new FormatError(`unsupported ${format.toUpperCase()} data: array element type ${element}`, 'unsupported-format', format);
      }
      if (chosen.data.count !== width * height * frames) {
        throw new FormatError(
          `bad dimensions: the ${format.toUpperCase()} image holds ${chosen.data.count} values, not ${frames} × ${height} × ${width}`,
          'bad-dimensions',
          format
        );
      }
      if (spec.from) notes.push(`${spec.from} samples read as ${spec.type}`);
      checkBudget(format, height, width, spec.type, maxBytes);
      this.array = chosen.data;
      this.stored = spec;
      this.info = {
        format,
        width,
        height,
        frames,
        sampleType: spec.type,
        littleEndian: tree.littleEndian,
        notes,
        metadata: metadataOf(chosen.image)
      };
      const name = dmPath(chosen.image, 'Name');
      if (typeof name === 'string' && name) this.info.description = name;
    }

    async readFrame(index: number): Promise<DiffractionImage> {
      checkFrameIndex(this.format, index, this.info.frames);
      return guardFormat(this.format, `reading frame ${index}`, () => {
        const { width, height } = this.info;
        const n = width * height;
        const offset = this.array.offset + index * n * this.array.elementBytes;
        const where = `frame ${index}`;
        const from = this.stored.from;
        if (from === 'int64' || from === 'uint64') {
          const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const p = offset + 8 * i;
            out[i] = Number(from === 'int64' ? view.getBigInt64(p, this.littleEndian) : view.getBigUint64(p, this.littleEndian));
          }
          return { height, width, data: out, sampleType: 'float64' as const };
        }
        return readRawFrame(this.format, this.bytes, offset, height, width, this.stored.type, this.littleEndian, where);
      });
    }

    private readonly format: 'dm3' | 'dm4';
    private readonly littleEndian: boolean;
    private readonly array: DmArray;
    private readonly stored: { type: SampleType; from?: string };
  }

  function isArray(value: unknown): value is DmArray {
    return typeof value === 'object' && value !== null && (value as DmArray).kind === 'array';
  }

  /** Text of a short uint16 array tag (units), or of a string tag. */
  function text(value: DmValue | DmGroup | undefined): string | undefined {
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.every(v => typeof v === 'number')) {
      return String.fromCharCode(...(value as number[]));
    }
    return undefined;
  }

  function metadataOf(image: DmGroup): ImageMetadata {
    const metadata: ImageMetadata = {};
    const dims = dmPath(image, 'ImageData', 'Calibrations', 'Dimension');
    if (isGroup(dims) && dims.entries.length >= 2) {
      const axis = (i: number): { value: number; unit: string } | undefined => {
        const scale = Number(dmPath(dims, i, 'Scale'));
        const unit = text(dmPath(dims, i, 'Units'));
        return Number.isFinite(scale) && scale > 0 && unit ? { value: scale, unit } : undefined;
      };
      const col = axis(0);
      const row = axis(1);
      if (col && row) metadata.pixelSize = { row, col };
    }
    const info = dmPath(image, 'ImageTags', 'Microscope Info');
    const microscope = isGroup(info) ? info : undefined;
    const voltage = Number(dmPath(microscope, 'Voltage'));
    if (Number.isFinite(voltage) && voltage > 0) metadata.voltage = { value: voltage / 1000, unit: 'kV' };
    for (const key of ['STEM Camera Length', 'Camera Length']) {
      const length = Number(dmPath(microscope, key));
      if (Number.isFinite(length) && length > 0) {
        metadata.cameraLength = { value: length, unit: 'mm' };
        break;
      }
    }
    const exposure = Number(dmPath(image, 'ImageTags', 'DataBar', 'Exposure Time (s)'));
    if (Number.isFinite(exposure) && exposure > 0) metadata.exposureTime = { value: exposure, unit: 's' };
    return metadata;
  }
}
