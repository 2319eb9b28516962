/**
 * The check client's traffic with its Worker (a recording stand-in here; the real Worker runs in
 * the ui-tests): the frame and the mask go once, a request carries only the center, and while one
 * request runs newer ones replace each other, so a fast drag never queues stale work and the last
 * position is always computed.
 */
import { CheckClient } from '../../src/worker/check-client.js';
import type { CheckResult } from '../../src/worker/check-protocol.js';

const posted: any[] = [];
const workers: Array<{ onmessage: ((event: { data: unknown }) => void) | null }> = [];
(globalThis as any).Worker = class {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: unknown = null;
  constructor() {
    workers.push(this);
  }
  postMessage(message: unknown) {
    posted.push(message);
  }
  terminate() {}
};
/** The Worker made last (each client makes its own). */
const worker = () => workers[workers.length - 1];

const answer = (id: number) =>
  worker().onmessage!({
    data: { type: 'result', id, center: { row: id, col: id }, peaks: [], polar: null } as unknown as CheckResult
  });

beforeEach(() => posted.splice(0));

describe('CheckClient', () => {
  const frame = { height: 2, width: 2, sampleType: 'uint8' as const, data: new Uint8Array([1, 2, 3, 4]) };
  const options = { statistic: 'mean' as const, binWidth: 1, azimuths: 360 };

  it('sends the frame and the mask once, then only centers; the latest request wins', () => {
    const results: CheckResult[] = [];
    const client = new CheckClient(r => results.push(r), () => undefined);
    client.setFrame(frame);
    client.setFrame(frame);
    client.setMask(null, true);
    client.setMask(null, true);
    expect(posted.map(m => m.type)).toEqual(['frame', 'mask']);
    // The frame went as a copy: the caller keeps its pixels.
    expect(Array.from(frame.data)).toEqual([1, 2, 3, 4]);

    client.request({ row: 1, col: 1 }, options);
    client.request({ row: 2, col: 2 }, options);
    client.request({ row: 3, col: 3 }, options);
    // One request out; the two newer ones replaced each other.
    expect(posted.filter(m => m.type === 'check').map(m => m.center)).toEqual([{ row: 1, col: 1 }]);
    expect(client.busy).toBe(true);

    const first = posted[posted.length - 1].id;
    answer(first);
    // The answer is shown, and the latest position goes out at once.
    expect(results).toHaveLength(1);
    const checks = posted.filter(m => m.type === 'check');
    expect(checks.map(m => m.center)).toEqual([
      { row: 1, col: 1 },
      { row: 3, col: 3 }
    ]);
    // An answer to an old id is ignored.
    answer(first);
    expect(results).toHaveLength(1);
    answer(checks[1].id);
    expect(results).toHaveLength(2);
    expect(client.busy).toBe(false);
    client.dispose();
  });

  it('sends a new mask, and a new frame, when they change', () => {
    const client = new CheckClient(() => undefined, () => undefined);
    client.setFrame(frame);
    const mask = new Uint8Array([1, 0, 1, 1]);
    client.setMask(mask, true);
    client.setMask(mask, false);
    client.setFrame({ ...frame, data: new Uint8Array([5, 6, 7, 8]) });
    expect(posted.map(m => m.type)).toEqual(['frame', 'mask', 'mask', 'frame']);
    expect(Array.from(new Uint8Array(posted[1].data))).toEqual([1, 0, 1, 1]);
    expect(posted[2].autoMask).toBe(false);
    client.dispose();
  });

  it('reports a failed request', () => {
    const failures: string[] = [];
    const client = new CheckClient(() => undefined, f => failures.push(f.message));
    client.setFrame(frame);
    client.request({ row: 0, col: 0 }, options);
    const id = posted[posted.length - 1].id;
    worker().onmessage!({ data: { type: 'error', id, code: 'invalid-input', message: 'the center must be finite' } });
    expect(failures).toEqual(['the center must be finite']);
    client.dispose();
  });
});
