/**
 * Viewer defects of issue 12 ("Trust"), each reproduced as a user meets it:
 *  - item 2: a page reload must bring back every viewer as it was (a fitted view as fitted, a
 *    saved view center inside the image) and every restored viewer must paint, several tabs too;
 *  - item 8: keyboard focus returns to the viewer after its context menu and toolbar buttons, so
 *    single-key shortcuts (and Escape for a mask tool) work without clicking the image first;
 *  - item 11: the default intensity scale can be chosen from the data ("auto"), and the scale
 *    last chosen by the user is what new viewers open with.
 */
import type { Locator, Page } from '@playwright/test';
import { encodeTiff } from '../../src/io/writer.js';
import { copyToServer, expect, openFromFileBrowser, sharedData, test, writeToServer } from '../fixtures.js';
import { setPluginSetting } from '../palette.js';

type GalataReload = { reload(options: { waitForIsReady?: boolean }): Promise<unknown> };

/** A 512² uint16 image: a smooth ramp, never blank under any colormap. */
function ramp(size = 512, offset = 0): Uint8Array {
  const data = new Uint16Array(size * size).map((_, i) => offset + (i % size) + Math.floor(i / size));
  return encodeTiff({ height: size, width: size, sampleType: 'uint16', data });
}

/**
 * A pattern with the dynamic range of an electron diffraction image: a flat faint background
 * (1), a very bright central beam and two faint rings (a few counts above the background).
 */
function peaky(size = 256): Uint8Array {
  const data = new Float32Array(size * size);
  const c = size / 2;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const r = Math.hypot(row - c, col - c);
      data[row * size + col] =
        1 + 50000 * Math.exp(-(r * r) / (2 * 6 * 6)) + 40 * Math.exp(-((r - 60) ** 2) / 8) + 20 * Math.exp(-((r - 100) ** 2) / 8);
    }
  }
  return encodeTiff({ height: size, width: size, sampleType: 'float32', data });
}

/** The viewer's exact view transform, from its `data-view` attribute. */
async function viewOf(viewer: Locator): Promise<{ zoom: number; x0: number; y0: number }> {
  const [zoom, x0, y0] = ((await viewer.getAttribute('data-view')) ?? '').split(' ').map(Number);
  return { zoom, x0, y0 };
}

/** Whether the image canvas has opaque pixels at the middle of the stage (the image is drawn). */
async function paintedAtMiddle(viewer: Locator): Promise<boolean> {
  return viewer.locator('.jp-Diffraction-canvas').evaluate((canvas: HTMLCanvasElement) => {
    if (canvas.width < 4 || canvas.height < 4) return false;
    const d = canvas.getContext('2d')!.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
    return d[3] === 255;
  });
}

/** The state the layout restorer would save for the current viewer. */
async function savedState(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.saveState());
}

test.describe('viewer: reload (issue 12, item 2)', () => {
  test('fitted viewers in several tabs come back fitted and painted after a reload', async ({ page, tmpPath }) => {
    const names = ['a.tif', 'b.tif', 'c.tif'];
    for (const [i, name] of names.entries()) {
      await writeToServer(`${tmpPath}/${name}`, ramp(512, 100 * i));
      await openFromFileBrowser(page, `${tmpPath}/${name}`);
      await expect(page.locator('.jp-DiffractionViewer:visible')).toHaveAttribute('data-state', 'ready');
    }
    const fitted = await viewOf(page.locator('.jp-DiffractionViewer:visible'));
    expect((await savedState(page)).fit).toBe(true);
    // The layout is saved a moment after the change.
    await page.waitForTimeout(1500);

    await (page as unknown as GalataReload).reload({ waitForIsReady: false });
    for (const name of [...names].reverse()) {
      await page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: name }).click();
      const viewer = page.locator('.jp-DiffractionViewer:visible');
      await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      await expect.poll(() => paintedAtMiddle(viewer), { message: `${name} is painted` }).toBe(true);
      // Fitted: the whole image in view, at the same zoom as before the reload.
      await expect.poll(async () => (await viewOf(viewer)).zoom).toBe(fitted.zoom);
      const view = await viewOf(viewer);
      expect(view.x0).toBeGreaterThanOrEqual(0);
      expect(view.y0).toBeGreaterThanOrEqual(0);
      expect((await savedState(page)).fit).toBe(true);
    }
  });

  test('a saved view center outside the image is brought back inside it', async ({ page, tmpPath }) => {
    await writeToServer(`${tmpPath}/far.tif`, ramp(512));
    await page.evaluate(
      path =>
        (window as any).jupyterapp.commands.execute('diffraction:open-viewer', {
          path,
          state: { fit: false, zoom: 2, viewRow: 5000, viewCol: -3000 }
        }),
      `${tmpPath}/far.tif`
    );
    const viewer = page.locator('.jp-DiffractionViewer:visible');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(viewer).toHaveAttribute('data-zoom', '2');
    const state = await savedState(page);
    expect(state.viewRow).toBeGreaterThanOrEqual(-0.5);
    expect(state.viewRow).toBeLessThanOrEqual(511.5);
    expect(state.viewCol).toBeGreaterThanOrEqual(-0.5);
    expect(state.viewCol).toBeLessThanOrEqual(511.5);
    await expect.poll(() => paintedAtMiddle(viewer)).toBe(true);
  });
});

test.describe('viewer: keyboard focus (issue 12, item 8)', () => {
  test('single-key shortcuts work right after the context menu', async ({ page, tmpPath }) => {
    await copyToServer(sharedData('graphite.tif'), `${tmpPath}/graphite.tif`);
    await openFromFileBrowser(page, `${tmpPath}/graphite.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await viewer.locator('.jp-Diffraction-stage').click({ button: 'right' });
    await page.locator('.lm-Menu').getByText('Invert Colormap').click();
    await expect(viewer).toHaveAttribute('data-invert', 'true');
    await expect(page.locator('.lm-Menu')).toHaveCount(0);
    // No click on the image: the key goes to the viewer.
    await page.keyboard.press('i');
    await expect(viewer).toHaveAttribute('data-invert', 'false');
  });

  test('single-key shortcuts work right after a toolbar button', async ({ page, tmpPath }) => {
    await copyToServer(sharedData('graphite.tif'), `${tmpPath}/graphite.tif`);
    await openFromFileBrowser(page, `${tmpPath}/graphite.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    const fitZoom = await viewer.getAttribute('data-zoom');
    await page.locator('.jp-Toolbar [data-command="diffraction:actual-size"]').click();
    await expect(viewer).toHaveAttribute('data-zoom', '1');
    await page.keyboard.press('0');
    await expect(viewer).toHaveAttribute('data-zoom', fitZoom!);
    await page.locator('.jp-Toolbar [data-command="diffraction:invert-colormap"]').click();
    await expect(viewer).toHaveAttribute('data-invert', 'true');
    await page.keyboard.press('i');
    await expect(viewer).toHaveAttribute('data-invert', 'false');
  });

  test('Escape ends the rectangle tool chosen on the toolbar after a drag on the image', async ({ page, tmpPath }) => {
    await writeToServer(`${tmpPath}/ramp.tif`, ramp(256));
    await openFromFileBrowser(page, `${tmpPath}/ramp.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    // Focus somewhere else first (the file browser), as after opening the file.
    await page.locator('.jp-DirListing-content').click({ position: { x: 5, y: 300 } });
    // With the file browser open, the toolbar is wider than the tab: JupyterLab moves the last
    // buttons (the mask tools) into its "More commands" popup, where a user clicks them.
    const rectangle = page.locator('[data-command="diffraction:draw-rectangle"]');
    if (!(await rectangle.isVisible())) {
      await page.locator('.jp-DiffractionViewer').locator('xpath=ancestor::*[contains(@class, "jp-MainAreaWidget")]').locator('.jp-Toolbar-responsive-opener').click();
    }
    await rectangle.click();
    await expect(viewer).toHaveAttribute('data-mask-tool', 'rect');
    const box = (await viewer.locator('.jp-Diffraction-stage').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx - 40, cy - 30);
    await page.mouse.down();
    await page.mouse.move(cx + 40, cy + 30, { steps: 5 });
    await page.mouse.up();
    await expect(viewer).toHaveAttribute('data-mask', '1 drawn shape');
    await page.keyboard.press('Escape');
    await expect(viewer).not.toHaveAttribute('data-mask-tool', /.*/);
  });
});

test.describe('viewer: intensity scale (issue 12, item 11)', () => {
  test('the automatic default scale follows the dynamic range of the data', async ({ page, tmpPath }) => {
    await setPluginSetting(page, 'viewer', 'scale', 'auto');
    await writeToServer(`${tmpPath}/peaky.tif`, peaky());
    await openFromFileBrowser(page, `${tmpPath}/peaky.tif`);
    const first = page.locator('.jp-DiffractionViewer:visible');
    await expect(first).toHaveAttribute('data-state', 'ready');
    // Most pixels sit at the bottom of the contrast range: a log scale shows the faint rings.
    await expect(first).toHaveAttribute('data-scale', 'log');

    await writeToServer(`${tmpPath}/ramp.tif`, ramp(256));
    await openFromFileBrowser(page, `${tmpPath}/ramp.tif`);
    const second = page.locator('.jp-DiffractionViewer:visible');
    await expect(second).toHaveAttribute('data-state', 'ready');
    // Values spread evenly over the contrast range: linear.
    await expect(second).toHaveAttribute('data-scale', 'linear');
  });

  test('new viewers open with the scale last chosen, also after a reload', async ({ page, tmpPath }) => {
    await writeToServer(`${tmpPath}/one.tif`, ramp(128));
    await writeToServer(`${tmpPath}/two.tif`, ramp(128, 7));
    await writeToServer(`${tmpPath}/three.tif`, ramp(128, 9));
    await openFromFileBrowser(page, `${tmpPath}/one.tif`);
    const one = page.locator('.jp-DiffractionViewer:visible');
    await expect(one).toHaveAttribute('data-state', 'ready');
    await page.locator('.jp-Diffraction-scaleSelect:visible select').selectOption('sqrt');
    await expect(one).toHaveAttribute('data-scale', 'sqrt');

    await openFromFileBrowser(page, `${tmpPath}/two.tif`);
    const two = page.locator('.jp-DiffractionViewer:visible');
    await expect(two).toHaveAttribute('data-state', 'ready');
    await expect(two).toHaveAttribute('data-scale', 'sqrt');

    await page.waitForTimeout(1500);
    await (page as unknown as GalataReload).reload({ waitForIsReady: false });
    await expect(page.locator('.jp-DiffractionViewer:visible')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await openFromFileBrowser(page, `${tmpPath}/three.tif`);
    const three = page.locator('.jp-DiffractionViewer:visible');
    await expect(three).toHaveAttribute('data-state', 'ready');
    await expect(three).toHaveAttribute('data-scale', 'sqrt');
  });
});
