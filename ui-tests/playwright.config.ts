/**
 * Playwright configuration of the ui-tests: galata's fixtures, Debian's Chromium (never a
 * downloaded browser), one worker, and a Jupyter server started for the run on
 * UI_TEST_PORT (default 8899) serving the test build of the app (`LAB_TEST=1 npm run
 * build:lab`) rooted at ui-tests/.tmp/root-<port>/.
 */
import { defineConfig } from '@playwright/test';
import { BASE_URL, LAB_BUILD, PORT, SERVER_ROOT, SERVER_STATE, UI_TESTS_DIR } from './env.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check'
];

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export default defineConfig({
  testDir: './tests',
  outputDir: `./test-results/${PORT}`,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: `playwright-report/${PORT}` }]
  ],
  use: {
    viewport: { width: 1024, height: 768 },
    baseURL: BASE_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    video: 'off'
  },
  webServer: {
    // A clean root and state at every start; `exec` so that Playwright stops the server itself.
    command: [
      `rm -rf ${quote(SERVER_ROOT)} ${quote(SERVER_STATE)}`,
      `mkdir -p ${quote(SERVER_ROOT)}`,
      `exec /usr/bin/python3 ../lab/diffraction_lab.py --no-auth --port ${PORT}` +
        ` --root ${quote(SERVER_ROOT)} --state ${quote(SERVER_STATE)} --build ${quote(LAB_BUILD)}`
    ].join(' && '),
    cwd: UI_TESTS_DIR,
    url: `${BASE_URL}/api/spec.yaml`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: process.env.UI_TEST_SERVER_LOG ? 'pipe' : 'ignore'
  }
});
