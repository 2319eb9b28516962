/** The polar transform ("cake") on analytic patterns. */
import { CenterError } from '../../src/center/index.js';
import { polarAzimuth, polarRadius, polarTransform, type PolarImage } from '../../src/center/polar.js';

/** A noise-free Gaussian ring (sigma 1.5 px) of radius `radius` about `center`. */
function ring(height: number, width: number, center: { row: number; col: number }, radius: number): Float32Array {
  const data = new Float32Array(height * width);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const d = Math.hypot(r - center.row, c - center.col);
      data[r * width + c] = 10 + 1000 * Math.exp(-((d - radius) ** 2) / (2 * 1.5 ** 2));
    }
  }
  return data;
}

/** The ring's radius in each azimuth row: the intensity-weighted mean radius within +-5 px of the row's maximum. */
function ringRadii(polar: PolarImage): number[] {
  const out: number[] = [];
  for (let i = 0; i < polar.height; i++) {
    const row = polar.data.subarray(i * polar.width, (i + 1) * polar.width);
    let best = 0;
    for (let j = 1; j < row.length; j++) {
      if (row[j] > row[best] || !(row[best] === row[best])) best = j;
    }
    let sw = 0;
    let sr = 0;
    for (let j = Math.max(0, best - 5); j <= Math.min(row.length - 1, best + 5); j++) {
      const w = row[j] - 10;
      sw += w;
      sr += w * polarRadius(polar, j);
    }
    out.push(sr / sw);
  }
  return out;
}

const std = (xs: number[]): number => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

describe('polar transform', () => {
  const height = 240;
  const width = 256;
  const center = { row: 117.3, col: 130.6 };
  const R = 60;
  const image = { height, width, data: ring(height, width, center, R) };

  it('maps a ring about the true center to a straight line at its radius', () => {
    const polar = polarTransform(image, center, { radii: 100, azimuths: 360, radialStep: 1 });
    expect(polar.height).toBe(360);
    expect(polar.width).toBe(100);
    const radii = ringRadii(polar);
    expect(std(radii)).toBeLessThan(0.02);
    for (const r of radii) expect(Math.abs(r - R)).toBeLessThan(0.05);
  });

  it('bends the line by the known amount when the center is off: r(phi) = -d.u + sqrt(R^2 - (d x u)^2)', () => {
    for (const d of [
      { row: 3, col: -4 },
      { row: -1.5, col: 0.5 },
      { row: 0, col: 8 }
    ]) {
      const off = { row: center.row + d.row, col: center.col + d.col };
      const polar = polarTransform(image, off, { radii: 100, azimuths: 180 });
      const radii = ringRadii(polar);
      const norm = Math.hypot(d.row, d.col);
      const phiD = Math.atan2(d.row, d.col);
      radii.forEach((r, i) => {
        const phi = polarAzimuth(180, i);
        const u = { row: Math.sin(phi), col: Math.cos(phi) };
        const along = d.row * u.row + d.col * u.col;
        const across = d.row * u.col - d.col * u.row;
        const exact = -along + Math.sqrt(R * R - across * across);
        expect(Math.abs(r - exact)).toBeLessThan(0.06);
        // First order: r0 - |d| cos(phi - phi_d), good to |d|^2 / (2 R).
        expect(Math.abs(r - (R - norm * Math.cos(phi - phiD)))).toBeLessThan((norm * norm) / (2 * R) + 0.06);
      });
      // The line is no longer straight: its spread grows with the offset (|d| / sqrt(2)).
      expect(std(radii)).toBeGreaterThan(0.6 * norm);
    }
  });

  it('samples bilinearly: exact on a linear image, azimuth 0 along +col and pi/2 along +row', () => {
    const h = 50;
    const w = 60;
    const data = new Float64Array(h * w);
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) data[r * w + c] = 3 * r - 2 * c + 7;
    const c0 = { row: 24.2, col: 29.7 };
    const polar = polarTransform({ height: h, width: w, data }, c0, { radii: 20, azimuths: 72, radialStep: 0.9 });
    for (let i = 0; i < 72; i++) {
      const phi = polarAzimuth(72, i);
      for (let j = 0; j < 20; j++) {
        const r = (j + 0.5) * 0.9;
        const expected = 3 * (c0.row + r * Math.sin(phi)) - 2 * (c0.col + r * Math.cos(phi)) + 7;
        expect(polar.data[i * 20 + j]).toBeCloseTo(expected, 3);
      }
    }
    expect(polarAzimuth(4, 0)).toBeCloseTo(-0.75 * Math.PI, 12);
    expect(polarAzimuth(4, 2)).toBeCloseTo(0.25 * Math.PI, 12);
  });

  it('marks masked, non-finite and outside samples as NaN, and only those', () => {
    const h = 64;
    const w = 64;
    const data = new Float32Array(h * w).fill(5);
    const mask = new Uint8Array(h * w).fill(1);
    const c0 = { row: 32, col: 32 };
    // Mask the column band col in [40, 44] for rows 30..34 (on the +col axis, about r = 8..12);
    // a NaN pixel on the -col axis at r = 10.
    for (let r = 30; r <= 34; r++) for (let c = 40; c <= 44; c++) mask[r * w + c] = 0;
    data[32 * w + 22] = NaN;
    const polar = polarTransform({ height: h, width: w, data }, c0, { mask, radii: 50, azimuths: 4 * 90 });
    const at = (phi: number, r: number): number => {
      const i = Math.round((phi + Math.PI) / ((2 * Math.PI) / 360) - 0.5);
      return polar.data[i * 50 + Math.round(r - 0.5)];
    };
    expect(at(0.0087, 10.5)).toBeNaN(); // inside the masked band
    expect(at(0.0087, 5.5)).toBeCloseTo(5, 5); // before it
    expect(at(0.0087, 14.5)).toBeCloseTo(5, 5); // after it
    expect(at(Math.PI - 0.0087, 9.5)).toBeNaN(); // reads the NaN pixel
    expect(at(Math.PI / 2 + 0.0087, 40.5)).toBeNaN(); // outside the image (row 72)
    expect(at(-Math.PI / 2 + 0.0087, 25.5)).toBeCloseTo(5, 5);
    let nan = 0;
    for (const v of polar.data) if (v !== v) nan++;
    // NaN: the band, the NaN pixel's neighbourhood and the corners' outside; far from all.
    expect(nan).toBeGreaterThan(0);
    expect(nan).toBeLessThan(polar.data.length / 2);
  });

  it('writes into a given array, and refuses bad input with typed errors', () => {
    const out = new Float32Array(10 * 8);
    const polar = polarTransform(image, center, { radii: 10, azimuths: 8, out });
    expect(polar.data).toBe(out);
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CenterError);
        return (e as CenterError).code;
      }
      return 'none';
    };
    expect(code(() => polarTransform(image, center, { radii: 10, azimuths: 8, out: new Float32Array(79) }))).toBe('invalid-input');
    expect(code(() => polarTransform(image, center, { azimuths: 0 }))).toBe('invalid-input');
    expect(code(() => polarTransform(image, center, { radialStep: -1 }))).toBe('invalid-input');
    expect(code(() => polarTransform(image, { row: Infinity, col: 0 }))).toBe('invalid-input');
    expect(code(() => polarTransform(image, center, { mask: new Uint8Array(5) }))).toBe('mask-shape');
  });
});
