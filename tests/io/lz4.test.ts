/**
 * The project's own decoders of Eiger's HDF5 filters (src/io/lz4.ts) and chunk index reader
 * (src/io/hdf5-chunks.ts). The pixel comparisons against files h5py wrote through Debian's
 * bitshuffle and LZ4 plugins are in formats.test.ts (cases eiger-bslz4, bslz4-*, lz4); here:
 * LZ4 blocks built by hand from the LZ4 block format description, bit transposition checked
 * against a forward transform written from bitshuffle's description, which chunk index each
 * generated file uses (so that every index reader is exercised), and corrupt chunks refused.
 */
import { readFileSync } from 'node:fs';
import { FormatError, openImage } from '../../src/io/index.js';
import { RawChunkedDataset } from '../../src/io/hdf5-chunks.js';
import { bitUnshuffle, decodeBitshuffleFilter, lz4DecodeBlock } from '../../src/io/lz4.js';
import { formatFixtures } from './format-fixtures.js';

const fx = formatFixtures();
const text = (s: string): number[] => [...s].map(c => c.charCodeAt(0));

describe('LZ4 blocks (block format description)', () => {
  test('literals, then an overlapping match (offset 3, length 9), then last literals', () => {
    // token 0x35: 3 literals, match length 5 + 4 = 9; offset 3 little-endian; token 0x10: 1 literal.
    const block = new Uint8Array([0x35, ...text('abc'), 3, 0, 0x10, ...text('x')]);
    const out = new Uint8Array(13);
    lz4DecodeBlock(block, 0, block.length, out);
    expect(String.fromCharCode(...out)).toBe('abcabcabcabcx');
  });

  test('extended literal and match lengths (nibble 15 + extra bytes)', () => {
    const literals = Array.from({ length: 15 + 255 + 3 }, (_, i) => i & 0xff); // 273
    // literal length 15 + 255 + 3; match length 15 + 1 + 4 = 20 at offset 1 (a run of the last byte)
    const block = new Uint8Array([0xff, 255, 3, ...literals, 1, 0, 1, 0x00]);
    // the final token 0x00: a last sequence of 0 literals
    const out = new Uint8Array(273 + 20);
    lz4DecodeBlock(block, 0, block.length, out);
    expect([...out.subarray(0, 273)]).toEqual(literals);
    expect([...out.subarray(273)]).toEqual(new Array(20).fill(literals[272]));
  });

  test.each([
    ['offset 0', [0x14, 65, 0, 0, 0x10, 66], 6],
    ['offset before the output', [0x14, 65, 2, 0, 0x10, 66], 6],
    ['more output than expected', [0x30, 65, 66, 67], 2],
    ['less output than expected', [0x30, 65, 66, 67], 4],
    ['literals past the block', [0x50, 65, 66], 5]
  ])('refused: %s', (_, bytes, size) => {
    const block = new Uint8Array(bytes);
    expect(() => lz4DecodeBlock(block, 0, block.length, new Uint8Array(size))).toThrow(FormatError);
  });
});

describe('bit transposition', () => {
  /** Forward transform from bitshuffle's description: row (byte j, bit k) holds bit k of byte j of every element. */
  function shuffle(bytes: Uint8Array, n: number, es: number): Uint8Array {
    const out = new Uint8Array(n * es);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < es; j++) {
        for (let k = 0; k < 8; k++) {
          if ((bytes[i * es + j] >> k) & 1) out[(j * 8 + k) * (n / 8) + (i >> 3)] |= 1 << (i & 7);
        }
      }
    }
    return out;
  }

  test.each([1, 2, 4, 8])('%i-byte elements round-trip', es => {
    const n = 64;
    const data = Uint8Array.from({ length: n * es }, (_, i) => (i * 37 + 11) & 0xff);
    const out = new Uint8Array(n * es);
    bitUnshuffle(shuffle(data, n, es), n, es, out, 0);
    expect(out).toEqual(data);
  });

  test('uncompressed bitshuffle: blocks, the last block rounded down to 8, the rest stored as is', () => {
    const es = 2;
    const count = 16 + 8 + 3; // block 16 elements (cd[3]), then 8, then 3 left as they are
    const data = Uint8Array.from({ length: count * es }, (_, i) => (i * 91 + 5) & 0xff);
    const stored = new Uint8Array([
      ...shuffle(data.subarray(0, 32), 16, es),
      ...shuffle(data.subarray(32, 48), 8, es),
      ...data.subarray(48)
    ]);
    expect(decodeBitshuffleFilter(stored, count * es, [0, 3, es, 16, 0])).toEqual(data);
  });

  test('bitshuffle with zstd is refused as an unsupported compression', () => {
    expect(() => decodeBitshuffleFilter(new Uint8Array(16), 8, [0, 3, 2, 0, 3])).toThrow(
      expect.objectContaining({ code: 'unsupported-compression' })
    );
  });
});

describe('chunk indexes of the generated files', () => {
  async function rawOf(file: string, path: string): Promise<RawChunkedDataset> {
    const mod: any = await import('h5wasm');
    const h5 = { ...(mod.default ?? {}), ...mod };
    const { FS } = await h5.ready;
    const bytes = fx.read(file);
    FS.writeFile(`/lz4-test-${file}`, bytes);
    const f = new h5.File(`/lz4-test-${file}`, 'r');
    try {
      const d = f.get(path);
      const ref: Uint8Array = d.create_reference().ref_data;
      const address = ref.reduceRight((a, b) => a * 256 + b, 0);
      return new RawChunkedDataset(bytes, address, d.shape, d.metadata.size, d.filters, d.metadata.maxshape);
    } finally {
      f.close();
      FS.unlink(`/lz4-test-${file}`);
    }
  }

  test.each([
    ['eiger_bslz4_data_000001.h5', '/entry/data/data', 'btree-v1', 3],
    ['lz4.h5', '/entry/data/data', 'btree-v1', 2],
    ['bslz4_u16_latest.h5', '/data', 'fixed-array', 2],
    ['bslz4_paged.h5', '/data', 'fixed-array-paged', 1152],
    ['bslz4_single.h5', '/data', 'single-chunk', 1],
    ['bslz4_extensible.h5', '/entry/data/data', 'extensible-array', 3],
    ['bslz4_extensible_rows.h5', '/data', 'extensible-array', 260]
  ])('%s %s: %s, %i chunks', async (file, path, index, count) => {
    const raw = await rawOf(file, path);
    expect(raw.index).toBe(index);
    expect(raw.chunkCount).toBe(count);
  });

  test('two unlimited dimensions (a version 2 B-tree index) are refused, naming the index', async () => {
    const file = await openImage(fx.read('bslz4_two_unlimited.h5'), 'bslz4_two_unlimited.h5');
    await expect(file.readFrame(0)).rejects.toMatchObject({
      name: 'FormatError',
      code: 'unsupported-compression',
      message: expect.stringMatching(/version 2 B-tree index/)
    });
    file.close?.();
  });

  test('a chunk with a corrupt byte is refused with a typed error, not garbage', async () => {
    const c = fx.case('bslz4-odd');
    const bytes = fx.read(c.file);
    // The compressed chunks sit after the metadata: break the first chunk's 12-byte header.
    const expected = fx.read(c.frames![0].file);
    const file = await openImage(bytes, 'bslz4_odd.h5');
    const frame = await file.readFrame(0);
    expect(new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength)).toEqual(expected);
    file.close?.();
    // uint64 big-endian size 61 × 103 × 4 = 25132 bytes: find it and change it.
    const header = [0, 0, 0, 0, 0, 0, 0x62, 0x2c];
    const at = bytes.findIndex((_, i) => header.every((b, k) => bytes[i + k] === b));
    expect(at).toBeGreaterThan(0);
    const broken = bytes.slice();
    broken[at + 7] ^= 0x40;
    const bad = await openImage(broken, 'bslz4_odd.h5');
    await expect(bad.readFrame(0)).rejects.toMatchObject({ name: 'FormatError', code: 'corrupt' });
    bad.close?.();
  });
});

test('an Eiger data file read through its master names no missing filter', async () => {
  const master = fx.read('eiger_bslz4_master.h5');
  const data = new Uint8Array(readFileSync(fx.path('eiger_bslz4_data_000001.h5')));
  const file = await openImage(master, 'eiger_bslz4_master.h5', { linkedFile: name => (name === 'eiger_bslz4_data_000001.h5' ? data : undefined) });
  expect(file.info.dataset).toBe('/entry/data/data_000001');
  expect([file.info.frames, file.info.height, file.info.width, file.info.sampleType]).toEqual([3, 512, 512, 'uint32']);
  const last = await file.readFrame(2);
  const first = await file.readFrame(0);
  // frame 2 is frame 0 upside down
  expect(last.data[0]).toBe(first.data[511 * 512]);
  file.close?.();
});
