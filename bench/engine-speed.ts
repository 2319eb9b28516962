/**
 * One speed measurement in a fresh process (so the first call is cold and the peak RSS belongs
 * to this case): `tsx bench/engine-speed.ts CASE ROUTE RUNS [LIB]` prints one JSON line
 * {times, maxRssMb, branches, error, score}. CASE is `real:NAME` (a TIFF of ../shared/data,
 * with its `NAME_mask.tif` when there is one) or `synth:KIND:SIZE` (noise, beam block, hot
 * pixels, center off the middle).
 *
 * It times the compiled engine in LIB (default: this repository's lib/, built by
 * `npm run build:lib`): the code the CLI, the Node API and the labextension's Worker run. The
 * same source run through tsx's on-the-fly transpiler was measured 15-20 % slower. The test
 * patterns come from the sources (tests/synth, not published in lib/), drawn before the timed runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { generatePattern } from '../tests/synth/index.js';

type Center = typeof import('../src/center/index.js');
type Io = typeof import('../src/io/index.js');

/** An image of the bench: `real:NAME` (with its mask) or `synth:KIND:SIZE` (with its truth). */
export interface SpeedCase {
  image: { height: number; width: number; data: ArrayLike<number> };
  mask: Uint8Array | null;
  truth: { row: number; col: number } | null;
}

/** Load (or generate) the image of `spec`, reading TIFFs with the engine build in `lib`. */
export async function loadCase(spec: string, lib: string): Promise<SpeedCase> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  if (spec.startsWith('real:')) {
    const { openTiff } = (await import(pathToFileURL(path.join(lib, 'io/index.js')).href)) as Io;
    const file = path.resolve(root, '../shared/data', `${spec.slice(5)}.tif`);
    const read = async (name: string) => {
      const bytes = readFileSync(name);
      const tiff = await openTiff(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      return tiff.readFrame(0);
    };
    const image = await read(file);
    const maskFile = file.replace(/\.tif$/, '_mask.tif');
    const mask = existsSync(maskFile)
      ? Uint8Array.from((await read(maskFile)).data as ArrayLike<number>, v => (v ? 1 : 0))
      : null;
    return { image, mask, truth: null };
  }
  const [, kind, size] = spec.split(':');
  const n = Number(size);
  const p = generatePattern({
    kind: kind as 'rings' | 'hexagonal' | 'square',
    height: n,
    seed: 77 + n,
    center: { row: n / 2 + 0.04 * n + 0.3, col: n / 2 - 0.03 * n - 0.6 },
    noise: true,
    hotPixels: 16,
    beamBlock: { side: 'top' }
  });
  return { image: p.image, mask: p.mask, truth: p.center };
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const [spec, route, runs] = [process.argv[2], process.argv[3] as 'fast' | 'reference', Number(process.argv[4] ?? 5)];
  const lib = path.resolve(process.argv[5] ?? path.join(root, 'lib'));
  const { autocenter } = (await import(pathToFileURL(path.join(lib, 'center/index.js')).href)) as Center;
  const { image, mask, truth } = await loadCase(spec, lib);
  const times: number[] = [];
  const cpu: number[] = [];
  let last: ReturnType<typeof autocenter> | null = null;
  for (let k = 0; k < runs; k++) {
    const before = process.cpuUsage();
    last = autocenter(image, { mask, route });
    const used = process.cpuUsage(before);
    times.push(last.ms);
    cpu.push((used.user + used.system) / 1000);
  }
  const r = last!;
  console.log(
    JSON.stringify({
      times,
      cpu,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      branches: (r as { branches?: string[] }).branches ?? [],
      error: truth ? Math.hypot(r.row - truth.row, r.col - truth.col) : null,
      center: [r.row, r.col],
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000
    })
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  void main();
}
