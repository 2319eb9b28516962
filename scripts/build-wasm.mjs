/**
 * Compile the engine's WebAssembly kernel (src/center/wasm/*.ts, AssemblyScript) and write it,
 * base64-encoded, into src/center/wasm-binary.ts, which the engine imports (so the Worker, Node
 * and jest load it without fetching a file). `node scripts/build-wasm.mjs --check` only compares
 * a fresh compile with the committed file (exit 1 when it is stale).
 */
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import asc from 'assemblyscript/asc';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = 'src/center/wasm/index.ts';
const target = path.join(root, 'src/center/wasm-binary.ts');

let binary = null;
const { error, stderr } = await asc.main(
  [source, '--outFile', 'kernel.wasm', '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--initialMemory', '1', '--enable', 'simd', ...(process.env.WASM_NAMES ? ['--debug'] : [])],
  {
    readFile: name => {
      try {
        return readFileSync(path.resolve(root, name), 'utf8');
      } catch {
        return null;
      }
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) {
        binary = Buffer.from(contents);
      }
    },
    listFiles: () => []
  }
);
if (error) {
  console.error(stderr.toString());
  console.error(error.message);
  process.exit(1);
}
const text = `/**
 * The engine's WebAssembly kernel, compiled from ${source} (AssemblyScript) by
 * \`npm run build:wasm\`. Generated: do not edit; rebuild after changing the source
 * (\`npm test\` checks that this file matches a fresh compile).
 */
export const WASM_KERNEL = '${binary.toString('base64')}';
`;
if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== text) {
    console.error(`${path.relative(root, target)} is stale: run npm run build:wasm`);
    process.exit(1);
  }
  console.log(`${path.relative(root, target)} matches ${source} (${binary.length} bytes)`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(root, target)} (${binary.length} bytes of WebAssembly)`);
}
