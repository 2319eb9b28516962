/**
 * The JupyterLab plugins of jupyterlab-diffraction. This file only wires plugins together;
 * the viewer lives in ./viewer (widget, factory, commands, toolbar items).
 */
import { addDiffractionFileTypes } from './file-types.js';
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  createToolbarFactory,
  ICommandPalette,
  IToolbarWidgetRegistry,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Debouncer } from '@lumino/polling';
import {
  addDatasetCommand,
  addViewerCommands,
  ColormapSelect,
  DatasetSelect,
  CommandIDs,
  DiffractionDocument,
  DiffractionViewerFactory,
  FACTORY_NAME,
  FileStatModelFactory,
  IDiffractionTracker,
  MODEL_NAME,
  keepFocusInViewers,
  ScaleMemory,
  ScaleSelect,
  ViewerModel
} from './viewer/index.js';
import { NotebookTarget } from './notebook/index.js';
import { addCenterCommands } from './centering/commands.js';
import { addCheckCommands } from './check/commands.js';
import { CenteringKeeper } from './centering/keeper.js';
import {
  centerSettingsFrom,
  DEFAULT_BRIDGE_SETTINGS,
  DEFAULT_CENTER_SETTINGS,
  type CenterPluginSettings,
  type ICenterSettingsStore
} from './centering/settings.js';

export { IDiffractionTracker } from './viewer/tokens.js';
export { CommandIDs as ViewerCommandIDs } from './viewer/commands.js';

/** The viewer plugin: factory, tracker, restorer, settings, toolbar, commands. */
const viewerPlugin: JupyterFrontEndPlugin<IDiffractionTracker> = {
  id: 'jupyterlab-diffraction:viewer',
  description: 'Opens diffraction TIFF images in a scientific viewer.',
  autoStart: true,
  provides: IDiffractionTracker,
  requires: [],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer, ISettingRegistry, IToolbarWidgetRegistry, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    stateDB: IStateDB | null
  ): IDiffractionTracker => {
    const pluginId = viewerPlugin.id;
    const trans = (translator ?? nullTranslator).load('jupyterlab_diffraction');
    const tracker = new WidgetTracker<DiffractionDocument>({ namespace: 'diffraction' });

    // Toolbar: command buttons from the settings ("jupyter.lab.toolbars"), plus three selectors.
    let toolbarFactory;
    if (toolbarRegistry) {
      toolbarRegistry.addFactory<DiffractionDocument>(
        FACTORY_NAME,
        'colormap',
        widget => new ColormapSelect(widget.content, trans.__('Colormap'))
      );
      toolbarRegistry.addFactory<DiffractionDocument>(
        FACTORY_NAME,
        'scale',
        widget => new ScaleSelect(widget.content, trans.__('Scale'))
      );
      toolbarRegistry.addFactory<DiffractionDocument>(
        FACTORY_NAME,
        'dataset',
        widget => new DatasetSelect(widget.content, app.commands, trans.__('Dataset'))
      );
      if (settingRegistry) {
        toolbarFactory = createToolbarFactory(
          toolbarRegistry,
          settingRegistry,
          FACTORY_NAME,
          pluginId,
          translator ?? nullTranslator
        );
      }
    }

    // MRC, DM3/DM4, MIB, SMV, CBF and HDF5 open in the viewer too (src/io/open-image.ts).
    const formats = addDiffractionFileTypes(app.docRegistry);
    // The viewer reads its file by ranges: the context fetches no content and makes no checkpoint.
    app.docRegistry.addModelFactory(new FileStatModelFactory());
    const factory = new DiffractionViewerFactory({
      name: FACTORY_NAME,
      label: trans.__('Diffraction'),
      modelName: MODEL_NAME,
      fileTypes: ['tiff', ...formats],
      defaultFor: ['tiff', ...formats],
      readOnly: true,
      toolbarFactory,
      translator: translator ?? undefined,
      contents: app.serviceManager.contents
    });
    app.docRegistry.addWidgetFactory(factory);
    // The scale last chosen opens new viewers (until the default-scale setting changes).
    const scales = new ScaleMemory(stateDB, scale => (factory.scale = scale));

    const ft = app.docRegistry.getFileType('tiff');
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      // Keep the restore args (the viewer state) current: saved 500 ms after the last change.
      const save = new Debouncer(() => (widget.isDisposed ? undefined : tracker.save(widget)), 500);
      widget.content.stateChanged.connect(() => void save.invoke());
      widget.disposed.connect(() => save.dispose());
      scales.watch(widget.content.model);
      void tracker.add(widget);
      if (ft) {
        widget.title.icon = ft.icon;
        widget.title.iconClass = ft.iconClass ?? '';
        widget.title.iconLabel = ft.iconLabel ?? '';
      }
    });

    // Settings: defaults of new viewers, live-applied to open ones.
    const settingsLoaded = settingRegistry
      ? settingRegistry
          .load(pluginId)
          .then(settings => {
            let scaleSetting: string | null = null;
            const apply = () => {
              const defaults = ViewerModel.defaultsFrom(settings.composite);
              if (scaleSetting !== null && defaults.scale !== scaleSetting) scales.forget();
              scaleSetting = defaults.scale;
              factory.defaults = defaults;
              tracker.forEach(widget => widget.content.setDefaults(defaults));
            };
            apply();
            settings.changed.connect(apply);
          })
          .catch(reason => {
            console.error('jupyterlab-diffraction: cannot load the viewer settings', reason);
          })
      : Promise.resolve();

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openViewer,
        args: widget => ({
          path: widget.context.path,
          factory: FACTORY_NAME,
          state: widget.content.saveState() as any
        }),
        name: widget => widget.context.path,
        when: Promise.all([settingsLoaded, scales.ready])
      });
    }

    addViewerCommands(app, tracker, trans, palette);
    addDatasetCommand(app, tracker, trans, palette);
    keepFocusInViewers(app, tracker);
    return tracker;
  }
};

/** Find center, masks and the notebook bridge for diffraction viewers. */
const centerPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-diffraction:center',
  description: 'Finds the center of diffraction patterns in a Web Worker, edits masks, and carries the center into notebooks.',
  autoStart: true,
  requires: [IDiffractionTracker],
  optional: [ITranslator, ICommandPalette, ISettingRegistry, INotebookTracker, IDocumentManager, IStateDB, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: IDiffractionTracker,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    notebookTracker: INotebookTracker | null,
    docManager: IDocumentManager | null,
    stateDB: IStateDB | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_diffraction');
    // Settings live in the plugin's ISettings: read from `composite`, written with `set` (saved
    // by the server; the change comes back through `changed`). Memory only without a registry.
    let loaded: ISettingRegistry.ISettings | null = null;
    const store: ICenterSettingsStore = {
      current: { center: DEFAULT_CENTER_SETTINGS, bridge: DEFAULT_BRIDGE_SETTINGS },
      async set(key, value) {
        if (loaded) {
          await loaded.set(key, value);
        } else {
          apply({ ...store.current.center, ...store.current.bridge, [key]: value });
        }
      }
    };
    const commandOptions = {
      app,
      tracker,
      trans,
      notebooks: notebookTracker ? new NotebookTarget(notebookTracker) : null,
      docManager,
      settings: store,
      restorer
    };
    const sessions = addCenterCommands(commandOptions, palette);
    // The center check: polar view, radial profile, rings that follow it, profile export.
    const checks = addCheckCommands(commandOptions, sessions, palette);
    // Each image's centers and mask are kept across reloads (the workspace's state database).
    if (stateDB) {
      sessions.onSession(session => new CenteringKeeper(session, stateDB, app.serviceManager.contents, trans));
    }
    const apply = (composite: Parameters<typeof centerSettingsFrom>[0]) => {
      const next: CenterPluginSettings = centerSettingsFrom(composite);
      store.current = next;
      sessions.updateSettings(next.center);
      checks.updateSettings(next.center);
    };
    if (settingRegistry) {
      void settingRegistry
        .load(centerPlugin.id)
        .then(settings => {
          loaded = settings;
          apply(settings.composite);
          settings.changed.connect(() => apply(settings.composite));
        })
        .catch(reason => {
          console.error('jupyterlab-diffraction: cannot load the find-center settings', reason);
        });
    }
  }
};

export default [viewerPlugin, centerPlugin];
