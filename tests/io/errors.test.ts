/**
 * Bad input: each problem gives a TiffError with a specific code and a message naming it,
 * before any large allocation. Inputs are files from `encodeTiff` with single, explicit edits.
 */
import { encodeTiff, openTiff, TiffError } from '../../src/io/index.js';
import type { TiffErrorCode } from '../../src/io/index.js';
import { deflate } from 'pako';
import { deflateDecoder, lzwDecode, packbitsDecode } from '../../src/io/codecs.js';

function image(height = 16, width = 12, frames = 1): Uint8Array {
  const list = Array.from({ length: frames }, (_, f) => {
    const data = new Uint16Array(height * width).map((_, i) => (i * 7 + f * 1000) & 0xffff);
    return { height, width, data, sampleType: 'uint16' as const };
  });
  return encodeTiff(list);
}

/** Offset of an IFD entry of a little-endian classic TIFF (the writer's format). */
function entryOffset(bytes: Uint8Array, tag: number, ifd = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = view.getUint32(4, true);
  for (let i = 0; i < ifd; i++) {
    offset = view.getUint32(offset + 2 + 12 * view.getUint16(offset, true), true);
  }
  const n = view.getUint16(offset, true);
  for (let i = 0; i < n; i++) {
    const at = offset + 2 + 12 * i;
    if (view.getUint16(at, true) === tag) {
      return at;
    }
  }
  throw new Error(`tag ${tag} not found`);
}

/** Set the (single, inline) value of a tag. */
function patch(bytes: Uint8Array, tag: number, value: number, ifd = 0): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const at = entryOffset(copy, tag, ifd);
  if (view.getUint16(at + 2, true) === 3) {
    view.setUint16(at + 8, value, true);
  } else {
    view.setUint32(at + 8, value, true);
  }
  return copy;
}

async function refused(bytes: Uint8Array, code: TiffErrorCode, message: RegExp, options = {}): Promise<void> {
  let error: unknown;
  try {
    const file = await openTiff(bytes, options);
    await file.readFrame(0);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TiffError);
  expect((error as TiffError).code).toBe(code);
  expect((error as TiffError).message).toMatch(message);
}

describe('refusing bad files', () => {
  test('empty file', () => refused(new Uint8Array(0), 'not-tiff', /the file is empty/));

  test('wrong magic (a PNG)', () =>
    refused(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'not-tiff', /starts with 89 50 4e 47/));

  test('wrong TIFF version', () => {
    const bytes = image();
    bytes[2] = 41;
    return refused(bytes, 'not-tiff', /version 41, not 42 \(TIFF\) or 43 \(BigTIFF\)/);
  });

  test('header cut short', () => refused(image().subarray(0, 5), 'truncated', /only 5 bytes, less than a header/));

  test('first IFD past the end', () => {
    const bytes = image();
    new DataView(bytes.buffer).setUint32(4, 10_000_000, true);
    return refused(bytes, 'truncated', /directory of frame 0 is at byte 10000000, past the end/);
  });

  test('file truncated inside the pixel data', () => {
    const bytes = image(64, 64);
    // The writer puts the IFD first, pixels after: cut half the pixels.
    return refused(bytes.subarray(0, bytes.length - 4000), 'truncated', /strip 0 of frame 0 lies at bytes \d+–\d+, past the end of the file/);
  });

  test('file truncated inside the directory', () => {
    const bytes = image();
    const ifd = new DataView(bytes.buffer).getUint32(4, true);
    return refused(bytes.subarray(0, ifd + 40), 'truncated', /directory of frame 0 \(11 entries at byte 8\) runs past the end/);
  });

  test('an IFD with an absurd entry count', () => {
    const bytes = image();
    new DataView(bytes.buffer).setUint16(8, 65535, true);
    return refused(bytes, 'truncated', /65535 entries/);
  });

  test('zero width', () => refused(patch(image(), 256, 0), 'bad-dimensions', /frame 0 is 16 x 0 pixels/));
  test('zero height', () => refused(patch(image(), 257, 0), 'bad-dimensions', /frame 0 is 0 x 12 pixels/));

  test('absurd dimensions are refused by the memory budget before any allocation', () =>
    refused(patch(patch(image(), 256, 200_000), 257, 300_000), 'too-large', /frame 0 \(300000 x 200000 uint16\) needs 111\.8 GiB, more than the memory budget of 1\.0 GiB/));

  test('a smaller memory budget (option maxBytes)', () =>
    refused(image(64, 64), 'too-large', /frame 0 \(64 x 64 uint16\) needs 8\.0 KiB, more than the memory budget of 4\.0 KiB \(option maxBytes\)/, { maxBytes: 4096 }));

  test('strip offset past the end', () =>
    refused(patch(image(), 273, 0x7fffffff), 'truncated', /strip 0 of frame 0 lies at bytes 2147483647–/));

  test('strip byte count past the end', () =>
    refused(patch(image(), 279, 0x0fffffff), 'truncated', /past the end of the file/));

  test('empty strip', () => refused(patch(image(), 279, 0), 'corrupt', /strip 0 of frame 0 is empty/));

  test('uncompressed strip shorter than its rows', () =>
    refused(patch(image(), 279, 100), 'corrupt', /holds 100 bytes, 384 expected/));

  test('more rows per strip than offsets', () =>
    refused(patch(image(), 278, 1), 'corrupt', /lists 1 strip offsets, 16 are needed/));

  test('12-bit packed samples', () =>
    refused(patch(image(), 258, 12), 'unsupported-format', /12-bit integer samples \(packed bit depths other than 1 are not supported/));

  test('64-bit integers', () => refused(patch(image(), 258, 64), 'unsupported-format', /64-bit integer samples/));

  test('complex samples', () => refused(patch(image(), 339, 6), 'unsupported-format', /complex-valued samples/));

  test.each([
    [7, /JPEG/],
    [6, /old-style JPEG/],
    [3, /CCITT Group 3 fax/],
    [4, /CCITT Group 4 fax/],
    [50000, /Zstandard/],
    [34712, /JPEG 2000/],
    [12345, /compression code 12345/]
  ])('compression %d is refused by name', (code, name) =>
    refused(patch(image(), 259, code), 'unsupported-compression', name));

  test('CMYK is refused', () =>
    refused(patch(image(), 262, 5), 'unsupported-format', /colour space 'separated'/));

  test('invalid planar configuration', () =>
    refused(patch(image(), 284, 7), 'corrupt', /PlanarConfiguration 7/));

  test('uncompressed pixels declared as LZW do not decode to a frame', () =>
    refused(patch(image(), 259, 5), 'corrupt', /LZW data (in|of) strip 0 of frame 0/));
});

describe('IFD chains', () => {
  test('a loop back to the first IFD is detected, the frames before it are kept', async () => {
    const bytes = image(8, 8, 3);
    const view = new DataView(bytes.buffer);
    const first = view.getUint32(4, true);
    // Frame 2's next-IFD pointer -> frame 0.
    let offset = first;
    for (let i = 0; i < 2; i++) {
      offset = view.getUint32(offset + 2 + 12 * view.getUint16(offset, true), true);
    }
    view.setUint32(offset + 2 + 12 * view.getUint16(offset, true), first, true);
    const file = await openTiff(bytes);
    expect(file.info.frames).toBe(3);
    expect(file.info.notes.join('\n')).toMatch(/IFD chain loops back to offset 8 after 3 frame/);
    await expect(file.readFrame(2)).resolves.toMatchObject({ height: 8 });
  });

  test('an IFD pointing to itself', async () => {
    const bytes = image(8, 8, 1);
    const view = new DataView(bytes.buffer);
    const first = view.getUint32(4, true);
    view.setUint32(first + 2 + 12 * view.getUint16(first, true), first, true);
    const file = await openTiff(bytes);
    expect(file.info.frames).toBe(1);
    expect(file.info.notes.join('\n')).toMatch(/loops/);
  });

  test('a next-IFD pointer past the end keeps the readable frames, with a note', async () => {
    const bytes = image(8, 8, 2);
    const view = new DataView(bytes.buffer);
    const first = view.getUint32(4, true);
    view.setUint32(first + 2 + 12 * view.getUint16(first, true), 99_999_999, true);
    const file = await openTiff(bytes);
    expect(file.info.frames).toBe(1);
    expect(file.info.notes.join('\n')).toMatch(/directory of frame 1 is at byte 99999999, past the end.*only the first 1 frame/);
  });
});

describe('input handling', () => {
  test('accepts views with an offset (e.g. Node Buffers) and never modifies the input', async () => {
    const bytes = image();
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3); // odd offset: typed views of the file are misaligned
    const view = big.subarray(3);
    const before = big.slice();
    const frame = await (await openTiff(view)).readFrame(0);
    expect(Array.from(frame.data.slice(0, 4))).toEqual([0, 7, 14, 21]);
    expect(big).toEqual(before);
  });
});

describe('codecs on crafted streams', () => {
  test('LZW: a code beyond the table is corrupt', () => {
    // 9-bit codes: 256 (clear), 65 ('A'), 300 (not yet defined).
    const bits = [256, 65, 300].map(c => c.toString(2).padStart(9, '0')).join('').padEnd(32, '0');
    const src = new Uint8Array(4).map((_, i) => parseInt(bits.slice(8 * i, 8 * i + 8), 2));
    expect(() => lzwDecode(src, new Uint8Array(10), 'strip 0')).toThrow(/code 300 is not in the table/);
  });

  test('LZW: decoding stops at the output size however long the input', () => {
    const src = new Uint8Array(100_000).fill(0x55);
    const out = new Uint8Array(64);
    let n = 0;
    try {
      n = lzwDecode(src, out, 'x');
    } catch (e) {
      expect(e).toBeInstanceOf(TiffError);
    }
    expect(n).toBeLessThanOrEqual(64);
  });

  test('LZW: KwKwK and code-width changes decode as libtiff writes them', () => {
    // "AAAAAA": clear, A(65), 258 (=AA, KwKwK), 259 (=AAA, KwKwK), EOI.
    const codes = [256, 65, 258, 259, 257];
    const bits = codes.map(c => c.toString(2).padStart(9, '0')).join('');
    const src = new Uint8Array(Math.ceil(bits.length / 8)).map((_, i) => parseInt(bits.slice(8 * i, 8 * i + 8).padEnd(8, '0'), 2));
    const out = new Uint8Array(6);
    expect(lzwDecode(src, out, 'x')).toBe(6);
    expect(String.fromCharCode(...out)).toBe('AAAAAA');
  });

  test('PackBits: literal and repeat runs, bounded by the output', () => {
    const src = new Uint8Array([2, 1, 2, 3, 0xfd, 9, 0x80, 0]);
    const out = new Uint8Array(7);
    expect(packbitsDecode(src, out)).toBe(7);
    expect(Array.from(out)).toEqual([1, 2, 3, 9, 9, 9, 9]);
    const short = new Uint8Array(2);
    expect(packbitsDecode(src, short)).toBe(2);
  });

  test('Deflate: a stream that inflates far beyond the block stops at the block size', async () => {
    // 512 MiB of zeros compress to about 0.5 MiB: a "zip bomb" for a decoder that inflates whole.
    const bomb = deflate(new Uint8Array(512 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const inflate = await deflateDecoder();
    const before = process.memoryUsage().arrayBuffers;
    const out = new Uint8Array(4096).fill(7);
    expect(inflate(bomb, out, 'strip 0')).toBe(4096);
    expect(out.every(v => v === 0)).toBe(true);
    // Whole-strip inflation would hold 512 MiB here (no GC can free it during the call).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  test('Deflate: an invalid stream is corrupt, a short one reports its length', async () => {
    const inflate = await deflateDecoder();
    expect(() => inflate(new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0xff, 0x00]), new Uint8Array(16), 'strip 3')).toThrow(
      /Deflate data of strip 3 is invalid/
    );
    const short = deflate(new Uint8Array([1, 2, 3]));
    const out = new Uint8Array(8);
    expect(inflate(short, out, 'strip 0')).toBe(3);
    expect(Array.from(out.subarray(0, 3))).toEqual([1, 2, 3]);
  });

  test('Deflate: a file whose one strip is a bomb decodes its pixels without inflating the rest', async () => {
    const height = 64;
    const width = 64;
    const plain = encodeTiff({ height, width, data: new Uint8Array(height * width).fill(9), sampleType: 'uint8' });
    const bomb = deflate(new Uint8Array(256 * 1024 * 1024).fill(5));
    const bytes = new Uint8Array(plain.length + bomb.length);
    bytes.set(plain);
    bytes.set(bomb, plain.length);
    let file = patch(bytes, 259, 8); // Compression = Deflate
    file = patch(file, 273, plain.length); // StripOffsets
    file = patch(file, 279, bomb.length); // StripByteCounts
    const before = process.memoryUsage().arrayBuffers;
    const frame = await (await openTiff(file)).readFrame(0);
    expect(frame.data.length).toBe(height * width);
    expect(Array.from(frame.data.subarray(0, 4))).toEqual([5, 5, 5, 5]);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });
});
