/**
 * One speed measurement in a fresh process (so its peak RSS belongs to this size and route):
 * `tsx bench/engine-speed.ts SIZE ROUTE RUNS` prints one JSON line {times, maxRssMb, baseRssMb}.
 *
 * It times the compiled engine in lib/ (`npm run build:lib`): the code the CLI, the Node API and
 * the labextension's Worker run. The same source run through tsx's on-the-fly transpiler was
 * measured 15-20 % slower. The test pattern comes from the sources (tests/synth, not published in
 * lib/); it is drawn before the timed runs and the base RSS reading.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { generatePattern } from '../tests/synth/index.js';

type Center = typeof import('../src/center/index.js');

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const load = async <T>(file: string): Promise<T> =>
    (await import(pathToFileURL(path.join(root, 'lib', file)).href)) as T;
  const { autocenter } = await load<Center>('center/index.js');

  const [size, route, runs] = [Number(process.argv[2]), process.argv[3] as 'fast' | 'reference', Number(process.argv[4] ?? 5)];
  const p = generatePattern({
    kind: 'hexagonal',
    height: size,
    seed: 77,
    center: { row: size / 2 + 10.3, col: size / 2 - 7.6 },
    hotPixels: 16,
    beamBlock: { side: 'top' }
  });
  if (global.gc) {
    global.gc();
  }
  const baseRssMb = process.resourceUsage().maxRSS / 1024;
  const times: number[] = [];
  let error = 0;
  for (let k = 0; k < runs; k++) {
    const r = autocenter(p.image, { mask: p.mask, route });
    times.push(r.ms);
    error = Math.hypot(r.row - p.center.row, r.col - p.center.col);
  }
  console.log(JSON.stringify({ size, route, times, error, baseRssMb, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

void main();
