/**
 * Generated patterns for the ui-tests: a ring pattern with a known sub-pixel center written to
 * the server and opened in the Diffraction viewer from the file browser, as a user does.
 */
import type { Locator, Page } from '@playwright/test';
import { encodeTiff } from '../src/io/index.js';
import { generatePattern } from '../tests/synth/index.js';
import { expect, openFromFileBrowser, writeToServer } from './fixtures.js';

/** The true center of `openPattern`'s rings (row, col). */
export const PATTERN_CENTER = { row: 120.4, col: 131.7 };

/** Write a size × size uint16 ring pattern to `serverPath`, open it and wait until it is shown. */
export async function openPattern(page: Page, serverPath: string, size = 256): Promise<Locator> {
  const pattern = generatePattern({
    kind: 'rings',
    height: size,
    width: size,
    center: PATTERN_CENTER,
    seed: 11,
    sampleType: 'uint16'
  });
  await writeToServer(serverPath, encodeTiff(pattern.image));
  await openFromFileBrowser(page, serverPath);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready');
  return viewer;
}
