#!/usr/bin/env node
/*
 * Build the prebuilt (federated) labextension into
 * `jupyterlab_diffraction/labextension/` (the `jupyterlab.outputDir` of package.json).
 *
 * The Python `jupyterlab` package (whose `jupyter labextension build` would normally
 * do this) is not available here, so we call `@jupyter/builder`'s `build-labextension`
 * directly, with JupyterLab's own application package.json (shipped by
 * `@jupyterlab/core-meta`) as the core metadata: it tells the builder which packages
 * the host provides as shared singletons (not bundled into the extension).
 *
 * Usage: node scripts/build-labextension.js [--development]
 * Expects `lib/` to be built already (`npm run build:prod` runs `build:lib` first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** Stop the build with a message naming what is wrong. */
function fail(message) {
  console.error(`build-labextension: ${message}`);
  process.exit(1);
}

const entry = path.join(repoRoot, pkg.main);
if (!fs.existsSync(entry)) {
  fail(`${pkg.main} is missing; run \`npm run build:lib\` first.`);
}

const builderCli = path.join(
  path.dirname(require.resolve('@jupyter/builder/package.json')),
  'lib',
  'build-labextension.js'
);
const corePackageFile = path.join(
  path.dirname(require.resolve('@jupyterlab/core-meta/package.json')),
  'core.package.json'
);
if (!fs.existsSync(corePackageFile)) {
  fail(`core metadata not found at ${corePackageFile}`);
}

const development = process.argv.includes('--development');
const args = [builderCli, '--core-package-file', corePackageFile];
if (development) {
  args.push('--development');
}
args.push(repoRoot);

const started = Date.now();
const result = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
if (result.status !== 0) {
  fail(`@jupyter/builder exited with status ${result.status ?? result.signal}`);
}

// Check the output is a loadable federated extension, so a broken build fails here
// and not later as a silently missing extension in somebody's JupyterLab.
const outputDir = path.join(repoRoot, pkg.jupyterlab.outputDir);
const built = JSON.parse(fs.readFileSync(path.join(outputDir, 'package.json'), 'utf8'));
const load = built.jupyterlab?._build?.load;
if (!load || !fs.existsSync(path.join(outputDir, load))) {
  fail(`no remote entry recorded in ${pkg.jupyterlab.outputDir}/package.json (_build.load=${load})`);
}
if (built.jupyterlab._build.extension !== './extension') {
  fail('the built package does not expose ./extension');
}
if (built.version !== pkg.version) {
  fail(`built version ${built.version} differs from package.json ${pkg.version}`);
}
if (pkg.jupyterlab.schemaDir) {
  const schemaOut = path.join(outputDir, 'schemas', pkg.name);
  for (const name of fs.readdirSync(path.join(repoRoot, pkg.jupyterlab.schemaDir))) {
    if (name.endsWith('.json') && !fs.existsSync(path.join(schemaOut, name))) {
      fail(`schema ${name} was not copied to ${path.relative(repoRoot, schemaOut)}`);
    }
  }
}

const staticDir = path.join(outputDir, 'static');
const files = fs.readdirSync(staticDir);

// Web Worker entry chunks (`new Worker(new URL('./x.js', import.meta.url))` in lib/) must
// not consume shared modules: a Worker has no share scope, so a shared dependency
// there fails at run time ("E[e] is not a function"). Such packages belong in
// `jupyterlab.sharedPackages` as `false` (bundled, not shared).
const workerChunks = new Set();
for (const file of files.filter(f => f.endsWith('.js'))) {
  const source = fs.readFileSync(path.join(staticDir, file), 'utf8');
  const pattern =
    /new Worker\(\s*new URL\(\s*(?:\/\*[^*]*\*\/\s*)?[\w$]+\.p\s*\+\s*[\w$]+\.u\(\s*["']?([\w.-]+)["']?\s*\)/g;
  for (const match of source.matchAll(pattern)) {
    workerChunks.add(match[1]);
  }
}
for (const id of workerChunks) {
  const file = files.find(f => f.startsWith(`${id}.`) && f.endsWith('.js'));
  if (!file) {
    fail(`the Worker chunk ${id} was not emitted`);
  }
  const source = fs.readFileSync(path.join(staticDir, file), 'utf8');
  const consumed = /moduleIdToConsumeDataMapping\s*:\s*\{\s*[^}\s]/.test(source);
  if (consumed) {
    const keys = [...source.matchAll(/shareKey\s*:\s*["']([^"']+)["']/g)].map(m => m[1]);
    fail(
      `the Worker chunk ${file} consumes shared modules (${[...new Set(keys)].join(', ')}); ` +
        'set them to false in package.json jupyterlab.sharedPackages'
    );
  }
}
const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(staticDir, f)).size, 0);
console.log(
  `build-labextension: ${path.relative(repoRoot, outputDir)} ` +
    `(${development ? 'development' : 'production'}, entry ${load}, ` +
    `${files.length} static files, ${workerChunks.size} Worker chunk(s), ${(bytes / 1024).toFixed(0)} KiB) ` +
    `in ${((Date.now() - started) / 1000).toFixed(1)} s`
);
