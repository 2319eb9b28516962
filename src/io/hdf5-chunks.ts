/**
 * Chunks of an HDF5 dataset read straight from the file's bytes, for the filters h5wasm lacks
 * (bitshuffle/LZ4 and LZ4 of Eiger data files, decoded in ./lz4.ts). h5wasm gives the dataset's
 * object header address (an object reference) and its filter pipeline; this module reads,
 * following the HDF5 File Format Specification (version 3): the superblock's sizes, the object
 * header (versions 1 and 2, with continuation blocks) for the Data Layout message (versions 3
 * and 4, chunked), and the chunk index: a version 1 B-tree (layout 3, every file written with
 * the default library bounds, as Dectris and h5py write them), a single chunk or a fixed array
 * (layout 4, paged or not), or an extensible array (layout 4, one unlimited dimension, the first:
 * ./hdf5-earray.ts). Version 2 B-trees (several unlimited dimensions) are refused with
 * 'unsupported-compression' naming the index.
 *
 * Every address and size is checked against the file's length and every walk is bounded: a
 * corrupt file is a `FormatError`, never an out-of-bounds read or an endless loop. No DOM.
 */
import { FormatError } from './format-error.js';
import { readExtensibleArray } from './hdf5-earray.js';
import { decodeBitshuffleFilter, decodeLz4Filter, FILTER_BITSHUFFLE, FILTER_LZ4 } from './lz4.js';

/** One filter of a dataset's pipeline, as h5wasm lists it. */
export interface ChunkFilter {
  id: number;
  cd_values: number[];
}

/** One stored chunk: its offset in the dataset (elements, per axis) and where its bytes are. */
interface Chunk {
  offset: number[];
  address: number;
  size: number;
  filterMask: number;
}

/** Whether this module decodes the pipeline: one filter, bitshuffle or LZ4 (as Eiger writes). */
export function decodesPipeline(filters: readonly ChunkFilter[]): boolean {
  return filters.length === 1 && (filters[0].id === FILTER_BITSHUFFLE || filters[0].id === FILTER_LZ4);
}

/**
 * The samples of `bytes` (one image, the file's byte order) as a typed array of the stored
 * type (h5wasm's dtype metadata: `type` 0 integer, 1 float; `size`; `signed`; `littleEndian`).
 */
export function samplesOf(bytes: Uint8Array, meta: { type: number; size: number; signed?: boolean; littleEndian?: boolean }): ArrayLike<number | bigint> {
  const es = meta.size;
  const little = meta.littleEndian !== false;
  const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const copy = new Uint8Array(bytes.length);
  if (little === hostLittle || es === 1) copy.set(bytes);
  else for (let i = 0; i < bytes.length; i += es) for (let j = 0; j < es; j++) copy[i + j] = bytes[i + es - 1 - j];
  const b = copy.buffer;
  if (meta.type === 1) {
    if (es === 4) return new Float32Array(b);
    if (es === 8) return new Float64Array(b);
  } else {
    const s = !!meta.signed;
    if (es === 1) return s ? new Int8Array(b) : new Uint8Array(b);
    if (es === 2) return s ? new Int16Array(b) : new Uint16Array(b);
    if (es === 4) return s ? new Int32Array(b) : new Uint32Array(b);
    if (es === 8) return s ? new BigInt64Array(b) : new BigUint64Array(b);
  }
  throw new FormatError(`unsupported HDF5 data: ${es}-byte samples of type ${meta.type} in filtered chunks`, 'unsupported-format', 'hdf5');
}

/** The chunked dataset whose object header is at `objectAddress` (relative to the base) of `bytes`. */
export class RawChunkedDataset {
  constructor(
    bytes: Uint8Array,
    objectAddress: number,
    readonly shape: readonly number[],
    readonly elemSize: number,
    private readonly filters: readonly ChunkFilter[],
    maxShape: readonly number[] = shape
  ) {
    this.file = new Private.Reader(bytes);
    const layout = Private.readLayout(this.file, this.file.base + objectAddress);
    if (layout.chunk.length !== shape.length || layout.elemSize !== elemSize) {
      Private.corrupt(`the layout's chunk (${layout.chunk.join(' × ')}, ${layout.elemSize}-byte elements) does not fit the dataset`);
    }
    this.chunk = layout.chunk;
    this.chunks = Private.readIndex(this.file, layout, shape, maxShape);
    const names: Record<number, string> = { 0: 'btree-v1', 1: 'single-chunk', 3: 'fixed-array', 4: 'extensible-array' };
    this.index = names[layout.index] + (layout.index === 3 && this.chunks.length > 2 ** (layout.pageBits ?? 0) ? '-paged' : '');
  }

  /** How the chunks are indexed: 'btree-v1', 'single-chunk', 'fixed-array', 'fixed-array-paged' or 'extensible-array'. */
  readonly index: string;

  /** How many chunks are stored. */
  get chunkCount(): number {
    return this.chunks.length;
  }

  /** The chunk shape. */
  readonly chunk: readonly number[];

  /**
   * Bytes of the image at `lead` (indices of the leading axes) spanning the last two axes:
   * rows × cols × elemSize, in the file's byte order. Chunks never written are the fill value 0.
   */
  readImage(lead: readonly number[]): Uint8Array {
    const rank = this.shape.length;
    const [height, width] = this.shape.slice(-2);
    const es = this.elemSize;
    const out = new Uint8Array(height * width * es);
    const [ch, cw] = this.chunk.slice(-2);
    const chunkBytes = this.chunk.reduce((a, b) => a * b, 1) * es;
    for (const c of this.chunks) {
      let inside = true;
      let within = 0; // the image's index inside the chunk's leading block
      for (let d = 0; d < rank - 2; d++) {
        const o = lead[d] - c.offset[d];
        if (o < 0 || o >= this.chunk[d]) {
          inside = false;
          break;
        }
        within = within * this.chunk[d] + o;
      }
      if (!inside) continue;
      const data = this.decode(c, chunkBytes);
      const base = within * ch * cw * es;
      const r0 = c.offset[rank - 2];
      const c0 = c.offset[rank - 1];
      const rows = Math.min(ch, height - r0);
      const cols = Math.min(cw, width - c0);
      if (rows <= 0 || cols <= 0) continue;
      for (let r = 0; r < rows; r++) {
        const from = base + r * cw * es;
        out.set(data.subarray(from, from + cols * es), ((r0 + r) * width + c0) * es);
      }
    }
    return out;
  }

  /** A chunk's bytes through its one filter (skipped when the chunk's filter mask says so). */
  private decode(c: Chunk, expected: number): Uint8Array {
    let data = this.file.slice(c.address, c.size, 'a chunk');
    const f = this.filters[0];
    if (!(c.filterMask & 1)) {
      data = f.id === FILTER_BITSHUFFLE ? decodeBitshuffleFilter(data, expected, f.cd_values) : decodeLz4Filter(data, expected);
    }
    if (data.length !== expected) Private.corrupt(`a chunk holds ${data.length} bytes, ${expected} expected`);
    return data;
  }

  private readonly file: Private.Reader;
  private readonly chunks: Chunk[];
}

namespace Private {
  /** Index entries at most (a 4096² × 100 000-frame dataset in single-frame chunks fits). */
  export const MAX_CHUNKS = 1 << 22;

  export function corrupt(what: string): never {
    throw new FormatError(`corrupt HDF5 file: ${what}`, 'corrupt', 'hdf5');
  }

  function unsupported(what: string): never {
    throw new FormatError(`unsupported HDF5 compression: ${what}`, 'unsupported-compression', 'hdf5');
  }

  /** Little-endian reads at absolute positions, checked; addresses relative to the base. */
  export class Reader {
    constructor(readonly bytes: Uint8Array) {
      let at = -1;
      for (let p = 0; p + 8 <= bytes.length && p <= 1 << 20; p = p === 0 ? 512 : p * 2) {
        if (bytes[p] === 0x89 && bytes[p + 1] === 0x48 && bytes[p + 2] === 0x44 && bytes[p + 3] === 0x46) {
          at = p;
          break;
        }
      }
      if (at < 0) corrupt('no superblock');
      const version = bytes[at + 8];
      if (version === 0 || version === 1) {
        this.offsets = bytes[at + 13];
        this.lengths = bytes[at + 14];
      } else if (version === 2 || version === 3) {
        this.offsets = bytes[at + 9];
        this.lengths = bytes[at + 10];
      } else {
        corrupt(`superblock version ${version}`);
      }
      if (![2, 4, 8].includes(this.offsets) || ![2, 4, 8].includes(this.lengths)) corrupt('superblock sizes');
      const baseAt = version <= 1 ? at + 24 + (version === 1 ? 4 : 0) : at + 12;
      this.base = this.uint(baseAt, this.offsets);
    }

    readonly offsets: number = 8;
    readonly lengths: number = 8;
    readonly base: number;

    check(at: number, n: number, what: string): void {
      if (!Number.isSafeInteger(at) || at < 0 || n < 0 || at + n > this.bytes.length) {
        corrupt(`${what} at ${at} (+${n} bytes) lies outside the file (${this.bytes.length} bytes)`);
      }
    }

    u8(at: number): number {
      this.check(at, 1, 'a field');
      return this.bytes[at];
    }

    uint(at: number, n: number): number {
      this.check(at, n, 'a field');
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + this.bytes[at + i];
      return v;
    }

    /** An address field → an absolute position (undefined address: -1). */
    address(at: number): number {
      let undef = true;
      for (let i = 0; i < this.offsets; i++) if (this.u8(at + i) !== 0xff) undef = false;
      return undef ? -1 : this.base + this.uint(at, this.offsets);
    }

    signature(at: number, text: string, what: string): void {
      this.check(at, 4, what);
      for (let i = 0; i < 4; i++) {
        if (this.bytes[at + i] !== text.charCodeAt(i)) corrupt(`${what} at ${at} lacks its "${text}" signature`);
      }
    }

    slice(at: number, n: number, what: string): Uint8Array {
      this.check(at, n, what);
      return this.bytes.subarray(at, at + n);
    }
  }

  export interface Layout {
    version: number;
    chunk: number[];
    elemSize: number;
    /** 0: B-tree v1; 1: single chunk; 3: fixed array; 4: extensible array (others refused). */
    index: number;
    address: number;
    singleSize?: number;
    singleMask?: number;
    pageBits?: number;
  }

  /** The Data Layout message (type 8) of the object header at `at`. */
  export function readLayout(file: Reader, at: number): Layout {
    let found: Layout | null = null;
    forEachMessage(file, at, (type, p, size) => {
      if (type === 8 && !found) found = parseLayout(file, p, size);
    });
    if (!found) corrupt('the dataset has no layout message');
    return found;
  }

  function parseLayout(file: Reader, p: number, size: number): Layout {
    file.check(p, size, 'the layout message');
    const version = file.u8(p);
    const cls = file.u8(p + 1);
    if (cls !== 2) unsupported(`the dataset is not chunked (layout class ${cls})`);
    if (version === 3) {
      const dims = file.u8(p + 2);
      const address = file.address(p + 3);
      const sizes: number[] = [];
      for (let i = 0; i < dims; i++) sizes.push(file.uint(p + 3 + file.offsets + 4 * i, 4));
      return { version, chunk: sizes.slice(0, -1), elemSize: sizes[dims - 1], index: 0, address };
    }
    if (version === 4) {
      const flags = file.u8(p + 2);
      const dims = file.u8(p + 3);
      const enc = file.u8(p + 4);
      if (enc < 1 || enc > 8) corrupt(`layout dimension size of ${enc} bytes`);
      const sizes: number[] = [];
      let q = p + 5;
      for (let i = 0; i < dims; i++, q += enc) sizes.push(file.uint(q, enc));
      const index = file.u8(q++);
      const layout: Layout = { version, chunk: sizes.slice(0, -1), elemSize: sizes[dims - 1], index, address: -1 };
      if (index === 1) {
        if (flags & 2) {
          layout.singleSize = file.uint(q, file.lengths);
          layout.singleMask = file.uint(q + file.lengths, 4);
          q += file.lengths + 4;
        }
        layout.address = file.address(q);
      } else if (index === 3) {
        layout.pageBits = file.u8(q);
        layout.address = file.address(q + 1);
      } else if (index === 4) {
        layout.address = file.address(q + 5); // after max bits, index elements, min pointers, min elements, page bits
      } else {
        const names: Record<number, string> = { 2: 'implicit index', 5: 'version 2 B-tree index' };
        unsupported(
          `chunks indexed by ${names[index] ?? `index type ${index}`} (B-tree v1, single-chunk, fixed-array and extensible-array indexes are read)`
        );
      }
      return layout;
    }
    unsupported(`data layout message version ${version}`);
  }

  /** Call `fn(type, dataAt, size)` for every message of the object header at `at`. */
  function forEachMessage(file: Reader, at: number, fn: (type: number, p: number, size: number) => void): void {
    const blocks: [number, number][] = [];
    let budget = 4096; // messages visited at most
    const visit = (start: number, end: number, v2: boolean, flags: number): void => {
      let p = start;
      while (p + (v2 ? 4 : 8) <= end && budget-- > 0) {
        const type = v2 ? file.u8(p) : file.uint(p, 2);
        const size = file.uint(p + (v2 ? 1 : 2), 2);
        const mflags = file.u8(p + (v2 ? 3 : 4));
        const data = p + (v2 ? 4 + (flags & 4 ? 2 : 0) : 8);
        file.check(data, size, 'an object header message');
        if (mflags & 2) {
          // a shared message: never the layout
        } else if (type === 0x10) {
          blocks.push([file.address(data), file.uint(data + file.offsets, file.lengths)]);
        } else {
          fn(type, data, size);
        }
        p = data + size;
        if (!v2) p = start + Math.ceil((p - start) / 8) * 8;
      }
    };
    file.check(at, 16, 'the object header');
    let v2 = false;
    let hflags = 0;
    if (file.u8(at) === 1) {
      const size = file.uint(at + 8, 4);
      visit(at + 16, at + 16 + size, false, 0);
    } else {
      file.signature(at, 'OHDR', 'the object header');
      v2 = true;
      hflags = file.u8(at + 5);
      let p = at + 6 + (hflags & 0x20 ? 16 : 0) + (hflags & 0x10 ? 4 : 0);
      const n = 1 << (hflags & 3);
      const size = file.uint(p, n);
      p += n;
      visit(p, p + size, true, hflags);
    }
    for (let i = 0; i < blocks.length && i < 256; i++) {
      const [start, length] = blocks[i];
      if (v2) {
        file.signature(start, 'OCHK', 'an object header continuation');
        visit(start + 4, start + length - 4, true, hflags);
      } else {
        visit(start, start + length, false, 0);
      }
    }
  }

  /** Every stored chunk of the index. */
  export function readIndex(file: Reader, layout: Layout, shape: readonly number[], maxShape: readonly number[]): Chunk[] {
    const rank = shape.length;
    const full = layout.chunk.reduce((a, b) => a * b, 1) * layout.elemSize;
    if (layout.index === 4) {
      // One unlimited dimension; read when it is the first (frames), as detector writers make it.
      if (maxShape.slice(1).some((m, d) => m !== shape[d + 1])) {
        unsupported('an extensible array index whose unlimited dimension is not the first');
      }
      const grid = shape.map((n, d) => Math.ceil(n / layout.chunk[d]));
      const perFirst = grid.slice(1).reduce((a, b) => a * b, 1);
      const count = grid[0] * perFirst;
      return readExtensibleArray(file, layout.address, full, MAX_CHUNKS)
        .filter(c => c.index < count)
        .map(c => {
          const offset: number[] = [];
          let rest = c.index;
          for (let d = rank - 1; d >= 0; d--) {
            offset[d] = (d === 0 ? rest : rest % grid[d]) * layout.chunk[d];
            rest = Math.floor(rest / grid[d]);
          }
          return { offset, address: c.address, size: c.size, filterMask: c.filterMask };
        });
    }
    if (layout.index === 1) {
      if (layout.address < 0) return [];
      return [{ offset: new Array(rank).fill(0), address: layout.address, size: layout.singleSize ?? full, filterMask: layout.singleMask ?? 0 }];
    }
    if (layout.index === 3) return fixedArray(file, layout, shape);
    const chunks: Chunk[] = [];
    if (layout.address >= 0) btreeV1(file, layout.address, rank, chunks, 0);
    return chunks;
  }

  /** A version 1 B-tree of raw data chunks (node type 1), depth-first. */
  function btreeV1(file: Reader, at: number, rank: number, out: Chunk[], depth: number): void {
    if (depth > 64) corrupt('the chunk B-tree is too deep (a loop?)');
    file.signature(at, 'TREE', 'a chunk B-tree node');
    if (file.u8(at + 4) !== 1) corrupt('a chunk B-tree node is not of raw data chunks');
    const level = file.u8(at + 5);
    const entries = file.uint(at + 6, 2);
    const keySize = 8 + 8 * (rank + 1);
    let p = at + 8 + 2 * file.offsets;
    for (let i = 0; i < entries; i++) {
      const size = file.uint(p, 4);
      const filterMask = file.uint(p + 4, 4);
      const offset: number[] = [];
      for (let d = 0; d < rank; d++) offset.push(file.uint(p + 8 + 8 * d, 8));
      const child = file.address(p + keySize);
      if (level > 0) btreeV1(file, child, rank, out, depth + 1);
      else {
        if (out.length >= MAX_CHUNKS) corrupt('too many chunks');
        out.push({ offset, address: child, size, filterMask });
      }
      p += keySize + file.offsets;
    }
  }

  /** A fixed array index of filtered chunks (client 1), paged or not. */
  function fixedArray(file: Reader, layout: Layout, shape: readonly number[]): Chunk[] {
    const at = layout.address;
    if (at < 0) return [];
    file.signature(at, 'FAHD', 'the fixed array header');
    const client = file.u8(at + 5);
    const entrySize = file.u8(at + 6);
    const pageBits = file.u8(at + 7);
    const count = file.uint(at + 8, file.lengths);
    const block = file.address(at + 8 + file.lengths);
    if (count > MAX_CHUNKS) corrupt('too many chunks');
    const grid = shape.map((n, d) => Math.ceil(n / layout.chunk[d]));
    if (grid.reduce((a, b) => a * b, 1) !== count) corrupt(`the fixed array holds ${count} chunks, the chunk grid ${grid.join(' × ')}`);
    const sizeBytes = entrySize - file.offsets - 4;
    if (client === 1 ? sizeBytes < 1 || sizeBytes > 8 : entrySize !== file.offsets) corrupt('fixed array entry size');
    file.signature(block, 'FADB', 'the fixed array data block');
    let p = block + 6 + file.offsets;
    const pageSize = 2 ** pageBits;
    const paged = count > pageSize;
    if (paged) {
      p += Math.ceil(Math.ceil(count / pageSize) / 8) + 4; // page bitmap, checksum
    }
    const chunks: Chunk[] = [];
    const full = layout.chunk.reduce((a, b) => a * b, 1) * layout.elemSize;
    for (let i = 0; i < count; i++) {
      if (paged && i > 0 && i % pageSize === 0) p += 4; // the previous page's checksum
      const address = file.address(p);
      const size = client === 1 ? file.uint(p + file.offsets, sizeBytes) : full;
      const filterMask = client === 1 ? file.uint(p + file.offsets + sizeBytes, 4) : 0;
      p += entrySize;
      if (address < 0) continue;
      const offset: number[] = [];
      let rest = i;
      for (let d = grid.length - 1; d >= 0; d--) {
        offset[d] = (rest % grid[d]) * layout.chunk[d];
        rest = Math.floor(rest / grid[d]);
      }
      chunks.push({ offset, address, size, filterMask });
    }
    return chunks;
  }
}
