/**
 * The mask commands of the current viewer: load / save (never overwriting without asking),
 * automatic masks, the four drawing tools, invert, clear, show, undo and redo.
 */
import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { FileDialog } from '@jupyterlab/filebrowser';
import type { LabIcon } from '@jupyterlab/ui-components';
import { chooseMaskSavePath } from '../masks/save-dialog.js';
import type { MaskToolName } from '../masks/tools/index.js';
import { CenterCommandIDs } from './command-ids.js';
import { eraseShapeIcon, maskCircleIcon, maskOverlayIcon, maskPolygonIcon, maskRectangleIcon } from './icons.js';
import type { CenterSession } from './session.js';
import { NO_ARGS, reportError, type CenterSessions, type ICenterCommandsOptions } from './sessions.js';

export function addMaskCommands(options: ICenterCommandsOptions, sessions: CenterSessions): void {
  const { app, trans, docManager } = options;
  const { commands } = app;
  const current = () => sessions.current();
  const hasViewer = () => current() !== null;

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
          // Start in the image's folder, where its masks usually are.
          defaultPath: PathExt.dirname(session.viewer.context.path),
          filter: model => (model.type === 'directory' || /\.tiff?$/i.test(model.name) ? {} : null)
        });
        if (!result.button.accept || !result.value?.length) {
          return;
        }
        path = result.value[0].path;
      }
      try {
        await session.loadMask(path);
        Notification.success(trans.__('Mask %1 loaded', path), { autoClose: 4000 });
      } catch (error) {
        reportError(trans.__('Load mask'))(error);
      }
    },
    isEnabled: hasViewer,
    describedBy: { args: { type: 'object', properties: { path: { type: 'string' } } } }
  });

  commands.addCommand(CenterCommandIDs.saveMask, {
    label: trans.__('Save Mask'),
    caption: trans.__('Save the mask as NAME_mask.tif beside the image (asks before overwriting)'),
    execute: async () => {
      const session = current();
      if (!session) {
        return;
      }
      try {
        const path = await chooseMaskSavePath(app.serviceManager.contents, session.defaultMaskPath, trans);
        if (path === null) {
          Notification.info(trans.__('Mask not saved.'), { autoClose: 3000 });
          return null;
        }
        await session.saveMask(path);
        Notification.success(trans.__('Mask saved to %1', path), { autoClose: 4000 });
        return path;
      } catch (error) {
        reportError(trans.__('Save mask'))(error);
        return null;
      }
    },
    isEnabled: () => !(current()?.mask?.isEmpty ?? true),
    describedBy: NO_ARGS
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
            reportError(label)(error);
          }
        }
      },
      isEnabled: hasViewer,
      describedBy: NO_ARGS
    });
  const autoMask = (session: CenterSession, invalidOnly: boolean) => {
    const { masked, total } = session.applyAutoMask(invalidOnly);
    Notification.success(
      trans.__('%1: %2 of %3 pixels masked (%4 %).', invalidOnly ? trans.__('Mask invalid pixels') : trans.__('Auto mask'), masked, total, ((100 * masked) / total).toFixed(1)),
      { autoClose: 4000 }
    );
  };
  maskCommand(
    CenterCommandIDs.autoMask,
    trans.__('Auto Mask'),
    trans.__('Mask invalid (NaN, negative, saturated), hot and dark (below a fraction of the median) pixels'),
    s => autoMask(s, false)
  );
  maskCommand(
    CenterCommandIDs.maskInvalid,
    trans.__('Mask Invalid Pixels'),
    trans.__('Mask NaN/Inf, negative detector sentinels and saturated pixels'),
    s => autoMask(s, true)
  );
  maskCommand(CenterCommandIDs.invertMask, trans.__('Invert Mask'), trans.__('Swap masked and valid pixels'), s =>
    s.invertMask()
  );
  maskCommand(CenterCommandIDs.clearMask, trans.__('Clear Mask'), trans.__('Remove the mask and every drawn shape'), s =>
    s.clearMask()
  );

  commands.addCommand(CenterCommandIDs.undoMask, {
    label: trans.__('Undo Mask Edit'),
    caption: trans.__('Take back the last change of the mask (shape, automatic mask, invert, clear, load)'),
    execute: () => current()?.mask?.undo(),
    isEnabled: () => current()?.mask?.canUndo ?? false,
    describedBy: NO_ARGS
  });
  commands.addCommand(CenterCommandIDs.redoMask, {
    label: trans.__('Redo Mask Edit'),
    caption: trans.__('Make the last undone change of the mask again'),
    execute: () => current()?.mask?.redo(),
    isEnabled: () => current()?.mask?.canRedo ?? false,
    describedBy: NO_ARGS
  });

  const toolCommand = (id: string, tool: MaskToolName, label: string, icon: LabIcon) =>
    commands.addCommand(id, {
      label,
      icon,
      caption: trans.__('%1 (Alt while drawing: unmask; Esc: stop)', label),
      execute: () => current()?.setTool(tool),
      isEnabled: hasViewer,
      isToggled: () => current()?.tool === tool,
      describedBy: NO_ARGS
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
    isToggled: () => current()?.editor.showMask ?? false,
    describedBy: NO_ARGS
  });
}
