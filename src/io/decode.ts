/**
 * Decode one frame from a validated `FramePlan`: for every strip or tile, decompress it into a
 * buffer of exactly the expected size, bring its samples to native byte order, undo the
 * predictor, and copy (or convert) them into the output image. The input buffer is never
 * modified; uncompressed native-order data is copied straight from it. No DOM.
 */
import {
  deflateDecoder,
  lzwDecode,
  packbitsDecode,
  reverseBits,
  undoFloatingPointPredictor,
  undoHorizontalPredictor
} from './codecs.js';
import { TiffError } from './errors.js';
import type { DiffractionImage, PixelArray, SampleType } from './image.js';
import type { FramePlan } from './layout.js';
import { ARRAY_TYPES } from './typed.js';

/**
 * Decode the frame described by `plan` from the whole file's bytes. With `adopt`, the caller
 * gives `file` away (bytes read for this frame alone): a frame stored as it is used
 * (uncompressed, native order, its strips one after the other) is then returned as a view of
 * them, without a copy (on this machine class fresh memory costs more than decoding).
 */
export async function decodeFrame(file: Uint8Array, plan: FramePlan, adopt = false): Promise<DiffractionImage> {
  const { info } = plan;
  const { width, height, sampleType } = info;
  const adopted = adopt ? Private.storedAsUsed(file, plan) : null;
  if (adopted) {
    return { width, height, data: adopted, sampleType };
  }
  const out = Private.allocate(sampleType, width * height);
  const where = `frame ${info.index}`;
  const kind = info.tiled ? 'tile' : 'strip';
  const rowBytes =
    plan.stored === 'bool'
      ? Math.ceil(plan.blockWidth / 8)
      : plan.blockWidth * plan.samplesInBlock * plan.bytesPerSample;
  const inflate =
    plan.compressionCode === 8 || plan.compressionCode === 32946
      ? await Private.wrap(() => deflateDecoder(), `loading the Deflate decoder for ${where}`)
      : undefined;
  const blocksPerPlane = plan.blocksAcross * plan.blocksDown;
  // Whole-width strips of native-order gray samples decode straight into the output.
  const direct = Private.nativeGrayStrips(plan);
  // Otherwise LZW and PackBits decode into one reused block buffer.
  // (one per plane: separate RGB planes of a block position are combined together).
  const scratches = Array.from({ length: plan.planesUsed }, () => new Uint8Array(rowBytes * plan.blockHeight));

  for (let down = 0; down < plan.blocksDown; down++) {
    for (let across = 0; across < plan.blocksAcross; across++) {
      const planeValues: PixelArray[] = [];
      let inPlace = false; // whether the samples were decoded straight into the output
      const y0 = down * plan.blockHeight;
      const x0 = across * plan.blockWidth;
      // Strips hold only the rows that exist; tiles are always whole.
      const rows = info.tiled ? plan.blockHeight : Math.min(plan.blockHeight, height - y0);
      const expected = rows * rowBytes;
      for (let plane = 0; plane < plan.planesUsed; plane++) {
        const block = plane * blocksPerPlane + down * plan.blocksAcross + across;
        const blockWhere = `${kind} ${block} of ${where}`;
        const offset = plan.offsets[block];
        let raw = file.subarray(offset, offset + plan.byteCounts[block]);
        if (plan.fillOrderReversed) {
          raw = reverseBits(raw);
        }

        let data: Uint8Array;
        let owned = true; // whether `data` may be modified in place
        const target = (): Uint8Array => {
          if (direct) {
            inPlace = true;
            return new Uint8Array(out.buffer, y0 * width * plan.bytesPerSample, expected);
          }
          return scratches[plane].subarray(0, expected);
        };
        switch (plan.compressionCode) {
          case 1:
            data = raw;
            owned = plan.fillOrderReversed;
            break;
          case 5:
            data = target();
            Private.checkLength(lzwDecode(raw, data, blockWhere), expected, blockWhere, 'LZW');
            break;
          case 32773:
            data = target();
            Private.checkLength(packbitsDecode(raw, data), expected, blockWhere, 'PackBits');
            break;
          default:
            data = target();
            Private.checkLength(inflate!(raw, data, blockWhere), expected, blockWhere, 'Deflate');
            break;
        }
        if (data.length < expected) {
          throw new TiffError(
            `corrupt TIFF: ${blockWhere} holds ${data.length} bytes, ${expected} expected`,
            'corrupt'
          );
        }
        planeValues.push(Private.nativeSamples(data, owned, expected, rows, plan));
      }
      if (!inPlace) {
        Private.place(planeValues, out, plan, rows, x0, y0);
      }
    }
  }
  return { width, height, data: out, sampleType };
}

namespace Private {
  export const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

  /** Luminance weights (ITU-R BT.709, as scikit-image's rgb2gray). */
  const LUMA = [0.2125, 0.7154, 0.0721];

  /**
   * Whole-width strips of gray samples stored in the output's type and native byte order (no
   * floating-point predictor): they decode straight into the output, and, uncompressed, may be
   * the output (`storedAsUsed`).
   */
  export function nativeGrayStrips(plan: FramePlan): boolean {
    return (
      !plan.info.tiled &&
      plan.mode === 'gray' &&
      plan.stored === plan.info.sampleType &&
      plan.stored !== 'bool' &&
      (plan.bytesPerSample === 1 || plan.littleEndian === HOST_LE) &&
      plan.predictorCode !== 3
    );
  }

  /**
   * The frame as a view of `file` when its samples lie there as the output holds them: one
   * plane of gray samples, uncompressed, in native order, without predictor, in whole-width
   * strips that follow each other from the first, aligned for the sample type; else null.
   */
  export function storedAsUsed(file: Uint8Array, plan: FramePlan): PixelArray | null {
    const { width, height, sampleType } = plan.info;
    const bytes = plan.bytesPerSample;
    if (
      !nativeGrayStrips(plan) ||
      plan.compressionCode !== 1 ||
      plan.predictorCode !== 1 ||
      plan.fillOrderReversed ||
      plan.planesUsed !== 1 ||
      plan.samplesInBlock !== 1
    ) {
      return null;
    }
    const rowBytes = width * bytes;
    const start = plan.offsets[0];
    for (let s = 0; s < plan.blocksDown; s++) {
      const rows = Math.min(plan.blockHeight, height - s * plan.blockHeight);
      if (plan.offsets[s] !== start + s * plan.blockHeight * rowBytes || plan.byteCounts[s] < rows * rowBytes) {
        return null;
      }
    }
    const at = file.byteOffset + start;
    const n = width * height;
    if (at % bytes !== 0 || start + n * bytes > file.length) {
      return null;
    }
    return new ARRAY_TYPES[sampleType](file.buffer as ArrayBuffer, at, n);
  }

  export function allocate(type: SampleType, n: number): PixelArray {
    return new ARRAY_TYPES[type](n);
  }


  /** Run a step, turning whatever it throws into a TiffError. */
  export async function wrap<T>(step: () => Promise<T>, what: string): Promise<T> {
    try {
      return await step();
    } catch (e) {
      if (e instanceof TiffError) {
        throw e;
      }
      const message = e instanceof Error ? e.message : String(e);
      throw new TiffError(`corrupt TIFF: ${what} failed: ${message}`, 'corrupt', { cause: e });
    }
  }

  export function checkLength(got: number, expected: number, where: string, codec: string): void {
    if (got < expected) {
      throw new TiffError(
        `corrupt TIFF: the ${codec} data of ${where} decode to ${got} bytes, ${expected} expected`,
        'corrupt'
      );
    }
  }

  /**
   * The block's samples as a typed array in native byte order with the predictor undone
   * (for 'bool', the packed bytes; for 'float16', the raw 16-bit patterns).
   */
  export function nativeSamples(
    data: Uint8Array,
    owned: boolean,
    expected: number,
    rows: number,
    plan: FramePlan
  ): PixelArray {
    const bytes = plan.bytesPerSample;
    if (plan.stored === 'bool') {
      return data;
    }
    const rowSamples = plan.blockWidth * plan.samplesInBlock;
    const n = rows * rowSamples;
    let buffer: ArrayBuffer;
    let byteOffset: number;
    if (plan.predictorCode === 3) {
      buffer = undoFloatingPointPredictor(
        data,
        rows,
        rowSamples,
        plan.samplesInBlock,
        bytes,
        plan.littleEndian,
        HOST_LE
      );
      byteOffset = 0;
    } else {
      const swap = bytes > 1 && plan.littleEndian !== HOST_LE;
      const aligned = (data.byteOffset % bytes) === 0;
      const mustCopy = swap || !aligned || (plan.predictorCode === 2 && !owned);
      if (mustCopy) {
        const copy = data.slice(0, expected);
        if (swap) {
          swapBytes(copy, bytes);
        }
        buffer = copy.buffer;
        byteOffset = 0;
      } else {
        buffer = data.buffer as ArrayBuffer;
        byteOffset = data.byteOffset;
      }
      if (plan.predictorCode === 2) {
        undoHorizontalPredictor(buffer, byteOffset, rows, rowSamples, plan.samplesInBlock, bytes);
      }
    }
    switch (plan.stored) {
      case 'uint8':
        return new Uint8Array(buffer, byteOffset, n);
      case 'int8':
        return new Int8Array(buffer, byteOffset, n);
      case 'uint16':
      case 'float16':
        return new Uint16Array(buffer, byteOffset, n);
      case 'int16':
        return new Int16Array(buffer, byteOffset, n);
      case 'uint32':
        return new Uint32Array(buffer, byteOffset, n);
      case 'int32':
        return new Int32Array(buffer, byteOffset, n);
      case 'float32':
        return new Float32Array(buffer, byteOffset, n);
      default:
        return new Float64Array(buffer, byteOffset, n);
    }
  }

  function swapBytes(a: Uint8Array, bytes: number): void {
    for (let i = 0; i + bytes <= a.length; i += bytes) {
      for (let lo = i, hi = i + bytes - 1; lo < hi; lo++, hi--) {
        const t = a[lo];
        a[lo] = a[hi];
        a[hi] = t;
      }
    }
  }

  /** IEEE 754 half-precision bits to a number. */
  function half(bits: number): number {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0) {
      return sign * fraction * 2 ** -24;
    }
    if (exponent === 31) {
      return fraction ? NaN : sign * Infinity;
    }
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }

  /** Copy or convert one block's samples into the output frame. */
  export function place(
    planeValues: PixelArray[],
    out: PixelArray,
    plan: FramePlan,
    rows: number,
    x0: number,
    y0: number
  ): void {
    const { width, height } = plan.info;
    const bw = plan.blockWidth;
    const cols = Math.min(bw, width - x0);
    const validRows = Math.min(rows, height - y0);
    const spp = plan.samplesInBlock;
    const values = planeValues[0];

    if (plan.stored === 'bool') {
      const rowBytes = Math.ceil(bw / 8);
      for (let r = 0; r < validRows; r++) {
        const src = r * rowBytes;
        const dst = (y0 + r) * width + x0;
        for (let c = 0; c < cols; c++) {
          out[dst + c] = (values[src + (c >> 3)] >> (7 - (c & 7))) & 1;
        }
      }
      return;
    }
    const isHalf = plan.stored === 'float16';
    if (plan.mode === 'gray' || (plan.mode === 'first-sample' && spp === 1)) {
      if (!isHalf && bw === width && x0 === 0) {
        // Whole-width rows: the block is one run of the output (one copy, not one per row:
        // a row's copy costs microseconds before the JIT has compiled this loop).
        out.set(values.subarray(0, validRows * width), y0 * width);
        return;
      }
      for (let r = 0; r < validRows; r++) {
        const src = r * bw;
        const dst = (y0 + r) * width + x0;
        if (isHalf) {
          for (let c = 0; c < cols; c++) {
            out[dst + c] = half(values[src + c]);
          }
        } else {
          out.set(values.subarray(src, src + cols), dst);
        }
      }
      return;
    }
    if (plan.mode === 'first-sample') {
      for (let r = 0; r < validRows; r++) {
        const src = r * bw * spp;
        const dst = (y0 + r) * width + x0;
        for (let c = 0; c < cols; c++) {
          const v = values[src + c * spp];
          out[dst + c] = isHalf ? half(v) : v;
        }
      }
      return;
    }
    // Luminance.
    const [wr, wg, wb] = LUMA;
    if (spp === 1) {
      // Separate planes: the same formula over the three planes of this block position.
      const [red, green, blue] = planeValues;
      for (let r = 0; r < validRows; r++) {
        const src = r * bw;
        const dst = (y0 + r) * width + x0;
        for (let c = 0; c < cols; c++) {
          const i = src + c;
          out[dst + c] = isHalf
            ? wr * half(red[i]) + wg * half(green[i]) + wb * half(blue[i])
            : wr * red[i] + wg * green[i] + wb * blue[i];
        }
      }
      return;
    }
    for (let r = 0; r < validRows; r++) {
      const src = r * bw * spp;
      const dst = (y0 + r) * width + x0;
      for (let c = 0; c < cols; c++) {
        const i = src + c * spp;
        const red = isHalf ? half(values[i]) : values[i];
        const green = isHalf ? half(values[i + 1]) : values[i + 1];
        const blue = isHalf ? half(values[i + 2]) : values[i + 2];
        out[dst + c] = wr * red + wg * green + wb * blue;
      }
    }
  }
}
