/** The rectangle tool: drag from one corner to the other. */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { MaskShape } from '../model.js';
import { DragShapeTool } from './drag-tool.js';
import type { ToolPoint } from './tool.js';

export class RectTool extends DragShapeTool {
  readonly name = 'rect' as const;

  hint(trans: TranslationBundle): string {
    return trans.__('Drag to mask a rectangle (Alt: unmask). Esc: done.');
  }

  protected shapeBetween(a: ToolPoint, p: ToolPoint, mode: 'exclude' | 'include'): MaskShape {
    return { kind: 'rect', mode, r0: a.row, c0: a.col, r1: p.row, c1: p.col };
  }
}
