/** Toolbar icons of the center check (themed through JupyterLab's `jp-icon3`). */
import { LabIcon } from '@jupyterlab/ui-components';
import { iconSvg as svg } from '../centering/icons.js';

/** Rings unrolled into straight lines. */
export const polarViewIcon = new LabIcon({
  name: 'jupyterlab-diffraction:polar-view',
  svgstr: svg('<rect x="3" y="3" width="18" height="18"/><path d="M9 3v18M15 3v18"/>')
});

/** A profile with peaks. */
export const profileIcon = new LabIcon({
  name: 'jupyterlab-diffraction:radial-profile',
  svgstr: svg('<path d="M3 20h18M3 18 7 17l2-9 2 9 3-2 2-10 2 10 4 2"/>')
});
