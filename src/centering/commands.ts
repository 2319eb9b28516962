/**
 * Find center, mask and notebook commands (`diffraction:verb-noun`). Viewer commands are enabled
 * only when the current widget is a diffraction viewer; notebook commands need an open notebook.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Dialog, InputDialog, showDialog, showErrorMessage, type ICommandPalette } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { FileDialog } from '@jupyterlab/filebrowser';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import {
  centerAsJson,
  centerAsPython,
  imagePathsFor,
  insertCodeCellBelow,
  listCenters,
  writeCenterToNotebook,
  type CenterEntry,
  type ListedCenter,
  type NotebookTarget
} from '../notebook/index.js';
import { VERSION } from '../version.js';
import {
  eraseShapeIcon,
  findCenterIcon,
  maskCircleIcon,
  maskOverlayIcon,
  maskPolygonIcon,
  maskRectangleIcon,
  writeCenterIcon
} from './icons.js';
import { CenterSession, type CenterSettings, type MaskTool } from './session.js';
import { PALETTE_CATEGORY } from '../viewer/commands.js';
import type { IDiffractionTracker } from '../viewer/tokens.js';
import type { DiffractionDocument } from '../viewer/widget.js';

/** The command IDs of find center, masks and the notebook bridge. */
export namespace CenterCommandIDs {
  export const findCenter = 'diffraction:find-center';
  export const cancelFindCenter = 'diffraction:cancel-find-center';
  export const resetCenter = 'diffraction:reset-center';
  export const setGuideRings = 'diffraction:set-guide-rings';
  export const loadMask = 'diffraction:load-mask';
  export const saveMask = 'diffraction:save-mask';
  export const autoMask = 'diffraction:auto-mask';
  export const maskInvalid = 'diffraction:mask-invalid-pixels';
  export const drawRectangle = 'diffraction:draw-rectangle';
  export const drawCircle = 'diffraction:draw-circle';
  export const drawPolygon = 'diffraction:draw-polygon';
  export const eraseShape = 'diffraction:erase-shape';
  export const invertMask = 'diffraction:invert-mask';
  export const clearMask = 'diffraction:clear-mask';
  export const toggleMask = 'diffraction:toggle-mask';
  export const writeCenter = 'diffraction:write-center';
  export const writeCenterTo = 'diffraction:write-center-to';
  export const insertCenterCode = 'diffraction:insert-center-code';
  export const copyCenter = 'diffraction:copy-center';
  export const showCenters = 'diffraction:show-notebook-centers';
}

/** Settings of the notebook bridge. */
export interface BridgeSettings {
  writeOnFind: boolean;
  saveNotebook: boolean;
  variableName: string;
  copyFormat: 'python' | 'json';
}

export const DEFAULT_BRIDGE_SETTINGS: BridgeSettings = {
  writeOnFind: false,
  saveNotebook: false,
  variableName: 'center',
  copyFormat: 'python'
};

/** What the commands need from the plugin. */
export interface ICenterCommandsOptions {
  app: JupyterFrontEnd;
  tracker: IDiffractionTracker;
  trans: TranslationBundle;
  palette: ICommandPalette | null;
  notebooks: NotebookTarget | null;
  docManager: IDocumentManager | null;
  settings: () => { center: CenterSettings; bridge: BridgeSettings };
}

/** The sessions of open viewers, created with each viewer. */
export class CenterSessions {
  constructor(private readonly _options: ICenterCommandsOptions) {
    const { tracker } = _options;
    tracker.widgetAdded.connect((_, widget) => this._add(widget));
    tracker.forEach(widget => this._add(widget));
  }

  get(widget: DiffractionDocument | null): CenterSession | null {
    return widget ? (this._sessions.get(widget) ?? null) : null;
  }

  /** Push new settings to every session. */
  updateSettings(settings: CenterSettings): void {
    this._sessions.forEach(session => (session.settings = settings));
  }

  private _add(widget: DiffractionDocument): void {
    if (this._sessions.has(widget)) {
      return;
    }
    const session = new CenterSession(
      widget.content,
      this._options.app.serviceManager.contents,
      this._options.settings().center
    );
    this._sessions.set(widget, session);
    widget.disposed.connect(() => {
      session.dispose();
      this._sessions.delete(widget);
    });
  }

  private _sessions = new Map<DiffractionDocument, CenterSession>();
}

/** Add the commands; returns the sessions registry. */
export function addCenterCommands(options: ICenterCommandsOptions): CenterSessions {
  const { app, tracker, trans, palette, notebooks, docManager, settings } = options;
  const { commands, shell } = app;
  const sessions = new CenterSessions(options);
  const currentWidget = (): DiffractionDocument | null => {
    const widget = tracker.currentWidget;
    return widget && widget === shell.currentWidget ? widget : null;
  };
  const current = (): CenterSession | null => sessions.get(currentWidget());
  const hasViewer = () => current() !== null;
  const hasCenter = () => current()?.center != null;
  const hasNotebook = () => (notebooks?.last ?? null) !== null;
  const noArgs = { args: { type: 'object', properties: {} } };
  const notebookPathArgs = { args: { type: 'object', properties: { notebookPath: { type: 'string' } } } };
  const report = (title: string) => (error: unknown) => {
    if ((error as { code?: string })?.code === 'cancelled') {
      return;
    }
    void showErrorMessage(title, (error as Error)?.message ?? String(error));
  };

  /** The notebook entry and image path of the current viewer's center. */
  const currentEntry = (): { entry: CenterEntry; path: string; session: CenterSession } => {
    const session = current();
    const entry = session?.entry(VERSION);
    if (!session || !entry) {
      throw new Error(trans.__('There is no center yet: run Find center or place it by hand first.'));
    }
    return { entry, path: session.viewer.context.localPath, session };
  };

  const targetNotebook = (path?: unknown): NotebookPanel => {
    if (!notebooks) {
      throw new Error(trans.__('Notebooks are not available in this JupyterLab.'));
    }
    const panel = typeof path === 'string' && path ? notebooks.byPath(path) : notebooks.last;
    if (!panel) {
      throw new Error(
        typeof path === 'string' && path
          ? trans.__('The notebook %1 is not open.', path)
          : trans.__('No notebook is open: open the analysis notebook first.')
      );
    }
    return panel;
  };

  const write = async (notebookPath?: unknown): Promise<string> => {
    const { entry, path } = currentEntry();
    const panel = targetNotebook(notebookPath);
    await writeCenterToNotebook(panel, path, entry, settings().bridge.saveNotebook);
    return panel.context.path;
  };

  commands.addCommand(CenterCommandIDs.findCenter, {
    label: trans.__('Find Center'),
    icon: findCenterIcon,
    caption: trans.__('Find the center of the diffraction pattern (masked center of mass + radial inversion symmetry)'),
    execute: async () => {
      const session = current();
      if (!session) {
        return;
      }
      try {
        const found = await session.findCenter();
        if (settings().bridge.writeOnFind && notebooks?.last) {
          await write();
        }
        return { row: found.row, col: found.col, frame: found.frame, warnings: found.engine?.warnings ?? [] };
      } catch (error) {
        // The widget shows the error; a dialog would hide the image.
        if ((error as { code?: string }).code !== 'cancelled') {
          console.warn(`jupyterlab-diffraction: ${(error as Error).message}`);
        }
        return null;
      }
    },
    isEnabled: () => hasViewer() && !current()!.busy,
    describedBy: noArgs
  });

  commands.addCommand(CenterCommandIDs.cancelFindCenter, {
    label: trans.__('Cancel Find Center'),
    execute: () => current()?.cancel(),
    isEnabled: () => current()?.busy ?? false,
    describedBy: noArgs
  });

  commands.addCommand(CenterCommandIDs.resetCenter, {
    label: trans.__('Reset Center to the Found One'),
    execute: () => current()?.resetCenter(),
    isEnabled: () => current()?.center?.method === 'manual' && current()?.center?.engine != null,
    describedBy: noArgs
  });

  commands.addCommand(CenterCommandIDs.setGuideRings, {
    label: trans.__('Set Guide Ring Radii…'),
    execute: async () => {
      const value = settings().center.ringRadii.join(', ');
      const result = await InputDialog.getText({
        title: trans.__('Guide ring radii (pixels, comma-separated; empty = automatic)'),
        text: value
      });
      if (!result.button.accept || result.value === null) {
        return;
      }
      const radii = result.value
        .split(/[,\s]+/)
        .filter(Boolean)
        .map(Number);
      if (radii.some(r => !Number.isFinite(r) || r <= 0)) {
        await showErrorMessage(trans.__('Guide rings'), trans.__('Radii must be positive numbers: %1', result.value));
        return;
      }
      await commands.execute('settingeditor:set', {
        id: 'jupyterlab-diffraction:center',
        key: 'ringRadii',
        value: radii
      }).catch(() => {
        sessions.updateSettings({ ...settings().center, ringRadii: radii });
      });
    },
    isEnabled: hasViewer,
    describedBy: noArgs
  });

  // ---------------------------------------------------------------- masks

  commands.addCommand(CenterCommandIDs.loadMask, {
    label: trans.__('Load Mask…'),
    caption: trans.__('Use a TIFF of the same shape as the mask (non-zero = valid pixel)'),
    execute: async args => {
      const session = current();
      if (!session) {
        return;
      }
      let path = typeof args.path === 'string' ? args.path : null;
      if (!path) {
        if (!docManager) {
          throw new Error(trans.__('No document manager: pass the mask path as the "path" argument.'));
        }
        const result = await FileDialog.getOpenFiles({
          manager: docManager,
          title: trans.__('Load mask'),
          label: trans.__('Pick a mask TIFF of the same shape as the image (non-zero = valid pixel)'),
          filter: model => (model.type === 'directory' || /\.tiff?$/i.test(model.name) ? {} : null)
        });
        if (!result.button.accept || !result.value?.length) {
          return;
        }
        path = result.value[0].path;
      }
      await session.loadMask(path).catch(report(trans.__('Load mask')));
    },
    isEnabled: hasViewer,
    describedBy: { args: { type: 'object', properties: { path: { type: 'string' } } } }
  });

  commands.addCommand(CenterCommandIDs.saveMask, {
    label: trans.__('Save Mask'),
    caption: trans.__('Save the mask as NAME_mask.tif beside the image'),
    execute: async () => {
      const session = current();
      return session?.saveMask().catch(report(trans.__('Save mask')));
    },
    isEnabled: () => !(current()?.mask?.isEmpty ?? true),
    describedBy: noArgs
  });

  const maskCommand = (id: string, label: string, caption: string, run: (s: CenterSession) => void) =>
    commands.addCommand(id, {
      label,
      caption,
      execute: () => {
        const session = current();
        if (session) {
          try {
            run(session);
          } catch (error) {
            report(label)(error);
          }
        }
      },
      isEnabled: hasViewer,
      describedBy: noArgs
    });
  maskCommand(
    CenterCommandIDs.autoMask,
    trans.__('Auto Mask'),
    trans.__('Mask invalid (NaN, negative, saturated), hot and dark (below a fraction of the median) pixels'),
    s => s.applyAutoMask(false)
  );
  maskCommand(
    CenterCommandIDs.maskInvalid,
    trans.__('Mask Invalid Pixels'),
    trans.__('Mask NaN/Inf, negative detector sentinels and saturated pixels'),
    s => s.applyAutoMask(true)
  );
  maskCommand(CenterCommandIDs.invertMask, trans.__('Invert Mask'), trans.__('Swap masked and valid pixels'), s =>
    s.invertMask()
  );
  maskCommand(CenterCommandIDs.clearMask, trans.__('Clear Mask'), trans.__('Remove the mask and every drawn shape'), s =>
    s.clearMask()
  );

  const toolCommand = (id: string, tool: MaskTool, label: string, icon: LabIcon) =>
    commands.addCommand(id, {
      label,
      icon: icon,
      caption: trans.__('%1 (Alt while drawing: unmask; Esc: stop)', label),
      execute: () => current()?.setTool(tool),
      isEnabled: hasViewer,
      isToggled: () => current()?.tool === tool,
      describedBy: noArgs
    });
  toolCommand(CenterCommandIDs.drawRectangle, 'rect', trans.__('Mask Rectangle'), maskRectangleIcon);
  toolCommand(CenterCommandIDs.drawCircle, 'circle', trans.__('Mask Circle'), maskCircleIcon);
  toolCommand(CenterCommandIDs.drawPolygon, 'polygon', trans.__('Mask Polygon'), maskPolygonIcon);
  toolCommand(CenterCommandIDs.eraseShape, 'erase', trans.__('Erase Mask Shape'), eraseShapeIcon);

  commands.addCommand(CenterCommandIDs.toggleMask, {
    label: trans.__('Show Mask Overlay'),
    icon: maskOverlayIcon,
    execute: () => current()?.toggleMaskOverlay(),
    isEnabled: hasViewer,
    isToggled: () => current()?.showMask ?? false,
    describedBy: noArgs
  });

  // ---------------------------------------------------------------- notebook

  commands.addCommand(CenterCommandIDs.writeCenter, {
    label: args =>
      args.notebookPath ? trans.__('Write Center to %1', args.notebookPath as string) : trans.__('Write Center to Notebook'),
    icon: writeCenterIcon,
    caption: trans.__('Store the center in the metadata of the last active notebook (metadata.diffraction.centers)'),
    execute: args => write(args.notebookPath).catch(report(trans.__('Write center to notebook'))),
    isEnabled: () => hasCenter() && hasNotebook(),
    describedBy: notebookPathArgs
  });

  commands.addCommand(CenterCommandIDs.writeCenterTo, {
    label: trans.__('Write Center to Notebook…'),
    caption: trans.__('Pick one of the open notebooks to store the center in'),
    execute: async () => {
      const paths = notebooks?.all().map(panel => panel.context.path) ?? [];
      if (!paths.length) {
        return report(trans.__('Write center to notebook'))(new Error(trans.__('No notebook is open.')));
      }
      const last = notebooks?.last?.context.path;
      const result = await InputDialog.getItem({
        title: trans.__('Write the center to which notebook?'),
        items: paths,
        current: last ? Math.max(0, paths.indexOf(last)) : 0
      });
      if (result.button.accept && result.value) {
        await write(result.value).catch(report(trans.__('Write center to notebook')));
      }
    },
    isEnabled: () => hasCenter() && (notebooks?.all().length ?? 0) > 0,
    describedBy: noArgs
  });

  commands.addCommand(CenterCommandIDs.insertCenterCode, {
    label: trans.__('Insert Center as Code'),
    caption: trans.__('Insert a code cell with the center below the active cell of the last active notebook'),
    execute: async args => {
      try {
        const { entry, path } = currentEntry();
        const panel = targetNotebook(args.notebookPath);
        const code = centerAsPython(settings().bridge.variableName, entry, imagePathsFor(panel.context.localPath, path).path);
        await insertCodeCellBelow(panel, code);
        return code;
      } catch (error) {
        report(trans.__('Insert center as code'))(error);
      }
    },
    isEnabled: () => hasCenter() && hasNotebook(),
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
        const text =
          settings().bridge.copyFormat === 'json'
            ? centerAsJson(entry, path)
            : centerAsPython(settings().bridge.variableName, entry, path);
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          Clipboard.copyToSystem(text);
        }
        return text;
      } catch (error) {
        report(trans.__('Copy center'))(error);
      }
    },
    isEnabled: hasCenter,
    describedBy: noArgs
  });

  commands.addCommand(CenterCommandIDs.showCenters, {
    label: trans.__('Show Diffraction Centers of Notebook'),
    caption: trans.__('List the diffraction centers stored in the notebook metadata'),
    execute: async args => {
      try {
        const panel = targetNotebook(args.notebookPath);
        const model = panel.content.model;
        const centers = model ? listCenters(model) : [];
        const body = Private.centersTable(centers, trans);
        await showDialog({
          title: trans.__('Diffraction centers in %1', panel.context.path),
          body,
          buttons: [Dialog.okButton({ label: trans.__('Close') })]
        });
      } catch (error) {
        report(trans.__('Diffraction centers'))(error);
      }
    },
    isEnabled: hasNotebook,
    describedBy: notebookPathArgs
  });

  if (palette) {
    for (const command of Object.values(CenterCommandIDs)) {
      palette.addItem({ command, category: PALETTE_CATEGORY });
    }
  }
  // Re-evaluate enabled states when a session changes (busy, center found…).
  tracker.widgetAdded.connect((_, widget) => {
    sessions.get(widget)?.changed.connect(() => commands.notifyCommandChanged());
  });
  return sessions;
}

namespace Private {
  /** A table of the centers stored in a notebook. */
  export function centersTable(centers: ListedCenter[], trans: TranslationBundle): Widget {
    const widget = new Widget();
    widget.addClass('jp-Diffraction-centersTable');
    if (!centers.length) {
      widget.node.textContent = trans.__('This notebook holds no diffraction center yet.');
      return widget;
    }
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const title of ['image', 'row', 'col', 'frame', 'method', 'score', 'mask', 'created']) {
      const th = document.createElement('th');
      th.textContent = title;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const e of centers) {
      const row = body.insertRow();
      const cells = [
        e.image,
        Number(e.row).toFixed(2),
        Number(e.col).toFixed(2),
        String(e.frame ?? 0),
        String(e.method ?? ''),
        typeof e.score === 'number' ? e.score.toFixed(3) : '—',
        e.mask ?? '—',
        String(e.created ?? '')
      ];
      for (const text of cells) {
        row.insertCell().textContent = text;
      }
    }
    widget.node.appendChild(table);
    return widget;
  }
}
