/** The find-center commands: find, cancel, go back to the found center, guide rings. */
import { InputDialog, showErrorMessage } from '@jupyterlab/apputils';
import { CenterCommandIDs } from './command-ids.js';
import { findCenterIcon } from './icons.js';
import { NO_ARGS, type CenterSessions, type ICenterCommandsOptions } from './sessions.js';
import { parseRingRadii } from './settings.js';

export function addFindCommands(options: ICenterCommandsOptions, sessions: CenterSessions): void {
  const { app, trans, settings, notebooks } = options;
  const { commands } = app;
  const current = () => sessions.current();

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
        if (settings.current.bridge.writeOnFind && notebooks?.last) {
          await commands.execute(CenterCommandIDs.writeCenter);
        }
        return { row: found.row, col: found.col, frame: found.frame, warnings: found.engine?.warnings ?? [] };
      } catch (error) {
        // The status shows the error; a dialog would hide the image.
        if ((error as { code?: string }).code !== 'cancelled') {
          console.warn(`jupyterlab-diffraction: ${(error as Error).message}`);
        }
        return null;
      }
    },
    isEnabled: () => current() !== null && !current()!.busy,
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.cancelFindCenter, {
    label: trans.__('Cancel Find Center'),
    execute: () => current()?.cancel(),
    isEnabled: () => current()?.busy ?? false,
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.resetCenter, {
    label: trans.__('Reset Center to the Found One'),
    execute: () => current()?.resetCenter(),
    isEnabled: () => current()?.center?.method === 'manual' && current()?.center?.engine != null,
    describedBy: NO_ARGS
  });

  commands.addCommand(CenterCommandIDs.setGuideRings, {
    label: trans.__('Set Guide Ring Radii…'),
    caption: trans.__('Radii of the guide rings drawn around the center (saved in the settings)'),
    execute: async () => {
      const result = await InputDialog.getText({
        title: trans.__('Guide ring radii (pixels, comma-separated; empty = automatic)'),
        text: settings.current.center.ringRadii.join(', ')
      });
      if (!result.button.accept || result.value === null) {
        return;
      }
      const radii = parseRingRadii(result.value);
      if (!radii) {
        await showErrorMessage(trans.__('Guide rings'), trans.__('Radii must be positive numbers: %1', result.value));
        return;
      }
      try {
        await settings.set('ringRadii', radii);
      } catch (error) {
        await showErrorMessage(
          trans.__('Guide rings'),
          trans.__('The radii could not be saved: %1', (error as Error)?.message ?? String(error))
        );
      }
    },
    isEnabled: () => current() !== null,
    describedBy: NO_ARGS
  });
}
