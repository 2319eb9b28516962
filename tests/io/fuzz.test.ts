/**
 * Fuzz: 600 files mutated from the fixtures (bit flips, byte edits in the directories,
 * truncations, tag edits, garbage in compressed data), deterministic seed. Each must decode or
 * throw a TiffError within the time bound: zero hangs, zero other exception types.
 * Cases run in a worker thread with a watchdog, so even a runaway synchronous loop is caught
 * (the worker is terminated and the case reported) instead of hanging the test run.
 */
import { encodeTiff } from '../../src/io/index.js';
import { fixtures } from './fixtures.js';
import { FuzzRunner, rng } from './fuzz-harness.js';

const SEED = 0x5eed2026;
const CASES = 600;
/** A case slower than this is run again with 12× the time; slower still, it is a hang. */
const TIME_BOUND_MS = 5000;
const MAX_BYTES = 64 * 2 ** 20;

const SEED_FILES = [
  'uint16-none-strips-le',
  'uint16-lzw2-strips-le',
  'uint16-lzw-tiles-be-bigtiff',
  'uint16-zip2-tiles-le',
  'int16-packbits-strips-be',
  'uint8-lzw-strips-le',
  'int32-zip-strips-be-bigtiff',
  'float32-lzw3-strips-le',
  'float64-zip3-tiles-be',
  'float32-packbits-tiles-le-bigtiff',
  'mask-1bit-lzw',
  'mask-1bit-lsb2msb-packbits',
  'rgb-uint8-lzw2-tiles',
  'rgb-uint8-planar-zip-be',
  'rgba-uint16',
  'float16-lzw3-be',
  'stack-uint16-lzw',
  'stack-uint16-zip-tiles-be',
  'stack-per-frame-descriptions',
  'imagej-single-ifd-uint16-be',
  'tags'
];

/** Offsets of the IFD entries of a (possibly BigTIFF) file, for targeted edits. */
function entryPositions(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const big = view.getUint16(2, le) === 43;
  const positions: number[] = [];
  let offset = big ? Number(view.getBigUint64(8, le)) : view.getUint32(4, le);
  const seen = new Set<number>();
  while (offset > 0 && offset + 16 < bytes.length && !seen.has(offset) && positions.length < 200) {
    seen.add(offset);
    const n = big ? Number(view.getBigUint64(offset, le)) : view.getUint16(offset, le);
    const size = big ? 20 : 12;
    const first = offset + (big ? 8 : 2);
    for (let i = 0; i < n && first + (i + 1) * size <= bytes.length; i++) {
      positions.push(first + i * size);
    }
    const next = first + n * size;
    if (next + 8 > bytes.length) break;
    offset = big ? Number(view.getBigUint64(next, le)) : view.getUint32(next, le);
  }
  return positions;
}

function mutate(source: Uint8Array, random: () => number, kind: number): { bytes: Uint8Array; what: string } {
  const pick = (n: number): number => Math.floor(random() * n);
  const bytes = source.slice();
  const view = new DataView(bytes.buffer);
  const entries = entryPositions(source);
  const le = bytes[0] === 0x49;
  const big = view.getUint16(2, le) === 43;
  const interesting = [0, 1, 2, 3, 7, 8, 255, 256, 4095, 65535, 0x7fffffff, 0xffffffff, bytes.length, bytes.length - 1, bytes.length + 1];
  switch (kind) {
    case 0: {
      // Random bit flips anywhere.
      const flips = 1 + pick(8);
      for (let i = 0; i < flips; i++) {
        bytes[pick(bytes.length)] ^= 1 << pick(8);
      }
      return { bytes, what: `${flips} bit flips` };
    }
    case 1: {
      // Bit flips in the header and directories.
      const flips = 1 + pick(4);
      for (let i = 0; i < flips; i++) {
        const at = entries.length && random() < 0.8 ? entries[pick(entries.length)] + pick(big ? 20 : 12) : pick(16);
        bytes[at] ^= 1 << pick(8);
      }
      return { bytes, what: `${flips} bit flips in directories` };
    }
    case 2: {
      // Truncation.
      const length = random() < 0.5 ? pick(Math.min(bytes.length, 512)) : pick(bytes.length);
      return { bytes: bytes.slice(0, length), what: `truncated to ${length}` };
    }
    case 3: {
      // Tag edits: a field's type, count or value set to an interesting number.
      const at = entries[pick(entries.length)];
      const field = pick(3);
      const value = interesting[pick(interesting.length)];
      if (field === 0) {
        view.setUint16(at + 2, [0, 1, 2, 3, 4, 5, 7, 12, 16, 99][pick(10)], le);
      } else if (field === 1) {
        if (big) view.setBigUint64(at + 4, BigInt(value), le);
        else view.setUint32(at + 4, value >>> 0, le);
      } else {
        if (big) view.setBigUint64(at + 12, BigInt(value), le);
        else view.setUint32(at + 8, value >>> 0, le);
      }
      return { bytes, what: `tag at ${at}: field ${field} = ${value}` };
    }
    default: {
      // Garbage over a run of (mostly pixel/compressed) bytes.
      const start = pick(bytes.length);
      const length = 1 + pick(64);
      for (let i = start; i < Math.min(bytes.length, start + length); i++) {
        bytes[i] = pick(256);
      }
      return { bytes, what: `${length} random bytes at ${start}` };
    }
  }
}

test(`fuzz: ${CASES} mutated files decode or throw TiffError, none hangs`, async () => {
  const fx = fixtures();
  const seeds = SEED_FILES.map(name => {
    const c = fx.cases.find(k => k.name === name);
    if (!c) throw new Error(`missing seed fixture ${name}`);
    return fx.read(c);
  });
  // Plus a 3-page stack from the project's own writer.
  const f = (v: number): { height: number; width: number; data: Float32Array; sampleType: 'float32' } => ({
    height: 9,
    width: 11,
    data: new Float32Array(99).fill(v),
    sampleType: 'float32'
  });
  seeds.push(encodeTiff([f(1), f(NaN), f(-1)], { description: 'fuzz' }));

  const random = rng(SEED);
  const runner = new FuzzRunner({ script: 'fuzz-worker.mjs' });
  const tally: Record<string, number> = {};
  const failures: string[] = [];
  const slow: string[] = [];
  let slowest = 0;
  try {
    for (let id = 0; id < CASES; id++) {
      const source = seeds[id % seeds.length];
      const { bytes, what } = mutate(source, random, Math.floor(random() * 5));
      let result = await runner.run(id, { bytes, maxBytes: MAX_BYTES }, TIME_BOUND_MS);
      if (result.outcome === 'hang') {
        // On a shared machine a case can pass the bound: a hang is a case that does not end in
        // 12× the bound either. Slow cases are listed in the log.
        result = await runner.run(id, { bytes, maxBytes: MAX_BYTES }, 12 * TIME_BOUND_MS);
        if (result.outcome !== 'hang') slow.push(`case ${id} (${what}): ${result.ms.toFixed(0)} ms`);
      }
      slowest = Math.max(slowest, result.ms);
      const key = result.outcome === 'tiff-error' ? `TiffError ${result.code}` : result.outcome;
      tally[key] = (tally[key] ?? 0) + 1;
      if (result.outcome === 'hang' || result.outcome === 'other') {
        failures.push(`case ${id} (seed ${id % seeds.length}, ${what}): ${result.outcome} ${result.message ?? ''}`);
      }
    }
  } finally {
    await runner.stop();
  }
  console.log(`fuzz outcomes over ${CASES} cases (seed ${SEED.toString(16)}):`, tally, `slowest ${slowest.toFixed(0)} ms`, 'slow:', slow);
  expect(failures).toEqual([]);
  // The mutations must really exercise both paths.
  expect(tally.ok ?? 0).toBeGreaterThan(20);
  expect(CASES - (tally.ok ?? 0)).toBeGreaterThan(100);
}, 600_000);
