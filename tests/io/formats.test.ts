/**
 * The format readers against files written by other programs (mrcfile, fabio, h5py; MIB and
 * HyperSpy real files read with numpy/h5py): every pixel of every frame equals the source
 * array, and the header metadata comes through.
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openImage, type DiffractionImage, type ImageFile } from '../../src/io/index.js';
import { formatFixtures, formatsData, type FormatCase } from './format-fixtures.js';

const fx = formatFixtures();

function bytesOf(image: DiffractionImage): Uint8Array {
  return new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
}

async function open(c: FormatCase): Promise<ImageFile> {
  const path = c.file.startsWith('/') ? c.file : fx.path(c.file);
  const linked = (name: string): Uint8Array | undefined => {
    try {
      return new Uint8Array(readFileSync(join(dirname(path), name)));
    } catch {
      return undefined;
    }
  };
  return openImage(new Uint8Array(readFileSync(path)), basename(path), { linkedFile: linked });
}

const pixelCases = fx.cases.filter(c => c.frames);

test.each(pixelCases.map(c => [c.name, c] as const))('%s: every pixel of every frame equals the source', async (_, c) => {
  const file = await open(c);
  expect(file.info.format).toBe(c.format);
  expect(file.info.frames).toBe(c.frames!.length);
  expect(file.info.sampleType).toBe(c.sampleType);
  for (let i = 0; i < c.frames!.length; i++) {
    const frame = await file.readFrame(i);
    expect([frame.height, frame.width]).toEqual([c.frames![i].height, c.frames![i].width]);
    expect(frame.sampleType).toBe(c.sampleType);
    const got = bytesOf(frame);
    const expected = fx.read(c.frames![i].file);
    expect(got.length).toBe(expected.length);
    const firstDiff = got.findIndex((b, k) => b !== expected[k]);
    expect(firstDiff).toBe(-1);
  }
  await expect(file.readFrame(c.frames!.length)).rejects.toMatchObject({ code: 'frame-out-of-range' });
  file.close?.();
});

test('MRC: pixel size from the cell, byte order from the machine stamp', async () => {
  const le = await open(fx.case('mrc-mode2'));
  expect(le.info.metadata.pixelSize).toEqual({ row: { value: 2, unit: 'Å' }, col: { value: 1.5, unit: 'Å' } });
  expect(le.info.littleEndian).toBe(true);
  const be = await open(fx.case('mrc-big-endian'));
  expect(be.info.littleEndian).toBe(false);
  expect((await open(fx.case('mrc-mode12'))).info.notes.join(' ')).toMatch(/float16/);
});

test.each(['smv', 'cbf', 'nexus-master'])('%s: beam center, distance and wavelength from the header', async name => {
  const c = fx.case(name);
  const file = await open(c);
  const m = file.info.metadata;
  expect(m.beamCenter?.row).toBeCloseTo(Number(c.info!.beamRow), 6);
  expect(m.beamCenter?.col).toBeCloseTo(Number(c.info!.beamCol), 6);
  expect(m.detectorDistance?.value).toBeCloseTo(Number(c.info!.distance), 6);
  expect(m.wavelength?.value).toBeCloseTo(Number(c.info!.wavelength), 6);
  file.close?.();
});

test('CBF: gaps (-1) and bad pixels (-2) stay as sentinels', async () => {
  const frame = await (await open(fx.case('cbf'))).readFrame(0);
  expect(frame.data[0]).toBe(-1);
  expect(frame.data[5 * frame.width + 7]).toBe(-2);
  expect(frame.data[10 * frame.width + 10]).toBe(1_000_000);
});

test.each(['emd-berkeley', 'emd-velox', 'nexus-master', 'hspy', 'hspy-real'])('%s: the image dataset is chosen automatically', async name => {
  const c = fx.case(name);
  const file = await open(c);
  expect(file.info.dataset).toBe(c.info!.dataset);
  expect(file.info.datasets!.map(d => d.path)).toContain(c.info!.dataset);
  file.close?.();
});

test('HDF5: looking for metadata never goes through a missing group or a dataset (HDF5 would print errors)', async () => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    for (const name of ['hdf5-root-dataset', 'hspy', 'emd-berkeley']) {
      const file = await open(fx.case(name));
      expect(file.info.dataset).toBe(name === 'hdf5-root-dataset' ? '/only' : file.info.dataset);
      file.close?.();
    }
    expect(errors.mock.calls.map(c => String(c[0])).filter(t => /HDF5-DIAG/.test(t))).toEqual([]);
  } finally {
    errors.mockRestore();
  }
});

test('HDF5: the caller picks another dataset; an unknown one is refused', async () => {
  const c = fx.case('emd-berkeley');
  const bytes = fx.read(c.file);
  const thumb = await openImage(bytes, 'berkeley.emd', { dataset: '/data/thumbnail' });
  expect([thumb.info.height, thumb.info.width, thumb.info.frames]).toEqual([16, 16, 1]);
  expect(thumb.info.sampleType).toBe('uint8');
  thumb.close?.();
  await expect(openImage(bytes, 'berkeley.emd', { dataset: '/nope' })).rejects.toMatchObject({
    name: 'FormatError',
    code: 'no-such-dataset'
  });
});

test('HyperSpy: voltage, camera length and calibrated pixel size', async () => {
  const file = await open(fx.case('hspy-real'));
  expect(file.info.metadata.voltage).toEqual({ value: 200, unit: 'kV' });
  expect(file.info.metadata.cameraLength?.value).toBe(510);
  file.close?.();
});

describe('real files', () => {
  const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(formatsData, name)));

  test('bismuth.dm3 and bismuth.dm4: the same 256 × 256 int8 image, not the thumbnail', async () => {
    const dm3 = await openImage(read('bismuth.dm3'), 'bismuth.dm3');
    const dm4 = await openImage(read('bismuth.dm4'), 'bismuth.dm4');
    expect(dm3.info).toMatchObject({ format: 'dm3', width: 256, height: 256, frames: 1, sampleType: 'int8' });
    expect(dm4.info).toMatchObject({ format: 'dm4', width: 256, height: 256, frames: 1, sampleType: 'int8' });
    const a = await dm3.readFrame(0);
    const b = await dm4.readFrame(0);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    // A real pattern, not a constant.
    expect(new Set(a.data).size).toBeGreaterThan(50);
  });

  test('the 67 MB all-zero float32 DM4 reads as zeros', async () => {
    const { gunzipSync } = await import('node:zlib');
    const bytes = gunzipSync(readFileSync(join(formatsData, 'Gatan_float32_zero_array_001.dm4.gz')));
    const file = await openImage(bytes, 'zero.dm4');
    expect(file.info.sampleType).toBe('float32');
    const frame = await file.readFrame(0);
    expect(frame.data.every(v => v === 0)).toBe(true);
  });

  test('eiger_master.h5 without its data file: linked-file-missing naming the file', async () => {
    const error = await openImage(read('eiger_master.h5'), 'eiger_master.h5', { linkedFile: () => undefined }).catch(e => e);
    expect(error).toMatchObject({ name: 'FormatError', code: 'linked-file-missing', format: 'hdf5' });
    expect(error.message).toMatch(/dectris_eiger_data_000001\.h5|_data_0+1\.h5/);
  });

  test('a generated NeXus master whose data file is absent: linked-file-missing', async () => {
    const c = fx.case('nexus-missing');
    await expect(open(c)).rejects.toMatchObject({ code: 'linked-file-missing' });
  });
});
