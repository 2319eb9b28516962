import { autocenter } from '../src/center/index.js';
import { generatePattern } from '../src/synth/index.js';
import { Rng } from '../src/synth/rng.js';
const rng = new Rng(99);
const out: string[] = [];
for (let id = 0; id < Number(process.argv[2] ?? 12); id++) {
  const kind = (['rings', 'hexagonal', 'square'] as const)[id % 3];
  const size = [516, 768, 1024, 2048][id % 4];
  const frac = rng.uniform(0.12, 0.18);
  const side = rng.pick(['top', 'bottom', 'left', 'right'] as const);
  const other = rng.uniform(0.3, 0.7) * size;
  const near = frac * size;
  const center = side === 'top' ? { row: near, col: other } : side === 'bottom' ? { row: size - 1 - near, col: other } : side === 'left' ? { row: other, col: near } : { row: other, col: size - 1 - near };
  const block = rng.pick(['top', 'bottom', 'left', 'right'] as const);
  const p = generatePattern({ kind, height: size, center, seed: 500 + id, noise: true, intensity: rng.uniform(300, 5000), beamBlock: { side: block }, hotPixels: 16 });
  const t = Date.now();
  const r = autocenter(p.image, { mask: p.mask });
  const err = Math.hypot(r.row - p.center.row, r.col - p.center.col);
  out.push(`${id} ${kind} ${size} edge-${side} ${frac.toFixed(3)} block-${block}: err ${err.toFixed(3)} [${r.branches}] score ${r.score.toFixed(3)} rough (${r.roughRow.toFixed(0)},${r.roughCol.toFixed(0)}) true (${center.row.toFixed(0)},${center.col.toFixed(0)}) ${Date.now() - t} ms`);
  console.log(out[out.length - 1]);
}
