/**
 * The polygon tool: click the vertices; a double click, Enter or a click on the first vertex
 * closes it. The last vertex follows the pointer until the next click.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { MaskShape, PolygonShape } from '../model.js';
import { isOtherButton, modeOf, type IMaskTool, type IMaskToolHost, type ToolPoint } from './tool.js';

/** A click this close (CSS pixels) to the first vertex closes the polygon. */
const CLOSE_PX = 8;

export class PolygonTool implements IMaskTool {
  readonly name = 'polygon' as const;

  constructor(private readonly _host: IMaskToolHost) {}

  get draft(): MaskShape | null {
    return this._draft;
  }

  hint(trans: TranslationBundle): string {
    return trans.__(
      'Click the vertices; double-click, Enter or click the first vertex to close (Alt: unmask). Esc: cancel.'
    );
  }

  pointer(event: PointerEvent | MouseEvent, p: ToolPoint): boolean {
    if (isOtherButton(event)) {
      return false;
    }
    const draft = this._draft;
    if (event.type === 'pointerdown') {
      this._host.viewer.node.focus();
      if (draft && draft.points.length >= 3 && this._nearFirstVertex(draft, p)) {
        this.close();
      } else if (draft) {
        draft.points.splice(draft.points.length - 1, 0, [p.row, p.col]);
      } else {
        this._draft = { kind: 'polygon', mode: modeOf(event), points: [[p.row, p.col], [p.row, p.col]] };
      }
    } else if (event.type === 'pointermove' && draft) {
      draft.points[draft.points.length - 1] = [p.row, p.col];
    } else if (event.type === 'dblclick' && draft) {
      this.close();
    }
    this._host.redraw();
    return true;
  }

  key(event: KeyboardEvent): boolean {
    if (event.key === 'Enter' && this._draft) {
      this.close();
      return true;
    }
    return false;
  }

  /** Close the polygon: add it when it has three vertices or more. */
  close(): void {
    const draft = this._draft;
    this._draft = null;
    if (draft) {
      // Drop the rubber-band vertex that follows the pointer.
      const points = draft.points.slice(0, -1);
      if (points.length >= 3) {
        this._host.mask.addShape({ ...draft, points });
        return;
      }
    }
    this._host.redraw();
  }

  cancelDraft(): boolean {
    const had = this._draft !== null;
    this._draft = null;
    if (had) {
      this._host.redraw();
    }
    return had;
  }

  private _nearFirstVertex(shape: PolygonShape, p: ToolPoint): boolean {
    const [r, c] = shape.points[0];
    const first = this._host.viewer.imageToClient(r, c);
    return Math.hypot(first.x - p.x, first.y - p.y) <= CLOSE_PX;
  }

  private _draft: PolygonShape | null = null;
}
