// Entry of the host application. Runs before any shared module is used:
// 1. set the public path of the host's chunks from the page config;
// 2. load the remote entry of every federated (prebuilt) extension the server lists
//    and initialise it with the host's share scope, so that it uses the host's
//    JupyterLab singletons instead of its own copies;
// 3. only then import the application (`index.js`), which consumes shared modules.
//
// PageConfig (@jupyterlab/coreutils) is itself a shared module and cannot be used
// here: the page config is read from the page directly.

function pageConfig() {
  const element = document.getElementById('jupyter-config-data');
  return element ? JSON.parse(element.textContent || '{}') : {};
}

const config = pageConfig();

// eslint-disable-next-line no-undef
__webpack_public_path__ = `${config.fullStaticUrl}/`;

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

/** Load one federated extension's container and give it the host's share scope. */
async function loadFederated({ name, load }) {
  await loadScript(`${config.fullLabextensionsUrl}/${name}/${load}`);
  // eslint-disable-next-line no-undef
  await __webpack_init_sharing__('default');
  const container = window._JUPYTERLAB?.[name];
  if (!container) {
    throw new Error(`${name}: its remote entry did not define window._JUPYTERLAB[${JSON.stringify(name)}]`);
  }
  // eslint-disable-next-line no-undef
  await container.init(__webpack_share_scopes__.default);
  return name;
}

void (async () => {
  const federated = config.federated_extensions ?? [];
  const results = await Promise.allSettled(federated.map(loadFederated));
  const loaded = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') {
      loaded.push(result.value);
    } else {
      console.error(`lab-host: federated extension ${federated[i].name} failed to load`, result.reason);
    }
  });
  const { main } = await import('./index.js');
  await main(loaded);
})();
