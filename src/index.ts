import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  DiffractionDocument,
  DiffractionViewerFactory,
  FACTORY_NAME,
  IDiffractionTracker
} from './viewer/index.js';

export { IDiffractionTracker } from './viewer/tokens.js';

/** The command IDs used by the diffraction plugins. */
export namespace CommandIDs {
  export const openWith = 'diffraction:open-viewer';
}

/** The palette category of every command. */
const CATEGORY = 'Diffraction';

/** The viewer plugin: factory, tracker, restorer, commands. */
const viewerPlugin: JupyterFrontEndPlugin<IDiffractionTracker> = {
  id: 'jupyterlab-diffraction:viewer',
  description: 'Opens diffraction TIFF images in a scientific viewer.',
  autoStart: true,
  provides: IDiffractionTracker,
  requires: [],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null
  ): IDiffractionTracker => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_diffraction');
    const namespace = 'diffraction';
    const tracker = new WidgetTracker<DiffractionDocument>({ namespace });
    const ft = app.docRegistry.getFileType('tiff');
    const factory = new DiffractionViewerFactory({
      name: FACTORY_NAME,
      label: trans.__('Diffraction'),
      modelName: 'base64',
      fileTypes: ['tiff'],
      defaultFor: ['tiff'],
      readOnly: true,
      translator: translator ?? undefined
    });
    app.docRegistry.addWidgetFactory(factory);
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => {
        void tracker.save(widget);
      });
      void tracker.add(widget);
      if (ft) {
        widget.title.icon = ft.icon;
        widget.title.iconClass = ft.iconClass ?? '';
        widget.title.iconLabel = ft.iconLabel ?? '';
      }
    });
    if (restorer) {
      void restorer.restore(tracker, {
        command: 'docmanager:open',
        args: widget => ({ path: widget.context.path, factory: FACTORY_NAME }),
        name: widget => widget.context.path
      });
    }
    if (settingRegistry) {
      void settingRegistry.load(viewerPlugin.id).catch(reason => {
        console.error('jupyterlab-diffraction: cannot load settings', reason);
      });
    }
    app.commands.addCommand(CommandIDs.openWith, {
      label: trans.__('Open in Diffraction Viewer'),
      caption: trans.__('Open the selected TIFF in the diffraction viewer'),
      execute: args =>
        app.commands.execute('docmanager:open', {
          path: args.path as string,
          factory: FACTORY_NAME
        }),
      isEnabled: args => typeof args.path === 'string'
    });
    palette?.addItem({ command: CommandIDs.openWith, category: CATEGORY, args: { path: '' } });
    return tracker;
  }
};

export default [viewerPlugin];
