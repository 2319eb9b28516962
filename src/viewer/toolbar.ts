/**
 * Toolbar items of the diffraction viewer that are not plain command buttons: the colormap and
 * scale selectors. They follow the viewer (its `displayChanged` signal) and set it.
 */
import { Styling } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { COLORMAP_NAMES, isColormapName } from './colormaps.js';
import { isScaleName, SCALE_NAMES } from './lut.js';
import type { DiffractionViewer } from './widget.js';

/** Fill a toolbar item's node with a label and a native <select>; return the select. */
export function labelledSelect(widget: Widget, label: string, className: string): HTMLSelectElement {
  widget.addClass('jp-Diffraction-toolbarSelect');
  widget.addClass(className);
  const text = document.createElement('span');
  text.className = 'jp-Diffraction-toolbarLabel';
  text.textContent = label;
  widget.node.appendChild(text);
  const select = document.createElement('select');
  select.title = label;
  select.setAttribute('aria-label', label);
  widget.node.appendChild(select);
  Styling.styleNode(widget.node);
  // Keys typed in the select must not trigger the viewer's shortcuts.
  select.addEventListener('keydown', event => event.stopPropagation());
  return select;
}

/** A labelled native <select> in the toolbar, bound to one viewer property. */
abstract class ViewerSelect extends Widget {
  constructor(viewer: DiffractionViewer, label: string, className: string, options: readonly string[]) {
    super();
    this._viewer = viewer;
    this.select = labelledSelect(this, label, className);
    for (const name of options) {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      this.select.appendChild(option);
    }
    this.select.addEventListener('change', () => this.onSelect(this.select.value));
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
