/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn (or only those named on the command
 * line, e.g. `npm run bench -- engine`) and prints their tables. Targets are benchmarks, not tests.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter(f => f.endsWith('.bench.ts'))
  .filter(f => only.length === 0 || only.some(o => f.startsWith(o)))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const mod = await import(pathToFileURL(join(here, file)).href);
  if (typeof mod.default === 'function') {
    await mod.default();
  }
}
