/**
 * Mask tools, the draggable crosshair, copying the center and the notebook's list of centers
 * (issue 5), on generated patterns with known centers.
 */
import { encodeTiff, openTiff } from '../../src/io/index.js';
import { expect, test, writeToServer } from '../fixtures.js';
import { pagePoint, runFromPalette } from '../palette.js';
import { openPattern } from '../patterns.js';

test.describe('masks and the crosshair', () => {
  test('draws a rectangle, saves the mask beside the image, and reads it back', async ({ page, tmpPath }) => {
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await runFromPalette(page, 'Mask Rectangle');
    await expect(viewer).toHaveAttribute('data-mask-tool', 'rect');
    const a = await pagePoint(page, 10, 20);
    const b = await pagePoint(page, 60, 100);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
    await expect(viewer).toHaveAttribute('data-mask', '1 drawn shape');
    await page.keyboard.press('Escape');
    await expect(viewer).not.toHaveAttribute('data-mask-tool', /.*/);

    await runFromPalette(page, 'Save Mask');
    await expect(viewer).toHaveAttribute('data-mask', `${tmpPath}/pattern_mask.tif`);
    const response = await page.request.get(`/api/contents/${tmpPath}/pattern_mask.tif?content=1&format=base64&type=file`);
    expect(response.status()).toBe(200);
    const bytes = Buffer.from((await response.json()).content, 'base64');
    const tiff = await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const mask = await tiff.readFrame(0);
    expect([mask.height, mask.width]).toEqual([256, 256]);
    // Masked: inside the dragged rectangle (the pixel centers it covers); valid elsewhere.
    const at = (r: number, c: number) => mask.data[r * 256 + c];
    expect([at(12, 22), at(35, 60), at(58, 98)]).toEqual([0, 0, 0]);
    expect([at(5, 60), at(35, 110), at(200, 200)]).toEqual([1, 1, 1]);
    let masked = 0;
    for (const v of mask.data) masked += v ? 0 : 1;
    expect(Math.abs(masked - 51 * 81)).toBeLessThanOrEqual(51 + 81 + 1);
  });

  test('refuses a mask of the wrong shape with a clear error', async ({ page, tmpPath }) => {
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await writeToServer(
      `${tmpPath}/small_mask.tif`,
      encodeTiff({ height: 128, width: 128, data: new Uint8Array(128 * 128).fill(1), sampleType: 'uint8' })
    );
    await page.evaluate(path => (window as any).jupyterapp.commands.execute('diffraction:load-mask', { path }), `${tmpPath}/small_mask.tif`);
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('is 128 × 128 but the image is 256 × 256');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(viewer).toHaveAttribute('data-center-state', 'error');
    expect(await viewer.getAttribute('data-mask')).toBeNull();
  });

  test('drags the crosshair by hand, resets it, and copies the center', async ({ page, tmpPath, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await runFromPalette(page, 'Find Center');
    await expect(viewer).toHaveAttribute('data-center-state', 'found');
    const row = Number(await viewer.getAttribute('data-center-row'));
    const col = Number(await viewer.getAttribute('data-center-col'));
    expect(Math.hypot(row - 120.4, col - 131.7)).toBeLessThan(0.2);

    const zoom = Number(await viewer.getAttribute('data-zoom'));
    const from = await pagePoint(page, row, col);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 30, from.y + 15, { steps: 6 });
    await page.mouse.up();
    await expect(viewer).toHaveAttribute('data-center-method', 'manual');
    const mRow = Number(await viewer.getAttribute('data-center-row'));
    const mCol = Number(await viewer.getAttribute('data-center-col'));
    expect(mRow - row).toBeCloseTo(15 / zoom, 0);
    expect(mCol - col).toBeCloseTo(30 / zoom, 0);

    await runFromPalette(page, 'Copy Center');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(
      `center = (${(Math.round(mRow * 100) / 100).toString()}, ${(Math.round(mCol * 100) / 100).toString()})` +
        `  # (row, col) of ${tmpPath}/pattern.tif, set by hand with jupyterlab-diffraction`
    );

    await runFromPalette(page, 'Reset Center to the Found One');
    await expect(viewer).toHaveAttribute('data-center-method', 'autocenter');
    expect(Number(await viewer.getAttribute('data-center-row'))).toBe(row);
    expect(Number(await viewer.getAttribute('data-center-col'))).toBe(col);
  });

  test('lists the centers a notebook holds', async ({ page, tmpPath }) => {
    await page.notebook.createNew('centers.ipynb');
    await expect(page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')).toHaveAttribute('data-status', 'idle', { timeout: 30_000 });
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await runFromPalette(page, 'Find Center');
    await expect(viewer).toHaveAttribute('data-center-state', 'found');
    await runFromPalette(page, 'Write Center to Notebook');
    await page.getByRole('main').getByRole('tab', { name: /^centers\.ipynb/ }).click();
    await runFromPalette(page, 'Show Diffraction Centers of Notebook');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(`Diffraction centers in ${tmpPath}/centers.ipynb`);
    const cells = dialog.locator('tbody tr').first().locator('td');
    await expect(cells.nth(0)).toHaveText(`${tmpPath}/pattern.tif`);
    const row = Number(await viewer.getAttribute('data-center-row'));
    await expect(cells.nth(1)).toHaveText(row.toFixed(2));
    await expect(cells.nth(4)).toHaveText('autocenter');
    await dialog.locator('.jp-mod-accept').click();
  });
});
