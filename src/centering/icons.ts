/** Toolbar icons of find center and the mask tools (themed through JupyterLab's `jp-icon3`). */
import { LabIcon } from '@jupyterlab/ui-components';

/** A 24 × 24 stroked icon in JupyterLab's icon color. */
export const iconSvg = (body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">` +
  `<g class="jp-icon3" fill="none" stroke="#616161" stroke-width="2">${body}</g></svg>`;

export const findCenterIcon = new LabIcon({
  name: 'jupyterlab-diffraction:find-center',
  svgstr: iconSvg(
    '<circle cx="12" cy="12" r="8"/><circle cx="12" cy="12" r="4" stroke-dasharray="2 2"/>' +
      '<path d="M12 1v6M12 17v6M1 12h6M17 12h6"/>'
  )
});

export const writeCenterIcon = new LabIcon({
  name: 'jupyterlab-diffraction:write-center',
  svgstr: iconSvg('<path d="M5 3h10l4 4v14H5z"/><path d="M12 9v8M8 13h8"/>')
});

export const maskRectangleIcon = new LabIcon({
  name: 'jupyterlab-diffraction:mask-rectangle',
  svgstr: iconSvg('<rect x="4" y="6" width="16" height="12" stroke-dasharray="3 2"/>')
});

export const maskCircleIcon = new LabIcon({
  name: 'jupyterlab-diffraction:mask-circle',
  svgstr: iconSvg('<circle cx="12" cy="12" r="8" stroke-dasharray="3 2"/>')
});

export const maskPolygonIcon = new LabIcon({
  name: 'jupyterlab-diffraction:mask-polygon',
  svgstr: iconSvg('<path d="M4 18 7 5l10 3 3 9-8 3z" stroke-dasharray="3 2"/>')
});

export const eraseShapeIcon = new LabIcon({
  name: 'jupyterlab-diffraction:erase-shape',
  svgstr: iconSvg('<path d="m14 4 6 6-9 9H6l-3-3z"/><path d="M9 9l6 6M12 19h9"/>')
});

export const maskOverlayIcon = new LabIcon({
  name: 'jupyterlab-diffraction:mask-overlay',
  svgstr: iconSvg('<rect x="3" y="3" width="18" height="18"/><path d="M3 14 14 3M8 21 21 8" />')
});

export const findAllCentersIcon = new LabIcon({
  name: 'jupyterlab-diffraction:find-all-centers',
  svgstr: iconSvg(
    '<rect x="2" y="2" width="14" height="14" stroke-dasharray="2 2"/><rect x="8" y="8" width="14" height="14"/>' +
      '<path d="M15 11v8M11 15h8"/>'
  )
});
