/**
 * The command line of `diffraction-center`, parsed with `node:util`'s `parseArgs` and checked
 * into one `Command`. Every mistake is a `UsageError` (exit status 2).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { CenterFileOptions } from '../node.js';
import { FrameSpecError, parseFrameSpec, type FrameSpec } from '../series/frames.js';

export const USAGE = `usage: diffraction-center IMAGE... [options]

Find the center of the diffraction pattern in image files (TIFF, MRC/MRCS, DM3/DM4, MIB,
SMV .img, CBF, HDF5: EMD, NeXus/Eiger, HyperSpy .hspy): one frame, or every frame of a
series (each frame seeded with its neighbour's center), on a pool of worker threads.
IMAGE may be a glob pattern (quote it: 'run*/frame_*.tif').

options:
  --mask MASK.tif          mask file, non-zero = valid pixel (default: IMAGE_mask.tif
                           beside the image, if present)
  --no-mask                ignore IMAGE_mask.tif
  --auto-mask              also mask dark pixels (scikit-ued's auto_masking)
  --frame N                frame of a multi-frame file (default 0)
  --dataset PATH           HDF5: the dataset to read (default: the NeXus default or the
                           largest image dataset)
  --frames SPEC            frames of each file: all, N, a:b (end exclusive) or a:b:step
  --background auto|on|off divide by the wide background first (default auto)
  --route fast|reference   coarse-to-fine (default) or full-resolution FFT correlation
  --max-iterations N       re-centering passes (default 5)
  --profile                one frame: also the radial profile about the center (1 px bins,
                           masked mean) and its peaks; all bins with --json
  --json                   one frame: print the result as JSON (last line of stdout)
  --ndjson                 one JSON object per frame per line, in file and frame order
  --csv                    the same as CSV (with a header line)
  --info                   print each file's frame count and shape as JSON lines
  --jobs N                 worker threads (default: the machine's cores, ${availableParallelism()} here,
                           fewer when the frames are too few to pay for starting them)
  --reseed N               a full search every N frames of a series, tracking between
                           (default 20; 0 = only at the start and when tracking fails)
  --no-progress            no progress bar (shown on stderr when it is a terminal)
  -h, --help               show this help

Series output (--ndjson, --csv, or text) holds file, frame, row, col, score, ms, method
(full or tracked), reason (why a full search), jump and warnings; a frame that cannot be read
or centered is a line with error and code instead, and the run goes on (exit status 1).`;

/** A mistake on the command line. */
export class UsageError extends Error {}

/** What the command line asks for. */
export interface Command {
  help: boolean;
  inputs: string[];
  /** 'single': one frame of one file, printed as before series existed (text or --json). */
  mode: 'single' | 'series' | 'info';
  format: 'text' | 'json' | 'ndjson' | 'csv';
  /** The frame selection of every file (`--frame N` is `--frames N`). */
  frames: FrameSpec;
  /** Options of the engine and the mask (`mask`: a path, null for --no-mask, undefined: sibling). */
  options: Omit<CenterFileOptions, 'frame'>;
  jobs: number;
  /** --jobs was given (else `jobs` is the machine's cores, and a small run uses fewer). */
  jobsGiven: boolean;
  reseed: number;
  progress: boolean;
}

/** Parse `argv` (without node and the script). */
export function parseCommand(argv: string[]): Command {
  let values: Private.Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: Private.OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const command: Command = {
    help: values.help ?? false,
    inputs: positionals,
    mode: 'single',
    format: 'text',
    frames: { kind: 'one', index: 0 },
    options: {},
    jobs: Private.integer(values.jobs, '--jobs', 1) ?? availableParallelism(),
    jobsGiven: values.jobs !== undefined,
    reseed: Private.integer(values.reseed, '--reseed', 0) ?? 20,
    progress: !values['no-progress']
  };
  if (command.help) {
    return command;
  }
  const formats = (['json', 'ndjson', 'csv', 'info'] as const).filter(f => values[f]);
  if (formats.length > 1) {
    throw new UsageError(`give one of --${formats.join(', --')}`);
  }
  if (values.frame !== undefined && values.frames !== undefined) {
    throw new UsageError('give --frame or --frames, not both');
  }
  if (values.mask !== undefined && values['no-mask']) {
    throw new UsageError('give --mask or --no-mask, not both');
  }
  if (positionals.length === 0) {
    throw new UsageError('no image given');
  }
  const frame = Private.integer(values.frame, '--frame', 0);
  if (frame !== null) {
    command.frames = { kind: 'one', index: frame };
  }
  if (values.frames !== undefined) {
    try {
      command.frames = parseFrameSpec(values.frames);
    } catch (error) {
      throw new UsageError((error as FrameSpecError).message);
    }
  }
  command.options = Private.engineOptions(values);
  command.format = values.json ? 'json' : values.ndjson ? 'ndjson' : values.csv ? 'csv' : 'text';
  const oneFrame = values.frames === undefined && positionals.length === 1 && !Private.isGlob(positionals[0]);
  if (values.info) {
    command.mode = 'info';
  } else if (oneFrame && (command.format === 'text' || command.format === 'json')) {
    command.mode = 'single';
  } else if (command.format === 'json') {
    throw new UsageError('--json prints one frame of one image; use --ndjson (or --csv) for several');
  } else {
    command.mode = 'series';
  }
  return command;
}

/** Whether an input holds glob syntax (`*`, `?`, `[...]`, `{a,b}`). */
export function isGlob(input: string): boolean {
  return Private.isGlob(input);
}

namespace Private {
  export const OPTIONS = {
    mask: { type: 'string' },
    'no-mask': { type: 'boolean' },
    'auto-mask': { type: 'boolean' },
    frame: { type: 'string' },
    dataset: { type: 'string' },
    frames: { type: 'string' },
    background: { type: 'string' },
    route: { type: 'string' },
    'max-iterations': { type: 'string' },
    profile: { type: 'boolean' },
    json: { type: 'boolean' },
    ndjson: { type: 'boolean' },
    csv: { type: 'boolean' },
    info: { type: 'boolean' },
    jobs: { type: 'string' },
    reseed: { type: 'string' },
    'no-progress': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' }
  } as const;

  export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

  /** An integer option of at least `min`, or null when it is not given. */
  export function integer(value: string | undefined, flag: string, min: number): number | null {
    if (value === undefined) {
      return null;
    }
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new UsageError(
        `${flag} needs a ${min > 0 ? 'positive' : 'non-negative'} integer, not "${value}"`
      );
    }
    return n;
  }

  export function engineOptions(values: Values): Omit<CenterFileOptions, 'frame'> {
    const options: Omit<CenterFileOptions, 'frame'> = {};
    if (values['auto-mask']) {
      options.darkMask = true;
    }
    if (values.profile) {
      options.profile = true;
    }
    if (values.dataset !== undefined) {
      options.dataset = values.dataset;
    }
    if (values['no-mask']) {
      options.mask = null;
    } else if (values.mask !== undefined) {
      options.mask = values.mask;
    }
    const iterations = integer(values['max-iterations'], '--max-iterations', 1);
    if (iterations !== null) {
      options.maxIterations = iterations;
    }
    if (values.background !== undefined) {
      const map: Record<string, 'auto' | boolean> = { auto: 'auto', on: true, off: false };
      if (!(values.background in map)) {
        throw new UsageError('--background takes auto, on or off');
      }
      options.normalizeBackground = map[values.background];
    }
    if (values.route !== undefined) {
      if (values.route !== 'fast' && values.route !== 'reference') {
        throw new UsageError('--route takes fast or reference');
      }
      options.route = values.route;
    }
    return options;
  }

  export function isGlob(input: string): boolean {
    return /[*?[\]{}]/.test(input);
  }
}
