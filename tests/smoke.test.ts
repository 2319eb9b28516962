import FFT from 'fft.js';
import { fromArrayBuffer } from 'geotiff';

test('dependencies load as ES modules', () => {
  const f = new FFT(8);
  expect(f.size).toBe(8);
  expect(typeof fromArrayBuffer).toBe('function');
});
