import { ABCWidgetFactory, DocumentRegistry } from '@jupyterlab/docregistry';
import type { Contents } from '@jupyterlab/services';
import type { ScaleName } from './lut.js';
import { ViewerModel } from './model.js';
import { DiffractionDocument, DiffractionViewer } from './widget.js';

/** The name of the widget factory, shown in "Open With" (also the toolbar's factory name). */
export const FACTORY_NAME = 'Diffraction';

/** A widget factory for diffraction viewers. */
export class DiffractionViewerFactory extends ABCWidgetFactory<DiffractionDocument, DocumentRegistry.IModel> {
  constructor(options: DiffractionViewerFactory.IOptions) {
    super(options);
    this.defaults = ViewerModel.defaultsFrom(options.defaults);
    this._contents = options.contents;
  }

  /** The defaults new viewers start with (the plugin keeps them in sync with the settings). */
  defaults: DiffractionViewer.IDefaults;

  /** The scale new viewers open with instead of the default one (the last the user chose). */
  scale: ScaleName | null = null;

  protected createNewWidget(context: DocumentRegistry.IContext<DocumentRegistry.IModel>): DiffractionDocument {
    const content = new DiffractionViewer(context, {
      defaults: this.defaults,
      scale: this.scale ?? undefined,
      contents: this._contents,
      translator: this.translator
    });
    const widget = new DiffractionDocument({ content, context });
    widget.addClass('jp-Diffraction-document');
    return widget;
  }

  private _contents?: Contents.IManager;
}

export namespace DiffractionViewerFactory {
  export interface IOptions extends DocumentRegistry.IWidgetFactoryOptions<DiffractionDocument> {
    /** Initial defaults (from the settings). */
    defaults?: Partial<DiffractionViewer.IDefaults>;
    /** The contents manager (to notice when a file changes on disk). */
    contents?: Contents.IManager;
  }
}
