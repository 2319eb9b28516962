/**
 * Every refusal of the format readers is a FormatError with its code (and a message naming the
 * problem): files edited from the generated fixtures and the real files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, openImage, type FormatErrorCode } from '../../src/io/index.js';
import { formatFixtures, formatsData } from './format-fixtures.js';

const fx = formatFixtures();
const enc = new TextEncoder();

async function refusal(bytes: Uint8Array, name: string, options = {}, frame?: number): Promise<FormatError> {
  try {
    const file = await openImage(bytes, name, options);
    await file.readFrame(frame ?? 0);
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error(`${name} was not refused`);
}

function expectCode(e: FormatError, code: FormatErrorCode, message: RegExp): void {
  expect({ code: e.code, message: e.message }).toEqual({ code, message: expect.stringMatching(message) });
}

/** A copy with a little-endian int32 written at `at`. */
function withInt32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setInt32(at, value, true);
  return copy;
}

/** A copy with the first occurrence of `from` (ASCII) replaced by `to` of the same length. */
function replaceText(bytes: Uint8Array, from: string, to: string): Uint8Array {
  expect(to.length).toBe(from.length);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 8192));
  const at = text.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  const copy = bytes.slice();
  copy.set(enc.encode(to), at);
  return copy;
}

test('unknown bytes with an unknown extension: unknown-format', async () => {
  const e = await refusal(new Uint8Array(2048).fill(7), 'data.xyz');
  expectCode(e, 'unknown-format', /none of TIFF, MRC/);
  expect(e.format).toBe('unknown');
});

describe('MRC', () => {
  const mrc = fx.read('graphite-mode6.mrc');
  test.each([
    ['complex mode 4', withInt32(mrc, 12, 4), 'unsupported-format', /complex float32 \(mode 4\)/],
    ['mode 101', withInt32(mrc, 12, 101), 'unsupported-format', /4-bit/],
    ['zero width', withInt32(mrc, 0, 0), 'bad-dimensions', /0 × 0|× 0 pixels/],
    ['a huge extended header', withInt32(mrc, 92, 0x7fffff00), 'corrupt', /extended header/],
    ['the data cut', mrc.slice(0, 1024 + 100), 'truncated', /ends before the first/],
    ['a header cut', mrc.slice(0, 500), 'truncated', /1024 bytes/]
  ] as const)('%s', async (_, bytes, code, message) => {
    expectCode(await refusal(bytes, 'x.mrc'), code, message);
  });
  test('over the memory budget: too-large before allocating', async () => {
    expectCode(await refusal(mrc, 'x.mrc', { maxBytes: 1000 }), 'too-large', /budget/);
  });
  test('a frame past the end: frame-out-of-range', async () => {
    expectCode(await refusal(mrc, 'x.mrc', {}, 1), 'frame-out-of-range', /has 1 frame/);
  });
});

describe('DM3/DM4', () => {
  const dm3 = new Uint8Array(readFileSync(join(formatsData, 'bismuth.dm3')));
  const dm4 = new Uint8Array(readFileSync(join(formatsData, 'bismuth.dm4')));
  test('cut inside the tags: truncated', async () => {
    expectCode(await refusal(dm3.slice(0, 600), 'x.dm3'), 'truncated', /ends inside a tag/);
    expectCode(await refusal(dm4.slice(0, 600), 'x.dm4'), 'truncated', /ends inside a tag/);
  });
  test('no ImageList: no-image', async () => {
    const renamed = replaceText(dm3, 'ImageList', 'ImageLisT');
    expectCode(await refusal(renamed, 'x.dm3'), 'no-image', /no ImageList image/);
  });
  test('a data tag without its "%%%%" mark: corrupt', async () => {
    const broken = replaceText(dm4, '%%%%', '%%%#');
    expectCode(await refusal(broken, 'x.dm4'), 'corrupt', /%%%%/);
  });
});

describe('MIB', () => {
  const mib = new Uint8Array(readFileSync(join(formatsData, 'test.mib')));
  test.each([
    ['raw mode R64 with 24-bit counters', replaceText(replaceText(mib, ',U16,', ',R64,'), 'ns,12,', 'ns,24,'), 'unsupported-format', /raw \(R64\) 24-bit/],
    ['an unknown depth', replaceText(mib, ',U16,', ',U12,'), 'unsupported-format', /"U12"/],
    ['a bad header size', replaceText(mib, ',00384,', ',0038x,'), 'corrupt', /header size/],
    ['a cut frame', mib.slice(0, 384 + 1000), 'truncated', /needs 131456 bytes/]
  ] as const)('%s', async (_, bytes, code, message) => {
    expectCode(await refusal(bytes, 'x.mib'), code, message);
  });
});

describe('SMV', () => {
  const smv = fx.read('ewald.img');
  const be = fx.read('graphite-be.img');
  test.each([
    ['DIM=3', replaceText(smv, 'DIM= 2', 'DIM= 3'), 'unsupported-format', /DIM=3/],
    ['an unknown type', replaceText(be, 'unsigned_int', 'unsigned_inx'), 'unsupported-format', /TYPE=unsigned_inx/],
    ['an unknown Data_type', replaceText(smv, 'unsigned short int', 'unsigned shorx int'), 'unsupported-format', /TYPE=unsigned_shorx/],
    ['compressed', replaceText(be, 'DISTANCE=200;\n', 'COMPRESSION=X;'), 'unsupported-compression', /COMPRESSION=X/],
    ['no HEADER_BYTES', replaceText(smv, 'HEADER_BYTES', 'HEADER_BYTEZ'), 'corrupt', /HEADER_BYTES/],
    ['cut data', smv.slice(0, smv.length - 10), 'truncated', /needs bytes/]
  ] as const)('%s', async (_, bytes, code, message) => {
    expectCode(await refusal(bytes, 'x.img'), code, message);
  });
});

describe('CBF', () => {
  const cbf = fx.read('ewald.cbf');
  test.each([
    ['packed compression', replaceText(cbf, 'x-CBF_BYTE_OFFSET', 'x-CBF_PACKED_V2xx'), 'unsupported-compression', /x-CBF_PACKED_V2xx/],
    ['float elements', replaceText(cbf, '"signed 32-bit integer"', '"signed 32-bit real IE"'), 'unsupported-format', /element type/],
    ['an element count that is not the size', replaceText(cbf, 'Number-of-Elements: 262144', 'Number-of-Elements: 262143'), 'bad-dimensions', /262143 elements/],
    ['no binary section', cbf.slice(0, 600), 'corrupt', /no binary section/],
    ['a cut binary section', cbf.slice(0, cbf.length - 5000), 'truncated', /binary section declares/]
  ] as const)('%s', async (_, bytes, code, message) => {
    expectCode(await refusal(bytes, 'x.cbf'), code, message);
  });
});

describe('HDF5', () => {
  test('no dataset of 2+ dimensions (a spectrum, a 4 × 4 thumbnail): no-image', async () => {
    expectCode(await refusal(fx.read('no-image.h5'), 'no-image.h5'), 'no-image', /no numeric dataset/);
  });
  test('a dataset the file does not have: no-such-dataset, listing the image datasets', async () => {
    expectCode(await refusal(fx.read('berkeley.emd'), 'b.emd', { dataset: 'data/nothing' }), 'no-such-dataset', /\/data\/nothing .*image datasets: .*\/data\/diffraction\/data/);
  });
  test('a linked data file not provided: linked-file-missing, naming it', async () => {
    expectCode(await refusal(fx.read('nxmx_missing_master.h5'), 'm.h5'), 'linked-file-missing', /nxmx_missing_data_000001\.h5/);
  });
  test('a cut file: truncated (from the superblock\'s end-of-file address)', async () => {
    const bytes = fx.read('pattern.hspy');
    expectCode(await refusal(bytes.slice(0, 3000), 'p.hspy'), 'truncated', /declares \d+ bytes but holds 3000/);
  });
  test('garbage after the signature: corrupt', async () => {
    const bytes = fx.read('pattern.hspy').slice(0, 4096);
    bytes.fill(0x5a, 8);
    expectCode(await refusal(bytes, 'p.hspy'), 'corrupt', /cannot be opened/);
  });
});
