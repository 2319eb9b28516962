/**
 * Centers near an edge (issue 13): 12-18 % of the width from one edge, with a beam block. The
 * symmetric crop about the center of mass leaves these centers out; step 6 of the engine (the
 * whole image's coarse map, src/center/global.ts and src/center/edge.ts, on by default) finds
 * them. Without it the engine missed the first three by 9-270 px and the bench cases below by
 * 106-441 px.
 */
import { autocenter, combineMasks, hotPixelMask, invalidPixelMask } from '../../src/center/index.js';
import { globalCandidates } from '../../src/center/global.js';
import { generatePattern, type SynthOptions } from '../synth/index.js';
import { edgeCases } from '../../bench/engine-cases.js';

const cases: [string, SynthOptions][] = [
  ['hexagonal 516², center 14.6 % from the top', { kind: 'hexagonal', height: 516, center: { row: 75.3, col: 317.6 }, seed: 504, beamBlock: { side: 'top' }, hotPixels: 16 }],
  ['square 516², center 12.8 % from the right', { kind: 'square', height: 516, center: { row: 220.4, col: 449.2 }, seed: 508, beamBlock: { side: 'top' }, hotPixels: 16 }],
  ['rings 768², center 13.2 % from the bottom', { kind: 'rings', height: 768, center: { row: 665.1, col: 309.4 }, seed: 509, beamBlock: { side: 'top' }, hotPixels: 16 }]
];

/** Near-edge cases of the engine bench (bench/engine-cases.ts, seed 4711) the crop alone missed. */
const benchIds = [1002, 1005, 1013];
const fromBench: [string, SynthOptions][] = edgeCases(24)
  .filter(c => benchIds.includes(c.id))
  .map(c => [`bench #${c.id}: ${c.label}`, c.options]);

const errorOf = (options: SynthOptions, edgeSearch?: boolean): number => {
  const p = generatePattern(options);
  const r = autocenter(p.image, edgeSearch === undefined ? { mask: p.mask } : { mask: p.mask, edgeSearch });
  return Math.hypot(r.row - p.center.row, r.col - p.center.col);
};

describe('centers near an edge', () => {
  it.each([...cases, ...fromBench])('%s: found with default options', (_, options) => {
    expect(errorOf(options)).toBeLessThan(0.5);
  });

  it('says so when the whole-image search moved the center near an edge', () => {
    const p = generatePattern(cases[1][1]);
    const r = autocenter(p.image, { mask: p.mask });
    expect(r.branches).toContain('global-won');
    const warning = r.warnings.find(w => w.startsWith('center near the edge'));
    // Column 449.2 of 516: 66 px from the right edge; its crop spans ~133 of 516 columns and,
    // about row 220.4, ~441 of 516 rows: 22 % of the image.
    expect(warning).toBe('center near the edge (66 px from it), found by the whole-image search: its symmetric region covers 22 % of the image; check it');
  });

  it('a center the crop found gets no such warning', () => {
    const p = generatePattern({ kind: 'hexagonal', height: 256, seed: 333, center: { row: 131.2, col: 120.7 }, hotPixels: 16 });
    const r = autocenter(p.image, { mask: p.mask });
    expect(r.branches).not.toContain('global-won');
    expect(r.warnings.filter(w => w.includes('near the edge'))).toEqual([]);
  });

  it('the crop about the center of mass alone (edgeSearch false) misses such a center', () => {
    expect(fromBench).toHaveLength(benchIds.length);
    expect(errorOf(fromBench[0][1], false)).toBeGreaterThan(5);
  });

  it('a centered pattern runs only the whole-image map, no second search', () => {
    const n = 512;
    const p = generatePattern({ kind: 'hexagonal', height: n, seed: 77 + n, center: { row: n / 2 + 0.04 * n + 0.3, col: n / 2 - 0.03 * n - 0.6 }, hotPixels: 16, beamBlock: { side: 'top' } });
    const r = autocenter(p.image, { mask: p.mask });
    expect(Math.hypot(r.row - p.center.row, r.col - p.center.col)).toBeLessThan(0.1);
    expect(r.branches).toContain('global');
    expect(r.branches).not.toContain('global-restart');
  });

  it('the whole-image search ranks the true center first, independent of the center of mass', () => {
    const p = generatePattern(cases[0][1]);
    // The engine's mask: the beam block, invalid and hot pixels.
    const mask = hotPixelMask(p.image, combineMasks(invalidPixelMask(p.image), p.mask));
    const [best] = globalCandidates(p.image, mask, 3);
    expect(Math.hypot(best.row - p.center.row, best.col - p.center.col)).toBeLessThan(best.factor);
  });
});
