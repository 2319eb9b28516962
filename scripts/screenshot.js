// The README's screenshot (docs/images/viewer.png): graphite.tif of ../shared/data opened in the
// Diffraction viewer of the real development lab, its center found, taken with Debian's Chromium.
//
//   npm run build:lib && npm run build:lab      (or LAB_TEST=1 for the test build)
//   node scripts/screenshot.js [OUT.png]        (SCREENSHOT_PORT, default 8899)
//
// Starts its own server (dev/lab/diffraction_lab.py, no auth, loopback) in a temporary root and
// stops it at the end.

/* global fetch */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'images', 'viewer.png'));
const PORT = Number(process.env.SCREENSHOT_PORT ?? 8899);
const BASE = `http://127.0.0.1:${PORT}`;

const build = ['app', 'test'].map(v => path.join(ROOT, 'dev', 'lab', 'build', v)).find(dir => fs.existsSync(path.join(dir, 'static', 'bundle.js')));
if (!build) {
  throw new Error('no build of dev/lab: run `npm run build:lib && npm run build:lab` first');
}
for (const file of ['graphite.tif', 'graphite_mask.tif']) {
  if (!fs.existsSync(path.join(DATA, file))) {
    throw new Error(`${path.join(DATA, file)} is missing`);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'diffraction-screenshot-'));
fs.mkdirSync(path.join(work, 'root', 'data'), { recursive: true });
for (const file of ['graphite.tif', 'graphite_mask.tif']) {
  fs.copyFileSync(path.join(DATA, file), path.join(work, 'root', 'data', file));
}
const server = spawn(
  '/usr/bin/python3',
  [path.join(ROOT, 'dev', 'lab', 'diffraction_lab.py'), '--no-auth', `--port=${PORT}`, `--root=${path.join(work, 'root')}`, `--state=${path.join(work, 'state')}`, `--build=${build}`],
  { stdio: 'ignore' }
);

async function waitForServer() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${BASE}/api/spec.yaml`)).ok) {
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`the server did not answer on ${BASE}`);
}

try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1100, height: 680 } });
  await page.goto(`${BASE}/lab/tree/data?reset`);
  await page.waitForFunction(() => window.jupyterapp?.restored !== undefined, null, { timeout: 120_000 });
  await page.evaluate(() => window.jupyterapp.restored);
  await page.evaluate(() => window.jupyterapp.commands.execute('docmanager:open', { path: 'data/graphite.tif', factory: 'Diffraction' }));
  const viewer = page.locator('.jp-DiffractionViewer');
  await viewer.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('.jp-DiffractionViewer')?.getAttribute('data-state') === 'ready', null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.commands.execute('diffraction:find-center'));
  await page.waitForFunction(() => document.querySelector('.jp-DiffractionViewer')?.getAttribute('data-center-state') === 'found', null, { timeout: 120_000 });
  const center = await viewer.evaluate(node => [node.dataset.centerRow, node.dataset.centerCol]);
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  await browser.close();
  console.log(`[screenshot] ${path.relative(ROOT, OUT)}: ${(fs.statSync(OUT).size / 1024).toFixed(0)} KiB, center (${center.join(', ')})`);
} finally {
  server.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}
