/**
 * `npm run examples`: writes generated diffraction patterns with known centers into examples/
 * (gitignored), plus examples/README.md listing the true centers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTiff } from '../src/io/writer.js';
import { generatePattern, type SynthOptions } from '../tests/synth/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'examples');
mkdirSync(out, { recursive: true });

interface Example {
  file: string;
  what: string;
  options: SynthOptions;
  writeMask?: boolean;
}

const examples: Example[] = [
  {
    file: 'rings_1024.tif',
    what: 'powder rings, Poisson noise, uint16',
    options: { kind: 'rings', height: 1024, seed: 1, center: { row: 530.4, col: 497.8 }, sampleType: 'uint16' }
  },
  {
    file: 'hexagonal_1024.tif',
    what: 'hexagonal spots, beam block from the top, 12 hot pixels, float32 (mask beside it)',
    options: {
      kind: 'hexagonal',
      height: 1024,
      seed: 2,
      center: { row: 488.25, col: 541.6 },
      beamBlock: { side: 'top' },
      hotPixels: 12
    },
    writeMask: true
  },
  {
    file: 'square_512.tif',
    what: 'square spots, walk-off gradient, Pilatus-like gaps holding -1, int32',
    options: {
      kind: 'square',
      height: 512,
      seed: 3,
      center: { row: 260.7, col: 243.3 },
      walkOff: 0.3,
      gaps: { module: 97, width: 7 },
      sampleType: 'int32'
    }
  }
];

const lines = [
  '# Generated examples',
  '',
  'Written by `npm run examples` (tests/synth). Coordinates are (row, col), pixel centers at integers.',
  '',
  '| file | true center (row, col) | what |',
  '| --- | --- | --- |'
];
for (const example of examples) {
  const p = generatePattern(example.options);
  writeFileSync(join(out, example.file), encodeTiff(p.image, { software: 'jupyterlab-diffraction make-examples' }));
  lines.push(`| \`${example.file}\` | (${p.center.row}, ${p.center.col}) | ${example.what} |`);
  if (example.writeMask) {
    const maskFile = example.file.replace(/\.tif$/, '_mask.tif');
    writeFileSync(join(out, maskFile), encodeTiff({ height: p.image.height, width: p.image.width, data: p.mask, sampleType: 'uint8' }));
    lines.push(`| \`${maskFile}\` | | its mask (1 = valid): beam block |`);
  }
}

// A 10-frame stack: the center drifts by 0.3 px per frame along both axes.
const frames = [];
const centers: string[] = [];
for (let k = 0; k < 10; k++) {
  const center = { row: 250.2 + 0.3 * k, col: 262.9 - 0.3 * k };
  frames.push(generatePattern({ kind: 'rings', height: 512, seed: 100 + k, center, sampleType: 'uint16', spacing: 40, sigma: 1.8 }).image);
  centers.push(`${k}: (${center.row.toFixed(1)}, ${center.col.toFixed(1)})`);
}
writeFileSync(join(out, 'stack_512.tif'), encodeTiff(frames));
lines.push(`| \`stack_512.tif\` | ${centers.join('; ')} | 10 frames of rings, uint16, center drifting 0.3 px per frame |`);

writeFileSync(join(out, 'README.md'), `${lines.join('\n')}\n`);
console.log(`wrote ${examples.length + 1} examples to ${out}`);
