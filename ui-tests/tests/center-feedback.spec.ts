/**
 * What the find-center UI tells the user (issue 12): a notification for every outcome of Write
 * Center, Insert as Code, Copy, Save Mask and Auto Mask, including "open a notebook first" (6);
 * a stale error leaves the status, which never covers the image and is not selected by drags
 * (12); the score explained on hover (15).
 */
import { encodeTiff } from '../../src/io/index.js';
import { expect, test, writeToServer } from '../fixtures.js';
import { dragImage, recordToasts, runFromPalette, toastsSeen } from '../palette.js';
import { openPattern } from '../patterns.js';

test.describe('find-center feedback', () => {
  test('every notebook and mask action says what it did, and "open a notebook first"', async ({ page, tmpPath, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await recordToasts(page);
    const said = (text: string | RegExp) => expect.poll(() => toastsSeen(page, text));
    await runFromPalette(page, 'Find Center');
    await expect(viewer).toHaveAttribute('data-center-state', 'found');

    // No notebook is open: Write Center and Insert as Code each say so instead of doing nothing.
    await runFromPalette(page, 'Write Center to Notebook');
    await said('Open a notebook first').toBe(1);
    await runFromPalette(page, 'Insert Center as Code');
    await said('Open a notebook first').toBe(2);

    await runFromPalette(page, 'Copy Center');
    await said('Center copied as Python code').toBe(1);

    await runFromPalette(page, 'Auto Mask');
    await said(/Auto mask: \d+ of 65536 pixels masked/).toBe(1);
    await runFromPalette(page, 'Save Mask');
    await said(`Mask saved to ${tmpPath}/pattern_mask.tif`).toBe(1);

    await page.notebook.createNew('feedback.ipynb');
    await expect(page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')).toHaveAttribute('data-status', 'idle', { timeout: 30_000 });
    await page.getByRole('main').getByRole('tab', { name: /^pattern\.tif/ }).click();
    await runFromPalette(page, 'Write Center to Notebook');
    // (JupyterLab cuts a long toast short with an ellipsis: the notebook's name may not fit.)
    await said(new RegExp(`^Center \\(\\d+\\.\\d\\d, \\d+\\.\\d\\d\\) of ${tmpPath}/pattern\\.tif written to `)).toBe(1);
    await runFromPalette(page, 'Insert Center as Code');
    await said(`Center inserted as code in cell 2 of ${tmpPath}/feedback.ipynb`).toBe(1);
  });

  test('a stale error leaves the status, which stays below the image and out of drag selections', async ({ page, tmpPath }) => {
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await writeToServer(
      `${tmpPath}/wrong_mask.tif`,
      encodeTiff({ height: 128, width: 256, data: new Uint8Array(128 * 256).fill(1), sampleType: 'uint8' })
    );
    await page.evaluate(path => (window as any).jupyterapp.commands.execute('diffraction:load-mask', { path }), `${tmpPath}/wrong_mask.tif`);
    await page.locator('.jp-Dialog').getByRole('button', { name: 'Close' }).click();
    const status = page.locator('.jp-Diffraction-centerStatus');
    const text = page.locator('.jp-Diffraction-centerText');
    await expect(viewer).toHaveAttribute('data-center-state', 'error');
    await expect(text).toContainText('is 128 × 256 but the image is 256 × 256');

    // The status is not over the image: it lies below the stage.
    const stage = viewer.locator('.jp-Diffraction-stage');
    const stageBox = (await stage.boundingBox())!;
    const statusBox = (await status.boundingBox())!;
    expect(statusBox.y).toBeGreaterThanOrEqual(stageBox.y + stageBox.height - 1);

    // A drag that starts beside the image and ends on the status selects no text.
    const fitted = await viewer.getAttribute('data-view');
    await page.mouse.move(stageBox.x + 3, stageBox.y + 3);
    await page.mouse.down();
    await page.mouse.move(statusBox.x + statusBox.width / 2, statusBox.y + statusBox.height / 2, { steps: 8 });
    await page.mouse.up();
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    // That drag (on the stage, no tool active) also panned the image down by the stage's height,
    // which puts the image points drawn on below off the stage: a double click fits it again.
    await expect(viewer).not.toHaveAttribute('data-view', fitted!);
    await page.mouse.dblclick(stageBox.x + 3, stageBox.y + 3);
    await expect(viewer).toHaveAttribute('data-view', fitted!);

    // The next action dismisses the error.
    await runFromPalette(page, 'Mask Rectangle');
    await dragImage(page, [10, 10], [40, 40]);
    await expect(viewer).toHaveAttribute('data-mask', '1 drawn shape');
    await expect(viewer).toHaveAttribute('data-center-state', 'idle');
    await expect(text).not.toContainText('128 × 256');
  });

  test('the score says on hover what it is and what a low score means', async ({ page, tmpPath }) => {
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await runFromPalette(page, 'Find Center');
    await expect(viewer).toHaveAttribute('data-center-state', 'found');
    const score = page.locator('.jp-Diffraction-centerScore');
    await expect(score).toBeVisible();
    const value = Number(await viewer.getAttribute('data-center-score'));
    await expect(score).toContainText(`score ${value.toFixed(3)}`);
    const title = (await score.getAttribute('title')) ?? '';
    expect(title).toMatch(/turned 180°/);
    expect(title).toMatch(/1 = perfectly point-symmetric/);
    expect(title).toMatch(/A low score .* means little symmetry was found/);
  });

  test("Find Center runs the engine's WebAssembly kernel in the Worker", async ({ page, tmpPath }) => {
    // Chromium compiles the kernel synchronously in a Worker (its main thread would refuse):
    // the labextension's Worker loads it from the bundle, with nothing to fetch.
    const viewer = await openPattern(page, `${tmpPath}/pattern.tif`);
    await runFromPalette(page, 'Find Center');
    await expect(viewer).toHaveAttribute('data-center-state', 'found');
    await expect(viewer).toHaveAttribute('data-engine-kernel', 'webassembly');
  });
});
