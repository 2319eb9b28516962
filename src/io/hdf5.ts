/**
 * HDF5 images (EMD Berkeley and Velox, NeXus/NXmx and Eiger masters, HyperSpy `.hspy`) with
 * h5wasm, the HDF5 C library compiled to WebAssembly (loaded on first use; works in Node, jest,
 * Web Workers and pages). The file is written into h5wasm's in-memory file system, so it is
 * held twice while open: `close()` releases the copy.
 *
 * The dataset read (`info.dataset`) is, in order: the caller's `dataset` option; the NeXus
 * default (the root's `default` entry, its `default` NXdata, its `signal`, else the NXdata's
 * first image dataset); the largest numeric dataset of 2 or more dimensions whose last two are
 * at least 8 (`info.datasets` lists them all so the caller can pick another). Frames: the last
 * two axes are the image; leading axes are frames (flattened); Velox's `Data/Image/*\/Data` keeps
 * frames on the last axis. External links (Eiger data files) are followed through
 * `options.linkedFile`; a link whose file is not given is refused with 'linked-file-missing'
 * naming it. int64/uint64 samples are returned as float64.
 *
 * Metadata: NXmx detector pixel size, distance, beam center (pixels) and wavelength; HyperSpy
 * beam energy and camera length; the axes' calibration (scale, units) of HyperSpy and EMD.
 */
import { FormatError } from './format-error.js';
import type { DiffractionImage, PixelArray, SampleType } from './image.js';
import type { DatasetSummary, ImageFile, ImageFileInfo, OpenImageOptions } from './image-file.js';
import { DEFAULT_IMAGE_MAX_BYTES } from './image-file.js';
import { asFormatError, checkBudget, checkDimensions, checkFrameIndex } from './raw.js';
import { decodesPipeline, RawChunkedDataset, samplesOf } from './hdf5-chunks.js';
import { attr, lookup, metadataOf } from './hdf5-metadata.js';


/** Open an HDF5 file held in memory. @throws FormatError */
export async function openHdf5(
  buffer: Uint8Array,
  name: string,
  options: OpenImageOptions = {}
): Promise<ImageFile> {
  Private.checkLength(buffer, name);
  const h5 = await Private.load();
  const fs = Private.fileSystem(h5);
  const fsName = fs.put(buffer, name || 'file.h5');
  let file: any;
  try {
    file = new h5.lib.File(fsName, 'r');
    file.keys(); // h5wasm opens some invalid files without complaint; listing the root fails
  } catch (e) {
    try {
      file?.close();
    } catch {
      // not open
    }
    fs.remove(fsName);
    throw new FormatError(`corrupt HDF5 file: ${name || 'the file'} cannot be opened (${message(e)})`, 'corrupt', 'hdf5', { cause: e });
  }
  try {
    return await Private.Hdf5File.open(h5, fs, file, fsName, options, buffer);
  } catch (e) {
    try {
      file.close();
    } catch {
      // already closed
    }
    fs.removeAll(fsName);
    throw e instanceof FormatError ? e : asFormatError('hdf5', 'reading the file', e);
  }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);
}

namespace Private {
  export interface H5 {
    lib: any;
    FS: any;
  }

  let loading: Promise<H5> | null = null;

  /**
   * Refuse a file shorter than the end-of-file address its superblock declares (a cut
   * download), before the HDF5 library sees it: superblock versions 0 and 1 keep the address
   * after the base and free-space addresses, versions 2 and 3 after the base and extension
   * addresses (HDF5 file format specification, "Superblock").
   */
  export function checkLength(bytes: Uint8Array, name: string): void {
    let at = -1;
    for (let p = 0; p + 8 <= bytes.length && p <= 1 << 20; p = p === 0 ? 512 : p * 2) {
      if (bytes[p] === 0x89 && bytes[p + 1] === 0x48 && bytes[p + 2] === 0x44 && bytes[p + 3] === 0x46) {
        at = p;
        break;
      }
    }
    if (at < 0) return;
    const version = bytes[at + 8];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let sizeOfOffsets: number;
    let field: number;
    if (version === 0 || version === 1) {
      sizeOfOffsets = bytes[at + 13];
      field = at + 24 + (version === 1 ? 4 : 0);
    } else if (version === 2 || version === 3) {
      sizeOfOffsets = bytes[at + 9];
      field = at + 12;
    } else {
      return;
    }
    if (sizeOfOffsets !== 8 && sizeOfOffsets !== 4) return;
    const read = (p: number): number =>
      p + sizeOfOffsets > bytes.length
        ? Infinity
        : sizeOfOffsets === 8
          ? Number(view.getBigUint64(p, true))
          : view.getUint32(p, true);
    const base = read(field);
    const eof = read(field + 2 * sizeOfOffsets);
    const declared = base + eof;
    if (declared > bytes.length) {
      throw new FormatError(
        `truncated: ${name || 'the HDF5 file'} declares ${Number.isFinite(declared) ? declared : 'more'} bytes but holds ${bytes.length} (a cut copy?)`,
        'truncated',
        'hdf5'
      );
    }
  }

  /** Load h5wasm once (its WebAssembly is instantiated on the first HDF5 file). */
  export function load(): Promise<H5> {
    loading ??= (async () => {
      try {
        const mod: any = await import('h5wasm');
        lib = { ...(mod.default ?? {}), ...mod };
        const ready = await lib.ready;
        return { lib, FS: ready.FS ?? lib.FS };
      } catch (e) {
        loading = null;
        throw new FormatError(`cannot load the HDF5 reader (h5wasm): ${message(e)}`, 'corrupt', 'hdf5', { cause: e });
      }
    })();
    return loading;
  }

  let counter = 0;

  /** Files in h5wasm's in-memory file system: one folder per opened file, linked files beside. */
  export function fileSystem(h5: H5): {
    put(bytes: Uint8Array, name: string): string;
    putBeside(main: string, name: string, bytes: Uint8Array): string;
    has(main: string, name: string): boolean;
    remove(path: string): void;
    removeAll(main: string): void;
  } {
    const FS = h5.FS;
    const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));
    const safe = (name: string): string => name.replace(/^.*[\\/]/, '').replace(/[^\w.-]/g, '_') || 'file.h5';
    return {
      put(bytes, name) {
        const folder = `/diffraction-${++counter}`;
        FS.mkdir(folder);
        const path = `${folder}/${safe(name)}`;
        FS.writeFile(path, bytes);
        return path;
      },
      putBeside(main, name, bytes) {
        const path = `${folderOf(main)}/${safe(name)}`;
        FS.writeFile(path, bytes);
        return path;
      },
      has(main, name) {
        try {
          FS.stat(`${folderOf(main)}/${safe(name)}`);
          return true;
        } catch {
          return false;
        }
      },
      remove(path) {
        try {
          FS.unlink(path);
          FS.rmdir(folderOf(path));
        } catch {
          // gone already
        }
      },
      removeAll(main) {
        const folder = folderOf(main);
        try {
          for (const entry of FS.readdir(folder)) {
            if (entry !== '.' && entry !== '..') FS.unlink(`${folder}/${entry}`);
          }
          FS.rmdir(folder);
        } catch {
          // gone already
        }
      }
    };
  }

  /** Bounded walk: at most this many objects are visited when looking for images. */
  const MAX_OBJECTS = 20000;

  interface Found {
    path: string;
    dataset: any;
    /** Where the data really is (an external file), for messages. */
    via?: string;
    /** The bytes of the file holding the dataset when not the main file's (for the chunks h5wasm cannot decode). */
    bytes?: Uint8Array;
  }

  function dtypeOf(dataset: any): { type: SampleType; from?: string } | null {
    const m = dataset.metadata ?? {};
    // h5wasm: type 0 = integer, 1 = float; size in bytes; signed.
    if (m.type === 0) {
      const signed = !!m.signed;
      switch (m.size) {
        case 1:
          return { type: signed ? 'int8' : 'uint8' };
        case 2:
          return { type: signed ? 'int16' : 'uint16' };
        case 4:
          return { type: signed ? 'int32' : 'uint32' };
        case 8:
          return { type: 'float64', from: signed ? 'int64' : 'uint64' };
      }
      return null;
    }
    if (m.type === 1) {
      if (m.size === 4) return { type: 'float32' };
      if (m.size === 8) return { type: 'float64' };
      if (m.size === 2) return { type: 'float32', from: 'float16' };
    }
    if (m.type === 8 && m.size === 1) return { type: 'uint8', from: 'enum/bool' };
    return null;
  }

  /** Velox keeps an image's frames on the last axis of `/Data/Image/<id>/Data`. */
  function isVelox(path: string, shape: number[]): boolean {
    return /^\/Data\/Image\/[^/]+\/Data$/.test(path) && shape.length === 3;
  }

  function isImage(dataset: any, path: string): boolean {
    const shape: number[] = dataset.shape ?? [];
    const [h, w] = isVelox(path, shape) ? shape : shape.slice(-2);
    return shape.length >= 2 && h >= 8 && w >= 8 && dtypeOf(dataset) !== null;
  }

  let lib: any = null;

  /** 'Group', 'Dataset', 'ExternalLink', ... (h5wasm's classes; the File is a Group). */
  function kind(node: any): string {
    if (!node || !lib) return typeof node;
    if (node instanceof lib.ExternalLink) return 'ExternalLink';
    if (node instanceof lib.Dataset) return 'Dataset';
    if (node instanceof lib.Group) return 'Group';
    return 'other';
  }

  export class Hdf5File implements ImageFile {
    readonly info: ImageFileInfo;

    static async open(
      h5: H5,
      fs: ReturnType<typeof fileSystem>,
      file: any,
      fsName: string,
      options: OpenImageOptions,
      buffer: Uint8Array
    ): Promise<Hdf5File> {
      const extra: any[] = [];
      const linkedBytes = new Map<string, Uint8Array>();
      /** Resolve a path, following external links into files the caller provides. */
      const resolve = async (path: string): Promise<Found | null> => {
        let node: any;
        try {
          node = lookup(file, path, kind);
        } catch {
          return null;
        }
        if (node && kind(node) === 'ExternalLink') {
          const target: string = node.filename;
          const inner: string = node.obj_path;
          if (!fs.has(fsName, target)) {
            const bytes = options.linkedFile ? await options.linkedFile(target) : undefined;
            if (!bytes) {
              throw new FormatError(
                `linked file missing: ${path} is an external link to ${inner} in "${target}", which is not available ` +
                  '(put the data file beside the master file)',
                'linked-file-missing',
                'hdf5',
                { linkedFile: target }
              );
            }
            fs.putBeside(fsName, target, bytes);
            linkedBytes.set(target, bytes);
          }
          let other: any;
          try {
            other = new h5.lib.File(`${fsName.slice(0, fsName.lastIndexOf('/'))}/${target.replace(/^.*[\\/]/, '').replace(/[^\w.-]/g, '_')}`, 'r');
          } catch (e) {
            throw new FormatError(`corrupt HDF5 file: the linked file "${target}" cannot be opened (${message(e)})`, 'corrupt', 'hdf5', { cause: e });
          }
          extra.push(other);
          const dataset = other.get(inner);
          const bytes = linkedBytes.get(target) ?? new Uint8Array(h5.FS.readFile(`${fsName.slice(0, fsName.lastIndexOf('/'))}/${target.replace(/^.*[\\/]/, '').replace(/[^\w.-]/g, '_')}`));
          return dataset ? { path, dataset, via: target, bytes } : null;
        }
        return node ? { path, dataset: node } : null;
      };

      const datasets: DatasetSummary[] = [];
      const external: string[] = [];
      const nxdata: string[] = [];
      // Bounded breadth-first walk listing image datasets (external links noted, not opened).
      const queue: string[] = ['/'];
      let visited = 0;
      while (queue.length && visited < MAX_OBJECTS) {
        const path = queue.shift()!;
        let group: any;
        try {
          group = path === '/' ? file : file.get(path);
        } catch {
          continue;
        }
        let keys: string[] = [];
        try {
          keys = group.keys();
        } catch {
          continue;
        }
        for (const key of keys) {
          if (++visited > MAX_OBJECTS) break;
          const child = path === '/' ? `/${key}` : `${path}/${key}`;
          let node: any;
          try {
            node = file.get(child);
          } catch {
            continue;
          }
          const k = kind(node);
          if (k === 'Group') {
            queue.push(child);
            if (String(attr(node, 'NX_class')) === 'NXdata') nxdata.push(child);
          }
          else if (k === 'Dataset' && isImage(node, child)) datasets.push({ path: child, shape: [...node.shape], dtype: String(node.dtype) });
          else if (k === 'ExternalLink') external.push(child);
        }
      }

      let found: Found | null = null;
      if (options.dataset !== undefined) {
        const wanted = options.dataset.startsWith('/') ? options.dataset : `/${options.dataset}`;
        found = await resolve(wanted);
        if (!found || kind(found.dataset) !== 'Dataset' || !isImage(found.dataset, wanted)) {
          throw new FormatError(
            `no such dataset: ${wanted} is not a numeric dataset of 2 or more dimensions in the file` +
              (datasets.length ? ` (image datasets: ${datasets.slice(0, 8).map(d => d.path).join(', ')})` : ''),
            'no-such-dataset',
            'hdf5'
          );
        }
      } else {
        found = await Hdf5File.nexusDefault(file, resolve);
        // NXmx files without a `default` attribute (Eiger masters): the first NXdata group.
        for (const group of nxdata.sort()) {
          found ??= await Hdf5File.fromNxData(file, group, resolve);
        }
        if (!found && datasets.length) {
          const size = (d: DatasetSummary): number => d.shape.reduce((a, b) => a * b, 1);
          const best = datasets.reduce((a, b) => (size(b) > size(a) ? b : a));
          found = await resolve(best.path);
        }
        if (!found && external.length) {
          found = await resolve(external[0]); // an Eiger-like master: its data is elsewhere
        }
      }
      if (!found || kind(found.dataset) !== 'Dataset' || !isImage(found.dataset, found.path)) {
        throw new FormatError('no image: the HDF5 file holds no numeric dataset of 2 or more dimensions', 'no-image', 'hdf5');
      }
      if (!datasets.some(d => d.path === found!.path)) {
        datasets.push({ path: found.path, shape: [...found.dataset.shape], dtype: String(found.dataset.dtype) });
      }
      found.bytes ??= buffer;
      return new Hdf5File(fs, file, fsName, extra, found, datasets, options.maxBytes ?? DEFAULT_IMAGE_MAX_BYTES);
    }

    /** The NeXus default: /@default → entry/@default → its NXdata. */
    private static async nexusDefault(file: any, resolve: (path: string) => Promise<Found | null>): Promise<Found | null> {
      const entryName = attr(file, 'default');
      if (typeof entryName !== 'string') return null;
      const entryPath = `/${entryName}`;
      let entry: any;
      try {
        entry = file.get(entryPath);
      } catch {
        return null;
      }
      if (!entry) return null;
      const dataName = attr(entry, 'default');
      return Hdf5File.fromNxData(file, typeof dataName === 'string' ? `${entryPath}/${dataName}` : `${entryPath}/data`, resolve);
    }

    /** An NXdata group's image: its `signal`, else its first image dataset or external link (Eiger's data_000001). */
    private static async fromNxData(
      file: any,
      dataPath: string,
      resolve: (path: string) => Promise<Found | null>
    ): Promise<Found | null> {
      let data: any;
      try {
        data = lookup(file, dataPath, kind);
      } catch {
        return null;
      }
      if (!data) return null;
      if (kind(data) === 'Dataset') return isImage(data, dataPath) ? { path: dataPath, dataset: data } : null;
      if (kind(data) !== 'Group') return null;
      const signal = attr(data, 'signal');
      if (typeof signal === 'string') {
        const s = await resolve(`${dataPath}/${signal}`);
        if (s) return s;
      }
      let keys: string[] = [];
      try {
        keys = data.keys();
      } catch {
        return null;
      }
      for (const key of keys.sort()) {
        const path = `${dataPath}/${key}`;
        const node = file.get(path);
        if (kind(node) === 'ExternalLink' || (kind(node) === 'Dataset' && isImage(node, path))) return resolve(path);
      }
      return null;
    }

    private constructor(
      private readonly fs: ReturnType<typeof fileSystem>,
      private readonly file: any,
      private readonly fsName: string,
      private readonly extra: any[],
      found: Found,
      datasets: DatasetSummary[],
      maxBytes: number
    ) {
      const dataset = found.dataset;
      const shape: number[] = [...dataset.shape];
      this.velox = isVelox(found.path, shape);
      const height = this.velox ? shape[0] : shape[shape.length - 2];
      const width = this.velox ? shape[1] : shape[shape.length - 1];
      const frames = this.velox ? shape[2] : shape.slice(0, -2).reduce((a, b) => a * b, 1);
      checkDimensions('hdf5', height, width, frames);
      const dtype = dtypeOf(dataset)!;
      checkBudget('hdf5', height, width, dtype.type, maxBytes);
      this.dataset = dataset;
      this.bytes = found.bytes!;
      this.shape = shape;
      this.dtype = dtype;
      const notes: string[] = [];
      if (found.via) notes.push(`data read from the linked file "${found.via}"`);
      if (dtype.from) notes.push(`${dtype.from} samples read as ${dtype.type}`);
      if (shape.length > 3) notes.push(`${shape.length}-D dataset ${shape.join(' × ')}: the leading axes are read as ${frames} frames`);
      if (this.velox) notes.push('Velox layout: frames on the last axis');
      this.info = {
        format: 'hdf5',
        width,
        height,
        frames,
        sampleType: dtype.type,
        littleEndian: dataset.metadata?.littleEndian,
        notes,
        metadata: metadataOf(file, found.path, kind),
        dataset: found.path,
        datasets
      };
    }

    async readFrame(index: number): Promise<DiffractionImage> {
      checkFrameIndex('hdf5', index, this.info.frames);
      if (this.closed) throw new FormatError('the HDF5 file was closed', 'corrupt', 'hdf5');
      const { height, width } = this.info;
      let values: any;
      try {
        let ranges: [number, number][] | [][];
        if (this.velox) {
          ranges = [[0, height], [0, width], [index, index + 1]];
        } else {
          const lead = this.shape.slice(0, -2);
          const at: [number, number][] = [];
          let rest = index;
          for (let i = lead.length - 1; i >= 0; i--) {
            at.unshift([rest % lead[i], (rest % lead[i]) + 1]);
            rest = Math.floor(rest / lead[i]);
          }
          ranges = [...at, [0, height], [0, width]];
        }
        values = this.raw ? this.readRaw(ranges) : this.dataset.slice(ranges);
      } catch (e) {
        if (e instanceof FormatError) throw e;
        const text = message(e);
        if (/filter|plugin|can't open|decompress/i.test(text)) {
          throw new FormatError(
            `unsupported HDF5 compression: frame ${index} of ${this.info.dataset} uses a filter this reader lacks (${text})`,
            'unsupported-compression',
            'hdf5',
            { cause: e }
          );
        }
        throw new FormatError(`corrupt HDF5 file: reading frame ${index} of ${this.info.dataset} failed (${text})`, 'corrupt', 'hdf5', { cause: e });
      }
      return { height, width, data: toPixels(values, this.dtype.type, height * width), sampleType: this.dtype.type };
    }

    /**
     * Filters h5wasm lacks (Eiger's bitshuffle/LZ4, LZ4): the chunks are read from the file's
     * bytes and decoded here (./hdf5-chunks.ts); the object header is found by an object reference.
     */
    private get raw(): boolean {
      if (this.velox || this.rawState === false) return false;
      if (this.rawState === undefined) {
        let filters: any[] = [];
        try {
          filters = this.dataset.filters ?? [];
        } catch {
          // no filter pipeline
        }
        this.rawState = decodesPipeline(filters) ? filters : false;
      }
      return this.rawState !== false;
    }

    private readRaw(ranges: [number, number][] | [][]): ArrayLike<number | bigint> {
      if (!this.rawDataset) {
        const ref: Uint8Array = this.dataset.create_reference().ref_data;
        let address = 0;
        for (let i = ref.length - 1; i >= 0; i--) address = address * 256 + ref[i];
        const meta = this.dataset.metadata;
        this.rawDataset = new RawChunkedDataset(this.bytes, address, this.shape, meta.size, this.rawState as any[], meta.maxshape ?? this.shape);
      }
      const lead = (ranges as [number, number][]).slice(0, -2).map(r => r[0]);
      return samplesOf(this.rawDataset.readImage(lead), this.dataset.metadata);
    }

    close(): void {
      if (this.closed) return;
      this.closed = true;
      for (const f of [this.file, ...this.extra]) {
        try {
          f.close();
        } catch {
          // already closed
        }
      }
      this.fs.removeAll(this.fsName);
    }

    private readonly dataset: any;
    private readonly shape: number[];
    private readonly dtype: { type: SampleType; from?: string };
    private readonly velox: boolean;
    private readonly bytes: Uint8Array;
    private rawState: any[] | false | undefined;
    private rawDataset: RawChunkedDataset | null = null;
    private closed = false;
  }

  function toPixels(values: any, type: SampleType, n: number): PixelArray {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(values[i]);
      return out;
    }
    if (type === 'float32' && !(values instanceof Float32Array)) return Float32Array.from(values as ArrayLike<number>);
    if (type === 'uint8' && !(values instanceof Uint8Array)) return Uint8Array.from(values as ArrayLike<number>, v => Number(v));
    return values as PixelArray;
  }
}
