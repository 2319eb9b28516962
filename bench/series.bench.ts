/**
 * `npm run bench -- series`: the CLI on drifting stacks, end to end (`node lib/cli/diffraction-center.js
 * STACK --frames all --ndjson`, Node start-up, worker threads and file reading included).
 *
 * - speed: frames/s over the whole run (wall clock), and CPU time per frame (user + system of
 *   the process and its threads, from /usr/bin/time), with tracking (default --reseed 20) on
 *   --jobs 2, on --jobs 1, and with a full search on every frame (--reseed 1) for comparison;
 * - accuracy: per-frame distance to the true center (median, 95th percentile, max).
 *
 * Target (issue 14): a 40-frame 512² drifting stack at ≥ 100 frames/s on 2 cores with tracking;
 * per-frame median error ≤ 0.05 px on these stacks.
 *
 * - the viewer's pool (Find Centers of All Frames: `SeriesPool` and its series Workers, run in
 *   Node worker threads by bench/series-pool.ts): frames/s from the pool's creation to the last
 *   frame (Worker start-up included; the page, the reading Worker and the drawing are not), on
 *   the same stack and on a SERIES_POOL_SIZE² (128²) one;
 * - steady state: the median engine time of a tracked frame (`ms` of the records, wall clock in
 *   its thread), and the frames/s the run's threads would give at that rate (threads x 1000 / ms),
 *   start-up and full searches left out.
 *
 * Environment: SERIES_FRAMES (40), SERIES_SIZE (512), SERIES_RUNS (3 timed runs per setting),
 * SERIES_STACKS (comma-separated names, default all four), SERIES_POOL_SIZE (128; 0 = no pool
 * rows), SERIES_BASELINE=DIR also runs another build's CLI (e.g. a copy of an earlier lib/, with
 * node_modules and package.json beside it) alternately in the same run, as "before" columns.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTiff } from '../src/io/index.js';
import { driftingStack, STACKS, type DriftingStack } from './series-stack.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = path.resolve(here, '..', 'lib');
const baseline = process.env.SERIES_BASELINE ? path.resolve(process.env.SERIES_BASELINE) : null;

const FRAMES = Number(process.env.SERIES_FRAMES ?? 40);
const SIZE = Number(process.env.SERIES_SIZE ?? 512);
const RUNS = Number(process.env.SERIES_RUNS ?? 3);
const POOL_SIZE = Number(process.env.SERIES_POOL_SIZE ?? 128);


interface Run {
  wall: number;
  cpu: number;
  records: { frame: number; row: number; col: number; method: string; ms: number; error?: string }[];
}

function runCli(build: string, file: string, args: string[], timing: string): Run {
  const cli = path.join(build, 'cli', 'diffraction-center.js');
  const out = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %U %S', '-o', timing, process.execPath, cli, file, '--frames', 'all', '--ndjson', '--no-progress', ...args],
    { encoding: 'utf8', maxBuffer: 1 << 28 }
  );
  if (out.status !== 0) {
    throw new Error(`diffraction-center failed (${out.status}): ${out.stderr}`);
  }
  const [wall, user, system] = readFileSync(timing, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
  const records = out.stdout.trim().split('\n').map(line => JSON.parse(line));
  return { wall, cpu: user + system, records };
}

/** The viewer's pool on `file` with `workers` Workers (bench/series-pool.ts, a fresh process). */
function runPool(build: string, file: string, workers: number): Run {
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'series-pool.ts'), file, String(workers), build], {
    cwd: path.resolve(here, '..'),
    encoding: 'utf8',
    maxBuffer: 1 << 28
  });
  if (out.status !== 0) {
    throw new Error(`series-pool failed (${out.status}): ${out.stderr}`);
  }
  const r = JSON.parse(out.stdout.trim().split('\n').pop()!);
  return { wall: r.wall / 1000, cpu: r.cpu / 1000, records: r.records };
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
const load = () => loadavg().map(x => x.toFixed(1)).join(', ');

/**
 * frames/s (median, best), CPU ms/frame, tracked frames, tracked ms (median), and the steady
 * state of `threads` threads at that rate.
 */
function figures(runs: Run[], threads: number): string[] {
  const walls = runs.map(r => r.wall);
  const records = runs[0].records;
  const tracked = records.filter(r => r.method === 'tracked');
  const trackedMs = tracked.length ? median(tracked.map(r => r.ms)) : NaN;
  return [
    (FRAMES / median(walls)).toFixed(1),
    (FRAMES / Math.min(...walls)).toFixed(1),
    ((1000 * median(runs.map(r => r.cpu))) / FRAMES).toFixed(1),
    `${tracked.length}/${FRAMES}`,
    trackedMs.toFixed(1),
    ((1000 * threads) / trackedMs).toFixed(0)
  ];
}

/** Per-frame distance to the truth: median, 95th percentile, max. */
function errors(run: Run, truth: { row: number; col: number }[]): string[] {
  const e = run.records.map(r =>
    r.error ? Infinity : Math.hypot(r.row - truth[r.frame].row, r.col - truth[r.frame].col)
  );
  const sorted = [...e].sort((a, b) => a - b);
  return [percentile(sorted, 0.5).toFixed(4), percentile(sorted, 0.95).toFixed(4), sorted[sorted.length - 1].toFixed(4)];
}

export default async function main(): Promise<void> {
  const names = (process.env.SERIES_STACKS ?? Object.keys(STACKS).join(',')).split(',');
  const dir = mkdtempSync(path.join(tmpdir(), 'series-bench-'));
  const timing = path.join(dir, 'time.txt');
  console.log(
    `### Series: ${FRAMES} frames of ${SIZE}², the CLI end to end (load average before: ${load()})` +
      (baseline ? `; before = ${baseline}, run alternately` : '') +
      '\n'
  );
  const speed: string[][] = [];
  const accuracy: string[][] = [];
  const write = (stack: DriftingStack, size: number, file: string) => {
    writeFileSync(file, encodeTiff(stack.frames));
    if (stack.mask) {
      writeFileSync(file.replace(/\.tif$/, '_mask.tif'), encodeTiff({ height: size, width: size, data: stack.mask, sampleType: 'uint8' }));
    }
  };
  try {
    for (const name of names) {
      const stack = driftingStack({ ...STACKS[name], frames: FRAMES, size: SIZE });
      const file = path.join(dir, `${name}.tif`);
      write(stack, SIZE, file);
      type Setting = { label: string; run: (build: string) => Run; runs: number; truth: DriftingStack['centers']; threads: number };
      const settings: Setting[] = [
        { label: 'tracking, --jobs 2', run: b => runCli(b, file, ['--jobs', '2'], timing), runs: RUNS, truth: stack.centers, threads: 2 },
        { label: 'tracking, --jobs 1', run: b => runCli(b, file, ['--jobs', '1'], timing), runs: 1, truth: stack.centers, threads: 1 },
        {
          label: 'full search every frame, --jobs 2',
          run: b => runCli(b, file, ['--jobs', '2', '--reseed', '1'], timing),
          runs: 1,
          truth: stack.centers,
          threads: 2
        }
      ];
      if (POOL_SIZE > 0) {
        settings.push({ label: 'viewer pool, 2 Workers', run: b => runPool(b, file, 2), runs: 1, truth: stack.centers, threads: 2 });
        const small = driftingStack({ ...STACKS[name], frames: FRAMES, size: POOL_SIZE });
        const smallFile = path.join(dir, `${name}-${POOL_SIZE}.tif`);
        write(small, POOL_SIZE, smallFile);
        for (const workers of [2, 1]) {
          settings.push({
            label: `viewer pool, ${workers} Worker${workers > 1 ? 's' : ''}, ${POOL_SIZE}²`,
            run: b => runPool(b, smallFile, workers),
            runs: 1,
            truth: small.centers,
            threads: workers
          });
        }
      }
      for (const { label, run, runs, truth, threads } of settings) {
        const after: Run[] = [];
        const before: Run[] = [];
        for (let k = 0; k < runs; k++) {
          if (baseline) {
            before.push(run(baseline));
          }
          after.push(run(lib));
        }
        const now = figures(after, threads);
        const was = baseline ? figures(before, threads) : null;
        speed.push(
          was
            ? [name, label, was[0], now[0], now[1], was[2], now[2], now[3], was[4], now[4], now[5]]
            : [name, label, ...now]
        );
        accuracy.push([name, label, ...errors(after[0], truth), ...(baseline ? [errors(before[0], truth)[0]] : [])]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const table = (header: string[], rows: string[][]) => {
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map(() => '---').join(' | ')} |`);
    rows.forEach(row => console.log(`| ${row.join(' | ')} |`));
    console.log('');
  };
  table(
    baseline
      ? ['stack', 'run', 'frames/s before', 'frames/s (median)', 'frames/s (best)', 'CPU ms/frame before', 'CPU ms/frame', 'tracked frames', 'tracked ms before', 'tracked ms', 'steady state frames/s']
      : ['stack', 'run', 'frames/s (median)', 'frames/s (best)', 'CPU ms/frame', 'tracked frames', 'tracked ms (median)', 'steady state frames/s'],
    speed
  );
  table(['stack', 'run', 'median error (px)', 'p95 (px)', 'max (px)', ...(baseline ? ['median error before (px)'] : [])], accuracy);
  console.log(`Runs per setting: ${RUNS} (tracking, --jobs 2), 1 otherwise. Load average after: ${load()}.`);
  console.log(
    'CLI rows: wall time includes starting Node, the worker threads and reading the file; CPU time is all threads. ' +
      'Pool rows: from the pool\'s creation (Worker start-up included, Node start-up not). ' +
      'Tracked ms: the engine time of a tracked frame (median, wall clock in its thread); steady state = threads x 1000 / tracked ms.'
  );
}
