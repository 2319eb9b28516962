/**
 * The status line under the image: the pixel readout (row, col, value, and radius / azimuth
 * from the center) and what is known about the file (shape, type, the reader's notes).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { DisposableDelegate, type IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';
import { isValidPixel, type PixelValidity } from '../center/validity.js';
import type { ImageFileInfo, TiffInfo } from '../io/index.js';
import type { DiffractionImage } from '../io/image.js';
import { validityOf } from './contrast.js';
import type { ViewerModel } from './model.js';
import { type ImagePoint, pixelAt, polarFrom } from './view.js';

/** The pixel readout. */
export class Readout extends Widget {
  constructor(trans: TranslationBundle) {
    super();
    this.addClass('jp-Diffraction-readout');
    this._trans = trans;
    this.node.title = trans.__(
      '(row, col) of the pixel under the cursor (numpy order, pixel centers at integers) and its ' +
        'value. With a center: radius r in pixels and azimuth φ in degrees, measured from the +col ' +
        'axis (right) toward −row (up), i.e. counter-clockwise as displayed.'
    );
  }

  /**
   * Add notes to some pixels' readout: `provider(row, col)` gives the note of a pixel, or null
   * (e.g. "masked" for the pixels of a user's mask). Each note is shown once, in parentheses.
   */
  addNote(provider: Readout.NoteProvider): IDisposable {
    this._providers.push(provider);
    return new DisposableDelegate(() => {
      const i = this._providers.indexOf(provider);
      if (i >= 0) this._providers.splice(i, 1);
    });
  }

  /**
   * Show the pixel of `frame` under `pointer` (stage CSS pixels) in the model's view. `rule` is
   * the frame's validity rule (the one its painting used; default: worked out from the data).
   */
  follow(
    frame: DiffractionImage | null,
    model: Pick<ViewerModel, 'view' | 'maskNegative'>,
    pointer: { x: number; y: number } | null,
    center: ImagePoint | null,
    rule: PixelValidity | null = null
  ): void {
    const pixel = frame && pointer ? pixelAt(model.view, pointer.x, pointer.y, frame.height, frame.width) : null;
    if (!frame || !pixel) {
      this.showPixel(null, center);
      return;
    }
    const value = frame.data[pixel.row * frame.width + pixel.col];
    const valid = isValidPixel(value, rule ?? validityOf(frame.data, { maskNegative: model.maskNegative }));
    const notes: string[] = [];
    for (const provider of this._providers) {
      const note = provider(pixel.row, pixel.col);
      if (note) notes.push(note);
    }
    this.showPixel({ ...pixel, value, valid, sampleType: frame.sampleType, notes }, center);
  }

  /**
   * Show pixel (row, col) with its value, or (pixel null) the center alone. `valid` false adds
   * "(masked)"; `notes` are added in the same parentheses, each once.
   */
  showPixel(
    pixel: { row: number; col: number; value: number; valid: boolean; sampleType: string; notes?: string[] } | null,
    center: ImagePoint | null
  ): void {
    const d = this.node.dataset;
    if (!pixel) {
      this.node.textContent = center
        ? this._trans.__('center (%1, %2)', Private.formatCoord(center.row), Private.formatCoord(center.col))
        : '';
      delete d.row;
      delete d.col;
      delete d.value;
      return;
    }
    const { row, col, value } = pixel;
    let text = `(${row}, ${col}): ${Private.formatValue(value, pixel.sampleType)}`;
    const notes = new Set([...(pixel.valid ? [] : [this._trans.__('masked')]), ...(pixel.notes ?? [])]);
    if (notes.size) text += ` (${[...notes].join(', ')})`;
    if (center) {
      const { radius, azimuth } = polarFrom(center, row, col);
      text += `  r ${radius.toFixed(2)} px  φ ${azimuth.toFixed(1)}°`;
    }
    this.node.textContent = text;
    d.row = String(row);
    d.col = String(col);
    d.value = String(value);
  }

  private _trans: TranslationBundle;
  private _providers: Readout.NoteProvider[] = [];
}

export namespace Readout {
  /** The note of pixel (row, col) in the readout, or null for none. */
  export type NoteProvider = (row: number, col: number) => string | null;
}

/** Shape and type of the file, its details on hover, and the reader's notes. */
export class FileInfo extends Widget {
  constructor(trans: TranslationBundle) {
    super();
    this.addClass('jp-Diffraction-fileInfo');
    this._trans = trans;
    this._info = document.createElement('div');
    this._info.className = 'jp-Diffraction-info';
    this._notes = document.createElement('div');
    this._notes.className = 'jp-Diffraction-notes';
    this._notes.hidden = true;
    this.node.append(this._info, this._notes);
  }

  /** Describe a decoded file. */
  describe(info: ImageFileInfo & Partial<TiffInfo>): void {
    const trans = this._trans;
    const m = info.metadata;
    const q = (v: { value: number; unit: string }): string => `${Number(v.value.toPrecision(6))} ${v.unit}`;
    const endian =
      info.littleEndian === undefined ? '' : info.littleEndian ? trans.__('little-endian') : trans.__('big-endian');
    this._info.textContent =
      `${info.height} × ${info.width} ${info.sampleType}` +
      (info.frames > 1 ? trans.__(', %1 frames', info.frames) : '');
    // The rest of what a scientist wants to know about the file, on hover.
    this._info.title = [
      `${info.format.toUpperCase()}: ` +
        trans._n('%2 × %3 pixels (width × height), %1 frame', '%2 × %3 pixels (width × height), %1 frames', info.frames, info.width, info.height),
      ...(info.format === 'tiff'
        ? [
            trans._n(
              '%2 (%3-bit, %1 sample per pixel)',
              '%2 (%3-bit, %1 samples per pixel)',
              info.samplesPerPixel ?? 1,
              info.sampleType,
              info.bitsPerSample ?? 0
            ),
            trans.__('compression: %1', `${info.compression}${info.predictor ? ` + ${info.predictor} predictor` : ''}`),
            `${endian}${info.bigTiff ? ' BigTIFF' : ''}${info.tiled ? trans.__(', tiled') : ''}`
          ]
        : [`${info.sampleType}${endian ? `, ${endian}` : ''}`]),
      ...(info.dataset ? [trans.__('dataset: %1', info.dataset)] : []),
      ...(m.beamCenter
        ? [trans.__('header beam center (row, col): (%1, %2)', m.beamCenter.row.toFixed(2), m.beamCenter.col.toFixed(2))]
        : []),
      ...(m.pixelSize ? [trans.__('pixel size: %1 × %2', q(m.pixelSize.row), q(m.pixelSize.col))] : []),
      ...(m.detectorDistance ? [trans.__('detector distance: %1', q(m.detectorDistance))] : []),
      ...(m.cameraLength ? [trans.__('camera length: %1', q(m.cameraLength))] : []),
      ...(m.wavelength ? [trans.__('wavelength: %1', q(m.wavelength))] : []),
      ...(m.voltage ? [trans.__('voltage: %1', q(m.voltage))] : []),
      ...(info.software ? [trans.__('software: %1', info.software)] : []),
      ...(info.description ? [trans.__('description: %1', info.description.slice(0, 500))] : [])
    ].join('\n');
    // What the reader did to the data (e.g. RGB converted to luminance) must not go unseen.
    this._notes.hidden = info.notes.length === 0;
    this._notes.textContent = info.notes.length ? `⚠ ${info.notes.join('; ')}` : '';
  }

  /** The file could not be shown. */
  showError(name: string): void {
    this._info.textContent = this._trans.__('%1: not displayed', name);
    this._info.title = '';
    this._notes.hidden = true;
  }

  private _trans: TranslationBundle;
  private _info: HTMLDivElement;
  private _notes: HTMLDivElement;
}

namespace Private {
  export function formatValue(value: number, sampleType: string): string {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
    if (!sampleType.startsWith('float')) return String(value);
    const a = Math.abs(value);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return value.toExponential(4);
    return String(Number(value.toPrecision(6)));
  }

  export function formatCoord(v: number): string {
    return String(Number(v.toFixed(2)));
  }
}
