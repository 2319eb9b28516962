// Check what `npm pack` would publish (part of `npm run test:dist`).
//
//   node scripts/check-npm-pack.js            checks `npm pack --dry-run --json`
//   node scripts/check-npm-pack.js DIR [IMAGE] checks an unpacked tarball: the engine
//                                              imports from Node through the package's
//                                              `exports`, the CLI runs (on IMAGE too)
//
// The package must contain lib/ (plugins, engine, CLI, Web Workers), style/,
// schema/, package.json, README.md, LICENSE, CHANGELOG.md and nothing else (no
// sources, tests, lab apps, fixtures, ui-tests); every file package.json points at
// (main, types, exports, bin, style) and every Worker/asset that lib/ loads with
// `new URL('./x.js', import.meta.url)` must be inside.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

const problems = [];
const problem = message => problems.push(message);

/** Files npm would pack, relative to the package root. */
function packedFiles() {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const [report] = JSON.parse(out);
  return { files: report.files.map(f => f.path), size: report.size, unpackedSize: report.unpackedSize };
}

const ALLOWED_DIRS = ['lib/', 'style/', 'schema/'];
const ALLOWED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];

/** Every path string package.json points at (main, types, style, bin, exports). */
function declaredFiles() {
  const declared = new Set();
  const add = value => {
    if (typeof value === 'string' && !value.includes('*')) {
      declared.add(path.posix.normalize(value.replace(/^\.\//, '')));
    }
  };
  [pkg.main, pkg.types, pkg.style, pkg.styleModule].forEach(add);
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
  bins.forEach(add);
  const walk = value => {
    if (typeof value === 'string') {
      add(value);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(walk);
    }
  };
  walk(pkg.exports);
  return [...declared];
}

/** Files lib/ loads at run time with `new URL('./relative', import.meta.url)` (Workers, assets). */
function runtimeReferences(files) {
  const pattern = /new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g;
  const refs = [];
  for (const file of files.filter(f => f.startsWith('lib/') && f.endsWith('.js'))) {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const match of source.matchAll(pattern)) {
      refs.push({ from: file, target: path.posix.join(path.posix.dirname(file), match[1]) });
    }
  }
  return refs;
}

function checkDryRun() {
  const { files, size, unpackedSize } = packedFiles();
  const packed = new Set(files);
  for (const file of files) {
    if (!ALLOWED_FILES.includes(file) && !ALLOWED_DIRS.some(dir => file.startsWith(dir))) {
      problem(`packed but not allowed: ${file}`);
    }
  }
  for (const file of ALLOWED_FILES) {
    if (!packed.has(file)) {
      problem(`missing from the package: ${file}`);
    }
  }
  for (const file of declaredFiles()) {
    if (!packed.has(file)) {
      problem(`package.json points at ${file}, which is not packed`);
    }
  }
  // tsc -b never deletes outputs of removed sources: such leftovers would be published.
  // (lib/cli/cli-chunk-*: the code the CLI bundle's entry points share, scripts/build-cli.mjs.)
  for (const file of files.filter(f => f.startsWith('lib/') && !f.startsWith('lib/cli/cli-chunk-'))) {
    const stem = file.replace(/^lib\//, 'src/').replace(/(\.d\.ts|\.js\.map|\.js)$/, '');
    if (!['.ts', '.tsx'].some(ext => fs.existsSync(path.join(ROOT, stem + ext)))) {
      problem(`${file} has no source in src/ (a stale build output: rebuild after \`npm run clean\`)`);
    }
  }
  if (!files.some(f => f.startsWith('schema/') && f.endsWith('.json'))) {
    problem('no settings schema (schema/*.json) packed');
  }
  const refs = runtimeReferences(files);
  for (const { from, target } of refs) {
    if (!packed.has(target)) {
      problem(`${from} loads ${target} at run time, which is not packed`);
    }
  }
  const workers = refs.filter(r => /worker/i.test(r.target)).map(r => r.target);
  console.log(
    `[check-npm-pack] ${files.length} files, ${(size / 1024).toFixed(0)} KiB packed ` +
      `(${(unpackedSize / 1024).toFixed(0)} KiB unpacked); bin: ${Object.values(pkg.bin ?? {}).join(', ') || '-'}; ` +
      `workers: ${[...new Set(workers)].join(', ') || '-'}`
  );
}

/** Import every `exports` entry of the unpacked tarball from Node, by package name. */
async function checkUnpacked(dir) {
  // Real path: Node resolves packages through symlinks (a linked node_modules) to real paths.
  const unpacked = fs.realpathSync(path.resolve(dir));
  const names = fs.readdirSync(unpacked);
  const self = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
  if (self.version !== pkg.version) {
    problem(`tarball version ${self.version} != package.json ${pkg.version}`);
  }
  if (names.some(n => !['lib', 'style', 'schema', ...ALLOWED_FILES].includes(n))) {
    problem(`unexpected top-level entries in the tarball: ${names.join(', ')}`);
  }
  // Node-importable subpaths: those whose target is a .js file outside the browser entry.
  const nodeEntries = Object.entries(pkg.exports ?? {}).filter(
    ([subpath, target]) => subpath !== '.' && typeof target === 'object' && /\.js$/.test(target.default ?? '')
  );
  // The probe lives next to the node_modules folder holding the unpacked package, so
  // `import('jupyterlab-diffraction/...')` resolves to the tarball's files.
  const probe = path.join(path.dirname(path.dirname(unpacked)), `.probe-${process.pid}.mjs`);
  for (const [subpath] of nodeEntries) {
    const specifier = `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
    fs.writeFileSync(
      probe,
      `export const url = import.meta.resolve(${JSON.stringify(specifier)});\n` +
        `export const module = await import(${JSON.stringify(specifier)});\n`
    );
    try {
      const { url, module } = await import(`${pathToFileURL(probe).href}?${subpath}`);
      const file = fileURLToPath(url);
      if (!file.startsWith(unpacked + path.sep)) {
        problem(`${specifier} resolved to ${file}, outside the unpacked tarball`);
      }
      const exported = Object.keys(module);
      if (exported.length === 0) {
        problem(`${specifier} exports nothing`);
      }
      console.log(
        `[check-npm-pack] import('${specifier}') -> ${path.relative(unpacked, file)}: ${exported.join(', ')}`
      );
    } catch (error) {
      problem(`import('${specifier}') from the tarball failed: ${error.message}`);
    } finally {
      fs.rmSync(probe, { force: true });
    }
  }
  // The command-line tools run from the tarball.
  const bins = typeof self.bin === 'string' ? { [self.name]: self.bin } : (self.bin ?? {});
  for (const [name, file] of Object.entries(bins)) {
    try {
      const out = execFileSync(process.execPath, [path.join(unpacked, file), '--help'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe']
      });
      if (!out.trim()) {
        problem(`${name} --help printed nothing`);
      }
      console.log(`[check-npm-pack] ${name} --help: ${out.trim().split('\n')[0]}`);
    } catch (error) {
      problem(`${name} --help failed (${file}): ${String(error.stderr || error.message).trim().split('\n')[0]}`);
    }
  }
}

/**
 * The packaged CLI finds the center of a real image (graphite.tif, whose mask
 * graphite_mask.tif sits beside it) near scikit-ued's reference (557.0, 506.0): a loose
 * tolerance, this checks the package works end to end, not the engine's accuracy.
 */
function checkCliOnImage(dir, image) {
  const unpacked = path.resolve(dir);
  const self = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
  const cli = path.join(unpacked, Object.values(self.bin ?? {})[0] ?? '');
  const reference = { row: 557.0, col: 506.0 };
  const tolerance = 3;
  try {
    const out = execFileSync(process.execPath, [cli, image, '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    });
    const result = JSON.parse(out.trim().split('\n').pop());
    const off = Math.hypot(result.row - reference.row, result.col - reference.col);
    if (!(off <= tolerance) || !result.mask) {
      problem(
        `CLI on ${path.basename(image)}: (${result.row}, ${result.col}) mask=${result.mask}; ` +
          `expected within ${tolerance} px of (${reference.row}, ${reference.col}) with its sibling mask`
      );
    }
    console.log(
      `[check-npm-pack] CLI from the tarball on ${path.basename(image)}: ` +
        `(${result.row.toFixed(2)}, ${result.col.toFixed(2)}), ${off.toFixed(2)} px from the reference`
    );
  } catch (error) {
    problem(`CLI on ${image} failed: ${String(error.stderr || error.message).trim().split('\n')[0]}`);
  }
}

if (process.argv[2]) {
  await checkUnpacked(process.argv[2]);
  if (process.argv[3]) {
    checkCliOnImage(process.argv[2], process.argv[3]);
  }
} else {
  checkDryRun();
}
if (problems.length) {
  console.error(`[check-npm-pack] FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
