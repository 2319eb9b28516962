/**
 * The CLI end to end: build lib/ (under the shared build lock), write generated TIFFs to a
 * temporary folder, run `node lib/cli/diffraction-center.js` on them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeTiff } from '../../src/io/index.js';
import { generatePattern } from '../synth/index.js';

const root = process.cwd();
const cli = path.join(root, 'lib', 'cli', 'diffraction-center.js');
let dir = '';

function run(...args: string[]) {
  const out = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

function lastJson(stdout: string) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const pattern = generatePattern({
  kind: 'hexagonal',
  height: 200,
  width: 220,
  seed: 12,
  center: { row: 97.35, col: 113.8 },
  beamBlock: { side: 'top' },
  hotPixels: 4,
  sampleType: 'uint16'
});
const second = generatePattern({ kind: 'rings', height: 200, width: 220, seed: 13, center: { row: 104.6, col: 101.2 }, sampleType: 'uint16' });

beforeAll(() => {
  execFileSync('flock', ['/tmp/build.lock', 'npm', 'run', 'build:lib'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(path.join(tmpdir(), 'diffraction-cli-'));
  writeFileSync(path.join(dir, 'spots.tif'), encodeTiff(pattern.image));
  writeFileSync(
    path.join(dir, 'spots_mask.tif'),
    encodeTiff({ height: 200, width: 220, data: pattern.mask, sampleType: 'uint8' })
  );
  writeFileSync(path.join(dir, 'stack.tif'), encodeTiff([pattern.image, second.image]));
  writeFileSync(
    path.join(dir, 'small_mask.tif'),
    encodeTiff({ height: 10, width: 10, data: new Uint8Array(100).fill(1), sampleType: 'uint8' })
  );
}, 300_000);

afterAll(() => {
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('diffraction-center CLI', () => {
  it('prints the center as JSON on the last line and uses IMAGE_mask.tif beside the image', () => {
    const out = run(path.join(dir, 'spots.tif'), '--json');
    expect(out.status).toBe(0);
    const result = lastJson(out.stdout);
    expect(Math.abs(result.row - 97.35)).toBeLessThan(0.1);
    expect(Math.abs(result.col - 113.8)).toBeLessThan(0.1);
    expect(result.file).toBe(path.join(dir, 'spots.tif'));
    expect(result.mask).toBe(path.join(dir, 'spots_mask.tif'));
    expect(result.maskSource).toBe('sibling');
    for (const key of ['score', 'roughRow', 'roughCol', 'iterations', 'ms', 'warnings', 'maskedPixels']) {
      expect(result).toHaveProperty(key);
    }
    expect(result.maskedPixels).toBeGreaterThan(1000);
  });

  it('says which mask it used in the text output', () => {
    const out = run(path.join(dir, 'spots.tif'));
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/center \(row, col\) = \(97\.\d+, 113\.\d+\)/);
    expect(out.stdout).toContain('spots_mask.tif (found beside the image)');
  });

  it('takes --mask, --no-mask, --auto-mask and --frame', () => {
    const explicit = lastJson(run(path.join(dir, 'spots.tif'), '--mask', path.join(dir, 'spots_mask.tif'), '--json').stdout);
    expect(explicit.maskSource).toBe('option');
    const none = lastJson(run(path.join(dir, 'spots.tif'), '--no-mask', '--json').stdout);
    expect(none.mask).toBeNull();
    expect(none.maskedPixels).toBeLessThan(explicit.maskedPixels);
    const dark = lastJson(run(path.join(dir, 'spots.tif'), '--no-mask', '--auto-mask', '--json').stdout);
    expect(dark.maskedPixels).toBeGreaterThan(none.maskedPixels);
    const frame1 = lastJson(run(path.join(dir, 'stack.tif'), '--frame', '1', '--json').stdout);
    expect(frame1.frame).toBe(1);
    expect(Math.abs(frame1.row - 104.6)).toBeLessThan(0.1);
    expect(Math.abs(frame1.col - 101.2)).toBeLessThan(0.1);
  });

  it('fails with a message on stderr and a non-zero status', () => {
    const missing = run(path.join(dir, 'nope.tif'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.tif/);
    const usage = run('--frame');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage/);
    const noImage = run();
    expect(noImage.status).toBe(2);
    const badFrame = run(path.join(dir, 'stack.tif'), '--frame', '5');
    expect(badFrame.status).toBe(1);
    expect(badFrame.stderr).toMatch(/frame 5/);
    const badMask = run(path.join(dir, 'spots.tif'), '--mask', path.join(dir, 'small_mask.tif'));
    expect(badMask.status).toBe(1);
    expect(badMask.stderr).toMatch(/mask/);
    const notTiff = run(cli);
    expect(notTiff.status).toBe(1);
  });

  it('refuses a mask whose height × width differs even when the pixel count is the same', () => {
    // spots.tif is 200 × 220; a 220 × 200 mask holds the same number of pixels.
    const transposed = path.join(dir, 'transposed_mask.tif');
    writeFileSync(
      transposed,
      encodeTiff({ height: 220, width: 200, data: new Uint8Array(220 * 200).fill(1), sampleType: 'uint8' })
    );
    const out = run(path.join(dir, 'spots.tif'), '--mask', transposed);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('is 220 × 200 but the image is 200 × 220');
    expect(out.stderr).toContain('(mask-shape)');
  });

  it('says what the reader did to an RGB file (luminance), in text and JSON', () => {
    // Written by tifffile (an independent writer): the pattern as a gray RGB image.
    const rgbPath = path.join(dir, 'rgb.tif');
    const raw = path.join(dir, 'rgb.raw');
    writeFileSync(raw, Buffer.from(pattern.image.data.buffer));
    execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, numpy as np, tifffile; a = np.fromfile(sys.argv[1], "<u2").reshape(200, 220); ' +
        'tifffile.imwrite(sys.argv[2], np.stack([a, a, a], -1), photometric="rgb")',
      raw,
      rgbPath
    ]);
    const text = run(rgbPath, '--no-mask');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/note: .*luminance/i);
    const json = lastJson(run(rgbPath, '--no-mask', '--json').stdout);
    expect(json.notes.join(' ')).toMatch(/luminance/i);
    expect(Math.hypot(json.row - 97.35, json.col - 113.8)).toBeLessThan(0.5);
  });
});
