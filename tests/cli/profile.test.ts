/**
 * Headless profile: `centerFile(path, { profile: true })` and `diffraction-center --profile`
 * return the radial profile about the found center (and the center's sigma).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeTiff } from '../../src/io/index.js';
import { centerFile, profilePeaks, radialProfile } from '../../src/node.js';
import { generatePattern } from '../synth/index.js';

const root = process.cwd();
const cli = path.join(root, 'lib', 'cli', 'diffraction-center.js');
let dir = '';

const pattern = generatePattern({
  kind: 'rings',
  height: 240,
  width: 256,
  seed: 21,
  center: { row: 118.4, col: 131.7 },
  beamBlock: { side: 'left' },
  hotPixels: 6,
  sampleType: 'uint16'
});

beforeAll(() => {
  execFileSync('flock', ['/tmp/build.lock', 'npm', 'run', 'build:lib'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(path.join(tmpdir(), 'diffraction-profile-'));
  writeFileSync(path.join(dir, 'rings.tif'), encodeTiff(pattern.image));
  writeFileSync(
    path.join(dir, 'rings_mask.tif'),
    encodeTiff({ height: 240, width: 256, data: pattern.mask, sampleType: 'uint8' })
  );
}, 300_000);

afterAll(() => {
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('headless radial profile', () => {
  it('centerFile(path, { profile: true }) adds the profile about the found center, with its peaks', async () => {
    const result = await centerFile(path.join(dir, 'rings.tif'), { profile: true });
    expect(result.maskSource).toBe('sibling');
    const profile = result.profile!;
    expect(profile.center).toEqual({ row: result.row, col: result.col });
    expect(profile.binWidth).toBe(1);
    expect(profile.statistic).toBe('mean');
    expect(profile.radius.length).toBe(profile.value.length);
    expect(profile.count.length).toBe(profile.value.length);
    // The same peaks as the profile about the true center, with the sibling mask and without
    // the hot pixels (which the engine's automatic mask finds).
    const valid = new Uint8Array(pattern.mask);
    for (const i of pattern.hotPixels) valid[i] = 0;
    const truth = profilePeaks(radialProfile(pattern.image, pattern.center, { mask: valid }));
    expect(truth.length).toBeGreaterThan(2);
    expect(profile.peaks.length).toBe(truth.length);
    profile.peaks.forEach((p, i) => expect(Math.abs(p.radius - truth[i].radius)).toBeLessThan(0.3));
    // The beam block (left, through the center) and the hot pixels are left out.
    const total = profile.count.reduce((s, c) => s + c, 0);
    const validCount = valid.reduce((s, v) => s + v, 0);
    expect(total).toBeLessThanOrEqual(validCount);
    expect(total).toBeGreaterThan(0.9 * validCount);
    expect(result.sigma).toHaveLength(2);
    expect(result.sigma![0]).toBeGreaterThan(0);
    // Without the option there is no profile.
    expect((await centerFile(path.join(dir, 'rings.tif'))).profile).toBeUndefined();
  });

  it('takes the bin width and the median', async () => {
    const result = await centerFile(path.join(dir, 'rings.tif'), { profile: { binWidth: 2, statistic: 'median' } });
    expect(result.profile!.binWidth).toBe(2);
    expect(result.profile!.statistic).toBe('median');
    expect(result.profile!.radius[3]).toBe(7);
  });

  it('diffraction-center --profile prints the peaks, and all bins with --json', () => {
    const text = spawnSync(process.execPath, [cli, path.join(dir, 'rings.tif'), '--profile'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/profile: \d+ bins of 1 px; \d+ peak\(s\) at r = [\d., ]+ px/);
    expect(text.stdout).toMatch(/sigma \(row, col\) = \([\d.e-]+, [\d.e-]+\) px/);
    const json = spawnSync(process.execPath, [cli, path.join(dir, 'rings.tif'), '--profile', '--json'], { encoding: 'utf8' });
    expect(json.status).toBe(0);
    const lines = json.stdout.trim().split('\n');
    const parsed = JSON.parse(lines[lines.length - 1]);
    expect(parsed.profile.radius.length).toBeGreaterThan(100);
    // Empty bins (under the beam block's disk) are null in JSON.
    expect(parsed.profile.value).toContain(null);
    expect(parsed.profile.peaks.length).toBeGreaterThan(2);
    expect(parsed.sigma).toHaveLength(2);
    const plain = spawnSync(process.execPath, [cli, path.join(dir, 'rings.tif'), '--json'], { encoding: 'utf8' });
    expect(JSON.parse(plain.stdout.trim().split('\n').pop()!).profile).toBeUndefined();
  });
});
