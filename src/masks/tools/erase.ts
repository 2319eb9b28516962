/** The erase tool: a click on a drawn shape removes it (the most recent one under the pointer). */
import type { TranslationBundle } from '@jupyterlab/translation';
import { isOtherButton, type IMaskTool, type IMaskToolHost, type ToolPoint } from './tool.js';

export class EraseTool implements IMaskTool {
  readonly name = 'erase' as const;
  readonly draft = null;

  constructor(private readonly _host: IMaskToolHost) {}

  hint(trans: TranslationBundle): string {
    return trans.__('Click a drawn shape to remove it. Esc: done.');
  }

  pointer(event: PointerEvent | MouseEvent, p: ToolPoint): boolean {
    if (isOtherButton(event)) {
      return false;
    }
    if (event.type === 'pointerdown') {
      this._host.viewer.node.focus();
      this._host.mask.eraseAt(p.row, p.col);
    }
    return true;
  }

  cancelDraft(): boolean {
    return false;
  }
}
