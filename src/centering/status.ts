/**
 * The find-center status as a Lumino widget: what the session is doing or found (with the score
 * explained on hover), the run's progress and its Cancel button, and the active mask tool's hint.
 * One line: long texts are cut with an ellipsis and shown whole on hover, never over the image.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import { Signal, type ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { formatSigma } from '../notebook/code.js';
import type { DiffractionViewer } from '../viewer/widget.js';
import type { CenterState } from './state.js';

/** What the status shows. */
export interface ICenterStatusView {
  state: CenterState;
  /** The main text ('' for none). */
  text: string;
  /** Shown on hover of the text (e.g. the engine's warnings). */
  details: string;
  /** The engine's score of a found center, or null. */
  score: number | null;
  /** The engine's uncertainty (row, col) of a found center in pixels, or null. */
  sigma: [number, number] | null;
  /** The engine's time (ms) of a found center, or null. */
  ms: number | null;
  /** The run's progress (0…1) while running. */
  progress: number;
  /** The active mask tool's hint ('' for none). */
  hint: string;
}

export class CenterStatus extends Widget {
  constructor(private readonly _trans: TranslationBundle) {
    super();
    this.addClass('jp-Diffraction-centerStatus');
    this.node.setAttribute('role', 'status');
    this.node.setAttribute('aria-live', 'polite');
    this._text.className = 'jp-Diffraction-centerText';
    this._score.className = 'jp-Diffraction-centerScore';
    this._score.title = _trans.__(
      'Score: how well the pattern matches itself turned 180° about this center (the peak normalized ' +
        'cross-correlation of the masked pattern with its inversion; 1 = perfectly point-symmetric). ' +
        'It compares centers of one image, not images: rings on a strong background or a beam stop ' +
        'score lower even when the center is right. A low score (below 0.2 the engine warns) means ' +
        'little symmetry was found: check that the guide rings follow the rings, and mask the beam ' +
        'stop, the detector gaps and bad pixels before trusting the center.'
    );
    this._sigma.className = 'jp-Diffraction-centerSigma';
    this._sigma.title = _trans.__(
      'σ (row, col): the standard uncertainty of the center in pixels, from the shape of the ' +
        'correlation peak and how far the pattern is from point-symmetric about it (noise, uneven ' +
        'background). Calibrated on generated patterns of known center: the true center lies ' +
        'within 3σ on both axes in at least 95 % of cases. It does not cover a wrong mask or a ' +
        'pattern that is not centrosymmetric: check the polar view and the radial profile.'
    );
    this._progress.className = 'jp-Diffraction-centerProgress';
    this._progress.max = 1;
    this._cancel.className = 'jp-Diffraction-centerCancel jp-mod-styled jp-mod-reject';
    this._cancel.textContent = _trans.__('Cancel');
    this._cancel.addEventListener('click', () => this._cancelRequested.emit());
    this._hint.className = 'jp-Diffraction-toolHint';
    this.node.append(this._text, this._sigma, this._score, this._progress, this._cancel, this._hint);
    this.render({ state: 'idle', text: '', details: '', score: null, sigma: null, ms: null, progress: 0, hint: '' });
  }

  /** Emitted when the user presses Cancel. */
  get cancelRequested(): ISignal<this, void> {
    return this._cancelRequested;
  }

  /** Show a view of the session. */
  render(view: ICenterStatusView): void {
    const running = view.state === 'running';
    this.node.dataset.state = view.state;
    this._text.textContent = view.text;
    this._text.title = view.details || view.text;
    this._score.hidden = view.score === null;
    this._score.textContent =
      view.score === null
        ? ''
        : view.ms === null
          ? this._trans.__('score %1', view.score.toFixed(3))
          : this._trans.__('score %1, %2 ms', view.score.toFixed(3), Math.round(view.ms));
    this._sigma.hidden = view.sigma === null;
    this._sigma.textContent = view.sigma
      ? this._trans.__('σ (%1, %2) px', formatSigma(view.sigma[0]), formatSigma(view.sigma[1]))
      : '';
    this._progress.hidden = !running;
    this._progress.value = view.progress;
    this._cancel.hidden = !running;
    this._hint.textContent = view.hint;
    this._hint.title = view.hint;
    this.setHidden(!view.text && !view.hint && !running);
  }

  private _text = document.createElement('span');
  private _score = document.createElement('span');
  private _sigma = document.createElement('span');
  private _progress = document.createElement('progress');
  private _cancel = document.createElement('button');
  private _hint = document.createElement('span');
  private _cancelRequested = new Signal<this, void>(this);
}

/**
 * Show the status in the viewer's status area (in its status bar, below the image, never over it).
 * The one place that places it.
 */
export function attachCenterStatus(viewer: DiffractionViewer, status: CenterStatus): IDisposable {
  return viewer.addStatusWidget(status);
}
