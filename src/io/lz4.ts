/**
 * The two HDF5 compression filters Dectris Eiger data files use, decoded in plain TypeScript
 * from their published descriptions (h5wasm does not bundle the filter plugins):
 *
 * - LZ4 blocks (the LZ4 block format: sequences of a token, literals, a 2-byte little-endian
 *   offset and a match length);
 * - the HDF5 LZ4 filter (id 32004): a 12-byte header (uint64 big-endian uncompressed size,
 *   uint32 big-endian block size in bytes), then per block a uint32 big-endian compressed size
 *   and the LZ4 block (stored as is when that size equals the block's);
 * - the bitshuffle filter (id 32008; filter parameters [major, minor, element size, block
 *   size, compression]) with LZ4 (compression 2) or without compression (0): with LZ4, a
 *   12-byte header (uint64 big-endian uncompressed size, uint32 big-endian block size in
 *   bytes), then per block of `block size` elements a uint32 big-endian compressed size and an
 *   LZ4 block holding the block bit-transposed; the last block is the remaining elements
 *   rounded down to a multiple of 8, and the last (count mod 8) elements are stored as they are.
 *   Bit-transposed: for each byte j of an element (file order) and each bit k of that byte
 *   (least significant first), one row of count/8 bytes holding bit k of byte j of every
 *   element, element i at bit (i mod 8) of byte i/8.
 *
 * Every length is checked against the input and the expected output: a corrupt chunk is a
 * `FormatError` ('corrupt'), never an out-of-bounds read or an endless loop. No DOM.
 */
import { FormatError } from './format-error.js';

/** HDF5 filter ids. */
export const FILTER_LZ4 = 32004;
export const FILTER_BITSHUFFLE = 32008;

/** Decode one LZ4 block of `src[start, end)` into exactly `out.length` bytes. */
export function lz4DecodeBlock(src: Uint8Array, start: number, end: number, out: Uint8Array): void {
  if (end > src.length || start > end) Private.corrupt('an LZ4 block runs past the end of its chunk');
  let ip = start;
  let op = 0;
  const outEnd = out.length;
  while (ip < end) {
    const token = src[ip++];
    let literals = token >> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (ip >= end) Private.corrupt('an LZ4 literal length runs past the block');
        b = src[ip++];
        literals += b;
      } while (b === 255);
    }
    if (ip + literals > end || op + literals > outEnd) Private.corrupt('LZ4 literals run past the block or the output');
    out.set(src.subarray(ip, ip + literals), op);
    ip += literals;
    op += literals;
    if (ip >= end) break; // the last sequence has literals only
    if (ip + 2 > end) Private.corrupt('an LZ4 match offset is cut');
    const offset = src[ip] | (src[ip + 1] << 8);
    ip += 2;
    if (offset === 0 || offset > op) Private.corrupt(`an LZ4 match offset (${offset}) points before the output`);
    let length = token & 15;
    if (length === 15) {
      let b: number;
      do {
        if (ip >= end) Private.corrupt('an LZ4 match length runs past the block');
        b = src[ip++];
        length += b;
      } while (b === 255);
    }
    length += 4;
    if (op + length > outEnd) Private.corrupt('an LZ4 match runs past the output');
    let from = op - offset;
    if (offset >= length) {
      out.copyWithin(op, from, from + length);
      op += length;
    } else {
      for (let i = 0; i < length; i++) out[op++] = out[from++];
    }
  }
  if (op !== outEnd) Private.corrupt(`an LZ4 block decodes to ${op} bytes, ${outEnd} expected`);
}

/** Undo the HDF5 LZ4 filter (32004): `expected` bytes out. */
export function decodeLz4Filter(src: Uint8Array, expected: number): Uint8Array {
  const view = Private.view(src);
  if (src.length < 12) Private.corrupt('an LZ4-filtered chunk is shorter than its header');
  const total = Private.uint64(view, 0);
  const blockSize = view.getUint32(8, false);
  if (total !== expected) Private.corrupt(`an LZ4-filtered chunk declares ${total} bytes, ${expected} expected`);
  if (blockSize <= 0 && total > 0) Private.corrupt('an LZ4-filtered chunk declares a block size of 0');
  const out = new Uint8Array(total);
  let ip = 12;
  for (let op = 0; op < total; op += blockSize) {
    const size = Math.min(blockSize, total - op);
    if (ip + 4 > src.length) Private.corrupt('an LZ4-filtered chunk is cut');
    const compressed = view.getUint32(ip, false);
    ip += 4;
    if (ip + compressed > src.length) Private.corrupt('an LZ4-filtered block runs past its chunk');
    if (compressed === size) out.set(src.subarray(ip, ip + size), op);
    else lz4DecodeBlock(src, ip, ip + compressed, out.subarray(op, op + size));
    ip += compressed;
  }
  return out;
}

/** Undo the bitshuffle filter (32008) with its parameters `cd` (see above): `expected` bytes out. */
export function decodeBitshuffleFilter(src: Uint8Array, expected: number, cd: readonly number[]): Uint8Array {
  const elemSize = cd[2];
  const compression = cd.length > 4 ? cd[4] : 0;
  if (!Number.isInteger(elemSize) || elemSize < 1 || elemSize > 16) Private.corrupt(`bitshuffle element size ${elemSize}`);
  if (compression !== 0 && compression !== 2) {
    throw new FormatError(
      `unsupported HDF5 compression: bitshuffle with compression ${compression === 3 ? 'zstd' : compression} (LZ4 and none are read)`,
      'unsupported-compression',
      'hdf5'
    );
  }
  if (expected % elemSize !== 0) Private.corrupt('a bitshuffled chunk is not a whole number of elements');
  const count = expected / elemSize;
  const out = new Uint8Array(expected);
  let ip = 0;
  let blockElems: number;
  const view = Private.view(src);
  if (compression === 2) {
    if (src.length < 12) Private.corrupt('a bitshuffle/LZ4 chunk is shorter than its header');
    const total = Private.uint64(view, 0);
    if (total !== expected) Private.corrupt(`a bitshuffle/LZ4 chunk declares ${total} bytes, ${expected} expected`);
    blockElems = view.getUint32(8, false) / elemSize;
    ip = 12;
  } else {
    blockElems = cd[3] > 0 ? cd[3] : Private.defaultBlock(elemSize);
  }
  if (!Number.isInteger(blockElems) || blockElems < 8 || blockElems % 8 !== 0) {
    Private.corrupt(`bitshuffle block size ${blockElems} elements (a multiple of 8 expected)`);
  }
  const tmp = new Uint8Array(blockElems * elemSize);
  const unshuffle = (n: number, at: number): void => {
    const bytes = n * elemSize;
    const block = tmp.subarray(0, bytes);
    if (compression === 2) {
      if (ip + 4 > src.length) Private.corrupt('a bitshuffle/LZ4 chunk is cut');
      const compressed = view.getUint32(ip, false);
      ip += 4;
      if (ip + compressed > src.length) Private.corrupt('a bitshuffle/LZ4 block runs past its chunk');
      lz4DecodeBlock(src, ip, ip + compressed, block);
      ip += compressed;
    } else {
      if (ip + bytes > src.length) Private.corrupt('a bitshuffled chunk is cut');
      block.set(src.subarray(ip, ip + bytes));
      ip += bytes;
    }
    bitUnshuffle(block, n, elemSize, out, at * elemSize);
  };
  let done = 0;
  for (; done + blockElems <= count; done += blockElems) unshuffle(blockElems, done);
  const last = (count - done) - ((count - done) % 8);
  if (last > 0) {
    unshuffle(last, done);
    done += last;
  }
  const rest = (count - done) * elemSize;
  if (rest > 0) {
    if (ip + rest > src.length) Private.corrupt('the last elements of a bitshuffled chunk are cut');
    out.set(src.subarray(ip, ip + rest), done * elemSize);
  }
  return out;
}

/** Bit-transposed `n` elements (n a multiple of 8) of `elemSize` bytes → `out` at `at`. */
export function bitUnshuffle(block: Uint8Array, n: number, elemSize: number, out: Uint8Array, at: number): void {
  const rowBytes = n >> 3;
  for (let j = 0; j < elemSize; j++) {
    for (let k = 0; k < 8; k++) {
      const row = (j * 8 + k) * rowBytes;
      const bit = 1 << k;
      for (let b = 0; b < rowBytes; b++) {
        const v = block[row + b];
        if (v === 0) continue;
        const base = at + (b << 3) * elemSize + j;
        for (let i = 0; i < 8; i++) {
          if (v & (1 << i)) out[base + i * elemSize] |= bit;
        }
      }
    }
  }
}

namespace Private {
  export function corrupt(what: string): never {
    throw new FormatError(`corrupt HDF5 chunk: ${what}`, 'corrupt', 'hdf5');
  }

  export function view(bytes: Uint8Array): DataView {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  export function uint64(view: DataView, at: number): number {
    const v = view.getBigUint64(at, false);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v);
  }

  /** bitshuffle's default block: 8 KiB of elements, a multiple of 8, at least 128 elements. */
  export function defaultBlock(elemSize: number): number {
    const n = Math.floor(8192 / elemSize);
    return Math.max(128, n - (n % 8));
  }
}
