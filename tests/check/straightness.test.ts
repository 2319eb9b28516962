/**
 * The ring straightness the polar view reports: a ring about its true center is straight (spread
 * about 0); about a center off by d its radius swings as r0 - d cos(phi - phi_d), a spread of
 * d / sqrt(2) over the azimuths.
 */
import { profilePeaks } from '../../src/center/peaks.js';
import { polarTransform } from '../../src/center/polar.js';
import { radialProfile } from '../../src/center/profile.js';
import { ringSpread, ringStraightness } from '../../src/check/straightness.js';

/** A noise-free image with Gaussian rings of the given radii about (row, col). */
function rings(size: number, row: number, col: number, radii: number[], sigma = 1.5) {
  const data = new Float32Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const d = Math.hypot(r - row, c - col);
      let v = 10;
      for (const radius of radii) v += 1000 * Math.exp(-((d - radius) ** 2) / (2 * sigma * sigma));
      data[r * size + c] = v;
    }
  }
  return { height: size, width: size, data };
}

function straightnessAbout(image: ReturnType<typeof rings>, center: { row: number; col: number }) {
  const profile = radialProfile(image, center);
  const peaks = profilePeaks(profile);
  const polar = polarTransform(image, center, { azimuths: 360 });
  return { peaks, ring: ringStraightness(polar, peaks) };
}

describe('ring straightness in the polar view', () => {
  const image = rings(256, 127.3, 130.6, [40, 70, 100]);

  it('is straight about the true center', () => {
    const { peaks, ring } = straightnessAbout(image, { row: 127.3, col: 130.6 });
    expect(peaks.map(p => Math.round(p.radius))).toEqual([40, 70, 100]);
    expect(ring).not.toBeNull();
    expect(ring!.spread).toBeLessThan(0.1);
    expect(ring!.rows).toBe(360);
    expect([40, 70, 100].some(r => Math.abs(ring!.mean - r) < 0.2)).toBe(true);
  });

  it.each([2, 5, 8])('bends by d / sqrt(2) about a center off by %d px', d => {
    const about = { row: 127.3 + d * 0.6, col: 130.6 - d * 0.8 };
    const polar = polarTransform(image, about, { azimuths: 360 });
    // Follow the ring of radius 70 (neighbours 30 px away: a 12 px window holds d = 8).
    const ring = ringSpread(polar, 70, 12)!;
    expect(ring.spread).toBeGreaterThan(0.9 * (d / Math.SQRT2));
    expect(ring.spread).toBeLessThan(1.1 * (d / Math.SQRT2));
    expect(ring.mean).toBeCloseTo(70, 0);
  });

  it('leaves out azimuths whose window is masked, and needs 8 of them', () => {
    const mask = new Uint8Array(256 * 256).fill(1);
    // Mask the right half of the image: the azimuths towards +col lose the ring.
    for (let r = 0; r < 256; r++) mask.fill(0, r * 256 + 140, r * 256 + 256);
    const polar = polarTransform(image, { row: 127.3, col: 130.6 }, { azimuths: 360, mask });
    const ring = ringSpread(polar, 70, 12)!;
    expect(ring.rows).toBeGreaterThan(100);
    expect(ring.rows).toBeLessThan(300);
    expect(ring.spread).toBeLessThan(0.1);
    const none = polarTransform(image, { row: 127.3, col: 130.6 }, { azimuths: 360, mask: new Uint8Array(256 * 256) });
    expect(ringSpread(none, 70, 12)).toBeNull();
  });

  it('is null without a peak', () => {
    const flat = { height: 64, width: 64, data: new Float32Array(64 * 64).fill(3) };
    const { peaks, ring } = straightnessAbout(flat as any, { row: 31.5, col: 31.5 });
    expect(peaks).toEqual([]);
    expect(ring).toBeNull();
  });
});
