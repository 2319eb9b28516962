/**
 * The mask of one open viewer and its editing: the model (made anew when the image's shape
 * changes), the active tool (registered with `viewer.addInputHandler` while active), and the
 * overlay that shows the masked pixels, the drawn shapes and the shape being drawn.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal, type ISignal } from '@lumino/signaling';
import { parseColor } from '../io/color.js';
import type { DiffractionViewer } from '../viewer/widget.js';
import { MaskModel } from './model.js';
import { drawDraft, drawMaskLayer, drawShapes, maskLayer } from './overlay.js';
import { createMaskTool, type IMaskTool, type MaskToolName } from './tools/index.js';

/** How the mask is shown. */
export interface MaskStyle {
  /** `#rrggbb`. */
  color: string;
  /** 0…1. */
  opacity: number;
}

/** The mask color when the setting cannot be read. */
const FALLBACK_RGB: [number, number, number, number] = [255, 61, 127, 255];

export class MaskEditor implements IDisposable {
  constructor(
    readonly viewer: DiffractionViewer,
    private readonly _trans: TranslationBundle,
    private _style: MaskStyle
  ) {
    this._overlay = viewer.addOverlay((ctx, info) => this._draw(ctx, info));
    this._keys = viewer.addInputHandler({ key: event => this._onKey(event) });
    // The readout says "(masked)" for the pixels of the user's mask too.
    this._note = viewer.addPixelNote((row, col) => (this.isMasked(row, col) ? this._trans.__('masked') : null));
    viewer.frameChanged.connect(this._onFrame, this);
    void viewer.ready.then(() => this._onFrame());
  }

  /** Emitted when the mask, the tool or the overlay's visibility change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted with the new model when the image's shape gives the viewer a new (empty) mask. */
  get maskCreated(): ISignal<this, MaskModel> {
    return this._maskCreated;
  }

  /** The mask of the current image's shape; null before the image is decoded. */
  get mask(): MaskModel | null {
    return this._mask;
  }

  get tool(): MaskToolName | 'none' {
    return this._tool?.name ?? 'none';
  }

  /** What the user can do with the active tool ('' without one). */
  get hint(): string {
    return this._tool?.hint(this._trans) ?? '';
  }

  get showMask(): boolean {
    return this._showMask;
  }

  set style(value: MaskStyle) {
    this._style = value;
    this._layer = null;
    this.viewer.requestOverlayRedraw();
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Whether the user's mask masks pixel (row, col) (false without a mask or outside the image). */
  isMasked(row: number, col: number): boolean {
    const mask = this._mask;
    const composed = mask?.compose();
    if (!mask || !composed || row < 0 || col < 0 || row >= mask.height || col >= mask.width) {
      return false;
    }
    return composed[row * mask.width + col] === 0;
  }

  /** Activate a tool; activating the active one (or 'none') ends it. */
  setTool(name: MaskToolName | 'none'): void {
    const next = name === 'none' || this._tool?.name === name ? null : name;
    this._toolInput?.dispose();
    this._toolInput = null;
    this._tool = null;
    if (next && this._mask) {
      const mask = this._mask;
      this._tool = createMaskTool(next, {
        viewer: this.viewer,
        mask,
        redraw: () => this.viewer.requestOverlayRedraw()
      });
      const tool = this._tool;
      // Keys reach the tool through `_onKey` (Escape first), pointers directly.
      this._toolInput = this.viewer.addInputHandler({ pointer: (event, point) => tool.pointer?.(event, point) ?? false });
    }
    this._emit();
  }

  toggleOverlay(): void {
    this._showMask = !this._showMask;
    this._emit();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._toolInput?.dispose();
    this._keys.dispose();
    this._note.dispose();
    this._overlay.dispose();
    Signal.clearData(this);
  }

  /** Escape drops the shape in progress, or ends the tool; other keys go to the tool. */
  private _onKey(event: KeyboardEvent): boolean {
    const tool = this._tool;
    if (!tool) {
      return false;
    }
    if (event.key === 'Escape') {
      if (!tool.cancelDraft()) {
        this.setTool('none');
      }
      return true;
    }
    return tool.key?.(event) ?? false;
  }

  /** A new frame: keep the mask when the shape is the same, otherwise start an empty one. */
  private _onFrame(): void {
    const frame = this.viewer.frame;
    if (!frame || this._disposed) {
      return;
    }
    if (this._mask && this._mask.height === frame.height && this._mask.width === frame.width) {
      return;
    }
    this.setTool('none');
    this._mask?.changed.disconnect(this._onMaskChanged, this);
    this._mask = new MaskModel(frame.height, frame.width);
    this._mask.changed.connect(this._onMaskChanged, this);
    this._layer = null;
    this._emit();
    this._maskCreated.emit(this._mask);
  }

  private _onMaskChanged(): void {
    this._layer = null;
    this._emit();
  }

  private _emit(): void {
    this.viewer.requestOverlayRedraw();
    this._changed.emit();
  }

  private _draw(ctx: CanvasRenderingContext2D, info: DiffractionViewer.IOverlayInfo): void {
    const { color, opacity } = this._style;
    const mask = this._mask;
    if (mask && this._showMask) {
      const composed = mask.compose();
      if (composed) {
        if (!this._layer) {
          const [r, g, b] = parseColor(color, FALLBACK_RGB);
          this._layer = maskLayer(composed, mask.height, mask.width, [r, g, b, Math.round(255 * opacity)]);
        }
        drawMaskLayer(ctx, info, this._layer);
      }
      drawShapes(ctx, info, mask.shapes, color);
    }
    const draft = this._tool?.draft;
    if (draft) {
      drawDraft(ctx, info, draft, color);
    }
  }

  private _mask: MaskModel | null = null;
  private _tool: IMaskTool | null = null;
  private _toolInput: IDisposable | null = null;
  private _keys: IDisposable;
  private _note: IDisposable;
  private _overlay: IDisposable;
  private _layer: HTMLCanvasElement | null = null;
  private _showMask = true;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _maskCreated = new Signal<this, MaskModel>(this);
}
