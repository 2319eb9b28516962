/** Toolbar icons of the center check (themed through JupyterLab's `jp-icon3`). */
import { LabIcon } from '@jupyterlab/ui-components';

const svg = (body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">` +
  `<g class="jp-icon3" fill="none" stroke="#616161" stroke-width="2">${body}</g></svg>`;

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
