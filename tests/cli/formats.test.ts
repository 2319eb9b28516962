/**
 * The CLI and the Node API on every format (issue 16): each file centers with exactly the result
 * of the same pixels written as a TIFF; the header's metadata and beam center come back beside
 * the center; a sibling `NAME_mask.tif` works for any format; refusals are typed and exit 1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { centerFile, CenterError, FormatError } from '../../src/node.js';
import { formatFixtures, formatsData } from '../io/format-fixtures.js';
import { sharedData } from '../io/fixtures.js';

const root = process.cwd();
const cli = path.join(root, 'lib', 'cli', 'diffraction-center.js');
const fx = formatFixtures();
let dir = '';

function run(...args: string[]) {
  const out = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

function lastJson(stdout: string) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const file = (c: { file: string }): string => (path.isAbsolute(c.file) ? c.file : fx.path(c.file));

beforeAll(() => {
  execFileSync('flock', ['/tmp/build.lock', 'npm', 'run', 'build:lib'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(path.join(tmpdir(), 'diffraction-formats-cli-'));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const twins = fx.cases.filter(c => c.twin);

test.each(twins.map(c => [c.name, c] as const))('%s centers from the CLI exactly as the same pixels in a TIFF', (_, c) => {
  const a = run(file(c), '--json', '--no-mask');
  const b = run(fx.path(c.twin!), '--json', '--no-mask');
  expect(a.stderr).toBe('');
  expect(a.status).toBe(0);
  expect(b.status).toBe(0);
  const ra = lastJson(a.stdout);
  const rb = lastJson(b.stdout);
  expect(ra.format).toBe(c.format);
  expect(rb.format).toBe('tiff');
  expect([ra.row, ra.col, ra.score]).toEqual([rb.row, rb.col, rb.score]);
}, 120_000);

test('SMV: the header beam center and metadata in the JSON and in the text output', () => {
  const c = fx.case('smv');
  const json = lastJson(run(file(c), '--json').stdout);
  expect(json.metadata.beamCenter.row).toBeCloseTo(Number(c.info!.beamRow), 6);
  expect(json.metadata.beamCenter.col).toBeCloseTo(Number(c.info!.beamCol), 6);
  expect(json.metadata.detectorDistance).toEqual({ value: 150, unit: 'mm' });
  const text = run(file(c)).stdout;
  expect(text).toMatch(/header beam center \(row, col\) = \(256\.000, 310\.000\), [\d.]+ px from the found center/);
  expect(text).toMatch(/header: pixel 0\.1 mm, distance 150 mm, wavelength 0\.9795 Å/);
}, 60_000);

test('a sibling NAME_mask.tif is used for an MRC file as for a TIFF', () => {
  const mrc = path.join(dir, 'graphite.mrc');
  copyFileSync(fx.path('graphite-mode6.mrc'), mrc);
  copyFileSync(path.join(sharedData, 'graphite_mask.tif'), path.join(dir, 'graphite_mask.tif'));
  const withMask = lastJson(run(mrc, '--json').stdout);
  expect(withMask.maskSource).toBe('sibling');
  expect(withMask.mask).toBe(path.join(dir, 'graphite_mask.tif'));
  // The same as the TIFF twin with the same mask given explicitly.
  const tiff = lastJson(run(fx.path(fx.case('mrc-mode6').twin!), '--json', '--mask', path.join(sharedData, 'graphite_mask.tif')).stdout);
  expect([withMask.row, withMask.col]).toEqual([tiff.row, tiff.col]);
  expect(withMask.maskedPixels).toBe(tiff.maskedPixels);
}, 60_000);

test('HDF5: --dataset picks another dataset; an unknown one exits 1 with no-such-dataset', () => {
  const c = fx.case('emd-berkeley');
  const out = run(file(c), '--dataset', '/data/nothing');
  expect(out.status).toBe(1);
  expect(out.stderr).toMatch(/no such dataset: \/data\/nothing .*\(no-such-dataset\)/);
  const ok = run(file(c), '--dataset', '/data/diffraction/data', '--frame', '1', '--json');
  expect(ok.status).toBe(0);
  expect(lastJson(ok.stdout)).toMatchObject({ dataset: '/data/diffraction/data', frame: 1 });
}, 60_000);

test('the all-zero 67 MB DM4: exit 1 with a clear "all-zero image" error', () => {
  const zero = path.join(dir, 'zero.dm4');
  writeFileSync(zero, gunzipSync(readFileSync(path.join(formatsData, 'Gatan_float32_zero_array_001.dm4.gz'))));
  const out = run(zero);
  expect(out.status).toBe(1);
  expect(out.stderr).toMatch(/^diffraction-center: all-zero image: every pixel of .*zero\.dm4 is 0.*\(no-signal\)\n$/);
}, 120_000);

test('the Eiger master without its data file: exit 1 naming the missing file', () => {
  const out = run(path.join(formatsData, 'eiger_master.h5'));
  expect(out.status).toBe(1);
  expect(out.stderr).toMatch(/linked file missing: .*"dectris_eiger_data_000001\.h5".*\(linked-file-missing\)/);
}, 60_000);

test('a file of no known format: exit 1 with unknown-format', () => {
  const junk = path.join(dir, 'junk.xyz');
  writeFileSync(junk, new Uint8Array(4096).fill(3));
  const out = run(junk);
  expect(out.status).toBe(1);
  expect(out.stderr).toMatch(/unknown format: .*\(unknown-format\)/);
});

describe('Node API', () => {
  test('centerFile returns the format, the header metadata and the dataset beside the center', async () => {
    const c = fx.case('nexus-master');
    const result = await centerFile(file(c), { mask: null });
    expect(result.format).toBe('hdf5');
    expect(result.dataset).toBe('/entry/data/data_000001');
    expect(result.metadata.beamCenter).toMatchObject({ row: 250, col: 300 });
    expect(result.notes.join(' ')).toMatch(/linked file "nxmx_data_000001\.h5"/);
  }, 60_000);

  test('refusals are typed: FormatError from the readers, CenterError for an all-zero image', async () => {
    await expect(centerFile(path.join(formatsData, 'eiger_master.h5'))).rejects.toBeInstanceOf(FormatError);
    const zero = path.join(dir, 'zero-api.mrc');
    const bytes = fx.read('graphite-mode6.mrc');
    bytes.fill(0, 1024);
    writeFileSync(zero, bytes);
    const error = await centerFile(zero).catch(e => e);
    expect(error).toBeInstanceOf(CenterError);
    expect(error).toMatchObject({ code: 'no-signal', message: expect.stringMatching(/^all-zero image/) });
  }, 60_000);
});
