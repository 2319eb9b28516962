/**
 * Typed messages between the main thread and the image Worker, which decodes files of every
 * format `openImage` reads off the main thread (an LZW 4096² frame takes most of a second). The
 * file is transferred in once (or read by the Worker from its URL, by ranges); each decoded
 * frame's pixel buffer is transferred out.
 */
import type { SampleType } from '../io/image.js';
import type { FormatErrorCode, ImageFileInfo, ImageFormat, TiffErrorCode } from '../io/index.js';

/** Main thread → Worker. `name` (the file's path) picks the reader when the magic bytes do not. */
export type TiffWorkerRequest =
  | {
      type: 'open';
      id: number;
      buffer: ArrayBuffer;
      maxBytes?: number;
      name?: string;
      dataset?: string;
      /** HDF5 external links' files by base name (Eiger data files beside the master). */
      linked?: Record<string, ArrayBuffer>;
    }
  | {
      /** Open the file at `url` by Range requests (jupyter_server's /files/), lazily where the layout allows. */
      type: 'open-url';
      id: number;
      url: string;
      /** Sent with every request (authorization). */
      headers?: Record<string, string>;
      maxBytes?: number;
      name?: string;
      dataset?: string;
      linked?: Record<string, ArrayBuffer>;
    }
  | { type: 'read'; id: number; frame: number }
  | { type: 'close'; id: number };

/** Worker → main thread. */
export type TiffWorkerResponse =
  | {
      type: 'opened';
      id: number;
      info: ImageFileInfo;
      /** 'open-url': whether frames are read by ranges (else the file was read whole). */
      byRanges?: boolean;
      /** 'open-url': bytes read from the server so far. */
      bytesRead?: number;
    }
  | {
      type: 'frame';
      id: number;
      frame: number;
      height: number;
      width: number;
      sampleType: SampleType;
      data: ArrayBuffer;
      /** 'open-url': bytes read from the server so far. */
      bytesRead?: number;
    }
  | {
      type: 'error';
      id: number;
      frame?: number;
      /** Which typed error the reader threw (TiffError for TIFF files, FormatError for the others). */
      error: 'TiffError' | 'FormatError' | 'internal';
      code: TiffErrorCode | FormatErrorCode | 'internal';
      format?: ImageFormat | 'unknown';
      /** 'linked-file-missing': the file the link names. */
      linkedFile?: string;
      message: string;
    };
