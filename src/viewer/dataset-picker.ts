/**
 * The dataset picker of HDF5 files with several image datasets (an EMD file's diffraction
 * stack and its survey image, a NeXus file's data and its flat field...): the command
 * `diffraction:choose-dataset` (with `dataset`: that one; without: a list to pick from, each
 * with its path, shape and sample type) and a toolbar select, shown only when the file has more
 * than one image dataset. Either reopens the viewer on the dataset chosen; the choice is part of
 * the viewer's saved state, so it survives a reload. The reader lists the datasets
 * (`info.datasets`, src/io/hdf5.ts) and reads the one asked for (`options.dataset`).
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { type ICommandPalette, InputDialog, Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import type { DatasetSummary } from '../io/image-file.js';
import { CommandIDs, currentViewerOf, PALETTE_CATEGORY } from './commands.js';
import { labelledSelect } from './toolbar.js';
import type { IDiffractionTracker } from './tokens.js';
import type { DiffractionViewer } from './widget.js';

/** "path (shape, dtype)", e.g. "/entry/data/data (3 × 512 × 512, <u4)". */
export function describeDataset(d: DatasetSummary): string {
  return `${d.path} (${d.shape.join(' × ')}, ${d.dtype})`;
}

/** The dataset shown (or being opened): the user's choice, else the reader's. */
export function shownDataset(viewer: DiffractionViewer): string | null {
  return viewer.imageDataset ?? viewer.tiff?.info.dataset ?? null;
}

/** Add `diffraction:choose-dataset` (and its palette entry). */
export function addDatasetCommand(
  app: JupyterFrontEnd,
  tracker: IDiffractionTracker,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const current = currentViewerOf(app, tracker);
  commands.addCommand(CommandIDs.chooseDataset, {
    label: args => (typeof args.dataset === 'string' ? trans.__('Dataset: %1', args.dataset) : trans.__('Choose Dataset…')),
    caption: trans.__('Show another image dataset of the HDF5 file (path, shape and type are listed)'),
    execute: async args => {
      const viewer = current();
      if (!viewer) return;
      const datasets = viewer.imageDatasets;
      let path = typeof args.dataset === 'string' ? args.dataset : null;
      if (path === null) {
        const labels = datasets.map(describeDataset);
        const shown = datasets.findIndex(d => d.path === shownDataset(viewer));
        const result = await InputDialog.getItem({
          title: trans.__('Dataset of %1', viewer.context.path),
          label: trans.__('Image datasets (path, shape, type):'),
          items: labels,
          current: Math.max(0, shown)
        });
        if (!result.button.accept || result.value === null) return;
        path = datasets[labels.indexOf(result.value)]?.path ?? null;
        if (path === null) return;
      }
      const name = viewer.context.path;
      if (path === shownDataset(viewer) && viewer.tiff) {
        Notification.info(trans.__('Dataset %1 of %2 is already shown.', path, name), { autoClose: 3000 });
        return;
      }
      if (!datasets.some(d => d.path === path)) {
        Notification.warning(trans.__('%1 has no image dataset %2.', name, path), { autoClose: 6000 });
        return;
      }
      viewer.model.frameIndex = 0;
      await viewer.setImageDataset(path);
      if (viewer.tiff && viewer.tiff.info.dataset === path) {
        Notification.success(trans.__('Showing dataset %1 of %2.', path, name), { autoClose: 4000 });
      } else {
        Notification.warning(trans.__('Dataset %1 of %2 could not be shown (the viewer says why).', path, name), { autoClose: 6000 });
      }
    },
    isEnabled: args => {
      const viewer = current();
      if (!viewer) return false;
      return typeof args.dataset === 'string' ? viewer.imageDatasets.some(d => d.path === args.dataset) : viewer.imageDatasets.length > 1;
    },
    isToggled: args => typeof args.dataset === 'string' && !!current() && shownDataset(current()!) === args.dataset,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          dataset: { type: 'string', description: trans.__('The HDF5 path of the dataset (without: choose from a list)') }
        }
      }
    }
  });
  if (palette) palette.addItem({ command: CommandIDs.chooseDataset, category: trans.__(PALETTE_CATEGORY) });
}

/**
 * The toolbar's dataset select: every image dataset of the file (path, shape, type), the one
 * shown selected; hidden unless the file has two or more. Choosing runs the command.
 */
export class DatasetSelect extends Widget {
  constructor(
    private readonly _viewer: DiffractionViewer,
    private readonly _commands: CommandRegistry,
    label = 'Dataset'
  ) {
    super();
    this.select = labelledSelect(this, label, 'jp-Diffraction-datasetSelect');
    this.select.addEventListener('change', () => {
      const dataset = this.select.value;
      void this._commands.execute(CommandIDs.chooseDataset, { dataset }).finally(() => this._sync());
    });
    _viewer.frameChanged.connect(this._sync, this);
    _viewer.stateChanged.connect(this._sync, this);
    this._sync();
  }

  /** The select element. */
  readonly select: HTMLSelectElement;

  private _sync(): void {
    const datasets = this._viewer.imageDatasets;
    const key = datasets.map(describeDataset).join('\n');
    if (key !== this._key) {
      this._key = key;
      this.select.replaceChildren(
        ...datasets.map(d => {
          const option = document.createElement('option');
          option.value = d.path;
          option.textContent = describeDataset(d);
          return option;
        })
      );
    }
    this.setHidden(datasets.length < 2);
    const shown = shownDataset(this._viewer);
    if (shown !== null && this.select.value !== shown) this.select.value = shown;
  }

  private _key = '';
}
