/**
 * Find Centers of All Frames (issue 14) on a generated stack whose center drifts by a known
 * path: every frame's crosshair is that frame's center, the drift panel shows one point per
 * frame and a click on one shows that frame, a hand-placed center is kept, Cancel stops a run,
 * and the sidecar CSV the notebook cell loads on the real kernel holds the same numbers.
 */
import type { Page } from '@playwright/test';
import { driftCenter, driftingStack } from '../../bench/series-stack.js';
import { encodeTiff } from '../../src/io/writer.js';
import { generatePattern } from '../../tests/synth/index.js';
import { expect, openFromFileBrowser, serverFile, test, writeToServer } from '../fixtures.js';
import { dragImage, recordToasts, runFromPalette, toastsSeen } from '../palette.js';
import fs from 'node:fs/promises';

const FRAMES = 24;
const SIZE = 128;
const SEED = 5;
/** A frame whose beam is knocked off the drift's path (an outlier), and by how much. */
const OFF_FRAME = 11;
const OFF = { row: 5, col: -4 };

/** The true center of frame `f` of the test's stack. */
function truth(f: number): { row: number; col: number } {
  const c = driftCenter(f, FRAMES, SIZE, SEED);
  return f === OFF_FRAME ? { row: c.row + OFF.row, col: c.col + OFF.col } : c;
}

/** The drifting stack of bench/series-stack.ts, with frame OFF_FRAME drawn about its off-path center. */
function stackFrames() {
  const frames = driftingStack({ kind: 'rings', frames: FRAMES, size: SIZE, seed: SEED }).frames;
  frames[OFF_FRAME] = generatePattern({
    kind: 'rings',
    height: SIZE,
    width: SIZE,
    center: truth(OFF_FRAME),
    seed: SEED * 1000 + OFF_FRAME,
    spacing: SIZE / (9 + (SEED % 4)),
    sigma: 1.4 + (SEED % 3) * 0.3,
    angle: 0.3 + SEED * 0.17,
    sampleType: 'uint16'
  }).image;
  return frames;
}

const EMPTY_NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
    language_info: { name: 'python' }
  },
  cells: [{ cell_type: 'markdown', id: 'intro', metadata: {}, source: '# Drift' }]
});

async function activateTab(page: Page, name: string): Promise<void> {
  await page.getByRole('main').getByRole('tab', { name: new RegExp(`^${name.replace(/\./g, '\\.')}`) }).first().click();
}

/** The center the viewer shows (data attributes of the session) on each frame, stepping through them. */
async function shownCenters(page: Page, frames: number): Promise<Array<{ frame: number; row: number; col: number; method: string }>> {
  return page.evaluate(async n => {
    const app = (window as any).jupyterapp;
    let viewer: any = null;
    for (const w of app.shell.widgets('main')) {
      if (w.content?.node?.classList.contains('jp-DiffractionViewer')) viewer = w.content;
    }
    const out = [];
    for (let f = 0; f < n; f++) {
      await viewer.setFrame(f);
      const d = viewer.node.dataset;
      out.push({ frame: Number(d.centerFrame), row: Number(d.centerRow), col: Number(d.centerCol), method: String(d.centerMethod) });
    }
    return out;
  }, frames);
}

test.describe('Find Centers of All Frames', () => {
  test('follows a drifting stack, plots it, keeps a hand-set center, and loads in a notebook', async ({ page, tmpPath }) => {
    await writeToServer(`${tmpPath}/data/drift.tif`, encodeTiff(stackFrames()));
    await writeToServer(`${tmpPath}/drift.ipynb`, EMPTY_NOTEBOOK);
    await recordToasts(page);

    await openFromFileBrowser(page, `${tmpPath}/drift.ipynb`);
    await expect(page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')).toHaveAttribute('data-status', 'idle', {
      timeout: 60_000
    });
    await openFromFileBrowser(page, `${tmpPath}/data/drift.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-frames', String(FRAMES));
    await expect(viewer).toHaveAttribute('data-state', 'ready');

    // The toolbar button runs it (the palette too: below).
    await page.locator('.jp-Toolbar-item[data-jp-item-name="find-all-centers"] button').click();
    await expect(viewer).toHaveAttribute('data-series-state', 'done', { timeout: 180_000 });
    const status = viewer.locator('.jp-Diffraction-seriesStatus');
    await expect(status).toHaveAttribute('data-done', String(FRAMES));
    await expect(status).toBeHidden();
    await expect.poll(() => toastsSeen(page, new RegExp(`Centers of ${FRAMES} frames of drift\\.tif found in`))).toBe(1);

    // Each frame's crosshair is that frame's own center, on the known drift.
    const shown = await shownCenters(page, FRAMES);
    shown.forEach(({ frame, row, col, method }, f) => {
      expect(frame).toBe(f);
      expect(method).toBe('autocenter');
      expect(Math.hypot(row - truth(f).row, col - truth(f).col), `frame ${f}`).toBeLessThan(0.1);
    });

    // The drift panel: one point per frame on each plot; a click shows that frame.
    const panel = page.locator('.jp-Diffraction-driftPanel');
    await expect(panel).toHaveAttribute('data-points', String(FRAMES));
    await expect(panel.locator('.jp-Diffraction-driftPlot[data-axis="row"] circle')).toHaveCount(FRAMES);
    await expect(panel.locator('.jp-Diffraction-driftPlot[data-axis="col"] circle')).toHaveCount(FRAMES);
    // The frame off the path is the one outlier (the jumps to it and back are flagged as such).
    await expect(panel).toHaveAttribute('data-outliers', '1');
    await expect(panel.locator('.jp-Diffraction-driftPlot[data-axis="row"] circle.jp-mod-outlier')).toHaveAttribute(
      'data-frame',
      String(OFF_FRAME)
    );
    await expect(panel.locator('.jp-Diffraction-driftPlot[data-axis="row"] circle.jp-mod-jump')).toHaveCount(2);
    await panel.locator('.jp-Diffraction-driftPlot[data-axis="row"] circle[data-frame="17"]').click();
    await expect(viewer).toHaveAttribute('data-frame', '17');
    await expect(viewer).toHaveAttribute('data-center-frame', '17');
    // A linear fit is drawn beside the raw centers and described.
    await panel.locator('.jp-Diffraction-driftFitSelect').selectOption('linear');
    await expect(panel.locator('.jp-Diffraction-driftFit')).toHaveCount(2);
    await expect(panel.locator('.jp-Diffraction-driftFitText')).toContainText('linear: row =');
    await expect(panel.locator('.jp-Diffraction-driftFitText')).toContainText(`1 of ${FRAMES} frames rejected`);

    // A center placed by hand on frame 5 is kept by the next run, which says so.
    await activateTab(page, 'drift.tif');
    await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.setFrame(5));
    await expect(viewer).toHaveAttribute('data-center-frame', '5');
    const before = { row: Number(await viewer.getAttribute('data-center-row')), col: Number(await viewer.getAttribute('data-center-col')) };
    await dragImage(page, [before.row, before.col], [before.row + 6, before.col - 5]);
    await expect(viewer).toHaveAttribute('data-center-method', 'manual');
    const placed = { row: Number(await viewer.getAttribute('data-center-row')), col: Number(await viewer.getAttribute('data-center-col')) };
    await runFromPalette(page, 'Find Centers of All Frames');
    await expect(viewer).toHaveAttribute('data-series-state', 'running');
    await expect(viewer).toHaveAttribute('data-series-state', 'done', { timeout: 180_000 });
    await expect.poll(() => toastsSeen(page, 'Frames 5 keep the centers you placed by hand')).toBe(1);
    const again = await shownCenters(page, FRAMES);
    expect(again[5]).toEqual({ frame: 5, row: placed.row, col: placed.col, method: 'manual' });
    await expect(panel.locator('.jp-Diffraction-driftPlot[data-axis="row"] circle.jp-mod-manual')).toHaveCount(1);

    // Insert as Code: the sidecar CSV beside the image, and a cell that loads it with numpy.
    await activateTab(page, 'drift.tif');
    await runFromPalette(page, 'Insert Centers of All Frames as Code');
    await expect.poll(() => toastsSeen(page, `Centers of ${FRAMES} frames written to drift_centers.csv; cell 2 of drift.ipynb loads them.`)).toBe(1);
    const csv = await fs.readFile(serverFile(`${tmpPath}/data/drift_centers.csv`), 'utf-8');
    expect(csv.split('\n')[0]).toBe('frame,row,col,score,sigma_row,sigma_col,method,jump,outlier,fit_row,fit_col');

    // The file exists now: the next Insert asks before overwriting it (Cancel writes nothing).
    await runFromPalette(page, 'Insert Centers of All Frames as Code');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('drift_centers.csv already exists');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => toastsSeen(page, 'Nothing was written')).toBe(1);
    expect(await fs.readFile(serverFile(`${tmpPath}/data/drift_centers.csv`), 'utf-8')).toBe(csv);

    await activateTab(page, 'drift.ipynb');
    const code = (await page.notebook.getCellTextInput(1)) ?? '';
    expect(code).toContain("centers = np.genfromtxt('data/drift_centers.csv'");
    await page.notebook.runCell(1, true);
    await page.notebook.addCell('code', "import json\nprint(json.dumps([centers['frame'].tolist(), centers['row'].tolist(), centers['col'].tolist(), centers['method'].tolist()]))");
    await page.notebook.runCell(2, true);
    const printed = ((await page.notebook.getCellTextOutput(2)) ?? []).join('');
    const [frames, rows, cols, methods] = JSON.parse(printed.trim());
    expect(frames).toEqual(Array.from({ length: FRAMES }, (_, f) => f));
    expect(rows).toEqual(again.map(c => c.row));
    expect(cols).toEqual(again.map(c => c.col));
    expect(methods[5]).toBe('manual');
    expect(methods[0]).toBe('full');

    // Into the notebook's metadata: per-frame arrays of every frame, and the fit.
    await activateTab(page, 'drift.tif');
    await runFromPalette(page, 'Write Centers of All Frames to Notebook');
    await expect.poll(() => toastsSeen(page, `Centers of ${FRAMES} frames of drift.tif written to drift.ipynb`)).toBe(1);
    await activateTab(page, 'drift.ipynb');
    await page.notebook.save();
    const response = await page.request.get(`/api/contents/${tmpPath}/drift.ipynb?content=1`);
    const entry = (await response.json()).content.metadata.diffraction.centers['data/drift.tif'];
    expect(entry.serverPath).toBe(`${tmpPath}/data/drift.tif`);
    expect(entry.shape).toEqual([SIZE, SIZE]);
    expect(entry.series.frame).toEqual(Array.from({ length: FRAMES }, (_, f) => f));
    expect(entry.series.row).toEqual(again.map(c => c.row));
    expect(entry.series.col).toEqual(again.map(c => c.col));
    expect(entry.series.method[5]).toBe('manual');
    expect(entry.fit.kind).toBe('linear');
    expect(entry.fit.description).toMatch(/^linear: row = /);

    // Show Diffraction Centers of Notebook lists the series: one summary row for the image.
    await runFromPalette(page, 'Show Diffraction Centers of Notebook');
    const listing = page.locator('.jp-Dialog .jp-Diffraction-seriesTable tbody tr');
    await expect(listing).toHaveCount(1);
    const cells = await listing.locator('td').allTextContents();
    expect(cells[0]).toBe(`${tmpPath}/data/drift.tif`);
    expect(cells[1]).toBe(`${FRAMES} of ${FRAMES}`);
    const shownRows = again.map(c => c.row);
    expect(cells[2]).toBe(`${Math.min(...shownRows).toFixed(2)} – ${Math.max(...shownRows).toFixed(2)}`);
    expect(cells[4]).toContain('manual 1');
    expect(cells[5]).toBe(String(entry.series.jump.filter(Boolean).length));
    expect(cells[7]).toMatch(/^linear: row = /);
    await page.locator('.jp-Dialog').getByRole('button', { name: 'Close' }).click();

    // A reload brings the drift panel back below its image, with its points and its fit.
    await (page as unknown as { reload(o: { waitForIsReady: boolean }): Promise<unknown> }).reload({ waitForIsReady: false });
    const restored = page.locator('.jp-Diffraction-driftPanel');
    await expect(restored).toHaveAttribute('data-points', String(FRAMES), { timeout: 60_000 });
    await expect(restored.locator('.jp-Diffraction-driftFitSelect')).toHaveValue('linear');
    await expect(restored.locator('.jp-Diffraction-driftFit')).toHaveCount(2);
    await expect(restored.locator('.jp-Diffraction-driftPlot[data-axis="row"] circle.jp-mod-manual')).toHaveCount(1);
    await expect(page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: 'Drift: drift.tif' })).toHaveCount(1);
  });

  test('Cancel stops a run and keeps the centers found so far', async ({ page, tmpPath }) => {
    const frames = 160;
    const stack = driftingStack({ kind: 'rings', frames, size: SIZE, seed: 3 });
    await writeToServer(`${tmpPath}/long.tif`, encodeTiff(stack.frames));
    await recordToasts(page);
    await openFromFileBrowser(page, `${tmpPath}/long.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-frames', String(frames));
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    // Press Cancel as soon as the status shows 3 frames done (in the page: a round trip from the
    // test could come after a fast machine has finished the 160 frames).
    await page.evaluate(() => {
      const node = document.querySelector('.jp-DiffractionViewer')!;
      const observer = new MutationObserver(() => {
        const status = node.querySelector<HTMLElement>('.jp-Diffraction-seriesStatus');
        if (status?.dataset.state === 'running' && Number(status.dataset.done) >= 3) {
          observer.disconnect();
          status.querySelector<HTMLButtonElement>('.jp-Diffraction-seriesCancel')!.click();
        }
      });
      observer.observe(node, { subtree: true, attributes: true, attributeFilter: ['data-done'] });
    });
    await runFromPalette(page, 'Find Centers of All Frames');
    await expect(viewer).toHaveAttribute('data-series-state', 'cancelled', { timeout: 180_000 });
    const status = viewer.locator('.jp-Diffraction-seriesStatus');
    const done = Number(await status.getAttribute('data-done'));
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(frames);
    await expect(status).toContainText(`cancelled after ${done} of ${frames} frames`);
    await expect.poll(() => toastsSeen(page, 'the centers found so far are kept')).toBe(1);
    // The frames done have their centers; the run does not go on behind the user's back.
    const panel = page.locator('.jp-Diffraction-driftPanel');
    await expect(panel).toHaveAttribute('data-points', String(done));
    await expect(page.locator('.jp-Toolbar-item[data-jp-item-name="find-all-centers"] button')).toBeEnabled();
    expect(Number(await panel.getAttribute('data-points'))).toBe(done);
  });

  test('Escape in the viewer cancels a run and keeps the centers found so far', async ({ page, tmpPath }) => {
    // Long enough that a fast machine is still running when the key is pressed.
    // The 12 frames of a drifting stack, repeated (generating 600 distinct frames takes long).
    const frames = 600;
    const cycle = driftingStack({ kind: 'rings', frames: 12, size: SIZE, seed: 4 }).frames;
    await writeToServer(`${tmpPath}/longer.tif`, encodeTiff(Array.from({ length: frames }, (_, f) => cycle[f % cycle.length])));
    await recordToasts(page);
    await openFromFileBrowser(page, `${tmpPath}/longer.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-frames', String(frames));
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await runFromPalette(page, 'Find Centers of All Frames');
    await expect(viewer).toHaveAttribute('data-series-state', 'running');
    const status = viewer.locator('.jp-Diffraction-seriesStatus');
    await expect.poll(async () => Number(await status.getAttribute('data-done')), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
    // The keyboard focus in the viewer (as after a click on the image), and Escape is the key.
    await viewer.focus();
    await page.keyboard.press('Escape');
    await expect(viewer).toHaveAttribute('data-series-state', 'cancelled', { timeout: 60_000 });
    const done = Number(await status.getAttribute('data-done'));
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(frames);
    await expect.poll(() => toastsSeen(page, `Cancelled after ${done} of ${frames} frames of longer.tif`)).toBe(1);
    await expect(page.locator('.jp-Diffraction-driftPanel')).toHaveAttribute('data-points', String(done));
  });
});
