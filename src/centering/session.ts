/**
 * Find center on one open viewer: runs the engine in the Worker on the current frame and mask,
 * keeps the center of each frame (found, or placed by hand by dragging the crosshair) in its
 * per-frame store (`frameCenters`), shows the current frame's (crosshair, status; another
 * frame's, said plainly, when it has none) and describes it for the notebook. The mask and its
 * tools are the `MaskEditor`'s; `CenteringKeeper` keeps both across reloads.
 */
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal, type ISignal } from '@lumino/signaling';
import { maskPathFor } from '../io/index.js';
import { MaskEditor } from '../masks/editor.js';
import { findSiblingMask, readMaskFile, saveMaskFile } from '../masks/file-io.js';
import type { MaskModel } from '../masks/model.js';
import type { MaskToolName } from '../masks/tools/index.js';
import type { CenterEntry } from '../notebook/metadata.js';
import type { DiffractionViewer } from '../viewer/widget.js';
import { CenterClient, CenterWorkerError } from '../worker/center-client.js';
import type { CenterRequestOptions } from '../worker/center-protocol.js';
import { CrosshairDrag } from './crosshair.js';
import { FrameCenters } from './frame-centers.js';
import { applyAutoStep, fileSource } from './mask-steps.js';
import { defaultRingRadii, drawCrosshair } from './overlay.js';
import { DEFAULT_CENTER_SETTINGS, engineOptions, type CenterSettings } from './settings.js';
import {
  CenterStateMachine,
  foundRecord,
  placedRecord,
  resetRecord,
  sessionCenter,
  type CenterState,
  type SessionCenter
} from './state.js';
import { attachCenterStatus, CenterStatus } from './status.js';

export type { CenterState, SessionCenter } from './state.js';

export class CenterSession implements IDisposable {
  constructor(
    readonly viewer: DiffractionViewer,
    private readonly _contents: Contents.IManager | null,
    private readonly _trans: TranslationBundle,
    private _settings: CenterSettings = DEFAULT_CENTER_SETTINGS
  ) {
    this._editor = new MaskEditor(viewer, _trans, Private.maskStyle(_settings));
    this._editor.changed.connect(this._onMaskEdited, this);
    this._editor.maskCreated.connect(this._onMaskCreated, this);
    this._status = new CenterStatus(_trans);
    this._status.cancelRequested.connect(() => this.cancel());
    this._statusAttachment = attachCenterStatus(viewer, this._status);
    this._machine.changed.connect(this._emit, this);
    this.frameCenters.changed.connect(this._showFrameCenter, this);
    viewer.frameChanged.connect(this._onFrameChanged, this);
    this._overlay = viewer.addOverlay((ctx, info) => this._drawCrosshair(ctx, info));
    this._drag = viewer.addInputHandler(
      new CrosshairDrag(viewer, () => this.center, (row, col) => this.setManualCenter(row, col))
    );
    this._render();
  }

  /**
   * The centers of this image, one per frame (Find Center, a hand-placed center, Find Centers
   * of All Frames fill it); the crosshair and the status show the current frame's.
   */
  readonly frameCenters = new FrameCenters();

  /**
   * The restore of this image's saved state (`CenteringKeeper`): resolves true when a saved
   * state was found; its mask (even none) is then what the user left, and the sibling mask file
   * is not loaded over it.
   */
  restoring: Promise<boolean> = Promise.resolve(false);

  /** Emitted when the center, the mask, the tool or the state change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get state(): CenterState {
    return this._machine.state;
  }
  get error(): string | null {
    return this._machine.error;
  }
  get center(): SessionCenter | null {
    return this._machine.center;
  }
  /** The mask and its tools. */
  get editor(): MaskEditor {
    return this._editor;
  }
  get mask(): MaskModel | null {
    return this._editor.mask;
  }
  get tool(): MaskToolName | 'none' {
    return this._editor.tool;
  }
  get isDisposed(): boolean {
    return this._disposed;
  }
  /** Whether the Worker is running. */
  get busy(): boolean {
    return this._client.busy;
  }

  /**
   * Where the guide rings' radii come from instead of the settings (the radial profile's peaks
   * when the rings follow the data); null: the settings. An empty list draws no ring.
   */
  set ringSource(source: (() => number[]) | null) {
    this._ringSource = source;
    this.viewer.requestOverlayRedraw();
  }

  /** New settings: redraw with them; they apply to the next run. */
  set settings(value: CenterSettings) {
    this._settings = value;
    this._editor.style = Private.maskStyle(value);
    this.viewer.requestOverlayRedraw();
  }

  /** Run the engine on the current frame and mask in the Worker. */
  async findCenter(): Promise<SessionCenter> {
    await this.viewer.ready;
    const frame = this.viewer.frame;
    if (!frame) {
      throw this._fail(this._trans.__('%1 has no decoded image to find the center of.', this.viewer.context.path));
    }
    const mask = this.mask?.compose() ?? null;
    const maskDescription = this.mask?.describe() ?? null;
    const frameIndex = this.viewer.frameIndex;
    const options: CenterRequestOptions = engineOptions(this._settings);
    this._stage = '';
    this._progress = 0;
    this._machine.start();
    try {
      const result = await this._client.run(frame, mask, options, (stage, fraction) => {
        this._stage = stage;
        this._progress = fraction;
        this._render();
      });
      this._kernel = result.kernel ?? null;
      this.frameCenters.set(frameIndex, foundRecord(result, options, maskDescription));
      this._machine.finished();
      return sessionCenter(frameIndex, this.frameCenters.get(frameIndex)!);
    } catch (error) {
      if (error instanceof CenterWorkerError && error.code === 'cancelled') {
        this._machine.cancelled();
        throw error;
      }
      throw this._fail((error as Error).message);
    }
  }

  /** Stop a running search; the previous center (if any) stays. */
  cancel(): void {
    if (this._client.busy) {
      this._client.cancel();
    }
  }

  /** Go back to the found center after a manual adjustment (of the center shown). */
  resetCenter(): void {
    const frame = this.center?.frame;
    const record = frame === undefined ? null : resetRecord(this.frameCenters.get(frame));
    if (record) {
      this.frameCenters.set(frame!, record);
    }
  }

  /** Place the center of the current frame by hand (also used by dragging the crosshair). */
  setManualCenter(row: number, col: number): void {
    const frame = this.viewer.frameIndex;
    this._machine.settle();
    this.frameCenters.set(
      frame,
      placedRecord(this.frameCenters.get(frame), row, col, { options: {}, mask: this.mask?.describe() ?? null })
    );
  }

  /** The notebook entry for the current center. */
  entry(version: string, now = new Date()): CenterEntry | null {
    const c = this.center;
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
      sigma: c.method === 'autocenter' ? Private.sigmaOf(c.engine) : null,
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
      throw this._fail(this._trans.__('No contents manager to read the mask with.'));
    }
    try {
      const data = await readMaskFile(this._contents, path, mask.height, mask.width);
      mask.setBase(data, fileSource(path));
    } catch (error) {
      throw this._fail(this._trans.__('Cannot use the mask: %1', (error as Error).message));
    }
  }

  /** The path "Save Mask" proposes: `NAME_mask.tif` beside the image. */
  get defaultMaskPath(): string {
    return maskPathFor(this.viewer.context.path);
  }

  /** Save the effective mask at `path` (asking before overwriting is the caller's); returns it. */
  async saveMask(path = this.defaultMaskPath): Promise<string> {
    const mask = this._requireMask();
    const data = mask.compose();
    if (!data) {
      throw this._fail(this._trans.__('There is no mask to save: nothing is masked.'));
    }
    if (!this._contents) {
      throw this._fail(this._trans.__('No contents manager to save the mask with.'));
    }
    await saveMaskFile(this._contents, path, data, mask.height, mask.width);
    // The saved file is now the base layer: drawn shapes are part of it.
    mask.replace(data, fileSource(path));
    return path;
  }

  /**
   * Mask invalid pixels and, unless `invalidOnly`, the dark rule (threshold × median) and hot
   * pixels, on top of the current base layer. Returns how many pixels the mask now masks.
   */
  applyAutoMask(invalidOnly = false): { masked: number; total: number } {
    const mask = this._requireMask();
    const step = {
      kind: 'auto',
      invalidOnly,
      threshold: this._settings.autoMaskThreshold,
      frame: this.viewer.frameIndex
    } as const;
    const { base, source } = applyAutoStep(this._trans, this.viewer.frame!, step, mask.base, mask.source);
    mask.setBase(base, source);
    const effective = mask.compose();
    let masked = 0;
    if (effective) {
      for (let i = 0; i < effective.length; i++) {
        masked += effective[i] ? 0 : 1;
      }
    }
    return { masked, total: mask.height * mask.width };
  }

  invertMask(): void {
    this._requireMask().invert();
  }

  clearMask(): void {
    this._requireMask().reset();
  }

  toggleMaskOverlay(): void {
    this._editor.toggleOverlay();
  }

  setTool(tool: MaskToolName | 'none'): void {
    this._editor.setTool(tool);
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.viewer.frameChanged.disconnect(this._onFrameChanged, this);
    this._client.dispose();
    this._overlay.dispose();
    this._drag.dispose();
    this._editor.dispose();
    this._statusAttachment.dispose();
    this._status.dispose();
    Signal.clearData(this);
  }

  // ------------------------------------------------------------------ internals

  private _requireMask(): MaskModel {
    const mask = this.mask;
    if (!mask) {
      throw this._fail(this._trans.__('The image is not loaded yet.'));
    }
    return mask;
  }

  private _fail(message: string): Error {
    this._machine.fail(message);
    return new Error(message);
  }

  /** Show the current frame's center, or the nearest frame's in its stead (null: none). */
  private _showFrameCenter(): void {
    const shown = this.frameCenters.nearest(this.viewer.frameIndex);
    const center = shown ? sessionCenter(shown.frame, shown.center) : null;
    this._machine.show(center);
    this.viewer.center = center ? { row: center.row, col: center.col } : null;
  }

  /** Another frame is shown (a new action: an old error is dismissed). */
  private _onFrameChanged(): void {
    this._machine.settle();
    this._showFrameCenter();
  }

  /** A mask edit or a tool change is a new action: an old error is dismissed. */
  private _onMaskEdited(): void {
    this._machine.settle();
    this._emit();
  }

  /** The first mask of the viewer: look for a sibling mask file. */
  private _onMaskCreated(): void {
    if (this._settings.loadSiblingMask && this._contents && !this._siblingChecked) {
      this._siblingChecked = true;
      void this._loadSibling();
    }
  }

  private async _loadSibling(): Promise<void> {
    const [path, restored] = await Promise.all([
      findSiblingMask(this._contents!, this.viewer.context.path),
      this.restoring
    ]);
    if (path && !restored && this.mask && this.mask.base === null) {
      try {
        await this.loadMask(path);
        this._notice = this._trans.__('Mask %1 loaded', path);
        this._render();
      } catch {
        // loadMask already shows the error in the status.
      }
    }
  }

  private _emit(): void {
    this._render();
    this.viewer.requestOverlayRedraw();
    this._changed.emit();
  }

  /** The viewer's data attributes (for styles and tests) and the status. */
  private _render(): void {
    const node = this.viewer.node;
    const c = this.center;
    const set = (key: string, value: string | null) => {
      if (value === null) {
        delete node.dataset[key];
      } else {
        node.dataset[key] = value;
      }
    };
    set('centerState', this.state);
    set('centerRow', c ? String(c.row) : null);
    set('centerCol', c ? String(c.col) : null);
    set('centerMethod', c ? c.method : null);
    set('centerScore', c?.engine ? String(c.engine.score) : null);
    const sigma = Private.sigmaOf(c?.engine);
    set('centerSigma', sigma ? sigma.join(' ') : null);
    set('centerFrame', c ? String(c.frame) : null);
    // Where this viewer's last engine run did its heavy passes (WebAssembly or JavaScript).
    set('engineKernel', this._kernel);
    set('mask', this.mask?.describe() ?? null);
    set('maskTool', this.tool === 'none' ? null : this.tool);
    const found = this.state === 'found' && c?.engine ? c.engine : null;
    this._status.render({
      state: this.state,
      text: this._statusText(),
      details: found?.warnings.join('\n') ?? '',
      score: found?.score ?? null,
      sigma: Private.sigmaOf(found),
      ms: found?.ms ?? null,
      progress: this._progress,
      hint: this._editor.hint
    });
  }

  /** The status text for the current state. */
  private _statusText(): string {
    const c = this.center;
    const trans = this._trans;
    switch (this.state) {
      case 'running':
        return `${trans.__('Finding center…')} ${this._stage}`.trim();
      case 'found':
      case 'manual':
        return Private.centerText(trans, c!, this.viewer.frameIndex, this.viewer.frameCount);
      case 'error':
        return this.error ?? trans.__('Error');
      case 'cancelled':
        return trans.__('Find center cancelled');
      default:
        return this._notice ?? '';
    }
  }

  private _drawCrosshair(ctx: CanvasRenderingContext2D, info: DiffractionViewer.IOverlayInfo): void {
    const c = this.center;
    if (c) {
      const s = this._settings;
      const radii =
        this._ringSource?.() ??
        (s.ringRadii.length ? s.ringRadii : defaultRingRadii(info.frame.height, info.frame.width));
      drawCrosshair(ctx, info, c.row, c.col, radii, s.crosshairColor);
    }
  }

  private _client = new CenterClient();
  private _machine = new CenterStateMachine();
  private _editor: MaskEditor;
  private _status: CenterStatus;
  private _statusAttachment: IDisposable;
  private _overlay: IDisposable;
  private _drag: IDisposable;
  private _siblingChecked = false;
  private _ringSource: (() => number[]) | null = null;
  /** The engine's current stage and progress while running. */
  private _stage = '';
  private _kernel: string | null = null;
  private _progress = 0;
  /** A message shown while idle (e.g. the sibling mask was loaded). */
  private _notice: string | null = null;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

namespace Private {
  export function fmt(v: number): string {
    return v.toFixed(2);
  }

  /** The engine's sigma (row, col) when it has a finite one. */
  export function sigmaOf(engine: { sigma?: [number, number] } | null | undefined): [number, number] | null {
    const s = engine?.sigma;
    return s && Number.isFinite(s[0]) && Number.isFinite(s[1]) ? [s[0], s[1]] : null;
  }

  /**
   * The status of a center: on a stack, which frame's it is, and plainly when the frame shown
   * has none of its own (the crosshair then shows the nearest frame's).
   */
  export function centerText(trans: TranslationBundle, c: SessionCenter, shown: number, frames: number): string {
    const row = fmt(c.row);
    const col = fmt(c.col);
    const manual = c.method === 'manual';
    if (c.frame !== shown) {
      return manual
        ? trans.__('Center of frame %1 (%2, %3), set by hand: frame %4 has no center of its own', c.frame, row, col, shown)
        : trans.__('Center of frame %1 (%2, %3): frame %4 has no center of its own', c.frame, row, col, shown);
    }
    if (frames > 1) {
      return manual
        ? trans.__('Center of frame %1 (%2, %3), set by hand', c.frame, row, col)
        : trans.__('Center of frame %1 (%2, %3)', c.frame, row, col);
    }
    return manual ? trans.__('Center (%1, %2), set by hand', row, col) : trans.__('Center (%1, %2)', row, col);
  }

  export function maskStyle(s: CenterSettings): { color: string; opacity: number } {
    return { color: s.maskColor, opacity: s.maskOpacity };
  }
}
