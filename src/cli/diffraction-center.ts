#!/usr/bin/env node
/**
 * `diffraction-center IMAGE [--mask MASK.tif] [--auto-mask] [--frame N] [--json]`
 *
 * Prints the center (row, col) of the diffraction pattern in a TIFF file. A mask named
 * `IMAGE_mask.tif` beside the image is used when `--mask` is not given. With `--json` the last
 * line of stdout is one JSON object: the engine's result plus `file`, `frame` and `mask`.
 * Errors go to stderr with a non-zero exit status (2: bad usage, 1: the file or the engine failed).
 */
import { basename } from 'node:path';
import { CenterError, centerFile, FormatError, MaskFileError, TiffError, type CenterFileOptions } from '../node.js';
import { describeMetadata } from './metadata.js';

const USAGE = `usage: diffraction-center IMAGE [options]

Find the center of a diffraction pattern in an image file: TIFF, MRC/MRCS, DM3/DM4, MIB,
SMV (.img), CBF or HDF5 (EMD, NeXus/Eiger, HyperSpy .hspy).

options:
  --mask MASK.tif          mask file, non-zero = valid pixel (default: IMAGE_mask.tif
                           beside the image, if present)
  --no-mask                ignore IMAGE_mask.tif
  --auto-mask              also mask dark pixels (scikit-ued's auto_masking)
  --frame N                frame of a multi-frame file (default 0)
  --dataset PATH           HDF5: the dataset to read (default: the NeXus default or the
                           largest image dataset)
  --background auto|on|off divide by the wide background first (default auto)
  --route fast|reference   coarse-to-fine (default) or full-resolution FFT correlation
  --max-iterations N       re-centering passes (default 5)
  --json                   print the result as JSON (last line of stdout)
  -h, --help               show this help`;

class UsageError extends Error {}

interface Parsed {
  image: string;
  json: boolean;
  options: CenterFileOptions;
}

function parse(argv: string[]): Parsed | null {
  const options: CenterFileOptions = {};
  let image: string | null = null;
  let json = false;
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) {
      throw new UsageError(`${flag} needs a value`);
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '-h':
      case '--help':
        return null;
      case '--json':
        json = true;
        break;
      case '--auto-mask':
        options.darkMask = true;
        break;
      case '--no-mask':
        options.mask = null;
        break;
      case '--mask':
        options.mask = value(i++, arg);
        break;
      case '--dataset':
        options.dataset = value(i++, arg);
        break;
      case '--frame': {
        const n = Number(value(i++, arg));
        if (!Number.isInteger(n) || n < 0) {
          throw new UsageError('--frame needs a non-negative integer');
        }
        options.frame = n;
        break;
      }
      case '--max-iterations': {
        const n = Number(value(i++, arg));
        if (!Number.isInteger(n) || n < 1) {
          throw new UsageError('--max-iterations needs a positive integer');
        }
        options.maxIterations = n;
        break;
      }
      case '--background': {
        const v = value(i++, arg);
        const map: Record<string, 'auto' | boolean> = { auto: 'auto', on: true, off: false };
        if (!(v in map)) {
          throw new UsageError('--background takes auto, on or off');
        }
        options.normalizeBackground = map[v];
        break;
      }
      case '--route': {
        const v = value(i++, arg);
        if (v !== 'fast' && v !== 'reference') {
          throw new UsageError('--route takes fast or reference');
        }
        options.route = v;
        break;
      }
      default:
        if (arg.startsWith('-')) {
          throw new UsageError(`unknown option ${arg}`);
        }
        if (image !== null) {
          throw new UsageError('give one image');
        }
        image = arg;
    }
  }
  if (image === null) {
    throw new UsageError('no image given');
  }
  return { image, json, options };
}

async function main(argv: string[]): Promise<number> {
  let parsed: Parsed | null;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`diffraction-center: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { image, json, options } = parsed;
  try {
    const result = await centerFile(image, options);
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const maskNote =
      result.maskSource === 'sibling'
        ? `${result.mask} (found beside the image)`
        : result.maskSource === 'option'
          ? `${result.mask}`
          : 'none';
    const lines = [
      `${basename(image)}: center (row, col) = (${result.row.toFixed(3)}, ${result.col.toFixed(3)})`,
      `  score ${result.score.toFixed(3)}, rough (${result.roughRow.toFixed(1)}, ${result.roughCol.toFixed(1)}), ` +
        `${result.iterations} passes, ${result.ms.toFixed(1)} ms, ` +
        `background normalized: ${result.normalizedBackground ? 'yes' : 'no'}`,
      `  mask: ${maskNote}; ${result.maskedPixels} pixels masked in all`
    ];
    lines.push(...describeMetadata(result.metadata, result).map(line => `  ${line}`));
    for (const note of result.notes) {
      lines.push(`  note: ${note}`);
    }
    for (const warning of result.warnings) {
      lines.push(`  warning: ${warning}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (
      error instanceof CenterError ||
      error instanceof TiffError ||
      error instanceof FormatError ||
      error instanceof MaskFileError
    ) {
      process.stderr.write(`diffraction-center: ${error.message} (${error.code})\n`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      process.stderr.write(`diffraction-center: ${(error as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`diffraction-center: unexpected error: ${(error as Error).stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
