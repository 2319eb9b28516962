/**
 * The JupyterLab file types of the image formats besides TIFF (src/io/open-image.ts reads
 * them): opened as base64 so that a double-click opens them in the Diffraction viewer.
 */
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { imageIcon } from '@jupyterlab/ui-components';

/** name → display name and extensions (lower case, with the dot). */
const FORMATS: readonly [string, string, string[]][] = [
  ['diffraction-mrc', 'MRC image', ['.mrc', '.mrcs']],
  ['diffraction-dm', 'Gatan DigitalMicrograph image', ['.dm3', '.dm4']],
  ['diffraction-mib', 'Medipix/Merlin MIB', ['.mib']],
  ['diffraction-smv', 'SMV (ADSC/Rigaku) image', ['.img', '.smv']],
  ['diffraction-cbf', 'CBF (Pilatus miniCBF) image', ['.cbf']],
  ['diffraction-hdf5', 'HDF5 image (EMD, NeXus, HyperSpy)', ['.h5', '.hdf5', '.nxs', '.emd', '.hspy']]
];

/** The file types to register (base64 binary files with the image icon). */
export const DIFFRACTION_FILE_TYPES: Partial<DocumentRegistry.IFileType>[] = FORMATS.map(([name, displayName, extensions]) => ({
  name,
  displayName,
  extensions,
  mimeTypes: ['application/octet-stream'],
  fileFormat: 'base64',
  contentType: 'file',
  icon: imageIcon
}));

/** Their names, for the widget factory's `fileTypes` and `defaultFor`. */
export const DIFFRACTION_FILE_TYPE_NAMES: string[] = FORMATS.map(([name]) => name);

/** Register the file types the registry does not have yet (another extension may own one). */
export function addDiffractionFileTypes(registry: DocumentRegistry): string[] {
  const names: string[] = [];
  for (const ft of DIFFRACTION_FILE_TYPES) {
    if (!registry.getFileType(ft.name!)) {
      registry.addFileType(ft);
    }
    names.push(ft.name!);
  }
  return names;
}
