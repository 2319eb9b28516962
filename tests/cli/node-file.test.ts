/**
 * The Node API reads image files from disk by byte ranges (`openImageFile`, used by the CLI and
 * `centerFile`): a large stack is opened from its header and each frame is read when asked for,
 * so the bytes read stay far below the file's size; small files are read whole; a file cut short
 * gives the reader's error for the frames it lost, not a crash.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeTiff, type DiffractionImage } from '../../src/io/index.js';
import { centerFile, FILE_IDLE_MS, fileSource, openImageFile, ReadScratch } from '../../src/node.js';
import { generatePattern } from '../synth/index.js';

let dir = '';
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'diffraction-node-file-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 40 frames of 256² uint16: 5.2 MB, over the 4 MiB under which a file is read whole. Each
// frame is told apart by its values (a cheap ramp); frame 23 holds a ring pattern to center.
const SIDE = 256;
const CENTERED = 23;
const pattern = generatePattern({ kind: 'rings', height: SIDE, width: SIDE, center: { row: 121.3, col: 140.6 }, seed: 7, sampleType: 'uint16' });
const big = {
  frames: Array.from({ length: 40 }, (_, f): DiffractionImage => {
    if (f === CENTERED) return pattern.image;
    const data = new Uint16Array(SIDE * SIDE);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + f * 131) & 0xffff;
    return { height: SIDE, width: SIDE, data, sampleType: 'uint16' } as DiffractionImage;
  })
};

function write(name: string, frames: typeof big.frames): string {
  const file = path.join(dir, name);
  writeFileSync(file, encodeTiff(frames));
  return file;
}

describe('openImageFile', () => {
  it('opens a large stack by ranges and reads only the frames asked for', async () => {
    const file = write('big.tif', big.frames);
    const size = (await fileSource(file)).size;
    const opened = await openImageFile(file);
    expect(opened.byRanges).toBe(true);
    expect([opened.frames, opened.height, opened.width, opened.sampleType]).toEqual([40, 256, 256, 'uint16']);
    for (const f of [0, 17, CENTERED, 39]) {
      const frame = await opened.readFrame(f);
      expect(Array.from(frame.data)).toEqual(Array.from(big.frames[f].data));
    }
    // Four frames of 128 KiB and the header: far less than the file.
    expect(opened.bytesRead).toBeLessThan(size / 6);
    expect(opened.bytesRead).toBeGreaterThanOrEqual(4 * SIDE * SIDE * 2);
  });

  it('reads a small file whole, with the same frames', async () => {
    const frames = big.frames.slice(0, 3);
    const file = write('small.tif', frames);
    const opened = await openImageFile(file);
    expect(opened.byRanges).toBe(false);
    expect(opened.frames).toBe(3);
    expect(Array.from((await opened.readFrame(2)).data)).toEqual(Array.from(frames[2].data));
  });

  it('gives an error for a frame a truncated file lost, and still reads the frames it kept', async () => {
    const file = write('cut.tif', big.frames);
    const opened = await openImageFile(file);
    // Cut the file after it was opened (a copy still being written, a full disk): the last
    // frames' bytes are gone.
    truncateSync(file, Math.floor((fileSizeOf(opened) * 3) / 4));
    expect(Array.from((await opened.readFrame(1)).data)).toEqual(Array.from(big.frames[1].data));
    await expect(opened.readFrame(39)).rejects.toThrow(/frame 39 holds 0 bytes, 65536 expected/);
  });

  it('reads a batch of frames through one open handle and closes it once reads stop', async () => {
    const file = write('handle.tif', big.frames);
    const opened = await openImageFile(file);
    const handles = (): number => openHandles(file);
    const frames = await Promise.all([3, 4, 5].map(f => opened.readFrame(f)));
    frames.forEach((frame, k) => expect(Array.from(frame.data)).toEqual(Array.from(big.frames[3 + k].data)));
    // Right after the reads, their one handle is still open (the next frame will use it) ...
    expect(handles()).toBe(1);
    await opened.readFrame(6);
    expect(handles()).toBe(1);
    // ... and it is closed once no read has come for a while: nothing stays open between frames.
    await new Promise(resolve => setTimeout(resolve, FILE_IDLE_MS));
    for (let waited = 0; handles() > 0 && waited < 5000; waited += 20) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(handles()).toBe(0);
    // A read after that opens the file again.
    expect(Array.from((await opened.readFrame(7)).data)).toEqual(Array.from(big.frames[7].data));
  });

  it('reads frame after frame into the same memory when given a scratch, with the same values', async () => {
    // Frames of 512 KiB: larger than the range cache keeps, so they are read straight from the file.
    const side = 512;
    const frames = Array.from({ length: 10 }, (_, f): DiffractionImage => {
      const data = new Uint16Array(side * side);
      for (let i = 0; i < data.length; i++) data[i] = (i * 3 + f * 977) & 0xffff;
      return { height: side, width: side, data, sampleType: 'uint16' } as DiffractionImage;
    });
    const opened = await openImageFile(write('scratch.tif', frames));
    expect(opened.byRanges).toBe(true);
    const scratch = new ReadScratch();
    const a = await opened.readFrame(2, scratch);
    expect(Array.from(a.data)).toEqual(Array.from(frames[2].data));
    const b = await opened.readFrame(5, scratch);
    expect(Array.from(b.data)).toEqual(Array.from(frames[5].data));
    // The same memory: frame 2 as read before is now frame 5 (the scratch's contract).
    expect(b.data.buffer).toBe(a.data.buffer);
    expect(Array.from(a.data.subarray(0, 4))).toEqual(Array.from(frames[5].data.subarray(0, 4)));
    // Without a scratch, each frame is its own.
    const c = await opened.readFrame(5);
    const d = await opened.readFrame(6);
    expect(c.data.buffer).not.toBe(d.data.buffer);
    expect(Array.from(c.data)).toEqual(Array.from(frames[5].data));
  });

  it('centers one frame of a large stack (centerFile) as the whole-file read did', async () => {
    const file = write('center.tif', big.frames);
    const found = await centerFile(file, { frame: CENTERED, mask: null });
    const truth = pattern.center;
    expect(Math.hypot(found.row - truth.row, found.col - truth.col)).toBeLessThan(0.1);
  });
});

function fileSizeOf(opened: { height: number; width: number; frames: number }): number {
  return opened.frames * opened.height * opened.width * 2;
}

/** How many descriptors of this process are open on `file` (Linux: /proc/self/fd). */
function openHandles(file: string): number {
  return readdirSync('/proc/self/fd').filter(fd => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}
