// The host application: JupyterLab's core plugins (compiled in, listed in the generated
// `@lab-host/plugins.js`) plus the plugins of the federated extensions that
// `bootstrap.js` loaded. Each plugin is recorded with the package it came from in
// `app.info.availablePlugins` (`extension`), and `window.labHost` says which packages
// were federated, so a test can tell a prebuilt extension from a compiled-in one.

import { JupyterLab } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { PluginRegistry } from '@lumino/coreutils';

import { isExcludedPlugin, pluginsOf } from '../common.js';
import '@lab-host/style.js';
import { extensions as coreExtensions, mimeExtensions as coreMimeExtensions } from '@lab-host/plugins.js';

/** A module exposed by a federated container (`./extension`, `./mimeExtension`, `./style`). */
async function federatedModule(scope, module) {
  const factory = await window._JUPYTERLAB[scope].get(module);
  return factory();
}

export async function main(federatedNames) {
  const federated = JSON.parse(PageConfig.getOption('federated_extensions') || '[]').filter(data =>
    federatedNames.includes(data.name)
  );
  const federatedSet = new Set(federated.map(data => data.name));
  const available = [];
  const failures = [];

  /** Load [package, module loader] pairs into plugins, recording where each came from. */
  async function collect(loaders) {
    const settled = await Promise.allSettled(loaders.map(async ([scope, loader]) => [scope, await loader()]));
    const plugins = [];
    settled.forEach((result, i) => {
      if (result.status === 'rejected') {
        failures.push(`${loaders[i][0]}: ${result.reason}`);
        console.error(`lab-host: ${loaders[i][0]} failed`, result.reason);
        return;
      }
      const [scope, module] = result.value;
      for (const plugin of pluginsOf(module)) {
        if (isExcludedPlugin(plugin)) {
          continue;
        }
        const enabled = !PageConfig.Extension.isDisabled(plugin.id);
        available.push({
          id: plugin.id,
          description: plugin.description,
          requires: plugin.requires ?? [],
          optional: plugin.optional ?? [],
          provides: plugin.provides ?? null,
          autoStart: plugin.autoStart,
          enabled,
          extension: scope
        });
        if (enabled) {
          plugins.push(plugin);
        }
      }
    });
    return plugins;
  }

  // A package that is installed as a federated extension replaces a compiled-in copy.
  const compiled = list => list.filter(([name]) => !federatedSet.has(name));
  const fromFederated = key =>
    federated.filter(data => data[key]).map(data => [data.name, () => federatedModule(data.name, data[key])]);

  const mimeExtensions = await collect([...compiled(coreMimeExtensions), ...fromFederated('mimeExtension')]);
  const extensions = await collect([...compiled(coreExtensions), ...fromFederated('extension')]);
  const styles = await Promise.allSettled(
    federated
      .filter(data => data.style && !PageConfig.Extension.isDisabled(data.name))
      .map(data => federatedModule(data.name, data.style))
  );
  styles
    .filter(result => result.status === 'rejected')
    .forEach(result => {
      failures.push(`style: ${result.reason}`);
      console.error('lab-host: a federated style failed', result.reason);
    });

  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(extensions);
  const lab = new JupyterLab({ pluginRegistry, mimeExtensions, availablePlugins: available });
  window.labHost = { federated: [...federatedSet], failures };
  window.jupyterapp = lab;
  await lab.start();
  await lab.restored;
}
