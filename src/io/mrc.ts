/**
 * MRC / MRCS (MRC2014, as CCP-EM's specification describes it): a 1024-byte header of 32-bit
 * words, an extended header of NSYMBT bytes, then NZ sections of NY rows of NX samples, x
 * fastest. Each section is a frame (image stacks, `.mrcs`); a frame is NY rows × NX columns.
 *
 * Modes read: 0 (int8), 1 (int16), 2 (float32), 6 (uint16), 12 (float16, returned as float32).
 * Refused: complex modes 3 and 4, packed 4-bit mode 101, anything else.
 * Byte order from the machine stamp (bytes 212–213: 0x44 0x44 or 0x44 0x41 little-endian,
 * 0x11 0x11 big-endian); a file without a valid stamp is read in the byte order that gives a
 * sensible header, with a note. Pixel size from the cell (Å) over the sampling (MX, MY).
 */
import { FormatError } from './format-error.js';
import type { DiffractionImage, SampleType } from './image.js';
import type { ImageFileInfo, ImageMetadata, OpenImageOptions, RangedImageFile } from './image-file.js';
import { DEFAULT_IMAGE_MAX_BYTES } from './image-file.js';
import {
  ascii,
  asBytes,
  BYTES_PER_SAMPLE,
  checkBudget,
  checkDimensions,
  checkFrameIndex,
  guardFormat,
  halfToFloat32,
  readRawFrame
} from './raw.js';

const HEADER = 1024;

/** Whether the bytes start like an MRC file ("MAP " at byte 208). */
export function looksLikeMrc(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER && ascii(bytes, 208, 212) === 'MAP ';
}

/** Open an MRC/MRCS file held in memory. @throws FormatError */
export async function openMrc(
  buffer: ArrayBuffer | ArrayBufferView,
  options: OpenImageOptions = {}
): Promise<RangedImageFile> {
  const bytes = asBytes(buffer);
  const maxBytes = options.maxBytes ?? DEFAULT_IMAGE_MAX_BYTES;
  return guardFormat('mrc', 'reading the header', () => new Private.MrcFile(bytes, maxBytes, options.fileLength ?? bytes.length));
}

namespace Private {
  const MODES: Record<number, { stored: SampleType | 'float16'; name: string }> = {
    0: { stored: 'int8', name: 'int8' },
    1: { stored: 'int16', name: 'int16' },
    2: { stored: 'float32', name: 'float32' },
    6: { stored: 'uint16', name: 'uint16' },
    12: { stored: 'float16', name: 'float16' }
  };
  const REFUSED: Record<number, string> = {
    3: 'complex int16 (mode 3)',
    4: 'complex float32 (mode 4)',
    101: 'packed 4-bit (mode 101)'
  };

  export class MrcFile implements RangedImageFile {
    readonly info: ImageFileInfo;

    constructor(
      private readonly bytes: Uint8Array,
      maxBytes: number,
      fileLength: number
    ) {
      if (bytes.length < HEADER) {
        throw new FormatError(`truncated: an MRC header is 1024 bytes, the file has ${bytes.length}`, 'truncated', 'mrc');
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const notes: string[] = [];
      this.littleEndian = byteOrder(bytes, view, notes);
      const le = this.littleEndian;
      const int = (word: number): number => view.getInt32(word * 4, le);
      const float = (word: number): number => view.getFloat32(word * 4, le);
      const [nx, ny, nz, mode] = [int(0), int(1), int(2), int(3)];
      const spec = MODES[mode];
      if (!spec) {
        throw new FormatError(
          `unsupported MRC data: ${REFUSED[mode] ?? `mode ${mode}`} is not read (modes 0, 1, 2, 6 and 12 are)`,
          'unsupported-format',
          'mrc'
        );
      }
      checkDimensions('mrc', ny, nx, nz);
      const sampleType: SampleType = spec.stored === 'float16' ? 'float32' : spec.stored;
      checkBudget('mrc', ny, nx, sampleType, maxBytes);
      const nsymbt = int(23);
      if (nsymbt < 0 || HEADER + nsymbt > fileLength) {
        throw new FormatError(`corrupt MRC header: extended header of ${nsymbt} bytes`, 'corrupt', 'mrc');
      }
      this.offset = HEADER + nsymbt;
      this.stored = spec.stored;
      this.frameBytes = nx * ny * (spec.stored === 'float16' ? 2 : BYTES_PER_SAMPLE[spec.stored]);
      const fit = Math.floor((fileLength - this.offset) / this.frameBytes);
      if (fit < 1) {
        throw new FormatError(
          `truncated: the MRC header declares ${nz} section(s) of ${ny} × ${nx} ${spec.name} but the file ends before the first`,
          'truncated',
          'mrc'
        );
      }
      const frames = Math.min(nz, fit);
      if (frames < nz) {
        notes.push(`the header declares ${nz} sections but only ${frames} fit in the file (truncated?)`);
      }
      if (spec.stored === 'float16') {
        notes.push('float16 samples (mode 12) converted to float32');
      }
      const nlabl = Math.max(0, Math.min(10, int(55)));
      const labels: string[] = [];
      for (let i = 0; i < nlabl; i++) {
        const label = ascii(bytes, 224 + 80 * i, 224 + 80 * (i + 1)).replace(/\0+/g, '').trim();
        if (label) labels.push(label);
      }
      const metadata: ImageMetadata = {};
      const [mx, my] = [int(7), int(8)];
      const [cellX, cellY] = [float(10), float(11)];
      if (mx > 0 && my > 0 && cellX > 0 && cellY > 0 && Number.isFinite(cellX) && Number.isFinite(cellY)) {
        metadata.pixelSize = { row: { value: cellY / my, unit: 'Å' }, col: { value: cellX / mx, unit: 'Å' } };
      }
      this.height = ny;
      this.width = nx;
      this.info = {
        format: 'mrc',
        width: nx,
        height: ny,
        frames,
        sampleType,
        littleEndian: le,
        notes,
        metadata
      };
      if (labels.length) this.info.description = labels.join('\n');
    }

    async readFrame(index: number): Promise<DiffractionImage> {
      return this.decodeAt(index, this.bytes, this.frameSpan(index).offset);
    }

    frameSpan(index: number): { offset: number; length: number } {
      checkFrameIndex('mrc', index, this.info.frames);
      return { offset: this.offset + index * this.frameBytes, length: this.frameBytes };
    }

    decodeSpan(index: number, bytes: Uint8Array): DiffractionImage {
      return this.decodeAt(index, bytes, 0);
    }

    private decodeAt(index: number, bytes: Uint8Array, offset: number): DiffractionImage {
      return guardFormat('mrc', `reading section ${index}`, () => {
        if (this.stored === 'float16') {
          const data = halfToFloat32(bytes, offset, this.height * this.width, this.littleEndian);
          return { height: this.height, width: this.width, data, sampleType: 'float32' as const };
        }
        return readRawFrame('mrc', bytes, offset, this.height, this.width, this.stored, this.littleEndian, `section ${index}`);
      });
    }

    private readonly littleEndian: boolean;
    private readonly offset: number;
    private readonly frameBytes: number;
    private readonly stored: SampleType | 'float16';
    private readonly height: number;
    private readonly width: number;
  }

  /** Byte order from the machine stamp, else from which order gives a plausible header. */
  function byteOrder(bytes: Uint8Array, view: DataView, notes: string[]): boolean {
    const stamp = bytes[212];
    if (stamp === 0x44) return true;
    if (stamp === 0x11) return false;
    const plausible = (le: boolean): boolean => {
      const mode = view.getInt32(12, le);
      const dims = [0, 4, 8].map(o => view.getInt32(o, le));
      return mode in MODES && dims.every(d => d > 0 && d < 2 ** 24);
    };
    const le = plausible(true) || !plausible(false);
    notes.push(`no valid machine stamp: read as ${le ? 'little' : 'big'}-endian (the order giving a sensible header)`);
    return le;
  }
}
