/**
 * The series commands: Find Centers of All Frames (and Cancel), the drift panel, and the series
 * into a notebook (metadata arrays; a sidecar CSV and a cell that loads it). Each viewer's
 * `SeriesSession` is made with its find-center session; its status sits in the viewer's status
 * bar and its drift panel opens below the viewer.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, Notification, WidgetTracker } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Debouncer } from '@lumino/polling';
import { chooseSavePath } from '../masks/save-dialog.js';
import {
  imagePathsFor,
  insertCodeCellBelow,
  seriesAsPython,
  seriesEntry,
  seriesFit,
  writeSeriesToNotebook
} from '../notebook/index.js';
import { centersCsv, sidecarPath, type DriftFitKind } from '../series/index.js';
import { VERSION } from '../version.js';
import { CenterCommandIDs } from './command-ids.js';
import { DriftPanel } from './drift-panel.js';
import { findAllCentersIcon } from './icons.js';
import type { CenterSession } from './session.js';
import { SeriesSession, type ISeriesSummary } from './series-session.js';
import { SeriesStatus } from './series-status.js';
import { NO_ARGS, reportError, type CenterSessions, type ICenterCommandsOptions } from './sessions.js';
import { engineOptions, type CenterSettings } from './settings.js';
import { commandNotifier } from './notify.js';

/** An outcome told as a warning (nothing to do yet), not as a failure. */
class NotReady extends Error {}

export function addSeriesCommands(options: ICenterCommandsOptions, sessions: CenterSessions): void {
  const { app, trans, notebooks, settings, restorer } = options;
  const { commands } = app;
  const series = new Map<CenterSession, Private.Parts>();
  // The drift panels, kept in the layout across reloads (each with its image's path and fit).
  const panels = new WidgetTracker<MainAreaWidget<DriftPanel>>({ namespace: 'diffraction-drift' });
  const waiting = new Private.Waiting();
  const ids = [
    CenterCommandIDs.findAllCenters,
    CenterCommandIDs.cancelFindAllCenters,
    CenterCommandIDs.showDrift,
    CenterCommandIDs.writeAllCenters,
    CenterCommandIDs.insertAllCentersCode
  ];
  const notify = commandNotifier(commands, ids);

  sessions.onSession(session => {
    const parts = Private.make(session, trans, () => settings.current.center);
    series.set(session, parts);
    parts.series.progressed.connect((_, view) => {
      session.viewer.node.dataset.seriesState = view.state;
      notify();
    });
    parts.series.changed.connect(notify);
    session.viewer.disposed.connect(() => {
      parts.dispose();
      series.delete(session);
    });
    waiting.arrived(session.viewer.context.path, parts);
  });
  const show = (parts: Private.Parts) => Private.showDrift(app, parts, trans, panels);
  if (restorer) {
    void restorer.restore(panels, {
      command: CenterCommandIDs.showDrift,
      args: panel => Private.panelArgs(panel.content),
      name: panel => panel.content.series.session.viewer.context.path
    });
  }

  const current = (): Private.Parts | null => {
    const session = sessions.current();
    return session ? (series.get(session) ?? null) : null;
  };
  const hasCenters = () => (current()?.series.session.frameCenters.size ?? 0) > 0;
  const tell = (title: string) => (error: unknown) => {
    if (error instanceof NotReady) {
      Notification.warning(error.message, { autoClose: 6000 });
    } else {
      reportError(title)(error);
    }
  };
  const require = (): Private.Parts => {
    const parts = current();
    if (!parts || parts.series.centers().every(c => !Number.isFinite(c.row))) {
      throw new NotReady(trans.__('There are no centers yet: run Find Centers of All Frames first.'));
    }
    return parts;
  };
  const notebook = (): NotebookPanel => {
    const panel = notebooks?.last ?? null;
    if (!panel) {
      throw new NotReady(trans.__('Open a notebook first: the centers go into the last active notebook.'));
    }
    return panel;
  };

  commands.addCommand(CenterCommandIDs.findAllCenters, {
    label: trans.__('Find Centers of All Frames'),
    icon: findAllCentersIcon,
    caption: trans.__(
      'Find the center of every frame on a pool of Web Workers, each frame seeded with its neighbour’s center'
    ),
    execute: async () => {
      const parts = current();
      if (!parts) {
        return null;
      }
      show(parts);
      try {
        const summary = await parts.series.findAll();
        Private.announce(summary, parts.series, trans);
        return summary;
      } catch (error) {
        reportError(trans.__('Find Centers of All Frames'))(error);
        return null;
      }
    },
    isEnabled: () => {
      const parts = current();
      return !!parts && !parts.series.busy && !parts.series.session.busy && parts.series.session.viewer.frameCount > 0;
    },
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.cancelFindAllCenters, {
    label: trans.__('Cancel Find Centers of All Frames'),
    execute: () => current()?.series.cancel(),
    isEnabled: () => current()?.series.busy ?? false,
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.showDrift, {
    label: trans.__('Show Center Drift'),
    caption: trans.__('Plot the row and column of each frame’s center against the frame; click a point to show that frame'),
    execute: async args => {
      // With a path (a panel restored after a reload): that image's viewer, once it is back.
      const path = typeof args.path === 'string' ? args.path : null;
      const parts = path === null ? current() : await waiting.parts(path, [...series.values()], trans);
      if (!parts) {
        return null;
      }
      const fit = args.fit as DriftFitKind | null | undefined;
      if (path !== null && fit && !parts.series.fitRequest) {
        parts.series.setFit(fit, typeof args.scanWidth === 'number' ? args.scanWidth : undefined);
      }
      return show(parts);
    },
    isEnabled: args => typeof args.path === 'string' || current() !== null,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'The image whose drift to show (default: the current viewer)' },
          fit: { type: ['string', 'null'], enum: ['linear', 'plane', null] },
          scanWidth: { type: ['number', 'null'] }
        }
      }
    }
  });

  commands.addCommand(CenterCommandIDs.writeAllCenters, {
    label: trans.__('Write Centers of All Frames to Notebook'),
    caption: trans.__('Store the centers of every frame (and the drift fit) in the last active notebook’s metadata'),
    execute: async () => {
      try {
        const parts = require();
        const panel = notebook();
        const { path, shape, entry, fit } = Private.exportable(parts.series, settings.current.center);
        const save = settings.current.bridge.saveNotebook;
        await writeSeriesToNotebook(panel, path, shape, entry, fit, save);
        Notification.success(
          save
            ? trans.__('Centers of %1 frames of %2 written to %3 and saved.', entry.frame.length, Private.base(path), Private.base(panel.context.path))
            : trans.__('Centers of %1 frames of %2 written to %3.', entry.frame.length, Private.base(path), Private.base(panel.context.path)),
          { autoClose: 4000 }
        );
        return panel.context.path;
      } catch (error) {
        tell(trans.__('Write centers of all frames'))(error);
      }
    },
    isEnabled: hasCenters,
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.insertAllCentersCode, {
    label: trans.__('Insert Centers of All Frames as Code'),
    caption: trans.__(
      'Write the centers of every frame to NAME_centers.csv beside the image and insert a cell that loads it with numpy'
    ),
    execute: async () => {
      try {
        const parts = require();
        const panel = notebook();
        const viewer = parts.series.session.viewer;
        const image = viewer.context.localPath;
        const contents = app.serviceManager.contents;
        const target = await chooseSavePath(contents, sidecarPath(image), trans, {
          existsTitle: trans.__('The centers file exists'),
          existsBody: path => trans.__('%1 already exists. Overwrite it, save the centers under another name, or cancel?', path),
          saveAsTitle: trans.__('Save the centers as'),
          extension: '.csv',
          accepts: /\.csv$/i
        });
        if (!target) {
          Notification.info(trans.__('Nothing was written: the centers file was not saved.'), { autoClose: 4000 });
          return null;
        }
        const centers = parts.series.centers();
        const frame = viewer.frame!;
        const csv = centersCsv(
          centers,
          { image, shape: [frame.height, frame.width], version: VERSION, created: new Date().toISOString() },
          parts.series.fit
        );
        await contents.save(target, { type: 'file', format: 'text', content: csv });
        const code = seriesAsPython(
          `${settings.current.bridge.variableName}s`,
          imagePathsFor(panel.context.localPath, target).path,
          imagePathsFor(panel.context.localPath, image).path,
          centers.length
        );
        const index = await insertCodeCellBelow(panel, code);
        Notification.success(
          trans.__('Centers of %1 frames written to %2; cell %3 of %4 loads them.', centers.length, Private.base(target), index + 1, Private.base(panel.context.path)),
          { autoClose: 5000 }
        );
        return target;
      } catch (error) {
        tell(trans.__('Insert centers of all frames as code'))(error);
      }
    },
    isEnabled: hasCenters,
    describedBy: NO_ARGS
  });
}

namespace Private {
  /** A viewer's series session, its status and its drift panel. */
  export interface Parts {
    series: SeriesSession;
    status: SeriesStatus;
    panel: MainAreaWidget<DriftPanel> | null;
    dispose(): void;
  }

  export function make(session: CenterSession, trans: TranslationBundle, settings: () => CenterSettings): Parts {
    const series = new SeriesSession(session, trans, settings);
    const status = new SeriesStatus(trans);
    status.cancelRequested.connect(() => series.cancel());
    series.progressed.connect((_, view) => status.render(view));
    const attached = session.viewer.addStatusWidget(status);
    const parts: Parts = {
      series,
      status,
      panel: null,
      dispose: () => {
        parts.panel?.dispose();
        attached.dispose();
        status.dispose();
        series.dispose();
      }
    };
    return parts;
  }

  /** Open (or bring forward) the viewer's drift panel, below the viewer. */
  export function showDrift(
    app: JupyterFrontEnd,
    parts: Parts,
    trans: TranslationBundle,
    panels: WidgetTracker<MainAreaWidget<DriftPanel>>
  ): MainAreaWidget<DriftPanel> {
    if (parts.panel && !parts.panel.isDisposed) {
      if (!parts.panel.isAttached) {
        app.shell.add(parts.panel, 'main', { mode: 'split-bottom' });
      }
      return parts.panel;
    }
    const viewer = parts.series.session.viewer;
    const content = new DriftPanel(parts.series, trans);
    const panel = new MainAreaWidget({ content });
    const name = base(viewer.context.path);
    panel.id = `jp-Diffraction-drift-${counter.next++}`;
    panel.title.label = trans.__('Drift: %1', name);
    panel.title.caption = trans.__('Center drift of %1', viewer.context.path);
    panel.title.closable = true;
    panel.addClass('jp-Diffraction-driftWidget');
    parts.panel = panel;
    const document = viewer.parent;
    app.shell.add(panel, 'main', { mode: 'split-bottom', ref: document?.id ?? null, activate: false });
    // In the layout restorer's tracker; its args (the fit) kept current.
    void panels.add(panel);
    const save = new Debouncer(() => (panel.isDisposed ? undefined : panels.save(panel)), 500);
    parts.series.changed.connect(() => void save.invoke(), panel);
    viewer.context.pathChanged.connect(() => void save.invoke(), panel);
    panel.disposed.connect(() => save.dispose());
    return panel;
  }

  /** The restore args of a drift panel: its image and the fit asked for. */
  export function panelArgs(content: DriftPanel): ReadonlyPartialJSONObject {
    const fit = content.series.fitRequest;
    return { path: content.series.session.viewer.context.path, fit: fit?.kind ?? null, scanWidth: fit?.scanWidth ?? null };
  }

  /** How long a restored drift panel waits for its image's viewer to come back. */
  const RESTORE_WAIT_MS = 60_000;

  /** The series parts of an image's viewer, now or when the viewer comes (after a reload). */
  export class Waiting {
    parts(path: string, open: Parts[], trans: TranslationBundle): Promise<Parts> {
      const found = open.find(p => p.series.session.viewer.context.path === path);
      if (found) {
        return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this._waiters.delete(done);
          // The restorer forgets a panel whose command fails.
          reject(new Error(trans.__('No viewer of %1 came back: its drift panel is not restored.', path)));
        }, RESTORE_WAIT_MS);
        const done = { path, resolve: (p: Parts) => (clearTimeout(timer), resolve(p)) };
        this._waiters.add(done);
      });
    }

    arrived(path: string, parts: Parts): void {
      for (const waiter of [...this._waiters]) {
        if (waiter.path === path) {
          this._waiters.delete(waiter);
          waiter.resolve(parts);
        }
      }
    }

    private _waiters = new Set<{ path: string; resolve: (parts: Parts) => void }>();
  }

  const counter = { next: 0 };

  /** A path's file name (toasts show 140 characters: paths would push the facts out). */
  export function base(path: string): string {
    return path.split('/').pop() || path;
  }

  /**
   * Say what a run did (a notification, never a silent change). Toasts show 140 characters:
   * the file's name (not its path) and one fact per toast, hand-set centers in their own.
   */
  export function announce(summary: ISeriesSummary, series: SeriesSession, trans: TranslationBundle): void {
    const name = base(series.session.viewer.context.path);
    if (summary.cancelled) {
      Notification.warning(
        trans.__('Cancelled after %1 of %2 frames of %3: the centers found so far are kept.', summary.done, summary.total, name),
        { autoClose: 6000 }
      );
    } else {
      const outliers = series.centers().filter(c => c.outlier).length;
      const rate = summary.seconds > 0 ? summary.done / summary.seconds : 0;
      const text = trans.__(
        'Centers of %1 frames of %2 found in %3 s (%4 frames/s): %5 tracked, %6 jumps, %7 outliers.',
        summary.centered,
        name,
        summary.seconds.toFixed(1),
        rate.toFixed(1),
        summary.tracked,
        summary.jumps,
        outliers
      );
      Notification.success(text, { autoClose: 6000 });
    }
    if (summary.failed) {
      Notification.warning(trans.__('%1 frames of %2 failed: see the drift panel.', summary.failed, name), { autoClose: 8000 });
    }
    if (summary.keptManual.length) {
      const frames = summary.keptManual.length > 8 ? `${summary.keptManual.slice(0, 8).join(', ')}, …` : summary.keptManual.join(', ');
      Notification.info(trans.__('Frames %1 keep the centers you placed by hand (not replaced).', frames), { autoClose: 8000 });
    }
  }

  /** What goes into a notebook: the image path, its shape, the arrays and the fit. */
  export function exportable(series: SeriesSession, settings: CenterSettings) {
    const viewer = series.session.viewer;
    const frame = viewer.frame;
    if (!frame) {
      throw new NotReady('The image is not loaded yet.');
    }
    const entry = seriesEntry(series.centers(), {
      mask: series.session.mask?.describe() ?? null,
      options: { ...engineOptions(settings) },
      created: new Date().toISOString(),
      version: VERSION
    });
    return {
      path: viewer.context.localPath,
      shape: [frame.height, frame.width] as [number, number],
      entry,
      fit: seriesFit(series.fit)
    };
  }
}
