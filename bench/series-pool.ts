/**
 * The viewer's Find Centers of All Frames pool without a browser (`node --import tsx
 * bench/series-pool.ts FILE WORKERS [LIB]`, one JSON line): the labextension's `SeriesPool`
 * (LIB/worker/series-client.js) with its series Worker script (LIB/worker/series-worker.js),
 * each Worker a Node worker thread (a fresh V8 isolate, as a browser Worker is) behind a small
 * `Worker`/`self` shim. The tracks, the Tracker options (`sigma: true`, default engine options)
 * and the one-frame-ahead reads are the viewer's; frames are decoded on the main thread here
 * (the viewer's image Worker does it there), and nothing is drawn.
 *
 * Prints the wall time from the run's start to each frame's answer, the process's CPU time
 * (all threads), the engine's own ms per frame, and the centers.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The part of the browser's `Worker` that `SeriesPool` uses, on a worker thread. */
class ShimWorker {
  constructor(url: URL) {
    // Messages that arrive before the script has run wait for it, as a browser Worker's do.
    const shim = `
      const { parentPort } = require('node:worker_threads');
      globalThis.self = { postMessage: (m, t) => parentPort.postMessage(m, t), onmessage: null };
      let queue = [];
      parentPort.on('message', data => (queue ? queue.push(data) : globalThis.self.onmessage({ data })));
      import(${JSON.stringify(url.href)}).then(() => {
        const q = queue;
        queue = null;
        for (const data of q) globalThis.self.onmessage({ data });
      });
    `;
    this._thread = new NodeWorker(shim, { eval: true });
    this._thread.on('message', data => this.onmessage?.({ data }));
    this._thread.on('error', error => this.onerror?.({ message: String(error), preventDefault: () => undefined }));
  }

  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;

  postMessage(message: unknown, transfer: ArrayBuffer[] = []): void {
    this._thread.postMessage(message, transfer);
  }

  terminate(): void {
    void this._thread.terminate();
  }

  private _thread: NodeWorker;
}

async function main(): Promise<void> {
  const file = path.resolve(process.argv[2]);
  const size = Number(process.argv[3] ?? 2);
  const lib = path.resolve(process.argv[4] ?? path.join(root, 'lib'));
  const load = (p: string) => import(pathToFileURL(path.join(lib, p)).href);
  (globalThis as unknown as { Worker: unknown }).Worker = ShimWorker;
  const { SeriesPool } = await load('worker/series-client.js');
  const { openImageFile, findSiblingMask, readMaskFile } = await load('node.js');
  const { splitTracks } = await load('series/index.js');
  const opened = await openImageFile(file);
  const maskFile = await findSiblingMask(file);
  const mask = maskFile ? await readMaskFile(maskFile, opened) : null;
  const frames = Array.from({ length: opened.frames }, (_, i) => i);
  const records: { frame: number; at: number; row?: number; col?: number; ms?: number; method?: string; error?: string }[] = [];
  const started = performance.now();
  const before = process.cpuUsage();
  const pool = new SeriesPool(size);
  await pool.run({
    // The viewer's SERIES_RESEED.
    tracks: splitTracks(frames, 20),
    read: (frame: number) => opened.readFrame(frame),
    mask,
    options: { engine: {}, sigma: true },
    onFrame: (frame: number, outcome: { center?: { row: number; col: number; ms: number; method: string }; error?: string }) => {
      const at = performance.now() - started;
      const c = outcome.center;
      records.push(c ? { frame, at, row: c.row, col: c.col, ms: c.ms, method: c.method } : { frame, at, error: outcome.error });
    }
  });
  const wall = performance.now() - started;
  const used = process.cpuUsage(before);
  pool.dispose();
  console.log(JSON.stringify({ frames: frames.length, workers: size, wall, cpu: (used.user + used.system) / 1000, records }));
}

void main();
