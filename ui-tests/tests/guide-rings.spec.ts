/**
 * Guide-ring radii are settings of the find-center plugin: set from the command, they are saved
 * by the Jupyter server and survive a page reload (issue 11). Settings are NOT mocked here: the
 * round trip goes through the server's settings API.
 */
import { expect, openFromFileBrowser, test, writeToServer } from '../fixtures.js';
import { encodeTiff } from '../../src/io/index.js';
import { runFromPalette } from '../palette.js';

type GalataReload = { reload(options: { waitForIsReady?: boolean }): Promise<unknown> };

const PLUGIN = 'jupyterlab-diffraction:center';

test.use({ mockSettings: false });

test('guide-ring radii set from the command are saved and kept after a reload', async ({ page, tmpPath }) => {
  const image = { height: 64, width: 64, sampleType: 'uint8' as const, data: new Uint8Array(64 * 64).fill(9) };
  await writeToServer(`${tmpPath}/rings.tif`, encodeTiff(image));
  await openFromFileBrowser(page, `${tmpPath}/rings.tif`);
  await expect(page.locator('.jp-DiffractionViewer')).toHaveAttribute('data-state', 'ready');
  try {
    await runFromPalette(page, 'Set Guide Ring Radii…');
    const dialog = page.locator('.jp-Dialog');
    await dialog.locator('input').fill('12, 24.5 30');
    await dialog.locator('.jp-mod-accept').click();
    await expect(dialog).toHaveCount(0);

    // The server holds them.
    await expect
      .poll(async () => {
        const response = await page.request.get(`/lab/api/settings/${PLUGIN}`);
        return (await response.json()).settings?.ringRadii ?? null;
      })
      .toEqual([12, 24.5, 30]);

    // After a reload, the app reads them back: the command offers them for editing.
    await page.waitForTimeout(1000); // the layout is saved a moment after a change
    await (page as unknown as GalataReload).reload({ waitForIsReady: false });
    await expect(page.locator('.jp-DiffractionViewer')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await page.getByRole('main').getByRole('tab', { name: /^rings\.tif/ }).click();
    await runFromPalette(page, 'Set Guide Ring Radii…');
    await expect(page.locator('.jp-Dialog input')).toHaveValue('12, 24.5, 30');
    await page.locator('.jp-Dialog .jp-mod-reject').click();
  } finally {
    // Leave the server's settings as they were for the tests that follow.
    await page.request.put(`/lab/api/settings/${PLUGIN}`, { data: { raw: '{}' } });
  }
});
