// The entry of the JupyterLab 4 application that hosts jupyterlab-diffraction
// (the pattern of JupyterLab's own examples/app).
//
// `dev/lab/build.js` generates `plugins.js` (resolved through the `@lab-generated`
// alias) from package.json: one `import()` per `@jupyterlab/*-extension`
// devDependency but the excluded ones (../common.js), this extension (`lib/index.js`),
// and, in the test variant (LAB_TEST=1), galata's in-page helpers.

import { JupyterLab } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';

import { isExcludedPlugin, pluginsOf } from '../common.js';

// Chunks, fonts, images and the extension's Worker are fetched relative to the
// public path: set it before anything else is loaded.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption('fullStaticUrl') + '/';

/** Load, flatten and filter the plugins of a list of package loaders. */
async function load(loaders) {
  const modules = await Promise.all(loaders.map(loader => loader()));
  return modules
    .flatMap(pluginsOf)
    .filter(plugin => !isExcludedPlugin(plugin));
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
