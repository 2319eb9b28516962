/**
 * @jest-environment jsdom
 */
/**
 * The find-center status box shows σ (row, col) of a found center, explained on hover beside the
 * score's explanation, and nothing of it without one.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

// jsdom has no DragEvent, which @lumino/dragdrop (under @lumino/widgets) extends when it loads.
(globalThis as any).DragEvent ??= class DragEvent extends MouseEvent {};
const { CenterStatus } = await import('../../src/centering/status.js');

const trans = {
  __: (msgid: string, ...args: unknown[]) => msgid.replace(/%(\d)/g, (_, i) => String(args[Number(i) - 1]))
} as unknown as TranslationBundle;

const base = { state: 'found' as const, text: 'Center (1.00, 2.00)', details: '', score: 0.93, ms: 40, progress: 0, hint: '' };

describe('CenterStatus', () => {
  it('shows sigma to two significant digits, explained on hover', () => {
    const status = new CenterStatus(trans);
    status.render({ ...base, sigma: [0.03412, 0.0219] });
    const sigma = status.node.querySelector('.jp-Diffraction-centerSigma') as HTMLElement;
    expect(sigma.hidden).toBe(false);
    expect(sigma.textContent).toBe('σ (0.034, 0.022) px');
    expect(sigma.title).toMatch(/standard uncertainty of the center in pixels/);
    expect((status.node.querySelector('.jp-Diffraction-centerScore') as HTMLElement).title).toMatch(/^Score: /);
    status.dispose();
  });

  it('hides sigma without one (a center set by hand, a run under way)', () => {
    const status = new CenterStatus(trans);
    status.render({ ...base, sigma: [0.1, 0.2] });
    status.render({ ...base, state: 'manual', score: null, ms: null, sigma: null });
    const sigma = status.node.querySelector('.jp-Diffraction-centerSigma') as HTMLElement;
    expect(sigma.hidden).toBe(true);
    expect(sigma.textContent).toBe('');
    status.dispose();
  });
});
