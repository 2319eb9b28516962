/**
 * @jest-environment jsdom
 */
/**
 * The viewer's Lumino widgets in jsdom, in the style of @jupyterlab/imageviewer's tests: the
 * frame bar, the readout, the file info and the contrast panel, each driven the way the
 * viewer drives it, their user-visible strings through the translator.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget as WidgetType } from '@lumino/widgets';

// jsdom has no DragEvent, which @lumino/dragdrop (under @lumino/widgets) extends when it loads;
// @jupyterlab/testing's jest setup adds the same stand-in. Hence the imports after it.
(globalThis as any).DragEvent ??= class DragEvent extends MouseEvent {};
const { Signal } = await import('@lumino/signaling');
const { Widget } = await import('@lumino/widgets');
const { ContrastPanel } = await import('../../src/viewer/contrast-panel.js');
const { FrameBar } = await import('../../src/viewer/frame-bar.js');
const { ViewerModel } = await import('../../src/viewer/model.js');
const { FileInfo, Readout } = await import('../../src/viewer/readout.js');
type ViewerModel = InstanceType<typeof ViewerModel>;
type ContrastPanel = InstanceType<typeof ContrastPanel>;

/** A translation bundle that marks every string it translates (and fills %1, %2 …). */
const trans = {
  __: (msgid: string, ...args: unknown[]) => `«${msgid.replace(/%(\d)/g, (_, i) => String(args[Number(i) - 1]))}»`,
  _n: (one: string, many: string, n: number, ...args: unknown[]) =>
    `«${(n === 1 ? one : many).replace(/%(\d)/g, (_, i) => String([n, ...args][Number(i) - 1]))}»`
} as unknown as TranslationBundle;

function attached<T extends WidgetType>(widget: T): T {
  Widget.attach(widget, document.body);
  return widget;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('FrameBar', () => {
  it('is hidden for a single image and shows index and total for a stack', () => {
    const bar = attached(new FrameBar(trans));
    bar.showFrame(0, 1);
    expect(bar.isHidden).toBe(true);
    bar.showFrame(2, 5);
    expect(bar.isHidden).toBe(false);
    expect((bar.node.querySelector('.jp-Diffraction-frameSpinner') as HTMLInputElement).value).toBe('2');
    expect((bar.node.querySelector('.jp-Diffraction-frameSlider') as HTMLInputElement).max).toBe('4');
    expect(bar.node.querySelector('.jp-Diffraction-frameTotal')!.textContent).toBe('«of 5»');
  });

  it('asks for the next and previous frame, wrapping around, and for a typed index', () => {
    const bar = attached(new FrameBar(trans));
    const asked: number[] = [];
    bar.requested.connect((_, i) => void asked.push(i));
    bar.showFrame(4, 5);
    (bar.node.querySelector('[title="«Next frame»"]') as HTMLButtonElement).click();
    bar.showFrame(0, 5);
    (bar.node.querySelector('[title="«Previous frame»"]') as HTMLButtonElement).click();
    const spinner = bar.node.querySelector('.jp-Diffraction-frameSpinner') as HTMLInputElement;
    spinner.value = '3';
    spinner.dispatchEvent(new Event('change'));
    expect(asked).toEqual([0, 4, 3]);
  });

  it('keeps keys typed in its inputs from the viewer shortcuts', () => {
    const bar = attached(new FrameBar(trans));
    let reached = false;
    document.body.addEventListener('keydown', () => (reached = true));
    bar.node.querySelector('.jp-Diffraction-frameSpinner')!.dispatchEvent(new KeyboardEvent('keydown', { key: '.', bubbles: true }));
    expect(reached).toBe(false);
  });
});

describe('Readout', () => {
  it('shows the pixel, its value, "(masked)" for invalid pixels and r, φ from a center', () => {
    const readout = attached(new Readout(trans));
    readout.showPixel({ row: 557, col: 600, value: 43, valid: true, sampleType: 'uint16' }, { row: 557, col: 506 });
    expect(readout.node.textContent).toBe('(557, 600): 43  r 94.00 px  φ 0.0°');
    expect(readout.node.dataset.value).toBe('43');
    readout.showPixel({ row: 3, col: 3, value: NaN, valid: false, sampleType: 'float32' }, null);
    expect(readout.node.textContent).toBe('(3, 3): NaN («masked»)');
    // A note of another room (the user's mask) joins it, each note once.
    readout.showPixel({ row: 3, col: 3, value: NaN, valid: false, sampleType: 'float32', notes: ['«masked»'] }, null);
    expect(readout.node.textContent).toBe('(3, 3): NaN («masked»)');
    readout.showPixel({ row: 3, col: 4, value: 5, valid: true, sampleType: 'float32', notes: ['«masked»'] }, null);
    expect(readout.node.textContent).toBe('(3, 4): 5 («masked»)');
    readout.showPixel(null, { row: 1.234, col: 5 });
    expect(readout.node.textContent).toBe('«center (1.23, 5)»');
    expect(readout.node.dataset.row).toBeUndefined();
    expect(readout.node.title.startsWith('«')).toBe(true);
  });
});

describe('FileInfo', () => {
  it('describes the file and shows the reader\'s notes only when there are some', () => {
    const info = attached(new FileInfo(trans));
    // What the image Worker reports for a TIFF (ImageFileInfo & TiffInfo).
    const base = {
      format: 'tiff',
      metadata: {},
      height: 40,
      width: 60,
      frames: 1,
      sampleType: 'uint8',
      bitsPerSample: 8,
      samplesPerPixel: 3,
      compression: 'none',
      predictor: null,
      littleEndian: true,
      bigTiff: false,
      tiled: false,
      software: null,
      description: 'beamline 7',
      notes: ['RGB shown as luminance']
    };
    info.describe(base as any);
    const text = info.node.querySelector('.jp-Diffraction-info') as HTMLElement;
    const notes = info.node.querySelector('.jp-Diffraction-notes') as HTMLElement;
    expect(text.textContent).toBe('40 × 60 uint8');
    expect(text.title).toContain('«uint8 (8-bit, 3 samples per pixel)»');
    expect(text.title).toContain('«description: beamline 7»');
    expect(notes.hidden).toBe(false);
    expect(notes.textContent).toBe('⚠ RGB shown as luminance');
    info.describe({ ...base, frames: 3, notes: [] } as any);
    expect(text.textContent).toBe('40 × 60 uint8«, 3 frames»');
    expect(notes.hidden).toBe(true);
  });

  it('shows the format and the header metadata of other formats on hover', () => {
    const info = attached(new FileInfo(trans));
    info.describe({
      format: 'smv',
      height: 512,
      width: 512,
      frames: 1,
      sampleType: 'uint16',
      littleEndian: false,
      notes: [],
      metadata: {
        beamCenter: { row: 255.5, col: 260.25 },
        detectorDistance: { value: 150, unit: 'mm' },
        wavelength: { value: 0.9793, unit: 'Å' }
      }
    } as any);
    const text = info.node.querySelector('.jp-Diffraction-info') as HTMLElement;
    expect(text.title.startsWith('SMV: ')).toBe(true);
    expect(text.title).toContain('«header beam center (row, col): (255.50, 260.25)»');
    expect(text.title).toContain('«detector distance: 150 mm»');
    expect(text.title).toContain('«wavelength: 0.9793 Å»');
    expect(text.title).not.toContain('compression');
  });
});

describe('ContrastPanel', () => {
  function panelWith(model: ViewerModel): ContrastPanel {
    const source = { frame: null, frameRange: null, frameChanged: new Signal<object, unknown>({}) };
    return attached(new ContrastPanel(source, model, trans));
  }

  it('shows the model\'s limits and percentiles, and follows its changes', () => {
    const model = new ViewerModel();
    model.setAutoLimits(0, 287);
    const panel = panelWith(model);
    const input = (name: string) => panel.node.querySelector(`.jp-Diffraction-${name}`) as HTMLInputElement;
    expect(input('vmin').value).toBe('0');
    expect(input('vmax').value).toBe('287');
    expect(input('lowPercentile').value).toBe('0.175');
    expect(panel.node.querySelector('.jp-Diffraction-panelNote')!.textContent).toBe('«Auto: 0.175 – 99.825 percentiles»');
    expect(panel.node.querySelector('.jp-Diffraction-histogramRange')!.textContent).toBe('«No valid pixels»');
    model.setLimits(5, 50);
    expect(input('vmax').value).toBe('50');
    expect(panel.node.querySelector('.jp-Diffraction-panelNote')!.textContent).toBe('«Manual limits»');
  });

  it('sets manual limits, refuses inverted ones, and turns auto-contrast back on', () => {
    const model = new ViewerModel();
    const panel = panelWith(model);
    const input = (name: string) => panel.node.querySelector(`.jp-Diffraction-${name}`) as HTMLInputElement;
    input('vmin').value = '10';
    input('vmax').value = '1000';
    input('vmax').dispatchEvent(new Event('change'));
    expect(model.autoContrast).toBe(false);
    expect(model.limits).toEqual([10, 1000]);
    input('vmin').value = '2000';
    input('vmin').dispatchEvent(new Event('change'));
    expect(model.limits).toEqual([10, 1000]);
    expect(input('vmin').value).toBe('10');
    input('lowPercentile').value = '1';
    input('highPercentile').value = '99';
    (panel.node.querySelector('.jp-Diffraction-autoButton') as HTMLButtonElement).click();
    expect(model.autoContrast).toBe(true);
    expect(model.percentiles).toEqual([1, 99]);
  });

  it('does not update while hidden, and catches up when shown', () => {
    const model = new ViewerModel();
    const panel = panelWith(model);
    panel.hide();
    model.setLimits(1, 2);
    const vmax = panel.node.querySelector('.jp-Diffraction-vmax') as HTMLInputElement;
    expect(vmax.value).not.toBe('2');
    panel.show();
    expect(vmax.value).toBe('2');
  });
});
