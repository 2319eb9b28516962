import { DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import { PromiseDelegate } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import { openTiff, type TiffFile, type TiffInfo } from '../io/index.js';
import { base64ToArrayBuffer } from './base64.js';

/** The class name added to the viewer. */
const VIEWER_CLASS = 'jp-DiffractionViewer';

/**
 * A viewer for diffraction images (TIFF), showing the decoded data.
 */
export class DiffractionViewer extends Widget {
  constructor(context: DocumentRegistry.Context) {
    super();
    this.context = context;
    this.addClass(VIEWER_CLASS);
    this.node.tabIndex = 0;
    this._info = document.createElement('div');
    this._info.className = 'jp-Diffraction-info';
    this.node.appendChild(this._info);
    void context.ready.then(() => {
      if (this.isDisposed) {
        return;
      }
      context.model.contentChanged.connect(this._onContentChanged, this);
      return this._load();
    });
  }

  /** The document context. */
  readonly context: DocumentRegistry.Context;

  /** Resolves once the first load (success or error) has been shown. */
  get ready(): Promise<void> {
    return this._ready.promise;
  }

  /** The opened file, if it decoded. */
  get tiff(): TiffFile | null {
    return this._tiff;
  }

  private _onContentChanged(): void {
    void this._load();
  }

  private async _load(): Promise<void> {
    try {
      const buffer = base64ToArrayBuffer(this.context.model.toString());
      this._tiff = await openTiff(buffer);
      const frame = await this._tiff.readFrame(0);
      this._showInfo(this._tiff.info, frame.data.length);
      this.node.dataset.state = 'ready';
    } catch (e) {
      this._tiff = null;
      this._info.textContent = `Cannot open ${this.context.path}: ${(e as Error).message}`;
      this.node.dataset.state = 'error';
    }
    this._ready.resolve();
  }

  private _showInfo(info: TiffInfo, pixels: number): void {
    this._info.textContent =
      `${info.height} × ${info.width} ${info.sampleType}, ` +
      `${info.frames} frame${info.frames === 1 ? '' : 's'} (${pixels} pixels decoded)`;
    this.node.dataset.height = String(info.height);
    this.node.dataset.width = String(info.width);
    this.node.dataset.sampleType = info.sampleType;
  }

  private _info: HTMLDivElement;
  private _tiff: TiffFile | null = null;
  private _ready = new PromiseDelegate<void>();
}

/** The document widget holding a diffraction viewer. */
export class DiffractionDocument extends DocumentWidget<DiffractionViewer> {}
