import {
  centerOn,
  clientToImage,
  fitView,
  imageToClient,
  MAX_ZOOM,
  panBy,
  pixelAt,
  polarFrom,
  visibleRect,
  zoomAt
} from '../../src/viewer/view.js';

describe('view transform', () => {
  const view = { zoom: 4, x0: 10, y0: 20 };

  it('puts pixel centers at integers', () => {
    expect(imageToClient(view, 0, 0)).toEqual({ x: 12, y: 22 });
    expect(imageToClient(view, -0.5, -0.5)).toEqual({ x: 10, y: 20 });
    expect(imageToClient(view, 3, 5)).toEqual({ x: 10 + 5.5 * 4, y: 20 + 3.5 * 4 });
  });

  it('clientToImage inverts imageToClient', () => {
    for (const [row, col] of [
      [0, 0],
      [12.25, -3.5],
      [1023, 511]
    ]) {
      const { x, y } = imageToClient(view, row, col);
      const back = clientToImage(view, x, y);
      expect(back.row).toBeCloseTo(row, 12);
      expect(back.col).toBeCloseTo(col, 12);
    }
  });

  it('pixelAt finds the pixel under a point, null outside', () => {
    expect(pixelAt(view, 10.1, 20.1, 8, 8)).toEqual({ row: 0, col: 0 });
    expect(pixelAt(view, 13.9, 25.9, 8, 8)).toEqual({ row: 1, col: 0 });
    expect(pixelAt(view, 9.9, 25, 8, 8)).toBeNull();
    expect(pixelAt(view, 10 + 32.1, 25, 8, 8)).toBeNull();
  });

  it('zoomAt keeps the image point under the cursor fixed', () => {
    const before = clientToImage(view, 200, 150);
    const zoomed = zoomAt(view, 2.5, 200, 150);
    expect(zoomed.zoom).toBe(10);
    const after = clientToImage(zoomed, 200, 150);
    expect(after.row).toBeCloseTo(before.row, 12);
    expect(after.col).toBeCloseTo(before.col, 12);
    expect(zoomAt(view, 1e6, 0, 0).zoom).toBe(MAX_ZOOM);
  });

  it('panBy moves the image with the pointer', () => {
    const moved = panBy(view, 7, -3);
    expect(imageToClient(moved, 2, 2)).toEqual({ x: imageToClient(view, 2, 2).x + 7, y: imageToClient(view, 2, 2).y - 3 });
  });

  it('fitView shows the whole image centered', () => {
    const fit = fitView(1024, 512, 800, 600);
    expect(fit.zoom).toBeCloseTo(600 / 1024, 12);
    const topLeft = imageToClient(fit, -0.5, -0.5);
    const bottomRight = imageToClient(fit, 1023.5, 511.5);
    expect(topLeft.y).toBeCloseTo(0, 9);
    expect(bottomRight.y).toBeCloseTo(600, 9);
    expect((topLeft.x + bottomRight.x) / 2).toBeCloseTo(400, 9);
  });

  it('centerOn puts a pixel at the middle of the client area', () => {
    const v = centerOn(100, 200, 1, 640, 480);
    expect(imageToClient(v, 100, 200)).toEqual({ x: 320, y: 240 });
  });

  it('visibleRect clips to the image and to the client area', () => {
    expect(visibleRect({ zoom: 1, x0: 0, y0: 0 }, 100, 200, 1000, 1000)).toEqual({
      sx: 0, sy: 0, sw: 200, sh: 100, dx: 0, dy: 0, dw: 200, dh: 100
    });
    const r = visibleRect({ zoom: 2, x0: -50, y0: -10 }, 100, 200, 100, 40)!;
    expect(r).toEqual({ sx: 25, sy: 5, sw: 50, sh: 20, dx: 0, dy: 0, dw: 100, dh: 40 });
    expect(visibleRect({ zoom: 1, x0: 500, y0: 0 }, 100, 200, 400, 400)).toBeNull();
  });
});

describe('polarFrom', () => {
  const c = { row: 10, col: 10 };
  it('measures azimuth counter-clockwise from +col as displayed (up is 90°)', () => {
    expect(polarFrom(c, 10, 15)).toEqual({ radius: 5, azimuth: 0 });
    expect(polarFrom(c, 5, 10).azimuth).toBeCloseTo(90, 12);
    expect(polarFrom(c, 10, 5).azimuth).toBeCloseTo(180, 12);
    expect(polarFrom(c, 15, 10).azimuth).toBeCloseTo(270, 12);
    expect(polarFrom(c, 7, 14)).toEqual({ radius: 5, azimuth: (Math.atan2(3, 4) * 180) / Math.PI });
  });
});
