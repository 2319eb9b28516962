/**
 * `npm run bench -- profile`: speed of the radial profile (mean and median), its peaks, the
 * polar transform and the center's sigma, on rings patterns of 512² and 2048² (beam block mask).
 * Wall and CPU time (process.cpuUsage: on a shared machine CPU time is the steadier figure),
 * median of PROFILE_RUNS (default 9) calls after 2 warm-up calls, through tsx.
 */
import { autocenter, cropAxis, polarTransform, profilePeaks, radialProfile } from '../src/center/index.js';
import { cropPlane } from '../src/center/crop.js';
import { centerSigma } from '../src/center/uncertainty.js';
import { generatePattern } from '../tests/synth/index.js';

const fmt = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function time(f: () => unknown, runs: number): { wall: number; cpu: number } {
  f();
  f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

export default async function main(): Promise<void> {
  const runs = Number(process.env.PROFILE_RUNS ?? 9);
  const rows: string[][] = [];
  for (const size of [512, 2048]) {
    const p = generatePattern({
      kind: 'rings',
      height: size,
      width: size,
      seed: 5,
      center: { row: size / 2 + 7.3, col: size / 2 - 4.6 },
      beamBlock: { side: 'top' }
    });
    const { image, mask, center } = p;
    const add = (what: string, t: { wall: number; cpu: number }, note = ''): void => {
      rows.push([`${size}²`, what, fmt(t.wall), fmt(t.cpu), note]);
    };
    const profile = radialProfile(image, center, { mask });
    add('radialProfile (mean, 1 px bins)', time(() => radialProfile(image, center, { mask }), runs), `${profile.radius.length} bins`);
    add('radialProfile (median)', time(() => radialProfile(image, center, { mask, statistic: 'median' }), Math.max(3, runs >> 1)));
    add('profilePeaks', time(() => profilePeaks(profile), runs), `${profilePeaks(profile).length} peaks`);
    const out = new Float32Array(360 * Math.ceil(size * 0.75));
    add(
      'polarTransform 360 azimuths, 1 px (into a kept array)',
      time(() => polarTransform(image, center, { mask, azimuths: 360, radii: out.length / 360, out }), runs),
      `${out.length / 360} radii`
    );
    add(
      'polarTransform 720 azimuths, 0.5 px (new array)',
      time(() => polarTransform(image, center, { mask, azimuths: 720, radialStep: 0.5 }), runs)
    );
    // σ's own cost: centerSigma on the final window autocenter uses (at most 512 px a side).
    const r = autocenter(image, { mask });
    const side = Math.max(512, Math.round(size / 4));
    const cap = (a: ReturnType<typeof cropAxis>): ReturnType<typeof cropAxis> => {
      const trim = Math.max(0, Math.ceil((a.size - side) / 2));
      return { origin: a.origin + trim, size: a.size - 2 * trim, center: a.center };
    };
    const rowsAxis = cap(cropAxis(r.row, size));
    const colsAxis = cap(cropAxis(r.col, size));
    const engineMask = new Uint8Array(mask);
    const plane = cropPlane(image.data, engineMask, size, rowsAxis, colsAxis);
    add(
      'centerSigma (in autocenter)',
      time(() => centerSigma(plane, 2 * (r.row - rowsAxis.center), 2 * (r.col - colsAxis.center)), runs),
      `window ${rowsAxis.size} x ${colsAxis.size}; autocenter ${fmt(r.ms, 0)} ms`
    );
  }
  console.log(`### Profile, polar and sigma speed (Node ${process.version}, tsx, median of ${runs} calls)\n`);
  console.log('| image | what | wall ms | CPU ms | note |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
}
