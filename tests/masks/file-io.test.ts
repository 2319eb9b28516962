import {
  base64ToArrayBuffer,
  bytesToBase64,
  encodeTiff,
  maskFromImage,
  maskPathFor,
  openTiff,
  siblingMaskPaths
} from '../../src/io/index.js';

describe('mask file names', () => {
  it('finds NAME_mask.tif and .tiff beside the image', () => {
    expect(siblingMaskPaths('data/graphite.tif')).toEqual(['data/graphite_mask.tif', 'data/graphite_mask.tiff']);
    expect(siblingMaskPaths('x.TIFF')).toEqual(['x_mask.tif', 'x_mask.tiff']);
  });

  it('does not look for a mask of a mask, nor of other files', () => {
    expect(siblingMaskPaths('data/graphite_mask.tif')).toEqual([]);
    expect(siblingMaskPaths('notes.txt')).toEqual([]);
  });

  it('saves next to the image', () => {
    expect(maskPathFor('a/b.tiff')).toBe('a/b_mask.tif');
  });
});

describe('maskFromImage', () => {
  it('maps non-zero to valid and zero/NaN to masked', () => {
    const image = { height: 2, width: 3, sampleType: 'float32' as const, data: new Float32Array([0, 1, 5, NaN, -1, 0]) };
    expect(Array.from(maskFromImage(image, 2, 3, 'm.tif'))).toEqual([0, 1, 1, 0, 1, 0]);
  });

  it('refuses the wrong shape, naming both shapes and the file', () => {
    const image = { height: 2, width: 2, sampleType: 'uint8' as const, data: new Uint8Array(4).fill(1) };
    expect(() => maskFromImage(image, 4, 4, 'm.tif')).toThrow('m.tif is 2 × 2 but the image is 4 × 4; a mask must have the shape of its image.');
  });

  it('refuses a mask that masks everything', () => {
    const image = { height: 2, width: 2, sampleType: 'uint8' as const, data: new Uint8Array(4) };
    expect(() => maskFromImage(image, 2, 2, 'm.tif')).toThrow(/masks every pixel/);
  });
});

describe('mask TIFF through base64, as the contents API carries it', () => {
  it('round-trips a mask', async () => {
    const mask = new Uint8Array(7 * 5);
    for (let i = 0; i < mask.length; i++) mask[i] = (i * 7) % 3 ? 1 : 0;
    const bytes = encodeTiff({ height: 7, width: 5, data: mask, sampleType: 'uint8' });
    const text = bytesToBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    const tiff = await openTiff(base64ToArrayBuffer(text));
    const back = maskFromImage(await tiff.readFrame(0), 7, 5, 'm.tif');
    expect(Array.from(back)).toEqual(Array.from(mask));
  });
});
