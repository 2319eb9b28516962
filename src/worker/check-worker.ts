/**
 * The check Worker entry: the radial profile, its peaks and the polar view of the frame it
 * keeps, about the center each request names. The pixels used are the profile's rule
 * (`profileValidMask`: invalid and hot pixels, and the user's mask), computed once per frame or
 * mask, so that a request (the crosshair moving) costs one profile and one polar transform.
 */
import { CenterError } from '../center/errors.js';
import { profilePeaks } from '../center/peaks.js';
import { polarTransform } from '../center/polar.js';
import { radialProfile } from '../center/profile.js';
import { profileValidMask } from '../center/profile-report.js';
import { ringStraightness } from '../check/straightness.js';
import type { DiffractionImage } from '../io/image.js';
import { typedArrayOf } from '../io/typed.js';
import type { CheckRequest, CheckWorkerRequest, CheckWorkerResponse } from './check-protocol.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CheckWorkerRequest>) => void) | null;
  postMessage(message: CheckWorkerResponse, transfer?: Transferable[]): void;
};

/** What the Worker keeps between requests. */
const kept: {
  frame: DiffractionImage | null;
  mask: Uint8Array | null;
  autoMask: boolean;
  /** The pixels used, for `frame` and `mask`; null until asked. */
  valid: Uint8Array | null;
} = { frame: null, mask: null, autoMask: true, valid: null };

namespace Private {
  export function validPixels(image: DiffractionImage): Uint8Array {
    if (!kept.valid || kept.valid.length !== image.height * image.width) {
      const m = kept.mask && kept.mask.length === image.height * image.width ? kept.mask : null;
      kept.valid = profileValidMask(image, m, kept.autoMask);
    }
    return kept.valid;
  }

  export function answer(request: CheckRequest): void {
    const { id, center, options } = request;
    const image = kept.frame;
    if (!image) {
      throw new CenterError('invalid-input', 'the check Worker has no frame yet');
    }
    const start = performance.now();
    const mask = validPixels(image);
    const profile = radialProfile(image, center, { mask, binWidth: options.binWidth, statistic: options.statistic });
    const peaks = profilePeaks(profile);
    const polar =
      options.azimuths > 0
        ? polarTransform(image, center, { mask, radialStep: options.binWidth, azimuths: options.azimuths })
        : null;
    const straightness = polar ? ringStraightness(polar, peaks) : null;
    const transfer: Transferable[] = [profile.radius.buffer, profile.value.buffer, profile.count.buffer];
    if (polar) {
      transfer.push(polar.data.buffer);
    }
    scope.postMessage(
      {
        type: 'result',
        id,
        center: profile.center,
        statistic: profile.statistic,
        binWidth: profile.binWidth,
        radius: profile.radius,
        value: profile.value,
        count: profile.count,
        peaks,
        polar: polar ? { height: polar.height, width: polar.width, radialStep: polar.radialStep, data: polar.data } : null,
        straightness,
        ms: performance.now() - start
      },
      transfer
    );
  }
}

scope.onmessage = (event: MessageEvent<CheckWorkerRequest>) => {
  const message = event.data;
  switch (message.type) {
    case 'frame':
      kept.frame = {
        height: message.height,
        width: message.width,
        sampleType: message.sampleType,
        data: typedArrayOf(message.sampleType, message.data)
      };
      kept.valid = null;
      return;
    case 'mask':
      kept.mask = message.data ? new Uint8Array(message.data) : null;
      kept.autoMask = message.autoMask;
      kept.valid = null;
      return;
    case 'check':
      try {
        Private.answer(message);
      } catch (error) {
        const code = error instanceof CenterError ? String(error.code) : 'internal';
        const text = error instanceof Error ? error.message : String(error);
        scope.postMessage({ type: 'error', id: message.id, code, message: text });
      }
      return;
  }
};
