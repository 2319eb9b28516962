/**
 * Helpers shared by the find-center ui-tests: run a command from the command palette as a user
 * does, and locate image points on the page.
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

/**
 * Open the palette (Ctrl+Shift+C), type the command's label, check exactly that command is
 * listed, press Enter. Focus can move while the lab settles (a kernel becoming ready activates
 * its notebook and closes the palette), so opening and typing is tried again when the query
 * is lost before the command shows.
 */
export async function runFromPalette(page: Page, label: string): Promise<void> {
  const input = page.locator('#command-palette .lm-CommandPalette-input');
  const item = page.locator('#command-palette .lm-CommandPalette-itemLabel', {
    hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!(await input.isVisible())) {
      await page.keyboard.press('Control+Shift+C');
    }
    await expect(input).toBeVisible();
    await input.fill(label);
    try {
      await expect(item).toHaveCount(1, { timeout: 3000 });
      break;
    } catch (error) {
      if (attempt === 2 || (await input.inputValue()) === label) {
        throw error;
      }
    }
  }
  await input.press('Enter');
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
