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
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import {
  addViewerCommands,
  ColormapSelect,
  CommandIDs,
  DiffractionDocument,
  DiffractionViewer,
  DiffractionViewerFactory,
  FACTORY_NAME,
  IDiffractionTracker,
  ScaleSelect
} from './viewer/index.js';
import { NotebookTarget } from './notebook/index.js';
import {
  addCenterCommands,
  DEFAULT_BRIDGE_SETTINGS,
  type BridgeSettings
} from './centering/commands.js';
import { DEFAULT_CENTER_SETTINGS, type CenterSettings } from './centering/session.js';

export { IDiffractionTracker } from './viewer/tokens.js';
export { CommandIDs as ViewerCommandIDs } from './viewer/commands.js';

/** The viewer plugin: factory, tracker, restorer, settings, toolbar, commands. */
const viewerPlugin: JupyterFrontEndPlugin<IDiffractionTracker> = {
  id: 'jupyterlab-diffraction:viewer',
  description: 'Opens diffraction TIFF images in a scientific viewer.',
  autoStart: true,
  provides: IDiffractionTracker,
  requires: [],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer, ISettingRegistry, IToolbarWidgetRegistry],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    toolbarRegistry: IToolbarWidgetRegistry | null
  ): IDiffractionTracker => {
    const pluginId = viewerPlugin.id;
    const trans = (translator ?? nullTranslator).load('jupyterlab_diffraction');
    const tracker = new WidgetTracker<DiffractionDocument>({ namespace: 'diffraction' });

    // Toolbar: command buttons from the settings ("jupyter.lab.toolbars"), plus two selectors.
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
    const factory = new DiffractionViewerFactory({
      name: FACTORY_NAME,
      label: trans.__('Diffraction'),
      modelName: 'base64',
      fileTypes: ['tiff', ...formats],
      defaultFor: ['tiff', ...formats],
      readOnly: true,
      toolbarFactory,
      translator: translator ?? undefined,
      contents: app.serviceManager.contents
    });
    app.docRegistry.addWidgetFactory(factory);

    const ft = app.docRegistry.getFileType('tiff');
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      // Keep the restore args (the viewer state) current, at most twice a second.
      let timer = 0;
      widget.content.stateChanged.connect(() => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => {
          if (!widget.isDisposed) void tracker.save(widget);
        }, 500);
      });
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
            const apply = () => {
              const defaults = Private.defaultsFrom(settings.composite);
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
        when: settingsLoaded
      });
    }

    addViewerCommands(app, tracker, trans, palette);
    return tracker;
  }
};

/** Find center, masks and the notebook bridge for diffraction viewers. */
const centerPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-diffraction:center',
  description: 'Finds the center of diffraction patterns in a Web Worker, edits masks, and carries the center into notebooks.',
  autoStart: true,
  requires: [IDiffractionTracker],
  optional: [ITranslator, ICommandPalette, ISettingRegistry, INotebookTracker, IDocumentManager],
  activate: (
    app: JupyterFrontEnd,
    tracker: IDiffractionTracker,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    notebookTracker: INotebookTracker | null,
    docManager: IDocumentManager | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_diffraction');
    let current = { center: DEFAULT_CENTER_SETTINGS, bridge: DEFAULT_BRIDGE_SETTINGS };
    const sessions = addCenterCommands({
      app,
      tracker,
      trans,
      palette,
      notebooks: notebookTracker ? new NotebookTarget(notebookTracker) : null,
      docManager,
      settings: () => current
    });
    if (settingRegistry) {
      void settingRegistry
        .load(centerPlugin.id)
        .then(settings => {
          const apply = () => {
            current = Private.centerSettingsFrom(settings.composite);
            sessions.updateSettings(current.center);
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.error('jupyterlab-diffraction: cannot load the find-center settings', reason);
        });
    }
  }
};

export default [viewerPlugin, centerPlugin];

namespace Private {
  /** Find-center and bridge settings from the composite settings, with defaults. */
  export function centerSettingsFrom(composite: ReadonlyPartialJSONObject): {
    center: CenterSettings;
    bridge: BridgeSettings;
  } {
    const c = { ...DEFAULT_CENTER_SETTINGS, ...(composite as Partial<CenterSettings>) };
    const b = { ...DEFAULT_BRIDGE_SETTINGS, ...(composite as Partial<BridgeSettings>) };
    return {
      center: {
        normalizeBackground: c.normalizeBackground,
        maxIterations: c.maxIterations,
        autoMask: c.autoMask,
        route: c.route,
        loadSiblingMask: c.loadSiblingMask,
        autoMaskThreshold: c.autoMaskThreshold,
        ringRadii: [...c.ringRadii],
        maskColor: c.maskColor,
        maskOpacity: c.maskOpacity,
        crosshairColor: c.crosshairColor
      },
      bridge: {
        writeOnFind: b.writeOnFind,
        saveNotebook: b.saveNotebook,
        variableName: b.variableName,
        copyFormat: b.copyFormat
      }
    };
  }

  /** The viewer defaults from the settings' composite (schema defaults + user values). */
  export function defaultsFrom(composite: any): DiffractionViewer.IDefaults {
    const d = DiffractionViewer.DEFAULTS;
    const pick = <K extends keyof DiffractionViewer.IDefaults>(key: K): DiffractionViewer.IDefaults[K] =>
      composite && typeof composite[key] === typeof d[key] ? composite[key] : d[key];
    return {
      colormap: pick('colormap'),
      scale: pick('scale'),
      gamma: pick('gamma'),
      invert: pick('invert'),
      lowPercentile: pick('lowPercentile'),
      highPercentile: pick('highPercentile'),
      maskNegative: pick('maskNegative'),
      invalidColor: pick('invalidColor'),
      pollInterval: pick('pollInterval')
    };
  }
}
