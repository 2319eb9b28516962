/**
 * The extension, installed from the wheel into a fresh venv, is found by
 * jupyterlab_server, loaded by a JupyterLab host as a federated (prebuilt)
 * extension, activates, and opens a TIFF in the Diffraction viewer.
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const NAME = 'jupyterlab-diffraction';
const VIEWER_PLUGIN = 'jupyterlab-diffraction:viewer';
const venv = process.env.DIST_VENV as string;
const installed = path.join(venv, 'share', 'jupyter', 'labextensions', NAME);
const TIFF = process.env.DIST_TIFF ?? 'graphite.tif';

interface FederatedEntry {
  name: string;
  load: string;
  extension?: string;
  style?: string;
}

/** The page config the server rendered into /lab. */
async function pageConfig(page: Page): Promise<Record<string, any>> {
  return page.evaluate(() =>
    JSON.parse(document.getElementById('jupyter-config-data')?.textContent ?? '{}')
  );
}

/**
 * Collect what must not happen on a page: uncaught errors, console errors (the page's
 * and its Workers'), failed requests. The returned list is filled as the test runs.
 */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(`pageerror: ${error}`));
  page.on('console', message => {
    if (message.type() === 'error') {
      errors.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('worker', worker =>
    worker.on('console', message => {
      if (message.type() === 'error') {
        errors.push(`worker console: ${message.text()}`);
      }
    })
  );
  page.on('response', response => {
    if (response.status() >= 400) {
      errors.push(`HTTP ${response.status()} ${response.url()}`);
    }
  });
  return errors;
}

/** Open /lab (fresh workspace) and wait until the application is restored. */
async function openLab(page: Page): Promise<void> {
  await page.goto('/lab?reset');
  await page.waitForFunction(() => (window as any).jupyterapp?.started !== undefined);
  await page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    await app.started;
    await app.restored;
  });
}

test.describe('prebuilt extension from the wheel', () => {
  test('the server lists the extension from the venv', async ({ request }) => {
    const response = await request.get('/lab');
    expect(response.ok()).toBe(true);
    const html = await response.text();
    const json = /<script id="jupyter-config-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
    expect(json).not.toBeNull();
    const config = JSON.parse(json![1]);
    const entry = (config.federated_extensions as FederatedEntry[]).find(e => e.name === NAME);
    const built = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(entry).toEqual({
      name: NAME,
      load: built.jupyterlab._build.load,
      extension: './extension',
      style: './style'
    });
    // The entry comes from the venv's data path, not from a system-wide location.
    expect(config.labextensionsPath).toContain(path.join(venv, 'share', 'jupyter', 'labextensions'));

    // Files are served from the installed copy, byte for byte.
    const remote = await request.get(`/lab/extensions/${NAME}/${entry!.load}`);
    expect(remote.ok()).toBe(true);
    expect(Buffer.compare(await remote.body(), fs.readFileSync(path.join(installed, entry!.load)))).toBe(0);

    // The settings schema shipped in the wheel is found through the same path.
    const settings = await request.get(`/lab/api/settings/${VIEWER_PLUGIN}`);
    expect(settings.ok()).toBe(true);
    expect((await settings.json()).id).toBe(VIEWER_PLUGIN);
  });

  test('the viewer plugin activates from the federated extension', async ({ page }) => {
    const errors = watchErrors(page);
    const remoteEntries: string[] = [];
    page.on('response', response => {
      const url = new URL(response.url());
      if (url.pathname.startsWith(`/lab/extensions/${NAME}/static/remoteEntry.`) && response.ok()) {
        remoteEntries.push(url.pathname);
      }
    });

    await openLab(page);
    const config = await pageConfig(page);
    const entry = (config.federated_extensions as FederatedEntry[]).find(e => e.name === NAME)!;
    expect(remoteEntries).toEqual([`/lab/extensions/${NAME}/${entry.load}`]);

    const state = await page.evaluate(
      async ({ name, id }) => {
        const app = (window as any).jupyterapp;
        const host = (window as any).labHost;
        const info = app.info.availablePlugins.find((p: any) => p.id === id);
        return {
          federated: host.federated as string[],
          failures: host.failures as string[],
          container: typeof (window as any)._JUPYTERLAB?.[name]?.get,
          hasPlugin: app.hasPlugin(id) as boolean,
          activated: app.isPluginActivated(id) as boolean,
          from: info?.extension as string | undefined,
          factory: app.docRegistry.defaultWidgetFactory('x.tif')?.name as string | undefined
        };
      },
      { name: NAME, id: VIEWER_PLUGIN }
    );
    expect(state.failures).toEqual([]);
    expect(state.federated).toContain(NAME);
    expect(state.container).toBe('function');
    expect(state.hasPlugin).toBe(true);
    expect(state.activated).toBe(true);
    // Registered from the federated container, not compiled into the host.
    expect(state.from).toBe(NAME);
    expect(state.factory).toBe('Diffraction');
    expect(errors).toEqual([]);
  });

  test('a TIFF opens in the Diffraction viewer', async ({ page }) => {
    const errors = watchErrors(page);
    // Any Worker the viewer starts (e.g. for decoding) must come from the labextension.
    const workers: string[] = [];
    page.on('worker', worker => workers.push(new URL(worker.url()).pathname));
    await openLab(page);
    const item = page.locator('.jp-DirListing-item', { hasText: TIFF });
    await item.dblclick();
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');
    await expect(page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel')).toHaveText(TIFF);
    // The current document is the TIFF, shown by the viewer (and not by the image viewer).
    const opened = await page.evaluate(() => {
      const widget = (window as any).jupyterapp.shell.currentWidget;
      return {
        path: widget?.context?.path as string | undefined,
        ready: Boolean(widget?.node.querySelector('.jp-DiffractionViewer[data-state="ready"]')),
        imageViewer: Boolean(widget?.node.querySelector('.jp-ImageViewer'))
      };
    });
    expect(opened).toEqual({ path: TIFF, ready: true, imageViewer: false });
    // The extension's CSS (its federated `./style` module) is applied: the viewer is a flex column.
    await expect(viewer).toHaveCSS('flex-direction', 'column');
    expect(workers.filter(url => !url.startsWith(`/lab/extensions/${NAME}/static/`))).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('Find Center runs in the Worker chunk served from the labextension', async ({ page }) => {
    const errors = watchErrors(page);
    const workers: string[] = [];
    page.on('worker', worker => workers.push(new URL(worker.url()).pathname));
    const workerScripts: number[] = [];
    page.on('response', response => {
      if (new URL(response.url()).pathname.startsWith(`/lab/extensions/${NAME}/static/`)) {
        workerScripts.push(response.status());
      }
    });
    await openLab(page);
    await page.evaluate(path => (window as any).jupyterapp.commands.execute('docmanager:open', { path }), TIFF);
    const viewer = page.locator('.jp-DiffractionViewer');
    await expect(viewer).toHaveAttribute('data-state', 'ready');

    const found = await page.evaluate(() => (window as any).jupyterapp.commands.execute('diffraction:find-center'));
    // The Worker was created from the federated build's own static folder (its public path).
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(workers.every(url => url.startsWith(`/lab/extensions/${NAME}/static/`))).toBe(true);
    const workerFile = path.basename(workers[0]);
    expect(fs.existsSync(path.join(installed, 'static', workerFile))).toBe(true);
    expect(workerScripts.every(status => status === 200)).toBe(true);
    // ...and the engine inside it answered: a center inside the image, shown by the viewer.
    expect(found).not.toBeNull();
    const [height, width] = [Number(await viewer.getAttribute('data-height')), Number(await viewer.getAttribute('data-width'))];
    expect(found.row).toBeGreaterThan(0);
    expect(found.row).toBeLessThan(height - 1);
    expect(found.col).toBeGreaterThan(0);
    expect(found.col).toBeLessThan(width - 1);
    await expect(viewer).toHaveAttribute('data-center-row', String(found.row));
    await expect(viewer).toHaveAttribute('data-center-col', String(found.col));
    expect(errors).toEqual([]);
  });
});
