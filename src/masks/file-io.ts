/**
 * Mask files next to images, through the server's contents API (base64): found, read and
 * written with the io room's one mask-file rule (`io/mask-file.ts`) and TIFF code.
 */
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import { base64ToArrayBuffer, bytesToBase64, encodeTiff, maskFromImage, openTiff, siblingMaskPaths } from '../io/index.js';

/**
 * The first existing sibling mask of `path`, or null. Looks in the folder listing rather than
 * asking for each candidate, so a missing mask is not a failed request.
 */
export async function findSiblingMask(contents: Contents.IManager, path: string): Promise<string | null> {
  const candidates = siblingMaskPaths(path);
  if (!candidates.length) {
    return null;
  }
  const names = await folderPaths(contents, PathExt.dirname(path));
  return candidates.find(candidate => names.has(candidate)) ?? null;
}

/**
 * Whether a file exists at `path`, from its folder's listing (asking for a missing file would be
 * a failed request in the browser's console).
 */
export async function fileExists(contents: Contents.IManager, path: string): Promise<boolean> {
  return (await folderPaths(contents, PathExt.dirname(path))).has(PathExt.removeSlash(path));
}

/** The paths of the items of a folder; empty when it cannot be listed. */
async function folderPaths(contents: Contents.IManager, folder: string): Promise<Set<string>> {
  try {
    const listing = await contents.get(folder, { type: 'directory', content: true });
    return new Set(((listing.content ?? []) as Contents.IModel[]).map(item => item.path));
  } catch {
    return new Set();
  }
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
