/** The circle tool: drag from the center outwards. */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { MaskShape } from '../model.js';
import { DragShapeTool } from './drag-tool.js';
import type { ToolPoint } from './tool.js';

export class CircleTool extends DragShapeTool {
  readonly name = 'circle' as const;

  hint(trans: TranslationBundle): string {
    return trans.__('Drag from the center to mask a disk (Alt: unmask). Esc: done.');
  }

  protected shapeBetween(a: ToolPoint, p: ToolPoint, mode: 'exclude' | 'include'): MaskShape {
    return { kind: 'circle', mode, row: a.row, col: a.col, radius: Math.hypot(p.row - a.row, p.col - a.col) };
  }
}
