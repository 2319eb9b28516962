/**
 * TIFF decoding benchmark (`npm run bench -- io`): decode time and peak memory of
 *   - a 4096 x 4096 uint16 frame, uncompressed (target <= 150 ms in Node),
 *   - the same frame LZW-compressed, without and with the horizontal predictor (target <= 1 s),
 *   - the same frame Deflate-compressed with the predictor (no target; for reference),
 *   - a 100-frame 512 x 512 uint16 stack: first frame, then each further frame (target <= 10 ms).
 * Inputs are generated in a temp dir: uncompressed by `encodeTiff`, compressed by libtiff's
 * `tiffcp` (libtiff-tools) when installed. Each case runs in its own Node process so that its
 * peak RSS (`process.resourceUsage().maxRSS`) is its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTiff, openTiff } from '../src/io/index.js';
import type { DiffractionImage } from '../src/io/index.js';

const here = fileURLToPath(import.meta.url);
const RUNS = 5;

interface CaseResult {
  firstMs: number;
  medianMs: number;
  /** CPU time (user + system) of the median run: less sensitive to other processes' load. */
  medianCpuMs: number;
  maxMs?: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
}

/** A detector-like 16-bit frame: a diffuse ring pattern plus noise (compresses like real data). */
function pattern(size: number, seed: number): DiffractionImage {
  const data = new Uint16Array(size * size);
  let s = seed >>> 0 || 1;
  const c = size / 2;
  for (let r = 0; r < size; r++) {
    for (let q = 0; q < size; q++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const radius = Math.hypot(r - c, q - c);
      const ring = 2000 * Math.exp(-((radius - size / 5) ** 2) / (size * 2));
      data[r * size + q] = 100 + ring + ((s >>> 0) % 64);
    }
  }
  return { height: size, width: size, data, sampleType: 'uint16' };
}

/** Child process: decode one file, print JSON timings. */
async function runCase(file: string, kind: 'frame' | 'stack'): Promise<CaseResult> {
  const bytes = readFileSync(file);
  const rssBefore = process.memoryUsage().rss;
  const times: number[] = [];
  const cpu: number[] = [];
  const cpuMs = (start: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  let maxMs = 0;
  if (kind === 'frame') {
    for (let i = 0; i < RUNS; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const tiff = await openTiff(bytes);
      const frame = await tiff.readFrame(0);
      times.push(performance.now() - t0);
      cpu.push(cpuMs(c0));
      if (frame.data.length !== frame.width * frame.height) throw new Error('bad frame');
    }
  } else {
    const tiff = await openTiff(bytes);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await tiff.readFrame(0);
    times.push(performance.now() - t0);
    cpu.push(cpuMs(c0));
    for (let i = 1; i < tiff.info.frames; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      await tiff.readFrame(i);
      const ms = performance.now() - t;
      cpu.push(cpuMs(c));
      maxMs = Math.max(maxMs, ms);
      times.push(ms);
    }
  }
  const rest = kind === 'stack' ? times.slice(1) : times;
  const restCpu = kind === 'stack' ? cpu.slice(1) : cpu;
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return {
    firstMs: times[0],
    medianMs: median(rest),
    medianCpuMs: median(restCpu),
    maxMs: kind === 'stack' ? maxMs : undefined,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024
  };
}

function tiffcp(args: string[], src: string, dst: string): boolean {
  try {
    execFileSync('tiffcp', [...args, src, dst], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export default async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'io-bench-'));
  try {
    const big = join(dir, 'big.tif');
    writeFileSync(big, encodeTiff(pattern(4096, 1)));
    const stack = join(dir, 'stack.tif');
    writeFileSync(stack, encodeTiff(Array.from({ length: 100 }, (_, i) => pattern(512, i + 2))));

    const cases: { name: string; file: string; kind: 'frame' | 'stack'; target: string; note?: string }[] = [
      { name: '4096² uint16, uncompressed', file: big, kind: 'frame', target: '≤ 150 ms' }
    ];
    const compressed: [string, string[], string][] = [
      ['4096² uint16, LZW', ['-c', 'lzw'], '≤ 1 s'],
      ['4096² uint16, LZW + predictor', ['-c', 'lzw:2'], '≤ 1 s'],
      ['4096² uint16, Deflate + predictor', ['-c', 'zip:2'], '—']
    ];
    for (const [name, args, target] of compressed) {
      const file = join(dir, `${args[1].replace(':', '')}.tif`);
      if (tiffcp(args, big, file)) {
        cases.push({ name, file, kind: 'frame', target });
      } else {
        console.log(`${name}: skipped (tiffcp from libtiff-tools is not installed)`);
      }
    }
    cases.push({ name: '100 x 512² uint16 stack, uncompressed', file: stack, kind: 'stack', target: '≤ 10 ms/frame' });
    const stackLzw = join(dir, 'stack-lzw.tif');
    if (tiffcp(['-c', 'lzw:2'], stack, stackLzw)) {
      cases.push({ name: '100 x 512² uint16 stack, LZW + predictor', file: stackLzw, kind: 'stack', target: '≤ 10 ms/frame' });
    }

    const rows: string[][] = [];
    for (const c of cases) {
      const child = spawnSync(process.execPath, [...process.execArgv, here, '--case', c.file, c.kind], {
        encoding: 'utf8'
      });
      if (child.status !== 0) {
        rows.push([c.name, 'failed: ' + child.stderr.trim().split('\n').slice(-1)[0], '', '', '', '', c.target]);
        continue;
      }
      const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
      const size = (readFileSync(c.file).length / 2 ** 20).toFixed(1);
      rows.push([
        c.name,
        `${size} MiB`,
        c.kind === 'stack' ? `${r.firstMs.toFixed(1)} (frame 0)` : r.firstMs.toFixed(0),
        c.kind === 'stack'
          ? `${r.medianMs.toFixed(2)} median, ${r.maxMs!.toFixed(2)} max (frames 1–99)`
          : `${r.medianMs.toFixed(0)} median of ${RUNS}`,
        c.kind === 'stack' ? r.medianCpuMs.toFixed(2) : r.medianCpuMs.toFixed(0),
        `${r.peakRssMiB.toFixed(0)} (${r.rssBeforeMiB.toFixed(0)} before decoding)`,
        c.target
      ]);
    }
    const header = ['case', 'file', 'first (ms)', 'time (ms)', 'CPU (ms, median)', 'peak RSS MiB', 'target'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
    const line = (r: string[]): string => r.map((v, i) => v.padEnd(widths[i])).join(' | ');
    console.log(line(header));
    console.log(widths.map(w => '-'.repeat(w)).join('-|-'));
    rows.forEach(r => console.log(line(r)));
    console.log(
      '(wall times include openTiff; CPU = user + system time of the same runs, the better figure on a ' +
        'loaded machine; peak RSS is the whole Node process, file bytes included)'
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Child mode: `<node> io.bench.ts --case FILE KIND`.
const caseIndex = process.argv.indexOf('--case');
if (caseIndex > 0) {
  const result = await runCase(process.argv[caseIndex + 1], process.argv[caseIndex + 2] as 'frame' | 'stack');
  console.log(JSON.stringify(result));
}
