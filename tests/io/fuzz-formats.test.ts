/**
 * Fuzz the format readers: files mutated from the generated and real fixtures (bit flips
 * anywhere, bit flips and interesting numbers in the header, truncations, garbage runs),
 * deterministic seed. Each must open and read or throw a typed error (FormatError / TiffError)
 * within the time bound: zero hangs, zero other exception types. Cases run in a worker thread
 * with a watchdog (as the TIFF fuzz), and the worker's memory is limited, so an allocation the
 * checks missed fails the case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFixtures, formatsData } from './format-fixtures.js';
import { FuzzRunner, rng } from './fuzz-harness.js';

const SEED = 0xf0a7_2026;
const TIME_BOUND_MS = 5000;
const MAX_BYTES = 64 * 2 ** 20;

/** Where each format keeps its header (the region worth mutating most). */
const HEADER_BYTES: Record<string, number> = { mrc: 1024, mib: 384, smv: 512, cbf: 1200, dm: 4096, hdf5: 4096 };

function mutate(source: Uint8Array, headerBytes: number, random: () => number): { bytes: Uint8Array; what: string } {
  const pick = (n: number): number => Math.floor(random() * n);
  const bytes = source.slice();
  const header = Math.min(headerBytes, bytes.length);
  const interesting = [0, 1, 2, 7, 8, 127, 128, 255, 0x7fffffff, 0xffffffff, 65535, bytes.length, bytes.length + 1];
  switch (pick(5)) {
    case 0: {
      const flips = 1 + pick(8);
      for (let i = 0; i < flips; i++) bytes[pick(bytes.length)] ^= 1 << pick(8);
      return { bytes, what: `${flips} bit flips` };
    }
    case 1: {
      const flips = 1 + pick(4);
      for (let i = 0; i < flips; i++) bytes[pick(header)] ^= 1 << pick(8);
      return { bytes, what: `${flips} header bit flips` };
    }
    case 2: {
      const length = random() < 0.5 ? pick(Math.min(bytes.length, header + 64)) : pick(bytes.length);
      return { bytes: bytes.slice(0, length), what: `truncated to ${length}` };
    }
    case 3: {
      const at = pick(Math.max(1, header - 4)) & ~3;
      const value = interesting[pick(interesting.length)] >>> 0;
      new DataView(bytes.buffer).setUint32(at, value, random() < 0.5);
      // Text headers: also an interesting decimal number in place of digits.
      return { bytes, what: `u32 ${value} at ${at}` };
    }
    default: {
      const start = pick(bytes.length);
      const length = 1 + pick(64);
      for (let i = start; i < Math.min(bytes.length, start + length); i++) bytes[i] = pick(256);
      return { bytes, what: `${length} random bytes at ${start}` };
    }
  }
}

async function fuzz(
  seeds: { name: string; bytes: Uint8Array; header: number }[],
  cases: number,
  seed: number,
  warm?: Uint8Array
): Promise<void> {
  const random = rng(seed);
  // An HDF5 file opened before the timed cases (loading h5wasm is not a hang).
  const runner = new FuzzRunner({ script: 'fuzz-formats-worker.mjs', workerData: { warm }, maxOldGenerationSizeMb: 512 });
  const run = (id: number, bytes: Uint8Array, name: string, bound: number) =>
    runner.run(id, { bytes, name, maxBytes: MAX_BYTES }, bound);
  const tally: Record<string, number> = {};
  const failures: string[] = [];
  const slow: string[] = [];
  let slowest = 0;
  try {
    for (let id = 0; id < cases; id++) {
      const source = seeds[id % seeds.length];
      const { bytes, what } = mutate(source.bytes, source.header, random);
      let result = await run(id, bytes, source.name, TIME_BOUND_MS);
      if (result.outcome === 'hang') {
        // On this shared machine a big case can pass the bound: a hang is a case that does not
        // end in 12× the bound either. Slow cases are listed in the log.
        result = await run(id, bytes, source.name, 12 * TIME_BOUND_MS);
        if (result.outcome !== 'hang') slow.push(`case ${id} (${source.name}, ${what}): ${result.ms.toFixed(0)} ms`);
      }
      slowest = Math.max(slowest, result.ms);
      const key = result.outcome === 'typed-error' ? `error ${result.code}` : result.outcome;
      tally[key] = (tally[key] ?? 0) + 1;
      if (result.outcome === 'hang' || result.outcome === 'other') {
        failures.push(`case ${id} (${source.name}, ${what}): ${result.outcome} ${result.message ?? ''}`);
      }
    }
  } finally {
    await runner.stop();
  }
  console.log(`format fuzz outcomes over ${cases} cases:`, tally, `slowest ${slowest.toFixed(0)} ms`, 'slow:', slow);
  expect(failures).toEqual([]);
  expect(tally.ok ?? 0).toBeGreaterThan(cases / 20);
  expect(cases - (tally.ok ?? 0)).toBeGreaterThan(cases / 5);
}

const fx = formatFixtures();

/** A copy with the first `from` of the header (ASCII) replaced by `to` of the same length. */
function relabel(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const copy = bytes.slice();
  copy.set(new TextEncoder().encode(to), new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).indexOf(from));
  return copy;
}

test('fuzz: mutated MRC, DM3/DM4, MIB, SMV and CBF files read or throw typed errors, none hangs', async () => {
  const real = (name: string): Uint8Array => new Uint8Array(readFileSync(join(formatsData, name)));
  const seeds = [
    { name: 'stack.mrcs', bytes: fx.read('stack.mrcs').slice(0, 1024 + 3 * 64 * 64 * 2), header: HEADER_BYTES.mrc },
    { name: 'graphite-be.mrc', bytes: fx.read('graphite-be.mrc'), header: HEADER_BYTES.mrc },
    { name: 'bismuth.dm3', bytes: real('bismuth.dm3'), header: HEADER_BYTES.dm },
    { name: 'bismuth.dm4', bytes: real('bismuth.dm4'), header: HEADER_BYTES.dm },
    { name: 'test.mib', bytes: real('test.mib'), header: HEADER_BYTES.mib },
    { name: 'test_multi.mib', bytes: real('test_multi.mib'), header: HEADER_BYTES.mib },
    // the same frame relabelled raw (R64, 12-bit counters): the raw decoder's checks
    { name: 'test-r64.mib', bytes: relabel(real('test.mib'), ',U16,', ',R64,'), header: HEADER_BYTES.mib },
    { name: 'ewald.img', bytes: fx.read('ewald.img'), header: HEADER_BYTES.smv },
    { name: 'ewald.cbf', bytes: fx.read('ewald.cbf'), header: HEADER_BYTES.cbf }
  ];
  // The MRC stack seed: a 64 × 64 × 3 header edit keeps the cases fast.
  const view = new DataView(seeds[0].bytes.buffer);
  view.setInt32(0, 64, true);
  view.setInt32(4, 64, true);
  await fuzz(seeds, 720, SEED);
}, 600_000);

test('fuzz: mutated HDF5 files (EMD, HyperSpy, bitshuffle/LZ4) read or throw typed errors, none hangs', async () => {
  const seeds = [
    { name: 'small.hspy', bytes: fx.read('small.hspy'), header: HEADER_BYTES.hdf5 },
    { name: 'small.emd', bytes: fx.read('small.emd'), header: HEADER_BYTES.hdf5 },
    // bitshuffle/LZ4 chunks decoded by the project (B-tree v1; paged fixed array; extensible array)
    { name: 'bslz4_odd.h5', bytes: fx.read('bslz4_odd.h5'), header: HEADER_BYTES.hdf5 },
    { name: 'bslz4_paged.h5', bytes: fx.read('bslz4_paged.h5'), header: HEADER_BYTES.hdf5 },
    { name: 'bslz4_extensible_rows.h5', bytes: fx.read('bslz4_extensible_rows.h5'), header: HEADER_BYTES.hdf5 }
  ];
  await fuzz(seeds, 240, SEED ^ 0x5, fx.read('no-image.h5'));
}, 600_000);
