/**
 * The notebook commands: write the center into a notebook's metadata, insert it as code, copy
 * it, and list the centers a notebook holds. Each says what it did (JupyterLab notifications).
 */
import { Clipboard, Dialog, InputDialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import {
  centerAsJson,
  centerAsPython,
  formatSigma,
  imagePathsFor,
  insertCodeCellBelow,
  listCenters,
  listSeries,
  type NotebookTarget,
  writeCenterToNotebook,
  type CenterEntry,
  type ListedCenter,
  type ListedSeries
} from '../notebook/index.js';
import { VERSION } from '../version.js';
import { CenterCommandIDs } from './command-ids.js';
import { writeCenterIcon } from './icons.js';
import type { CenterSession } from './session.js';
import { NO_ARGS, reportError, type CenterSessions, type ICenterCommandsOptions } from './sessions.js';

/** An outcome told as a warning (nothing to do yet), not as a failure. */
export class NotReady extends Error {}

/** Tell the user: a warning for what they can fix now (`NotReady`), a dialog for a failure. */
export function tellUser(title: string): (error: unknown) => void {
  return (error: unknown) => {
    if (error instanceof NotReady) {
      Notification.warning(error.message, { autoClose: 6000 });
    } else {
      reportError(title)(error);
    }
  };
}

/** Put text on the clipboard (the system's, through JupyterLab's fallback when it is refused). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    Clipboard.copyToSystem(text);
  }
}

/** The open notebook at `path`, or the last active one; `NotReady` when there is none. */
export function targetNotebook(notebooks: NotebookTarget | null, trans: TranslationBundle, path?: unknown): NotebookPanel {
  if (!notebooks) {
    throw new Error(trans.__('Notebooks are not available in this JupyterLab.'));
  }
  const panel = typeof path === 'string' && path ? notebooks.byPath(path) : notebooks.last;
  if (!panel) {
    throw new NotReady(
      typeof path === 'string' && path
        ? trans.__('The notebook %1 is not open: open it first.', path)
        : trans.__('Open a notebook first: the center goes into the last active notebook.')
    );
  }
  return panel;
}

export function addNotebookCommands(options: ICenterCommandsOptions, sessions: CenterSessions): void {
  const { app, trans, notebooks, settings } = options;
  const { commands } = app;
  const current = () => sessions.current();
  const hasCenter = () => current()?.center != null;
  const hasNotebook = () => (notebooks?.last ?? null) !== null;
  const notebookPathArgs = { args: { type: 'object', properties: { notebookPath: { type: 'string' } } } };

  const tell = tellUser;

  /** The notebook entry and image path of the current viewer's center. */
  const currentEntry = (): { entry: CenterEntry; path: string; session: CenterSession } => {
    const session = current();
    const entry = session?.entry(VERSION);
    if (!session || !entry) {
      throw new NotReady(trans.__('There is no center yet: run Find Center or place it by hand first.'));
    }
    return { entry, path: session.viewer.context.localPath, session };
  };

  const notebookFor = (path?: unknown): NotebookPanel => targetNotebook(notebooks, trans, path);

  const write = async (notebookPath?: unknown): Promise<string> => {
    const { entry, path } = currentEntry();
    const panel = notebookFor(notebookPath);
    const save = settings.current.bridge.saveNotebook;
    await writeCenterToNotebook(panel, path, entry, save);
    const where = panel.context.path;
    Notification.success(
      save
        ? trans.__('Center (%1, %2) of %3 written to %4 and saved.', entry.row.toFixed(2), entry.col.toFixed(2), path, where)
        : trans.__('Center (%1, %2) of %3 written to %4.', entry.row.toFixed(2), entry.col.toFixed(2), path, where),
      { autoClose: 4000 }
    );
    return where;
  };

  commands.addCommand(CenterCommandIDs.writeCenter, {
    label: args =>
      args.notebookPath ? trans.__('Write Center to %1', args.notebookPath as string) : trans.__('Write Center to Notebook'),
    icon: writeCenterIcon,
    caption: trans.__('Store the center in the metadata of the last active notebook (metadata.diffraction.centers)'),
    execute: args => write(args.notebookPath).catch(tell(trans.__('Write center to notebook'))),
    // Enabled without a notebook too: it then says to open one (rather than doing nothing).
    isEnabled: hasCenter,
    describedBy: notebookPathArgs
  });

  commands.addCommand(CenterCommandIDs.writeCenterTo, {
    label: trans.__('Write Center to Notebook…'),
    caption: trans.__('Pick one of the open notebooks to store the center in'),
    execute: async () => {
      const paths = notebooks?.all().map(panel => panel.context.path) ?? [];
      if (!paths.length) {
        return tell(trans.__('Write center to notebook'))(new NotReady(trans.__('Open a notebook first: no notebook is open.')));
      }
      const last = notebooks?.last?.context.path;
      const result = await InputDialog.getItem({
        title: trans.__('Write the center to which notebook?'),
        items: paths,
        current: last ? Math.max(0, paths.indexOf(last)) : 0
      });
      if (result.button.accept && result.value) {
        await write(result.value).catch(tell(trans.__('Write center to notebook')));
      }
    },
    isEnabled: hasCenter,
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.insertCenterCode, {
    label: trans.__('Insert Center as Code'),
    caption: trans.__('Insert a code cell with the center below the active cell of the last active notebook'),
    execute: async args => {
      try {
        const { entry, path } = currentEntry();
        const panel = notebookFor(args.notebookPath);
        const code = centerAsPython(
          settings.current.bridge.variableName,
          entry,
          imagePathsFor(panel.context.localPath, path).path
        );
        const index = await insertCodeCellBelow(panel, code);
        Notification.success(trans.__('Center inserted as code in cell %1 of %2.', index + 1, panel.context.path), {
          autoClose: 4000
        });
        return code;
      } catch (error) {
        tell(trans.__('Insert center as code'))(error);
      }
    },
    isEnabled: hasCenter,
    describedBy: notebookPathArgs
  });

  commands.addCommand(CenterCommandIDs.copyCenter, {
    label: trans.__('Copy Center'),
    caption: trans.__('Copy the center as Python code or JSON (setting "copyFormat")'),
    execute: async () => {
      try {
        const { entry, path: serverPath } = currentEntry();
        // As the last active notebook's code would open it (else relative to the server root).
        const notebook = notebooks?.last;
        const path = notebook ? imagePathsFor(notebook.context.localPath, serverPath).path : serverPath;
        const json = settings.current.bridge.copyFormat === 'json';
        const text = json ? centerAsJson(entry, path) : centerAsPython(settings.current.bridge.variableName, entry, path);
        await copyText(text);
        Notification.success(json ? trans.__('Center copied as JSON.') : trans.__('Center copied as Python code.'), {
          autoClose: 3000
        });
        return text;
      } catch (error) {
        tell(trans.__('Copy center'))(error);
      }
    },
    isEnabled: hasCenter,
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.showCenters, {
    label: trans.__('Show Diffraction Centers of Notebook'),
    caption: trans.__('List the diffraction centers stored in the notebook metadata'),
    execute: async args => {
      try {
        const panel = notebookFor(args.notebookPath);
        const model = panel.content.model;
        const centers = model ? listCenters(model) : [];
        const series = model ? listSeries(model) : [];
        await showDialog({
          title: trans.__('Diffraction centers in %1', panel.context.path),
          body: Private.centersTable(centers, series, trans),
          buttons: [Dialog.okButton({ label: trans.__('Close') })]
        });
      } catch (error) {
        tell(trans.__('Diffraction centers'))(error);
      }
    },
    isEnabled: hasNotebook,
    describedBy: notebookPathArgs
  });
}

namespace Private {
  /** The centers stored in a notebook: single centers frame by frame, then one row per series. */
  export function centersTable(centers: ListedCenter[], series: ListedSeries[], trans: TranslationBundle): Widget {
    const widget = new Widget();
    widget.addClass('jp-Diffraction-centersTable');
    if (!centers.length && !series.length) {
      widget.node.textContent = trans.__('This notebook holds no diffraction center yet.');
      return widget;
    }
    if (centers.length) {
      const titles = [
        trans.__('image'),
        trans.__('row'),
        trans.__('col'),
        trans.__('frame'),
        trans.__('method'),
        trans.__('score'),
        trans.__('σ (row, col) px'),
        trans.__('mask'),
        trans.__('created')
      ];
      const rows = centers.map(e => [
        // As the file browser names it (from the server root), like the notifications do.
        e.serverPath,
        Number(e.row).toFixed(2),
        Number(e.col).toFixed(2),
        String(e.frame ?? 0),
        String(e.method ?? ''),
        typeof e.score === 'number' ? e.score.toFixed(3) : '—',
        Array.isArray(e.sigma) ? `${formatSigma(e.sigma[0])}, ${formatSigma(e.sigma[1])}` : '—',
        e.mask ?? '—',
        String(e.created ?? '')
      ]);
      widget.node.appendChild(table(titles, rows));
    }
    if (series.length) {
      const heading = document.createElement('h3');
      heading.textContent = trans.__('Centers of all frames (series)');
      const titles = [
        trans.__('image'),
        trans.__('frames centered'),
        trans.__('row range'),
        trans.__('col range'),
        trans.__('methods'),
        trans.__('jumps'),
        trans.__('outliers'),
        trans.__('fit'),
        trans.__('created')
      ];
      const range = (r: [number, number] | null) => (r ? `${r[0].toFixed(2)} – ${r[1].toFixed(2)}` : '—');
      const rows = series.map(e => [
        e.serverPath,
        trans.__('%1 of %2', e.centered, e.frames),
        range(e.rowRange),
        range(e.colRange),
        Object.entries(e.methods)
          .map(([method, n]) => `${method} ${n}`)
          .join(', '),
        String(e.jumps),
        String(e.outliers),
        e.fit ?? '—',
        e.created
      ]);
      const seriesTable = table(titles, rows);
      seriesTable.classList.add('jp-Diffraction-seriesTable');
      widget.node.append(heading, seriesTable);
    }
    return widget;
  }

  function table(titles: string[], rows: string[][]): HTMLTableElement {
    const element = document.createElement('table');
    const head = element.createTHead().insertRow();
    for (const title of titles) {
      const th = document.createElement('th');
      th.textContent = title;
      head.appendChild(th);
    }
    const body = element.createTBody();
    for (const cells of rows) {
      const row = body.insertRow();
      for (const text of cells) {
        row.insertCell().textContent = text;
      }
    }
    return element;
  }
}
