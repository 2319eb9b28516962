/**
 * The bridge to open notebooks: which notebook receives the center, and the cell it gets.
 */
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { writeCenter, type CenterEntry } from './metadata.js';
import { imagePathsFor } from './paths.js';

/**
 * Remembers the notebook that was last active, so "Write center to notebook" can target it
 * while the diffraction viewer has the focus.
 */
export class NotebookTarget {
  constructor(private readonly _tracker: INotebookTracker) {
    _tracker.currentChanged.connect((_, panel) => {
      if (panel) {
        this._last = panel;
      }
    });
    _tracker.widgetAdded.connect((_, panel) => {
      panel.disposed.connect(() => {
        if (this._last === panel) {
          this._last = null;
        }
      });
    });
    this._last = _tracker.currentWidget;
  }

  /** The notebook that was last active and is still open, if any. */
  get last(): NotebookPanel | null {
    if (this._last && !this._last.isDisposed) {
      return this._last;
    }
    return this._tracker.currentWidget;
  }

  /** Every open notebook, for the user to pick from. */
  all(): NotebookPanel[] {
    const panels: NotebookPanel[] = [];
    this._tracker.forEach(panel => panels.push(panel));
    return panels;
  }

  /** Find an open notebook by its path. */
  byPath(path: string): NotebookPanel | null {
    return this._tracker.find(panel => panel.context.path === path) ?? null;
  }

  private _last: NotebookPanel | null = null;
}

/**
 * Write a center into a notebook's metadata, under the image's path relative to the notebook's
 * folder (`imagePath` is relative to the server root); saves when `save` is true.
 */
export async function writeCenterToNotebook(
  panel: NotebookPanel,
  imagePath: string,
  entry: CenterEntry,
  save: boolean
): Promise<void> {
  await panel.context.ready;
  const model = panel.content.model;
  if (!model) {
    throw new Error(`The notebook ${panel.context.path} has no model.`);
  }
  writeCenter(model, imagePathsFor(panel.context.localPath, imagePath), entry);
  if (save) {
    await panel.context.save();
  }
}

/** Insert a code cell holding `source` below the active cell, and make it active. */
export async function insertCodeCellBelow(panel: NotebookPanel, source: string): Promise<number> {
  await panel.context.ready;
  const notebook = panel.content;
  const model = notebook.model;
  if (!model) {
    throw new Error(`The notebook ${panel.context.path} has no model.`);
  }
  const index = model.cells.length === 0 ? 0 : notebook.activeCellIndex + 1;
  model.sharedModel.insertCell(index, { cell_type: 'code', source, metadata: {} });
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  return index;
}
