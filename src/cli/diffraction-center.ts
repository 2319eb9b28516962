#!/usr/bin/env node
/**
 * `diffraction-center IMAGE... [--frames SPEC] [--ndjson | --csv | --json] [--jobs N] ...`
 *
 * One frame of one image (the default): prints its center (row, col), or with `--json` the
 * engine's result plus `file`, `frame` and `mask` as the last line of stdout. A mask named
 * `IMAGE_mask.tif` beside the image is used when `--mask` is not given.
 *
 * Series (several images, globs, or `--frames`): every selected frame of every file, cut into
 * tracks (`--reseed`) that a pool of worker threads centers, each frame seeded with its
 * neighbour's center; records are printed in file and frame order (text, NDJSON or CSV) with a
 * progress bar on stderr when it is a terminal. A frame that fails is one error record.
 *
 * Exit status: 0 all went well; 1 a file, frame or the engine failed; 2 bad usage.
 *
 * Only the argument parser and the pool are loaded before the command is known: a series starts
 * its worker threads first, so that they load the engine while this thread does.
 */
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { isGlob, parseCommand, USAGE, UsageError, type Command } from './args.js';
import { WorkerPool } from './pool.js';

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
    if (command.mode === 'single' && isGlob(command.inputs[0]) && !existsSync(command.inputs[0])) {
      // A pattern: a series of whatever it matches.
      if (command.format === 'json') {
        throw new UsageError('--json prints one frame of one image; use --ndjson (or --csv) for a pattern');
      }
      command.mode = 'series';
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`diffraction-center: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command.mode === 'info') {
    const { printInfo } = await import('./series.js');
    return printInfo(command);
  }
  if (command.mode === 'series') {
    const pool = new WorkerPool(command.jobs);
    const { runSeries } = await import('./series.js');
    return runSeries(command, pool);
  }
  return single(command);
}

/** One frame of one image, printed as text or (--json) as the engine's result. */
async function single(command: Command): Promise<number> {
  const image = command.inputs[0];
  const frame = command.frames.kind === 'one' ? command.frames.index : 0;
  const { CenterError, centerFile, FormatError, MaskFileError, TiffError } = await import('../node.js');
  const { describeMetadata } = await import('./metadata.js');
  try {
    const result = await centerFile(image, { ...command.options, frame });
    if (command.format === 'json') {
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
    if (result.sigma) {
      lines.splice(1, 0, `  sigma (row, col) = (${result.sigma[0].toPrecision(2)}, ${result.sigma[1].toPrecision(2)}) px`);
    }
    if (result.profile) {
      const { peaks, radius, binWidth } = result.profile;
      lines.push(
        `  profile: ${radius.length} bins of ${binWidth} px; ${peaks.length} peak(s)` +
          (peaks.length ? ` at r = ${peaks.map(p => p.radius.toFixed(2)).join(', ')} px` : '') +
          ' (all bins with --json)'
      );
    }
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
