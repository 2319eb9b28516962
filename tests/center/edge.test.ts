/**
 * Centers near an edge (issue 13): 12-18 % of the width from one edge, with a beam block. The
 * symmetric crop about the center of mass leaves these centers out; before the whole-image
 * candidate search (src/center/global.ts) the engine missed these three by 9-270 px.
 */
import { autocenter, combineMasks, hotPixelMask, invalidPixelMask } from '../../src/center/index.js';
import { globalCandidates } from '../../src/center/global.js';
import { generatePattern, type SynthOptions } from '../synth/index.js';

const cases: [string, SynthOptions][] = [
  ['hexagonal 516², center 14.6 % from the top', { kind: 'hexagonal', height: 516, center: { row: 75.3, col: 317.6 }, seed: 504, beamBlock: { side: 'top' }, hotPixels: 16 }],
  ['square 516², center 12.8 % from the right', { kind: 'square', height: 516, center: { row: 220.4, col: 449.2 }, seed: 508, beamBlock: { side: 'top' }, hotPixels: 16 }],
  ['rings 768², center 13.2 % from the bottom', { kind: 'rings', height: 768, center: { row: 665.1, col: 309.4 }, seed: 509, beamBlock: { side: 'top' }, hotPixels: 16 }]
];

describe('centers near an edge', () => {
  it.each(cases)('%s', (_, options) => {
    const p = generatePattern(options);
    const r = autocenter(p.image, { mask: p.mask, edgeSearch: true });
    expect(Math.hypot(r.row - p.center.row, r.col - p.center.col)).toBeLessThan(0.1);
    expect(r.branches).toContain('global');
  });

  it('the whole-image search ranks the true center first, independent of the center of mass', () => {
    const p = generatePattern(cases[0][1]);
    // The engine's mask: the beam block, invalid and hot pixels.
    const mask = hotPixelMask(p.image, combineMasks(invalidPixelMask(p.image), p.mask));
    const [best] = globalCandidates(p.image, mask, 3);
    expect(Math.hypot(best.row - p.center.row, best.col - p.center.col)).toBeLessThan(best.factor);
  });
});
