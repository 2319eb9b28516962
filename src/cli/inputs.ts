/**
 * The CLI's inputs: paths and glob patterns, expanded to files (tinyglobby: Node 20 has no
 * `fs.glob`). A path that exists is taken as it is even when it holds glob characters
 * (`scan[1].tif`); a pattern is expanded to the files it matches, sorted; a file named twice is
 * centered once, where it first appears.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { isGlob } from './args.js';

/** One command-line input: the files it names, or none (a pattern that matched nothing). */
export interface Input {
  input: string;
  files: string[];
}

/** Expand every input, in order. */
export async function expandInputs(inputs: readonly string[]): Promise<Input[]> {
  const seen = new Set<string>();
  const out: Input[] = [];
  for (const input of inputs) {
    const matched = isGlob(input) && !existsSync(input) ? await Private.expand(input) : [input];
    const files = matched.filter(file => !seen.has(file));
    files.forEach(file => seen.add(file));
    out.push({ input, files });
  }
  return out;
}

namespace Private {
  export async function expand(pattern: string): Promise<string[]> {
    // Loaded only for a pattern: a run on plain paths does not pay for it at start.
    const { glob } = await import('tinyglobby');
    // Paths come back as the shell would give them: absolute for an absolute pattern, else
    // relative to the working directory.
    const found = await glob(pattern, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(pattern) });
    return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
