import { drawHeaderMarker, HEADER_MARKER_SIZE } from '../../src/viewer/header-marker.js';

/** A context that records the path it is given (jsdom has no canvas). */
function recorder() {
  const points: [number, number][] = [];
  const texts: [string, number, number][] = [];
  const ctx = {
    save() {},
    restore() {},
    beginPath() {},
    closePath() {},
    stroke() {},
    moveTo: (x: number, y: number) => points.push([x, y]),
    lineTo: (x: number, y: number) => points.push([x, y]),
    fillText: (t: string, x: number, y: number) => texts.push([t, x, y])
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, points, texts };
}

const view = {
  // zoom 2, image origin at client (10, 20): pixel centers at integers.
  imageToClient: (row: number, col: number) => ({ x: 10 + 2 * col, y: 20 + 2 * row }),
  clientWidth: 400,
  clientHeight: 300
};

describe('the header beam-center marker', () => {
  it('draws a diamond about the header beam center, with its label', () => {
    const { ctx, points, texts } = recorder();
    drawHeaderMarker(ctx, view, { row: 50.5, col: 80.25 }, 'header');
    const x = 10 + 2 * 80.25;
    const y = 20 + 2 * 50.5;
    const s = HEADER_MARKER_SIZE;
    // The inner diamond: top, right, bottom, left vertices about (x, y).
    expect(points.slice(4)).toEqual([
      [x, y - s],
      [x + s, y],
      [x, y + s],
      [x - s, y]
    ]);
    expect(texts).toEqual([['header', x + s + 3, y - s]]);
  });

  it('draws nothing when the beam center is outside the view', () => {
    const { ctx, points, texts } = recorder();
    drawHeaderMarker(ctx, view, { row: -40, col: 10 }, 'header');
    expect(points).toEqual([]);
    expect(texts).toEqual([]);
  });
});
