/**
 * Ground tests of the real app: a real JupyterLab 4.6 frontend, Debian's jupyter_server and
 * ipykernel, Chromium. If these fail, every other ui-test is meaningless.
 */
import { encodeTiff } from '../../src/io/writer.js';
import {
  copyToServer,
  expect,
  openFromFileBrowser,
  sharedData,
  test,
  writeToServer
} from '../fixtures.js';

test.describe('the real JupyterLab', () => {
  test('has the diffraction extension active', async ({ page }) => {
    const active = await page.evaluate(() => {
      const app = (window as any).jupyterapp;
      return app.isPluginActivated('jupyterlab-diffraction:viewer') as boolean;
    });
    expect(active).toBe(true);
  });

  test('runs a cell on the real kernel and saves it', async ({ page, tmpPath }) => {
    const name = 'ground.ipynb';
    expect(await page.notebook.createNew(name)).toBe(name);
    // Key presses before the kernel is ready are dropped silently: wait for Idle.
    await expect(
      page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')
    ).toHaveAttribute('data-status', 'idle', { timeout: 30_000 });

    await page.notebook.setCell(0, 'code', 'print(6*7)');
    await page.notebook.runCell(0);
    expect(await page.notebook.getCellTextOutput(0)).toEqual(['42\n']);
    await page.notebook.save();

    // What is on disk, read back through the contents API.
    const response = await page.request.get(`/api/contents/${tmpPath}/${name}?content=1`);
    expect(response.status()).toBe(200);
    const model = await response.json();
    expect(model.type).toBe('notebook');
    const cells = model.content.cells;
    // Running a cell from the editor also appends an empty cell below it: that one is not ours.
    expect(cells.filter((cell: { source: string }) => cell.source !== '')).toHaveLength(1);
    expect(cells[0].cell_type).toBe('code');
    expect(cells[0].source).toBe('print(6*7)');
    expect(cells[0].execution_count).toBe(1);
    expect(cells[0].outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '42\n' }
    ]);
  });

  test('opens a .tif from the file browser in the Diffraction viewer', async ({
    page,
    tmpPath
  }) => {
    // Real data: 1024 x 1024 uint16 (../shared/data/README.md).
    await copyToServer(sharedData('graphite.tif'), `${tmpPath}/graphite.tif`);
    await openFromFileBrowser(page, `${tmpPath}/graphite.tif`);

    const graphite = page.locator('.jp-DiffractionViewer');
    await expect(graphite).toHaveAttribute('data-state', 'ready');
    await expect(graphite).toHaveAttribute('data-height', '1024');
    await expect(graphite).toHaveAttribute('data-width', '1024');

    // Not square, so that swapped axes would show: 3 rows x 5 columns, written at test time.
    const data = Uint16Array.from({ length: 15 }, (_, i) => i);
    await writeToServer(
      `${tmpPath}/small.tif`,
      encodeTiff({ height: 3, width: 5, sampleType: 'uint16', data })
    );
    await openFromFileBrowser(page, `${tmpPath}/small.tif`);
    const small = page.locator('.jp-DiffractionViewer:visible');
    await expect(small).toHaveAttribute('data-state', 'ready');
    await expect(small).toHaveAttribute('data-height', '3');
    await expect(small).toHaveAttribute('data-width', '5');
  });
});
