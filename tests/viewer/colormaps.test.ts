import { COLORMAP_NAMES, colormapTable, isColormapName } from '../../src/viewer/colormaps.js';

describe('colormaps', () => {
  it('has 256 RGB entries for every colormap', () => {
    for (const name of COLORMAP_NAMES) {
      expect(colormapTable(name)).toHaveLength(768);
    }
  });

  it('gray is the identity ramp', () => {
    const gray = colormapTable('gray');
    for (const i of [0, 1, 127, 200, 255]) {
      expect(Array.from(gray.slice(3 * i, 3 * i + 3))).toEqual([i, i, i]);
    }
  });

  it("matches matplotlib's published end points (8-bit rounded)", () => {
    const rgb = (name: (typeof COLORMAP_NAMES)[number], i: number) =>
      Array.from(colormapTable(name).slice(3 * i, 3 * i + 3));
    // viridis: first (0.267004, 0.004874, 0.329415), last (0.993248, 0.906157, 0.143936)
    expect(rgb('viridis', 0)).toEqual([68, 1, 84]);
    expect(rgb('viridis', 255)).toEqual([253, 231, 37]);
    // inferno: first (0.001462, 0.000466, 0.013866), last (0.988362, 0.998364, 0.644924)
    expect(rgb('inferno', 0)).toEqual([0, 0, 4]);
    expect(rgb('inferno', 255)).toEqual([252, 255, 164]);
    // magma last (0.987053, 0.991438, 0.749504); cividis first (0, 0.135112, 0.304751)
    expect(rgb('magma', 255)).toEqual([252, 253, 191]);
    expect(rgb('cividis', 0)).toEqual([0, 34, 78]);
  });

  it('perceptual maps get brighter from low to high', () => {
    for (const name of ['inferno', 'magma', 'viridis', 'cividis'] as const) {
      const t = colormapTable(name);
      const luma = (i: number) => 0.2126 * t[3 * i] + 0.7152 * t[3 * i + 1] + 0.0722 * t[3 * i + 2];
      for (let i = 16; i < 256; i += 16) {
        expect(luma(i)).toBeGreaterThan(luma(i - 16));
      }
    }
  });

  it('recognises names', () => {
    expect(isColormapName('inferno')).toBe(true);
    expect(isColormapName('jet')).toBe(false);
    expect(isColormapName(3)).toBe(false);
  });
});
