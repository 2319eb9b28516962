/**
 * Where the ui-tests' server runs and what it serves, shared by the Playwright config and
 * the fixtures. Everything is per port, so that two runs (UI_TEST_PORT=8899, 8898) can go
 * on at the same time from the same checkout.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The ui-tests folder. */
export const UI_TESTS_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The repository root. */
export const REPO_ROOT = path.resolve(UI_TESTS_DIR, '..');

/** The port of the Jupyter server the tests start (env UI_TEST_PORT, default 8899). */
export const PORT = Number(process.env.UI_TEST_PORT ?? 8899);

/** The server's root dir: the file browser's home. Emptied at each start. */
export const SERVER_ROOT = path.join(UI_TESTS_DIR, '.tmp', `root-${PORT}`);

/** Settings, workspaces and runtime files of that server. Emptied at each start. */
export const SERVER_STATE = path.join(UI_TESTS_DIR, '.tmp', `state-${PORT}`);

/** The server's log (stdout and stderr). */
export const SERVER_LOG = path.join(UI_TESTS_DIR, '.tmp', `server-${PORT}.log`);

/** The test variant of the app (LAB_TEST=1 npm run build:lab): the app plus galata's helpers. */
export const LAB_BUILD = path.join(REPO_ROOT, 'dev', 'lab', 'build', 'test');

/** The real diffraction images (never copied into the repository). */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');

/** The server's URL. */
export const BASE_URL = `http://127.0.0.1:${PORT}`;

/** Debian's Chromium, never a downloaded browser, and its flags for this closed network. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check'
];
