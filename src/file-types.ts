/**
 * The JupyterLab file types of the image formats besides TIFF (src/io/open-image.ts reads
 * them): opened as base64 so that a double-click opens them in the Diffraction viewer. The
 * extensions are the readers' own (`IMAGE_EXTENSIONS`), so a format the readers learn is
 * registered too; TIFF keeps JupyterLab's `tiff` file type.
 */
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { imageIcon } from '@jupyterlab/ui-components';
import type { ImageFormat } from './io/format-error.js';
import { IMAGE_EXTENSIONS } from './io/open-image.js';

/**
 * Extensions the readers take that are not registered for double-click: `.map` is far more
 * often a JavaScript/CSS source map than an MRC density map (open one with "Open With").
 */
export const NOT_REGISTERED: readonly string[] = ['.map'];

/** name, display name and format of each file type (DM3 and DM4 share one). */
const FORMATS: readonly [string, string, ImageFormat[]][] = [
  ['diffraction-mrc', 'MRC image', ['mrc']],
  ['diffraction-dm', 'Gatan DigitalMicrograph image', ['dm3', 'dm4']],
  ['diffraction-mib', 'Medipix/Merlin MIB', ['mib']],
  ['diffraction-smv', 'SMV (ADSC/Rigaku) image', ['smv']],
  ['diffraction-cbf', 'CBF (Pilatus miniCBF) image', ['cbf']],
  ['diffraction-hdf5', 'HDF5 image (EMD, NeXus, HyperSpy)', ['hdf5']]
];

/** The file types to register (base64 binary files with the image icon). */
export const DIFFRACTION_FILE_TYPES: Partial<DocumentRegistry.IFileType>[] = FORMATS.map(([name, displayName, formats]) => ({
  name,
  displayName,
  extensions: formats.flatMap(f => IMAGE_EXTENSIONS[f]).filter(e => !NOT_REGISTERED.includes(e)),
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
