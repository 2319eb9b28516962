/**
 * Reading files by byte ranges: the range reader against a buffer-backed `fetch` that serves
 * Range requests as jupyter_server's /files/ does, the LRU cache's bound, and the lazy readers
 * (TIFF's lazy directory index, MRC, MIB, SMV) giving the same info, frames and errors as the
 * readers of whole files, while reading far fewer bytes.
 */
import {
  bufferSource,
  type ByteSource,
  CachedSource,
  encodeTiff,
  type FetchLike,
  openByteSource,
  openImage,
  openImageUrl,
  openLazyTiff,
  openRangeSource,
  openTiff,
  type DiffractionImage
} from '../../src/io/index.js';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fixtures } from './fixtures.js';
import { formatFixtures } from './format-fixtures.js';

/**
 * A fetch over `bytes` that honours `Range: bytes=a-b` like tornado's StaticFileHandler: 206
 * with Content-Range, except for a range that covers the whole file (200, the whole file).
 */
function rangeFetch(bytes: Uint8Array, log: string[] = [], options: { ranges?: boolean; status?: number } = {}): FetchLike {
  return async (_url, init) => {
    const range = init.headers.Range;
    log.push(range ?? 'whole');
    const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
    const whole = !m || (Number(m[1]) === 0 && Number(m[2]) >= bytes.length - 1);
    const status = options.status ?? (options.ranges === false || whole ? 200 : 206);
    let body = bytes;
    const headers = new Map<string, string>();
    if (status === 206 && m) {
      const start = Number(m[1]);
      const end = Math.min(bytes.length - 1, Number(m[2]));
      body = bytes.slice(start, end + 1);
      headers.set('content-range', `bytes ${start}-${end}/${bytes.length}`);
    }
    return {
      status,
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
      arrayBuffer: async () => body.slice().buffer
    };
  };
}

/** A regular multi-page uint16 stack written by the project's TIFF writer; frame k is k + pattern. */
function stack(frames: number, height: number, width: number): Uint8Array {
  const list = Array.from({ length: frames }, (_, k) => {
    const data = new Uint16Array(height * width);
    for (let i = 0; i < data.length; i++) data[i] = (k * 7 + i) % 65536;
    return { height, width, data, sampleType: 'uint16' as const };
  });
  return encodeTiff(list);
}

/** A frame as a small comparable summary: shape, type and the exact bytes' digest. */
function digest(frame: DiffractionImage): string {
  const bytes = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  return `${frame.height}x${frame.width} ${frame.sampleType} ${createHash('sha1').update(bytes).digest('hex')}`;
}

/** Outcome of a call: its value, or the error's code and message. */
async function outcome<T>(run: () => Promise<T>): Promise<{ value?: T; error?: { code: string; message: string } }> {
  try {
    return { value: await run() };
  } catch (e) {
    return { error: { code: (e as { code: string }).code, message: (e as Error).message } };
  }
}

describe('range source', () => {
  const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 251);

  it('reads the size from Content-Range and serves ranges from the server', async () => {
    const log: string[] = [];
    const source = await openRangeSource('/files/x', { fetch: rangeFetch(bytes, log), headBytes: 1000 });
    expect(source.size).toBe(100_000);
    expect(source.rangesServed).toBe(true);
    expect(Array.from(await source.read(500, 10))).toEqual(Array.from(bytes.subarray(500, 510)));
    expect(log).toEqual(['bytes=0-999']); // inside the head: no request
    expect(Array.from(await source.read(99_990, 100))).toEqual(Array.from(bytes.subarray(99_990)));
    expect(log).toEqual(['bytes=0-999', 'bytes=99990-99999']);
    expect(source.bytesRead).toBe(1010);
  });

  it('works with a server that ignores ranges (the whole file is kept)', async () => {
    const source = await openRangeSource('/files/x', { fetch: rangeFetch(bytes, [], { ranges: false }) });
    expect(source.rangesServed).toBe(false);
    expect(source.size).toBe(100_000);
    expect(Array.from(await source.read(70_000, 5))).toEqual(Array.from(bytes.subarray(70_000, 70_005)));
  });

  it('refuses a failed request with a typed error', async () => {
    const failed = await outcome(() => openRangeSource('/files/gone', { fetch: rangeFetch(bytes, [], { status: 404 }) }));
    expect(failed.error).toEqual({ code: 'fetch-failed', message: 'reading /files/gone failed: the server answered 404' });
    const thrown = await outcome(() =>
      openRangeSource('/files/x', {
        fetch: async () => {
          throw new TypeError('network down');
        }
      })
    );
    expect(thrown.error?.code).toBe('fetch-failed');
  });

  it('refuses a short answer (the file changed under the reader)', async () => {
    const serve = rangeFetch(bytes);
    // The file shrank to 50 000 bytes after the reader learned its size.
    const shrunk: FetchLike = async (url, init) => (init.headers.Range === 'bytes=0-9' ? serve(url, init) : rangeFetch(bytes.subarray(0, 50_000))(url, init));
    const source = await openRangeSource('/files/x', { fetch: shrunk, headBytes: 10 });
    expect(source.size).toBe(100_000);
    const refused = await outcome(() => source.read(60_000, 10));
    expect(refused.error?.code).toBe('fetch-failed');
    expect(refused.error?.message).toMatch(/asked for bytes 60000–60009.*did the file change/);
    expect((await source.read(40_000, 10)).length).toBe(10);
  });
});

describe('cache', () => {
  it('answers repeated reads from the cache and stays within its bound', async () => {
    const bytes = new Uint8Array(1 << 20).map((_, i) => i & 255);
    const inner = bufferSource(bytes);
    const cache = new CachedSource(inner, 100_000);
    const a = await cache.read(0, 40_000);
    expect(inner.bytesRead).toBe(40_000);
    expect(Array.from(await cache.read(1000, 20))).toEqual(Array.from(a.subarray(1000, 1020)));
    expect(inner.bytesRead).toBe(40_000); // a hit
    for (let k = 1; k < 20; k++) {
      await cache.read(k * 40_000, 40_000);
      expect(cache.cachedBytes).toBeLessThanOrEqual(100_000);
    }
    // The oldest range was dropped: reading it again reads the source.
    await cache.read(0, 10);
    expect(inner.bytesRead).toBe(20 * 40_000 + 10);
    // A read larger than the bound is passed through, not cached.
    await cache.read(0, 200_000);
    expect(cache.cachedBytes).toBeLessThanOrEqual(100_000);
  });

  it('reads ahead for reads in file order, in growing requests, and only as asked for others', async () => {
    const bytes = new Uint8Array(4 << 20).map((_, i) => (i * 7) & 255);
    const inner = bufferSource(bytes);
    const requests: number[] = [];
    const recording: ByteSource = {
      size: inner.size,
      get bytesRead() {
        return inner.bytesRead;
      },
      read: (offset, length) => {
        requests.push(length);
        return inner.read(offset, length);
      }
    };
    const readAhead = 256 * 1024;
    const cache = new CachedSource(recording, 4 << 20, readAhead);
    // Two interleaved streams of "frames" (a 200-byte directory, then 20 000 bytes of data),
    // as two tracks of a series read side by side.
    const frame = 20_200;
    const check = async (offset: number, length: number) =>
      expect(Array.from(await cache.read(offset, length))).toEqual(Array.from(bytes.subarray(offset, offset + length)));
    for (let k = 0; k < 40; k++) {
      for (const first of [0, 60]) {
        const at = (first + k) * frame;
        await check(at, 200);
        await check(at + 200, 20_000);
      }
    }
    // 160 reads, far fewer requests, none over the read-ahead (or the read itself).
    expect(requests.length).toBeLessThan(30);
    expect(Math.max(...requests)).toBeLessThanOrEqual(readAhead);
    // A read elsewhere (not after a recent one) asks for what it needs only.
    requests.length = 0;
    await check(3_000_000, 5000);
    expect(requests).toEqual([5000]);
    // Without read-ahead, every miss is one request of its own size.
    const plain = new CachedSource(recording, 4 << 20);
    requests.length = 0;
    for (let k = 0; k < 5; k++) await plain.read(k * frame, frame);
    expect(requests).toEqual(Array(5).fill(frame));
  });

  it("says a read is the caller's only when the source says so and the cache kept none of it", async () => {
    const bytes = new Uint8Array(1 << 16).map((_, i) => i & 255);
    const shared = new CachedSource(bufferSource(bytes), 1000);
    expect(shared.isOwned(await shared.read(0, 5000))).toBe(false); // the source's own bytes
    const inner = bufferSource(bytes);
    const owned = new CachedSource({ ...inner, read: async (o, n) => (await inner.read(o, n)).slice(), isOwned: () => true }, 1000);
    expect(owned.isOwned(await owned.read(0, 5000))).toBe(true); // passed through, uncached
    const small = await owned.read(0, 500);
    expect(owned.isOwned(small)).toBe(false); // kept by the cache
    expect(owned.isOwned(await owned.read(100, 10))).toBe(false); // a hit: part of a cached read
  });
});

describe('lazy TIFF', () => {
  it('opens a regular stack from its first pages and reads a frame with a few small reads', async () => {
    const bytes = stack(300, 64, 64);
    const source = new CachedSource(bufferSource(bytes));
    const lazy = (await openLazyTiff(source))!;
    expect(lazy.layout).toBe('regular');
    expect(lazy.info.frames).toBe(300);
    const whole = await openTiff(bytes);
    expect(lazy.info).toEqual({ ...whole.info, format: 'tiff', metadata: {} });
    for (const k of [0, 1, 2, 150, 299, 150]) {
      expect(await lazy.readFrame(k)).toEqual(await whole.readFrame(k));
    }
    // 5 distinct frames of 8 KiB plus directories: far below the file's 2.5 MB.
    expect(source.bytesRead).toBeLessThan(bytes.length / 10);
    await expect(lazy.readFrame(300)).rejects.toMatchObject({ code: 'frame-out-of-range' });
  });

  it("reads tifffile's contiguous series (all directories after the data) as a regular stack", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lazy-tiff-'));
    try {
      const file = join(dir, 'series.tif');
      const script = [
        'import sys, numpy as np, tifffile',
        'with tifffile.TiffWriter(sys.argv[1]) as tw:',
        '    for k in range(30):',
        '        tw.write((np.arange(48 * 40, dtype=np.uint16).reshape(48, 40) + 100 * k), contiguous=True)'
      ].join('\n');
      execFileSync('/usr/bin/python3', ['-c', script, file]);
      const bytes = new Uint8Array(readFileSync(file));
      const source = new CachedSource(bufferSource(bytes));
      const lazy = (await openLazyTiff(source))!;
      const whole = await openTiff(bytes);
      expect(lazy.layout).toBe('regular');
      expect(lazy.info).toEqual({ ...whole.info, format: 'tiff', metadata: {} });
      for (const k of [29, 13, 2]) {
        expect(digest(await lazy.readFrame(k))).toBe(digest(await whole.readFrame(k)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('walks the chain of a stack whose pages are not evenly spaced', async () => {
    // Pages of two sizes alternating: not a regular stride, but a valid chain.
    const small = stack(1, 8, 8);
    const frames = Array.from({ length: 7 }, (_, k) => {
      const size = k % 2 ? 16 : 8;
      const data = new Uint16Array(size * size).fill(k);
      return { height: size, width: size, data, sampleType: 'uint16' as const };
    });
    const bytes = encodeTiff(frames);
    const lazy = (await openLazyTiff(bufferSource(bytes)))!;
    const whole = await openTiff(bytes);
    expect(lazy.layout).toBe('walked');
    expect(lazy.info).toEqual({ ...whole.info, format: 'tiff', metadata: {} });
    expect(await lazy.readFrame(4)).toEqual(await whole.readFrame(4));
    const refused = await outcome(() => lazy.readFrame(3));
    const expected = await outcome(() => whole.readFrame(3));
    expect(refused.error).toEqual(expected.error);
    expect(small.length).toBeGreaterThan(0);
  });

  it('falls back to the chain when a predicted page is not where the layout says', async () => {
    const bytes = stack(40, 16, 16);
    const whole = await openTiff(bytes);
    // Move page 20's directory: copy it to the end of the file and point page 19 at it.
    const grown = new Uint8Array(bytes.length + 4096);
    grown.set(bytes);
    const view = new DataView(grown.buffer);
    const offsets: number[] = [];
    let at = view.getUint32(4, true);
    while (at) {
      offsets.push(at);
      at = view.getUint32(at + 2 + 12 * view.getUint16(at, true), true);
    }
    const n = view.getUint16(offsets[20], true);
    const ifdBytes = 2 + 12 * n + 4;
    const moved = bytes.length;
    grown.set(bytes.subarray(offsets[20], offsets[20] + ifdBytes), moved);
    view.setUint32(offsets[19] + 2 + 12 * view.getUint16(offsets[19], true), moved, true);
    grown.fill(0, offsets[20], offsets[20] + ifdBytes); // the old place holds no directory
    const lazy = (await openLazyTiff(bufferSource(grown)))!;
    expect(lazy.info.frames).toBe(40);
    // Frame 25: predicted, checked, and found off the chain → the chain is walked.
    expect(await lazy.readFrame(20)).toEqual(await whole.readFrame(20));
    expect(lazy.layout).toBe('walked');
    expect(await lazy.readFrame(25)).toEqual(await whole.readFrame(25));
  });

  /** A source whose reads are fresh copies it says are the caller's (as a file on disk's), and which it remembers. */
  function ownedSource(bytes: Uint8Array, given: WeakSet<ArrayBufferLike>): ByteSource {
    const inner = bufferSource(bytes);
    return {
      size: inner.size,
      get bytesRead() {
        return inner.bytesRead;
      },
      read: async (offset, length) => {
        const copy = (await inner.read(offset, length)).slice();
        given.add(copy.buffer);
        return copy;
      },
      isOwned: () => true
    };
  }

  it.each(['shared', 'owned'] as const)(
    'gives the same info, frames and errors as the whole-file reader for every TIFF fixture (%s reads)',
    async reads => {
      const fx = fixtures();
      let byRanges = 0;
      let views = 0;
      const given = new WeakSet<ArrayBufferLike>();
      for (const c of fx.cases) {
        const bytes = fx.read(c);
        const whole = await outcome(() => openImage(bytes, c.file));
        // Owned reads, none cached: frames stored as they are used become views of the bytes read.
        const source = reads === 'owned' ? ownedSource(bytes, given) : bufferSource(bytes);
        const lazy = await outcome(() => openByteSource(source, c.file, { wholeBelow: 0, cacheBytes: reads === 'owned' ? 0 : undefined }));
        if (whole.error) {
          expect({ name: c.name, error: lazy.error }).toEqual({ name: c.name, error: whole.error });
          continue;
        }
        const file = lazy.value!.file;
        if (lazy.value!.byRanges) byRanges++;
        expect({ name: c.name, info: file.info }).toEqual({ name: c.name, info: whole.value!.info });
        const frames = file.info.frames;
        for (const k of new Set([0, 1, Math.floor(frames / 2), frames - 1].filter(k => k >= 0 && k < frames))) {
          const a = await outcome(async () => {
            const frame = await file.readFrame(k);
            views += given.has(frame.data.buffer) ? 1 : 0;
            return digest(frame);
          });
          const b = await outcome(async () => digest(await whole.value!.readFrame(k)));
          expect({ name: c.name, k, a }).toEqual({ name: c.name, k, a: b });
        }
      }
      expect(byRanges).toBeGreaterThan(fx.cases.length / 2);
      // Shared reads are never kept as frames; owned ones are, where the layout allows (not all).
      if (reads === 'shared') {
        expect(views).toBe(0);
      } else {
        expect(views).toBeGreaterThan(0);
      }
    }
  );
});

describe('lazy TIFF fuzz', () => {
  it('mutated stacks read by ranges give frames or typed errors only', async () => {
    const seeds = [stack(6, 16, 16), encodeTiff([0, 1, 2].map(k => ({ height: 8, width: 12, sampleType: 'float32' as const, data: new Float32Array(96).fill(k) })))];
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let opened = 0;
    for (let round = 0; round < 400; round++) {
      const bytes = seeds[round % seeds.length].slice();
      // Mutations in the structure (header and directories lie in the first and last bytes here).
      for (let m = 0; m < 1 + Math.floor(random() * 6); m++) {
        const at = Math.floor(random() * bytes.length);
        bytes[at] = random() < 0.5 ? Math.floor(random() * 256) : bytes[at] ^ (1 << Math.floor(random() * 8));
      }
      if (round % 7 === 0) bytes.fill(0, Math.floor(random() * bytes.length)); // truncated by zeros
      const result = await outcome(async () => {
        const { file } = await openByteSource(bufferSource(bytes), 'fuzz.tif', { wholeBelow: 0 });
        for (let k = 0; k < Math.min(file.info.frames, 8); k++) {
          await outcome(() => file.readFrame(k)).then(r => {
            if (r.error && !/^[a-z-]+$/.test(r.error.code ?? '')) throw new Error(`untyped error reading frame ${k}: ${r.error.message}`);
          });
        }
        return file.info.frames;
      });
      if (result.error) {
        expect({ round, code: typeof result.error.code }).toEqual({ round, code: 'string' });
      } else {
        opened++;
      }
    }
    expect(opened).toBeGreaterThan(0);
  });
});

describe('lazy MRC, MIB, SMV', () => {
  it('give the same info and frames as the whole-file readers, reading only the frames asked for', async () => {
    const fx = formatFixtures();
    const cases = fx.cases.filter(c => ['mrc', 'mib', 'smv'].includes(c.format));
    expect(cases.length).toBeGreaterThan(3);
    for (const c of cases) {
      const bytes = isAbsolute(c.file) ? new Uint8Array(readFileSync(c.file)) : fx.read(c.file);
      const whole = await outcome(() => openImage(bytes, c.file));
      const source: ByteSource = bufferSource(bytes);
      const lazy = await outcome(() => openByteSource(source, c.file, { wholeBelow: 0 }));
      if (whole.error) {
        expect({ name: c.name, error: lazy.error }).toEqual({ name: c.name, error: whole.error });
        continue;
      }
      expect({ name: c.name, byRanges: lazy.value!.byRanges }).toEqual({ name: c.name, byRanges: true });
      const file = lazy.value!.file;
      expect({ name: c.name, info: file.info }).toEqual({ name: c.name, info: whole.value!.info });
      const last = file.info.frames - 1;
      expect(digest(await file.readFrame(last))).toBe(digest(await whole.value!.readFrame(last)));
      if (file.info.frames > 2) {
        expect(source.bytesRead).toBeLessThan(bytes.length);
      }
    }
  });
});

describe('openImageUrl', () => {
  it('opens a stack served by ranges and reads frames on demand', async () => {
    const bytes = stack(100, 128, 128);
    const log: string[] = [];
    const { file, byRanges, source } = await openImageUrl('/files/s.tif', 's.tif', { fetch: rangeFetch(bytes, log), wholeBelow: 0 });
    expect(byRanges).toBe(true);
    const whole = await openTiff(bytes);
    expect(await file.readFrame(73)).toEqual(await whole.readFrame(73));
    expect(log.every(r => r.startsWith('bytes='))).toBe(true);
    expect(source.bytesRead).toBeLessThan(bytes.length / 4);
  });

  it('reads a small file whole in one request', async () => {
    const bytes = stack(3, 32, 32);
    const log: string[] = [];
    const { byRanges } = await openImageUrl('/files/s.tif', 's.tif', { fetch: rangeFetch(bytes, log) });
    expect(byRanges).toBe(false);
    expect(log).toEqual(['bytes=0-65535']);
  });
});
