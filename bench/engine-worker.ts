/**
 * The first Find Center in a fresh Worker (`tsx bench/engine-worker.ts CASE [LIB]`, one JSON
 * line): the labextension's center Worker script (LIB/worker/center-worker.js) run in a Node
 * worker thread (a fresh V8 isolate, as a browser Worker is) behind a small `self` shim.
 * - `afterCreation`: the request is posted as soon as the Worker is created (it waits for at
 *   most the one small warm-up call under way, see src/worker/center-warmup.ts);
 * - `afterWarmUp`: a second fresh Worker is left to finish its warm-up (its `ready` message)
 *   first;
 * - `warm`: a second request to that Worker.
 * Each is the time from posting the request to its result (`wall`), the engine's own `ms`, and
 * the process's CPU time meanwhile (`cpu`: the host thread only waits, so this is the Worker's
 * work, the steadier figure on a loaded machine).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadCase } from './engine-speed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function start(lib: string): Worker {
  const script = pathToFileURL(path.join(lib, 'worker/center-worker.js')).href;
  // Messages that arrive before the script has run wait for it, as a browser Worker's do.
  const shim = `
    const { parentPort } = require('node:worker_threads');
    globalThis.self = { postMessage: m => parentPort.postMessage(m), onmessage: null };
    let queue = [];
    parentPort.on('message', data => (queue ? queue.push(data) : globalThis.self.onmessage({ data })));
    import(${JSON.stringify(script)}).then(
      () => { const q = queue; queue = null; for (const data of q) globalThis.self.onmessage({ data }); },
      e => parentPort.postMessage({ type: 'error', id: -1, message: String(e) })
    );
  `;
  return new Worker(shim, { eval: true });
}

type Message = { type: string; id: number; result?: { ms: number; row: number; col: number }; message?: string };

function next(worker: Worker, accept: (m: Message) => boolean): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Message): void => {
      if (process.env.DBG) console.error('msg', m.type, m.id);
      if (m.id === -1) {
        reject(new Error(m.message));
      }
      if (accept(m)) {
        worker.off('message', onMessage);
        resolve(m);
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

async function request(
  worker: Worker,
  id: number,
  c: Awaited<ReturnType<typeof loadCase>>
): Promise<{ wall: number; ms: number; cpu: number }> {
  const data = (c.image.data as Uint16Array).slice();
  const sampleType = data.constructor.name.replace('Array', '').toLowerCase();
  const started = performance.now();
  const before = process.cpuUsage();
  const answer = next(worker, m => m.id === id && (m.type === 'result' || m.type === 'error'));
  worker.postMessage({
    type: 'center',
    id,
    height: c.image.height,
    width: c.image.width,
    sampleType,
    data: data.buffer,
    mask: c.mask ? c.mask.slice().buffer : null,
    options: {}
  });
  const m = await answer;
  if (m.type !== 'result') {
    throw new Error(`worker error: ${m.message}`);
  }
  const used = process.cpuUsage(before);
  return { wall: performance.now() - started, ms: m.result!.ms, cpu: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  const spec = process.argv[2];
  const lib = path.resolve(process.argv[3] ?? path.join(root, 'lib'));
  const c = await loadCase(spec, lib);
  const first = start(lib);
  const afterCreation = await request(first, 1, c);
  await first.terminate();
  const second = start(lib);
  const warmStarted = performance.now();
  await next(second, m => m.type === 'ready');
  const warmUpMs = performance.now() - warmStarted;
  const afterWarmUp = await request(second, 1, c);
  const warm = await request(second, 2, c);
  await second.terminate();
  console.log(JSON.stringify({ afterCreation, afterWarmUp, warm, warmUpMs }));
}

void main();
