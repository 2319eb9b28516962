/**
 * Find center on one open viewer: its mask (file, drawn shapes, automatic), the Worker run with
 * busy state and cancellation, the crosshair the user can drag, and the result as a notebook entry.
 */
import type { Contents } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { Signal, type ISignal } from '@lumino/signaling';
import { autoMask, invalidPixelMask } from '../center/index.js';
import type { CenterEntry, CenterMethod } from '../notebook/metadata.js';
import { CenterClient, CenterWorkerError, type CenterResult } from '../worker/center-client.js';
import type { CenterRequestOptions } from '../worker/center-protocol.js';
import { defaultRingRadii, drawCrosshair, drawMaskLayer, drawShapes, maskLayer, traceShape } from './overlay.js';
import { maskPathFor } from '../io/index.js';
import { findSiblingMask, readMaskFile, saveMaskFile } from '../masks/file-io.js';
import { MaskModel, type MaskShape } from '../masks/model.js';
import type { DiffractionViewer } from '../viewer/widget.js';

/** Settings of the find-center plugin that a session reads. */
export interface CenterSettings {
  normalizeBackground: 'auto' | 'on' | 'off';
  maxIterations: number;
  autoMask: boolean;
  route: 'fast' | 'reference';
  loadSiblingMask: boolean;
  autoMaskThreshold: number;
  ringRadii: number[];
  maskColor: string;
  maskOpacity: number;
  crosshairColor: string;
}

export const DEFAULT_CENTER_SETTINGS: CenterSettings = {
  normalizeBackground: 'auto',
  maxIterations: 5,
  autoMask: true,
  route: 'fast',
  loadSiblingMask: true,
  autoMaskThreshold: 0.1,
  ringRadii: [],
  maskColor: '#ff3d7f',
  maskOpacity: 0.4,
  crosshairColor: '#39ff14'
};

/** The mask drawing / editing tools. */
export type MaskTool = 'none' | 'rect' | 'circle' | 'polygon' | 'erase';

/** Where a session stands. */
export type CenterState = 'idle' | 'running' | 'found' | 'manual' | 'error' | 'cancelled';

/** A center with how it was obtained. */
export interface SessionCenter {
  row: number;
  col: number;
  frame: number;
  method: CenterMethod;
  /** The engine's result (the found one, also kept after a manual adjustment). */
  engine: CenterResult | null;
  /** Options the engine ran with. */
  options: CenterRequestOptions;
  /** The mask used, as described for the notebook. */
  mask: string | null;
}

export class CenterSession implements IDisposable {
  constructor(
    readonly viewer: DiffractionViewer,
    private readonly _contents: Contents.IManager | null,
    private _settings: CenterSettings = DEFAULT_CENTER_SETTINGS
  ) {
    this._bar = Private.statusBox(viewer.stage);
    this._bar.cancel.addEventListener('click', () => this.cancel());
    this._overlay = viewer.addOverlay((ctx, info) => this._draw(ctx, info));
    const stage = viewer.stage;
    for (const type of ['pointerdown', 'pointermove', 'pointerup', 'dblclick'] as const) {
      stage.addEventListener(type, this._onPointer, { capture: true });
    }
    viewer.node.addEventListener('keydown', this._onKey, { capture: true });
    viewer.frameChanged.connect(this._onFrame, this);
    void viewer.ready.then(() => this._onFrame());
    this._render();
  }

  /** Emitted when the center, the mask, the tool or the state change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get state(): CenterState {
    return this._state;
  }
  get error(): string | null {
    return this._error;
  }
  get center(): SessionCenter | null {
    return this._center;
  }
  get mask(): MaskModel | null {
    return this._mask;
  }
  get tool(): MaskTool {
    return this._tool;
  }
  get showMask(): boolean {
    return this._showMask;
  }
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** New settings: redraw with them; they apply to the next run. */
  set settings(value: CenterSettings) {
    this._settings = value;
    this._maskLayer = null;
    this.viewer.requestOverlayRedraw();
  }

  /** Run the engine on the current frame and mask in the Worker. */
  async findCenter(): Promise<SessionCenter> {
    await this.viewer.ready;
    const frame = this.viewer.frame;
    if (!frame) {
      throw this._fail(`${this.viewer.context.path} has no decoded image to find the center of.`);
    }
    const mask = this._mask?.compose() ?? null;
    const maskDescription = this._mask?.describe() ?? null;
    const frameIndex = this.viewer.frameIndex;
    const s = this._settings;
    const options: CenterRequestOptions = {
      normalizeBackground: s.normalizeBackground === 'auto' ? 'auto' : s.normalizeBackground === 'on',
      maxIterations: s.maxIterations,
      autoMask: s.autoMask,
      route: s.route
    };
    this._stage = '';
    this._bar.progress.value = 0;
    this._setState('running', null);
    try {
      const result = await this._client.run(frame, mask, options, (stage, fraction) => {
        this._stage = stage;
        this._bar.progress.value = fraction;
        this._render();
      });
      this._center = {
        row: result.row,
        col: result.col,
        frame: frameIndex,
        method: 'autocenter',
        engine: result,
        options,
        mask: maskDescription
      };
      this.viewer.center = { row: result.row, col: result.col };
      this._setState('found', null);
      return this._center;
    } catch (error) {
      if (error instanceof CenterWorkerError && error.code === 'cancelled') {
        this._setState('cancelled', null);
        throw error;
      }
      throw this._fail((error as Error).message);
    }
  }

  /** Whether the Worker is running. */
  get busy(): boolean {
    return this._client.busy;
  }

  /** Stop a running search; the previous center (if any) stays. */
  cancel(): void {
    if (this._client.busy) {
      this._client.cancel();
    }
  }

  /** Go back to the found center after a manual adjustment. */
  resetCenter(): void {
    const c = this._center;
    if (!c?.engine) {
      return;
    }
    this._setCenter(c.engine.row, c.engine.col, 'autocenter');
    this._setState('found', null);
  }

  /** Place the center by hand (also used by dragging the crosshair). */
  setManualCenter(row: number, col: number): void {
    this._setCenter(row, col, 'manual');
    this._setState('manual', null);
  }

  /** The notebook entry for the current center. */
  entry(version: string, now = new Date()): CenterEntry | null {
    const c = this._center;
    const frame = this.viewer.frame;
    if (!c || !frame) {
      return null;
    }
    return {
      row: c.row,
      col: c.col,
      frame: c.frame,
      shape: [frame.height, frame.width],
      mask: c.mask,
      method: c.method,
      score: c.method === 'autocenter' && c.engine ? c.engine.score : null,
      options: { ...c.options },
      created: now.toISOString(),
      version
    };
  }

  // ------------------------------------------------------------------ masks

  /** Load a mask TIFF (server path); it must have the image's shape. */
  async loadMask(path: string): Promise<void> {
    const mask = this._requireMask();
    if (!this._contents) {
      throw this._fail('No contents manager to read the mask with.');
    }
    try {
      const data = await readMaskFile(this._contents, path, mask.height, mask.width);
      mask.setBase(data, { kind: 'file', description: path });
    } catch (error) {
      throw this._fail(`Cannot use the mask: ${(error as Error).message}`);
    }
  }

  /** Save the effective mask as `NAME_mask.tif` beside the image; returns its path. */
  async saveMask(path = maskPathFor(this.viewer.context.path)): Promise<string> {
    const mask = this._requireMask();
    const data = mask.compose();
    if (!data) {
      throw this._fail('There is no mask to save: nothing is masked.');
    }
    if (!this._contents) {
      throw this._fail('No contents manager to save the mask with.');
    }
    await saveMaskFile(this._contents, path, data, mask.height, mask.width);
    // The saved file is now the base layer: drawn shapes are part of it.
    mask.reset();
    mask.setBase(data, { kind: 'file', description: path });
    return path;
  }

  /** Mask invalid pixels and, unless `invalidOnly`, the dark rule (threshold × median) and hot pixels. */
  applyAutoMask(invalidOnly = false): void {
    const mask = this._requireMask();
    const frame = this.viewer.frame!;
    const data = invalidOnly ? invalidPixelMask(frame) : autoMask(frame, { threshold: this._settings.autoMaskThreshold });
    const previous = mask.base;
    const combined = previous ? data.map((v, i) => v & previous[i]) : data;
    const rule = invalidOnly ? 'invalid pixels' : `auto mask (invalid, hot, < ${this._settings.autoMaskThreshold} × median)`;
    const description = mask.source.description ? `${mask.source.description} + ${rule}` : rule;
    mask.setBase(combined, { kind: 'auto', description });
  }

  invertMask(): void {
    this._requireMask().invert();
  }

  clearMask(): void {
    this._requireMask().reset();
  }

  toggleMaskOverlay(): void {
    this._showMask = !this._showMask;
    this._emit();
  }

  setTool(tool: MaskTool): void {
    this._tool = this._tool === tool ? 'none' : tool;
    this._draft = null;
    this._emit();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._client.dispose();
    this._overlay.dispose();
    const stage = this.viewer.stage;
    for (const type of ['pointerdown', 'pointermove', 'pointerup', 'dblclick'] as const) {
      stage.removeEventListener(type, this._onPointer, { capture: true });
    }
    this.viewer.node.removeEventListener('keydown', this._onKey, { capture: true });
    this._bar.node.remove();
    Signal.clearData(this);
  }

  // ------------------------------------------------------------------ internals

  private _requireMask(): MaskModel {
    if (!this._mask) {
      throw this._fail('The image is not loaded yet.');
    }
    return this._mask;
  }

  private _fail(message: string): Error {
    this._setState('error', message);
    return new Error(message);
  }

  private _setCenter(row: number, col: number, method: CenterMethod): void {
    const frame = this.viewer.frame;
    const c = this._center;
    this._center = {
      row,
      col,
      frame: c?.frame ?? this.viewer.frameIndex,
      method,
      engine: c?.engine ?? null,
      options: c?.options ?? {},
      mask: c?.mask ?? this._mask?.describe() ?? null
    };
    if (frame) {
      this.viewer.center = { row, col };
    }
  }

  private _setState(state: CenterState, error: string | null): void {
    this._state = state;
    this._error = error;
    this._emit();
  }

  private _emit(): void {
    this._render();
    this.viewer.requestOverlayRedraw();
    this._changed.emit();
  }

  /** A new frame: keep the mask when the shape is the same, look for a sibling mask on first load. */
  private _onFrame(): void {
    const frame = this.viewer.frame;
    if (!frame) {
      return;
    }
    if (this._mask && this._mask.height === frame.height && this._mask.width === frame.width) {
      return;
    }
    this._mask?.changed.disconnect(this._onMaskChanged, this);
    this._mask = new MaskModel(frame.height, frame.width);
    this._mask.changed.connect(this._onMaskChanged, this);
    this._maskLayer = null;
    this._emit();
    if (this._settings.loadSiblingMask && this._contents && !this._siblingChecked) {
      this._siblingChecked = true;
      void this._loadSibling();
    }
  }

  private async _loadSibling(): Promise<void> {
    const path = await findSiblingMask(this._contents!, this.viewer.context.path);
    if (path && this._mask && this._mask.base === null) {
      try {
        await this.loadMask(path);
        this._notice = `Mask ${path} loaded`;
        this._render();
      } catch {
        // loadMask already shows the error in the widget.
      }
    }
  }

  private _onMaskChanged(): void {
    this._maskLayer = null;
    this._emit();
  }

  private _render(): void {
    const node = this.viewer.node;
    const c = this._center;
    node.dataset.centerState = this._state;
    const set = (key: string, value: string | null) => {
      if (value === null) {
        delete node.dataset[key];
      } else {
        node.dataset[key] = value;
      }
    };
    set('centerRow', c ? String(c.row) : null);
    set('centerCol', c ? String(c.col) : null);
    set('centerMethod', c ? c.method : null);
    set('centerScore', c?.engine ? String(c.engine.score) : null);
    set('centerFrame', c ? String(c.frame) : null);
    set('mask', this._mask?.describe() ?? null);
    set('maskTool', this._tool === 'none' ? null : this._tool);
    const bar = this._bar;
    bar.node.dataset.state = this._state;
    bar.progress.hidden = this._state !== 'running';
    bar.cancel.hidden = this._state !== 'running';
    bar.text.textContent = this._statusText();
    bar.text.title = this._state === 'found' ? (c?.engine?.warnings.join('\n') ?? '') : '';
    bar.node.hidden = !bar.text.textContent && this._state !== 'running';
    if (this._tool !== 'none') {
      bar.node.hidden = false;
      bar.tool.textContent = Private.toolHint(this._tool);
    } else {
      bar.tool.textContent = '';
    }
  }

  /** The status box's text for the current state. */
  private _statusText(): string {
    const c = this._center;
    switch (this._state) {
      case 'running':
        return `Finding center… ${this._stage}`.trim();
      case 'found':
        return (
          `Center (${Private.fmt(c!.row)}, ${Private.fmt(c!.col)})` +
          (c!.engine ? `, score ${c!.engine.score.toFixed(3)}, ${Math.round(c!.engine.ms)} ms` : '')
        );
      case 'manual':
        return `Center (${Private.fmt(c!.row)}, ${Private.fmt(c!.col)}), set by hand`;
      case 'error':
        return this._error ?? 'Error';
      case 'cancelled':
        return 'Find center cancelled';
      default:
        return this._notice ?? '';
    }
  }

  private _draw(ctx: CanvasRenderingContext2D, info: DiffractionViewer.IOverlayInfo): void {
    const s = this._settings;
    const mask = this._mask;
    if (mask && this._showMask) {
      const composed = mask.compose();
      if (composed) {
        if (!this._maskLayer) {
          const [r, g, b] = Private.rgb(s.maskColor);
          this._maskLayer = maskLayer(composed, mask.height, mask.width, [r, g, b, Math.round(255 * s.maskOpacity)]);
        }
        drawMaskLayer(ctx, info, this._maskLayer);
      }
      drawShapes(ctx, info, mask.shapes, s.maskColor);
    }
    if (this._draft) {
      traceShape(ctx, info, this._draft);
      ctx.setLineDash([4, 3]);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = s.maskColor;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const c = this._center;
    if (c) {
      const radii = s.ringRadii.length ? s.ringRadii : defaultRingRadii(info.frame.height, info.frame.width);
      drawCrosshair(ctx, info, c.row, c.col, radii, s.crosshairColor);
    }
  }

  private _imagePoint(event: MouseEvent): { row: number; col: number; x: number; y: number } {
    const rect = this.viewer.stage.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    return { ...this.viewer.clientToImage(x, y), x, y };
  }

  /** Capture-phase pointer handling: tools and crosshair dragging take precedence over panning. */
  private _onPointer = (event: PointerEvent | MouseEvent): void => {
    if (!this.viewer.frame || !this._mask) {
      return;
    }
    const p = this._imagePoint(event);
    const consume = () => {
      event.stopPropagation();
      event.preventDefault();
    };
    const type = event.type;
    if (this._tool === 'none') {
      if (type === 'pointerdown' && (event as PointerEvent).button === 0 && this._nearCrosshair(p.x, p.y)) {
        this._dragging = true;
        this.viewer.stage.setPointerCapture?.((event as PointerEvent).pointerId);
        consume();
      } else if (type === 'pointermove' && this._dragging) {
        this.setManualCenter(p.row, p.col);
        consume();
      } else if (type === 'pointerup' && this._dragging) {
        this._dragging = false;
        this.setManualCenter(p.row, p.col);
        consume();
      }
      return;
    }
    if ((event as PointerEvent).button !== undefined && type === 'pointerdown' && (event as PointerEvent).button !== 0) {
      return;
    }
    consume();
    const mode = event.altKey ? 'include' : 'exclude';
    switch (this._tool) {
      case 'erase':
        if (type === 'pointerdown') {
          this._mask.eraseAt(p.row, p.col);
        }
        return;
      case 'rect':
      case 'circle':
        if (type === 'pointerdown') {
          this._anchor = p;
          this.viewer.stage.setPointerCapture?.((event as PointerEvent).pointerId);
        } else if (this._anchor && (type === 'pointermove' || type === 'pointerup')) {
          const a = this._anchor;
          const shape: MaskShape =
            this._tool === 'rect'
              ? { kind: 'rect', mode, r0: a.row, c0: a.col, r1: p.row, c1: p.col }
              : { kind: 'circle', mode, row: a.row, col: a.col, radius: Math.hypot(p.row - a.row, p.col - a.col) };
          if (type === 'pointerup') {
            this._anchor = null;
            this._draft = null;
            this._mask.addShape(shape);
          } else {
            this._draft = shape;
            this.viewer.requestOverlayRedraw();
          }
        }
        return;
      case 'polygon': {
        const draft = this._draft?.kind === 'polygon' ? this._draft : null;
        if (type === 'pointerdown') {
          if (draft && draft.points.length >= 3 && this._nearFirstVertex(draft, p.x, p.y)) {
            this._closePolygon();
          } else if (draft) {
            draft.points.splice(draft.points.length - 1, 0, [p.row, p.col]);
          } else {
            this._draft = { kind: 'polygon', mode, points: [[p.row, p.col], [p.row, p.col]] };
          }
        } else if (type === 'pointermove' && draft) {
          draft.points[draft.points.length - 1] = [p.row, p.col];
        } else if (type === 'dblclick' && draft) {
          this._closePolygon();
        }
        this.viewer.requestOverlayRedraw();
        return;
      }
    }
  };

  private _closePolygon(): void {
    const draft = this._draft;
    this._draft = null;
    if (draft?.kind === 'polygon') {
      // Drop the rubber-band vertex that follows the cursor.
      const points = draft.points.slice(0, -1);
      if (points.length >= 3) {
        this._mask!.addShape({ ...draft, points });
      }
    }
    this.viewer.requestOverlayRedraw();
  }

  private _onKey = (event: KeyboardEvent): void => {
    if (this._tool === 'none') {
      return;
    }
    if (event.key === 'Escape') {
      if (this._draft) {
        this._draft = null;
        this._anchor = null;
        this.viewer.requestOverlayRedraw();
      } else {
        this.setTool('none');
      }
      event.stopPropagation();
    } else if (event.key === 'Enter' && this._draft?.kind === 'polygon') {
      this._closePolygon();
      event.stopPropagation();
    }
  };

  private _nearCrosshair(x: number, y: number): boolean {
    const c = this._center;
    if (!c) {
      return false;
    }
    const p = this.viewer.imageToClient(c.row, c.col);
    return Math.hypot(p.x - x, p.y - y) <= 10;
  }

  private _nearFirstVertex(shape: MaskShape & { kind: 'polygon' }, x: number, y: number): boolean {
    const [r, c] = shape.points[0];
    const p = this.viewer.imageToClient(r, c);
    return Math.hypot(p.x - x, p.y - y) <= 8;
  }

  private _client = new CenterClient();
  private _bar: Private.IStatusBox;
  private _overlay: IDisposable;
  private _mask: MaskModel | null = null;
  private _maskLayer: HTMLCanvasElement | null = null;
  private _center: SessionCenter | null = null;
  private _state: CenterState = 'idle';
  private _error: string | null = null;
  private _tool: MaskTool = 'none';
  private _draft: MaskShape | null = null;
  private _anchor: { row: number; col: number } | null = null;
  private _dragging = false;
  private _showMask = true;
  private _siblingChecked = false;
  /** The engine's current stage while running. */
  private _stage = '';
  /** A message shown while idle (e.g. the sibling mask was loaded). */
  private _notice: string | null = null;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

namespace Private {
  export interface IStatusBox {
    node: HTMLDivElement;
    text: HTMLSpanElement;
    tool: HTMLSpanElement;
    progress: HTMLProgressElement;
    cancel: HTMLButtonElement;
  }

  /** The find-center status box in the stage's top-right corner. */
  export function statusBox(stage: HTMLElement): IStatusBox {
    const node = document.createElement('div');
    node.className = 'jp-Diffraction-centerStatus';
    node.setAttribute('role', 'status');
    node.setAttribute('aria-live', 'polite');
    // Clicks on the box must not start a pan or a mask shape on the stage below.
    node.addEventListener('pointerdown', event => event.stopPropagation());
    const text = document.createElement('span');
    text.className = 'jp-Diffraction-centerText';
    const tool = document.createElement('span');
    tool.className = 'jp-Diffraction-toolHint';
    const progress = document.createElement('progress');
    progress.className = 'jp-Diffraction-centerProgress';
    progress.max = 1;
    const cancel = document.createElement('button');
    cancel.className = 'jp-Diffraction-centerCancel jp-mod-styled jp-mod-reject';
    cancel.textContent = 'Cancel';
    node.append(text, progress, cancel, tool);
    stage.appendChild(node);
    return { node, text, tool, progress, cancel };
  }

  export function toolHint(tool: MaskTool): string {
    switch (tool) {
      case 'rect':
        return 'Drag to mask a rectangle (Alt: unmask). Esc: done.';
      case 'circle':
        return 'Drag from the center to mask a disk (Alt: unmask). Esc: done.';
      case 'polygon':
        return 'Click the vertices; double-click, Enter or click the first vertex to close (Alt: unmask). Esc: cancel.';
      case 'erase':
        return 'Click a drawn shape to remove it. Esc: done.';
      default:
        return '';
    }
  }

  export function fmt(v: number): string {
    return v.toFixed(2);
  }

  export function rgb(color: string): [number, number, number] {
    const m = /^#?([0-9a-f]{6})$/i.exec(color.trim());
    const v = m ? parseInt(m[1], 16) : 0xff3d7f;
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
}
