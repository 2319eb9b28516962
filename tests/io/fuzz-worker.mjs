// Worker thread of tests/io/fuzz.test.ts: decodes one mutated file per message, loading the
// TypeScript sources through tsx so that a runaway loop can be stopped with worker.terminate().
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const io = await tsImport(workerData.module, import.meta.url);

/**
 * A TiffError wrapping an exception is expected only from geotiff's Deflate decoder (pako
 * reports bad streams by throwing); any other wrapped exception is a bug the parser missed.
 */
function unexpected(e) {
  return e.cause !== undefined && !/^corrupt TIFF: inflating /.test(e.message);
}

parentPort.on('message', async ({ id, bytes, maxBytes }) => {
  const t0 = performance.now();
  let outcome = 'ok';
  let code;
  let message;
  let frames = 0;
  try {
    const file = await io.openTiff(bytes, { maxBytes });
    const n = Math.min(file.info.frames, 4);
    for (let i = 0; i < n; i++) {
      try {
        file.frameInfo(i);
        const frame = await file.readFrame(i);
        if (frame.data.length !== frame.width * frame.height) {
          throw new Error(`frame ${i}: ${frame.data.length} values for ${frame.height} x ${frame.width}`);
        }
        frames++;
      } catch (e) {
        if (!(e instanceof io.TiffError) || unexpected(e)) throw e;
        outcome = 'tiff-error';
        code = e.code;
        message = e.message;
      }
    }
  } catch (e) {
    if (e instanceof io.TiffError && !unexpected(e)) {
      outcome = 'tiff-error';
      code = e.code;
      message = e.message;
    } else {
      outcome = 'other';
      const inner = e?.cause ?? e;
      message = `${e?.constructor?.name}: ${e?.message ?? e}\n${inner?.stack ?? ''}`;
    }
  }
  parentPort.postMessage({ id, outcome, code, message, frames, ms: performance.now() - t0 });
});
parentPort.postMessage({ ready: true });
