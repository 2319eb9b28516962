/**
 * @jest-environment jsdom
 */
/**
 * The drift panel in jsdom, driven by a stand-in series session: one point per frame with the
 * flags as classes, a click shows that frame, a large series drawn as one path where a click
 * picks the nearest frame, the fit chosen in the panel asked of the session.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { SeriesCenter } from '../../src/series/index.js';

(globalThis as any).DragEvent ??= class DragEvent extends MouseEvent {};
(globalThis as any).requestAnimationFrame ??= (callback: () => void) => setTimeout(callback, 0);
(globalThis as any).cancelAnimationFrame ??= (id: number) => clearTimeout(id);
const { Signal } = await import('@lumino/signaling');
const { Widget } = await import('@lumino/widgets');
const { DriftPanel } = await import('../../src/centering/drift-panel.js');
const { fitDrift } = await import('../../src/series/index.js');

const trans = {
  __: (msgid: string, ...args: unknown[]) => msgid.replace(/%(\d)/g, (_, i) => String(args[Number(i) - 1]))
} as unknown as TranslationBundle;

/** A stand-in for SeriesSession: the centers, the fit, and the viewer's frame calls. */
function series(centers: SeriesCenter[]) {
  const shown: number[] = [];
  const fits: unknown[][] = [];
  const owner = {};
  const fake = {
    changed: new Signal<object, void>(owner),
    fit: null as ReturnType<typeof fitDrift> | null,
    fitError: null as string | null,
    centers: () => centers,
    setFit: (...args: unknown[]) => {
      fits.push(args);
      fake.fit = args[0] ? fitDrift(centers, args[0] as 'linear' | 'plane', args[1] as number | undefined) : null;
    },
    session: {
      viewer: {
        frameIndex: 0,
        frameCount: centers.length,
        frameChanged: new Signal<object, unknown>(owner),
        setFrame: async (f: number) => void shown.push(f)
      }
    }
  };
  return { fake, shown, fits };
}

function centers(n: number, flags: Partial<Record<number, Partial<SeriesCenter>>> = {}): SeriesCenter[] {
  return Array.from({ length: n }, (_, f) => ({
    frame: f,
    row: 60 + 0.1 * f,
    col: 64 - 0.05 * f,
    score: 0.9,
    sigma: null,
    method: 'tracked',
    reason: null,
    jump: false,
    outlier: false,
    warnings: [],
    ...flags[f]
  }));
}

afterEach(() => document.body.replaceChildren());

function panelOf(fake: unknown) {
  const panel = new DriftPanel(fake as any, trans);
  Widget.attach(panel, document.body);
  panel.render();
  return panel;
}

describe('DriftPanel', () => {
  it('draws one point per frame on each plot, flags as classes; a click shows that frame', () => {
    const { fake, shown } = series(centers(30, { 7: { outlier: true }, 8: { jump: true }, 3: { method: 'manual' } }));
    const panel = panelOf(fake);
    expect(panel.node.dataset.points).toBe('30');
    expect(panel.node.dataset.outliers).toBe('1');
    for (const axis of ['row', 'col']) {
      expect(panel.node.querySelectorAll(`svg[data-axis="${axis}"] circle`)).toHaveLength(30);
    }
    const row = panel.node.querySelector('svg[data-axis="row"]')!;
    expect(row.querySelector('circle.jp-mod-outlier')!.getAttribute('data-frame')).toBe('7');
    expect(row.querySelector('circle.jp-mod-jump')!.getAttribute('data-frame')).toBe('8');
    expect(row.querySelector('circle.jp-mod-manual')!.getAttribute('data-frame')).toBe('3');
    expect(panel.node.textContent).toContain('30 frames with a center, 1 outliers, 1 jumps');
    (row.querySelector('circle[data-frame="12"]') as SVGElement).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(shown).toEqual([12]);
  });

  it('draws a large series as one path (flagged frames still points) and a click picks the nearest frame', () => {
    const { fake, shown } = series(centers(3001, { 1500: { outlier: true } }));
    const panel = panelOf(fake);
    const row = panel.node.querySelector('svg[data-axis="row"]') as SVGSVGElement;
    expect(row.querySelectorAll('circle')).toHaveLength(1);
    expect(row.querySelector('path.jp-Diffraction-driftDots')!.getAttribute('d')!.match(/M/g)).toHaveLength(3000);
    // 56 px left margin, 12 right: a 1068 px plot has 1000 px for frames 0 … 3000.
    row.getBoundingClientRect = () => ({ left: 100, width: 1068, top: 0, height: 150 }) as DOMRect;
    row.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 100 + 56 + 250 }));
    expect(shown).toEqual([750]);
  });

  it('asks the session for the fit chosen, with the scan width of a plane, and states it', () => {
    const { fake, fits } = series(centers(36));
    const panel = panelOf(fake);
    const select = panel.node.querySelector('select') as HTMLSelectElement;
    select.value = 'plane';
    select.dispatchEvent(new Event('change'));
    // 36 frames: a 6 x 6 scan is proposed.
    expect(fits).toEqual([['plane', 6]]);
    select.value = 'linear';
    select.dispatchEvent(new Event('change'));
    expect(fits[1]).toEqual(['linear', undefined]);
    panel.render();
    expect(panel.node.querySelector('.jp-Diffraction-driftFitText')!.textContent).toMatch(/^linear: row = 60 \+ 0\.1 × frame/);
    expect(panel.node.querySelectorAll('polyline.jp-Diffraction-driftFit')).toHaveLength(2);
  });
});
