/**
 * The CLI's series run: expand the inputs, open each file once to select its frames and check
 * its mask, cut the frames into tracks, center them on the pool (this thread and `--jobs - 1`
 * worker threads) and print the records in order.
 */
import { findSiblingMask, openImageFile, readMaskFile, type OpenedImageFile } from '../node.js';
import { selectFrames, splitTracks, trackedFrameMs, workersFor } from '../series/index.js';
import type { Command } from './args.js';
import { expandInputs } from './inputs.js';
import { formatHeader, formatRecord, OrderedWriter } from './output.js';
import { WorkerPool } from './pool.js';
import { ProgressBar } from './progress.js';
import { errorRecord, openCached, type FrameRecord, type TrackTask } from './run-track.js';

/**
 * Center every selected frame; the exit status (1 when any record is an error). `pool` is best
 * made before this module is loaded (its threads then load while this thread does).
 */
export async function runSeries(command: Command, pool = new WorkerPool(command.jobs)): Promise<number> {
  const { plan, tasks, work } = await Private.prepare(command);
  const format = command.format === 'json' ? 'ndjson' : command.format;
  const total = plan.reduce((n, p) => n + (p.frames?.length ?? 1), 0);
  const progress =
    command.progress && process.stderr.isTTY ? new ProgressBar(total, process.stderr) : null;
  let failed = 0;
  const print = (out: NodeJS.WriteStream, line: string): void => {
    if (progress) {
      progress.above(out, `${line}\n`);
    } else {
      out.write(`${line}\n`);
    }
  };
  const header = formatHeader(format);
  if (header) {
    print(process.stdout, header);
  }
  const writer = new OrderedWriter(plan, record => {
    const isError = 'error' in record;
    failed += isError ? 1 : 0;
    print(isError && format === 'text' ? process.stderr : process.stdout, formatRecord(record, format));
  });
  const index = new Map(plan.map((p, i) => [p.file, i]));
  const emit = (record: FrameRecord): void => {
    writer.put(index.get(record.file)!, record);
    progress?.tick();
  };
  plan.forEach(p => p.failure && emit(p.failure));
  // Without --jobs, no more threads than the frames pay for (a thread's cold start is ~0.6 s).
  const limit = command.jobsGiven ? command.jobs : workersFor(command.jobs, tasks.length, work, Infinity);
  await pool.run(tasks, emit, limit);
  progress?.finish();
  return failed > 0 || !writer.done ? 1 : 0;
}

/** `--info`: one JSON line per file (frames, shape, sample type, reader notes) or its error. */
export async function printInfo(command: Command): Promise<number> {
  let failed = 0;
  for (const { input, files } of await expandInputs(command.inputs)) {
    if (files.length === 0) {
      failed++;
      process.stdout.write(`${JSON.stringify(Private.noMatch(input))}\n`);
    }
    for (const file of files) {
      try {
        const { frames, height, width, sampleType, notes } = await openImageFile(file);
        process.stdout.write(`${JSON.stringify({ file, frames, height, width, sampleType, notes })}\n`);
      } catch (error) {
        failed++;
        const { error: message, code } = errorRecord(file, null, error) as { error: string; code: string };
        process.stdout.write(`${JSON.stringify({ file, error: message, code })}\n`);
      }
    }
  }
  return failed > 0 ? 1 : 0;
}

namespace Private {
  /** One input file of the run: its selected frames, or (frames null) why it has none. */
  export interface PlanEntry {
    file: string;
    frames: number[] | null;
    failure?: FrameRecord;
  }

  /** The files' selected frames, their tracks, and a rough warm time of centering them all (ms). */
  export async function prepare(command: Command): Promise<{ plan: PlanEntry[]; tasks: TrackTask[]; work: number }> {
    const plan: PlanEntry[] = [];
    const tasks: TrackTask[] = [];
    let work = 0;
    const { darkMask, normalizeBackground, maxIterations, route } = command.options;
    const options = { darkMask, engine: { normalizeBackground, maxIterations, route } };
    for (const { input, files } of await expandInputs(command.inputs)) {
      if (files.length === 0) {
        plan.push({ file: input, frames: null, failure: noMatch(input) });
      }
      for (const file of files) {
        try {
          const opened = await openCached(file);
          const frames = selectFrames(command.frames, opened.frames);
          const mask = await chooseMask(file, command.options.mask, opened);
          plan.push({ file, frames });
          work += frames.length * trackedFrameMs(opened.height, opened.width);
          for (const track of splitTracks(frames, command.reseed)) {
            tasks.push({ id: tasks.length, file, frames: track, mask, options });
          }
        } catch (error) {
          plan.push({ file, frames: null, failure: errorRecord(file, null, error) });
        }
      }
    }
    return { plan, tasks, work };
  }

  /** The mask file of `file` (given, or found beside it), checked against its shape; or null. */
  async function chooseMask(
    file: string,
    given: string | Uint8Array | null | undefined,
    opened: OpenedImageFile
  ): Promise<string | null> {
    const path = typeof given === 'string' ? given : given === undefined ? await findSiblingMask(file) : null;
    if (path) {
      await readMaskFile(path, opened);
    }
    return path;
  }

  export function noMatch(pattern: string): FrameRecord {
    return { file: pattern, frame: null, error: `no file matches ${pattern}`, code: 'no-match' };
  }
}
