/**
 * Issue 16, HDF5 in the viewer: the dataset picker of files with several image datasets (the
 * toolbar select and `diffraction:choose-dataset`, the choice kept after a page reload), Eiger
 * bitshuffle/LZ4 data files decoded in the Worker, and every extension the readers take opening
 * in the Diffraction viewer on double-click. The HDF5 files are written at test time with
 * Debian's h5py (and the bitshuffle filter plugin, by scripts/fixtures/make_format_fixtures.py).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, openFromFileBrowser, serverFile, test } from '../fixtures.js';
import { REPO_ROOT } from '../env.js';
import { recordToasts, runFromPalette, toastsSeen } from '../palette.js';

type GalataReload = { reload(options: { waitForIsReady?: boolean }): Promise<unknown> };

const SHARED = path.resolve(REPO_ROOT, '../shared/data');
let generated = '';

/** Two image datasets: the automatic choice is the larger, a 3-frame 96 × 128 uint16 stack. */
const TWO_DATASETS = `
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], 'w') as f:
    rows, cols = np.mgrid[0:96, 0:128]
    f.create_dataset('entry/pattern', data=np.stack([rows * 128 + cols + k for k in range(3)]).astype(np.uint16))
    f.create_dataset('entry/survey', data=np.full((48, 40), 7.5, np.float32))
    f.create_dataset('entry/spectrum', data=np.arange(100, dtype=np.float32))
with h5py.File(sys.argv[2], 'w') as f:
    f.create_dataset('only', data=np.ones((32, 32), np.uint8))
`;

test.beforeAll(() => {
  generated = mkdtempSync(path.join(tmpdir(), 'formats-hdf5-ui-'));
  execFileSync('/usr/bin/python3', [path.join(REPO_ROOT, 'scripts/fixtures/make_format_fixtures.py'), generated, SHARED]);
  execFileSync('/usr/bin/python3', ['-c', TWO_DATASETS, path.join(generated, 'two.h5'), path.join(generated, 'one.h5')]);
});

test.afterAll(() => {
  if (generated) rmSync(generated, { recursive: true, force: true });
});

/** Copy a generated file into the served folder and return its server path. */
function serve(name: string, tmpPath: string, as = name): string {
  const target = `${tmpPath}/${as}`;
  const file = serverFile(target);
  if (!existsSync(path.dirname(file))) mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(path.join(generated, name), file);
  return target;
}

test.describe('dataset picker', () => {
  test('the toolbar select lists the image datasets and shows the one chosen, also after a reload', async ({ page, tmpPath }) => {
    const target = serve('two.h5', tmpPath);
    await openFromFileBrowser(page, target);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    // The automatic choice: the largest image dataset.
    await expect(viewer).toHaveAttribute('data-height', '96');
    await expect(viewer).toHaveAttribute('data-width', '128');
    await expect(viewer).toHaveAttribute('data-frames', '3');

    const select = page.locator('.jp-Diffraction-datasetSelect select');
    await expect(select).toBeVisible();
    // Path, shape and type of each image dataset (the 1-D spectrum is not an image).
    const options = await select.locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options[0]).toMatch(/^\/entry\/pattern \(3 × 96 × 128, .+\)$/);
    expect(options[1]).toMatch(/^\/entry\/survey \(48 × 40, .+\)$/);
    await expect(select).toHaveValue('/entry/pattern');

    await recordToasts(page);
    await select.selectOption('/entry/survey');
    await expect(viewer).toHaveAttribute('data-height', '48', { timeout: 30_000 });
    await expect(viewer).toHaveAttribute('data-width', '40');
    await expect(viewer).toHaveAttribute('data-frames', '1');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(viewer).toHaveAttribute('data-sample-type', 'float32');
    expect(await viewer.locator('.jp-Diffraction-info').getAttribute('title')).toContain('dataset: /entry/survey');
    await expect.poll(() => toastsSeen(page, `Showing dataset /entry/survey of ${target}`)).toBe(1);

    // The choice is part of the saved layout (polled from the workspace the page saves; galata
    // keeps it in memory and answers every workspace id with it) ...
    await expect
      .poll(
        () =>
          page.evaluate(async () => JSON.stringify(await (window as any).jupyterapp.serviceManager.workspaces.fetch('default'))),
        { timeout: 20_000 }
      )
      .toContain('"dataset":"/entry/survey"');

    // ... and comes back after a reload.
    await (page as unknown as GalataReload).reload({ waitForIsReady: false });
    const restored = page.locator('.jp-DiffractionViewer');
    await expect(restored).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(restored).toHaveAttribute('data-height', '48');
    await expect(restored).toHaveAttribute('data-width', '40');
    await expect(page.locator('.jp-Diffraction-datasetSelect select')).toHaveValue('/entry/survey');
  });

  test('Choose Dataset… from the palette lists path, shape and type and reopens the viewer', async ({ page, tmpPath }) => {
    const target = serve('two.h5', tmpPath);
    await openFromFileBrowser(page, target);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(viewer).toHaveAttribute('data-height', '96');

    await recordToasts(page);
    await runFromPalette(page, 'Choose Dataset…');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toBeVisible();
    const choice = dialog.locator('select');
    const items = await choice.locator('option').allTextContents();
    expect(items.some(t => /^\/entry\/survey \(48 × 40, /.test(t))).toBe(true);
    const survey = items.find(t => t.startsWith('/entry/survey'))!;
    await choice.selectOption(survey);
    await dialog.locator('.jp-mod-accept').click();
    await expect(viewer).toHaveAttribute('data-height', '48', { timeout: 30_000 });
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect.poll(() => toastsSeen(page, `Showing dataset /entry/survey of ${target}`)).toBe(1);

    // Back to the stack, by the command with its argument.
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('diffraction:choose-dataset', { dataset: '/entry/pattern' }));
    await expect(viewer).toHaveAttribute('data-height', '96', { timeout: 30_000 });
    await expect(viewer).toHaveAttribute('data-frames', '3');
  });

  test('a chosen dataset no longer in the file (changed on disk): the automatic choice, with a note', async ({ page, tmpPath }) => {
    const target = serve('two.h5', tmpPath);
    await openFromFileBrowser(page, target);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await page.locator('.jp-Diffraction-datasetSelect select').selectOption('/entry/survey');
    await expect(viewer).toHaveAttribute('data-height', '48', { timeout: 30_000 });
    // Another file under the same name: the viewer notices the change on disk and reloads.
    serve('one.h5', tmpPath, 'two.h5');
    await expect(viewer).toHaveAttribute('data-height', '32', { timeout: 60_000 });
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(viewer.locator('.jp-Diffraction-notes')).toContainText('the dataset /entry/survey chosen before is not in the file: /only is shown');
    expect(await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.saveState().dataset)).toBeUndefined();
  });

  test('a file with one image dataset has no dataset select and the command is disabled', async ({ page, tmpPath }) => {
    const target = serve('one.h5', tmpPath);
    await openFromFileBrowser(page, target);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(page.locator('.jp-Diffraction-datasetSelect')).toBeHidden();
    expect(await page.evaluate(() => (window as any).jupyterapp.commands.isEnabled('diffraction:choose-dataset'))).toBe(false);
  });
});

test('an Eiger bitshuffle/LZ4 data file beside its master: decoded in the Worker and shown', async ({ page, tmpPath }) => {
  serve('eiger_bslz4_data_000001.h5', tmpPath);
  const target = serve('eiger_bslz4_master.h5', tmpPath);
  await openFromFileBrowser(page, target);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(viewer).toHaveAttribute('data-frames', '3');
  await expect(viewer).toHaveAttribute('data-height', '512');
  await expect(viewer).toHaveAttribute('data-sample-type', 'uint32');
  // Not an all-zero decode: the frame's range is the ewald image's, × 3.
  const max = await page.evaluate(() => {
    const data = (window as any).jupyterapp.shell.currentWidget.content.frame.data as Uint32Array;
    return data.reduce((a, b) => Math.max(a, b), 0);
  });
  expect(max).toBeGreaterThan(0);
  expect(max % 3).toBe(0);
});

test('every extension the readers take opens in the Diffraction viewer by default', async ({ page }) => {
  const extensions = ['.mrc', '.mrcs', '.st', '.ali', '.dm3', '.dm4', '.mib', '.img', '.smv', '.cbf', '.h5', '.hdf5', '.hdf', '.nxs', '.emd', '.hspy', '.nx5', '.tif', '.tiff'];
  const factories = await page.evaluate(
    exts => exts.map(e => (window as any).jupyterapp.docRegistry.defaultWidgetFactory(`x/file${e}`)?.name ?? null),
    extensions
  );
  expect(Object.fromEntries(extensions.map((e, i) => [e, factories[i]]))).toEqual(Object.fromEntries(extensions.map(e => [e, 'Diffraction'])));
});
