/**
 * The extensible array chunk index of HDF5 (layout message version 4, index type 4: a dataset
 * with one unlimited dimension written with the newest library format, as SWMR writers such as
 * detector file writers do), read from the file's bytes following the HDF5 File Format
 * Specification ("Extensible Array"): the header (EAHD) gives the array's parameters and its
 * index block (EAIB); the index block holds the first elements, the addresses of the first data
 * blocks (EADB) and of the secondary blocks (EASB), which hold the addresses of the later data
 * blocks. Data blocks larger than a page keep their elements in pages after their prefix.
 * Used by ./hdf5-chunks.ts; every read is bounded by the reader's checks. No DOM.
 */
import { FormatError } from './format-error.js';

/** The checked little-endian reads of ./hdf5-chunks.ts. */
export interface ByteReader {
  readonly offsets: number;
  readonly lengths: number;
  u8(at: number): number;
  uint(at: number, n: number): number;
  /** An absolute position, -1 for the undefined address. */
  address(at: number): number;
  signature(at: number, text: string, what: string): void;
}

/** One stored chunk: its linear index in the chunk grid and where its bytes are. */
export interface IndexedChunk {
  index: number;
  address: number;
  size: number;
  filterMask: number;
}

/** Every element of the extensible array at `at` whose chunk is stored; at most `limit` entries. */
export function readExtensibleArray(file: ByteReader, at: number, fullChunkBytes: number, limit: number): IndexedChunk[] {
  file.signature(at, 'EAHD', 'the extensible array header');
  const client = file.u8(at + 5);
  const elemSize = file.u8(at + 6);
  const maxBits = file.u8(at + 7);
  const iblockElems = file.u8(at + 8);
  const dblockMin = file.u8(at + 9);
  const sblockMinPtrs = file.u8(at + 10);
  const pageBits = file.u8(at + 11);
  const L = file.lengths;
  const O = file.offsets;
  const maxIndexSet = file.uint(at + 12 + 4 * L, L);
  const iblock = file.address(at + 12 + 6 * L);
  const log2 = (n: number): number => Math.log2(n);
  if (
    maxBits < 1 || maxBits > 64 || dblockMin < 1 || sblockMinPtrs < 1 ||
    !Number.isInteger(log2(dblockMin)) || !Number.isInteger(log2(sblockMinPtrs)) || log2(dblockMin) > maxBits
  ) {
    corrupt('extensible array parameters');
  }
  const sizeBytes = elemSize - O - 4;
  if (client === 1 ? sizeBytes < 1 || sizeBytes > 8 : elemSize !== O) corrupt('extensible array element size');
  if (maxIndexSet > limit) corrupt('too many chunks');
  const out: IndexedChunk[] = [];
  if (iblock < 0 || maxIndexSet === 0) return out;

  const element = (p: number, index: number): void => {
    const address = file.address(p);
    if (address < 0) return;
    out.push({
      index,
      address,
      size: client === 1 ? file.uint(p + O, sizeBytes) : fullChunkBytes,
      filterMask: client === 1 ? file.uint(p + O + sizeBytes, 4) : 0
    });
  };

  // Secondary block levels: level u has 2^⌊u/2⌋ data blocks of 2^⌊(u+1)/2⌋ · dblockMin elements.
  const nsblks = 1 + maxBits - log2(dblockMin);
  const iblockSblks = 2 * log2(sblockMinPtrs); // levels whose data blocks the index block addresses
  const ndblkAddrs = 2 * (sblockMinPtrs - 1);
  const nsblkAddrs = Math.max(0, nsblks - iblockSblks);
  file.signature(iblock, 'EAIB', 'the extensible array index block');
  let p = iblock + 6 + O;
  for (let i = 0; i < iblockElems && i < maxIndexSet; i++) element(p + i * elemSize, i);
  p += iblockElems * elemSize;
  const dblkAddrs: number[] = [];
  for (let i = 0; i < ndblkAddrs; i++) dblkAddrs.push(file.address(p + i * O));
  p += ndblkAddrs * O;
  const offsetBytes = Math.ceil(maxBits / 8);
  const pageElems = 2 ** pageBits;

  /** The elements of the data block at `dblock` (`count` elements, first index `first`). */
  const dataBlock = (dblock: number, count: number, first: number): void => {
    if (dblock < 0) return;
    file.signature(dblock, 'EADB', 'an extensible array data block');
    let q = dblock + 6 + O + offsetBytes;
    const paged = count > pageElems;
    if (paged) q += 4; // the prefix's checksum; pages follow
    for (let i = 0; i < count && first + i < maxIndexSet; i++) {
      if (paged && i > 0 && i % pageElems === 0) q += 4; // the previous page's checksum
      element(q, first + i);
      q += elemSize;
    }
  };

  let first = iblockElems;
  let dblk = 0;
  for (let u = 0; u < nsblks && first < maxIndexSet; u++) {
    const ndblks = 2 ** Math.floor(u / 2);
    const nelmts = 2 ** Math.floor((u + 1) / 2) * dblockMin;
    if (u < iblockSblks) {
      for (let d = 0; d < ndblks && first < maxIndexSet; d++, dblk++, first += nelmts) {
        if (dblk >= dblkAddrs.length) corrupt('extensible array index block');
        dataBlock(dblkAddrs[dblk], nelmts, first);
      }
      continue;
    }
    const s = u - iblockSblks;
    if (s >= nsblkAddrs) break;
    const sblock = file.address(p + s * O);
    if (sblock < 0) {
      first += ndblks * nelmts;
      continue;
    }
    file.signature(sblock, 'EASB', 'an extensible array secondary block');
    let q = sblock + 6 + O + offsetBytes;
    if (nelmts > pageElems) q += ndblks * Math.ceil(Math.ceil(nelmts / pageElems) / 8); // page bitmaps
    for (let d = 0; d < ndblks && first < maxIndexSet; d++, first += nelmts) dataBlock(file.address(q + d * O), nelmts, first);
  }
  return out;
}

function corrupt(what: string): never {
  throw new FormatError(`corrupt HDF5 file: ${what}`, 'corrupt', 'hdf5');
}
