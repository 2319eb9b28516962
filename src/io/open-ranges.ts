/**
 * Opening an image file read by byte ranges (`ByteSource`): the header first, then each frame
 * when it is asked for, where the format's layout allows — TIFF (strips or tiles of each page
 * close together), MRC/MRCS, MIB and SMV (uncompressed frames at computed offsets). Other files
 * (DM3/DM4, CBF, HDF5, TIFFs whose compressed strips are spread over the file) are read whole
 * and opened by `openImage`, with the same errors. Reads go through a `CachedSource`, an LRU
 * cache bounded by bytes. `openImageUrl` does the same for a URL served with Range requests
 * (jupyter_server's `/files/`), in a Worker or in Node. No DOM.
 */
import { CachedSource, type ByteSource, type FetchLike, openRangeSource } from './byte-source.js';
import { FormatError, type ImageFormat } from './format-error.js';
import type { ImageFile, OpenImageOptions, RangedImageFile } from './image-file.js';
import { formatFromBytes, formatFromName, openImage } from './open-image.js';
import { openLazyTiff } from './tiff-lazy.js';

/** Options of `openByteSource` and `openImageUrl`. */
export interface OpenRangesOptions extends OpenImageOptions {
  /** Files of at most this many bytes are read whole in one request (default 4 MiB). */
  wholeBelow?: number;
  /** Bound of the cache of bytes read (default 128 MiB). */
  cacheBytes?: number;
  /** The cache's read-ahead for reads in file order (`CachedSource`; default 0, `openImageUrl` 8 MiB). */
  readAhead?: number;
}

/** `openImageUrl`'s read-ahead: a series read frame by frame over HTTP asks for fewer, larger ranges. */
export const URL_READ_AHEAD = 8 * 2 ** 20;

/** An opened file and how it is read. */
export interface RangedOpen {
  file: ImageFile;
  /** True when frames are read by ranges, false when the file was read whole. */
  byRanges: boolean;
  /** The source (its `bytesRead` counts what came from the file). */
  source: ByteSource;
}

/** Bytes read first: enough for every header the lazy readers need. */
export const HEAD_BYTES = 1 << 16;

/** Default size under which a file is read whole. */
export const WHOLE_BELOW = 4 * 2 ** 20;

/**
 * Open a file read by ranges: lazily when its format and layout allow, else whole.
 * @throws the readers' typed errors (TiffError for TIFF, FormatError for the others).
 */
export async function openByteSource(source: ByteSource, name: string, options: OpenRangesOptions = {}): Promise<RangedOpen> {
  const cached = source instanceof CachedSource ? source : new CachedSource(source, options.cacheBytes, options.readAhead);
  const head = await cached.read(0, HEAD_BYTES);
  const format = formatFromBytes(head) ?? formatFromName(name);
  if (format && cached.size > (options.wholeBelow ?? WHOLE_BELOW)) {
    const lazy = await Private.openLazy(format, cached, head, options);
    if (lazy) return { file: lazy, byRanges: true, source: cached };
  }
  const whole = await cached.read(0, cached.size);
  cached.clear(); // the reader holds the whole file now
  return { file: await openImage(whole, name, options), byRanges: false, source: cached };
}

/**
 * Open the file at `url` (a server answering Range requests, e.g. jupyter_server's `/files/`)
 * lazily where the layout allows. `headers` go with every request (authorization).
 */
export async function openImageUrl(
  url: string,
  name: string,
  options: OpenRangesOptions & { headers?: Record<string, string>; fetch?: FetchLike } = {}
): Promise<RangedOpen> {
  const source = await openRangeSource(url, { headers: options.headers, fetch: options.fetch, headBytes: HEAD_BYTES });
  return openByteSource(source, name, { readAhead: URL_READ_AHEAD, ...options });
}

namespace Private {
  const RANGED: Partial<Record<ImageFormat, (head: Uint8Array, options: OpenImageOptions) => Promise<RangedImageFile>>> = {
    mrc: async (head, options) => (await import('./mrc.js')).openMrc(head, options),
    mib: async (head, options) => (await import('./mib.js')).openMib(head, options),
    smv: async (head, options) => (await import('./smv.js')).openSmv(head, options)
  };

  /** The file opened by ranges, or null when its format or layout needs a whole read. */
  export async function openLazy(
    format: ImageFormat,
    source: ByteSource,
    head: Uint8Array,
    options: OpenImageOptions
  ): Promise<ImageFile | null> {
    if (format === 'tiff') {
      return openLazyTiff(source, { maxBytes: options.maxBytes });
    }
    const open = RANGED[format];
    if (!open) return null;
    let file: RangedImageFile;
    try {
      file = await open(head, { ...options, fileLength: source.size });
    } catch (e) {
      // A header longer than the bytes read first: the whole read says what is wrong, if anything.
      if (e instanceof FormatError && e.code === 'truncated') return null;
      throw e;
    }
    return byRanges(file, source);
  }

  /** Frames of a ranged reader read from the source. */
  function byRanges(file: RangedImageFile, source: ByteSource): ImageFile {
    return {
      info: file.info,
      async readFrame(index: number) {
        const { offset, length } = file.frameSpan(index);
        const bytes = await source.read(offset, length);
        if (bytes.length < length) {
          throw new FormatError(
            `truncated: frame ${index} needs bytes ${offset}–${offset + length} but the file has ${source.size}`,
            'truncated',
            file.info.format
          );
        }
        return file.decodeSpan(index, bytes);
      }
    };
  }
}
