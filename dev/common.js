// What the two development builds of JupyterLab have in common:
//
//   dev/lab   the application `npm start` serves and the ui-tests drive (this extension
//             compiled in; `npm run build:lab`)
//   dev/host  a module-federation host WITHOUT this extension, which loads the prebuilt
//             labextension at run time (`npm run test:dist`)
//
// Both are made of the `@jupyterlab/*-extension` packages of package.json's devDependencies
// minus EXCLUDED_PACKAGES, register the same plugins minus EXCLUDED_PLUGINS, and bundle with
// @jupyter/builder's base configuration (the loaders prebuilt extensions are built with) plus
// DEFINES and NODE_GLOBALS. Pure data and functions, no Node or DOM API: the build scripts
// (Node) and the application entries (browser bundles) import this one module alike.

/** Core extension packages left out of both applications, and why. */
export const EXCLUDED_PACKAGES = new Map([
  // Its panel calls `/lab/api/extensions`, which only the Python `jupyterlab` package serves.
  ['@jupyterlab/extensionmanager-extension', 'needs /lab/api/extensions'],
  // Polls `/lsp/status` of the jupyter-lsp server extension (not packaged by Debian); the
  // `:language-server` plugins of other packages, which need it, are EXCLUDED_PLUGINS.
  ['@jupyterlab/lsp-extension', 'needs the jupyter-lsp server extension']
]);

/** Plugin ids never registered, and why. */
export const EXCLUDED_PLUGINS = [
  // Needs a language server proxy that only the Python `jupyterlab` package has.
  /:language-server/,
  // Polls `/lab/api/news`, which only the Python `jupyterlab` package serves.
  /^@jupyterlab\/apputils-extension:announcements$/
];

/** The core plugin packages of an application: `@jupyterlab/*-extension` devDependencies, sorted. */
export function corePluginPackages(rootPackage) {
  return Object.keys(rootPackage.devDependencies ?? {})
    .filter(name => /^@jupyterlab\/[a-z0-9-]+-extension$/.test(name))
    .filter(name => !EXCLUDED_PACKAGES.has(name))
    .sort();
}

/** Whether a plugin is left out (EXCLUDED_PLUGINS). */
export function isExcludedPlugin(plugin) {
  return EXCLUDED_PLUGINS.some(pattern => pattern.test(plugin.id));
}

/** The plugins a module exports (ES module default export or CommonJS). */
export function pluginsOf(module) {
  const exported = Object.prototype.hasOwnProperty.call(module, '__esModule')
    ? module.default
    : (module.default ?? module);
  return Array.isArray(exported) ? exported : [exported];
}

/**
 * Node's globals in both bundles: `__dirname` is read by a dependency of JupyterLab and mocked as
 * '/' (rspack's default, set explicitly so that it no longer warns at every build).
 */
export const NODE_GLOBALS = { __dirname: 'mock' };

/** Compile-time constants of both bundles: several packages read process.env or call process.cwd(). */
export const DEFINES = {
  'process.env': '{}',
  'process.cwd': '(() => "/")'
};

/**
 * Run rspack (`rspack` is the caller's `@rspack/core`) on one config or several; resolves with
 * the stats (errors, warnings, assets), rejects with every error's message. With `warnPrefix`,
 * each warning is printed on one line behind it.
 */
export function runRspack(rspack, configs, warnPrefix = null) {
  return new Promise((resolve, reject) => {
    rspack.rspack(configs, (error, stats) => {
      if (error) {
        reject(error);
        return;
      }
      const info = stats.toJson({ all: false, errors: true, warnings: true, assets: true });
      if (warnPrefix) {
        for (const warning of info.warnings ?? []) {
          console.warn(`${warnPrefix} warning: ${String(warning.message).split('\n').slice(0, 4).join(' / ')}`);
        }
      }
      if (stats.hasErrors()) {
        reject(new Error(info.errors.map(e => e.message).join('\n\n')));
        return;
      }
      resolve(info);
    });
  });
}
