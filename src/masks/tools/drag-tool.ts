/**
 * The common part of the tools drawn by dragging (rectangle, circle): press sets the anchor,
 * moving shows the shape, release adds it. A click without a drag adds nothing.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { MaskShape } from '../model.js';
import { isOtherButton, modeOf, type IMaskTool, type IMaskToolHost, type MaskToolName, type ToolPoint } from './tool.js';

/** A drag shorter than this (CSS pixels, either axis) is a click and adds no shape. */
export const MIN_DRAG_PX = 3;

export abstract class DragShapeTool implements IMaskTool {
  constructor(protected readonly host: IMaskToolHost) {}

  abstract readonly name: MaskToolName;
  abstract hint(trans: TranslationBundle): string;
  /** The shape from the anchor to the pointer. */
  protected abstract shapeBetween(anchor: ToolPoint, point: ToolPoint, mode: 'exclude' | 'include'): MaskShape;

  get draft(): MaskShape | null {
    return this._draft;
  }

  pointer(event: PointerEvent | MouseEvent, point: ToolPoint): boolean {
    if (isOtherButton(event)) {
      return false;
    }
    const stage = this.host.viewer.stage;
    switch (event.type) {
      case 'pointerdown':
        this._anchor = point;
        this._draft = null;
        this.host.viewer.node.focus();
        stage.setPointerCapture?.((event as PointerEvent).pointerId);
        return true;
      case 'pointermove':
        if (this._anchor && this._isDrag(point)) {
          this._draft = this.shapeBetween(this._anchor, point, modeOf(event));
          this.host.redraw();
        }
        return this._anchor !== null;
      case 'pointerup':
      case 'pointercancel': {
        const anchor = this._anchor;
        this._anchor = null;
        this._draft = null;
        if (!anchor) {
          return false;
        }
        if (event.type === 'pointerup' && this._isDrag(point, anchor)) {
          this.host.mask.addShape(this.shapeBetween(anchor, point, modeOf(event)));
        } else {
          this.host.redraw();
        }
        return true;
      }
      default:
        // A double click is two clicks here, not the viewer's "fit".
        return true;
    }
  }

  cancelDraft(): boolean {
    const had = this._anchor !== null || this._draft !== null;
    this._anchor = null;
    this._draft = null;
    if (had) {
      this.host.redraw();
    }
    return had;
  }

  private _isDrag(point: ToolPoint, anchor = this._anchor!): boolean {
    return Math.abs(point.x - anchor.x) >= MIN_DRAG_PX || Math.abs(point.y - anchor.y) >= MIN_DRAG_PX;
  }

  private _anchor: ToolPoint | null = null;
  private _draft: MaskShape | null = null;
}
