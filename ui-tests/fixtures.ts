/**
 * Shared fixtures and helpers of the ui-tests. Import `test` and `expect` from here, not
 * from '@jupyterlab/galata' or '@playwright/test':
 *
 *   import { test, expect, copyToServer, openFromFileBrowser, sharedData } from '../fixtures.js';
 *
 *   test('opens an image', async ({ page, tmpPath }) => {
 *     await copyToServer(sharedData('graphite.tif'), `${tmpPath}/graphite.tif`);
 *     await openFromFileBrowser(page, `${tmpPath}/graphite.tif`);
 *     await expect(page.locator('.jp-DiffractionViewer')).toHaveAttribute('data-state', 'ready');
 *   });
 *
 * What `test` gives on top of Playwright:
 *  - galata's fixtures: `page` is a JupyterLab page (`page.notebook.*`, `page.contents.*`,
 *    `page.filebrowser.*`, ...) opened on `/lab/tree/<tmpPath>?reset`; `tmpPath` is a fresh
 *    folder of the server root for this test; settings and workspace state are kept in memory
 *    (`mockSettings`, `mockState`), kernels and sessions started by the test are shut down.
 *  - a console guard (automatic, every test): any browser console error, uncaught page
 *    error or worker console error fails the test, unless it matches CONSOLE_ALLOWLIST below
 *    or the test's own `allowedConsoleErrors` (`test.use({ allowedConsoleErrors: [/.../] })`,
 *    with a comment saying why). The messages seen are in the `consoleErrors` fixture.
 *
 * Helpers: `copyToServer` / `writeToServer` put files into the served root (they write to
 * disk: the server runs on this machine), `openFromFileBrowser` double-clicks a file in the
 * file browser and waits for its tab, `sharedData` locates the real images of
 * ../shared/data (and fails loudly when they are absent).
 */
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, JupyterLabPage, test as base, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { ConsoleMessage, Page } from '@playwright/test';
import { SERVER_ROOT, SHARED_DATA } from './env.js';

export { expect };

/**
 * How long galata waits for a condition it is given no timeout for, such as "the app has
 * started" after each `goto`/`reload` (galata's own default is 15 s). On a 2-core machine that
 * runs another CPU-heavy job, JupyterLab took 27-50 s to start; a wait is not a measure of speed
 * (speed lives in `npm run bench`), so the tests wait as long as a loaded machine needs.
 */
export const CONDITION_TIMEOUT_MS = 120_000;
const galataWaitForCondition = JupyterLabPage.prototype.waitForCondition;
JupyterLabPage.prototype.waitForCondition = function (
  this: JupyterLabPage,
  condition: () => Promise<boolean> | boolean,
  timeout?: number
): Promise<void> {
  return galataWaitForCondition.call(this, condition, timeout ?? CONDITION_TIMEOUT_MS);
};
export { SERVER_ROOT, SHARED_DATA } from './env.js';

/** A browser console error seen during a test. */
export interface ConsoleIssue {
  kind: 'console.error' | 'page error' | 'worker console.error';
  text: string;
  /** Where it came from (script URL:line), when the browser says. */
  location?: string;
}

/**
 * Console errors every test tolerates. Each entry says why it is harmless; the section
 * "Console messages" of docs/development.md lists the same entries. Keep it short: a new entry needs a reason
 * that the message is not a bug of ours and cannot be avoided.
 */
export const CONSOLE_ALLOWLIST: ReadonlyArray<{ pattern: RegExp; why: string }> = [];

/** Whether a console issue is tolerated by the global allow-list or a test's own patterns. */
export function isAllowed(issue: ConsoleIssue, extra: ReadonlyArray<RegExp> = []): boolean {
  return [...CONSOLE_ALLOWLIST.map(entry => entry.pattern), ...extra].some(pattern =>
    pattern.test(issue.text)
  );
}

export const test = base.extend<{
  allowedConsoleErrors: RegExp[];
  consoleErrors: ConsoleIssue[];
}>({
  allowedConsoleErrors: [[], { option: true }],

  consoleErrors: [
    // Depends on `tmpPath` so that its check runs before galata deletes the test folder: an
    // open viewer polling a file that teardown just removed is not a failure of the test.
    async ({ context, allowedConsoleErrors, tmpPath }, use) => {
      void tmpPath;
      const issues: ConsoleIssue[] = [];
      const seen = new WeakSet<ConsoleMessage>();
      const onConsole = (message: ConsoleMessage) => {
        if (message.type() !== 'error' || seen.has(message)) {
          return;
        }
        seen.add(message);
        const { url, lineNumber } = message.location();
        issues.push({
          kind: message.worker() ? 'worker console.error' : 'console.error',
          text: message.text(),
          location: url ? `${url}:${lineNumber}` : undefined
        });
      };
      context.on('console', onConsole);
      context.on('weberror', webError => {
        const error = webError.error();
        issues.push({ kind: 'page error', text: error.stack ?? String(error) });
      });
      // Dedicated workers (the extension's center finder) report on their own object.
      context.on('page', page => page.on('worker', worker => worker.on('console', onConsole)));
      for (const page of context.pages()) {
        page.on('worker', worker => worker.on('console', onConsole));
      }

      await use(issues);

      const unexpected = issues.filter(issue => !isAllowed(issue, allowedConsoleErrors));
      expect(
        unexpected,
        'browser console errors (allow-list: CONSOLE_ALLOWLIST in ui-tests/fixtures.ts)'
      ).toEqual([]);
    },
    { auto: true }
  ]
});

/** The path of a real image of ../shared/data; throws when that folder or file is absent. */
export function sharedData(name: string): string {
  const file = path.join(SHARED_DATA, name);
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: the ui-tests need the real images of ../shared/data beside the repository`
    );
  }
  return file;
}

/** The absolute path on disk of a path of the served root. */
export function serverFile(serverPath: string): string {
  const file = path.resolve(SERVER_ROOT, serverPath);
  if (path.relative(SERVER_ROOT, file).startsWith('..')) {
    throw new Error(`${serverPath} is outside the served root`);
  }
  return file;
}

/** Write bytes or text at `serverPath` (relative to the served root), creating folders. */
export async function writeToServer(serverPath: string, data: Uint8Array | string): Promise<void> {
  const file = serverFile(serverPath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, data);
}

/** Copy a local file to `serverPath` (relative to the served root), creating folders. */
export async function copyToServer(source: string, serverPath: string): Promise<void> {
  const file = serverFile(serverPath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.copyFile(source, file);
}

/**
 * Open `serverPath` the way a user does: show it in the file browser, double-click it, and wait
 * for its tab. Returns the tab's locator. Works with galata's `page` and a plain Playwright page
 * (it needs `window.jupyterapp`). `filebrowser:go-to-path` lists the folder afresh, so files
 * written to disk just before are there (the browser's own poll would take seconds).
 */
export async function openFromFileBrowser(page: Page | IJupyterLabPageFixture, serverPath: string) {
  const name = path.posix.basename(serverPath);
  await page.evaluate(async target => {
    await (window as any).jupyterapp.commands.execute('filebrowser:go-to-path', { path: target });
  }, serverPath);
  const item = page
    .getByRole('region', { name: 'File Browser Section' })
    .getByRole('listitem', { name: new RegExp(`^Name: ${escapeRegExp(name)}`) });
  await expect(item).toHaveCount(1);
  await item.dblclick();
  const tab = page
    .getByRole('main')
    .getByRole('tab', { name: new RegExp(`^${escapeRegExp(name)}`) })
    .last();
  await expect(tab).toBeVisible();
  return tab;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
