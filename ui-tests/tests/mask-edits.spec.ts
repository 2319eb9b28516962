/**
 * Mask edits a user can trust (issue 12): Save Mask never overwrites without asking (1), a
 * plain click in rectangle or circle mode adds nothing (9), undo / redo of mask edits (13),
 * Load Mask… opens in the image's folder (14).
 */
import type { Page } from '@playwright/test';
import { encodeTiff, openTiff } from '../../src/io/index.js';
import { generatePattern } from '../../tests/synth/index.js';
import { expect, openFromFileBrowser, test, writeToServer } from '../fixtures.js';
import { dragImage, pagePoint, runFromPalette, toast } from '../palette.js';

async function openPattern(page: Page, serverPath: string) {
  const pattern = generatePattern({ kind: 'rings', height: 128, width: 128, seed: 4, sampleType: 'uint16' });
  await writeToServer(serverPath, encodeTiff(pattern.image));
  await openFromFileBrowser(page, serverPath);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready');
  return viewer;
}

/** The mask TIFF at `serverPath`, read back through the contents API. */
async function readMask(page: Page, serverPath: string): Promise<Uint8Array> {
  const response = await page.request.get(`/api/contents/${serverPath}?content=1&format=base64&type=file`);
  expect(response.status()).toBe(200);
  const bytes = Buffer.from((await response.json()).content, 'base64');
  const tiff = await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return (await tiff.readFrame(0)).data as Uint8Array;
}

const masked = (mask: Uint8Array) => mask.reduce((n, v) => n + (v ? 0 : 1), 0);

test.describe('mask edits', () => {
  test('Save Mask asks before overwriting an existing mask: cancel, save as, overwrite', async ({ page, tmpPath }) => {
    // A shipped mask that masks the first row only: it is loaded with the image, then edited.
    const existing = new Uint8Array(128 * 128).fill(1).fill(0, 0, 128);
    await writeToServer(`${tmpPath}/pattern_mask.tif`, encodeTiff({ height: 128, width: 128, data: existing, sampleType: 'uint8' }));
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await expect(viewer).toHaveAttribute('data-mask', `${tmpPath}/pattern_mask.tif`);
    await runFromPalette(page, 'Mask Rectangle');
    await dragImage(page, [20, 20], [59, 59]);
    await expect(viewer).toHaveAttribute('data-mask', `${tmpPath}/pattern_mask.tif + 1 drawn shape`);
    await page.keyboard.press('Escape');

    // Cancel: the file is untouched, and the user is told.
    await runFromPalette(page, 'Save Mask');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(`${tmpPath}/pattern_mask.tif already exists`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(toast(page, 'Mask not saved')).toBeVisible();
    expect(masked(await readMask(page, `${tmpPath}/pattern_mask.tif`))).toBe(128);
    await expect(viewer).toHaveAttribute('data-mask', `${tmpPath}/pattern_mask.tif + 1 drawn shape`);

    // Save as: a free name is proposed; the existing file stays as it was.
    await runFromPalette(page, 'Save Mask');
    await dialog.getByRole('button', { name: 'Save As…' }).click();
    await expect(dialog.locator('input')).toHaveValue('pattern_mask-2.tif');
    await dialog.locator('.jp-mod-accept').click();
    await expect(toast(page, `Mask saved to ${tmpPath}/pattern_mask-2.tif`)).toBeVisible();
    const drawn = masked(await readMask(page, `${tmpPath}/pattern_mask-2.tif`));
    expect(Math.abs(drawn - 128 - 40 * 40)).toBeLessThanOrEqual(81);
    await expect(viewer).toHaveAttribute('data-mask', `${tmpPath}/pattern_mask-2.tif`);
    expect(masked(await readMask(page, `${tmpPath}/pattern_mask.tif`))).toBe(128);

    // Overwrite, when chosen.
    await runFromPalette(page, 'Save Mask');
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await expect(toast(page, `Mask saved to ${tmpPath}/pattern_mask.tif`)).toBeVisible();
    await expect.poll(async () => masked(await readMask(page, `${tmpPath}/pattern_mask.tif`))).toBe(drawn);
  });

  test('a plain click in rectangle or circle mode adds no shape', async ({ page, tmpPath }) => {
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    for (const tool of ['Mask Rectangle', 'Mask Circle']) {
      await runFromPalette(page, tool);
      const p = await pagePoint(page, 64, 64);
      await page.mouse.click(p.x, p.y);
      await page.mouse.click(p.x + 20, p.y + 5);
      // A real drag after the clicks: only it counts.
      await dragImage(page, [10, 10], [30, 30]);
      await expect(viewer).toHaveAttribute('data-mask', '1 drawn shape');
      await runFromPalette(page, 'Clear Mask');
      await expect(viewer).not.toHaveAttribute('data-mask', /.*/);
      await viewer.focus();
      await page.keyboard.press('Escape');
      await expect(viewer).not.toHaveAttribute('data-mask-tool', /.*/);
    }
  });

  test('Ctrl+Z and Ctrl+Shift+Z undo and redo shapes and the auto mask', async ({ page, tmpPath }) => {
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await runFromPalette(page, 'Mask Rectangle');
    await dragImage(page, [10, 10], [30, 30]);
    await dragImage(page, [80, 80], [100, 110]);
    await expect(viewer).toHaveAttribute('data-mask', '2 drawn shapes');
    await page.keyboard.press('Escape');
    await runFromPalette(page, 'Auto Mask');
    await expect(viewer).toHaveAttribute('data-mask', /^auto mask .* \+ 2 drawn shapes$/);

    await viewer.focus();
    await page.keyboard.press('Control+z');
    await expect(viewer).toHaveAttribute('data-mask', '2 drawn shapes');
    await page.keyboard.press('Control+z');
    await expect(viewer).toHaveAttribute('data-mask', '1 drawn shape');
    await page.keyboard.press('Control+Shift+z');
    await expect(viewer).toHaveAttribute('data-mask', '2 drawn shapes');
    await page.keyboard.press('Control+Shift+z');
    await expect(viewer).toHaveAttribute('data-mask', /^auto mask .* \+ 2 drawn shapes$/);
    // Clear is an edit too.
    await runFromPalette(page, 'Clear Mask');
    await expect(viewer).not.toHaveAttribute('data-mask', /.*/);
    await viewer.focus();
    await page.keyboard.press('Control+z');
    await expect(viewer).toHaveAttribute('data-mask', /^auto mask .* \+ 2 drawn shapes$/);
  });

  test("Load Mask… opens its file dialog in the image's folder", async ({ page, tmpPath }) => {
    const viewer = await openPattern(page, `${tmpPath}/beamtime/day2/pattern.tif`);
    const mask = new Uint8Array(128 * 128).fill(1).fill(0, 0, 256);
    await writeToServer(`${tmpPath}/beamtime/day2/other_mask.tif`, encodeTiff({ height: 128, width: 128, data: mask, sampleType: 'uint8' }));
    // The file browser is elsewhere when the user asks.
    await page.evaluate(async path => {
      await (window as any).jupyterapp.commands.execute('filebrowser:go-to-path', { path });
    }, tmpPath);
    await page.getByRole('main').getByRole('tab', { name: /^pattern\.tif/ }).click();
    await runFromPalette(page, 'Load Mask…');
    const dialog = page.locator('.jp-Dialog');
    const item = dialog.locator('.jp-DirListing-item', { hasText: 'other_mask.tif' });
    await expect(item).toBeVisible();
    await item.click();
    await dialog.locator('.jp-mod-accept').click();
    await expect(viewer).toHaveAttribute('data-mask', `${tmpPath}/beamtime/day2/other_mask.tif`);
  });
});
