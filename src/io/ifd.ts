/**
 * TIFF structure: header, the chain of image file directories (IFDs) and their tags.
 *
 * Everything is bounds-checked against the file length before it is read, and nothing is
 * allocated from a declared size: a tag value is only read when it lies inside the file. The IFD
 * chain is walked with loop detection. Pixel data is not touched here (see `layout.ts`).
 * Classic TIFF and BigTIFF, little- and big-endian. No DOM.
 */
import { TiffError } from './errors.js';

/** One tag of an IFD, its values not yet read. */
export interface RawEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  /** Absolute byte position of the first value (inline or not). */
  readonly at: number;
  /** False when the values would lie (partly) past the end of the file. */
  readonly inFile: boolean;
}

/**
 * One image file directory, checked to lie inside the file. Its entries are read on demand
 * (`readEntries`), so a stack of many frames costs a few numbers per frame until it is read.
 */
export interface RawIfd {
  /** Byte offset of the IFD in the file. */
  readonly offset: number;
  /** Number of entries. */
  readonly count: number;
  /** Byte offset of the next IFD (0 at the end of the chain). */
  readonly next: number;
}

/** Most directories walked in one file (a forged chain must not exhaust memory). */
export const MAX_FRAMES = 1_000_000;

/** The parsed skeleton of a file. */
export interface TiffStructure {
  readonly littleEndian: boolean;
  readonly bigTiff: boolean;
  readonly ifds: RawIfd[];
  /** The file's bytes, as a DataView. */
  readonly view: DataView;
  /** Problems found while walking the chain that did not prevent reading (e.g. a bad next-IFD offset). */
  readonly notes: string[];
}

/** Tag numbers used by the reader. */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  FillOrder: 266,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  PlanarConfiguration: 284,
  Software: 305,
  DateTime: 306,
  Predictor: 317,
  ColorMap: 320,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339
} as const;

/** Field types: size in bytes of one value. */
export const TYPE_SIZES: Readonly<Record<number, number>> = {
  1: 1, // BYTE
  2: 1, // ASCII
  3: 2, // SHORT
  4: 4, // LONG
  5: 8, // RATIONAL
  6: 1, // SBYTE
  7: 1, // UNDEFINED
  8: 2, // SSHORT
  9: 4, // SLONG
  10: 8, // SRATIONAL
  11: 4, // FLOAT
  12: 8, // DOUBLE
  13: 4, // IFD
  16: 8, // LONG8
  17: 8, // SLONG8
  18: 8 // IFD8
};

/** Read a 4-byte (classic) or 8-byte (BigTIFF) offset as a Number (beyond 2^53: +Infinity). */
export function readOffset(view: DataView, at: number, littleEndian: boolean, bigTiff: boolean): number {
  return Private.readOffset(view, at, littleEndian, bigTiff);
}

/** Read the header and walk the IFD chain. */
export function parseStructure(bytes: Uint8Array): TiffStructure {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  const bom = length >= 2 ? String.fromCharCode(bytes[0], bytes[1]) : '';
  if (bom !== 'II' && bom !== 'MM') {
    throw new TiffError(
      length === 0
        ? 'not a TIFF file: the file is empty'
        : `not a TIFF file: it starts with ${Private.hex(bytes.subarray(0, 4))}, not the byte-order mark "II" or "MM"`,
      'not-tiff'
    );
  }
  const littleEndian = bom === 'II';
  if (length < 8) {
    throw new TiffError(`truncated TIFF: the file has only ${length} bytes, less than a header`, 'truncated');
  }
  const version = view.getUint16(2, littleEndian);
  let bigTiff: boolean;
  let first: number;
  if (version === 42) {
    bigTiff = false;
    first = view.getUint32(4, littleEndian);
  } else if (version === 43) {
    bigTiff = true;
    if (length < 16) {
      throw new TiffError(`truncated BigTIFF: the file has only ${length} bytes, less than a header`, 'truncated');
    }
    const offsetSize = view.getUint16(4, littleEndian);
    if (offsetSize !== 8) {
      throw new TiffError(`corrupt BigTIFF header: offset size ${offsetSize}, expected 8`, 'corrupt');
    }
    first = Private.readOffset(view, 8, littleEndian, true);
  } else {
    throw new TiffError(
      `not a TIFF file: byte-order mark "${bom}" but version ${version}, not 42 (TIFF) or 43 (BigTIFF)`,
      'not-tiff'
    );
  }

  const notes: string[] = [];
  const ifds: RawIfd[] = [];
  const seen = new Set<number>();
  let offset = first;
  if (offset === 0) {
    throw new TiffError('corrupt TIFF: the header points to no image (first IFD offset is 0)', 'corrupt');
  }
  while (offset !== 0) {
    const index = ifds.length;
    if (index >= MAX_FRAMES) {
      notes.push(`more than ${MAX_FRAMES} directories: only the first ${MAX_FRAMES} frames are read`);
      break;
    }
    if (seen.has(offset)) {
      if (index === 0) {
        throw new TiffError('corrupt TIFF: the IFD chain loops', 'corrupt');
      }
      notes.push(`IFD chain loops back to offset ${offset} after ${index} frame(s); frames after that ignored`);
      break;
    }
    seen.add(offset);
    let ifd: RawIfd;
    try {
      ifd = Private.parseIfd(view, offset, littleEndian, bigTiff, index);
    } catch (e) {
      if (index === 0 || !(e instanceof TiffError)) {
        throw e;
      }
      notes.push(`${e.message}; only the first ${index} frame(s) can be read`);
      break;
    }
    ifds.push(ifd);
    offset = ifd.next;
  }
  return { littleEndian, bigTiff, ifds, notes, view };
}

/** Read the entries of a directory (unknown field types skipped; first duplicate wins). */
export function readEntries(structure: TiffStructure, ifd: RawIfd): Map<number, RawEntry> {
  const { view, littleEndian: le, bigTiff: big } = structure;
  const length = view.byteLength;
  const countBytes = big ? 8 : 2;
  const size = big ? 20 : 12;
  const inlineBytes = big ? 8 : 4;
  const entries = new Map<number, RawEntry>();
  for (let i = 0; i < ifd.count; i++) {
    const at = ifd.offset + countBytes + i * size;
    const tag = view.getUint16(at, le);
    const type = view.getUint16(at + 2, le);
    const count = big ? Private.readOffset(view, at + 4, le, true) : view.getUint32(at + 4, le);
    const valueField = at + (big ? 12 : 8);
    const typeSize = TYPE_SIZES[type];
    if (typeSize === undefined || entries.has(tag)) {
      continue; // unknown field types are skipped, as the specification asks
    }
    const bytes = count * typeSize;
    let valueAt: number;
    let inFile: boolean;
    if (bytes <= inlineBytes) {
      valueAt = valueField;
      inFile = true;
    } else {
      valueAt = Private.readOffset(view, valueField, le, big);
      inFile = Number.isFinite(bytes) && valueAt + bytes <= length;
    }
    entries.set(tag, { tag, type, count, at: valueAt, inFile });
  }
  return entries;
}

/**
 * The first value of an inline SHORT/LONG (or BigTIFF LONG8) tag, found without building the entry map
 * (for scanning many directories cheaply); undefined when absent or not inline.
 */
export function inlineNumber(structure: TiffStructure, ifd: RawIfd, tag: number): number | undefined {
  const { view, littleEndian: le, bigTiff: big } = structure;
  const size = big ? 20 : 12;
  const first = ifd.offset + (big ? 8 : 2);
  for (let i = 0; i < ifd.count; i++) {
    const at = first + i * size;
    if (view.getUint16(at, le) !== tag) {
      continue;
    }
    const type = view.getUint16(at + 2, le);
    const valueField = at + (big ? 12 : 8);
    if (type === 3) return view.getUint16(valueField, le);
    if (type === 4) return view.getUint32(valueField, le);
    if (type === 16 && big) return Private.readOffset(view, valueField, le, true);
    return undefined;
  }
  return undefined;
}

/** Reads tag values of one IFD, with bounds already checked. */
export class TagReader {
  constructor(
    private readonly view: DataView,
    private readonly bytes: Uint8Array,
    private readonly littleEndian: boolean,
    private readonly entries: ReadonlyMap<number, RawEntry>,
    /** Used in error messages, e.g. "frame 3". */
    private readonly where: string
  ) {}

  has(tag: number): boolean {
    return this.entries.has(tag);
  }

  /** Number of values of a tag (0 when absent). */
  count(tag: number): number {
    return this.entries.get(tag)?.count ?? 0;
  }

  /**
   * All values of a numeric tag, or undefined when absent.
   * @param maxCount - refuse (as corrupt) more values than this, so a forged count never allocates.
   */
  numbers(tag: number, name: string, maxCount: number): number[] | undefined {
    const entry = this.entries.get(tag);
    if (!entry) {
      return undefined;
    }
    this.checkInFile(entry, name);
    if (entry.count > maxCount) {
      throw new TiffError(
        `corrupt TIFF: ${name} of ${this.where} has ${entry.count} values, expected at most ${maxCount}`,
        'corrupt'
      );
    }
    const out = new Array<number>(entry.count);
    for (let i = 0; i < entry.count; i++) {
      out[i] = this.value(entry, i);
    }
    return out;
  }

  /** The first value of a numeric tag, or `fallback` when absent. */
  number(tag: number, name: string, fallback: number): number;
  number(tag: number, name: string): number | undefined;
  number(tag: number, name: string, fallback?: number): number | undefined {
    const entry = this.entries.get(tag);
    if (!entry || entry.count === 0) {
      return fallback;
    }
    this.checkInFile(entry, name);
    return this.value(entry, 0);
  }

  /** An ASCII tag decoded as UTF-8 (trailing NULs removed), or undefined when absent or unreadable. */
  text(tag: number): string | undefined {
    const entry = this.entries.get(tag);
    if (!entry || !entry.inFile || (entry.type !== 2 && entry.type !== 1 && entry.type !== 7)) {
      return undefined;
    }
    const raw = this.bytes.subarray(entry.at, entry.at + entry.count);
    return new TextDecoder('utf-8').decode(raw).replace(/\0+$/, '');
  }

  private checkInFile(entry: RawEntry, name: string): void {
    if (!entry.inFile) {
      throw new TiffError(
        `truncated TIFF: the ${name} values of ${this.where} lie past the end of the file`,
        'truncated'
      );
    }
    if (!TYPE_SIZES[entry.type] || entry.type === 2) {
      throw new TiffError(`corrupt TIFF: ${name} of ${this.where} has field type ${entry.type}, not a number`, 'corrupt');
    }
  }

  private value(entry: RawEntry, i: number): number {
    const v = this.view;
    const le = this.littleEndian;
    const at = entry.at + i * TYPE_SIZES[entry.type];
    switch (entry.type) {
      case 1:
      case 7:
        return v.getUint8(at);
      case 6:
        return v.getInt8(at);
      case 3:
        return v.getUint16(at, le);
      case 8:
        return v.getInt16(at, le);
      case 4:
      case 13:
        return v.getUint32(at, le);
      case 9:
        return v.getInt32(at, le);
      case 5: {
        const den = v.getUint32(at + 4, le);
        return den === 0 ? NaN : v.getUint32(at, le) / den;
      }
      case 10: {
        const den = v.getInt32(at + 4, le);
        return den === 0 ? NaN : v.getInt32(at, le) / den;
      }
      case 11:
        return v.getFloat32(at, le);
      case 12:
        return v.getFloat64(at, le);
      case 16:
      case 18:
        return Number(v.getBigUint64(at, le));
      case 17:
        return Number(v.getBigInt64(at, le));
      default:
        return NaN;
    }
  }
}

namespace Private {
  export function hex(bytes: Uint8Array): string {
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join(' ');
  }

  /** Read a 4- or 8-byte offset as a Number (beyond 2^53 is reported as +Infinity). */
  export function readOffset(view: DataView, at: number, le: boolean, big: boolean): number {
    if (!big) {
      return view.getUint32(at, le);
    }
    const value = view.getBigUint64(at, le);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value);
  }

  function entryBytes(big: boolean): number {
    return big ? 20 : 12;
  }

  export function parseIfd(
    view: DataView,
    offset: number,
    le: boolean,
    big: boolean,
    index: number
  ): RawIfd {
    const length = view.byteLength;
    const countBytes = big ? 8 : 2;
    if (offset + countBytes > length) {
      throw new TiffError(
        `truncated TIFF: the directory of frame ${index} is at byte ${offset}, past the end of the file (${length} bytes)`,
        'truncated'
      );
    }
    const n = big ? readOffset(view, offset, le, true) : view.getUint16(offset, le);
    if (n === 0) {
      throw new TiffError(`corrupt TIFF: the directory of frame ${index} has no entries`, 'corrupt');
    }
    const size = countBytes + n * entryBytes(big) + (big ? 8 : 4);
    if (offset + size > length) {
      throw new TiffError(
        `truncated TIFF: the directory of frame ${index} (${n} entries at byte ${offset}) runs past the end of the file (${length} bytes)`,
        'truncated'
      );
    }
    const next = readOffset(view, offset + size - (big ? 8 : 4), le, big);
    return { offset, count: n, next };
  }
}
