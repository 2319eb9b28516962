import { ABCWidgetFactory, DocumentRegistry } from '@jupyterlab/docregistry';
import { DiffractionDocument, DiffractionViewer } from './widget.js';

/** The name of the widget factory, shown in "Open With". */
export const FACTORY_NAME = 'Diffraction';

/** A widget factory for diffraction viewers. */
export class DiffractionViewerFactory extends ABCWidgetFactory<
  DiffractionDocument,
  DocumentRegistry.IModel
> {
  protected createNewWidget(context: DocumentRegistry.IContext<DocumentRegistry.IModel>): DiffractionDocument {
    const content = new DiffractionViewer(context);
    const widget = new DiffractionDocument({ content, context });
    widget.addClass('jp-Diffraction-document');
    return widget;
  }
}
