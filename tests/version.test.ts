import { readFileSync } from 'node:fs';
import { VERSION } from '../src/version.js';

test('the version written into notebooks is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(VERSION).toBe(pkg.version);
});
