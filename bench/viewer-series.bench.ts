/**
 * `npm run bench -- viewer-series`: Find Centers of All Frames in the real app and real Chromium,
 * end to end (issue 14): the viewer's Worker pool reading the frames by ranges from the server,
 * tracking them, and the page taking the results (crosshairs, drift data), on the series
 * benchmark's drifting stacks (bench/series-stack.ts, 40 frames of 512² by default).
 *
 * For each stack: open it, run the command twice (the first run starts the pool's Workers, the
 * second finds them started when the pool keeps them), and report per run the wall time from the
 * command to the run's end, frames/s, the CPU time of every Chromium process (browser, renderer,
 * Workers) per frame, the page's long tasks (≥ 50 ms, PerformanceObserver 'longtask': what the
 * main thread paid), and the centers' distance to the truth.
 *
 * Starts its own Jupyter server (dev/lab/diffraction_lab.py) on SERIES_LAB_PORT (default 8896)
 * serving dev/lab/build/app (or test). Build first: `npm run build:lib && npm run build:lab`.
 * Env: SERIES_FRAMES, SERIES_SIZE (as series.bench.ts), SERIES_STACKS (comma-separated names).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { encodeTiff } from '../src/io/writer.js';
import { labBuild, makeServerRoot, openAndTime, startLab } from './lab-session.js';
import { driftingStack, STACKS } from './series-stack.js';

const PORT = Number(process.env.SERIES_LAB_PORT ?? 8896);
const FRAMES = Number(process.env.SERIES_FRAMES ?? 40);
const SIZE = Number(process.env.SERIES_SIZE ?? 512);
const CLOCK_TICKS = 100;

/**
 * User + system CPU seconds of the Chromium processes on the machine (from /proc), split into
 * the renderer (the page and its Workers) and the rest (browser process, network service, GPU).
 */
function chromiumCpu(): { renderer: number; other: number } {
  const out = { renderer: 0, other: 0 };
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!/chrom/i.test(name)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      const renderer = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
      out[renderer ? 'renderer' : 'other'] += seconds;
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

const load = () => loadavg().map(x => x.toFixed(1)).join(' ');

export default async function main(): Promise<void> {
  try {
    labBuild();
  } catch (e) {
    console.log(`skipped: ${(e as Error).message}`);
    return;
  }
  const names = (process.env.SERIES_STACKS ?? Object.keys(STACKS).join(',')).split(',');
  const serverRoot = makeServerRoot('series-lab');
  const truths: Record<string, { row: number; col: number }[]> = {};
  for (const name of names) {
    const stack = driftingStack({ ...STACKS[name], frames: FRAMES, size: SIZE });
    writeFileSync(path.join(serverRoot, `${name}.tif`), encodeTiff(stack.frames));
    if (stack.mask) {
      writeFileSync(path.join(serverRoot, `${name}_mask.tif`), encodeTiff({ height: SIZE, width: SIZE, data: stack.mask, sampleType: 'uint8' }));
    }
    truths[name] = stack.centers;
  }
  console.log(`### Find Centers of All Frames in the viewer: ${FRAMES} frames of ${SIZE}² (load average before: ${load()})\n`);
  const lab = await startLab(serverRoot, PORT, 'series-lab');
  const rows: string[][] = [];
  try {
    const { page } = lab;
    for (const name of names) {
      await openAndTime(page, `${name}.tif`);
      for (const run of [1, 2]) {
        const cpu0 = chromiumCpu();
        const result = await page.evaluate(async frames => {
          const app = (window as any).jupyterapp;
          const viewer = app.shell.currentWidget.content;
          const node = viewer.node as HTMLElement;
          const longTasks: number[] = [];
          const observer = new PerformanceObserver(list => list.getEntries().forEach(e => longTasks.push(e.duration)));
          observer.observe({ entryTypes: ['longtask'] });
          const t0 = performance.now();
          void app.commands.execute('diffraction:find-all-centers');
          while (node.dataset.seriesState !== 'running' && performance.now() - t0 < 10_000) {
            await new Promise(resolve => setTimeout(resolve, 5));
          }
          while (node.dataset.seriesState === 'running') {
            await new Promise(resolve => setTimeout(resolve, 5));
          }
          const wall = performance.now() - t0;
          observer.disconnect();
          const state = node.dataset.seriesState;
          const centers: { row: number; col: number }[] = [];
          for (let f = 0; f < frames; f++) {
            await viewer.setFrame(f);
            centers.push({ row: Number(node.dataset.centerRow), col: Number(node.dataset.centerCol) });
          }
          await viewer.setFrame(0);
          return { wall, state, longTasks, centers };
        }, FRAMES);
        const cpu1 = chromiumCpu();
        const renderer = cpu1.renderer - cpu0.renderer;
        const other = cpu1.other - cpu0.other;
        const errors = result.centers
          .map((c, f) => Math.hypot(c.row - truths[name][f].row, c.col - truths[name][f].col))
          .sort((a, b) => a - b);
        rows.push([
          name,
          String(run),
          String(result.state),
          (result.wall / 1000).toFixed(2),
          ((FRAMES * 1000) / result.wall).toFixed(1),
          ((1000 * renderer) / FRAMES).toFixed(1),
          ((1000 * other) / FRAMES).toFixed(1),
          String(result.longTasks.length),
          result.longTasks.length ? Math.max(...result.longTasks).toFixed(0) : '0',
          errors[Math.floor(errors.length / 2)].toFixed(4),
          errors[errors.length - 1].toFixed(4)
        ]);
      }
    }
  } finally {
    await lab.close();
  }
  const header = ['stack', 'run', 'state', 'wall s', 'frames/s', 'CPU ms/frame: page + Workers', 'CPU ms/frame: browser, network', 'long tasks', 'longest ms', 'error median px', 'error max px'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  rows.forEach(r => console.log(`| ${r.join(' | ')} |`));
  console.log(`\nLoad average after: ${load()}. CPU from /proc: the renderer process (page and Workers), the other Chromium processes.`);
}
