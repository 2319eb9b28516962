/**
 * encodeTiff round trips: every sample type, multi-page stacks, strings, through `openTiff`.
 */
import { encodeTiff, openTiff, TiffError } from '../../src/io/index.js';
import type { DiffractionImage, SampleType } from '../../src/io/index.js';
import { ARRAY_TYPES } from '../../src/io/typed.js';

/** Deterministic pseudo-random values covering each type's range (including negatives, NaN). */
function makeFrame(sampleType: SampleType, height: number, width: number, seed: number): DiffractionImage {
  const n = height * width;
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const data = new ARRAY_TYPES[sampleType](n);
  const spans: Record<SampleType, [number, number]> = {
    bool: [0, 2],
    uint8: [0, 256],
    int8: [-128, 256],
    uint16: [0, 65536],
    int16: [-32768, 65536],
    uint32: [0, 2 ** 32],
    int32: [-(2 ** 31), 2 ** 32],
    float32: [-1e6, 2e6],
    float64: [-1e12, 2e12]
  };
  const [lo, span] = spans[sampleType];
  for (let i = 0; i < n; i++) {
    const v = lo + next() * span;
    data[i] = sampleType.startsWith('float') ? v : Math.floor(v);
  }
  if (sampleType.startsWith('float')) {
    data[0] = NaN;
    data[1] = -Infinity;
    data[2] = -1; // detector gap sentinel
  }
  return { height, width, data, sampleType };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const TYPES: SampleType[] = [
  'bool',
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'float32',
  'float64'
];

describe('encodeTiff', () => {
  test.each(TYPES)('round trips a %s frame value for value', async sampleType => {
    // 300 columns of 8-byte samples exceed one 64 KiB strip: several strips are written.
    const frame = makeFrame(sampleType, 97, 300, 7);
    const file = await openTiff(toArrayBuffer(encodeTiff(frame)));
    const expectedType = sampleType === 'bool' ? 'uint8' : sampleType;
    expect(file.info.width).toBe(300);
    expect(file.info.height).toBe(97);
    expect(file.info.frames).toBe(1);
    expect(file.info.sampleType).toBe(expectedType);
    const back = await file.readFrame(0);
    expect(back.sampleType).toBe(expectedType);
    expect(back.height).toBe(97);
    expect(back.width).toBe(300);
    expect(back.data.constructor).toBe(frame.data.constructor);
    expect(Array.from(back.data)).toEqual(Array.from(frame.data));
  });

  test('writes bool masks as uint8 0/1', async () => {
    const mask = makeFrame('bool', 5, 7, 3);
    const back = await (await openTiff(toArrayBuffer(encodeTiff(mask)))).readFrame(0);
    expect(new Set(back.data)).toEqual(new Set([0, 1]));
  });

  test('writes a multi-page stack, each page read back on demand', async () => {
    const frames = [0, 1, 2, 3, 4].map(i => makeFrame('uint16', 40, 33, 100 + i));
    const bytes = encodeTiff(frames, { description: '{"shape": [5, 40, 33]}', software: 'tests' });
    const file = await openTiff(toArrayBuffer(bytes));
    expect(file.info.frames).toBe(5);
    expect(file.info.description).toBe('{"shape": [5, 40, 33]}');
    expect(file.info.software).toBe('tests');
    for (const i of [3, 0, 4, 1, 2]) {
      const back = await file.readFrame(i);
      expect(Array.from(back.data)).toEqual(Array.from(frames[i].data));
    }
  });

  test('writes UTF-8 descriptions', async () => {
    const text = 'Å sample, 2θ = 30°';
    const file = await openTiff(toArrayBuffer(encodeTiff(makeFrame('uint8', 2, 2, 1), { description: text })));
    expect(file.info.description).toBe(text);
  });

  test('writes a valid header and word-aligned IFDs', () => {
    const bytes = encodeTiff([makeFrame('uint8', 3, 3, 1), makeFrame('uint8', 3, 3, 2)]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('II');
    expect(view.getUint16(2, true)).toBe(42);
    const first = view.getUint32(4, true);
    expect(first % 2).toBe(0);
    const count = view.getUint16(first, true);
    const second = view.getUint32(first + 2 + 12 * count, true);
    expect(second % 2).toBe(0);
    expect(second).toBeGreaterThan(first);
    const last = view.getUint32(second + 2 + 12 * view.getUint16(second, true), true);
    expect(last).toBe(0);
  });

  test('refuses inconsistent frames with a TiffError', () => {
    expect(() => encodeTiff([])).toThrow(TiffError);
    const bad = { height: 4, width: 4, data: new Uint16Array(15), sampleType: 'uint16' as const };
    expect(() => encodeTiff(bad)).toThrow(/15 values, expected 4 x 4/);
    const wrongArray = { height: 2, width: 2, data: new Uint8Array(4), sampleType: 'float32' as const };
    expect(() => encodeTiff(wrongArray)).toThrow(TiffError);
    const zero = { height: 0, width: 4, data: new Uint8Array(0), sampleType: 'uint8' as const };
    expect(() => encodeTiff(zero)).toThrow(/invalid dimensions/);
  });
});
