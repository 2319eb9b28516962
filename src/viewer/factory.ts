import { ABCWidgetFactory, DocumentModel, DocumentRegistry, TextModelFactory } from '@jupyterlab/docregistry';
import type { ISharedFile } from '@jupyter/ydoc';
import type { Contents } from '@jupyterlab/services';
import type { ScaleName } from './lut.js';
import { ViewerModel } from './model.js';
import { DiffractionDocument, DiffractionViewer } from './widget.js';

/** The name of the widget factory, shown in "Open With" (also the toolbar's factory name). */
export const FACTORY_NAME = 'Diffraction';

/** The name of the model factory whose models hold no content (see `FileStatModelFactory`). */
export const MODEL_NAME = 'jupyterlab-diffraction:file-stat';

/**
 * A model factory for viewers that read their file themselves (the image Worker reads it from
 * the server by ranges): its `fileFormat` is null, so the document context asks the server for
 * the file's metadata only (`content: false`) — no transfer of the file through the contents
 * API. Its models say `collaborative`, which is what makes the context save nothing of them
 * (`canSave` false): no `.ipynb_checkpoints` copy of the file on open, no save. The viewer never
 * writes its file. A change on disk reaches the viewer as the context's `fileChanged`.
 */
export class FileStatModelFactory extends TextModelFactory {
  constructor() {
    super(false);
  }

  get name(): string {
    return MODEL_NAME;
  }

  get contentType(): Contents.ContentType {
    return 'file';
  }

  get fileFormat(): Contents.FileFormat {
    return null;
  }

  createNew(options: DocumentRegistry.IModelOptions<ISharedFile> = {}): DocumentModel {
    return new Private.FileStatModel({ ...options, collaborationEnabled: false });
  }
}

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

namespace Private {
  /** A model without content that the context never saves (see `FileStatModelFactory`). */
  export class FileStatModel extends DocumentModel {
    get collaborative(): boolean {
      return true;
    }
  }
}
