/**
 * The center check commands: show or hide the polar view and the radial profile beside the
 * current viewer, let the guide rings follow the profile's peaks, and export the profile
 * (export-commands.ts). Each acts on the current viewer, or on the viewer named by `args.viewer`
 * (the check panel's toolbar passes it).
 */
import type { ICommandPalette } from '@jupyterlab/apputils';
import { Notification } from '@jupyterlab/apputils';
import type { CenterSessions, ICenterCommandsOptions } from '../centering/sessions.js';
import type { LabIcon } from '@jupyterlab/ui-components';
import { PALETTE_CATEGORY } from '../viewer/commands.js';
import type { DiffractionDocument } from '../viewer/widget.js';
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

  /** A command that shows or hides one part of the check panel, keeping the other as it is. */
  const togglePart = (id: string, part: 'polar' | 'profile', label: string, caption: string, icon: LabIcon) => {
    const shown = (doc: DiffractionDocument | null) => {
      const panel = checks.panel(doc);
      return { polar: panel?.polarShown ?? false, profile: panel?.profileShown ?? false };
    };
    commands.addCommand(id, {
      label,
      caption,
      icon,
      execute: args => {
        const doc = checks.target(args);
        if (doc) {
          const parts = shown(doc);
          parts[part] = !parts[part];
          checks.show(doc, parts.polar, parts.profile);
        }
      },
      isToggled: args => shown(checks.target(args))[part],
      isEnabled: hasViewer,
      describedBy: VIEWER_ARGS
    });
  };
  togglePart(
    CheckCommandIDs.togglePolarView,
    'polar',
    trans.__('Polar View'),
    trans.__('Show the image about the center unrolled (radius × azimuth) beside it: rings are straight when the center is right'),
    polarViewIcon
  );
  togglePart(
    CheckCommandIDs.toggleProfile,
    'profile',
    trans.__('Radial Profile'),
    trans.__('Show the azimuthal mean (or median) per radius about the center beside the image, with its peaks'),
    profileIcon
  );

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
