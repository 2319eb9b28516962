/**
 * Helpers shared by the find-center ui-tests: run a command from the command palette as a user
 * does, and locate image points on the page.
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

/**
 * Open the palette (Ctrl+Shift+C), type the command's label, and click the one item with
 * exactly that label (Enter would run whichever item the search ranks first). On a cold start
 * the shortcut can be pressed before the lab listens, and focus can move while it settles (a
 * kernel becoming ready activates its notebook and closes the palette; after a page reload the
 * shell activates the restored tab, which takes the focus, once the layout is restored): the
 * layout restoration is awaited first, and opening, typing and clicking are tried again when the
 * palette or the query is lost.
 */
export async function runFromPalette(page: Page, label: string): Promise<void> {
  const input = page.locator('#command-palette .lm-CommandPalette-input');
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const item = page
    .locator('#command-palette .lm-CommandPalette-item')
    .filter({ has: page.locator('.lm-CommandPalette-itemLabel', { hasText: exact }) });
  await page.evaluate(() => (window as any).jupyterapp.restored);
  for (let attempt = 0; ; attempt++) {
    const last = attempt === 2;
    try {
      if (!(await input.isVisible())) {
        await page.keyboard.press('Control+Shift+C');
      }
      await expect(input).toBeVisible({ timeout: last ? 15_000 : 5_000 });
      await input.fill(label);
      await expect(item).toHaveCount(1, { timeout: last ? 15_000 : 5_000 });
      // A timeout here too: the palette can close under the click (the item is detached and the
      // click would wait for it until the test times out); the next attempt opens it again.
      await item.click({ timeout: last ? 15_000 : 5_000 });
      break;
    } catch (error) {
      if (last) {
        throw error;
      }
    }
  }
  await expect(input).toBeHidden();
}

/** Page coordinates of an image point (row, col) in the current diffraction viewer. */
export async function pagePoint(page: Page, row: number, col: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ([r, c]) => {
      const viewer = (window as any).jupyterapp.shell.currentWidget.content;
      const p = viewer.imageToClient(r, c);
      const rect = viewer.stage.getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    },
    [row, col]
  );
}

/** The toast of a JupyterLab notification whose text matches `text`. */
/**
 * Start recording every notification toast the page shows (its text, once per toast), so that a
 * test can check a message after the toast has closed itself: on a loaded machine a palette
 * command can take longer than a toast stays open. Read the log with `toastsSeen`.
 */
export async function recordToasts(page: Page): Promise<void> {
  await page.evaluate(Private.installToastLog);
}

/**
 * `recordToasts` from the start of every page load (a reload included), so that the toasts a
 * restored page shows while it starts are recorded too.
 */
export async function recordToastsFromStart(page: Page): Promise<void> {
  await page.addInitScript(Private.installToastLog);
}

/** Set a setting of one of this extension's plugins as the Settings editor does (e.g. 'viewer'). */
export async function setPluginSetting(page: Page, plugin: string, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    async ({ plugin, key, value }) => {
      const app = (window as any).jupyterapp;
      const registry = await app.pluginRegistry._plugins.get('@jupyterlab/apputils-extension:settings').service;
      await registry.set(`jupyterlab-diffraction:${plugin}`, key, value);
    },
    { plugin, key, value }
  );
}

/** How many toasts recorded since `recordToasts` matched `text`. */
export async function toastsSeen(page: Page, text: string | RegExp): Promise<number> {
  const log: string[] = await page.evaluate(() => (window as any).__diffractionToasts ?? []);
  return log.filter(t => (typeof text === 'string' ? t.includes(text) : text.test(t))).length;
}

export function toast(page: Page, text: string | RegExp) {
  return page.locator('.Toastify__toast').filter({ hasText: text });
}

/** Drag with the mouse between two image points of the current diffraction viewer. */
export async function dragImage(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const a = await pagePoint(page, from[0], from[1]);
  const b = await pagePoint(page, to[0], to[1]);
  // A point off the stage (the view panned or zoomed away) would drag on something else and
  // silently draw nothing: say so instead.
  const stage = await page.evaluate(() => {
    const r = (window as any).jupyterapp.shell.currentWidget.content.stage.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
  for (const [point, p] of [[from, a], [to, b]] as const) {
    if (p.x < stage.left || p.x > stage.right || p.y < stage.top || p.y > stage.bottom) {
      throw new Error(`dragImage: image point (${point.join(', ')}) is off the stage (at ${p.x}, ${p.y}; stage ${JSON.stringify(stage)})`);
    }
  }
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

namespace Private {
  /** Runs in the page: log each toast's text once in `window.__diffractionToasts`. */
  export function installToastLog(): void {
    const w = window as any;
    if (w.__diffractionToasts) return;
    const log: string[] = (w.__diffractionToasts = []);
    const seen = new WeakSet<Element>();
    const scan = () => {
      for (const el of Array.from(document.querySelectorAll('.Toastify__toast'))) {
        if (!seen.has(el) && el.textContent) {
          seen.add(el);
          log.push(el.textContent);
        }
      }
    };
    new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
    scan();
  }
}
