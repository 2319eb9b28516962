/**
 * How the base layer of a mask is made, step by step (`MaskBaseStep`: a mask file, automatic
 * masks of a frame on top): the one place that applies a step, used when the user acts (Load
 * Mask, Auto Mask, Mask Invalid Pixels, Save Mask) and when a reload makes the mask again.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { autoMask, combineMasks, invalidPixelMask } from '../center/index.js';
import type { DiffractionImage } from '../io/image.js';
import type { MaskBaseStep, MaskSource } from '../masks/model.js';

/** An automatic-mask step. */
export type AutoMaskStep = Extract<MaskBaseStep, { kind: 'auto' }>;

/** The source of a base layer read from the mask file at `path`. */
export function fileSource(path: string): MaskSource {
  return { kind: 'file', description: path, steps: [{ kind: 'file', path }] };
}

/**
 * An automatic mask of `frame` on top of the base layer `base` (null: none), and its source
 * after `previous`. The base layer's pixels stay masked.
 */
export function applyAutoStep(
  trans: TranslationBundle,
  frame: DiffractionImage,
  step: AutoMaskStep,
  base: Uint8Array | null,
  previous: MaskSource
): { base: Uint8Array; source: MaskSource } {
  const data = step.invalidOnly ? invalidPixelMask(frame) : autoMask(frame, { threshold: step.threshold });
  const rule = step.invalidOnly
    ? trans.__('invalid pixels')
    : trans.__('auto mask (invalid, hot, < %1 × median)', step.threshold);
  const description = previous.description ? `${previous.description} + ${rule}` : rule;
  const steps = previous.kind === 'none' ? [step] : previous.steps ? [...previous.steps, step] : undefined;
  return { base: combineMasks(data, base)!, source: { kind: 'auto', description, steps } };
}

/** What making a base layer again needs: reading a mask file, reading a frame. */
export interface IMaskStepInput {
  readMask(path: string): Promise<Uint8Array>;
  readFrame(index: number): Promise<DiffractionImage>;
}

/** Make a base layer again from its steps (throws what a step throws). */
export async function replaySteps(
  trans: TranslationBundle,
  steps: readonly MaskBaseStep[],
  input: IMaskStepInput
): Promise<{ base: Uint8Array | null; source: MaskSource }> {
  let base: Uint8Array | null = null;
  let source: MaskSource = { kind: 'none', description: null };
  for (const step of steps) {
    if (step.kind === 'file') {
      base = await input.readMask(step.path);
      source = fileSource(step.path);
    } else {
      ({ base, source } = applyAutoStep(trans, await input.readFrame(step.frame), step, base, source));
    }
  }
  return { base, source };
}
