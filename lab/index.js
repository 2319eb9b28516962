// The entry of the JupyterLab 4 application that hosts jupyterlab-diffraction
// (the pattern of JupyterLab's own examples/app).
//
// `lab/build.js` generates `plugins.js` (resolved through the `@lab-generated`
// alias) from package.json: one `import()` per `@jupyterlab/*-extension`
// devDependency, this extension (`../lib/index.js`), and, in the test variant
// (LAB_TEST=1), galata's in-page helpers.

import { JupyterLab } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';

// Chunks, fonts, images and the extension's Worker are fetched relative to the
// public path: set it before anything else is loaded.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption('fullStaticUrl') + '/';

/** Plugin ids never registered here, and why. */
const EXCLUDED_PLUGINS = [
  // Needs a language server proxy that only the Python `jupyterlab` package has.
  /:language-server/,
  // Polls `/lab/api/news`, which only the Python `jupyterlab` package serves.
  /^@jupyterlab\/apputils-extension:announcements$/
];

/** The plugins a package exports (ES module default export or CommonJS). */
function pluginsOf(module) {
  const exported = Object.prototype.hasOwnProperty.call(module, '__esModule')
    ? module.default
    : (module.default ?? module);
  return Array.isArray(exported) ? exported : [exported];
}

/** Load, flatten and filter the plugins of a list of package loaders. */
async function load(loaders) {
  const modules = await Promise.all(loaders.map(loader => loader()));
  return modules
    .flatMap(pluginsOf)
    .filter(plugin => !EXCLUDED_PLUGINS.some(pattern => pattern.test(plugin.id)));
}

async function main() {
  const { styles, extensions, mimeExtensions } = await import('@lab-generated/plugins.js');
  await styles();
  const lab = new JupyterLab({ mimeExtensions: await load(mimeExtensions) });
  lab.registerPlugins(await load(extensions));
  // Galata and the ui-tests find the application here (and await `.started`).
  window.jupyterapp = lab;
  await lab.start();
  await lab.restored;
}

window.addEventListener('load', () => {
  main().catch(reason => {
    console.error('jupyterlab-diffraction: the application failed to start', reason);
  });
});
