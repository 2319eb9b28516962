/**
 * "Insert Profile as Code" text: the CSV, the numpy code that loads it and the numpy code that
 * recomputes the profile, each run through /usr/bin/python3 (numpy, tifffile: Debian packages of
 * scripts/apt-packages.txt) and compared with the engine's profile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { radialProfile } from '../../src/center/profile.js';
import { openTiff } from '../../src/io/index.js';
import { profileAsCsv, profileCsvPath, profileLoadCode, profileRecomputeCode } from '../../src/notebook/profile-code.js';

const dataDir = path.resolve(process.cwd(), '../shared/data');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'diffraction-profile-code-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Run `code`, then print the three arrays as JSON (NaN as null). */
function runPython(code: string, variable: string): { radius: number[]; value: (number | null)[]; count: number[] } {
  const script = `${code}
import json
print(json.dumps({k: [None if x != x else float(x) for x in v] for k, v in
    {'radius': ${variable}_radius, 'value': ${variable}_value, 'count': ${variable}_count}.items()}))
`;
  const file = path.join(dir, `run-${Date.now()}-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, script);
  const out = execFileSync('/usr/bin/python3', [file], { cwd: dir, maxBuffer: 1 << 26 }).toString();
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('profile export', () => {
  it('names the CSV beside the image', () => {
    expect(profileCsvPath('data/graphite.tif')).toBe('data/graphite_profile.csv');
    expect(profileCsvPath('a.b/scan')).toBe('a.b/scan_profile.csv');
    expect(profileCsvPath('x.tiff')).toBe('x_profile.csv');
  });

  it('writes a CSV that the inserted numpy code loads back exactly, empty bins as nan', () => {
    const height = 40;
    const width = 50;
    const center = { row: 19.37, col: 24.81 };
    const data = new Float64Array(height * width);
    const mask = new Uint8Array(height * width).fill(1);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const d = Math.hypot(r - center.row, c - center.col);
        data[r * width + c] = Math.PI * d + Math.sin(r * c);
        if (d >= 5 && d < 7) mask[r * width + c] = 0;
      }
    }
    const profile = radialProfile({ height, width, data }, center, { mask, binWidth: 1 });
    const csv = profileAsCsv(profile, "it's\nodd.tif", [0.0123, 0.0456]);
    expect(csv.split('\n')[0]).toBe("# radial profile of it's odd.tif, jupyterlab-diffraction");
    expect(csv).toContain('sigma (row, col) = (0.012, 0.046) px');
    const file = path.join(dir, 'p_profile.csv');
    writeFileSync(file, csv);
    const loaded = runPython(profileLoadCode('prof', file), 'prof');
    expect(loaded.radius).toEqual(Array.from(profile.radius));
    expect(loaded.count).toEqual(Array.from(profile.count));
    expect(loaded.value[5]).toBeNull();
    expect(loaded.value[6]).toBeNull();
    loaded.value.forEach((v, k) => {
      if (v !== null) expect(v).toBe(profile.value[k]);
      else expect(profile.value[k]).toBeNaN();
    });
  });

  // Skipped only where the shared data is missing.
  (existsSync(path.join(dataDir, 'graphite_mask.tif')) ? it : it.skip)(
    'inserts numpy code that recomputes the same profile from the image, mask and center (mean and median)',
    async () => {
      const read = async (name: string) => {
        const bytes = readFileSync(path.join(dataDir, name));
        return (await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)).readFrame(0);
      };
      const image = await read('graphite.tif');
      const maskImage = await read('graphite_mask.tif');
      const mask = Uint8Array.from(maskImage.data, v => (v ? 1 : 0));
      const center = { row: 556.371234, col: 505.4229 };
      for (const [statistic, binWidth] of [
        ['mean', 1],
        ['median', 2.5]
      ] as const) {
        const profile = radialProfile(image, center, { mask, binWidth, statistic });
        const code = profileRecomputeCode('gp', path.join(dataDir, 'graphite.tif'), center, {
          maskPath: path.join(dataDir, 'graphite_mask.tif'),
          binWidth,
          statistic
        });
        const py = runPython(code, 'gp');
        expect(py.count).toEqual(Array.from(profile.count));
        expect(py.radius).toEqual(Array.from(profile.radius));
        py.value.forEach((v, k) => {
          if (v === null) {
            expect(profile.value[k]).toBeNaN();
          } else {
            expect(Math.abs(v - profile.value[k])).toBeLessThanOrEqual(1e-9 * Math.abs(v));
          }
        });
      }
    }
  );

  it('refuses a variable name Python cannot take, and a bad bin width', () => {
    expect(() => profileLoadCode('class', 'x.csv')).toThrow(/not a valid Python variable name/);
    expect(() => profileRecomputeCode('2x', 'x.tif', { row: 1, col: 2 })).toThrow(/not a valid Python variable name/);
    expect(() => profileRecomputeCode('p', 'x.tif', { row: 1, col: 2 }, { binWidth: 0 })).toThrow(/bin width/);
  });
});
