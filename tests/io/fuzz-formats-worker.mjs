// Worker thread of tests/io/fuzz-formats.test.ts: opens one mutated file per message with
// openImage and reads up to 4 frames, loading the TypeScript sources through tsx so that a
// runaway loop can be stopped with worker.terminate().
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const io = await tsImport(workerData.module, import.meta.url);

/**
 * A FormatError wrapping an unexpected exception (a `cause`) is a bug the reader's checks
 * missed, except for HDF5, whose C library reports corrupt files by failing (h5wasm throws).
 */
function unexpected(e) {
  if (e instanceof io.TiffError) return false;
  return e.cause !== undefined && e.format !== 'hdf5';
}

parentPort.on('message', async ({ id, bytes, name, maxBytes }) => {
  const t0 = performance.now();
  let outcome = 'ok';
  let code;
  let message;
  let file;
  try {
    file = await io.openImage(bytes, name, { maxBytes, linkedFile: () => undefined });
    const n = Math.min(file.info.frames, 4);
    for (let i = 0; i < n; i++) {
      try {
        const frame = await file.readFrame(i);
        if (frame.data.length !== frame.width * frame.height) {
          throw new Error(`frame ${i}: ${frame.data.length} values for ${frame.height} x ${frame.width}`);
        }
      } catch (e) {
        if (!(e instanceof io.FormatError || e instanceof io.TiffError) || unexpected(e)) throw e;
        outcome = 'typed-error';
        code = e.code;
        message = e.message;
      }
    }
  } catch (e) {
    if ((e instanceof io.FormatError || e instanceof io.TiffError) && !unexpected(e)) {
      outcome = 'typed-error';
      code = e.code;
      message = e.message;
    } else {
      outcome = 'other';
      const inner = e?.cause ?? e;
      message = `${e?.constructor?.name}: ${e?.message ?? e}\n${inner?.stack ?? ''}`;
    }
  } finally {
    file?.close?.();
  }
  parentPort.postMessage({ id, outcome, code, message, ms: performance.now() - t0 });
});
// Load h5wasm (4 MB of WebAssembly) before the first timed case.
if (workerData.warm) {
  await io.openImage(workerData.warm, 'warm.h5').then(f => f.close?.()).catch(() => undefined);
}
parentPort.postMessage({ ready: true });
