/** Toolbar icons of the diffraction viewer (themed through JupyterLab's `jp-icon3` class). */
import { LabIcon } from '@jupyterlab/ui-components';

const svg = (body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">` +
  `<g class="jp-icon3" fill="#616161" stroke="none">${body}</g></svg>`;

const LENS =
  '<path d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10z"/>';

export const zoomInIcon = new LabIcon({
  name: 'jupyterlab-diffraction:zoom-in',
  svgstr: svg(LENS + '<path d="M9 7h2v2h2v2h-2v2H9v-2H7V9h2z"/>')
});

export const zoomOutIcon = new LabIcon({
  name: 'jupyterlab-diffraction:zoom-out',
  svgstr: svg(LENS + '<path d="M7 9h6v2H7z"/>')
});

export const fitIcon = new LabIcon({
  name: 'jupyterlab-diffraction:fit',
  svgstr: svg(
    '<path d="M3 3h6v2H5v4H3zm12 0h6v6h-2V5h-4zM3 15h2v4h4v2H3zm16 0h2v6h-6v-2h4z"/>' +
      '<path d="M9 9h6v6H9z" opacity=".5"/>'
  )
});

export const actualSizeIcon = new LabIcon({
  name: 'jupyterlab-diffraction:actual-size',
  svgstr: svg(
    '<path d="M5 7h3v10H6V9.5H5zm11 0h3v10h-2V9.5h-1zM11 9h2v2h-2zm0 4h2v2h-2z"/>'
  )
});

export const invertIcon = new LabIcon({
  name: 'jupyterlab-diffraction:invert',
  svgstr: svg(
    '<path d="M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zm0 2v14a7 7 0 0 0 0-14z"/>'
  )
});

export const autoContrastIcon = new LabIcon({
  name: 'jupyterlab-diffraction:auto-contrast',
  svgstr: svg(
    '<path d="M3 20h18v1.5H3z"/><path d="M4 19c2-1 3-9 5-12s3-3 4 1 2 9 4 10 3 1 3 1v.5H4z" opacity=".6"/>' +
      '<path d="M6 3h1.5v17H6zm10.5 0H18v17h-1.5z"/>'
  )
});

export const histogramIcon = new LabIcon({
  name: 'jupyterlab-diffraction:histogram',
  svgstr: svg('<path d="M3 20h18v1.5H3zM4 14h3v5H4zm4-6h3v11H8zm4-4h3v15h-3zm4 7h3v8h-3z"/>')
});
