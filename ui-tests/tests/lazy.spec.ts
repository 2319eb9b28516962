/**
 * Lazy opening in the real app: a 60 MB multi-page stack is read by HTTP Range requests from
 * the server's /files/ route (the header, the directories and the frames shown), never whole
 * and never through the contents API; stepping frames shows each frame's own pixels; no
 * `.ipynb_checkpoints` copy is made; a change on disk still reloads the viewer.
 *
 * Frame k of the generated stack holds k·100 + (col mod 97) at every pixel, so the readout at
 * (10, 7) shows k·100 + 7.
 */
import type { Locator, Response } from '@playwright/test';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { encodeTiff } from '../../src/io/writer.js';
import { expect, openFromFileBrowser, serverFile, test, writeToServer } from '../fixtures.js';

const FRAMES = 120;
const SIZE = 512;

function stack(frames: number, offset = 0): Uint8Array {
  return encodeTiff(
    Array.from({ length: frames }, (_, k) => ({
      height: SIZE,
      width: SIZE,
      sampleType: 'uint16' as const,
      data: new Uint16Array(SIZE * SIZE).map((_, i) => offset + k * 100 + ((i % SIZE) % 97))
    }))
  );
}

/** Page coordinates of image pixel (row, col), from the viewer's documented view transform. */
async function pagePointOf(viewer: Locator, row: number, col: number): Promise<{ x: number; y: number }> {
  const box = (await viewer.locator('.jp-Diffraction-stage').boundingBox())!;
  const [zoom, x0, y0] = ((await viewer.getAttribute('data-view')) ?? '').split(' ').map(Number);
  return { x: box.x + x0 + (col + 0.5) * zoom, y: box.y + y0 + (row + 0.5) * zoom };
}

test.describe('lazy opening', () => {
  test('a large stack is read by ranges, frame by frame, without a checkpoint copy', async ({ page, tmpPath }) => {
    const bytes = stack(FRAMES);
    await writeToServer(`${tmpPath}/big.tif`, bytes);
    const files: { status: number; length: number; range: string | null }[] = [];
    const contentsWithContent: string[] = [];
    const onResponse = async (response: Response) => {
      const url = response.url();
      if (url.includes('/files/') && url.includes('big.tif')) {
        const headers = await response.allHeaders();
        files.push({
          status: response.status(),
          length: Number(headers['content-length'] ?? NaN),
          range: (await response.request().allHeaders())['range'] ?? null
        });
      } else if (url.includes('/api/contents/') && url.includes('big.tif') && /[?&]content=1/.test(url)) {
        contentsWithContent.push(url);
      }
    };
    page.on('response', onResponse);

    await openFromFileBrowser(page, `${tmpPath}/big.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(viewer).toHaveAttribute('data-frames', String(FRAMES));
    await expect(viewer).toHaveAttribute('data-read', 'ranges');
    const readout = viewer.locator('.jp-Diffraction-readout');
    const p = await pagePointOf(viewer, 10, 7);
    await page.mouse.move(p.x, p.y);
    await expect(readout).toHaveText('(10, 7): 7');

    // Step: the next frame, a jump far into the stack, the last frame, and back.
    await viewer.focus();
    await page.keyboard.press('.');
    await expect(viewer).toHaveAttribute('data-frame', '1');
    await expect(readout).toHaveText('(10, 7): 107');
    const spinner = viewer.locator('.jp-Diffraction-frameSpinner');
    for (const k of [77, FRAMES - 1, 3]) {
      await spinner.fill(String(k));
      await spinner.press('Enter');
      await expect(viewer).toHaveAttribute('data-frame', String(k));
      await expect(readout).toHaveText(`(10, 7): ${k * 100 + 7}`);
    }

    // Every request for the file was a range answered 206; together far below the file's size.
    expect(files.length).toBeGreaterThan(0);
    expect(files.every(f => f.status === 206 && f.range?.startsWith('bytes='))).toBe(true);
    const transferred = files.reduce((sum, f) => sum + f.length, 0);
    expect(transferred).toBeLessThan(bytes.length / 10);
    expect(Number(await viewer.getAttribute('data-bytes-read'))).toBeLessThan(bytes.length / 10);
    // Nothing came through the contents API with the file's content, and no checkpoint copy.
    expect(contentsWithContent).toEqual([]);
    expect(existsSync(serverFile(`${tmpPath}/.ipynb_checkpoints/big-checkpoint.tif`))).toBe(false);
    page.off('response', onResponse);
  });

  test('a stack read by ranges reloads when the file changes on disk', async ({ page, tmpPath }) => {
    await writeToServer(`${tmpPath}/live.tif`, stack(40));
    await openFromFileBrowser(page, `${tmpPath}/live.tif`);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(viewer).toHaveAttribute('data-read', 'ranges');
    const p = await pagePointOf(viewer, 10, 7);
    await page.mouse.move(p.x, p.y);
    const readout = viewer.locator('.jp-Diffraction-readout');
    await expect(readout).toHaveText('(10, 7): 7');
    // A newer modification time than the one the viewer knows (some file systems have 1 s).
    await page.waitForTimeout(1100);
    await fs.writeFile(serverFile(`${tmpPath}/live.tif`), stack(30, 20_000));
    await expect(readout).toHaveText('(10, 7): 20007', { timeout: 30_000 });
    await expect(viewer).toHaveAttribute('data-frames', '30');
  });
});
