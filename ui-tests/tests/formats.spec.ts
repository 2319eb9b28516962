/**
 * Issue 16: every format opens by double-click in the Diffraction viewer (MRC, DM3/DM4, MIB,
 * SMV, CBF, HDF5 EMD/HyperSpy), decoded in the Worker through `openImage`; the header's beam
 * center is exposed; refusals (all-zero image is still shown; a missing Eiger data file) say
 * why. The generated files come from Debian's writers (mrcfile, fabio, h5py) run by
 * scripts/fixtures/make_format_fixtures.py; the real ones from ../shared/data/formats.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, openFromFileBrowser, serverFile, test } from '../fixtures.js';
import { REPO_ROOT } from '../env.js';

const SHARED = path.resolve(REPO_ROOT, '../shared/data');
let generated = '';

test.beforeAll(() => {
  generated = mkdtempSync(path.join(tmpdir(), 'formats-ui-'));
  execFileSync('/usr/bin/python3', [path.join(REPO_ROOT, 'scripts/fixtures/make_format_fixtures.py'), generated, SHARED]);
});

test.afterAll(() => {
  if (generated) rmSync(generated, { recursive: true, force: true });
});

/** Copy a file into the served folder and return its server path. */
function serve(source: string, tmpPath: string, name = path.basename(source)): string {
  const target = `${tmpPath}/${name}`;
  const file = serverFile(target);
  if (!existsSync(path.dirname(file))) mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(source, file);
  return target;
}

const CASES: { name: string; source: () => string; format: string; height: number; width: number; frames: number }[] = [
  { name: 'graphite-mode6.mrc', source: () => path.join(generated, 'graphite-mode6.mrc'), format: 'mrc', height: 1024, width: 1024, frames: 1 },
  { name: 'stack.mrcs', source: () => path.join(generated, 'stack.mrcs'), format: 'mrc', height: 1024, width: 1024, frames: 3 },
  { name: 'bismuth.dm3', source: () => path.join(SHARED, 'formats/bismuth.dm3'), format: 'dm3', height: 256, width: 256, frames: 1 },
  { name: 'bismuth.dm4', source: () => path.join(SHARED, 'formats/bismuth.dm4'), format: 'dm4', height: 256, width: 256, frames: 1 },
  { name: 'test_multi.mib', source: () => path.join(SHARED, 'formats/test_multi.mib'), format: 'mib', height: 256, width: 256, frames: 9 },
  { name: 'ewald.img', source: () => path.join(generated, 'ewald.img'), format: 'smv', height: 512, width: 512, frames: 1 },
  { name: 'ewald.cbf', source: () => path.join(generated, 'ewald.cbf'), format: 'cbf', height: 512, width: 512, frames: 1 },
  { name: 'berkeley.emd', source: () => path.join(generated, 'berkeley.emd'), format: 'hdf5', height: 1024, width: 1024, frames: 2 },
  { name: 'Amorphous.hspy', source: () => path.join(SHARED, 'formats/Amorphous.hspy'), format: 'hdf5', height: 512, width: 512, frames: 1 }
];

for (const c of CASES) {
  test(`${c.name} opens by double-click in the Diffraction viewer`, async ({ page, tmpPath }) => {
    const target = serve(c.source(), tmpPath, c.name);
    await openFromFileBrowser(page, target);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(viewer).toHaveAttribute('data-format', c.format);
    await expect(viewer).toHaveAttribute('data-height', String(c.height));
    await expect(viewer).toHaveAttribute('data-width', String(c.width));
    await expect(viewer).toHaveAttribute('data-frames', String(c.frames));
    expect(await viewer.locator('.jp-Diffraction-info').getAttribute('title')).toContain(`${c.format.toUpperCase()}:`);
  });
}

test('SMV: the header beam center is exposed and listed on hover', async ({ page, tmpPath }) => {
  const target = serve(path.join(generated, 'ewald.img'), tmpPath);
  await openFromFileBrowser(page, target);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  // BEAM_CENTER_X = 25.65 mm, BEAM_CENTER_Y = 31.05 mm, 0.1 mm pixels (ADSC: X along rows).
  const [row, col] = (await viewer.getAttribute('data-header-beam-center'))!.split(',').map(Number);
  expect(row).toBeCloseTo(256, 6);
  expect(col).toBeCloseTo(310, 6);
  expect(await viewer.locator('.jp-Diffraction-info').getAttribute('title')).toContain('header beam center (row, col): (256.00, 310.00)');

  // A second marker (a #ffd400 diamond of half-diagonal 7 CSS px) is drawn there on the overlay.
  const seen = await page.evaluate(
    ([r, c]) => {
      const v = (window as any).jupyterapp.shell.currentWidget.content;
      v.paintNow();
      const p = v.imageToClient(r, c);
      const canvas = document.querySelector('.jp-DiffractionViewer .jp-Diffraction-overlay') as HTMLCanvasElement;
      const scale = canvas.width / canvas.getBoundingClientRect().width;
      const ctx = canvas.getContext('2d')!;
      // Is a marker-colored pixel within 2 CSS px of (x, y)?
      const yellow = (x: number, y: number) => {
        const size = Math.max(1, Math.round(5 * scale));
        const d = ctx.getImageData(Math.floor((x - 2) * scale), Math.floor((y - 2) * scale), size, size).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] > 200 && d[i + 1] > 170 && d[i + 2] < 90 && d[i + 3] > 150) return true;
        }
        return false;
      };
      return { vertices: [yellow(p.x + 7, p.y), yellow(p.x - 7, p.y), yellow(p.x, p.y + 7)], farAway: yellow(p.x + 40, p.y + 40) };
    },
    [row, col]
  );
  expect(seen.vertices).toEqual([true, true, true]);
  expect(seen.farAway).toBe(false);
});

test('the Eiger master without its data file: a clear error naming the missing file', async ({ page, tmpPath }) => {
  const target = serve(path.join(SHARED, 'formats/eiger_master.h5'), tmpPath);
  await openFromFileBrowser(page, target);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'error', { timeout: 30_000 });
  await expect(viewer).toHaveAttribute('data-error', 'linked-file-missing');
  await expect(viewer.locator('.jp-Diffraction-errorDetail')).toContainText('dectris_eiger_data_000001.h5');
});

test('a NeXus master with its data file beside it: the data is fetched and shown', async ({ page, tmpPath }) => {
  serve(path.join(generated, 'nxmx_data_000001.h5'), tmpPath);
  const target = serve(path.join(generated, 'nxmx_master.h5'), tmpPath);
  await openFromFileBrowser(page, target);
  const viewer = page.locator('.jp-DiffractionViewer');
  await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(viewer).toHaveAttribute('data-frames', '2');
  await expect(viewer).toHaveAttribute('data-height', '512');
  await expect(viewer.locator('.jp-Diffraction-notes')).toContainText('nxmx_data_000001.h5');
});
