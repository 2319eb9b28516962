/**
 * Toolbar items of the diffraction viewer that are not plain command buttons: the colormap and
 * scale selectors. They follow the viewer (its `displayChanged` signal) and set it.
 */
import { Styling } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { COLORMAP_NAMES, isColormapName } from './colormaps.js';
import { isScaleName, SCALE_NAMES } from './lut.js';
import type { DiffractionViewer } from './widget.js';

/** A labelled native <select> in the toolbar, bound to one viewer property. */
abstract class ViewerSelect extends Widget {
  constructor(viewer: DiffractionViewer, label: string, className: string, options: readonly string[]) {
    super();
    this.addClass('jp-Diffraction-toolbarSelect');
    this.addClass(className);
    this._viewer = viewer;
    const text = document.createElement('span');
    text.className = 'jp-Diffraction-toolbarLabel';
    text.textContent = label;
    this.node.appendChild(text);
    this.select = document.createElement('select');
    this.select.title = label;
    this.select.setAttribute('aria-label', label);
    for (const name of options) {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      this.select.appendChild(option);
    }
    this.node.appendChild(this.select);
    Styling.styleNode(this.node);
    this.select.addEventListener('change', () => this.onSelect(this.select.value));
    // Keys typed in the select must not trigger the viewer's shortcuts.
    this.select.addEventListener('keydown', event => event.stopPropagation());
    viewer.model.changed.connect(this._sync, this);
    this._sync();
  }

  /** The select element. */
  readonly select: HTMLSelectElement;

  protected get viewer(): DiffractionViewer {
    return this._viewer;
  }

  protected abstract current(): string;

  protected abstract onSelect(value: string): void;

  private _sync(): void {
    if (this.select.value !== this.current()) {
      this.select.value = this.current();
    }
  }

  private _viewer: DiffractionViewer;
}

/** The colormap selector. */
export class ColormapSelect extends ViewerSelect {
  constructor(viewer: DiffractionViewer, label = 'Colormap') {
    super(viewer, label, 'jp-Diffraction-colormapSelect', COLORMAP_NAMES);
  }

  protected current(): string {
    return this.viewer.model.colormap;
  }

  protected onSelect(value: string): void {
    if (isColormapName(value)) this.viewer.model.colormap = value;
  }
}

/** The intensity-scale selector. */
export class ScaleSelect extends ViewerSelect {
  constructor(viewer: DiffractionViewer, label = 'Scale') {
    super(viewer, label, 'jp-Diffraction-scaleSelect', SCALE_NAMES);
  }

  protected current(): string {
    return this.viewer.model.scale;
  }

  protected onSelect(value: string): void {
    if (isScaleName(value)) this.viewer.model.scale = value;
  }
}
