/**
 * `openImage(bytes, name)`: the one entry for every image format (TIFF, MRC, DM3/DM4, MIB, SMV,
 * CBF, HDF5). The format is recognised by its magic bytes first, then by the file name's
 * extension; the answer is the common `ImageFile` (info now, frames on demand). The TIFF reader
 * keeps its own `TiffError`; the others throw `FormatError`. HDF5 (h5wasm, WebAssembly) is
 * loaded only when an HDF5 file is opened. No DOM.
 */
import { dmVersion } from './dm-tags.js';
import { FormatError, type ImageFormat } from './format-error.js';
import type { ImageFile, ImageFileInfo, OpenImageOptions } from './image-file.js';
import { looksLikeCbf } from './cbf.js';
import { looksLikeMib } from './mib.js';
import { looksLikeMrc } from './mrc.js';
import { looksLikeSmv } from './smv.js';
import { asBytes } from './raw.js';
import { openTiff, type TiffInfo } from './tiff.js';

/** File name extensions (lower case, with the dot) of each format. */
export const IMAGE_EXTENSIONS: Readonly<Record<ImageFormat, readonly string[]>> = {
  tiff: ['.tif', '.tiff'],
  mrc: ['.mrc', '.mrcs', '.st', '.ali', '.map'],
  dm3: ['.dm3'],
  dm4: ['.dm4'],
  mib: ['.mib'],
  smv: ['.img', '.smv'],
  cbf: ['.cbf'],
  hdf5: ['.h5', '.hdf5', '.hdf', '.nxs', '.emd', '.hspy', '.nx5']
};

/** Every extension `openImage` knows, TIFF's included. */
export const ALL_IMAGE_EXTENSIONS: readonly string[] = Object.values(IMAGE_EXTENSIONS).flat();

/** The format the magic bytes show, or null. */
export function formatFromBytes(bytes: Uint8Array): ImageFormat | null {
  const b = bytes;
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0))) {
    if (b[2] === 42 || b[2] === 43 || b[3] === 42 || b[3] === 43) return 'tiff';
  }
  if (isHdf5(b)) return 'hdf5';
  const dm = dmVersion(b);
  if (dm) return dm === 4 ? 'dm4' : 'dm3';
  if (looksLikeMib(b)) return 'mib';
  if (looksLikeCbf(b)) return 'cbf';
  if (looksLikeSmv(b)) return 'smv';
  if (looksLikeMrc(b)) return 'mrc';
  return null;
}

/** The format a file name's extension names, or null. */
export function formatFromName(name: string): ImageFormat | null {
  const m = /(\.[^./\\]+)$/.exec(name.toLowerCase());
  if (!m) return null;
  for (const [format, extensions] of Object.entries(IMAGE_EXTENSIONS)) {
    if (extensions.includes(m[1])) return format as ImageFormat;
  }
  return null;
}

/**
 * Open an image file held in memory. `name` (the file name or path) is used when the magic
 * bytes do not decide (MRC files written without the "MAP " word). The buffer is not copied;
 * keep it unchanged while the file is in use.
 *
 * @throws FormatError ('unknown-format' when no reader recognises the file, or the reader's
 *   own codes), TiffError for TIFF files.
 */
export async function openImage(
  buffer: ArrayBuffer | ArrayBufferView,
  name = '',
  options: OpenImageOptions = {}
): Promise<ImageFile> {
  const bytes = asBytes(buffer);
  const format = formatFromBytes(bytes) ?? formatFromName(name);
  switch (format) {
    case 'tiff':
      return Private.tiff(bytes, options);
    case 'mrc':
      return (await import('./mrc.js')).openMrc(bytes, options);
    case 'dm3':
    case 'dm4':
      return (await import('./dm.js')).openDm(bytes, options);
    case 'mib':
      return (await import('./mib.js')).openMib(bytes, options);
    case 'smv':
      return (await import('./smv.js')).openSmv(bytes, options);
    case 'cbf':
      return (await import('./cbf.js')).openCbf(bytes, options);
    case 'hdf5':
      return (await import('./hdf5.js')).openHdf5(bytes, name, options);
    default:
      throw new FormatError(
        `unknown format: ${name || 'the file'} is none of TIFF, MRC, DM3/DM4, MIB, SMV, CBF or HDF5 ` +
          '(neither its first bytes nor its extension match)',
        'unknown-format',
        'unknown'
      );
  }
}

/** Whether the HDF5 signature is at 0 or at a user-block boundary (512, 1024, ...). */
export function isHdf5(bytes: Uint8Array): boolean {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let at = 0; at + 8 <= bytes.length && at <= 1 << 20; at = at === 0 ? 512 : at * 2) {
    if (signature.every((v, i) => bytes[at + i] === v)) return true;
  }
  return false;
}

namespace Private {
  /** A TIFF as an ImageFile: its TiffInfo plus the common fields. */
  export async function tiff(bytes: Uint8Array, options: OpenImageOptions): Promise<ImageFile & { info: ImageFileInfo & TiffInfo }> {
    const file = await openTiff(bytes, { maxBytes: options.maxBytes });
    const info: ImageFileInfo & TiffInfo = { ...file.info, format: 'tiff', metadata: {} };
    return { info, readFrame: index => file.readFrame(index) };
  }
}
