/**
 * Keyboard focus goes back to the viewer after its own context menu and toolbar buttons, so
 * that its single-key shortcuts (and Escape for a tool) work without clicking the image first
 * (issue 12, item 8). A press on the image gives the viewer focus before any tool sees it.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { IDiffractionTracker } from './tokens.js';

/** Return focus to the current viewer after its context menu or a toolbar button. */
export function keepFocusInViewers(app: JupyterFrontEnd, tracker: IDiffractionTracker): void {
  const focusLater = (node: HTMLElement) =>
    requestAnimationFrame(() => {
      // Only when nothing else took the focus meanwhile (a dialog, an input of the command).
      const active = document.activeElement;
      const left = !active || active === document.body || Private.isMenuOrButton(active);
      if (node.isConnected && left) node.focus();
    });

  // The context menu: opened over a viewer, it returns focus there when it closes.
  app.contextMenu.menu.aboutToClose.connect(() => {
    const viewer = tracker.currentWidget?.content;
    if (viewer && app.contextMenuHitTest(node => node === viewer.node)) focusLater(viewer.node);
  });

  tracker.widgetAdded.connect((_, widget) => {
    const viewer = widget.content;
    // Toolbar buttons act on pointer down; focus returns when the pointer is released.
    widget.toolbar.node.addEventListener('pointerdown', event => {
      if (!(event.target as HTMLElement).closest('button')) return;
      const release = () => focusLater(viewer.node);
      document.addEventListener('pointerup', release, { once: true, capture: true });
    });
    // A press on the image (the stage) focuses the viewer even when a tool uses the press.
    viewer.node.addEventListener('pointerdown', event => {
      if (viewer.stage.contains(event.target as Node)) viewer.node.focus();
    }, { capture: true });
  });
}

namespace Private {
  /** Whether the focused element is a menu or a button (not an input a command focused). */
  export function isMenuOrButton(element: Element): boolean {
    return element.tagName === 'BUTTON' || (!!element.closest('.lm-Menu') && element.tagName !== 'INPUT');
  }
}
