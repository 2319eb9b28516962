/**
 * A real lab for the benchmarks: the Jupyter server of dev/lab/diffraction_lab.py (auth off, on
 * loopback) serving the built app over a temporary root, and Debian's Chromium on `/lab?reset`
 * with the app started. Build first: `npm run build:lib && npm run build:lab`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../ui-tests/env.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A started lab: its served root on disk, its URL, a page on it; `close` ends everything. */
export interface LabSession {
  serverRoot: string;
  base: string;
  build: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** The app build the benchmarks serve (LAB_BUILD, else the production-like `app`, else the `test` variant). */
export function labBuild(): string {
  // LAB_BUILD: another build's app (e.g. an earlier commit's dev/lab/build/app, for before/after).
  if (process.env.LAB_BUILD) {
    return path.resolve(process.env.LAB_BUILD);
  }
  const build = ['app', 'test'].map(v => path.join(root, 'dev', 'lab', 'build', v)).find(existsSync);
  if (!build) {
    throw new Error('no lab build: run `npm run build:lib && npm run build:lab` first');
  }
  return build;
}

/** A temporary folder for the server's root, to fill before `startLab`. */
export function makeServerRoot(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `${prefix}-root-`));
}

/** Start the server on `port` over `serverRoot` and open the app in Chromium. */
export async function startLab(serverRoot: string, port: number, prefix: string): Promise<LabSession> {
  const build = labBuild();
  const state = mkdtempSync(path.join(tmpdir(), `${prefix}-state-`));
  const server = spawn(
    '/usr/bin/python3',
    [
      path.join(root, 'dev', 'lab', 'diffraction_lab.py'),
      '--no-auth',
      '--port',
      String(port),
      '--root',
      serverRoot,
      '--state',
      state,
      '--build',
      build
    ],
    { stdio: 'ignore', env: { ...process.env, JUPYTER_NO_CONFIG: '1' } }
  );
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const close = async () => {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(serverRoot, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitForServer(`${base}/api/spec.yaml`, server);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // tsx (esbuild, keepNames) wraps named functions of the in-page callbacks in `__name(...)`.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(`${base}/lab?reset`);
    await page.waitForFunction(() => typeof (window as any).jupyterapp === 'object');
    await page.evaluate(() => (window as any).jupyterapp.started);
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    return { serverRoot, base, build, browser, page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Open `file` in the Diffraction viewer and wait for the first complete paint: the wall time
 * from the open command, the time until two more frames were produced (the image really on
 * screen), the viewer's own `timings`, and its node's `data-*` attributes.
 */
export async function openAndTime(page: Page, file: string) {
  return page.evaluate(async file => {
    const app = (window as any).jupyterapp;
    const t0 = performance.now();
    const widget = await app.commands.execute('docmanager:open', { path: file, factory: 'Diffraction' });
    await widget.content.ready;
    const node = widget.content.node as HTMLElement;
    while (node.dataset.state !== 'ready' && node.dataset.state !== 'error') {
      await new Promise(resolve => requestAnimationFrame(resolve));
    }
    const readyAt = performance.now();
    const wall = readyAt - t0;
    if (node.dataset.state === 'error') throw new Error(`the viewer shows an error: ${node.textContent}`);
    // Canvas draws are recorded, then rasterised for the next frame: wait until two frames
    // have been produced to bound the time until the image is really on screen.
    await new Promise(resolve => requestAnimationFrame(resolve));
    await new Promise(resolve => requestAnimationFrame(resolve));
    const presentDelay = performance.now() - readyAt;
    return {
      wall,
      presentDelay,
      timings: widget.content.timings as Record<string, number>,
      dataset: { ...node.dataset } as Record<string, string>
    };
  }, file);
}

async function waitForServer(url: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (server.exitCode !== null) throw new Error(`the lab server exited (${server.exitCode})`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`no answer from ${url} after ${timeoutMs} ms`);
}
