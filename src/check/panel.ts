/**
 * The center check panel of one viewer, docked beside it: the polar view and the radial profile
 * (each shown or hidden by its command), the statistic (mean or median per bin), a log value
 * axis, and a line saying what was computed about which center.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import type { CheckModel } from './model.js';
import { PolarView } from './polar-view.js';
import { ProfilePlot } from './profile-plot.js';

export class CheckPanel extends Panel {
  constructor(
    readonly model: CheckModel,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-Diffraction-checkPanel');
    this.id = `jp-Diffraction-check-${++Private.count.panels}`;
    this._polar = new PolarView(_trans);
    this._profile = new ProfilePlot(_trans);
    this.addWidget(this._controls());
    this.addWidget(this._polar);
    this.addWidget(this._profile);
    this._note.addClass('jp-Diffraction-checkNote');
    this.addWidget(this._note);
    model.changed.connect(this._render, this);
    model.viewer.displayChanged.connect(this._render, this);
    this._render();
  }

  /** Whether the polar view is shown. */
  get polarShown(): boolean {
    return !this._polar.isHidden;
  }

  /** Whether the radial profile is shown. */
  get profileShown(): boolean {
    return !this._profile.isHidden;
  }

  /** Show or hide the two parts; the polar transform is computed only while it is shown. */
  showParts(polar: boolean, profile: boolean): void {
    this._polar.setHidden(!polar);
    this._profile.setHidden(!profile);
    this.model.polar = polar;
    this._render();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.changed.disconnect(this._render, this);
    this.model.viewer.displayChanged.disconnect(this._render, this);
    super.dispose();
  }

  private _controls(): Widget {
    const trans = this._trans;
    const row = new Widget();
    row.addClass('jp-Diffraction-checkControls');
    const label = document.createElement('label');
    label.textContent = trans.__('Per radius bin');
    const select = document.createElement('select');
    select.className = 'jp-Diffraction-checkStatistic';
    for (const [value, text] of [
      ['mean', trans.__('mean')],
      ['median', trans.__('median')]
    ]) {
      select.append(new Option(text, value));
    }
    select.value = this.model.statistic;
    select.addEventListener('change', () => (this.model.statistic = select.value === 'median' ? 'median' : 'mean'));
    label.append(select);
    const log = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'jp-Diffraction-checkLog';
    box.addEventListener('change', () => (this._profile.logScale = box.checked));
    log.append(box, trans.__('log values'));
    row.node.append(label, log);
    return row;
  }

  private _render(): void {
    const model = this.model;
    const result = model.result;
    this._polar.render(result, model.viewer.display);
    this._profile.render(result);
    const trans = this._trans;
    let text: string;
    if (result) {
      text = trans.__(
        'About (%1, %2): %3 bins of %4 px, %5 peaks, %6 ms in the Worker.',
        result.center.row.toFixed(2),
        result.center.col.toFixed(2),
        result.radius.length,
        result.binWidth,
        result.peaks.length,
        Math.round(result.ms)
      );
    } else if (model.message === 'no-center') {
      text = trans.__('No center yet: run Find Center (the check follows the center and the crosshair).');
    } else if (model.message === 'no-frame') {
      text = trans.__('The image is not loaded yet.');
    } else {
      text = model.message;
    }
    this._note.node.textContent = text;
    this.node.dataset.state = result ? 'ready' : model.message ? 'empty' : 'computing';
  }

  private _polar: PolarView;
  private _profile: ProfilePlot;
  private _note = new Widget();
}

namespace Private {
  /** Panels made so far (their ids). */
  export const count = { panels: 0 };
}
