/**
 * The center check (issue 15): the polar view beside the image straightens the rings about the
 * found center, bends them when the crosshair is dragged off it and straightens them again when
 * the found center is back; the radial profile panel shows peaks at the known ring radii of a
 * generated pattern; σ is in the status box; Insert Radial Profile as Code puts a cell that runs
 * on the real kernel and gives the panel's numbers; Save Radial Profile as CSV asks before
 * overwriting a file.
 */
import type { Page } from '@playwright/test';
import { encodeTiff } from '../../src/io/writer.js';
import { generatePattern } from '../../tests/synth/index.js';
import { expect, openFromFileBrowser, serverFile, test, writeToServer } from '../fixtures.js';
import { pagePoint, recordToasts, runFromPalette, toastsSeen } from '../palette.js';
import fs from 'node:fs/promises';

/** The generated pattern: rings at 60 × (1, √2, √3, 2, …) px about a known center. */
const CENTER = { row: 250.4, col: 262.7 };
const SPACING = 60;
const RING_RADII = [1, Math.SQRT2, Math.sqrt(3), 2].map(f => SPACING * f);

async function writePattern(path: string): Promise<void> {
  const pattern = generatePattern({
    kind: 'rings',
    height: 512,
    width: 512,
    center: CENTER,
    spacing: SPACING,
    sigma: 1.6,
    seed: 15,
    sampleType: 'uint16'
  });
  await writeToServer(path, encodeTiff(pattern.image));
}

/** Open the image and find its center; returns the viewer's locator and the center found. */
async function openAndFind(page: Page, path: string) {
  await openFromFileBrowser(page, path);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready');
  // The viewer's toolbar button, as a user does.
  await page.locator('.jp-Toolbar-item[data-jp-item-name="find-center"] button').first().click();
  await expect(viewer).toHaveAttribute('data-center-state', 'found', { timeout: 60_000 });
  const row = Number(await viewer.getAttribute('data-center-row'));
  const col = Number(await viewer.getAttribute('data-center-col'));
  return { viewer, row, col };
}

/**
 * How much the ring of `radius` bends in the polar view, measured on the canvas's own pixels: on
 * each canvas row (one azimuth) the column of the brightest pixel within `halfWidth` px of the
 * radius (the middle of a run of equally bright ones), converted to px; returns the standard
 * deviation of those radii over the rows.
 */
async function canvasRingSpread(page: Page, radius: number, halfWidth: number): Promise<{ spread: number; rows: number }> {
  return page.evaluate(
    ([r0, hw]) => {
      const view = document.querySelector('.jp-Diffraction-polarView') as HTMLElement;
      const canvas = view.querySelector('canvas') as HTMLCanvasElement;
      const step = Number(view.dataset.radialStep);
      const { width, height } = canvas;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      const first = Math.max(0, Math.ceil((r0 - hw) / step - 0.5));
      const last = Math.min(width - 1, Math.floor((r0 + hw) / step - 0.5));
      const found: number[] = [];
      for (let i = 0; i < height; i++) {
        let best = -1;
        let from = -1;
        let to = -1;
        for (let j = first; j <= last; j++) {
          const k = 4 * (i * width + j);
          const lum = pixels[k] + pixels[k + 1] + pixels[k + 2];
          if (lum > best) {
            best = lum;
            from = to = j;
          } else if (lum === best && to === j - 1) {
            to = j;
          }
        }
        found.push(((from + to) / 2 + 0.5) * step);
      }
      const mean = found.reduce((s, v) => s + v, 0) / found.length;
      const spread = Math.sqrt(found.reduce((s, v) => s + (v - mean) ** 2, 0) / found.length);
      return { spread, rows: found.length };
    },
    [radius, halfWidth] as const
  );
}

/** Wait until the polar view shows the viewer's current center. */
async function polarFollows(page: Page): Promise<void> {
  const viewer = page.locator('.jp-DiffractionViewer');
  const polar = page.locator('.jp-Diffraction-polarView');
  const row = await viewer.getAttribute('data-center-row');
  const col = await viewer.getAttribute('data-center-col');
  await expect(polar).toHaveAttribute('data-center-row', row!);
  await expect(polar).toHaveAttribute('data-center-col', col!);
}

/**
 * How many of 180 points on the circle of `radius` about the center hold the crosshair's color
 * (#39ff14, setting "crosshairColor") on the viewer's overlay canvas (a 3 × 3 device-pixel
 * window each: the guide rings are dashed).
 */
async function ringPixels(page: Page, row: number, col: number, radius: number): Promise<number> {
  return page.evaluate(
    ([r0, c0, radius]) => {
      const viewer = (window as any).jupyterapp.shell.currentWidget.content;
      const canvas = document.querySelector('.jp-DiffractionViewer .jp-Diffraction-overlay') as HTMLCanvasElement;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const ctx = canvas.getContext('2d')!;
      let hits = 0;
      for (let k = 0; k < 180; k++) {
        const phi = (2 * Math.PI * k) / 180;
        const p = viewer.imageToClient(r0 + radius * Math.sin(phi), c0 + radius * Math.cos(phi));
        const d = ctx.getImageData(Math.round(p.x * scale) - 1, Math.round(p.y * scale) - 1, 3, 3).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 1] > 200 && d[i] < 120 && d[i + 2] < 120 && d[i + 3] > 200) {
            hits++;
            break;
          }
        }
      }
      return hits;
    },
    [row, col, radius] as const
  );
}

test.describe('Center check', () => {
  test('the polar view straightens the rings about the center and bends them off it; the profile shows the rings', async ({
    page,
    tmpPath
  }) => {
    await writePattern(`${tmpPath}/rings.tif`);
    const { viewer, row, col } = await openAndFind(page, `${tmpPath}/rings.tif`);
    expect(Math.hypot(row - CENTER.row, col - CENTER.col)).toBeLessThan(0.5);

    // σ is in the status box, with its explanation on hover; the score is explained too.
    const sigma = page.locator('.jp-Diffraction-centerSigma');
    await expect(sigma).toBeVisible();
    await expect(sigma).toHaveText(/^σ \([\d.e-]+, [\d.e-]+\) px$/);
    await expect(sigma).toHaveAttribute('title', /standard uncertainty/);
    await expect(page.locator('.jp-Diffraction-centerScore')).toHaveAttribute('title', /Score: /);
    const [sr, sc] = (await viewer.getAttribute('data-center-sigma'))!.split(' ').map(Number);
    // A clean generated pattern: a positive, sub-pixel uncertainty.
    for (const s of [sr, sc]) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(0.5);
    }

    // The polar view, from the viewer's toolbar button, beside the image.
    await page.locator('.jp-Toolbar-item[data-jp-item-name="polar-view"]').first().click();
    const panel = page.locator('.jp-Diffraction-checkPanel');
    await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    const polar = page.locator('.jp-Diffraction-polarView');
    await expect(polar).toBeVisible();
    await polarFollows(page);
    // One canvas pixel per azimuth (360) and radius.
    await expect(polar).toHaveAttribute('data-azimuths', '360');
    const onCenter = await canvasRingSpread(page, RING_RADII[0], 12);
    expect(onCenter.rows).toBe(360);
    expect(onCenter.spread).toBeLessThan(1);

    // Drag the crosshair 7.8 px off: the ring bends by about ±7.8 px, a spread of 7.8 / √2. The
    // view follows while the button is still down (live, not only on release).
    const from = await pagePoint(page, row, col);
    const to = await pagePoint(page, row + 6, col - 5);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await expect(viewer).toHaveAttribute('data-center-method', 'manual');
    await polarFollows(page);
    expect(Number(await polar.getAttribute('data-ring-spread'))).toBeGreaterThan(2);
    await page.mouse.up();
    await polarFollows(page);
    const mRow = Number(await viewer.getAttribute('data-center-row'));
    const mCol = Number(await viewer.getAttribute('data-center-col'));
    const offset = Math.hypot(mRow - row, mCol - col);
    expect(offset).toBeGreaterThan(4);
    const offCenter = await canvasRingSpread(page, RING_RADII[0], 12);
    expect(offCenter.spread).toBeGreaterThan(0.6 * (offset / Math.SQRT2));
    expect(offCenter.spread).toBeGreaterThan(onCenter.spread + 2);
    // The panel's own measure agrees that the ring is no longer straight.
    expect(Number(await polar.getAttribute('data-ring-spread'))).toBeGreaterThan(2);

    // Back to the found center: straight again.
    await runFromPalette(page, 'Reset Center to the Found One');
    await expect(viewer).toHaveAttribute('data-center-method', 'autocenter');
    await polarFollows(page);
    const back = await canvasRingSpread(page, RING_RADII[0], 12);
    expect(back.spread).toBeLessThan(1);
    expect(Number(await polar.getAttribute('data-ring-spread'))).toBeLessThan(0.5);

    // The radial profile (palette), in the same panel: peaks at the rings' radii.
    await runFromPalette(page, 'Radial Profile');
    const plot = page.locator('.jp-Diffraction-profilePlot');
    await expect(plot).toBeVisible();
    await expect(plot).toHaveAttribute('data-center-row', String(row));
    const peaks = (await plot.getAttribute('data-peaks'))!.split(' ').map(Number);
    for (const radius of RING_RADII) {
      const nearest = Math.min(...peaks.map(p => Math.abs(p - radius)));
      expect(nearest, `peaks ${peaks.join(', ')}; ring at ${radius.toFixed(2)}`).toBeLessThan(1);
    }
    await page.getByRole('main').screenshot({ path: test.info().outputPath('check-panel.png') });
    // Hover over the first ring: its radius and value.
    const canvas = plot.locator('canvas');
    const box = (await canvas.boundingBox())!;
    const bins = Number(await plot.getAttribute('data-bins'));
    // The plot spans 46 px of margin on the left and 8 on the right (profile-plot.ts).
    const x = box.x + 46 + (RING_RADII[0] / bins) * (box.width - 54);
    await page.mouse.move(x, box.y + box.height / 2);
    await expect(plot.locator('.jp-Diffraction-profileReadout')).toHaveText(/^r = (59|60|61)\.\d px: mean [\d.]+ of \d+ pixels$/);

    // The median per bin instead of the mean: the same rings.
    await panel.locator('select.jp-Diffraction-checkStatistic').selectOption('median');
    await expect(plot).toHaveAttribute('data-statistic', 'median');
    const medianPeaks = (await plot.getAttribute('data-peaks'))!.split(' ').map(Number);
    for (const radius of RING_RADII) {
      expect(Math.min(...medianPeaks.map(p => Math.abs(p - radius)))).toBeLessThan(1);
    }

    // Hiding both parts closes the panel.
    await runFromPalette(page, 'Radial Profile');
    await page.getByRole('main').getByRole('tab', { name: /^rings\.tif/ }).click();
    await runFromPalette(page, 'Polar View');
    await expect(panel).toHaveCount(0);
  });

  test('inserts the profile as code that runs on the kernel, and asks before overwriting its CSV', async ({
    page,
    tmpPath
  }) => {
    await recordToasts(page);
    await writePattern(`${tmpPath}/rings.tif`);
    await writeToServer(
      `${tmpPath}/analysis.ipynb`,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
        cells: [{ cell_type: 'markdown', id: 'intro', metadata: {}, source: '# Profile' }]
      })
    );
    await openFromFileBrowser(page, `${tmpPath}/analysis.ipynb`);
    await expect(page.locator('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')).toHaveAttribute('data-status', 'idle', {
      timeout: 60_000
    });
    const { row, col } = await openAndFind(page, `${tmpPath}/rings.tif`);

    // Insert as code (the panel need not be open), run it on the kernel.
    await runFromPalette(page, 'Insert Radial Profile as Code');
    await expect.poll(() => toastsSeen(page, /Radial profile inserted as code in cell 2/)).toBe(1);
    await page.getByRole('main').getByRole('tab', { name: /^analysis\.ipynb/ }).click();
    const code = (await page.notebook.getCellTextInput(1)) ?? '';
    expect(code).toContain('profile_value');
    expect(code).toContain(`row, col = ${row}, ${col}`);
    await page.notebook.runCell(1, true);
    await page.notebook.addCell(
      'code',
      [
        'import numpy as np',
        'sel = (profile_radius > 45) & (profile_radius < 75)',
        'print(len(profile_radius), profile_radius[sel][np.nanargmax(profile_value[sel])], profile_value[60])'
      ].join('\n')
    );
    await page.notebook.runCell(2, true);
    const printed = ((await page.notebook.getCellTextOutput(2)) ?? []).join('').trim();
    const [bins, peak, at60] = printed.split(/\s+/).map(Number);
    expect(Math.abs(peak - RING_RADII[0]), printed).toBeLessThan(1);

    // The kernel's numbers are the panel's: copy the profile (the command returns the CSV).
    const csv: string = await page.evaluate(
      viewerPath => {
        const app = (window as any).jupyterapp;
        let id = '';
        for (const w of app.shell.widgets('main')) if (w.context?.path === viewerPath) id = w.id;
        return app.commands.execute('diffraction:copy-profile', { viewer: id });
      },
      `${tmpPath}/rings.tif`
    );
    const lines = csv.split('\n').filter(line => line && !line.startsWith('#'));
    expect(lines).toHaveLength(bins);
    const value60 = Number(lines[60].split(',')[1]);
    expect(Math.abs(value60 - at60) / value60, `${value60} vs ${at60}`).toBeLessThan(1e-3);

    // Save as CSV beside the image: a file of that name is there, so it asks; Cancel keeps it.
    const csvPath = `${tmpPath}/rings_profile.csv`;
    await writeToServer(csvPath, 'precious notes\n');
    await page.getByRole('main').getByRole('tab', { name: /^rings\.tif/ }).click();
    await runFromPalette(page, 'Save Radial Profile as CSV');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('rings_profile.csv already exists');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect.poll(() => toastsSeen(page, 'The radial profile was not saved.')).toBe(1);
    expect(await fs.readFile(serverFile(csvPath), 'utf8')).toBe('precious notes\n');

    // Overwrite, when asked to.
    await runFromPalette(page, 'Save Radial Profile as CSV');
    await expect(dialog).toContainText('rings_profile.csv already exists');
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await expect.poll(() => toastsSeen(page, /Radial profile about .* saved as .*rings_profile\.csv/)).toBe(1);
    const saved = await fs.readFile(serverFile(csvPath), 'utf8');
    expect(saved.startsWith(`# radial profile of ${tmpPath}/rings.tif`)).toBe(true);
    expect(saved).toMatch(/sigma \(row, col\) = \([\d.e-]+, [\d.e-]+\) px/);
    expect(saved.split('\n').filter(line => line && !line.startsWith('#'))).toHaveLength(bins);
  });

  test('the guide rings follow the profile peaks when asked', async ({ page, tmpPath }) => {
    await recordToasts(page);
    await writePattern(`${tmpPath}/rings.tif`);
    const { row, col } = await openAndFind(page, `${tmpPath}/rings.tif`);
    // Fixed rings first: a quarter, a half and three quarters of the inscribed circle (64, 128,
    // 192 px); none at the ring of 60 √2 = 84.9 px.
    await expect.poll(() => ringPixels(page, row, col, 192)).toBeGreaterThan(20);
    expect(await ringPixels(page, row, col, RING_RADII[1])).toBe(0);

    await runFromPalette(page, 'Guide Rings Follow the Profile Peaks');
    await expect.poll(() => toastsSeen(page, 'Guide rings now follow the radial profile’s peaks.')).toBe(1);
    // Now on the data's rings, and no longer at 192 px (no ring there).
    await expect.poll(() => ringPixels(page, row, col, RING_RADII[1])).toBeGreaterThan(20);
    expect(await ringPixels(page, row, col, 192)).toBe(0);

    // And back.
    await runFromPalette(page, 'Guide Rings Follow the Profile Peaks');
    await expect.poll(() => toastsSeen(page, 'Guide rings are back at the radii of the settings.')).toBe(1);
    await expect.poll(() => ringPixels(page, row, col, 192)).toBeGreaterThan(20);
  });
});
