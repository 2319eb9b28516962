/**
 * Lines of the CLI's text output for the header's metadata, beside the center found: the beam
 * center the header states (and how far the found center is from it), pixel size, distance or
 * camera length, wavelength or voltage.
 */
import type { ImageMetadata, Quantity } from '../io/index.js';

const q = (v: Quantity): string => `${Number(v.value.toPrecision(6))} ${v.unit}`;

/** Human lines for `metadata` (none when the header states nothing). */
export function describeMetadata(metadata: ImageMetadata, found: { row: number; col: number }): string[] {
  const lines: string[] = [];
  const b = metadata.beamCenter;
  if (b) {
    const d = Math.hypot(found.row - b.row, found.col - b.col);
    lines.push(`header beam center (row, col) = (${b.row.toFixed(3)}, ${b.col.toFixed(3)}), ${d.toFixed(2)} px from the found center [${b.source}]`);
  }
  const parts: string[] = [];
  if (metadata.pixelSize) {
    const { row, col } = metadata.pixelSize;
    parts.push(`pixel ${row.value === col.value && row.unit === col.unit ? q(row) : `${q(row)} × ${q(col)}`}`);
  }
  if (metadata.detectorDistance) parts.push(`distance ${q(metadata.detectorDistance)}`);
  if (metadata.cameraLength) parts.push(`camera length ${q(metadata.cameraLength)}`);
  if (metadata.wavelength) parts.push(`wavelength ${q(metadata.wavelength)}`);
  if (metadata.voltage) parts.push(`voltage ${q(metadata.voltage)}`);
  if (metadata.exposureTime) parts.push(`exposure ${q(metadata.exposureTime)}`);
  if (parts.length) lines.push(`header: ${parts.join(', ')}`);
  return lines;
}
