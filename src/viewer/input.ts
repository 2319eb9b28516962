/**
 * Pointer and key input of a viewer: tools registered with `addInputHandler` are asked first
 * (newest first); what they leave pans (drag), zooms (wheel) and fits (double-click). The
 * pointer position goes to the readout either way.
 */
import type { IDisposable } from '@lumino/disposable';
import type { ImagePoint } from './view.js';

/** A tool that takes input on the image before the viewer (see `addInputHandler`). */
export interface IInputHandler {
  pointer?(event: PointerEvent | MouseEvent, point: { row: number; col: number; x: number; y: number }): boolean;
  key?(event: KeyboardEvent): boolean;
}

/** Routes the DOM input of a viewer. */
export class ViewerInput implements IDisposable, EventListenerObject {
  constructor(
    private readonly _host: ViewerInput.IHost,
    private readonly _stage: HTMLElement,
    private readonly _handlers: IInputHandler[],
    private readonly _options: { onPointer(point: { x: number; y: number } | null): void }
  ) {
    _stage.addEventListener('wheel', this, { passive: false });
    for (const type of Private.STAGE_EVENTS) _stage.addEventListener(type, this);
    _host.node.addEventListener('keydown', this);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this._stage.removeEventListener('wheel', this);
    for (const type of Private.STAGE_EVENTS) this._stage.removeEventListener(type, this);
    this._host.node.removeEventListener('keydown', this);
  }

  handleEvent(event: Event): void {
    if (event.type === 'keydown') {
      if (this._offer(event as KeyboardEvent)) {
        event.stopPropagation();
        event.preventDefault();
      }
      return;
    }
    if (event.type !== 'wheel' && event.type !== 'pointerleave' && this._offer(event as PointerEvent)) {
      event.preventDefault();
      if (event.type === 'pointermove') this._options.onPointer(this._clientPoint(event as PointerEvent));
      return;
    }
    switch (event.type) {
      case 'wheel':
        this._onWheel(event as WheelEvent);
        break;
      case 'pointerdown':
        this._onPointerDown(event as PointerEvent);
        break;
      case 'pointermove':
        this._onPointerMove(event as PointerEvent);
        break;
      case 'pointerup':
      case 'pointercancel':
        this._onPointerUp(event as PointerEvent);
        break;
      case 'pointerleave':
        this._options.onPointer(null);
        break;
      case 'dblclick':
        this._host.fit();
        break;
    }
  }

  /** Offer an event to the input handlers; true when one of them used it. */
  private _offer(event: PointerEvent | MouseEvent | KeyboardEvent): boolean {
    if (!this._handlers.length) return false;
    if (event instanceof KeyboardEvent) {
      return this._handlers.slice().some(h => h.key?.(event) === true);
    }
    if (!this._host.frame) return false;
    const { x, y } = this._clientPoint(event);
    const point = { ...this._host.clientToImage(x, y), x, y };
    return this._handlers.slice().some(h => h.pointer?.(event, point) === true);
  }

  private _clientPoint(event: MouseEvent): { x: number; y: number } {
    const rect = this._stage.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private _onWheel(event: WheelEvent): void {
    if (!this._host.frame) return;
    event.preventDefault();
    const unit = event.deltaMode === 1 ? 40 : event.deltaMode === 2 ? 800 : 1;
    const delta = Math.max(-400, Math.min(400, event.deltaY * unit));
    const { x, y } = this._clientPoint(event);
    this._host.zoomBy(Math.exp(-delta * 0.002), x, y);
    this._options.onPointer({ x, y });
  }

  private _onPointerDown(event: PointerEvent): void {
    this._host.node.focus();
    if (!this._host.dragPan || event.button !== 0 || !this._host.frame) return;
    const { x, y } = this._clientPoint(event);
    this._drag = { id: event.pointerId, x, y };
    this._stage.setPointerCapture?.(event.pointerId);
    this._stage.classList.add('jp-mod-panning');
  }

  private _onPointerMove(event: PointerEvent): void {
    const { x, y } = this._clientPoint(event);
    if (this._drag && this._drag.id === event.pointerId) {
      this._host.panBy(x - this._drag.x, y - this._drag.y);
      this._drag = { id: event.pointerId, x, y };
    }
    this._options.onPointer({ x, y });
  }

  private _onPointerUp(event: PointerEvent): void {
    if (this._drag && this._drag.id === event.pointerId) {
      this._drag = null;
      this._stage.releasePointerCapture?.(event.pointerId);
      this._stage.classList.remove('jp-mod-panning');
    }
  }

  private _drag: { id: number; x: number; y: number } | null = null;
  private _isDisposed = false;
}

export namespace ViewerInput {
  /** What the input needs of the viewer. */
  export interface IHost {
    readonly node: HTMLElement;
    readonly frame: unknown;
    readonly dragPan: boolean;
    clientToImage(x: number, y: number): ImagePoint;
    zoomBy(factor: number, x?: number, y?: number): void;
    panBy(dx: number, dy: number): void;
    fit(): void;
  }
}

namespace Private {
  export const STAGE_EVENTS = ['pointerdown', 'pointermove', 'pointerup', 'pointercancel', 'pointerleave', 'dblclick'] as const;
}
