/**
 * The center checks of the open viewers: one `CheckModel` per viewer (made when first needed,
 * disposed with the viewer), its check panel docked beside the viewer while the polar view or the
 * profile is shown, and the guide rings that follow the profile's peaks (setting
 * `ringsFollowPeaks`). The commands (commands.ts, export-commands.ts) act through this registry.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Signal, type ISignal } from '@lumino/signaling';
import type { CenterSessions, ICenterCommandsOptions } from '../centering/sessions.js';
import type { CenterSettings } from '../centering/settings.js';
import type { DiffractionDocument } from '../viewer/widget.js';
import { CheckCommandIDs } from './command-ids.js';
import { CheckModel } from './model.js';
import { CheckPanel } from './panel.js';

/** One viewer's check. */
interface CheckEntry {
  model: CheckModel;
  dock: MainAreaWidget<CheckPanel> | null;
}

export class CenterChecks {
  constructor(
    private readonly _options: ICenterCommandsOptions,
    private readonly _sessions: CenterSessions
  ) {
    _options.tracker.widgetAdded.connect((_, doc) => this._applyRings(doc));
  }

  /** Emitted when a panel opens or closes or shows other parts (for the commands' states). */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * The viewer a command acts on: `args.viewer` (a viewer's widget id, as the check panel's
   * buttons pass it), else the current widget when it is a viewer or a check panel.
   */
  target(args: ReadonlyPartialJSONObject = {}): DiffractionDocument | null {
    const { tracker, app } = this._options;
    if (typeof args.viewer === 'string') {
      return tracker.find(doc => doc.id === args.viewer) ?? null;
    }
    const current = app.shell.currentWidget;
    if (current && current === tracker.currentWidget) {
      return tracker.currentWidget;
    }
    for (const [doc, entry] of this._entries) {
      if (entry.dock && entry.dock === current) {
        return doc;
      }
    }
    return null;
  }

  /** The check of a viewer (made on first use); null while its find-center session is not there. */
  model(doc: DiffractionDocument): CheckModel | null {
    return this._entry(doc)?.model ?? null;
  }

  /** The viewer's panel, when it is open. */
  panel(doc: DiffractionDocument | null): CheckPanel | null {
    return (doc && this._entries.get(doc)?.dock?.content) ?? null;
  }

  /** Show these parts of the viewer's check panel: docked beside it, or closed when neither. */
  show(doc: DiffractionDocument, polar: boolean, profile: boolean): void {
    const entry = this._entry(doc);
    if (!entry) {
      return;
    }
    if (!polar && !profile) {
      entry.dock?.dispose();
      return;
    }
    if (!entry.dock) {
      entry.dock = this._openDock(doc, entry);
    }
    entry.dock.content.showParts(polar, profile);
    this._activate(entry);
    this._changed.emit();
  }

  /** New settings: the guide rings follow the peaks or not. */
  updateSettings(settings: CenterSettings): void {
    this._follow = settings.ringsFollowPeaks;
    this._options.tracker.forEach(doc => this._applyRings(doc));
    this._changed.emit();
  }

  /** Whether the guide rings follow the profile's peaks. */
  get ringsFollowPeaks(): boolean {
    return this._follow;
  }

  private _entry(doc: DiffractionDocument): CheckEntry | null {
    let entry = this._entries.get(doc);
    if (!entry) {
      const session = this._sessions.get(doc);
      if (!session) {
        return null;
      }
      const model = new CheckModel(doc.content, session, () => this._options.settings.current.center.autoMask);
      model.changed.connect(() => {
        if (this._follow) {
          doc.content.requestOverlayRedraw();
        }
      });
      entry = { model, dock: null };
      this._entries.set(doc, entry);
      doc.disposed.connect(() => {
        const e = this._entries.get(doc);
        this._entries.delete(doc);
        // The model first: closing the panel must not start a computation on a closed viewer.
        e?.model.dispose();
        e?.dock?.dispose();
      });
    }
    return entry;
  }

  /** The rings of one viewer's session follow its profile's peaks (or the settings again). */
  private _applyRings(doc: DiffractionDocument): void {
    const session = this._sessions.get(doc);
    if (!session) {
      return;
    }
    const entry = this._follow ? this._entry(doc) : (this._entries.get(doc) ?? null);
    session.ringSource = this._follow && entry ? () => entry.model.peakRadii() : null;
    if (entry) {
      this._activate(entry);
    }
  }

  /** Compute while the panel is open or the rings follow the peaks. */
  private _activate(entry: CheckEntry): void {
    entry.model.active = !!entry.dock || this._follow;
  }

  private _openDock(doc: DiffractionDocument, entry: CheckEntry): MainAreaWidget<CheckPanel> {
    const { app, trans } = this._options;
    const content = new CheckPanel(entry.model, trans);
    const dock = new MainAreaWidget({ content });
    dock.addClass('jp-Diffraction-checkDock');
    dock.id = `${content.id}-dock`;
    const name = PathExt.basename(doc.context.path);
    dock.title.label = trans.__('Check %1', name);
    dock.title.caption = trans.__('Polar view and radial profile of %1 about its center', doc.context.path);
    dock.title.closable = true;
    const args = { viewer: doc.id };
    for (const [name, id] of [
      ['polar', CheckCommandIDs.togglePolarView],
      ['profile', CheckCommandIDs.toggleProfile],
      ['rings', CheckCommandIDs.toggleRingsFollowPeaks],
      ['save', CheckCommandIDs.saveProfile],
      ['copy', CheckCommandIDs.copyProfile],
      ['insert', CheckCommandIDs.insertProfileCode]
    ] as const) {
      dock.toolbar.addItem(name, new CommandToolbarButton({ commands: app.commands, id, args }));
    }
    dock.disposed.connect(() => {
      if (entry.dock === dock) {
        entry.dock = null;
        this._activate(entry);
        this._changed.emit();
      }
    });
    // Beside the viewer, which stays the current widget (its commands and shortcuts still apply).
    app.shell.add(dock, 'main', { mode: 'split-right', ref: doc.id, activate: false });
    return dock;
  }

  private _entries = new Map<DiffractionDocument, CheckEntry>();
  private _follow = false;
  private _changed = new Signal<this, void>(this);
}
