/**
 * The diffraction viewer in the real app: rendering, pixel readout, zoom and pan, colormap and
 * scale from the toolbar, stacks, error state, restore after reload, reload from disk.
 *
 * Reference values of graphite.tif (1024 × 1024 uint16) were read with numpy from the file's
 * single strip, independently of this project's decoder:
 *   data[518, 228] = 18212 (the maximum), data[557, 600] = 43, data[557, 506] = 0,
 *   data[518, 506] = 0, data[557, 412] = 39,
 *   np.percentile(data, [0.175, 99.825]) = [0, 287].
 */
import type { Locator, Page } from '@playwright/test';
import { encodeTiff } from '../../src/io/writer.js';
import { colormapTable } from '../../src/viewer/colormaps.js';
import {
  copyToServer,
  expect,
  openFromFileBrowser,
  serverFile,
  sharedData,
  test,
  writeToServer
} from '../fixtures.js';
import fs from 'node:fs/promises';

type GalataReload = { reload(options: { waitForIsReady?: boolean }): Promise<unknown> };

/** The viewer's exact view transform, from its `data-view` attribute. */
async function viewOf(viewer: Locator): Promise<{ zoom: number; x0: number; y0: number }> {
  const [zoom, x0, y0] = ((await viewer.getAttribute('data-view')) ?? '').split(' ').map(Number);
  return { zoom, x0, y0 };
}

/**
 * Page coordinates of the center of image pixel (row, col), from the documented transform
 * x = x0 + (col + ½)·zoom, y = y0 + (row + ½)·zoom (stage CSS pixels).
 */
async function pagePointOf(viewer: Locator, row: number, col: number): Promise<{ x: number; y: number }> {
  const box = (await viewer.locator('.jp-Diffraction-stage').boundingBox())!;
  const { zoom, x0, y0 } = await viewOf(viewer);
  return { x: box.x + x0 + (col + 0.5) * zoom, y: box.y + y0 + (row + 0.5) * zoom };
}

/** RGBA of the image canvas at a page point (device pixel ratio 1 in these tests). */
async function canvasColorAt(page: Page, viewer: Locator, x: number, y: number): Promise<number[]> {
  const box = (await viewer.locator('.jp-Diffraction-stage').boundingBox())!;
  return viewer.locator('.jp-Diffraction-canvas').evaluate(
    (canvas: HTMLCanvasElement, p) => {
      const ctx = canvas.getContext('2d')!;
      return Array.from(ctx.getImageData(Math.floor(p.x), Math.floor(p.y), 1, 1).data);
    },
    { x: x - box.x, y: y - box.y }
  );
}

/** Colormap entry `index` as RGBA. */
function entry(name: Parameters<typeof colormapTable>[0], index: number): number[] {
  const t = colormapTable(name);
  return [t[3 * index], t[3 * index + 1], t[3 * index + 2], 255];
}

/** Open graphite.tif by double-click and wait until it is drawn. */
async function openGraphite(page: Page, tmpPath: string): Promise<Locator> {
  await copyToServer(sharedData('graphite.tif'), `${tmpPath}/graphite.tif`);
  await openFromFileBrowser(page, `${tmpPath}/graphite.tif`);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready');
  return viewer;
}

/** Zoom so that image pixel (row, col) sits at the stage center at `zoom` (exact, by API). */
async function centerOn(page: Page, row: number, col: number, zoom: number): Promise<void> {
  await page.evaluate(
    ({ row, col, zoom }) => {
      const widget = (window as any).jupyterapp.shell.currentWidget;
      widget.content.centerView(row, col, zoom);
      widget.content.paintNow();
    },
    { row, col, zoom }
  );
}

test.describe('diffraction viewer', () => {
  test('shows graphite.tif with auto-contrast and inferno', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    await expect(viewer).toHaveAttribute('data-colormap', 'inferno');
    // The default scale "auto": the median pixel (numpy: 2) sits at 0.7 % of the limits [0, 287],
    // so the rings are shown on the log scale (issue 12, item 11).
    await expect(viewer).toHaveAttribute('data-scale', 'log');
    await expect(viewer).toHaveAttribute('data-frames', '1');
    await expect(viewer).toHaveAttribute('data-frame', '0');
    // numpy: np.percentile(data, [0.175, 99.825]) == [0, 287]
    await expect(viewer).toHaveAttribute('data-vmin', '0');
    await expect(viewer).toHaveAttribute('data-vmax', '287');
    await expect(viewer.locator('.jp-Diffraction-info')).toHaveText('1024 × 1024 uint16');
    // Move the pointer away so no hover state is in the picture.
    await page.mouse.move(0, 0);
    await expect(viewer.locator('.jp-Diffraction-stage')).toHaveScreenshot('graphite-inferno.png', {
      maxDiffPixelRatio: 0.01
    });
  });

  test('the readout shows the value of the pixel under the cursor', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    const readout = viewer.locator('.jp-Diffraction-readout');
    // Fit view (zoom < 1, several image pixels per screen pixel): the readout names the pixel
    // the documented transform puts under the pointer.
    const box = (await viewer.locator('.jp-Diffraction-stage').boundingBox())!;
    const fit = await viewOf(viewer);
    expect(fit.zoom).toBeLessThan(1);
    for (const [x, y] of [
      [200, 150],
      [351, 402]
    ]) {
      await page.mouse.move(Math.round(box.x) + x, Math.round(box.y) + y);
      const sx = Math.round(box.x) + x - box.x;
      const sy = Math.round(box.y) + y - box.y;
      const row = Math.floor((sy - fit.y0) / fit.zoom);
      const col = Math.floor((sx - fit.x0) / fit.zoom);
      await expect(readout).toHaveAttribute('data-row', String(row));
      await expect(readout).toHaveAttribute('data-col', String(col));
    }
    // Magnified around each reference pixel: its value, as numpy reads it.
    for (const [row, col, value] of [
      [518, 228, 18212],
      [557, 600, 43],
      [557, 506, 0]
    ]) {
      await centerOn(page, row, col, 6);
      const p = await pagePointOf(viewer, row, col);
      await page.mouse.move(p.x, p.y);
      await expect(readout).toHaveText(`(${row}, ${col}): ${value}`);
    }
    await centerOn(page, 540, 550, 2);
    // With a center: radius and azimuth (counter-clockwise from +col as displayed).
    await page.evaluate(() => {
      (window as any).jupyterapp.shell.currentWidget.content.center = { row: 557, col: 506 };
    });
    const p = await pagePointOf(viewer, 557, 600);
    await page.mouse.move(p.x, p.y);
    await expect(readout).toHaveText('(557, 600): 43  r 94.00 px  φ 0.0°');
    const q = await pagePointOf(viewer, 518, 506);
    await page.mouse.move(q.x, q.y);
    await expect(readout).toHaveText('(518, 506): 0  r 39.00 px  φ 90.0°');
    const w = await pagePointOf(viewer, 557, 412);
    await page.mouse.move(w.x, w.y);
    await expect(readout).toHaveText('(557, 412): 39  r 94.00 px  φ 180.0°');
  });

  test('wheel zooms around the cursor and drag pans', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    const readout = viewer.locator('.jp-Diffraction-readout');
    const fitZoom = Number(await viewer.getAttribute('data-zoom'));
    await centerOn(page, 518, 228, 2);
    const p = await pagePointOf(viewer, 518, 228);
    await page.mouse.move(p.x, p.y);
    await expect(readout).toHaveText('(518, 228): 18212');

    await page.mouse.wheel(0, -600);
    await expect.poll(async () => Number(await viewer.getAttribute('data-zoom'))).toBeGreaterThan(4);
    // The image point under the cursor stays under the cursor.
    await page.mouse.move(p.x + 0.1, p.y);
    await expect(readout).toHaveText('(518, 228): 18212');
    const zoomed = await viewOf(viewer);

    await page.mouse.down();
    await page.mouse.move(p.x + 80, p.y + 50, { steps: 5 });
    await page.mouse.up();
    const panned = await viewOf(viewer);
    expect(panned.zoom).toBe(zoomed.zoom);
    // Pointer events carry whole CSS pixels; the start point was fractional.
    expect(Math.abs(panned.x0 - zoomed.x0 - 80)).toBeLessThanOrEqual(1);
    expect(Math.abs(panned.y0 - zoomed.y0 - 50)).toBeLessThanOrEqual(1);
    // The same pixel moved with the pointer.
    await expect(readout).toHaveText('(518, 228): 18212');

    // Keyboard shortcuts (schema/viewer.json): 1 = actual size, = zoom in by √2, 0 = fit.
    await viewer.focus();
    await page.keyboard.press('1');
    await expect(viewer).toHaveAttribute('data-zoom', '1');
    await page.keyboard.press('=');
    await expect(viewer).toHaveAttribute('data-zoom', String(Math.round(Math.SQRT2 * 1e4) / 1e4));
    await page.keyboard.press('0');
    await expect(viewer).toHaveAttribute('data-zoom', String(fitZoom));

    // Toolbar: 1:1, fit.
    await page.locator('.jp-Toolbar [data-command="diffraction:actual-size"]').click();
    await expect(viewer).toHaveAttribute('data-zoom', '1');
    await page.locator('.jp-Toolbar [data-command="diffraction:fit"]').click();
    await expect(viewer).toHaveAttribute('data-zoom', String(fitZoom));
  });

  test('colormap and scale from the toolbar change the rendering', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    await page.locator('.jp-Diffraction-scaleSelect select').selectOption('linear');
    await expect(viewer).toHaveAttribute('data-scale', 'linear');
    await centerOn(page, 557, 553, 4);
    const zero = await pagePointOf(viewer, 557, 506); // value 0
    const faint = await pagePointOf(viewer, 557, 600); // value 43
    // vmin 0, vmax 287: t = 43 / 287
    const t = 43 / 287;
    expect(await canvasColorAt(page, viewer, zero.x, zero.y)).toEqual(entry('inferno', 0));
    expect(await canvasColorAt(page, viewer, faint.x, faint.y)).toEqual(entry('inferno', Math.floor(256 * t)));

    await viewer.page().locator('.jp-Diffraction-colormapSelect select').selectOption('viridis');
    await expect(viewer).toHaveAttribute('data-colormap', 'viridis');
    await expect.poll(() => canvasColorAt(page, viewer, zero.x, zero.y)).toEqual(entry('viridis', 0));
    expect(await canvasColorAt(page, viewer, faint.x, faint.y)).toEqual(entry('viridis', Math.floor(256 * t)));

    await page.locator('.jp-Diffraction-scaleSelect select').selectOption('log');
    await expect(viewer).toHaveAttribute('data-scale', 'log');
    const logIndex = Math.floor((256 * Math.log(1000 * t + 1)) / Math.log(1001));
    await expect.poll(() => canvasColorAt(page, viewer, faint.x, faint.y)).toEqual(entry('viridis', logIndex));

    await page.locator('.jp-Toolbar [data-command="diffraction:invert-colormap"]').click();
    await expect(viewer).toHaveAttribute('data-invert', 'true');
    await expect.poll(() => canvasColorAt(page, viewer, zero.x, zero.y)).toEqual(entry('viridis', 255));
  });

  test('a 2-frame stack steps frames with the keyboard and the controls', async ({ page, tmpPath }) => {
    const frame = (value: number) => ({
      height: 32,
      width: 48,
      sampleType: 'float32' as const,
      data: new Float32Array(32 * 48).map((_, i) => value + (i % 48))
    });
    await writeToServer(`${tmpPath}/stack.tif`, encodeTiff([frame(100), frame(500)]));
    await openFromFileBrowser(page, `${tmpPath}/stack.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(viewer).toHaveAttribute('data-frames', '2');
    await expect(viewer).toHaveAttribute('data-frame', '0');
    const readout = viewer.locator('.jp-Diffraction-readout');
    const p = await pagePointOf(viewer, 10, 7);
    await page.mouse.move(p.x, p.y);
    await expect(readout).toHaveText('(10, 7): 107');

    await viewer.focus();
    await page.keyboard.press('.');
    await expect(viewer).toHaveAttribute('data-frame', '1');
    await expect(readout).toHaveText('(10, 7): 507');
    await page.keyboard.press(',');
    await expect(viewer).toHaveAttribute('data-frame', '0');
    await expect(readout).toHaveText('(10, 7): 107');

    const spinner = viewer.locator('.jp-Diffraction-frameSpinner');
    await spinner.fill('1');
    await spinner.press('Enter');
    await expect(viewer).toHaveAttribute('data-frame', '1');
    await page.getByTitle('Previous frame').click();
    await expect(viewer).toHaveAttribute('data-frame', '0');
  });

  test('NaN and negative sentinels are drawn in the invalid color and left out of the limits', async ({
    page,
    tmpPath
  }) => {
    // Negative sentinels are a detector convention of integer data (issue 12, item 10): int32 -1, -2.
    const ints = new Int32Array(16 * 16).map((_, i) => 10 + (i % 16));
    ints[4 * 16 + 4] = -1; // a module gap
    ints[5 * 16 + 5] = -2; // a defective pixel
    await writeToServer(`${tmpPath}/sentinels.tif`, encodeTiff({ height: 16, width: 16, sampleType: 'int32', data: ints }));
    await openFromFileBrowser(page, `${tmpPath}/sentinels.tif`);
    let viewer = page.locator('.jp-DiffractionViewer:visible');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    // Valid values are 10..25 (-1, -2 excluded): the limits stay inside them.
    expect(Number(await viewer.getAttribute('data-vmin'))).toBeGreaterThanOrEqual(10);
    expect(Number(await viewer.getAttribute('data-vmax'))).toBeLessThanOrEqual(25);
    let readout = viewer.locator('.jp-Diffraction-readout');
    const invalid = [0, 200, 255, 255]; // the default invalidColor #00c8ff
    for (const [row, col, text] of [
      [4, 4, '(4, 4): -1 (masked)'],
      [5, 5, '(5, 5): -2 (masked)']
    ] as const) {
      const p = await pagePointOf(viewer, row, col);
      await page.mouse.move(p.x, p.y);
      await expect(readout).toHaveText(text);
      expect(await canvasColorAt(page, viewer, p.x, p.y)).toEqual(invalid);
    }
    const q = await pagePointOf(viewer, 6, 6);
    expect(await canvasColorAt(page, viewer, q.x, q.y)).not.toEqual(invalid);

    // Floats: NaN is no measurement; a negative float is a value (round-off, dark subtraction).
    const floats = new Float32Array(16 * 16).map((_, i) => 10 + (i % 16));
    floats[3 * 16 + 3] = NaN;
    floats[4 * 16 + 4] = -1;
    await writeToServer(`${tmpPath}/floats.tif`, encodeTiff({ height: 16, width: 16, sampleType: 'float32', data: floats }));
    await openFromFileBrowser(page, `${tmpPath}/floats.tif`);
    viewer = page.locator('.jp-DiffractionViewer:visible');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(viewer).toHaveAttribute('data-sample-type', 'float32');
    readout = viewer.locator('.jp-Diffraction-readout');
    const nan = await pagePointOf(viewer, 3, 3);
    await page.mouse.move(nan.x, nan.y);
    await expect(readout).toHaveText('(3, 3): NaN (masked)');
    expect(await canvasColorAt(page, viewer, nan.x, nan.y)).toEqual(invalid);
    const negative = await pagePointOf(viewer, 4, 4);
    await page.mouse.move(negative.x, negative.y);
    await expect(readout).toHaveText('(4, 4): -1');
    expect(await canvasColorAt(page, viewer, negative.x, negative.y)).not.toEqual(invalid);
  });

  test('a corrupt .tif shows the error state with the file name', async ({ page, tmpPath }) => {
    // A TIFF header whose first IFD offset points past the end of the file.
    const bytes = new Uint8Array([0x49, 0x49, 42, 0, 0xff, 0xff, 0, 0, 1, 2, 3, 4]);
    await writeToServer(`${tmpPath}/corrupt.tif`, bytes);
    await openFromFileBrowser(page, `${tmpPath}/corrupt.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'error');
    await expect(viewer.locator('.jp-Diffraction-errorTitle')).toHaveText('Cannot open corrupt.tif');
    await expect(viewer.locator('.jp-Diffraction-errorPath')).toHaveText(`${tmpPath}/corrupt.tif`);
    await expect(viewer.locator('.jp-Diffraction-errorDetail')).not.toBeEmpty();
    // The app is still usable: the toolbar commands are there and nothing crashed.
    await page.locator('.jp-Toolbar [data-command="diffraction:zoom-in"]').click();
    await expect(viewer).toHaveAttribute('data-state', 'error');
  });

  test('re-renders when the file changes on disk', async ({ page, tmpPath }) => {
    const image = (value: number) => ({
      height: 16,
      width: 16,
      sampleType: 'uint16' as const,
      data: new Uint16Array(256).fill(value)
    });
    await writeToServer(`${tmpPath}/live.tif`, encodeTiff(image(7)));
    await openFromFileBrowser(page, `${tmpPath}/live.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    const p = await pagePointOf(viewer, 3, 3);
    await page.mouse.move(p.x, p.y);
    await expect(viewer.locator('.jp-Diffraction-readout')).toHaveText('(3, 3): 7');
    // A newer modification time than the one the viewer knows (some file systems have 1 s).
    await page.waitForTimeout(1100);
    await fs.writeFile(serverFile(`${tmpPath}/live.tif`), encodeTiff(image(1234)));
    await expect(viewer.locator('.jp-Diffraction-readout')).toHaveText('(3, 3): 1234', { timeout: 10_000 });
  });

  test('keeps frame, colormap and zoom after a page reload', async ({ page, tmpPath }) => {
    const frame = (value: number) => ({
      height: 64,
      width: 64,
      sampleType: 'uint8' as const,
      data: new Uint8Array(64 * 64).map((_, i) => (value + i) % 256)
    });
    await writeToServer(`${tmpPath}/restore.tif`, encodeTiff([frame(0), frame(100)]));
    await openFromFileBrowser(page, `${tmpPath}/restore.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await page.locator('.jp-Diffraction-colormapSelect select').selectOption('cividis');
    await viewer.focus();
    await page.keyboard.press('.');
    await expect(viewer).toHaveAttribute('data-frame', '1');
    await page.locator('.jp-Toolbar [data-command="diffraction:actual-size"]').click();
    await expect(viewer).toHaveAttribute('data-zoom', '1');
    // The layout is saved a moment after the change.
    await page.waitForTimeout(1500);

    // galata's default reload waits for the Launcher to be the active tab: not after a restore.
    // (galata's fixture type keeps Playwright's reload signature; its implementation takes this option)
    await (page as unknown as GalataReload).reload({ waitForIsReady: false });
    const restored = page.locator('.jp-DiffractionViewer');
    await expect(restored).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(restored).toHaveAttribute('data-frame', '1');
    await expect(restored).toHaveAttribute('data-colormap', 'cividis');
    await expect(restored).toHaveAttribute('data-zoom', '1');
  });

  test('the contrast panel shows the histogram and sets manual limits', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    await page.locator('.jp-Toolbar [data-command="diffraction:toggle-contrast-panel"]').click();
    const panel = viewer.locator('.jp-Diffraction-contrastPanel');
    await expect(panel).toBeVisible();
    // The histogram spans the valid range of the frame (numpy: min 0, max 18212).
    await expect(panel.locator('.jp-Diffraction-histogramRange')).toHaveText('0 … 18212');
    await expect(panel.locator('.jp-Diffraction-vmin')).toHaveValue('0');
    await expect(panel.locator('.jp-Diffraction-vmax')).toHaveValue('287');
    // Something is drawn: the histogram canvas is not blank.
    const inked = await panel.locator('.jp-Diffraction-histogram').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);

    await panel.locator('.jp-Diffraction-vmax').fill('1000');
    await panel.locator('.jp-Diffraction-vmax').press('Enter');
    await expect(viewer).toHaveAttribute('data-vmax', '1000');
    await expect(viewer).toHaveAttribute('data-auto', 'false');
    await panel.locator('.jp-Diffraction-autoButton').click();
    await expect(viewer).toHaveAttribute('data-vmax', '287');
    await expect(viewer).toHaveAttribute('data-auto', 'true');
    // Dragging on the histogram (away from the limit lines) selects a new range.
    const hist = (await panel.locator('.jp-Diffraction-histogram').boundingBox())!;
    const x1 = Math.round(hist.x + 0.3 * hist.width);
    const x2 = Math.round(hist.x + 0.6 * hist.width);
    const y = Math.round(hist.y + hist.height / 2);
    await page.mouse.move(x1, y);
    await page.mouse.down();
    await page.mouse.move(x2, y, { steps: 4 });
    await page.mouse.up();
    await expect(viewer).toHaveAttribute('data-auto', 'false');
    const perPixel = 18212 / hist.width;
    const vmin = Number(await viewer.getAttribute('data-vmin'));
    const vmax = Number(await viewer.getAttribute('data-vmax'));
    expect(Math.abs(vmin - (x1 - hist.x) * perPixel)).toBeLessThanOrEqual(2 * perPixel);
    expect(Math.abs(vmax - (x2 - hist.x) * perPixel)).toBeLessThanOrEqual(2 * perPixel);
    await expect(panel.locator('.jp-Diffraction-vmin')).toHaveValue(String(Number(vmin.toPrecision(6))));

    // The stage gave room to the panel and the view followed (fit mode).
    const stage = (await viewer.locator('.jp-Diffraction-stage').boundingBox())!;
    const side = (await viewer.locator('.jp-Diffraction-side').boundingBox())!;
    expect(stage.x + stage.width).toBeLessThanOrEqual(side.x + 1);
  });

  test('defaults come from the settings and follow their changes', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    await expect(viewer).toHaveAttribute('data-colormap', 'inferno');
    // The setting registry, as the viewer plugin gets it (no public handle on the page).
    const set = (key: string, value: unknown) =>
      page.evaluate(
        async ({ key, value }) => {
          const app = (window as any).jupyterapp;
          const registry = await app.pluginRegistry._plugins.get('@jupyterlab/apputils-extension:settings').service;
          await registry.set('jupyterlab-diffraction:viewer', key, value);
        },
        { key, value }
      );
    await set('colormap', 'magma');
    await expect(viewer).toHaveAttribute('data-colormap', 'magma');
    await set('scale', 'sqrt');
    await expect(viewer).toHaveAttribute('data-scale', 'sqrt');
    // numpy: np.percentile(data, 99) == 63 for graphite.tif.
    await set('highPercentile', 99);
    await expect(viewer).toHaveAttribute('data-vmax', '63');
  });

  test('the context menu sets the colormap and the scale', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    const menu = page.locator('.lm-Menu');
    await viewer.locator('.jp-Diffraction-stage').click({ button: 'right' });
    await expect(menu.getByText('Fit Image to Window')).toBeVisible();
    await menu.getByText('Colormap', { exact: true }).hover();
    await menu.getByText('Colormap: cividis').click();
    await expect(viewer).toHaveAttribute('data-colormap', 'cividis');
    await viewer.locator('.jp-Diffraction-stage').click({ button: 'right' });
    await menu.getByText('Intensity Scale', { exact: true }).hover();
    await menu.getByText('Intensity Scale: sqrt').click();
    await expect(viewer).toHaveAttribute('data-scale', 'sqrt');
  });

  test('follows the dark theme', async ({ page, tmpPath }) => {
    const viewer = await openGraphite(page, tmpPath);
    const statusColor = () =>
      viewer.locator('.jp-Diffraction-statusbar').evaluate(n => getComputedStyle(n).backgroundColor);
    const light = await statusColor();
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' })
    );
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await expect.poll(statusColor).not.toBe(light);
    const expected = await page.evaluate(() =>
      getComputedStyle(document.body).getPropertyValue('--jp-layout-color1').trim()
    );
    const probe = await page.evaluate(color => {
      const d = document.createElement('div');
      d.style.color = color;
      document.body.appendChild(d);
      const rgb = getComputedStyle(d).color;
      d.remove();
      return rgb;
    }, expected);
    expect(await statusColor()).toBe(probe);
    await page.mouse.move(0, 0);
    await expect(viewer).toHaveScreenshot('graphite-dark.png', { maxDiffPixelRatio: 0.01 });
  });
});
