/**
 * Find center, mask and notebook commands (`diffraction:verb-noun`) on the current diffraction
 * viewer: this file makes the sessions and adds the three groups (find-commands.ts,
 * mask-commands.ts, notebook-commands.ts) to the app and the palette.
 */
import type { ICommandPalette } from '@jupyterlab/apputils';
import { PALETTE_CATEGORY } from '../viewer/commands.js';
import { CenterCommandIDs } from './command-ids.js';
import { addFindCommands } from './find-commands.js';
import { addMaskCommands } from './mask-commands.js';
import { addNotebookCommands } from './notebook-commands.js';
import { addSeriesCommands } from './series-commands.js';
import { CenterSessions, type ICenterCommandsOptions } from './sessions.js';
import { commandNotifier } from './notify.js';

export { CenterCommandIDs } from './command-ids.js';
export { CenterSessions, type ICenterCommandsOptions } from './sessions.js';

/** Add the commands; returns the sessions registry. */
export function addCenterCommands(options: ICenterCommandsOptions, palette: ICommandPalette | null): CenterSessions {
  const { app, tracker } = options;
  const { commands } = app;
  const sessions = new CenterSessions(options);
  addFindCommands(options, sessions);
  addMaskCommands(options, sessions);
  addNotebookCommands(options, sessions);
  addSeriesCommands(options, sessions);

  if (palette) {
    for (const command of Object.values(CenterCommandIDs)) {
      palette.addItem({ command, category: PALETTE_CATEGORY });
    }
  }
  // Re-evaluate this extension's commands (enabled, toggled) when a session changes (busy, center
  // found, tool, mask…) or the current viewer changes. The shell's current widget is watched too:
  // the commands act on the tracker's current viewer only while it is the shell's current widget,
  // and after a page reload the restored viewer is the tracker's current one before the shell
  // makes it current (no tracker change follows, so the commands would stay disabled).
  const ids = Object.values(CenterCommandIDs);
  const notify = commandNotifier(commands, ids);
  sessions.onSession(session => session.changed.connect(notify));
  tracker.currentChanged.connect(notify);
  app.shell.currentChanged?.connect(notify);
  return sessions;
}
