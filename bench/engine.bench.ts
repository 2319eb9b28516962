/**
 * `npm run bench -- engine`: accuracy on synthetic cases (and near-edge ones), the real images,
 * shift-equivariance, and one speed table (see `speed`). Environment: ENGINE_CASES (default
 * 210), ENGINE_SEED (of those cases, default 2024), ENGINE_EDGE_CASES (default 24; their row
 * 'near edge'), ENGINE_EDGE_SEARCH=0 (edge search off), ENGINE_PARTS (accuracy,real,speed).
 * Speed times the compiled engine in lib/ (built first).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocenter } from '../src/center/index.js';
import { openTiff } from '../src/io/index.js';
import { generatePattern } from '../tests/synth/index.js';
import { benchCases, edgeCases } from './engine-cases.js';

/** ENGINE_EDGE_SEARCH=0 runs the accuracy cases without the engine's whole-image edge search (step 6, on by default). */
const EDGE_SEARCH = process.env.ENGINE_EDGE_SEARCH !== '0';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dataDir = path.resolve(root, '../shared/data');

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

function table(header: string[], rows: (string | number)[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
}

async function accuracy(): Promise<void> {
  const count = Number(process.env.ENGINE_CASES ?? 210);
  const edgeCount = Number(process.env.ENGINE_EDGE_CASES ?? 24);
  const seed = Number(process.env.ENGINE_SEED ?? 2024);
  const cases = [...benchCases(count, seed), ...edgeCases(edgeCount)];
  const groups = new Map<string, { errors: number[]; dRow: number[]; dCol: number[]; failures: string[] }>();
  const all = { errors: [] as number[], dRow: [] as number[], dCol: [] as number[], failures: [] as string[] };
  const regular = { errors: [] as number[], dRow: [] as number[], dCol: [] as number[], failures: [] as string[] };
  let agree = 0;
  let compared = 0;
  const started = Date.now();
  for (const c of cases) {
    const p = generatePattern(c.options);
    const r = autocenter(p.image, { mask: c.useMask ? p.mask : null, edgeSearch: EDGE_SEARCH });
    const dRow = r.row - p.center.row;
    const dCol = r.col - p.center.col;
    const error = Math.hypot(dRow, dCol);
    const key = c.group ?? c.options.kind!;
    if (!groups.has(key)) groups.set(key, { errors: [], dRow: [], dCol: [], failures: [] });
    for (const g of c.group ? [groups.get(key)!, all] : [groups.get(key)!, regular, all]) {
      g.errors.push(error);
      g.dRow.push(dRow);
      g.dCol.push(dCol);
      if (error > 1) g.failures.push(`#${c.id} ${c.label}: error ${error.toFixed(2)} px`);
    }
    // The reference route on the smaller cases: does the fast route find the same peak?
    if (p.image.height * p.image.width <= 512 * 512 && c.id % 2 === 0) {
      const ref = autocenter(p.image, { mask: c.useMask ? p.mask : null, route: 'reference' });
      compared++;
      if (Math.hypot(ref.row - r.row, ref.col - r.col) < 0.05) agree++;
    }
  }
  console.log(
    `### Accuracy on ${count} synthetic cases (seed ${seed}) and ${edgeCount} with the center near an edge ` +
      `(fast route, default options${EDGE_SEARCH ? '' : ' but edge search off (ENGINE_EDGE_SEARCH=0)'}, ${((Date.now() - started) / 1000).toFixed(0)} s)\n`
  );
  const rows = [...groups.entries(), [`all ${count} regular`, regular] as const, ['all', all] as const].map(([name, g]) => {
    const sorted = [...g.errors].sort((a, b) => a - b);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    return [name, g.errors.length, fmt(percentile(sorted, 0.5), 4), fmt(percentile(sorted, 0.95), 4), fmt(sorted[sorted.length - 1], 4), fmt(mean(g.dRow), 4), fmt(mean(g.dCol), 4), g.failures.length];
  });
  table(['pattern', 'cases', 'median err (px)', 'p95 (px)', 'max (px)', 'bias row (px)', 'bias col (px)', 'failures > 1 px'], rows);
  for (const f of all.failures) console.log(`failure: ${f}`);
  console.log(`Fast route vs reference route (full-resolution FFT NCC), cases <= 512^2: same center (< 0.05 px) on ${agree}/${compared}.\n`);
}

async function loadTiff(name: string) {
  const bytes = readFileSync(path.join(dataDir, name));
  const tiff = await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return tiff.readFrame(0);
}

async function realImages(): Promise<void> {
  console.log('### Real images (../shared/data)\n');
  const rows: (string | number)[][] = [];
  const shiftRows: (string | number)[][] = [];
  for (const [name, row, col, tol] of [
    ['graphite', 557.0, 506.0, 1.5],
    ['ewald_walkoff', 323.0, 135.0, 2]
  ] as const) {
    const image = await loadTiff(`${name}.tif`);
    const maskImage = await loadTiff(`${name}_mask.tif`);
    const mask = Uint8Array.from(maskImage.data as ArrayLike<number>, v => (v ? 1 : 0));
    for (const route of ['fast', 'reference'] as const) {
      const r = autocenter(image, { mask, route });
      const distance = Math.hypot(r.row - row, r.col - col);
      rows.push([`${name} + mask`, route, `(${fmt(r.row)}, ${fmt(r.col)})`, `(${row}, ${col})`, fmt(distance, 2), distance <= tol ? `yes (<= ${tol})` : `NO (> ${tol})`, fmt(r.score), r.normalizedBackground ? 'yes' : 'no', fmt(r.ms, 0)]);
    }
    // Shift-equivariance: 12 crops with offsets up to 40 px, centers mapped back.
    const rng = { s: 7, next() { this.s = (this.s * 1103515245 + 12345) % 2147483648; return this.s / 2147483648; } };
    const found: { row: number; col: number }[] = [];
    for (let k = 0; k < 12; k++) {
      const top = Math.floor(rng.next() * 41);
      const left = Math.floor(rng.next() * 41);
      const bottom = Math.floor(rng.next() * 41);
      const right = Math.floor(rng.next() * 41);
      const h = image.height - top - bottom;
      const w = image.width - left - right;
      const data = new Float64Array(h * w);
      const m = new Uint8Array(h * w);
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          data[r * w + c] = image.data[(r + top) * image.width + c + left];
          m[r * w + c] = mask[(r + top) * image.width + c + left];
        }
      }
      const res = autocenter({ height: h, width: w, data }, { mask: m });
      found.push({ row: res.row + top, col: res.col + left });
    }
    const std = (xs: number[]) => {
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    };
    const sr = std(found.map(f => f.row));
    const sc = std(found.map(f => f.col));
    shiftRows.push([name, 12, fmt(sr, 4), fmt(sc, 4), Math.max(sr, sc) <= 0.05 ? 'yes' : 'NO']);
  }
  table(['image', 'route', 'found (row, col)', 'reference', 'distance (px)', 'within target', 'score', 'bg normalized', 'ms'], rows);
  console.log('Shift-equivariance (12 crops, offsets up to 40 px on every side, centers mapped back):\n');
  table(['image', 'crops', 'std row (px)', 'std col (px)', '<= 0.05 px'], shiftRows);
}

/**
 * Speed, one fresh process per row: the cold first call, then the warm calls (median and worst),
 * as wall time (the engine's `ms`) and as the process's CPU time per call (steadier when other
 * work shares the machine). Rows: the real images and generated spot (hexagonal, square) and
 * ring patterns per size, plus the full-resolution reference route per size. Headline: the
 * worst fast-route row per size. Environment: ENGINE_RUNS (warm calls, default 5),
 * ENGINE_SIZES (default 256,512,1024,2048), ENGINE_LIB (the compiled engine to time; default
 * lib/), ENGINE_REFERENCE=0 skips the reference rows (ENGINE_REFERENCE_SIZES limits them),
 * ENGINE_BASELINE=DIR also times another build (e.g. a copy of an earlier lib/) in the same
 * run, each row alternating between the two, and adds its CPU figures as "before" columns;
 * ENGINE_WORKER=1 adds the table of the first call in a fresh Worker (bench/engine-worker.ts).
 */
function speed(): void {
  const runs = Number(process.env.ENGINE_RUNS ?? 5);
  const sizes = (process.env.ENGINE_SIZES ?? '256,512,1024,2048').split(',').map(Number);
  const referenceSizes = (process.env.ENGINE_REFERENCE_SIZES ?? sizes.join(',')).split(',').map(Number);
  const lib = process.env.ENGINE_LIB ?? path.join(root, 'lib');
  const baseline = process.env.ENGINE_BASELINE ? path.resolve(process.env.ENGINE_BASELINE) : null;
  const targets: Record<number, number> = { 256: 7, 512: 15, 1024: 40, 2048: 120 };
  console.log(
    `### Speed (Node ${process.version}, engine in ${path.relative(root, lib) || lib}` +
      (baseline ? `, before = ${path.relative(root, baseline) || baseline}` : '') +
      `; each row a fresh process: the cold first call, then ${runs} warm calls; load average ` +
      `${loadavg().map(x => x.toFixed(1)).join(' ')} at the start)\n`
  );
  const cases: { label: string; spec: string; size: number; route: 'fast' | 'reference' }[] = [
    { label: 'graphite + mask (real, uint16)', spec: 'real:graphite', size: 1024, route: 'fast' },
    { label: 'ewald_walkoff + mask (real, float64)', spec: 'real:ewald_walkoff', size: 512, route: 'fast' },
    { label: 'extra/hotspots (real)', spec: 'real:extra/hotspots', size: 256, route: 'fast' }
  ];
  for (const size of sizes) {
    for (const kind of ['hexagonal', 'square', 'rings']) {
      cases.push({ label: `${kind} ${size}²`, spec: `synth:${kind}:${size}`, size, route: 'fast' });
    }
    if (process.env.ENGINE_REFERENCE !== '0' && referenceSizes.includes(size)) {
      cases.push({ label: `hexagonal ${size}² (reference route)`, spec: `synth:hexagonal:${size}`, size, route: 'reference' });
    }
  }
  type Measured = { times: number[]; cpu: number[]; maxRssMb: number; branches: string[]; error: number | null; center: number[] };
  const measure = (c: (typeof cases)[number], build: string): Measured => {
    const n = c.route === 'reference' ? (c.size >= 1024 ? 2 : 3) : runs + 1;
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'engine-speed.ts'), c.spec, c.route, String(n), build], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(out.trim().split('\n').pop()!) as Measured;
  };
  const rows: (string | number)[][] = [];
  const worst = new Map<number, { label: string; cold: number; warm: number; coldCpu: number; warmCpu: number }>();
  for (const c of cases) {
    let result: Measured;
    let before: Measured | null = null;
    try {
      if (baseline) {
        before = measure(c, baseline);
      }
      result = measure(c, lib);
    } catch (error) {
      rows.push([c.label, c.route, `failed: ${String(error).split('\n')[0]}`]);
      continue;
    }
    const cold = result.times[0];
    const warmTimes = result.times.slice(1);
    const warmCpu = result.cpu.slice(1);
    const shape = c.spec.startsWith('real:') ? `(${fmt(result.center[0], 1)}, ${fmt(result.center[1], 1)})` : `${fmt(result.error ?? NaN, 3)} px`;
    const row: (string | number)[] = [
      c.label,
      c.route,
      fmt(cold, 0),
      fmt(median(warmTimes), 0),
      fmt(Math.max(...warmTimes), 0),
      fmt(result.cpu[0], 0),
      fmt(median(warmCpu), 0),
      fmt(Math.max(...warmCpu), 0)
    ];
    if (baseline) {
      row.push(before ? `${fmt(before.cpu[0], 0)} / ${fmt(median(before.cpu.slice(1)), 0)} / ${fmt(Math.max(...before.cpu.slice(1)), 0)}` : 'n/a');
    }
    row.push(fmt(result.maxRssMb, 0), result.branches.join(' ') || '-', shape);
    rows.push(row);
    if (c.route === 'fast') {
      const w = worst.get(c.size) ?? { label: '', cold: 0, warm: 0, coldCpu: 0, warmCpu: 0 };
      const warmWorst = Math.max(...warmTimes);
      if (warmWorst > w.warm) {
        w.warm = warmWorst;
        w.label = c.label;
      }
      w.cold = Math.max(w.cold, cold);
      w.coldCpu = Math.max(w.coldCpu, result.cpu[0]);
      w.warmCpu = Math.max(w.warmCpu, Math.max(...warmCpu));
      worst.set(c.size, w);
    }
  }
  console.log('Headline: the worst fast-route row per size (real images counted at their size class).\n');
  table(
    ['size', 'worst warm ms (row)', 'worst warm CPU ms', 'target warm', 'worst cold ms', 'worst cold CPU ms', 'target cold (warm + 60)'],
    [...worst.entries()].sort((a, b) => a[0] - b[0]).map(([size, w]) => [
      `${size}²`,
      `${fmt(w.warm, 0)} (${w.label})`,
      fmt(w.warmCpu, 0),
      `<= ${targets[size] ?? '?'} ms`,
      fmt(w.cold, 0),
      fmt(w.coldCpu, 0),
      `<= ${(targets[size] ?? NaN) + 60} ms`
    ])
  );
  table(
    [
      'image',
      'route',
      'cold ms',
      'warm median ms',
      'warm worst ms',
      'cold CPU ms',
      'warm median CPU ms',
      'warm worst CPU ms',
      ...(baseline ? ['before: CPU cold / warm median / worst'] : []),
      'peak RSS (MB)',
      'branches',
      'center / error'
    ],
    rows
  );
  if (process.env.ENGINE_WORKER === '1') {
    workerTable(cases.filter(c => c.route === 'fast'), lib);
  }
}

/** The first call in a fresh Worker, right after its creation and after its warm-up. */
function workerTable(cases: { label: string; spec: string }[], lib: string): void {
  console.log('First Find Center in a fresh Worker (bench/engine-worker.ts; wall ms / CPU ms):\n');
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'engine-worker.ts'), c.spec, lib], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20, timeout: 600_000 });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      const cell = (x: { wall: number; cpu: number }) => `${fmt(x.wall, 0)} / ${fmt(x.cpu, 0)}`;
      rows.push([c.label, cell(r.afterCreation), cell(r.afterWarmUp), cell(r.warm), fmt(r.warmUpMs, 0)]);
    } catch (error) {
      rows.push([c.label, `failed: ${String(error).split('\n')[0]}`, '', '', '']);
    }
  }
  table(['image', 'first call after Worker creation', 'first call after warm-up', 'next (warm) call', 'warm-up took (wall ms)'], rows);
}

export default async function main(): Promise<void> {
  const only = process.env.ENGINE_PARTS?.split(',') ?? ['accuracy', 'real', 'speed'];
  if (only.includes('accuracy')) await accuracy();
  if (only.includes('real')) await realImages();
  if (only.includes('speed')) speed();
}
