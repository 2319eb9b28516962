/**
 * Dragging the crosshair by hand, as an input handler of the viewer: a press within a few
 * pixels of the center grabs it, moving places it, release leaves it there.
 */
import type { DiffractionViewer } from '../viewer/widget.js';

/** A press this close (CSS pixels) to the center grabs the crosshair. */
const GRAB_PX = 10;

export class CrosshairDrag implements DiffractionViewer.IInputHandler {
  constructor(
    private readonly _viewer: DiffractionViewer,
    private readonly _center: () => { row: number; col: number } | null,
    private readonly _place: (row: number, col: number) => void
  ) {}

  pointer(event: PointerEvent | MouseEvent, p: { row: number; col: number; x: number; y: number }): boolean {
    switch (event.type) {
      case 'pointerdown':
        if (event.button === 0 && this._near(p.x, p.y)) {
          this._dragging = true;
          this._viewer.node.focus();
          this._viewer.stage.setPointerCapture?.((event as PointerEvent).pointerId);
          return true;
        }
        return false;
      case 'pointermove':
        if (this._dragging) {
          this._place(p.row, p.col);
        }
        return this._dragging;
      case 'pointerup':
      case 'pointercancel':
        if (this._dragging) {
          this._dragging = false;
          if (event.type === 'pointerup') {
            this._place(p.row, p.col);
          }
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  private _near(x: number, y: number): boolean {
    const c = this._center();
    if (!c) {
      return false;
    }
    const p = this._viewer.imageToClient(c.row, c.col);
    return Math.hypot(p.x - x, p.y - y) <= GRAB_PX;
  }

  private _dragging = false;
}
