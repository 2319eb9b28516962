/**
 * The center check commands: show or hide the polar view and the radial profile beside the
 * current viewer, let the guide rings follow the profile's peaks, and export the profile
 * (export-commands.ts). Each acts on the current viewer, or on the viewer named by `args.viewer`
 * (the check panel's toolbar passes it).
 */
import type { ICommandPalette } from '@jupyterlab/apputils';
import { Notification } from '@jupyterlab/apputils';
import type { CenterSessions, ICenterCommandsOptions } from '../centering/sessions.js';
import { PALETTE_CATEGORY } from '../viewer/commands.js';
import { CenterChecks } from './checks.js';
import { CheckCommandIDs } from './command-ids.js';
import { addExportCommands } from './export-commands.js';
import { polarViewIcon, profileIcon } from './icons.js';

export { CheckCommandIDs } from './command-ids.js';
export { CenterChecks } from './checks.js';

/** Command arguments: optionally the widget id of the viewer to act on. */
export const VIEWER_ARGS = { args: { type: 'object', properties: { viewer: { type: 'string' } } } } as const;

/** Add the commands; returns the registry (its settings follow the plugin's). */
export function addCheckCommands(
  options: ICenterCommandsOptions,
  sessions: CenterSessions,
  palette: ICommandPalette | null
): CenterChecks {
  const { app, trans, tracker, settings } = options;
  const { commands } = app;
  const checks = new CenterChecks(options, sessions);
  const hasViewer = (args: Record<string, unknown>) => checks.target(args as any) !== null;

  commands.addCommand(CheckCommandIDs.togglePolarView, {
    label: trans.__('Polar View'),
    caption: trans.__('Show the image about the center unrolled (radius × azimuth) beside it: rings are straight when the center is right'),
    icon: polarViewIcon,
    execute: args => {
      const doc = checks.target(args);
      if (doc) {
        const panel = checks.panel(doc);
        checks.show(doc, !panel?.polarShown, panel?.profileShown ?? false);
      }
    },
    isToggled: args => checks.panel(checks.target(args))?.polarShown ?? false,
    isEnabled: hasViewer,
    describedBy: VIEWER_ARGS
  });

  commands.addCommand(CheckCommandIDs.toggleProfile, {
    label: trans.__('Radial Profile'),
    caption: trans.__('Show the azimuthal mean (or median) per radius about the center beside the image, with its peaks'),
    icon: profileIcon,
    execute: args => {
      const doc = checks.target(args);
      if (doc) {
        const panel = checks.panel(doc);
        checks.show(doc, panel?.polarShown ?? false, !panel?.profileShown);
      }
    },
    isToggled: args => checks.panel(checks.target(args))?.profileShown ?? false,
    isEnabled: hasViewer,
    describedBy: VIEWER_ARGS
  });

  commands.addCommand(CheckCommandIDs.toggleRingsFollowPeaks, {
    label: trans.__('Guide Rings Follow the Profile Peaks'),
    caption: trans.__('Draw the guide rings at the peaks of the radial profile about the center (setting "ringsFollowPeaks")'),
    execute: async () => {
      const follow = !checks.ringsFollowPeaks;
      try {
        await settings.set('ringsFollowPeaks', follow);
        Notification.info(
          follow
            ? trans.__('Guide rings now follow the radial profile’s peaks.')
            : trans.__('Guide rings are back at the radii of the settings.'),
          { autoClose: 3000 }
        );
      } catch (error) {
        Notification.error(trans.__('The guide ring setting could not be saved: %1', (error as Error)?.message ?? String(error)));
      }
    },
    isToggled: () => checks.ringsFollowPeaks,
    describedBy: VIEWER_ARGS
  });

  addExportCommands(options, sessions, checks);

  if (palette) {
    for (const command of Object.values(CheckCommandIDs)) {
      palette.addItem({ command, category: PALETTE_CATEGORY });
    }
  }
  const ids = Object.values(CheckCommandIDs);
  const notify = () => ids.forEach(id => commands.notifyCommandChanged(id));
  checks.changed.connect(notify);
  tracker.currentChanged.connect(notify);
  app.shell.currentChanged?.connect(notify);
  sessions.onSession(session => session.changed.connect(notify));
  return checks;
}
