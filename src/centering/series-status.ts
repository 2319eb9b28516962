/**
 * The status of Find Centers of All Frames, in the viewer's status bar (below the image, never
 * over it): frames done of all, frames per second, time left, the Workers used, a progress bar
 * and Cancel while it runs; a cancel or a failure once it ends (a run that ends well is told by
 * a notification and the drift panel, and the status hides).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Signal, type ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { formatDuration } from '../series/index.js';
import type { ISeriesProgressView } from './series-session.js';

export class SeriesStatus extends Widget {
  constructor(private readonly _trans: TranslationBundle) {
    super();
    this.addClass('jp-Diffraction-seriesStatus');
    this.node.setAttribute('role', 'status');
    this._text.className = 'jp-Diffraction-seriesText';
    this._bar.className = 'jp-Diffraction-seriesProgress';
    this._cancel.className = 'jp-Diffraction-seriesCancel jp-mod-styled jp-mod-reject';
    this._cancel.textContent = _trans.__('Cancel');
    this._cancel.title = _trans.__('Stop Find Centers of All Frames (the centers found so far are kept)');
    this._cancel.addEventListener('click', () => this._cancelRequested.emit());
    this.node.append(this._text, this._bar, this._cancel);
    this.hide();
  }

  /** Emitted when the user presses Cancel. */
  get cancelRequested(): ISignal<this, void> {
    return this._cancelRequested;
  }

  render(view: ISeriesProgressView): void {
    const trans = this._trans;
    const running = view.state === 'running';
    this.node.dataset.state = view.state;
    this.node.dataset.done = String(view.done);
    this.node.dataset.total = String(view.total);
    const rate = view.rate === null ? '' : trans.__('%1 frames/s', view.rate.toFixed(view.rate < 10 ? 1 : 0));
    let text: string;
    switch (view.state) {
      case 'running': {
        const eta = view.eta === null ? '' : trans.__('%1 left', formatDuration(view.eta));
        text = [trans.__('Centers of all frames: %1 of %2', view.done, view.total), rate, eta].filter(Boolean).join(', ');
        break;
      }
      case 'done':
        // Said by the notification and the drift panel: the crowded status bar is left free.
        text = '';
        break;
      case 'cancelled':
        text = trans.__('Centers of all frames cancelled after %1 of %2 frames', view.done, view.total);
        break;
      case 'error':
        text = trans.__('Centers of all frames failed: %1', view.message);
        break;
      default:
        text = '';
    }
    this._text.textContent = text;
    this._text.title = running ? trans.__('%1 Web Workers', view.workers) : text;
    this._bar.hidden = !running;
    this._bar.max = Math.max(1, view.total);
    this._bar.value = view.done;
    this._cancel.hidden = !running;
    this.setHidden(!text);
  }

  private _text = document.createElement('span');
  private _bar = document.createElement('progress');
  private _cancel = document.createElement('button');
  private _cancelRequested = new Signal<this, void>(this);
}
