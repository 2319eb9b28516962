/** The mask tools, one controller each. */
import { CircleTool } from './circle.js';
import { EraseTool } from './erase.js';
import { PolygonTool } from './polygon.js';
import { RectTool } from './rect.js';
import type { IMaskTool, IMaskToolHost, MaskToolName } from './tool.js';

export type { IMaskTool, IMaskToolHost, MaskToolName } from './tool.js';
export { MIN_DRAG_PX } from './drag-tool.js';

/** A new controller of the tool `name` working on `host`. */
export function createMaskTool(name: MaskToolName, host: IMaskToolHost): IMaskTool {
  switch (name) {
    case 'rect':
      return new RectTool(host);
    case 'circle':
      return new CircleTool(host);
    case 'polygon':
      return new PolygonTool(host);
    case 'erase':
      return new EraseTool(host);
  }
}
