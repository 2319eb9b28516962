/**
 * TIFF decoding (temporary minimal version: the TIFF issue replaces it with the full reader).
 * Public contract: `openTiff(buffer) -> TiffFile`, errors are `TiffError`.
 */
import { fromArrayBuffer } from 'geotiff';
import type { DiffractionImage, PixelArray, SampleType } from './image.js';
import { TiffError } from './errors.js';

export { TiffError } from './errors.js';

/** What a scientist wants to know about a file without decoding its pixels. */
export interface TiffInfo {
  width: number;
  height: number;
  frames: number;
  sampleType: SampleType;
  bitsPerSample: number;
  samplesPerPixel: number;
  compression: string;
  littleEndian: boolean;
  bigTiff: boolean;
  description?: string;
  software?: string;
  notes: string[];
}

/** An opened TIFF: metadata now, frames on demand. */
export interface TiffFile {
  readonly info: TiffInfo;
  readFrame(index: number): Promise<DiffractionImage>;
}

function sampleTypeOf(format: number, bits: number): SampleType {
  if (format === 3) return bits === 64 ? 'float64' : 'float32';
  const signed = format === 2;
  if (bits === 8) return signed ? 'int8' : 'uint8';
  if (bits === 16) return signed ? 'int16' : 'uint16';
  if (bits === 32) return signed ? 'int32' : 'uint32';
  throw new TiffError(`unsupported bit depth: ${bits}`, 'unsupported-format');
}

/** Open a TIFF held in memory. */
export async function openTiff(buffer: ArrayBuffer): Promise<TiffFile> {
  let tiff;
  try {
    tiff = await fromArrayBuffer(buffer);
  } catch (e) {
    throw new TiffError(`not a TIFF file: ${(e as Error).message}`, 'not-tiff');
  }
  const first = await tiff.getImage(0);
  const frames = await tiff.getImageCount();
  const fd = first.fileDirectory as any;
  const bits = Number(first.getBitsPerSample());
  const info: TiffInfo = {
    width: first.getWidth(),
    height: first.getHeight(),
    frames,
    sampleType: sampleTypeOf(first.getSampleFormat() ?? 1, bits),
    bitsPerSample: bits,
    samplesPerPixel: first.getSamplesPerPixel(),
    compression: String(fd.Compression ?? 1),
    littleEndian: first.littleEndian,
    bigTiff: false,
    notes: []
  };
  const description = await first.fileDirectory.loadValue('ImageDescription');
  const software = await first.fileDirectory.loadValue('Software');
  if (typeof description === 'string') info.description = description.replace(/\0+$/, '');
  if (typeof software === 'string') info.software = software.replace(/\0+$/, '');
  return {
    info,
    async readFrame(index: number): Promise<DiffractionImage> {
      const image = await tiff.getImage(index);
      const rasters = await image.readRasters({ interleave: true });
      return {
        height: image.getHeight(),
        width: image.getWidth(),
        data: rasters as unknown as PixelArray,
        sampleType: info.sampleType
      };
    }
  };
}
