/**
 * A TIFF read by byte ranges (`ByteSource`): the header and the directories (IFDs) of the pages
 * shown are read when needed, and a frame's strips or tiles are read as one range and decoded
 * with the same plan and decoder as a file in memory (`describeFrame`, `decodeFrame`).
 *
 * The chain of directories is not walked at open when the layout is regular, as tifffile, ImageJ
 * and most acquisition software write stacks: the directories of pages 1 and 2 lie `stride`
 * bytes apart and their blocks `dataStride` apart (equal when each directory precedes its data;
 * tifffile's contiguous series put all directories after the data). Page k's directory is then
 * predicted at `page1 + (k − 1)·stride`, the last page is found from the file's size (its
 * next-IFD offset is 0), and each predicted page is checked when it is read (same layout, its
 * blocks shifted by `(k − 1)·dataStride`, its next offset the next prediction). Another layout, or a failed check, walks the chain (one small read per
 * page). ImageJ's contiguous stacks behind one directory need no chain at all.
 *
 * `openLazyTiff` returns null when the file cannot be read this way (frame 0's blocks spread
 * over far more bytes than the frame: compressed strips interleaved across the file); the
 * caller then reads the file whole. Errors are the TIFF reader's `TiffError`s. No DOM.
 */
import type { ByteSource, ReadScratch } from './byte-source.js';
import { decodeFrame } from './decode.js';
import { TiffError } from './errors.js';
import { FormatError } from './format-error.js';
import { inlineNumber, MAX_FRAMES, readOffset, type RawEntry, Tag, TagReader, TYPE_SIZES } from './ifd.js';
import type { DiffractionImage } from './image.js';
import type { ImageFile, ImageFileInfo } from './image-file.js';
import { describeFrame, type FramePlan } from './layout.js';
import { stackInfo, type TiffInfo } from './tiff.js';
import {
  checkedFrame,
  type DescribedPage,
  imagejContiguous,
  type ImageJContiguous,
  planeOfPage,
  oddPagesNote,
  shiftedFrame
} from './tiff-stack.js';

/** Options of `openLazyTiff`. */
export interface LazyTiffOptions {
  /** Memory budget of one decoded frame (default 1 GiB), as `openTiff`'s. */
  maxBytes?: number;
}

/** A TIFF read by ranges: the common `ImageFile` with the TIFF's info. */
export interface LazyTiff extends ImageFile {
  readonly info: ImageFileInfo & TiffInfo;
  /** How the pages were found: 'single' page, 'regular' stride, or 'walked' chain. */
  readonly layout: 'single' | 'regular' | 'walked' | 'imagej';
}

/**
 * Open a TIFF read by ranges, or return null when its layout does not allow it (read it whole).
 * @throws TiffError as `openTiff` (the header, frame 0's directory and layout are checked).
 */
export async function openLazyTiff(source: ByteSource, options: LazyTiffOptions = {}): Promise<LazyTiff | null> {
  const file = new Private.LazyFile(source, options.maxBytes ?? 2 ** 30);
  try {
    return (await file.open()) ? file : null;
  } catch (e) {
    throw Private.asTiffError(e, 'opening the file');
  }
}

namespace Private {
  /** Bytes read at a directory's offset at first (its entries and, often, its values). */
  const CHUNK = 16 * 1024;
  /** Tags the reader uses; the others are not read. */
  const USED = new Set<number>(Object.values(Tag));
  /** Most directories kept described. */
  const PAGE_CACHE = 256;

  interface Page {
    offset: number;
    /** Number of entries of the directory. */
    count: number;
    next: number;
    tags: TagReader;
    /** ImageWidth and ImageLength when inline (found without reading the values). */
    width?: number;
    height?: number;
  }

  /** Any exception as a TiffError; a failed read of the server (FormatError 'fetch-failed') is kept. */
  export function asTiffError(e: unknown, what: string): Error {
    if (e instanceof TiffError || (e instanceof FormatError && e.code === 'fetch-failed')) return e;
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof RangeError && /allocat|Array buffer|Invalid typed array length/i.test(message)) {
      return new TiffError(`too large: ${what} could not allocate memory (${message})`, 'too-large', { cause: e });
    }
    return new TiffError(`corrupt TIFF: ${what} failed: ${message}`, 'corrupt', { cause: e });
  }

  export class LazyFile implements LazyTiff {
    constructor(
      private readonly source: ByteSource,
      private readonly maxBytes: number
    ) {}

    info!: ImageFileInfo & TiffInfo;
    layout: LazyTiff['layout'] = 'single';

    /** Read the header and frame 0, find the pages; false when the layout needs a whole read. */
    async open(): Promise<boolean> {
      const head = await this.source.read(0, 16);
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      const bom = String.fromCharCode(head[0] ?? 0, head[1] ?? 0);
      if ((bom !== 'II' && bom !== 'MM') || head.length < 8) return false; // the whole read says why
      this.le = bom === 'II';
      const version = view.getUint16(2, this.le);
      if (version !== 42 && (version !== 43 || head.length < 16 || view.getUint16(4, this.le) !== 8)) return false;
      this.big = version === 43;
      const first = this.big ? readOffset(view, 8, this.le, true) : view.getUint32(4, this.le);
      if (first === 0) return false;

      const page0 = await this.loadPage(first, 0);
      const d0 = describeFrame(page0.tags, 0, this.le, this.source.size, this.maxBytes);
      if (d0.error || !d0.plan) throw d0.error ?? new TiffError('frame 0 cannot be decoded', 'corrupt');
      if (!this.compact(d0.plan)) return false;
      this.first = d0;
      this.description = d0.info.description;
      this.planeFrames = d0.plan.planeFrames;
      this.offsets = [first];
      this.remember(0, page0);

      let pages = 1;
      if (page0.next !== 0) {
        pages = await this.findPages(page0);
      } else {
        this.contiguous = imagejContiguous(1, d0.plan, this.source.size);
        if (this.contiguous) this.layout = 'imagej';
      }
      this.pageCount = pages;
      const frames = this.contiguous?.frames ?? pages * this.planeFrames;
      const tiff = stackInfo(d0.info, frames, { littleEndian: this.le, bigTiff: this.big }, [
        ...this.notes,
        ...(this.contiguous?.notes ?? [])
      ]);
      this.info = { ...tiff, format: 'tiff', metadata: {} };
      return true;
    }

    async readFrame(index: number, scratch?: ReadScratch): Promise<DiffractionImage> {
      const frames = this.info.frames;
      if (!Number.isInteger(index) || index < 0 || index >= frames) {
        throw new TiffError(
          `frame ${index} is out of range: the file has ${frames} frame${frames === 1 ? '' : 's'} (0–${frames - 1})`,
          'frame-out-of-range'
        );
      }
      let plan: FramePlan;
      try {
        const described = await this.describe(index);
        if (!described.plan) throw described.error ?? new TiffError(`frame ${index} cannot be decoded`, 'corrupt');
        plan = described.plan;
      } catch (e) {
        throw asTiffError(e, `reading the directory of frame ${index}`);
      }
      try {
        const { start, end } = spanOf(plan);
        const bytes = await this.source.read(start, end - start, scratch);
        // Bytes read for this frame alone and held by nothing else: it may be a view of them.
        const adopt = this.source.isOwned?.(bytes) === true;
        return await decodeFrame(bytes, { ...plan, offsets: plan.offsets.map(o => o - start) }, adopt);
      } catch (e) {
        throw asTiffError(e, `decoding frame ${index}`);
      }
    }

    private async describe(index: number): Promise<DescribedPage> {
      const first = this.first!;
      if (index === 0) return first;
      if (this.contiguous) return shiftedFrame(first, index, this.contiguous.frameBytes);
      const perPage = this.planeFrames;
      const pageIndex = Math.floor(index / perPage);
      const page = await this.page(pageIndex);
      const described = this.describePage(page, pageIndex);
      return checkedFrame(perPage > 1 ? planeOfPage(described, index, perPage) : described, this.info, perPage);
    }

    private describePage(page: Page, index: number): DescribedPage {
      return describeFrame(page.tags, index, this.le, this.source.size, this.maxBytes, index > 0 ? this.description : undefined);
    }

    /** Whether a frame's blocks lie close together (at most 4× its stored size plus 1 MiB apart). */
    private compact(plan: FramePlan): boolean {
      const { start, end } = spanOf(plan);
      const stored = plan.byteCounts.reduce((a, b) => a + b, 0);
      return end - start <= 4 * stored + (1 << 20);
    }

    /** The number of pages of a multi-page file, from a regular layout or by walking the chain. */
    private async findPages(page0: Page): Promise<number> {
      const page1 = await this.loadPage(page0.next, 1);
      this.offsets.push(page0.next);
      this.remember(1, page1);
      if (page1.next === 0) {
        this.layout = 'walked';
        return 2;
      }
      const page2 = await this.loadPage(page1.next, 2);
      const stride = page2.offset - page1.offset;
      const d1 = this.describePage(page1, 1);
      const d2 = this.describePage(page2, 2);
      const dataStride = d1.plan && d2.plan ? spanOf(d2.plan).start - spanOf(d1.plan).start : 0;
      if (stride > 0 && dataStride > 0 && this.sameLayout(d1, d2, dataStride)) {
        // The last page: its directory and its blocks both inside the file.
        const byIfd = Math.floor((this.source.size - page1.offset - this.ifdBytes(page1)) / stride);
        const byData = Math.floor((this.source.size - spanOf(d1.plan!).end) / dataStride);
        const m = Math.min(byIfd, byData);
        for (let k = m; k >= Math.max(1, m - 2); k--) {
          const at = page1.offset + k * stride;
          let last: Page;
          try {
            last = await this.loadPage(at, k + 1);
          } catch {
            continue;
          }
          if (last.next === 0 && this.sameLayout(d1, this.describePage(last, k + 1), k * dataStride)) {
            this.layout = 'regular';
            this.stride = stride;
            this.dataStride = dataStride;
            this.remember(2, page2);
            return k + 2;
          }
        }
      }
      this.layout = 'walked';
      return this.walk();
    }

    /** Walk the whole chain (loop-checked, at most MAX_FRAMES pages); returns the page count. */
    private async walk(): Promise<number> {
      const seen = new Set(this.offsets.slice(0, 1));
      this.offsets.length = 1;
      this.stride = 0;
      let at = this.offsets[0];
      const odd: number[] = [];
      for (;;) {
        let page: Page;
        try {
          page = await this.loadPage(at, this.offsets.length - 1, false);
        } catch (e) {
          if (this.offsets.length === 1 || !(e instanceof TiffError)) throw e;
          this.notes.push(`${e.message}; only the first ${this.offsets.length - 1} frame(s) can be read`);
          this.offsets.pop();
          break;
        }
        const index = this.offsets.length - 1;
        if (index > 0 && (page.width !== this.first!.info.width || page.height !== this.first!.info.height)) odd.push(index);
        if (page.next === 0) break;
        if (this.offsets.length >= MAX_FRAMES) {
          this.notes.push(`more than ${MAX_FRAMES} directories: only the first ${MAX_FRAMES} frames are read`);
          break;
        }
        if (seen.has(page.next)) {
          this.notes.push(`IFD chain loops back to offset ${page.next} after ${this.offsets.length} frame(s); frames after that ignored`);
          break;
        }
        seen.add(page.next);
        this.offsets.push(page.next);
        at = page.next;
      }
      const note = oddPagesNote(odd, this.planeFrames);
      if (note && !this.notes.includes(note)) this.notes.push(note);
      return this.offsets.length;
    }

    /** Page `index`, read at its known or predicted offset (a failed prediction walks the chain). */
    private async page(index: number): Promise<Page> {
      const cached = this.pages.get(index);
      if (cached) return cached;
      if (this.stride > 0 && index >= 2) {
        const base = this.pages.get(1) ?? (await this.loadPage(this.offsets[1], 1));
        const at = base.offset + (index - 1) * this.stride;
        const page = await this.loadPage(at, index);
        const next = index + 1 < this.pageCount ? at + this.stride : 0;
        const shift = (index - 1) * this.dataStride;
        if (page.next === next && this.sameLayout(this.describePage(base, 1), this.describePage(page, index), shift)) {
          this.remember(index, page);
          return page;
        }
        this.layout = 'walked';
        this.pages.clear();
        await this.walk();
      }
      if (index >= this.offsets.length) {
        throw new TiffError(`frame ${index} is out of range: the chain of directories ends after ${this.offsets.length}`, 'frame-out-of-range');
      }
      const page = await this.loadPage(this.offsets[index], index);
      this.remember(index, page);
      return page;
    }

    /** Whether page b is page a shifted by `shift` bytes: same size, blocks and byte counts. */
    private sameLayout(a: DescribedPage, b: DescribedPage, shift: number): boolean {
      const pa = a.plan;
      const pb = b.plan;
      if (!pa || !pb || a.info.width !== b.info.width || a.info.height !== b.info.height) return false;
      if (pa.offsets.length !== pb.offsets.length || pa.stored !== pb.stored || pa.compressionCode !== pb.compressionCode) {
        return false;
      }
      return pa.offsets.every((o, i) => pb.offsets[i] === o + shift && pb.byteCounts[i] === pa.byteCounts[i]);
    }

    private remember(index: number, page: Page): void {
      if (this.pages.size >= PAGE_CACHE) {
        // The oldest page after the first three (they anchor the layout).
        for (const key of this.pages.keys()) {
          if (key > 2) {
            this.pages.delete(key);
            break;
          }
        }
      }
      this.pages.set(index, page);
    }

    private ifdBytes(page: Page): number {
      return (this.big ? 16 : 6) + page.count * (this.big ? 20 : 12);
    }

    /**
     * Read the directory at `offset` and the values of the tags the reader uses into a small
     * buffer of their own, with the entries' positions moved into it (the TagReader reads there).
     */
    private async loadPage(offset: number, index: number, values = true): Promise<Page> {
      const { le, big } = this;
      const size = this.source.size;
      const countBytes = big ? 8 : 2;
      const entrySize = big ? 20 : 12;
      const inline = big ? 8 : 4;
      if (!Number.isFinite(offset) || offset + countBytes > size) {
        throw new TiffError(
          `truncated TIFF: the directory of frame ${index} is at byte ${offset}, past the end of the file (${size} bytes)`,
          'truncated'
        );
      }
      let chunk = await this.source.read(offset, CHUNK);
      let view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const n = big ? readOffset(view, 0, le, true) : view.getUint16(0, le);
      if (n === 0) throw new TiffError(`corrupt TIFF: the directory of frame ${index} has no entries`, 'corrupt');
      const ifdBytes = countBytes + n * entrySize + inline;
      if (offset + ifdBytes > size) {
        throw new TiffError(
          `truncated TIFF: the directory of frame ${index} (${n} entries at byte ${offset}) runs past the end of the file (${size} bytes)`,
          'truncated'
        );
      }
      if (chunk.length < ifdBytes) {
        chunk = await this.source.read(offset, ifdBytes);
        view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      const next = readOffset(view, ifdBytes - inline, le, big);
      // The entries the reader uses; values outside the directory are gathered after it.
      const wanted: { entry: RawEntry; from: number; bytes: number }[] = [];
      const entries = new Map<number, RawEntry>();
      let localEnd = ifdBytes;
      for (let i = 0; i < n; i++) {
        const at = countBytes + i * entrySize;
        const tag = view.getUint16(at, le);
        const type = view.getUint16(at + 2, le);
        const count = big ? readOffset(view, at + 4, le, true) : view.getUint32(at + 4, le);
        const typeSize = TYPE_SIZES[type];
        if (typeSize === undefined || entries.has(tag) || !USED.has(tag) || !values) continue;
        const bytes = count * typeSize;
        const valueField = at + (big ? 12 : 8);
        if (bytes <= inline) {
          entries.set(tag, { tag, type, count, at: valueField, inFile: true });
          continue;
        }
        const from = readOffset(view, valueField, le, big);
        const inFile = Number.isFinite(bytes) && from + bytes <= size;
        const entry = { tag, type, count, at: inFile ? localEnd : 0, inFile };
        entries.set(tag, entry);
        if (inFile) {
          wanted.push({ entry, from, bytes });
          localEnd += bytes;
        }
      }
      const local = new Uint8Array(localEnd);
      local.set(chunk.subarray(0, ifdBytes));
      for (const { entry, from, bytes } of wanted) {
        const inChunk = from >= offset && from + bytes <= offset + chunk.length;
        const data = inChunk ? chunk.subarray(from - offset, from - offset + bytes) : await this.source.read(from, bytes);
        local.set(data, entry.at);
      }
      const localView = new DataView(local.buffer);
      const skeleton = { view: localView, littleEndian: le, bigTiff: big, ifds: [], notes: [] };
      const ifd = { offset: 0, count: n, next };
      return {
        offset,
        count: n,
        next,
        tags: new TagReader(localView, local, le, entries, `frame ${index}`),
        width: inlineNumber(skeleton, ifd, Tag.ImageWidth),
        height: inlineNumber(skeleton, ifd, Tag.ImageLength)
      };
    }

    private le = true;
    private big = false;
    private first: DescribedPage | null = null;
    private description?: string;
    private planeFrames = 1;
    private contiguous?: ImageJContiguous;
    private pageCount = 1;
    /** Bytes between successive directories, and between their blocks (regular layout). */
    private stride = 0;
    private dataStride = 0;
    /** Directory offsets known from the chain (pages 0, 1 and, once walked, all). */
    private offsets: number[] = [];
    private pages = new Map<number, Page>();
    private notes: string[] = [];
  }

  /** The bytes a frame's blocks span (empty blocks ignored). */
  export function spanOf(plan: FramePlan): { start: number; end: number } {
    let start = Infinity;
    let end = 0;
    plan.offsets.forEach((o, i) => {
      const count = plan.byteCounts[i];
      if (count > 0) {
        start = Math.min(start, o);
        end = Math.max(end, o + count);
      }
    });
    return start === Infinity ? { start: 0, end: 0 } : { start, end };
  }
}
