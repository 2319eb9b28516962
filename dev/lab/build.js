// Build the JupyterLab 4 application that hosts jupyterlab-diffraction.
//
//   node dev/lab/build.js             -> dev/lab/build/app/   (what `npm start` serves)
//   LAB_TEST=1 node dev/lab/build.js  -> dev/lab/build/test/  (the same app plus galata's
//                                        in-page helpers, served to the ui-tests)
//
// Run `npm run build:lib` first: the extension is bundled from `lib/`.
//
// Output, per variant directory:
//   static/    bundle.js and its chunks (jupyterlab_server `static_dir`)
//   schemas/   settings schemas of every plugin package, this extension's
//              `schema/*.json` under `jupyterlab-diffraction/` (`schemas_dir`)
//   themes/    the light/dark theme CSS (`themes_dir`)
//   plugins.js the generated module `dev/lab/index.js` imports as `@lab-generated/plugins.js`
//
// The packages (every `@jupyterlab/*-extension` of package.json's devDependencies but the
// excluded ones), the loaders (@jupyter/builder's base configuration) and the defines are
// those of the federated host dev/host: ../common.js holds them for both.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

import { DEFINES, NODE_GLOBALS, corePluginPackages, runRspack } from '../common.js';

const LAB_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(LAB_DIR, '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

const rspack = require('@rspack/core');
const { merge } = require('webpack-merge');
const baseConfig = require('@jupyter/builder/lib/webpack.config.base.js');

const TEST_VARIANT = ['1', 'true', 'yes'].includes((process.env.LAB_TEST ?? '').toLowerCase());
const VARIANT = TEST_VARIANT ? 'test' : 'app';
const OUT_DIR = path.join(LAB_DIR, 'build', VARIANT);

/** Galata's in-page helpers (NOT `lib/extension`, which resolves to a types-only file). */
const GALATA_EXTENSION = '@jupyterlab/galata/lib/extension/index.js';

function readJSON(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Directory of an installed package. */
function packageDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
}

/**
 * What the application is made of: one entry per package with its plugin module
 * (extension), MIME renderer module, schema directory, theme file and style module.
 */
function collectPackages() {
  const root = readJSON(path.join(ROOT, 'package.json'));
  const names = corePluginPackages(root);
  const packages = names.map(name => describe(name, packageDir(name), readJSON(path.join(packageDir(name), 'package.json'))));
  // This extension, from the root package (built into lib/ by `npm run build:lib`).
  packages.push(describe(root.name, ROOT, root));
  return packages;
}

function describe(name, dir, data) {
  const lab = data.jupyterlab ?? {};
  const main = data.main ?? 'index.js';
  const moduleOf = value =>
    value === true ? path.join(dir, main) : typeof value === 'string' ? path.join(dir, value) : null;
  const style = data.styleModule ?? data.style;
  return {
    name,
    dir,
    version: data.version,
    extension: moduleOf(lab.extension),
    mimeExtension: moduleOf(lab.mimeExtension),
    schemaDir: lab.schemaDir ? path.join(dir, lab.schemaDir) : null,
    themePath: lab.themePath ? path.join(dir, lab.themePath) : null,
    style: typeof style === 'string' ? path.join(dir, style) : null
  };
}

/** Copy each package's schemas to `schemas/<package name>/` (+ package.json.orig for the version). */
function copySchemas(packages) {
  const target = path.join(OUT_DIR, 'schemas');
  fs.rmSync(target, { recursive: true, force: true });
  let count = 0;
  for (const pkg of packages) {
    if (!pkg.schemaDir || !fs.existsSync(pkg.schemaDir)) {
      continue;
    }
    const destination = path.join(target, pkg.name);
    fs.mkdirSync(destination, { recursive: true });
    for (const file of fs.readdirSync(pkg.schemaDir)) {
      if (file.endsWith('.json')) {
        fs.copyFileSync(path.join(pkg.schemaDir, file), path.join(destination, file));
        count++;
      }
    }
    fs.copyFileSync(path.join(pkg.dir, 'package.json'), path.join(destination, 'package.json.orig'));
  }
  return count;
}

/** Inline the relative `@import`s of a theme's CSS (the themes only import `./variables.css`). */
function inlineCSS(file, seen = new Set()) {
  if (seen.has(file)) {
    return '';
  }
  seen.add(file);
  const css = fs.readFileSync(file, 'utf8');
  return css.replace(/@import\s+(?:url\()?['"](\.{1,2}\/[^'"]+)['"]\)?\s*;/g, (_, relative) =>
    inlineCSS(path.resolve(path.dirname(file), relative), seen)
  );
}

/** Write `themes/<package name>/index.css` for every theme package. */
function writeThemes(packages) {
  const target = path.join(OUT_DIR, 'themes');
  fs.rmSync(target, { recursive: true, force: true });
  let count = 0;
  for (const pkg of packages) {
    if (!pkg.themePath) {
      continue;
    }
    const css = inlineCSS(pkg.themePath);
    if (/url\(/.test(css)) {
      throw new Error(`${pkg.name}: theme CSS refers to assets (url(...)); dev/lab/build.js does not copy them`);
    }
    const destination = path.join(target, pkg.name);
    fs.mkdirSync(destination, { recursive: true });
    fs.writeFileSync(path.join(destination, 'index.css'), css);
    count++;
  }
  return count;
}

/** Write the module `dev/lab/index.js` loads: style loader and plugin loaders. */
function writePlugins(packages) {
  const loader = file => `  () => import(${JSON.stringify(file)})`;
  const extensions = packages.filter(p => p.extension).map(p => loader(p.extension));
  const mimeExtensions = packages.filter(p => p.mimeExtension).map(p => loader(p.mimeExtension));
  const styles = packages
    .filter(p => p.style)
    .map(p => `  import(${JSON.stringify(p.style)})`);
  if (TEST_VARIANT) {
    extensions.push(loader(require.resolve(GALATA_EXTENSION, { paths: [ROOT] })));
  }
  const source = `// Generated by dev/lab/build.js (${VARIANT} variant). Do not edit.
export const styles = () => Promise.all([
${styles.join(',\n')}
]);

export const extensions = [
${extensions.join(',\n')}
];

export const mimeExtensions = [
${mimeExtensions.join(',\n')}
];
`;
  fs.writeFileSync(path.join(OUT_DIR, 'plugins.js'), source);
  return { extensions: extensions.length, mimeExtensions: mimeExtensions.length };
}

/**
 * One copy of each of JupyterLab's singleton packages (react, react-dom, @lumino/*, ...).
 *
 * JupyterLab's own build shares them through module federation. Here npm may install several
 * copies: it hoists react 16 (wanted by react-paginate) and nests react 18.3.1 under every
 * @jupyterlab package, and two Reacts in one page break every hook ("Cannot read properties
 * of null (reading 'useRef')"). Alias each singleton with several installed copies to the
 * newest copy that satisfies the range of JupyterLab's `resolutions`.
 */
function singletonAliases() {
  const core = readJSON(require.resolve('@jupyterlab/core-meta/core.package.json', { paths: [ROOT] }));
  const lock = readJSON(path.join(ROOT, 'package-lock.json'));
  const copies = new Map();
  for (const [where, meta] of Object.entries(lock.packages ?? {})) {
    const name = where.replace(/^.*node_modules\//, '');
    if (where && core.jupyterlab.singletonPackages.includes(name) && fs.existsSync(path.join(ROOT, where))) {
      copies.set(name, [...(copies.get(name) ?? []), { dir: path.join(ROOT, where), version: meta.version }]);
    }
  }
  const aliases = {};
  for (const [name, found] of copies) {
    const versions = new Set(found.map(copy => copy.version));
    if (found.length < 2) {
      continue;
    }
    const range = core.resolutions?.[name] ?? '*';
    const best = found
      .filter(copy => semver.satisfies(copy.version, range))
      .sort((a, b) => semver.rcompare(a.version, b.version))[0];
    if (!best) {
      throw new Error(`${name}: no installed copy satisfies ${range} (found ${[...versions].join(', ')})`);
    }
    aliases[name] = best.dir;
  }
  return aliases;
}

function bundleConfig() {
  return merge(baseConfig, {
    mode: 'development',
    context: LAB_DIR,
    entry: path.join(LAB_DIR, 'index.js'),
    output: {
      path: path.join(OUT_DIR, 'static'),
      filename: 'bundle.js',
      chunkFilename: '[name].[contenthash:8].js',
      assetModuleFilename: 'assets/[name].[contenthash:8][ext]',
      // Set at run time from the page config (`__webpack_public_path__` in index.js).
      publicPath: 'auto',
      clean: true
    },
    devtool: process.env.LAB_SOURCEMAP ? 'source-map' : false,
    resolve: {
      alias: { ...singletonAliases(), '@lab-generated': OUT_DIR }
    },
    node: NODE_GLOBALS,
    plugins: [new rspack.DefinePlugin(DEFINES)],
    performance: { hints: false },
    infrastructureLogging: { level: 'error' },
    stats: 'errors-warnings'
  });
}

async function main() {
  const started = performance.now();
  const libEntry = path.join(ROOT, 'lib', 'index.js');
  if (!fs.existsSync(libEntry)) {
    throw new Error(`${path.relative(process.cwd(), libEntry)} is missing: run \`npm run build:lib\` first`);
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const packages = collectPackages();
  const schemas = copySchemas(packages);
  const themes = writeThemes(packages);
  const plugins = writePlugins(packages);
  await runRspack(rspack, bundleConfig(), '[lab build]');
  const staticDir = path.join(OUT_DIR, 'static');
  const files = fs
    .readdirSync(staticDir, { recursive: true, encoding: 'utf8' })
    .map(file => fs.statSync(path.join(staticDir, file)))
    .filter(stat => stat.isFile());
  const bytes = files.reduce((sum, stat) => sum + stat.size, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `[lab build] ${VARIANT}: ${plugins.extensions} plugin + ${plugins.mimeExtensions} mime modules, ` +
      `${schemas} schemas, ${themes} themes, ${files.length} files ` +
      `(${(bytes / 1e6).toFixed(1)} MB) in ${seconds} s -> ${path.relative(ROOT, OUT_DIR)}/`
  );
}

main().catch(error => {
  console.error(`[lab build] FAILED: ${error.stack ?? error}`);
  process.exit(1);
});
