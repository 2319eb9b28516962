/** The CLI pool's worker thread: runs the `TrackTask`s it is sent (see pool.ts). */
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage } from './pool.js';
import { runTrack, type TrackTask } from './run-track.js';

const port = parentPort!;
port.on('message', (task: TrackTask) => {
  void runTrack(task, record => port.postMessage({ type: 'frame', record } satisfies WorkerMessage)).then(() =>
    port.postMessage({ type: 'done', id: task.id } satisfies WorkerMessage)
  );
});
