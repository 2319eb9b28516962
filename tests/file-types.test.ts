/**
 * The JupyterLab file types cover every extension the readers take (src/io/open-image.ts), so a
 * double-click opens each in the Diffraction viewer; TIFF keeps JupyterLab's own `tiff` type and
 * `.map` (usually a source map) is left out on purpose. The ui-test formats-hdf5.spec.ts checks
 * the same in a running JupyterLab (the default factory of each extension).
 */
import { jest } from '@jest/globals';

// The icon only (ui-components' SVG assets do not load in jest); the test is about extensions.
jest.unstable_mockModule('@jupyterlab/ui-components', () => ({ imageIcon: { name: 'ui-components:image' } }));
const { DIFFRACTION_FILE_TYPES, NOT_REGISTERED } = await import('../src/file-types.js');
const { IMAGE_EXTENSIONS } = await import('../src/io/open-image.js');

test('every reader extension but TIFF\'s and .map has one file type, opened as base64', () => {
  const registered = DIFFRACTION_FILE_TYPES.flatMap(ft => ft.extensions ?? []);
  const expected = Object.entries(IMAGE_EXTENSIONS)
    .filter(([format]) => format !== 'tiff')
    .flatMap(([, exts]) => exts)
    .filter(e => !NOT_REGISTERED.includes(e));
  expect([...registered].sort()).toEqual([...new Set(expected)].sort());
  expect(new Set(registered).size).toBe(registered.length);
  expect(registered).not.toContain('.map');
  expect(registered).toEqual(expect.arrayContaining(['.st', '.ali', '.hdf', '.nx5', '.smv']));
  for (const ft of DIFFRACTION_FILE_TYPES) expect([ft.fileFormat, ft.contentType]).toEqual(['base64', 'file']);
});
