import type { IWidgetTracker } from '@jupyterlab/apputils';
import { Token } from '@lumino/coreutils';
import type { DiffractionDocument } from './widget.js';

/** The tracker of open diffraction viewers. */
export type IDiffractionTracker = IWidgetTracker<DiffractionDocument>;

/** The token of the diffraction viewer tracker. */
export const IDiffractionTracker = new Token<IDiffractionTracker>(
  'jupyterlab-diffraction:IDiffractionTracker',
  'A widget tracker for diffraction image viewers. Use this to act on open diffraction images.'
);
