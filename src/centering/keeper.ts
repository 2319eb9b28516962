/**
 * Keeps an image's centering work across page reloads (issue 12, item 3): the centers of its
 * frames (found, or placed by hand, with the found one kept under the adjustment) and its mask
 * (the drawn shapes, the inversion, and the steps that made the base layer: a mask file, the
 * automatic masks) are saved in JupyterLab's state database (the workspace, like the layout
 * restorer's state) under the image's path, and brought back when the image is opened again.
 *
 * Never silently: what was restored is told; when the file changed on disk since its centers
 * were found (its modification time differs), the user is told that the centers and the mask
 * shown are those of the earlier file. The same is said when the file changes while open.
 */
import { Notification } from '@jupyterlab/apputils';
import type { Contents } from '@jupyterlab/services';
import type { IStateDB } from '@jupyterlab/statedb';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONValue } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { Debouncer } from '@lumino/polling';
import { Signal } from '@lumino/signaling';
import { readMaskFile } from '../masks/file-io.js';
import type { MaskSource } from '../masks/model.js';
import { maskToJSON } from '../masks/saved.js';
import { FrameCenters } from './frame-centers.js';
import { replaySteps } from './mask-steps.js';
import { CENTERING_STATE_PREFIX, savedCenteringFrom, type SavedCentering } from './saved-state.js';
import type { CenterSession } from './session.js';

/** Saves and restores the centering state of one session's image. */
export class CenteringKeeper implements IDisposable {
  constructor(
    private readonly _session: CenterSession,
    private readonly _state: IStateDB,
    private readonly _contents: Contents.IManager | null,
    private readonly _trans: TranslationBundle
  ) {
    const context = _session.viewer.context;
    this._path = context.path;
    const fetched = _state
      .fetch(CENTERING_STATE_PREFIX + this._path)
      .then(savedCenteringFrom)
      .catch(() => null);
    // A saved mask (even none) is what the user left: the sibling mask file is not loaded over it.
    _session.restoring = fetched.then(saved => saved !== null);
    this.ready = this._start(fetched);
  }

  /** Resolves when the saved state (if any) is restored and changes are being saved. */
  readonly ready: Promise<void>;

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    Signal.clearData(this);
    // Whatever is pending is saved now (a closed tab keeps its image's work).
    void this._save.invoke().then(() => this._save.dispose());
  }

  private async _start(fetched: Promise<SavedCentering | null>): Promise<void> {
    const session = this._session;
    const viewer = session.viewer;
    const saved = await fetched;
    await viewer.ready;
    if (this._disposed || session.isDisposed) {
      return;
    }
    this._saved = saved !== null;
    this._modified = saved?.modified ?? null;
    if (saved) {
      await this._restore(saved);
    }
    if (this._disposed || session.isDisposed) {
      return;
    }
    session.frameCenters.changed.connect(this._changed, this);
    session.editor.changed.connect(this._changed, this);
    viewer.context.fileChanged.connect(this._onFileChanged, this);
    viewer.context.pathChanged.connect(this._onPathChanged, this);
    viewer.disposed.connect(() => this.dispose());
  }

  /** Bring back the saved centers and mask, and say what came back and what did not. */
  private async _restore(saved: SavedCentering): Promise<void> {
    const session = this._session;
    const trans = this._trans;
    const name = this._path;
    const problems: string[] = [];
    const restored = FrameCenters.fromJSON(saved.frames);
    // A center found before the restore ended (a quick user) wins over the saved one.
    session.frameCenters.setMany(restored.entries().filter(([frame]) => !session.frameCenters.has(frame)));
    let shapes = -1;
    const mask = session.mask;
    const m = saved.mask;
    if (m && mask) {
      if (m.height !== mask.height || m.width !== mask.width) {
        problems.push(trans.__('the mask was made for %1 × %2 pixels, the image has %3 × %4', m.height, m.width, mask.height, mask.width));
      } else if (!mask.isEmpty) {
        problems.push(trans.__('the mask was edited before the saved one was read; the saved one was left out'));
      } else {
        let base: Uint8Array | null = null;
        let source: MaskSource = { kind: 'none', description: null };
        if (m.source.steps === null) {
          problems.push(trans.__('its base mask (%1) cannot be made again', m.source.description ?? m.source.kind));
        } else {
          try {
            ({ base, source } = await replaySteps(trans, m.source.steps, {
              readMask: path => {
                if (!this._contents) throw new Error(trans.__('No contents manager to read the mask with.'));
                return readMaskFile(this._contents, path, mask.height, mask.width);
              },
              readFrame: index => {
                const tiff = session.viewer.tiff;
                if (!tiff) throw new Error(trans.__('The image is not loaded.'));
                return tiff.readFrame(index);
              }
            }));
          } catch (error) {
            problems.push(trans.__('its base mask (%1) could not be made again: %2', m.source.description ?? '', (error as Error).message));
          }
        }
        if (this._disposed || session.isDisposed || session.mask !== mask || !mask.isEmpty) {
          return;
        }
        mask.load({ base, source, shapes: m.shapes, inverted: m.inverted });
        shapes = m.shapes.length;
      }
    }

    const centers = restored.size;
    if (centers || shapes >= 0) {
      const what = [
        ...(centers ? [trans._n('%1 center', '%1 centers', centers)] : []),
        ...(shapes >= 0 ? [trans._n('the mask (%1 drawn shape)', 'the mask (%1 drawn shapes)', shapes)] : [])
      ].join(trans.__(' and '));
      Notification.info(trans.__('Restored %1 of %2.', what, name), { autoClose: 4000 });
    }
    if (problems.length) {
      Notification.warning(trans.__('Not everything of %1 could be restored: %2.', name, problems.join('; ')), {
        autoClose: false
      });
    }
    this._checkFile(session.viewer.context.contentsModel?.last_modified ?? null);
  }

  /**
   * The file on disk has modification time `now`: when the results belong to another version
   * of it, say so (once: the results then count as seen with this version).
   */
  private _checkFile(now: string | null): void {
    const before = this._modified;
    if (!now || !before || now === before) {
      return;
    }
    this._modified = now;
    if (!this._hasResults()) {
      return;
    }
    Notification.warning(
      this._trans.__(
        '%1 changed on disk since its centers and mask were made (%2): they are shown as they were, for the earlier file. Run Find Center again to update them.',
        this._path,
        new Date(before).toLocaleString()
      ),
      { autoClose: false }
    );
    this._changed();
  }

  private _onFileChanged(_: unknown, model: Omit<Contents.IModel, 'content'>): void {
    this._checkFile(model.last_modified ?? null);
  }

  private _onPathChanged(_: unknown, path: string): void {
    const old = this._path;
    this._path = path;
    if (this._saved) {
      void this._state.remove(CENTERING_STATE_PREFIX + old).catch(() => undefined);
      this._saved = false;
    }
    this._changed();
  }

  private _hasResults(): boolean {
    return this._session.frameCenters.size > 0 || !(this._session.mask?.isEmpty ?? true);
  }

  private _changed(): void {
    void this._save.invoke();
  }

  /** Save what the session holds now (or forget the image when it holds nothing). */
  private async _write(): Promise<void> {
    const session = this._session;
    const key = CENTERING_STATE_PREFIX + this._path;
    if (!this._hasResults()) {
      if (this._saved) {
        this._saved = false;
        await this._state.remove(key).catch(() => undefined);
      }
      return;
    }
    this._modified ??= session.viewer.context.contentsModel?.last_modified ?? null;
    const value: SavedCentering = {
      version: 1,
      modified: this._modified,
      frames: session.frameCenters.toJSON(),
      mask: session.mask ? maskToJSON(session.mask) : null
    };
    this._saved = true;
    await this._state.save(key, value as unknown as ReadonlyPartialJSONValue).catch(() => undefined);
  }

  private _path: string;
  private _modified: string | null = null;
  private _saved = false;
  private _disposed = false;
  private _save = new Debouncer(() => this._write(), 300);
}
