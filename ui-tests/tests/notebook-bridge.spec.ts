/**
 * The notebook step (issue 12): the image path the notebook gets is relative to the notebook's
 * folder, where its kernel runs (item 5); the centers of several frames of a stack all stay in
 * the notebook (item 4), written with the Write Center shortcut no browser keeps (item 7).
 */
import type { Page } from '@playwright/test';
import { encodeTiff } from '../../src/io/writer.js';
import { formatCoordinate } from '../../src/notebook/code.js';
import { generatePattern } from '../../tests/synth/index.js';
import { expect, openFromFileBrowser, test, writeToServer } from '../fixtures.js';

/** An empty notebook with the Python kernel. */
const EMPTY_NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
    language_info: { name: 'python' },
    lab_notes: { owner: 'beamline 7' }
  },
  cells: [{ cell_type: 'markdown', id: 'intro', metadata: {}, source: '# Analysis' }]
});

async function activateTab(page: Page, name: string): Promise<void> {
  await page.getByRole('main').getByRole('tab', { name: new RegExp(`^${name.replace(/\./g, '\\.')}`) }).click();
}

async function waitForIdleKernel(page: Page): Promise<void> {
  await expect(page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')).toHaveAttribute(
    'data-status',
    'idle',
    { timeout: 30_000 }
  );
}

/** Run Find Center on the current viewer and wait for the center of `frame`. */
async function findCenter(page: Page, frame: number): Promise<{ row: number; col: number }> {
  const viewer = page.locator('.jp-DiffractionViewer');
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('diffraction:find-center'));
  await expect(viewer).toHaveAttribute('data-center-state', 'found', { timeout: 60_000 });
  await expect(viewer).toHaveAttribute('data-center-frame', String(frame));
  return {
    row: Number(await viewer.getAttribute('data-center-row')),
    col: Number(await viewer.getAttribute('data-center-col'))
  };
}

/** The saved notebook's metadata, read back through the contents API. */
async function savedMetadata(page: Page, path: string): Promise<any> {
  const response = await page.request.get(`/api/contents/${path}?content=1`);
  expect(response.status()).toBe(200);
  return (await response.json()).content.metadata;
}

test.describe('Notebook bridge', () => {
  test('a notebook in a subfolder gets the image path its kernel opens', async ({ page, tmpPath }) => {
    const pattern = generatePattern({ kind: 'rings', height: 256, width: 320, center: { row: 120.4, col: 170.2 }, seed: 3, sampleType: 'uint16' });
    await writeToServer(`${tmpPath}/data/rings.tif`, encodeTiff(pattern.image));
    await writeToServer(`${tmpPath}/notebooks/analysis.ipynb`, EMPTY_NOTEBOOK);

    await openFromFileBrowser(page, `${tmpPath}/notebooks/analysis.ipynb`);
    await waitForIdleKernel(page);
    await openFromFileBrowser(page, `${tmpPath}/data/rings.tif`);
    await expect(page.locator('.jp-DiffractionViewer')).toHaveAttribute('data-state', 'ready');
    const { row, col } = await findCenter(page, 0);

    await page.evaluate(() => (window as any).jupyterapp.commands.execute('diffraction:insert-center-code'));
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('diffraction:write-center'));
    await activateTab(page, 'analysis.ipynb');
    const code = (await page.notebook.getCellTextInput(1)) ?? '';
    expect(code).toMatch(/^center = \(\d+\.\d+, \d+\.\d+\) {2}# \(row, col\) of \.\.\/data\/rings\.tif, found/);
    const named = /of (.*), found/.exec(code)![1];

    // The kernel runs in notebooks/: the path the cell names opens there.
    await page.notebook.runCell(1, true);
    await page.notebook.addCell(
      'code',
      `import os, tifffile\nprint(os.path.basename(os.getcwd()), tifffile.imread(${JSON.stringify(named)}).shape, center)`
    );
    await page.notebook.runCell(2, true);
    const printed = ((await page.notebook.getCellTextOutput(2)) ?? []).join('');
    expect(printed.trim()).toBe(`notebooks (256, 320) (${formatCoordinate(row)}, ${formatCoordinate(col)})`);

    // The metadata entry carries the same relative path, and the root-relative one beside it.
    await page.notebook.save();
    const metadata = await savedMetadata(page, `${tmpPath}/notebooks/analysis.ipynb`);
    expect(metadata.lab_notes).toEqual({ owner: 'beamline 7' });
    expect(Object.keys(metadata.diffraction.centers)).toEqual([named]);
    expect(metadata.diffraction.centers[named]).toMatchObject({ serverPath: `${tmpPath}/data/rings.tif`, shape: [256, 320] });
    expect(metadata.diffraction.centers[named].frames['0'].row).toBe(row);
  });

  test('the centers of frames 0, 1, 5, 10 and 19 of a stack all stay in the notebook', async ({ page, tmpPath }) => {
    const frames = Array.from({ length: 20 }, (_, f) =>
      generatePattern({ kind: 'rings', height: 200, width: 200, center: { row: 90 + f, col: 110 - f / 2 }, seed: 10 + f, sampleType: 'uint16' })
    );
    await writeToServer(`${tmpPath}/stack.tif`, encodeTiff(frames.map(p => p.image)));
    await writeToServer(`${tmpPath}/stack.ipynb`, EMPTY_NOTEBOOK);
    await openFromFileBrowser(page, `${tmpPath}/stack.ipynb`);
    await openFromFileBrowser(page, `${tmpPath}/stack.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-frames', '20');

    const written = [0, 1, 5, 10, 19];
    const found: Record<string, { row: number; col: number }> = {};
    for (const f of written) {
      const spinner = viewer.locator('.jp-Diffraction-frameSpinner');
      await spinner.fill(String(f));
      await spinner.press('Enter');
      await expect(viewer).toHaveAttribute('data-frame', String(f));
      found[f] = await findCenter(page, f);
      expect(Math.hypot(found[f].row - (90 + f), found[f].col - (110 - f / 2))).toBeLessThan(1);
      // Write Center with its shortcut (schema/center.json), the viewer having the focus.
      await viewer.focus();
      await page.keyboard.press('Control+Alt+S');
      await expect
        .poll(() =>
          page.evaluate(
            frame => {
              const app = (window as any).jupyterapp;
              let centers: any;
              for (const w of app.shell.widgets('main')) {
                if (w.context?.path?.endsWith('stack.ipynb')) centers = w.content.model.getMetadata('diffraction')?.centers;
              }
              return Object.keys(centers?.['stack.tif']?.frames ?? {}).includes(String(frame));
            },
            f
          )
        )
        .toBe(true);
    }

    await activateTab(page, 'stack.ipynb');
    await page.notebook.save();
    const metadata = await savedMetadata(page, `${tmpPath}/stack.ipynb`);
    expect(metadata.lab_notes).toEqual({ owner: 'beamline 7' });
    const entry = metadata.diffraction.centers['stack.tif'];
    expect(entry).toMatchObject({ serverPath: `${tmpPath}/stack.tif`, shape: [200, 200] });
    expect(Object.keys(entry.frames).map(Number).sort((a, b) => a - b)).toEqual(written);
    for (const f of written) {
      expect(entry.frames[String(f)]).toMatchObject({ row: found[f].row, col: found[f].col, method: 'autocenter' });
    }
  });
});
