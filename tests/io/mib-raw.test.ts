/**
 * Merlin MIB beyond U08–U32: raw (R64) frames and 1-bit (U01) frames.
 *
 * What these tests rest on (no real R64 or U01 file was available; the real test.mib and
 * test_multi.mib are U16 and U08): the raw layout as LiberTEM-rs (MIT licence) documents it
 * for the Merlin stream, re-stated in src/io/mib-raw.ts and encoded here independently (a
 * writer of that description, not the reader's code); for U01, the two storages a file can
 * show (one byte per pixel, as LiberTEM-rs reads U01; or 8 pixels per byte, most significant
 * bit first, an assumption no file confirmed), told apart by the frame length the file itself
 * shows. The real test.mib relabelled R64 checks the 12-bit word order on real counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, openImage } from '../../src/io/index.js';
import { formatsData } from './format-fixtures.js';

const enc = new TextEncoder();

/** A MIB frame header padded to `size` bytes. */
function header(o: { size?: number; chips?: number; width: number; height: number; depth: string; layout?: string; counter?: number | null }): Uint8Array {
  const size = o.size ?? 384;
  const fields = [
    'MQ1', '000001', String(size).padStart(5, '0'), String(o.chips ?? 1).padStart(2, '0'),
    String(o.width).padStart(4, '0'), String(o.height).padStart(4, '0'), o.depth, (o.layout ?? '1x1').padStart(6, ' '),
    '01', '2026-12-02 06:00:00.000000', '0.001000', '0', '0', '0'
  ];
  if (o.counter !== null) fields.push('MQ1A', '2026-12-02T06:00:00.000000000Z', '1000000ns', String(o.counter ?? 12));
  const text = fields.join(',') + ',';
  const out = new Uint8Array(size).fill(0x20);
  out.set(enc.encode(text));
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Raw words of pixel values in readout order (the description in the file comment). */
function encodeRaw(values: number[], depth: number): Uint8Array {
  const per = depth === 1 ? 64 : depth === 6 ? 8 : 4;
  const out = new Uint8Array((values.length / per) * 8);
  for (let w = 0; w < values.length / per; w++) {
    const word = values.slice(w * per, (w + 1) * per);
    if (depth === 1) {
      // one big-endian 64-bit value, pixel k in bit k
      let v = 0n;
      word.forEach((p, k) => (v |= BigInt(p & 1) << BigInt(k)));
      new DataView(out.buffer).setBigUint64(w * 8, v, false);
    } else if (depth === 6) {
      word.forEach((p, k) => (out[w * 8 + 7 - k] = p));
    } else {
      word.forEach((p, k) => new DataView(out.buffer).setUint16(w * 8 + 2 * (3 - k), p, false));
    }
  }
  return out;
}

const maxOf = (depth: number): number => (depth === 1 ? 2 : depth === 6 ? 64 : 4096);
const pattern = (n: number, depth: number, seed: number): number[] => Array.from({ length: n }, (_, i) => ((i * 2654435761 + seed) >>> 7) % maxOf(depth));

describe('R64 raw frames', () => {
  test.each([1, 6, 12])('single chip, %i-bit counters: every pixel in image order', async depth => {
    const frames = [pattern(256 * 256, depth, 1), pattern(256 * 256, depth, 2)];
    const bytes = concat(...frames.flatMap(f => [header({ width: 256, height: 256, depth: 'R64', counter: depth }), encodeRaw(f, depth)]));
    const file = await openImage(bytes, 'raw.mib');
    expect([file.info.frames, file.info.height, file.info.width, file.info.sampleType]).toEqual([2, 256, 256, depth === 12 ? 'uint16' : 'uint8']);
    for (let i = 0; i < 2; i++) expect(Array.from((await file.readFrame(i)).data)).toEqual(frames[i]);
    expect(file.info.notes.join(' ')).toMatch(/raw \(R64\)/);
  });

  test.each([
    ['2x2', 12, 0],
    ['2x2G', 12, 2],
    ['2x2', 1, 0],
    ['2x2G', 6, 2]
  ])('quad %s, %i-bit: chips 1, 2 on top, 3 and 4 turned by 180° below, gaps left 0', async (layout, depth, gap) => {
    const image = (r: number, c: number): number => (r * 7 + c * 13 + (r >= 256 ? 1 : 0)) % maxOf(depth);
    // The raw stream: per raw row r, one row of each chip in the order 4, 3, 2, 1.
    const raw: number[] = [];
    for (let r = 0; r < 256; r++) {
      const chip4 = Array.from({ length: 256 }, (_, k) => image(511 - r, 511 - k));
      const chip3 = Array.from({ length: 256 }, (_, k) => image(511 - r, 255 - k));
      const chip2 = Array.from({ length: 256 }, (_, k) => image(r, 256 + k));
      const chip1 = Array.from({ length: 256 }, (_, k) => image(r, k));
      raw.push(...chip4, ...chip3, ...chip2, ...chip1);
    }
    const bytes = concat(header({ size: 768, chips: 4, width: 512, height: 512, depth: 'R64', layout, counter: depth }), encodeRaw(raw, depth));
    const file = await openImage(bytes, 'quad.mib');
    const size = 512 + gap;
    expect([file.info.height, file.info.width]).toEqual([size, size]);
    const frame = await file.readFrame(0);
    const mismatches: string[] = [];
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const inGap = gap > 0 && ((r >= 256 && r < 256 + gap) || (c >= 256 && c < 256 + gap));
        const want = inGap ? 0 : image(r >= 256 + gap ? r - gap : r, c >= 256 + gap ? c - gap : c);
        if (frame.data[r * size + c] !== want && mismatches.length < 5) mismatches.push(`(${r}, ${c}): ${frame.data[r * size + c]} ≠ ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('the real test.mib relabelled R64 (12-bit counters, 1x1): each word\'s four values in reverse order', async () => {
    const mib = new Uint8Array(readFileSync(join(formatsData, 'test.mib')));
    const u16 = await (await openImage(mib, 'test.mib')).readFrame(0);
    const relabelled = mib.slice();
    relabelled.set(enc.encode(',R64,'), new TextDecoder('latin1').decode(mib.subarray(0, 384)).indexOf(',U16,'));
    const raw = await (await openImage(relabelled, 'test.mib')).readFrame(0);
    expect(raw.sampleType).toBe('uint16');
    let differing = 0;
    for (let i = 0; i < raw.data.length; i++) {
      expect(raw.data[i]).toBe(u16.data[(i & ~3) + 3 - (i & 3)]);
      if (raw.data[i] !== u16.data[i]) differing++;
    }
    expect(differing).toBeGreaterThan(1000); // real counts: the order matters
  });

  test.each([
    ['24-bit counters', header({ width: 256, height: 256, depth: 'R64', counter: 24 }), /24-bit/],
    ['no MQ1A extended header', header({ width: 256, height: 256, depth: 'R64', counter: null }), /MQ1A/],
    ['sensor layout Nx1', header({ size: 768, chips: 4, width: 1024, height: 256, depth: 'R64', layout: 'Nx1', counter: 12 }), /"Nx1"/]
  ])('refused: %s', async (_, head, message) => {
    const bytes = concat(head, new Uint8Array(256 * 256 * 4));
    const error = await openImage(bytes, 'x.mib').catch(e => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ code: 'unsupported-format', message: expect.stringMatching(message) });
  });
});

describe('U01 frames', () => {
  const pixels = pattern(256 * 256, 1, 5);
  const packed = (values: number[]): Uint8Array => {
    const out = new Uint8Array(values.length / 8);
    values.forEach((v, i) => (out[i >> 3] |= v << (7 - (i & 7))));
    return out;
  };
  const u01 = header({ width: 256, height: 256, depth: 'U01', counter: 1 });

  test.each([1, 3])('one byte per pixel (%i frames): read as stored', async n => {
    const bytes = concat(...Array.from({ length: n }, () => [u01, Uint8Array.from(pixels)]).flat());
    const file = await openImage(bytes, 'u01.mib');
    expect(file.info.frames).toBe(n);
    expect(Array.from((await file.readFrame(n - 1)).data)).toEqual(pixels);
    expect(file.info.notes.join(' ')).not.toMatch(/8 pixels per byte/);
  });

  test.each([1, 3])('8 pixels per byte, most significant bit first (%i frames)', async n => {
    const bytes = concat(...Array.from({ length: n }, () => [u01, packed(pixels)]).flat());
    const file = await openImage(bytes, 'u01.mib');
    expect(file.info.frames).toBe(n);
    expect(Array.from((await file.readFrame(n - 1)).data)).toEqual(pixels);
    expect(file.info.notes.join(' ')).toMatch(/8 pixels per byte, most significant bit first/);
  });
});
