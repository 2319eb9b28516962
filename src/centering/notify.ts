/**
 * Telling JupyterLab that commands changed (enabled, toggled, label): at most once per animation
 * frame. A session changes many times a second during a series run (every batch of frames, every
 * progress step); each `notifyCommandChanged` re-renders the toolbars, menus and palette items
 * of those commands, which had cost the page more than the run itself.
 */
import type { CommandRegistry } from '@lumino/commands';

/** A function that notifies `ids` on the next animation frame (once, however often it is called). */
export function commandNotifier(commands: CommandRegistry, ids: readonly string[]): () => void {
  let pending = false;
  const later =
    typeof requestAnimationFrame === 'function'
      ? (run: () => void) => requestAnimationFrame(run)
      : (run: () => void) => setTimeout(run, 0);
  return () => {
    if (pending) {
      return;
    }
    pending = true;
    later(() => {
      pending = false;
      ids.forEach(id => commands.notifyCommandChanged(id));
    });
  };
}
