/**
 * What the HDF5 reader (hdf5.ts) reads besides pixels: attributes, objects looked up by path
 * without HDF5 printing errors, and the metadata NeXus/NXmx and HyperSpy files carry (pixel
 * size, detector distance, beam center, wavelength, beam energy, camera length).
 */
import type { ImageMetadata, Quantity } from './image-file.js';

/** How the reader tells h5wasm's objects apart: 'Group', 'Dataset', 'ExternalLink', … */
export type KindOf = (node: any) => string;

/** An attribute's value (a one-element array as its element), or undefined. */
export function attr(node: any, key: string): any {
  try {
    const a = node?.attrs?.[key];
    const v = a?.value ?? a?.json_value;
    return Array.isArray(v) && v.length === 1 ? v[0] : v;
  } catch {
    return undefined;
  }
}

/**
 * The object at `path`, or undefined, looked up group by group: HDF5 prints an error (a
 * console error in the Worker) when a link is looked up through a missing group or a dataset.
 */
export function lookup(file: any, path: string, kind: KindOf): any {
  const parts = path.split('/').filter(Boolean);
  let node: any = file;
  for (let i = 0; i < parts.length; i++) {
    if (kind(node) !== 'Group' && !(i === 0 && node === file)) return undefined;
    node = file.get(`/${parts.slice(0, i + 1).join('/')}`);
    if (!node) return undefined;
  }
  return node;
}

function scalar(file: any, path: string, kind: KindOf): { value: number; unit?: string } | undefined {
  try {
    const node = lookup(file, path, kind);
    if (!node || kind(node) !== 'Dataset') return undefined;
    let v = node.value;
    if (ArrayBuffer.isView(v) || Array.isArray(v)) v = (v as any)[0];
    const value = Number(v);
    if (!Number.isFinite(value)) return undefined;
    const unit = attr(node, 'units');
    return { value, unit: typeof unit === 'string' ? unit : undefined };
  } catch {
    return undefined;
  }
}

/** The metadata NeXus/NXmx and HyperSpy files carry about the image at `datasetPath`. */
export function metadataOf(file: any, datasetPath: string, kind: KindOf): ImageMetadata {
  const metadata: ImageMetadata = {};
  const q = (v: { value: number; unit?: string } | undefined, unit: string): Quantity | undefined =>
    v ? { value: v.value, unit: v.unit ?? unit } : undefined;
  // NeXus NXmx: /<entry>/instrument/detector, /<entry>/instrument/beam.
  const entry = datasetPath.split('/')[1] ?? 'entry';
  for (const root of [`/${entry}`, '/entry']) {
    const det = `${root}/instrument/detector`;
    const xp = q(scalar(file, `${det}/x_pixel_size`, kind), 'm');
    const yp = q(scalar(file, `${det}/y_pixel_size`, kind), 'm');
    if (xp && yp && !metadata.pixelSize) metadata.pixelSize = { row: yp, col: xp };
    const distance = q(scalar(file, `${det}/detector_distance`, kind), 'm');
    if (distance && !metadata.detectorDistance) metadata.detectorDistance = distance;
    const bx = scalar(file, `${det}/beam_center_x`, kind);
    const by = scalar(file, `${det}/beam_center_y`, kind);
    if (bx && by && !metadata.beamCenter && (!bx.unit || /pixel/i.test(bx.unit))) {
      metadata.beamCenter = {
        row: by.value - 0.5,
        col: bx.value - 0.5,
        source: `${det}/beam_center_x = ${bx.value}, beam_center_y = ${by.value} pixels (x fast, from the pixel corner)`
      };
    }
    const wl = q(scalar(file, `${root}/instrument/beam/incident_wavelength`, kind), 'Å');
    if (wl && !metadata.wavelength) metadata.wavelength = { value: wl.value, unit: /^(angstrom|A)$/i.test(wl.unit) ? 'Å' : wl.unit };
  }
  // HyperSpy: Experiments/<name>/metadata/Acquisition_instrument/TEM attributes, axis-N calibration.
  const hs = /^(\/Experiments\/[^/]+)\/data$/.exec(datasetPath);
  if (hs) {
    try {
      const tem = lookup(file, `${hs[1]}/metadata/Acquisition_instrument/TEM`, kind);
      const energy = Number(attr(tem, 'beam_energy'));
      if (Number.isFinite(energy) && energy > 0) metadata.voltage = { value: energy, unit: 'kV' };
      const length = Number(attr(tem, 'camera_length'));
      if (Number.isFinite(length) && length > 0) metadata.cameraLength = { value: length, unit: 'mm' };
    } catch {
      // no TEM metadata
    }
    const axis = (i: number): Quantity | undefined => {
      try {
        const node = lookup(file, `${hs[1]}/axis-${i}`, kind);
        const scale = Number(attr(node, 'scale'));
        const units = attr(node, 'units');
        return Number.isFinite(scale) && typeof units === 'string' && units && units !== '<undefined>' ? { value: scale, unit: units } : undefined;
      } catch {
        return undefined;
      }
    };
    const rank = (file.get(datasetPath)?.shape ?? []).length;
    const row = axis(rank - 2);
    const col = axis(rank - 1);
    if (row && col) metadata.pixelSize = { row, col };
  }
  return metadata;
}
