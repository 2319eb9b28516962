import { parseColor } from '../../src/io/color.js';

describe('parseColor', () => {
  const fallback: [number, number, number, number] = [1, 2, 3, 4];

  it('reads #rrggbb as opaque RGBA, with or without #, any case', () => {
    expect(parseColor('#ff3d7f', fallback)).toEqual([255, 61, 127, 255]);
    expect(parseColor(' 39FF14 ', fallback)).toEqual([57, 255, 20, 255]);
  });

  it('reads the alpha of #rrggbbaa', () => {
    expect(parseColor('#00c8ff80', fallback)).toEqual([0, 200, 255, 128]);
  });

  it('gives the fallback (a copy) for anything else', () => {
    for (const text of ['', 'red', '#fff', '#ff3d7', '#ff3d7fz0', 'rgb(1,2,3)']) {
      const out = parseColor(text, fallback);
      expect(out).toEqual(fallback);
      expect(out).not.toBe(fallback);
    }
  });
});
