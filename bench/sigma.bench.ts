/**
 * `npm run bench -- sigma`: calibration of the centers' uncertainty σ (row, col) on the synthetic
 * bench. Per pattern kind: coverage (share of cases whose error is within k σ on both axes, for
 * k = 1, 2, 3), median σ over median |error| per axis, and the median of |error| / σ.
 * Environment: SIGMA_CASES (default 150 per seed), SIGMA_SEEDS (default 2024,777: the engine
 * bench's seed, on which FIT_FLOOR was chosen, and a held-out one), SIGMA_ROUTE ('fast').
 */
import { autocenter } from '../src/center/index.js';
import { generatePattern } from '../tests/synth/index.js';
import { benchCases } from './engine-cases.js';

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

function table(header: string[], rows: (string | number)[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
}

interface Sample {
  kind: string;
  seed: number;
  label: string;
  err: [number, number];
  sigma: [number, number];
}

export default async function main(): Promise<void> {
  const count = Number(process.env.SIGMA_CASES ?? 150);
  const seeds = (process.env.SIGMA_SEEDS ?? '2024,777').split(',').map(Number);
  const route = (process.env.SIGMA_ROUTE ?? 'fast') as 'fast' | 'reference';
  const samples: Sample[] = [];
  const started = Date.now();
  for (const seed of seeds) {
    for (const c of benchCases(count, seed)) {
      const p = generatePattern(c.options);
      const r = autocenter(p.image, { mask: c.useMask ? p.mask : null, route });
      samples.push({
        kind: c.options.kind!,
        seed,
        label: `#${c.id} ${c.label}`,
        err: [r.row - p.center.row, r.col - p.center.col],
        sigma: r.sigma ?? [NaN, NaN]
      });
    }
  }
  console.log(
    `### σ calibration: ${samples.length} synthetic cases (seeds ${seeds.join(', ')}; ${route} route; ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s)\n`
  );
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    for (const key of [`${s.kind} (seed ${s.seed})`, `all (seed ${s.seed})`, 'all']) {
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(s);
    }
  }
  const rows: (string | number)[][] = [];
  for (const [name, g] of [...groups.entries()].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)))) {
    const within = (k: number): string => {
      const n = g.filter(s => Math.abs(s.err[0]) <= k * s.sigma[0] && Math.abs(s.err[1]) <= k * s.sigma[1]).length;
      return `${((100 * n) / g.length).toFixed(1)} %`;
    };
    const axis = (a: 0 | 1): string =>
      `${fmt(median(g.map(s => s.sigma[a])), 4)} / ${fmt(median(g.map(s => Math.abs(s.err[a]))), 4)}`;
    const z = g.flatMap(s => [Math.abs(s.err[0]) / s.sigma[0], Math.abs(s.err[1]) / s.sigma[1]]);
    rows.push([name, g.length, within(1), within(2), within(3), axis(0), axis(1), fmt(median(z), 2), fmt(Math.max(...z), 1)]);
  }
  table(
    ['cases', 'n', '≤ 1σ (both axes)', '≤ 2σ', '≤ 3σ', 'median σ / median |err| row (px)', 'col (px)', 'median |err|/σ', 'max |err|/σ'],
    rows
  );
  console.log('For a Gaussian error with the right σ: 1σ 46.6 %, 2σ 91.1 %, 3σ 99.5 % (both axes), median |err|/σ 0.67.\n');
  const worst = [...samples]
    .map(s => ({ s, z: Math.max(Math.abs(s.err[0]) / s.sigma[0], Math.abs(s.err[1]) / s.sigma[1]) }))
    .sort((a, b) => b.z - a.z)
    .slice(0, 8);
  console.log('Largest |err| / σ:');
  for (const { s, z } of worst) {
    console.log(
      `- seed ${s.seed} ${s.label}: err (${fmt(s.err[0], 4)}, ${fmt(s.err[1], 4)}) σ (${fmt(s.sigma[0], 4)}, ${fmt(s.sigma[1], 4)}) → ${fmt(z, 1)}σ`
    );
  }
}
