/**
 * Block decoders: LZW, PackBits and Deflate decode into a preallocated buffer of the size the
 * layout expects, so a corrupt or hostile stream can neither run forever nor allocate more.
 * Deflate is pako's streaming inflater (loaded lazily by dynamic import), stopped as soon as the
 * block is full. Plus the two TIFF predictors and the FillOrder bit reversal. No DOM.
 *
 * geotiff's decoders are not used: its LZW and PackBits grow plain JS arrays byte by byte
 * (measured: 2.7 s for a 4096 x 4096 uint16 LZW frame) and bound neither output nor work, and
 * its Deflate inflates a whole strip at once (a 1 MB hostile strip can ask for ~1 GB).
 */
import { TiffError } from './errors.js';

/**
 * Decode a TIFF LZW stream (MSB-first codes, 9 to 12 bits, "early change") into `out`.
 * Stops at the end-of-information code, when `out` is full, or when the input runs out.
 * Every step consumes at least 9 input bits, so the work is bounded by the input size.
 *
 * @returns the number of bytes written.
 * @throws TiffError('corrupt') on an impossible code, ('unsupported-format') on pre-TIFF-6 LZW.
 */
export function lzwDecode(src: Uint8Array, out: Uint8Array, where: string): number {
  if (src.length >= 2 && src[0] === 0 && (src[1] & 1) === 1) {
    throw new TiffError(`unsupported TIFF: ${where} uses old-style (pre-TIFF 6.0) LZW`, 'unsupported-format');
  }
  // Every table string is a copy of earlier output: keep where (in `out`) and how long it is.
  const positions = Private.positions;
  const lengths = Private.lengths;
  const outLength = out.length;
  const srcLength = src.length;
  let nbits = 9;
  let mask = 511;
  let next = 258;
  let old = -1;
  let previous = 0; // where the string of `old` was written
  let acc = 0;
  let accBits = 0;
  let ip = 0;
  let op = 0;
  while (op < outLength) {
    if (accBits < nbits) {
      if (ip + 1 < srcLength) {
        acc = ((acc & 0xffff) << 16) | (src[ip] << 8) | src[ip + 1];
        ip += 2;
        accBits += 16;
      } else if (ip < srcLength) {
        acc = ((acc & 0xffff) << 8) | src[ip++];
        accBits += 8;
        if (accBits < nbits) {
          return op; // input ends without an end-of-information code (tolerated, as libtiff)
        }
      } else {
        return op;
      }
    }
    accBits -= nbits;
    const code = (acc >>> accBits) & mask;
    if (code === 256) {
      nbits = 9;
      mask = 511;
      next = 258;
      old = -1;
      continue;
    }
    if (code === 257) {
      break;
    }
    if (old === -1) {
      if (code > 255) {
        throw new TiffError(`corrupt LZW data in ${where}: code ${code} right after a clear code`, 'corrupt');
      }
      previous = op;
      out[op++] = code;
      old = code;
      continue;
    }
    const start = op;
    if (code < 256) {
      out[op++] = code;
    } else {
      let from: number;
      let len: number;
      if (code < next) {
        from = positions[code];
        len = lengths[code];
      } else if (code === next) {
        // KwKwK: the previous string plus its own first byte; an overlapping forward copy.
        from = previous;
        len = (old < 256 ? 1 : lengths[old]) + 1;
      } else {
        throw new TiffError(
          `corrupt LZW data in ${where}: code ${code} is not in the table (${next} entries)`,
          'corrupt'
        );
      }
      const end = Math.min(op + len, outLength);
      while (op < end) {
        out[op++] = out[from++];
      }
    }
    if (next < 4096) {
      positions[next] = previous;
      lengths[next] = (old < 256 ? 1 : lengths[old]) + 1;
      next++;
      if (next >= mask && nbits < 12) {
        nbits++;
        mask = (mask << 1) | 1;
      }
    }
    old = code;
    previous = start;
  }
  return op;
}

/**
 * Decode PackBits into `out` until it is full or the input ends.
 * @returns the number of bytes written.
 */
export function packbitsDecode(src: Uint8Array, out: Uint8Array): number {
  const n = src.length;
  const outLength = out.length;
  let ip = 0;
  let op = 0;
  while (ip < n && op < outLength) {
    const header = src[ip++];
    if (header < 128) {
      const count = Math.min(header + 1, n - ip, outLength - op);
      out.set(src.subarray(ip, ip + count), op);
      ip += header + 1;
      op += count;
    } else if (header > 128) {
      if (ip >= n) {
        break;
      }
      const count = Math.min(257 - header, outLength - op);
      out.fill(src[ip++], op, op + count);
      op += count;
    } // 128 is a no-op
  }
  return op;
}

/**
 * A bounded Deflate (zlib) block decoder; pako's module is imported on first use.
 * The decoder inflates `src` into `out` chunk by chunk and stops once `out` is full, so at most
 * one 64 KiB chunk is held beyond the expected size whatever the stream claims.
 *
 * @returns a function giving the number of bytes written (fewer than `out.length` when the
 *   stream ends early); it throws TiffError('corrupt') on an invalid stream.
 */
export async function deflateDecoder(): Promise<(src: Uint8Array, out: Uint8Array, where: string) => number> {
  const { Inflate } = await import('pako');
  return (src, out, where) => {
    let written = 0;
    const full = new Error('block full');
    const inflater = new Inflate({ chunkSize: 1 << 16 });
    inflater.onData = (chunk: Uint8Array) => {
      const n = Math.min(chunk.length, out.length - written);
      out.set(n === chunk.length ? chunk : chunk.subarray(0, n), written);
      written += n;
      if (written >= out.length) {
        throw full; // stop inflating: the rest would not fit the block
      }
    };
    try {
      inflater.push(src, true);
    } catch (e) {
      if (e !== full) {
        throw new TiffError(`corrupt TIFF: the Deflate data of ${where} cannot be inflated: ${String(e)}`, 'corrupt', {
          cause: e
        });
      }
      return written;
    }
    if (inflater.err) {
      throw new TiffError(`corrupt TIFF: the Deflate data of ${where} is invalid (${inflater.msg})`, 'corrupt');
    }
    return written;
  };
}

/** Reverse the bit order of every byte (FillOrder 2), into a new array. */
export function reverseBits(src: Uint8Array): Uint8Array {
  const table = Private.reversed();
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    out[i] = table[src[i]];
  }
  return out;
}

/**
 * Undo the horizontal-differencing predictor (2) in place, on samples already in native byte
 * order: each sample adds the one `stride` samples to its left, row by row.
 *
 * @param bytesPerSample - 1, 2, 4 or 8 (integer wrap-around as in libtiff, also for floats).
 */
export function undoHorizontalPredictor(
  buffer: ArrayBuffer,
  byteOffset: number,
  rows: number,
  rowSamples: number,
  stride: number,
  bytesPerSample: number
): void {
  const n = rows * rowSamples;
  if (bytesPerSample === 8) {
    const a = new BigUint64Array(buffer, byteOffset, n);
    for (let r = 0; r < rows; r++) {
      const start = r * rowSamples;
      for (let i = start + stride; i < start + rowSamples; i++) {
        a[i] = BigInt.asUintN(64, a[i] + a[i - stride]);
      }
    }
    return;
  }
  if (bytesPerSample === 1) {
    Private.accumulate8(new Uint8Array(buffer, byteOffset, n), rows, rowSamples, stride);
  } else if (bytesPerSample === 2) {
    Private.accumulate16(new Uint16Array(buffer, byteOffset, n), rows, rowSamples, stride);
  } else {
    Private.accumulate32(new Uint32Array(buffer, byteOffset, n), rows, rowSamples, stride);
  }
}

/**
 * Undo the floating-point predictor (3): per row, bytes are differenced with a stride of
 * `stride` bytes and stored as byte planes. As libtiff (4.5, on the little-endian hosts that
 * write nearly all files) lays them out, byte k of a sample in the file's byte order comes from
 * plane (bytesPerSample - 1 - k): plane 0 is the most significant byte of little-endian files
 * and the least significant of big-endian ones. Returns the samples in native order, in a new
 * buffer.
 */
export function undoFloatingPointPredictor(
  src: Uint8Array,
  rows: number,
  rowSamples: number,
  stride: number,
  bytesPerSample: number,
  fileLittleEndian: boolean,
  hostLittleEndian: boolean
): ArrayBuffer {
  const sameOrder = fileLittleEndian === hostLittleEndian;
  const rowBytes = rowSamples * bytesPerSample;
  const work = src.slice(0, rows * rowBytes);
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const base = r * rowBytes;
    for (let i = base + stride; i < base + rowBytes; i++) {
      work[i] = (work[i] + work[i - stride]) & 0xff;
    }
    for (let s = 0; s < rowSamples; s++) {
      for (let p = 0; p < bytesPerSample; p++) {
        const value = work[base + p * rowSamples + s];
        const target = sameOrder ? bytesPerSample - 1 - p : p;
        out[base + s * bytesPerSample + target] = value;
      }
    }
  }
  return out.buffer;
}

namespace Private {
  // LZW string table, shared (decoding is synchronous and never re-entrant): where each
  // code's string was first written in the output, and its length.
  export const positions = new Int32Array(4096);
  export const lengths = new Uint16Array(4096);

  // One loop per array type keeps each monomorphic (fast) in V8.
  export function accumulate8(a: Uint8Array, rows: number, rowSamples: number, stride: number): void {
    for (let r = 0; r < rows; r++) {
      const end = (r + 1) * rowSamples;
      for (let i = r * rowSamples + stride; i < end; i++) {
        a[i] += a[i - stride];
      }
    }
  }
  export function accumulate16(a: Uint16Array, rows: number, rowSamples: number, stride: number): void {
    for (let r = 0; r < rows; r++) {
      const end = (r + 1) * rowSamples;
      for (let i = r * rowSamples + stride; i < end; i++) {
        a[i] += a[i - stride];
      }
    }
  }
  export function accumulate32(a: Uint32Array, rows: number, rowSamples: number, stride: number): void {
    for (let r = 0; r < rows; r++) {
      const end = (r + 1) * rowSamples;
      for (let i = r * rowSamples + stride; i < end; i++) {
        a[i] += a[i - stride];
      }
    }
  }

  let table: Uint8Array | null = null;
  export function reversed(): Uint8Array {
    if (!table) {
      table = new Uint8Array(256);
      for (let i = 0; i < 256; i++) {
        let v = 0;
        for (let b = 0; b < 8; b++) {
          v |= ((i >> b) & 1) << (7 - b);
        }
        table[i] = v;
      }
    }
    return table;
  }
}
