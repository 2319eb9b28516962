/**
 * Playwright configuration of the distribution test (`npm run test:dist` runs it
 * through scripts/test-dist.sh, which builds and installs the wheel first).
 *
 * The server is the project's server module (dev/lab/diffraction_lab.py) serving the
 * module-federation host build (dev/host/build), started with the Python of the venv
 * the wheel was installed into (DIST_VENV), so that jupyterlab_server finds the
 * extension in `<venv>/share/jupyter/labextensions`. Browser: Debian's Chromium,
 * never a downloaded one.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../ui-tests/env.js';
import path from 'node:path';

const venv = process.env.DIST_VENV;
const rootDir = process.env.DIST_ROOT_DIR;
if (!venv || !rootDir) {
  throw new Error('DIST_VENV and DIST_ROOT_DIR must be set: run `npm run test:dist`');
}
const port = Number(process.env.DIST_PORT ?? 8877);
const hostDir = path.dirname(new URL(import.meta.url).pathname);
const devDir = path.dirname(hostDir);
const stateDir = process.env.LAB_HOST_STATE ?? path.join(hostDir, '.state', String(port));

export default defineConfig({
  testDir: 'tests',
  outputDir: 'test-results',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS
    }
  },
  webServer: {
    // The project's own server module (dev/lab/diffraction_lab.py), pointed at the host build.
    command: [
      path.join(venv, 'bin', 'python'),
      path.join(devDir, 'lab', 'diffraction_lab.py'),
      `--root=${rootDir}`,
      `--port=${port}`,
      `--build=${path.join(hostDir, 'build')}`,
      `--state=${stateDir}`,
      '--no-auth'
    ].join(' '),
    url: `http://127.0.0.1:${port}/api/spec.yaml`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe'
  }
});
