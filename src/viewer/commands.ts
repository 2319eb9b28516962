/**
 * The viewer's commands (`diffraction:verb-noun`), all acting on the current diffraction viewer
 * and enabled only when the current widget of the shell is one.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ICommandPalette } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Throttler } from '@lumino/polling';
import { COLORMAP_NAMES, isColormapName } from './colormaps.js';
import { FACTORY_NAME } from './factory.js';
import {
  actualSizeIcon,
  autoContrastIcon,
  fitIcon,
  histogramIcon,
  invertIcon,
  zoomInIcon,
  zoomOutIcon
} from './icons.js';
import { isScaleName, SCALE_NAMES } from './lut.js';
import type { IDiffractionTracker } from './tokens.js';
import type { DiffractionDocument, DiffractionViewer } from './widget.js';

/** The command IDs of the viewer. */
export namespace CommandIDs {
  export const openViewer = 'diffraction:open-viewer';
  export const zoomIn = 'diffraction:zoom-in';
  export const zoomOut = 'diffraction:zoom-out';
  export const fit = 'diffraction:fit';
  export const actualSize = 'diffraction:actual-size';
  export const nextFrame = 'diffraction:next-frame';
  export const previousFrame = 'diffraction:previous-frame';
  export const setColormap = 'diffraction:set-colormap';
  export const setScale = 'diffraction:set-scale';
  export const invertColormap = 'diffraction:invert-colormap';
  export const autoContrast = 'diffraction:auto-contrast';
  export const toggleContrastPanel = 'diffraction:toggle-contrast-panel';
  /** HDF5 files: show another image dataset (src/viewer/dataset-picker.ts). */
  export const chooseDataset = 'diffraction:choose-dataset';
}

/** The palette category of every command. */
export const PALETTE_CATEGORY = 'Diffraction';

/** The viewer the commands act on: the tracker's current one, when it is the shell's current widget. */
export function currentViewerOf(app: JupyterFrontEnd, tracker: IDiffractionTracker): () => DiffractionViewer | null {
  return () => {
    const widget = tracker.currentWidget;
    return widget && widget === app.shell.currentWidget ? widget.content : null;
  };
}

/**
 * Add the viewer commands (and their palette entries) for the viewers in `tracker`.
 */
export function addViewerCommands(
  app: JupyterFrontEnd,
  tracker: IDiffractionTracker,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const current = currentViewerOf(app, tracker);
  const isEnabled = () => current() !== null;
  const noArgs = { args: { type: 'object', properties: {} } };

  commands.addCommand(CommandIDs.openViewer, {
    label: trans.__('Open in Diffraction Viewer'),
    caption: trans.__('Open a TIFF file in the diffraction viewer (optionally with a saved view state)'),
    execute: async args => {
      const widget = (await commands.execute('docmanager:open', {
        path: args.path as string,
        factory: FACTORY_NAME
      })) as DiffractionDocument | undefined;
      const state = args.state as Partial<DiffractionViewer.IState> | undefined;
      if (widget && state && typeof state === 'object') {
        widget.content.restoreState(state);
      }
      return widget;
    },
    isEnabled: args => typeof args.path === 'string' && args.path !== '',
    describedBy: {
      args: {
        type: 'object',
        properties: {
          path: { type: 'string', description: trans.__('The path of the TIFF file') },
          state: { type: 'object', description: trans.__('A saved viewer state (frame, colormap, zoom…)') }
        },
        required: ['path']
      }
    }
  });

  commands.addCommand(CommandIDs.zoomIn, {
    label: trans.__('Zoom In'),
    caption: trans.__('Zoom in (wheel: zoom around the cursor)'),
    icon: zoomInIcon,
    execute: () => current()?.zoomIn(),
    isEnabled,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.zoomOut, {
    label: trans.__('Zoom Out'),
    caption: trans.__('Zoom out'),
    icon: zoomOutIcon,
    execute: () => current()?.zoomOut(),
    isEnabled,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.fit, {
    label: trans.__('Fit Image to Window'),
    caption: trans.__('Show the whole image (double-click the image does the same)'),
    icon: fitIcon,
    execute: () => current()?.fit(),
    isEnabled,
    isToggled: () => current()?.fitMode ?? false,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.actualSize, {
    label: trans.__('Actual Size (1:1)'),
    caption: trans.__('One image pixel per screen pixel'),
    icon: actualSizeIcon,
    execute: () => current()?.actualSize(),
    isEnabled,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.nextFrame, {
    label: trans.__('Next Frame'),
    caption: trans.__('Show the next frame of the stack'),
    execute: () => current()?.stepFrame(1),
    isEnabled: () => (current()?.frameCount ?? 0) > 1,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.previousFrame, {
    label: trans.__('Previous Frame'),
    caption: trans.__('Show the previous frame of the stack'),
    execute: () => current()?.stepFrame(-1),
    isEnabled: () => (current()?.frameCount ?? 0) > 1,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.setColormap, {
    label: args =>
      isColormapName(args.colormap)
        ? trans.__('Colormap: %1', args.colormap)
        : trans.__('Next Colormap'),
    caption: trans.__('Set the colormap (without argument: the next one)'),
    execute: args => {
      const viewer = current();
      if (!viewer) return;
      const model = viewer.model;
      if (isColormapName(args.colormap)) {
        model.colormap = args.colormap;
      } else {
        const i = COLORMAP_NAMES.indexOf(model.colormap);
        model.colormap = COLORMAP_NAMES[(i + 1) % COLORMAP_NAMES.length];
      }
    },
    isEnabled,
    isToggled: args => isColormapName(args.colormap) && current()?.model.colormap === args.colormap,
    describedBy: {
      args: {
        type: 'object',
        properties: { colormap: { type: 'string', enum: [...COLORMAP_NAMES] } }
      }
    }
  });
  commands.addCommand(CommandIDs.setScale, {
    label: args =>
      isScaleName(args.scale) ? trans.__('Intensity Scale: %1', args.scale) : trans.__('Next Intensity Scale'),
    caption: trans.__('Set the intensity scale: linear, log, sqrt or gamma (without argument: the next one)'),
    execute: args => {
      const viewer = current();
      if (!viewer) return;
      const model = viewer.model;
      if (isScaleName(args.scale)) {
        model.scale = args.scale;
      } else {
        const i = SCALE_NAMES.indexOf(model.scale);
        model.scale = SCALE_NAMES[(i + 1) % SCALE_NAMES.length];
      }
    },
    isEnabled,
    isToggled: args => isScaleName(args.scale) && current()?.model.scale === args.scale,
    describedBy: {
      args: {
        type: 'object',
        properties: { scale: { type: 'string', enum: [...SCALE_NAMES] } }
      }
    }
  });
  commands.addCommand(CommandIDs.invertColormap, {
    label: trans.__('Invert Colormap'),
    caption: trans.__('Reverse the colormap'),
    icon: invertIcon,
    execute: () => {
      const viewer = current();
      if (viewer) viewer.model.invert = !viewer.model.invert;
    },
    isEnabled,
    isToggled: () => current()?.model.invert ?? false,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.autoContrast, {
    label: trans.__('Auto Contrast'),
    caption: trans.__('Contrast limits from the percentiles of the frame (about 0.35 % saturated)'),
    icon: autoContrastIcon,
    execute: () => current()?.model.setAuto(),
    isEnabled,
    isToggled: () => current()?.model.autoContrast ?? false,
    describedBy: noArgs
  });
  commands.addCommand(CommandIDs.toggleContrastPanel, {
    label: trans.__('Show Histogram and Contrast Panel'),
    caption: trans.__('Histogram of the frame with manual min/max'),
    icon: histogramIcon,
    execute: () => current()?.toggleContrastPanel(),
    isEnabled,
    isToggled: () => current()?.contrastPanelVisible ?? false,
    describedBy: noArgs
  });

  // Toggled and enabled states follow the viewer: only this extension's viewer commands are
  // notified (not every command of the app); view changes at most every 100 ms.
  const ids = Object.values(CommandIDs);
  const refresh = () => ids.forEach(id => commands.notifyCommandChanged(id));
  const refreshView = new Throttler(refresh, 100);
  tracker.currentChanged.connect(refresh);
  // They act on the tracker's current viewer only while the shell shows it (a restored viewer is
  // the tracker's current one before the shell makes it current).
  app.shell.currentChanged?.connect(refresh);
  tracker.widgetAdded.connect((_, widget) => {
    widget.content.displayChanged.connect(refresh);
    widget.content.viewChanged.connect(() => void refreshView.invoke());
    widget.content.frameChanged.connect(refresh);
    widget.content.stateChanged.connect(() => void refreshView.invoke());
  });

  if (palette) {
    const category = trans.__(PALETTE_CATEGORY);
    for (const command of [
      CommandIDs.zoomIn,
      CommandIDs.zoomOut,
      CommandIDs.fit,
      CommandIDs.actualSize,
      CommandIDs.nextFrame,
      CommandIDs.previousFrame,
      CommandIDs.invertColormap,
      CommandIDs.autoContrast,
      CommandIDs.toggleContrastPanel
    ]) {
      palette.addItem({ command, category });
    }
    palette.addItem({ command: CommandIDs.setColormap, category });
    for (const colormap of COLORMAP_NAMES) {
      palette.addItem({ command: CommandIDs.setColormap, category, args: { colormap } });
    }
    palette.addItem({ command: CommandIDs.setScale, category });
    for (const scale of SCALE_NAMES) {
      palette.addItem({ command: CommandIDs.setScale, category, args: { scale } });
    }
  }
}
