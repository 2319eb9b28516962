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
 * Environment: SERIES_FRAMES (40), SERIES_SIZE (512), SERIES_RUNS (3 timed runs per setting),
 * SERIES_STACKS (comma-separated names, default all four).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTiff } from '../src/io/index.js';
import { driftingStack, type DriftingStackOptions } from './series-stack.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '..', 'lib', 'cli', 'diffraction-center.js');

const FRAMES = Number(process.env.SERIES_FRAMES ?? 40);
const SIZE = Number(process.env.SERIES_SIZE ?? 512);
const RUNS = Number(process.env.SERIES_RUNS ?? 3);

const STACKS: Record<string, Omit<DriftingStackOptions, 'frames' | 'size'>> = {
  rings: { kind: 'rings', seed: 1 },
  hexagonal: { kind: 'hexagonal', seed: 2 },
  'hexagonal+beam-block': { kind: 'hexagonal', seed: 3, extra: { beamBlock: { side: 'top' } } },
  'square+walk-off': { kind: 'square', seed: 4, extra: { walkOff: 0.5 } }
};

interface Run {
  wall: number;
  cpu: number;
  records: { frame: number; row: number; col: number; method: string; error?: string }[];
}

function runCli(file: string, args: string[], timing: string): Run {
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

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
const load = () => loadavg().map(x => x.toFixed(1)).join(', ');

export default async function main(): Promise<void> {
  const names = (process.env.SERIES_STACKS ?? Object.keys(STACKS).join(',')).split(',');
  const dir = mkdtempSync(path.join(tmpdir(), 'series-bench-'));
  const timing = path.join(dir, 'time.txt');
  console.log(`### Series: ${FRAMES} frames of ${SIZE}², the CLI end to end (load average before: ${load()})\n`);
  const speed: string[][] = [];
  const accuracy: string[][] = [];
  try {
    for (const name of names) {
      const stack = driftingStack({ ...STACKS[name], frames: FRAMES, size: SIZE });
      const file = path.join(dir, `${name}.tif`);
      writeFileSync(file, encodeTiff(stack.frames));
      if (stack.mask) {
        writeFileSync(path.join(dir, `${name}_mask.tif`), encodeTiff({ height: SIZE, width: SIZE, data: stack.mask, sampleType: 'uint8' }));
      }
      const settings: [string, string[], number][] = [
        ['tracking, --jobs 2', ['--jobs', '2'], RUNS],
        ['tracking, --jobs 1', ['--jobs', '1'], 1],
        ['full search every frame, --jobs 2', ['--jobs', '2', '--reseed', '1'], 1]
      ];
      for (const [label, args, runs] of settings) {
        const timed = Array.from({ length: runs }, () => runCli(file, args, timing));
        const walls = timed.map(r => r.wall);
        const errors = timed[0].records.map(r =>
          r.error ? Infinity : Math.hypot(r.row - stack.centers[r.frame].row, r.col - stack.centers[r.frame].col)
        );
        const sorted = [...errors].sort((a, b) => a - b);
        const tracked = timed[0].records.filter(r => r.method === 'tracked').length;
        speed.push([
          name,
          label,
          (FRAMES / median(walls)).toFixed(1),
          (FRAMES / Math.min(...walls)).toFixed(1),
          ((1000 * median(timed.map(r => r.cpu))) / FRAMES).toFixed(1),
          `${tracked}/${FRAMES}`
        ]);
        accuracy.push([name, label, percentile(sorted, 0.5).toFixed(4), percentile(sorted, 0.95).toFixed(4), sorted[sorted.length - 1].toFixed(4)]);
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
  table(['stack', 'run', 'frames/s (median)', 'frames/s (best)', 'CPU ms/frame', 'tracked frames'], speed);
  table(['stack', 'run', 'median error (px)', 'p95 (px)', 'max (px)'], accuracy);
  console.log(`Runs per setting: ${RUNS} (tracking, --jobs 2), 1 otherwise. Load average after: ${load()}.`);
  console.log('Wall time includes starting Node, the worker threads and reading the file; CPU time is all threads.');
}
