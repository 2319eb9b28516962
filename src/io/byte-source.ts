/**
 * Reading a file by byte ranges instead of whole: a `ByteSource` answers `read(offset, length)`
 * (an HTTP server's Range requests, a buffer in memory), and `CachedSource` keeps what was read
 * in an LRU cache bounded by bytes, so that stepping back to a frame does not fetch it again
 * while memory stays bounded however many frames are visited. No DOM: `fetch` is given.
 */
import { FormatError } from './format-error.js';

/** A file read by ranges. */
export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /**
   * Bytes `offset` to `offset + length` (clamped to the file's end). The array may be shared
   * with a cache: do not modify it.
   */
  read(offset: number, length: number, into?: ReadScratch): Promise<Uint8Array>;
  /** Bytes read from the underlying file so far (cache hits not counted). */
  readonly bytesRead: number;
  /**
   * Whether `data`, as `read` returned it, is the caller's alone (nothing else holds it): a
   * reader may then keep it, e.g. as a frame's samples without a copy. Absent: never (the
   * array may be shared with a cache or be part of the whole file in memory).
   */
  isOwned?(data: Uint8Array): boolean;
}

/**
 * Memory a caller reads frame after frame into (`ByteSource.read`'s `into`, `ImageFile.readFrame`'s
 * `scratch`), instead of new memory for each: a source that can, reads into `bytes(length)` and
 * returns a view of it. What was read into it before is then overwritten: a frame read with a
 * scratch is the caller's until the next read with the same scratch.
 */
export class ReadScratch {
  /** At least `length` bytes (grown when needed), as a view of exactly `length`. */
  bytes(length: number): Uint8Array {
    if (!this._bytes || this._bytes.length < length) {
      this._bytes = new Uint8Array(length);
    }
    return this._bytes.subarray(0, length);
  }

  private _bytes: Uint8Array | null = null;
}

/** A source over bytes in memory (tests, Node, files already read whole). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  let bytesRead = 0;
  return {
    size: bytes.length,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = bytes.subarray(Math.max(0, offset), Math.min(bytes.length, offset + length));
      bytesRead += out.length;
      return out;
    }
  };
}

/** The `fetch` a range source needs (the global one, or a test's). */
export type FetchLike = (url: string, init: { headers: Record<string, string>; cache?: 'no-store' }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * Open `url` for Range requests: the first request (bytes 0 to `headBytes`) gives the file's
 * size from its Content-Range, and its bytes are kept as the head. A server that answers 200
 * (no ranges) sends the whole file: the source then serves from that copy (`rangesServed`
 * false). Errors are `FormatError`s with code 'fetch-failed'.
 */
export async function openRangeSource(
  url: string,
  options: { fetch?: FetchLike; headers?: Record<string, string>; headBytes?: number } = {}
): Promise<ByteSource & { readonly rangesServed: boolean; readonly head: Uint8Array }> {
  const doFetch: FetchLike = options.fetch ?? ((u, init) => fetch(u, init));
  const headers = options.headers ?? {};
  const headBytes = Math.max(1, options.headBytes ?? 1 << 16);
  let bytesRead = 0;
  const get = async (offset: number, length: number) => {
    const response = await Private.request(doFetch, url, { ...headers, Range: `bytes=${offset}-${offset + length - 1}` });
    const body = new Uint8Array(await response.arrayBuffer());
    bytesRead += body.length;
    return { response, body };
  };
  const first = await get(0, headBytes);
  if (first.response.status === 200) {
    const whole = first.body;
    const source = bufferSource(whole);
    return {
      size: whole.length,
      rangesServed: false,
      head: whole.subarray(0, headBytes),
      get bytesRead() {
        return bytesRead;
      },
      read: source.read
    };
  }
  const size = Private.totalOf(first.response.headers.get('Content-Range'), url);
  return {
    size,
    rangesServed: true,
    head: first.body,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, offset);
      const end = Math.min(size, offset + length);
      if (end <= start) return new Uint8Array(0);
      if (end <= first.body.length) return first.body.subarray(start, end);
      const { response, body } = await get(start, end - start);
      // A range that covers the whole file is answered 200 with the whole file (tornado).
      if (response.status === 200 && start === 0 && body.length === size) return body.subarray(0, end);
      if (response.status !== 206 || body.length !== end - start) {
        throw new FormatError(
          `reading ${url}: asked for bytes ${start}–${end - 1}, the server answered ${response.status} with ${body.length} bytes (did the file change?)`,
          'fetch-failed',
          'unknown'
        );
      }
      return body;
    }
  };
}

/**
 * A source whose reads are kept in an LRU cache of at most `maxBytes` (default 128 MiB):
 * a read inside a cached range is answered from it; the least recently used ranges are
 * dropped first. Reads larger than the bound are passed through uncached.
 */
export class CachedSource implements ByteSource {
  /**
   * `readAhead` (bytes, default 0: off): a miss that starts where an earlier miss ended (a
   * stream of reads in file order, e.g. the frames of a track) fetches more than asked, twice
   * as much each time up to `readAhead`, and caches it: over HTTP each request has a cost of its
   * own, so a series read frame by frame took more requests than bytes (see benchmarks.md).
   */
  constructor(
    private readonly source: ByteSource,
    readonly maxBytes = 128 * 2 ** 20,
    readonly readAhead = 0
  ) {}

  get size(): number {
    return this.source.size;
  }

  get bytesRead(): number {
    return this.source.bytesRead;
  }

  /** Bytes held by the cache now (never more than `maxBytes`). */
  get cachedBytes(): number {
    return this._bytes;
  }

  async read(offset: number, length: number, into?: ReadScratch): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length);
    if (into && end - offset > this.maxBytes) {
      // Too large to be cached: read into the caller's memory if the source can.
      return this.source.read(offset, length, into);
    }
    for (const [key, entry] of this._entries) {
      if (entry.offset <= offset && end <= entry.offset + entry.data.length) {
        // Most recently used last.
        this._entries.delete(key);
        this._entries.set(key, entry);
        return entry.data.subarray(offset - entry.offset, end - entry.offset);
      }
    }
    const ahead = this._ahead(offset, end - offset);
    if (ahead > end - offset) {
      const chunk = await this.source.read(offset, ahead);
      this._remember(offset, chunk);
      return chunk.subarray(0, Math.max(0, Math.min(chunk.length, end - offset)));
    }
    const data = await this.source.read(offset, length);
    this._remember(offset, data);
    return data;
  }

  /**
   * How many bytes to fetch for a miss of `length` bytes at `offset`: more than `length` when
   * the miss continues a stream (it starts after where a recent miss started and at most
   * READ_AHEAD_GAP after where it ended: the next frame, maybe begun in the last fetch),
   * doubling per stream up to `readAhead` and within the cache's bound.
   */
  private _ahead(offset: number, length: number): number {
    if (this.readAhead <= 0) {
      return length;
    }
    const limit = Math.min(this.readAhead, this.maxBytes / 4, this.size - offset);
    const stream = this._streams.findIndex(s => offset > s.start && offset <= s.end + Private.READ_AHEAD_GAP);
    let fetch = length;
    if (stream >= 0) {
      fetch = Math.max(length, Math.min(limit, 2 * this._streams[stream].fetched));
      this._streams.splice(stream, 1);
    }
    this._streams.push({ start: offset, end: offset + fetch, fetched: fetch });
    if (this._streams.length > Private.READ_AHEAD_STREAMS) {
      this._streams.shift();
    }
    return fetch;
  }

  private _remember(offset: number, data: Uint8Array): void {
    if (data.length > 0 && data.length <= this.maxBytes) {
      this._entries.set(`${offset}:${data.length}`, { offset, data });
      this._bytes += data.length;
      for (const [key, entry] of this._entries) {
        if (this._bytes <= this.maxBytes) break;
        this._entries.delete(key);
        this._bytes -= entry.data.length;
      }
    }
  }

  /** Owned when the source's reads are and the cache kept no part of it (a read too large for it). */
  isOwned(data: Uint8Array): boolean {
    if (this.source.isOwned?.(data) !== true) {
      return false;
    }
    for (const entry of this._entries.values()) {
      if (entry.data.buffer === data.buffer) {
        return false;
      }
    }
    return true;
  }

  /** Forget everything cached. */
  clear(): void {
    this._entries.clear();
    this._bytes = 0;
  }

  private _entries = new Map<string, { offset: number; data: Uint8Array }>();
  private _bytes = 0;
  /** Recent streams of misses: where each one's last fetch started and ended, and its size. */
  private _streams: { start: number; end: number; fetched: number }[] = [];
}

namespace Private {
  /** A miss this close after where a recent one ended continues that stream (the directories between frames). */
  export const READ_AHEAD_GAP = 64 * 1024;
  /** Streams followed at once (the tracks of a series run read side by side). */
  export const READ_AHEAD_STREAMS = 8;

  export async function request(doFetch: FetchLike, url: string, headers: Record<string, string>) {
    let response;
    try {
      response = await doFetch(url, { headers, cache: 'no-store' });
    } catch (e) {
      throw new FormatError(`reading ${url} failed: ${e instanceof Error ? e.message : String(e)}`, 'fetch-failed', 'unknown', {
        cause: e
      });
    }
    if (response.status !== 200 && response.status !== 206) {
      throw new FormatError(`reading ${url} failed: the server answered ${response.status}`, 'fetch-failed', 'unknown');
    }
    return response;
  }

  /** The total of a `Content-Range: bytes a-b/total` header. */
  export function totalOf(header: string | null, url: string): number {
    const m = /\/(\d+)\s*$/.exec(header ?? '');
    if (!m) {
      throw new FormatError(`reading ${url}: the server sent no file size (Content-Range "${header ?? ''}")`, 'fetch-failed', 'unknown');
    }
    return Number(m[1]);
  }
}
