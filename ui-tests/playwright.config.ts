/**
 * Playwright configuration of the ui-tests: galata's fixtures, Debian's Chromium (never a
 * downloaded browser), one worker, and a Jupyter server started for the run on
 * UI_TEST_PORT (default 8899) serving the test build of the app (`LAB_TEST=1 npm run
 * build:lab`) rooted at ui-tests/.tmp/root-<port>/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import {
  BASE_URL,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  LAB_BUILD,
  PORT,
  REPO_ROOT,
  SERVER_LOG,
  SERVER_ROOT,
  SERVER_STATE,
  UI_TESTS_DIR
} from './env.js';

checkBuild();

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export default defineConfig({
  testDir: './tests',
  outputDir: `./test-results/${PORT}`,
  workers: Number(process.env.UI_TEST_WORKERS ?? 1),
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Ceilings, not measures of speed: on a 2-core machine running another CPU-heavy job the lab
  // takes up to ~50 s to start and each step several times its quiet duration (see fixtures.ts).
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: `playwright-report/${PORT}` }]
  ],
  use: {
    viewport: { width: 1024, height: 768 },
    baseURL: BASE_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    video: 'off'
  },
  webServer: {
    // A clean root and state at every start; `exec` so that Playwright stops the server itself.
    // The server's log goes to ui-tests/.tmp/server-<port>.log.
    command: [
      `rm -rf ${quote(SERVER_ROOT)} ${quote(SERVER_STATE)}`,
      `mkdir -p ${quote(SERVER_ROOT)}`,
      `exec /usr/bin/python3 ../dev/lab/diffraction_lab.py --no-auth --port ${PORT}` +
        ` --root ${quote(SERVER_ROOT)} --state ${quote(SERVER_STATE)} --build ${quote(LAB_BUILD)}` +
        ` > ${quote(SERVER_LOG)} 2>&1`
    ].join(' && '),
    cwd: UI_TESTS_DIR,
    url: `${BASE_URL}/api/spec.yaml`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe'
  }
});

/** Fail early without the test build; warn when it is older than lib/ (a stale extension). */
function checkBuild(): void {
  const bundle = path.join(LAB_BUILD, 'static', 'bundle.js');
  if (!fs.existsSync(bundle)) {
    throw new Error(`${bundle} is missing: run \`npm run build:lib && LAB_TEST=1 npm run build:lab\``);
  }
  const built = fs.statSync(bundle).mtimeMs;
  const lib = path.join(REPO_ROOT, 'lib');
  const newer = fs.existsSync(lib)
    ? fs
        .readdirSync(lib, { recursive: true, encoding: 'utf8' })
        .filter(file => file.endsWith('.js') && fs.statSync(path.join(lib, file)).mtimeMs > built)
    : [];
  // The config is loaded by the runner and again by each worker: warn once.
  if (newer.length && !process.env.UI_TESTS_BUILD_WARNED) {
    process.env.UI_TESTS_BUILD_WARNED = '1';
    console.warn(
      `[ui-tests] WARNING: lib/ changed after the test build (${newer.slice(0, 3).join(', ')}...): ` +
        'the tests run the old extension. Rebuild: LAB_TEST=1 npm run build:lab'
    );
  }
}
