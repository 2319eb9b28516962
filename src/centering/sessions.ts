/**
 * The find-center sessions of the open viewers (one per viewer, made with it, disposed with
 * it), and what the command files share: the current session, the settings, error reporting.
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { NotebookTarget } from '../notebook/index.js';
import type { IDiffractionTracker } from '../viewer/tokens.js';
import type { DiffractionDocument } from '../viewer/widget.js';
import { CenterSession } from './session.js';
import type { CenterSettings, ICenterSettingsStore } from './settings.js';

/** What the commands need from the plugin. */
export interface ICenterCommandsOptions {
  app: JupyterFrontEnd;
  tracker: IDiffractionTracker;
  trans: TranslationBundle;
  notebooks: NotebookTarget | null;
  docManager: IDocumentManager | null;
  settings: ICenterSettingsStore;
  /** Puts the drift panels back after a page reload (optional, as in JupyterLab's own plugins). */
  restorer?: ILayoutRestorer | null;
}

/** The sessions of open viewers, created with each viewer. */
export class CenterSessions {
  constructor(private readonly _options: ICenterCommandsOptions) {
    const { tracker } = _options;
    tracker.widgetAdded.connect((_, widget) => this._add(widget));
    tracker.forEach(widget => this._add(widget));
  }

  get(widget: DiffractionDocument | null): CenterSession | null {
    return widget ? (this._sessions.get(widget) ?? null) : null;
  }

  /** The session of the current widget of the shell when it is a diffraction viewer. */
  current(): CenterSession | null {
    const widget = this._options.tracker.currentWidget;
    return widget && widget === this._options.app.shell.currentWidget ? this.get(widget) : null;
  }

  /** Called with every session made from now on (and each existing one). */
  onSession(callback: (session: CenterSession) => void): void {
    this._callbacks.push(callback);
    this._sessions.forEach(callback);
  }

  /** Push new settings to every session. */
  updateSettings(settings: CenterSettings): void {
    this._sessions.forEach(session => (session.settings = settings));
  }

  private _add(widget: DiffractionDocument): void {
    if (this._sessions.has(widget)) {
      return;
    }
    const { app, trans, settings } = this._options;
    const session = new CenterSession(widget.content, app.serviceManager.contents, trans, settings.current.center);
    this._sessions.set(widget, session);
    widget.disposed.connect(() => {
      session.dispose();
      this._sessions.delete(widget);
    });
    this._callbacks.forEach(callback => callback(session));
  }

  private _sessions = new Map<DiffractionDocument, CenterSession>();
  private _callbacks: Array<(session: CenterSession) => void> = [];
}

/** A handler that shows an error in a dialog titled `title` (a cancelled run says nothing). */
export function reportError(title: string): (error: unknown) => void {
  return (error: unknown) => {
    if ((error as { code?: string })?.code === 'cancelled') {
      return;
    }
    void showErrorMessage(title, (error as Error)?.message ?? String(error));
  };
}

/** Command arguments: none. */
export const NO_ARGS = { args: { type: 'object', properties: {} } } as const;
