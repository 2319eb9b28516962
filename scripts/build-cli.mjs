/**
 * Bundle the CLI with esbuild: src/cli/diffraction-center.ts and its worker thread
 * (center-worker.ts) into lib/cli/, over the per-module files tsc wrote for those two, with the
 * code they share in lib/cli/cli-chunk-*.js (and the lazily loaded readers in chunks of their
 * own). Run after `tsc -b` (postbuild:lib).
 *
 * Why: a CLI call is a new process, and each worker thread a new isolate. Loading the ~180 ES
 * modules of the engine and the readers one by one (resolving, reading and compiling each)
 * took 100-150 ms of every start on this machine class; one bundle takes a fraction of that.
 * The package's other entry points (lib/index.js, lib/node.js) stay tsc's modules.
 */
import { Buffer } from 'node:buffer';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'lib', 'cli');

const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/diffraction-center.ts', 'src/cli/center-worker.ts'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node18',
  // Beside the entry points: the pool finds its worker as new URL('./center-worker.js', import.meta.url).
  chunkNames: 'cli-chunk-[hash]',
  sourcemap: true,
  // The packages the project depends on are loaded from node_modules as before (a few, some
  // large and loaded only for their format, e.g. h5wasm): only this project's modules are bundled.
  packages: 'external',
  logLevel: 'warning',
  write: false
});

// Files are replaced only when they changed, each by a rename (a CLI running meanwhile, e.g. a
// test beside the build, never reads a file half written); chunks no longer made are removed.
const made = new Set();
for (const { path: file, contents } of outputFiles) {
  made.add(path.basename(file));
  if (existsSync(file) && Buffer.compare(readFileSync(file), contents) === 0) {
    continue;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}
for (const name of readdirSync(outdir)) {
  if (/^cli-chunk-.*\.js(\.map)?$/.test(name) && !made.has(name)) {
    rmSync(path.join(outdir, name));
  }
}
