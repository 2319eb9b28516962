/**
 * openTiff on the generated fixtures: every sample type x compression x predictor x byte order
 * x strips/tiles x classic/BigTIFF, masks, stacks, RGB, half floats, tags and the real images,
 * each decoded frame compared byte for byte (or within a stated tolerance) with the array the
 * file was written from.
 */
import { openTiff, TiffError } from '../../src/io/index.js';
import type { DiffractionImage, TiffFile } from '../../src/io/index.js';
import { fixtures, sharedData, type FixtureCase } from './fixtures.js';
import { existsSync } from 'node:fs';

const fx = fixtures();
const byGroup = (group: string): FixtureCase[] => fx.cases.filter(c => c.group === group);

function bytesOf(image: DiffractionImage): Uint8Array {
  return new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
}

function checkInfo(file: TiffFile, c: FixtureCase): void {
  const { notesInclude, descriptionStartsWith, ...fields } = (c.info ?? {}) as Record<string, unknown>;
  expect(file.info).toMatchObject(fields);
  if (notesInclude) {
    expect(file.info.notes.join('\n')).toContain(notesInclude as string);
  }
  if (c.group === 'stack' && !c.oddFrames) {
    expect(file.info.notes.join('\n')).not.toMatch(/differ/);
  }
  if (descriptionStartsWith) {
    expect(file.info.description?.startsWith(descriptionStartsWith as string)).toBe(true);
  }
}

async function checkFrames(c: FixtureCase): Promise<void> {
  const file = await openTiff(fx.read(c));
  checkInfo(file, c);
  expect(file.info.sampleType).toBe(c.sampleType);
  for (let i = 0; i < c.frames!.length; i++) {
    const frame = await file.readFrame(i);
    const expected = fx.expected(c.frames![i]);
    expect(frame.sampleType).toBe(c.sampleType);
    expect([frame.height, frame.width]).toEqual([c.frames![i].height, c.frames![i].width]);
    expect(frame.data.length).toBe(frame.height * frame.width);
    if (!c.tolerance) {
      const got = bytesOf(frame);
      expect(got.length).toBe(expected.length);
      // Byte equality: NaN payloads, -0 and sentinels included.
      const firstDiff = got.findIndex((b, k) => b !== expected[k]);
      expect(firstDiff).toBe(-1);
    } else {
      const want = c.sampleType === 'float64'
        ? new Float64Array(expected.buffer, expected.byteOffset, expected.length / 8)
        : new Float32Array(expected.buffer, expected.byteOffset, expected.length / 4);
      let worst = 0;
      for (let k = 0; k < want.length; k++) {
        worst = Math.max(worst, Math.abs(frame.data[k] - want[k]) / Math.max(1, Math.abs(want[k])));
      }
      expect(worst).toBeLessThanOrEqual(c.tolerance);
    }
  }
}

describe('fixture matrix: sample type x codec x predictor x byte order x layout x container', () => {
  const cases = byGroup('matrix');
  test('covers 8 sample types, 4 codecs, both predictors, LE/BE, strips/tiles, TIFF/BigTIFF', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8 * 6 * 8);
    const seen = (k: string): Set<unknown> => new Set(cases.map(c => c.info![k]));
    expect(seen('sampleType').size).toBe(8);
    expect(seen('compression')).toEqual(new Set(['none', 'lzw', 'deflate', 'packbits']));
    expect(seen('predictor')).toEqual(new Set([undefined, 'horizontal', 'floating-point']));
    expect(seen('littleEndian')).toEqual(new Set([true, false]));
    expect(seen('tiled')).toEqual(new Set([true, false]));
    expect(seen('bigTiff')).toEqual(new Set([true, false]));
  });
  test.each(cases.map(c => [c.name, c]))('%s', async (_name, c) => {
    await checkFrames(c as FixtureCase);
  });
});

describe.each(['mask', 'rgb', 'float16', 'tags'])('fixtures: %s', group => {
  test.each(byGroup(group).map(c => [c.name, c]))('%s', async (_name, c) => {
    await checkFrames(c as FixtureCase);
  });
});

describe('planar pages whose planes are frames (tifffile writes a 3- or 4-frame stack as planar "RGB(A)")', () => {
  const cases = byGroup('planes');
  test('tifffile defaults, axes, 5 pages, ImageJ header and min-is-black planes are among them', () => {
    expect(cases.map(c => c.name).sort()).toEqual([
      'planes-imagej-header-uint8',
      'planes-minisblack-uint16',
      'planes-tifffile-axes-TYX',
      'planes-tifffile-float32x4',
      'planes-tifffile-int16-5pages',
      'planes-tifffile-uint16x3',
      'planes-tifffile-uint8x3'
    ]);
  });
  test.each(cases.map(c => [c.name, c]))('%s: every plane is a frame, value for value', async (_name, c) => {
    await checkFrames(c as FixtureCase);
    const file = await openTiff(fx.read(c as FixtureCase));
    expect(file.info.notes.join('\n')).not.toMatch(/luminance|only the first is read/);
  });

  test('frame 2 of the tifffile 3-frame uint16 stack: its own metadata, not frame 0', async () => {
    const c = fx.cases.find(k => k.name === 'planes-tifffile-uint16x3')!;
    const file = await openTiff(fx.read(c));
    expect(file.frameInfo(2)).toMatchObject({ index: 2, width: 50, height: 40, sampleType: 'uint16' });
    await expect(file.readFrame(3)).rejects.toMatchObject({ code: 'frame-out-of-range' });
  });

  test('planar RGB that says so (axes S, or RGB without a shape description) stays colour', async () => {
    for (const name of ['rgb-uint8-planar', 'rgb-uint16-planar-no-description']) {
      const file = await openTiff(fx.read(fx.cases.find(k => k.name === name)!));
      expect(file.info.frames).toBe(1);
      expect(file.info.notes.join('\n')).toContain('RGB converted to luminance');
    }
  });
});

describe('stacks', () => {
  test.each(byGroup('stack').map(c => [c.name, c]))('%s: every frame on demand', async (_name, c) => {
    await checkFrames(c as FixtureCase);
  });

  test('frames read in any order, repeatedly, give the same data', async () => {
    const c = fx.cases.find(k => k.name === 'stack-uint16-lzw')!;
    const file = await openTiff(fx.read(c));
    for (const i of [6, 0, 3, 3, 1]) {
      expect(bytesOf(await file.readFrame(i))).toEqual(fx.expected(c.frames![i]));
    }
  });

  test('per-frame metadata', async () => {
    const c = fx.cases.find(k => k.name === 'stack-per-frame-descriptions')!;
    const file = await openTiff(fx.read(c));
    c.frameDescriptions!.forEach((d, i) => {
      const info = file.frameInfo(i);
      expect(info.description).toBe(d);
      expect(info.index).toBe(i);
      expect([info.height, info.width, info.sampleType]).toEqual([20, 24, 'int16']);
    });
  });

  test('a page of another size is named in the notes and refused by readFrame', async () => {
    const c = fx.cases.find(k => k.name === 'stack-mixed-sizes')!;
    const file = await openTiff(fx.read(c));
    expect(file.info.frames).toBe(3);
    expect(file.info.notes.join('\n')).toMatch(/frame 2 differs in size/);
    await expect(file.readFrame(1)).resolves.toMatchObject({ height: 20, width: 24 });
    await expect(file.readFrame(2)).rejects.toMatchObject({ code: 'bad-dimensions' });
    await expect(file.readFrame(2)).rejects.toThrow(/frame 2 is 10 x 12 pixels, not 20 x 24/);
    expect(file.frameInfo(2).error).toMatch(/not part of the stack/);
  });

  test('out-of-range frames are refused', async () => {
    const file = await openTiff(fx.read(fx.cases.find(k => k.name === 'stack-uint16')!));
    for (const i of [-1, 7, 1.5, NaN]) {
      await expect(file.readFrame(i)).rejects.toMatchObject({ code: 'frame-out-of-range' });
      expect(() => file.frameInfo(i)).toThrow(TiffError);
    }
  });
});

describe('refused compressions (real files written by libtiff)', () => {
  const cases = byGroup('refuse');
  test('JPEG and CCITT are among them', () => {
    const names = cases.map(c => c.name);
    expect(names).toEqual(expect.arrayContaining(['refuse-jpeg', 'refuse-ccitt-g4']));
  });
  test.each(cases.map(c => [c.name, c]))('%s', async (_name, c) => {
    const k = c as FixtureCase;
    const attempt = openTiff(fx.read(k));
    await expect(attempt).rejects.toBeInstanceOf(TiffError);
    await expect(attempt).rejects.toMatchObject({ code: k.error });
    await expect(attempt).rejects.toThrow(/unsupported compression: frame 0 uses (JPEG|CCITT Group [34] fax|Zstandard|LZMA)/);
  });
});

describe('the real diffraction images of ../shared/data', () => {
  test('are present (CI always has them)', () => {
    expect(existsSync(sharedData)).toBe(true);
    expect(byGroup('real').map(c => c.name).sort()).toEqual([
      'real-ewald_walkoff',
      'real-ewald_walkoff_mask',
      'real-graphite',
      'real-graphite_mask'
    ]);
  });
  test.each(byGroup('real').map(c => [c.name, c]))('%s matches tifffile value for value', async (_name, c) => {
    await checkFrames(c as FixtureCase);
  });
});
