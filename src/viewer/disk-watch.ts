/**
 * Notice when an open file changes on disk and reload it: a `Poll` (from @lumino/polling) asks
 * the contents manager for the file's modification time every `interval` seconds while the
 * viewer is visible, and reverts the document context when the time differs from the one the
 * context knows (the viewer re-renders on the content change).
 */
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import type { Contents } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';

/** Polls one document's file on disk. */
export class DiskWatch implements IDisposable {
  constructor(options: DiskWatch.IOptions) {
    this._context = options.context;
    this._contents = options.contents;
    this._isVisible = options.isVisible;
    this.interval = options.interval;
  }

  /** Seconds between checks (0: never). */
  get interval(): number {
    return this._interval;
  }
  set interval(seconds: number) {
    const value = seconds > 0 && Number.isFinite(seconds) ? seconds : 0;
    if (value === this._interval && (this._poll !== null) === value > 0) return;
    this._interval = value;
    this._poll?.dispose();
    this._poll = null;
    if (value > 0 && !this._isDisposed) {
      this._poll = new Poll({
        name: `jupyterlab-diffraction:disk-watch:${this._context.path}`,
        factory: () => this.check(),
        frequency: { interval: value * 1000, backoff: false },
        // Not while the browser tab is hidden; the check itself skips hidden viewers.
        standby: 'when-hidden'
      });
    }
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this._poll?.dispose();
    this._poll = null;
  }

  /** Reload when the file on disk is newer than what the context holds. */
  async check(): Promise<void> {
    const context = this._context;
    if (this._isDisposed || !this._isVisible() || context.isDisposed || !context.isReady) return;
    try {
      const known = context.contentsModel?.last_modified;
      const model = await this._contents.get(context.path, { content: false });
      if (known && model.last_modified && model.last_modified !== known && !this._isDisposed) {
        await context.revert();
      }
    } catch {
      // The file may be gone or renamed; the document manager reports that itself.
    }
  }

  private _context: DocumentRegistry.Context;
  private _contents: Contents.IManager;
  private _isVisible: () => boolean;
  private _interval = 0;
  private _poll: Poll | null = null;
  private _isDisposed = false;
}

export namespace DiskWatch {
  export interface IOptions {
    context: DocumentRegistry.Context;
    contents: Contents.IManager;
    /** Whether the viewer is visible (hidden viewers are not refreshed). */
    isVisible: () => boolean;
    /** Seconds between checks (0: never). */
    interval: number;
  }
}
