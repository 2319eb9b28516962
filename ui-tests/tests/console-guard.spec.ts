/**
 * The console guard of ui-tests/fixtures.ts records what it must: console errors of the page
 * and of its workers, and uncaught errors, once each. The probes are allowed for this file
 * only, so the guard's own verdict still runs (and would fail on anything else).
 */
import { expect, isAllowed, test } from '../fixtures.js';

test.use({ allowedConsoleErrors: [/guard-probe/] });

test('the console guard records page, uncaught and worker errors', async ({
  page,
  consoleErrors
}) => {
  const before = consoleErrors.length;
  await page.evaluate(() => {
    console.error('guard-probe: page');
    setTimeout(() => {
      throw new Error('guard-probe: uncaught');
    }, 0);
    const source = "console.error('guard-probe: worker');";
    new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  });
  await expect
    .poll(() => consoleErrors.slice(before).map(issue => issue.kind).sort())
    .toEqual(['console.error', 'page error', 'worker console.error']);
  const texts = consoleErrors.slice(before).map(issue => issue.text);
  expect(texts.some(text => text.includes('guard-probe: page'))).toBe(true);
  expect(texts.some(text => text.includes('guard-probe: uncaught'))).toBe(true);
  expect(texts.some(text => text.includes('guard-probe: worker'))).toBe(true);
  expect(isAllowed({ kind: 'console.error', text: 'something else' }, [/guard-probe/])).toBe(false);
});
