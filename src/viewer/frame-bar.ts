/**
 * The frame controls of a stack (previous / slider / next / index / total). They show the
 * model's frame and ask for another through `requested`; the viewer loads it.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { type ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

/** The frame bar (hidden for single images). */
export class FrameBar extends Widget {
  constructor(trans: TranslationBundle) {
    super();
    this.addClass('jp-Diffraction-frames');
    const node = this.node;
    const label = document.createElement('label');
    label.textContent = trans.__('Frame');
    label.title = trans.__('Frame index, 0-based as in numpy');
    node.appendChild(label);
    node.appendChild(this._button('‹', trans.__('Previous frame'), () => this._step(-1)));
    this._slider = document.createElement('input');
    this._slider.type = 'range';
    this._slider.className = 'jp-Diffraction-frameSlider';
    this._slider.min = '0';
    this._slider.step = '1';
    this._slider.setAttribute('aria-label', trans.__('Frame'));
    this._slider.addEventListener('input', () => this._requested.emit(Number(this._slider.value)));
    node.appendChild(this._slider);
    node.appendChild(this._button('›', trans.__('Next frame'), () => this._step(1)));
    this._spinner = document.createElement('input');
    this._spinner.type = 'number';
    this._spinner.className = 'jp-Diffraction-frameSpinner jp-mod-styled';
    this._spinner.min = '0';
    this._spinner.step = '1';
    this._spinner.setAttribute('aria-label', trans.__('Frame index'));
    this._spinner.addEventListener('change', () => this._requested.emit(Number(this._spinner.value)));
    node.appendChild(this._spinner);
    this._total = document.createElement('span');
    this._total.className = 'jp-Diffraction-frameTotal';
    node.appendChild(this._total);
    this._trans = trans;
    // Keys typed in the frame inputs must not reach the viewer's shortcuts.
    for (const input of [this._slider, this._spinner]) {
      input.addEventListener('keydown', event => event.stopPropagation());
    }
    this.hide();
  }

  /** Emitted with the frame index the user asks for (not clamped; the viewer clamps). */
  get requested(): ISignal<this, number> {
    return this._requested;
  }

  /** Show frame `index` of `count` (the bar is hidden for fewer than two frames). */
  showFrame(index: number, count: number): void {
    const last = Math.max(0, count - 1);
    this._slider.max = String(last);
    this._spinner.max = String(last);
    this._slider.value = String(index);
    this._spinner.value = String(index);
    this._total.textContent = this._trans.__('of %1', count);
    this._index = index;
    this._count = count;
    this.setHidden(count <= 1);
  }

  private _step(delta: number): void {
    if (this._count > 1) {
      this._requested.emit((((this._index + delta) % this._count) + this._count) % this._count);
    }
  }

  private _button(text: string, title: string, onClick: () => void): HTMLButtonElement {
    const button = document.createElement('button');
    button.className = 'jp-Diffraction-frameButton jp-mod-styled';
    button.textContent = text;
    button.title = title;
    button.setAttribute('aria-label', title);
    button.addEventListener('click', onClick);
    return button;
  }

  private _trans: TranslationBundle;
  private _slider: HTMLInputElement;
  private _spinner: HTMLInputElement;
  private _total: HTMLSpanElement;
  private _index = 0;
  private _count = 0;
  private _requested = new Signal<this, number>(this);
}
