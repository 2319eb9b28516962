/**
 * Mask files next to images: `NAME_mask.tif` is found, read and written through the
 * server's contents API (base64), decoded and encoded with the project's TIFF code.
 */
import type { Contents } from '@jupyterlab/services';
import { encodeTiff, openTiff, type DiffractionImage } from '../io/index.js';
import { base64ToArrayBuffer } from './base64.js';

/** The mask file names looked for beside `path` (`a/b.tif` → `a/b_mask.tif`, `a/b_mask.tiff`). */
export function siblingMaskPaths(path: string): string[] {
  const m = /^(.*?)(\.tiff?)$/i.exec(path);
  if (!m || /_mask$/i.test(m[1])) {
    return [];
  }
  return [`${m[1]}_mask.tif`, `${m[1]}_mask.tiff`];
}

/** The path "Save mask" writes for the image at `path`. */
export function maskPathFor(path: string): string {
  const m = /^(.*?)(\.tiff?)$/i.exec(path);
  return `${m ? m[1] : path}_mask.tif`;
}

/** Turn a decoded mask image into 1 = valid / 0 = masked, checking its shape. */
export function maskFromImage(image: DiffractionImage, height: number, width: number, name: string): Uint8Array {
  if (image.height !== height || image.width !== width) {
    throw new Error(
      `${name} is ${image.height} × ${image.width} but the image is ${height} × ${width}; ` +
        'a mask must have the shape of its image.'
    );
  }
  const mask = new Uint8Array(height * width);
  const data = image.data;
  let valid = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = data[i];
    mask[i] = v !== 0 && !Number.isNaN(v) ? 1 : 0;
    valid += mask[i];
  }
  if (valid === 0) {
    throw new Error(`${name} masks every pixel (it holds no non-zero value).`);
  }
  return mask;
}

/**
 * The first existing sibling mask of `path`, or null. Looks in the folder listing rather than
 * asking for each candidate, so a missing mask is not a failed request.
 */
export async function findSiblingMask(contents: Contents.IManager, path: string): Promise<string | null> {
  const candidates = siblingMaskPaths(path);
  if (!candidates.length) {
    return null;
  }
  const slash = path.lastIndexOf('/');
  const folder = slash >= 0 ? path.slice(0, slash) : '';
  let listing: Contents.IModel;
  try {
    listing = await contents.get(folder, { type: 'directory', content: true });
  } catch {
    return null;
  }
  const names = new Set(((listing.content ?? []) as Contents.IModel[]).map(item => item.path));
  return candidates.find(candidate => names.has(candidate)) ?? null;
}

/** Read the mask TIFF at `path` for an image of the given shape. */
export async function readMaskFile(
  contents: Contents.IManager,
  path: string,
  height: number,
  width: number
): Promise<Uint8Array> {
  const model = await contents.get(path, { type: 'file', format: 'base64', content: true });
  const tiff = await openTiff(base64ToArrayBuffer(model.content as string));
  const image = await tiff.readFrame(0);
  return maskFromImage(image, height, width, path);
}

/** Encode bytes as base64 for the contents API (chunked: no huge argument lists). */
export function bytesToBase64(bytes: Uint8Array): string {
  const toBase64 = (bytes as any).toBase64 as (() => string) | undefined;
  if (toBase64) {
    return toBase64.call(bytes);
  }
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Write a mask (1 = valid) as an 8-bit TIFF at `path`. */
export async function saveMaskFile(
  contents: Contents.IManager,
  path: string,
  mask: Uint8Array,
  height: number,
  width: number
): Promise<void> {
  const bytes = encodeTiff(
    { height, width, data: mask, sampleType: 'uint8' },
    { description: 'mask: 1 = valid pixel, 0 = masked', software: 'jupyterlab-diffraction' }
  );
  await contents.save(path, { type: 'file', format: 'base64', content: bytesToBase64(bytes) });
}
