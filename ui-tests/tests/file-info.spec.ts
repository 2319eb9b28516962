/**
 * What the viewer tells about the file: metadata on hover, and what the reader did to the data
 * (an RGB file is shown as luminance, with a visible note). The file is written by tifffile, an
 * independent writer.
 */
import { execFileSync } from 'node:child_process';
import { expect, openFromFileBrowser, serverFile, test } from '../fixtures.js';

/** Write `serverPath` with tifffile: `code` is Python that sets `image` (and may set `options`). */
function writeWithTifffile(serverPath: string, code: string): void {
  execFileSync('/usr/bin/python3', [
    '-c',
    'import sys, os, numpy as np, tifffile; os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True); ' +
      'options = {}; ' +
      code +
      '; tifffile.imwrite(sys.argv[1], image, **options)',
    serverFile(serverPath)
  ]);
}

test('an RGB file is shown as luminance with a visible note, and the metadata on hover', async ({ page, tmpPath }) => {
  const target = `${tmpPath}/rgb.tif`;
  writeWithTifffile(
    target,
    'y, x = np.mgrid[:40, :60]; a = (y * 60 + x).astype(np.uint8); image = np.stack([a, a // 2, a // 4], -1); ' +
      'options = dict(photometric="rgb", description="beamline 7")'
  );
  await openFromFileBrowser(page, target);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready');
  await expect(viewer).toHaveAttribute('data-height', '40');
  await expect(viewer).toHaveAttribute('data-width', '60');
  const notes = viewer.locator('.jp-Diffraction-notes');
  await expect(notes).toBeVisible();
  await expect(notes).toContainText(/luminance/i);
  const title = await viewer.locator('.jp-Diffraction-info').getAttribute('title');
  expect(title).toContain('compression: none');
  expect(title).toContain('3 samples per pixel');
  expect(title).toContain('description: beamline 7');
});

test('a plain gray file has no note', async ({ page, tmpPath }) => {
  const target = `${tmpPath}/gray.tif`;
  writeWithTifffile(target, 'image = np.arange(12, dtype=np.uint16).reshape(3, 4); options = dict(compression="zlib")');
  await openFromFileBrowser(page, target);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready');
  await expect(viewer.locator('.jp-Diffraction-notes')).toBeHidden();
  expect(await viewer.locator('.jp-Diffraction-info').getAttribute('title')).toContain('compression: deflate');
});
