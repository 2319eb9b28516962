/**
 * The CLI on series, end to end: build lib/ (under the shared build lock), write drifting
 * stacks to a temporary folder, run `node lib/cli/diffraction-center.js` on them with
 * --frames, --ndjson, --csv, globs, --jobs, and on files and frames that cannot be read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { driftingStack } from '../../bench/series-stack.js';
import { encodeTiff } from '../../src/io/index.js';
import { generatePattern } from '../synth/index.js';

const root = process.cwd();
const cli = path.join(root, 'lib', 'cli', 'diffraction-center.js');
let dir = '';

function run(args: string[], cwd = root) {
  const out = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter(line => line)
    .map(line => JSON.parse(line));
}

/** The records without their timings (which differ from run to run). */
function untimed(records: Record<string, unknown>[]) {
  return records.map(({ ms: _ms, ...rest }) => rest);
}

const FRAMES = 12;
const stack = driftingStack({ kind: 'hexagonal', frames: FRAMES, size: 160, seed: 3 });
const rings = driftingStack({ kind: 'rings', frames: 4, size: 128, seed: 4 });

/** A stack whose center jumps by 6 px at frame 5. */
const jumpCenters = Array.from({ length: 8 }, (_, k) => ({ row: 80.3 + (k >= 5 ? 6 : 0) + 0.1 * k, col: 75.6 + 0.05 * k }));
const jumpStack = jumpCenters.map((center, k) =>
  generatePattern({ kind: 'rings', height: 160, width: 160, center, seed: 50 + k, spacing: 14, sigma: 1.6, sampleType: 'uint16' }).image
);

beforeAll(() => {
  execFileSync('flock', ['/tmp/build.lock', 'npm', 'run', 'build:lib'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(path.join(tmpdir(), 'diffraction-series-'));
  writeFileSync(path.join(dir, 'stack.tif'), encodeTiff(stack.frames));
  writeFileSync(path.join(dir, 'jump.tif'), encodeTiff(jumpStack));
  mkdirSync(path.join(dir, 'run'));
  rings.frames.forEach((frame, k) => writeFileSync(path.join(dir, 'run', `frame_${k}.tif`), encodeTiff(frame)));
  writeFileSync(path.join(dir, 'run', 'notes.txt'), 'not an image');
  // The last frame's pixels cut short: every other frame still reads (the writer puts each
  // page's directory before its pixels).
  const whole = encodeTiff(rings.frames);
  writeFileSync(path.join(dir, 'cut.tif'), whole.subarray(0, whole.length - 1000));
  writeFileSync(path.join(dir, 'not-a-tiff.tif'), 'hello');
}, 300_000);

afterAll(() => {
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('diffraction-center on series', () => {
  it('--frames all --ndjson: one record per frame in frame order, near the true centers, tracked between full searches', () => {
    const out = run([path.join(dir, 'stack.tif'), '--frames', 'all', '--ndjson', '--reseed', '5', '--jobs', '2']);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const records = ndjson(out.stdout);
    expect(records.map(r => r.frame)).toEqual(Array.from({ length: FRAMES }, (_, k) => k));
    for (const r of records) {
      const truth = stack.centers[r.frame as number];
      expect(r.file).toBe(path.join(dir, 'stack.tif'));
      expect(Math.hypot((r.row as number) - truth.row, (r.col as number) - truth.col)).toBeLessThan(0.1);
      for (const key of ['score', 'ms', 'method', 'reason', 'jump', 'warnings']) {
        expect(r).toHaveProperty(key);
      }
      expect(r.jump).toBe(false);
    }
    // --reseed 5: a full search at 0, 5 and 10, tracking between.
    expect(records.filter(r => r.method === 'full').map(r => r.frame)).toEqual([0, 5, 10]);
    expect(records.filter(r => r.method === 'full').map(r => r.reason)).toEqual(['start', 'start', 'start']);
    expect(records.filter(r => r.method === 'tracked')).toHaveLength(FRAMES - 3);
  });

  it('--frames N, a:b (end exclusive), a:b:step, a: and numpy-like clamping', () => {
    const file = path.join(dir, 'stack.tif');
    const frames = (spec: string) => ndjson(run([file, '--frames', spec, '--ndjson']).stdout).map(r => r.frame);
    expect(frames('3')).toEqual([3]);
    expect(frames('2:5')).toEqual([2, 3, 4]);
    expect(frames('1:10:4')).toEqual([1, 5, 9]);
    expect(frames('9:')).toEqual([9, 10, 11]);
    expect(frames('10:99')).toEqual([10, 11]);
    expect(frames('::5')).toEqual([0, 5, 10]);
  });

  it('gives the same records whatever --jobs is (tracks are cut by --reseed only)', () => {
    const file = path.join(dir, 'stack.tif');
    const one = run([file, '--frames', 'all', '--ndjson', '--reseed', '4', '--jobs', '1']);
    const three = run([file, '--frames', 'all', '--ndjson', '--reseed', '4', '--jobs', '3']);
    expect(one.status).toBe(0);
    expect(three.status).toBe(0);
    expect(untimed(ndjson(three.stdout))).toEqual(untimed(ndjson(one.stdout)));
  });

  it('--csv prints a header and the same values as --ndjson', () => {
    const file = path.join(dir, 'stack.tif');
    const csv = run([file, '--frames', '0:4', '--csv']);
    expect(csv.status).toBe(0);
    const [header, ...lines] = csv.stdout.trim().split('\n');
    expect(header).toBe('file,frame,row,col,score,ms,method,reason,jump,warnings,error,code');
    const json = ndjson(run([file, '--frames', '0:4', '--ndjson']).stdout);
    expect(lines).toHaveLength(4);
    lines.forEach((line, k) => {
      const cells = line.split(',');
      expect(cells[0]).toBe(file);
      expect(Number(cells[1])).toBe(k);
      expect(Number(cells[2])).toBe(json[k].row);
      expect(Number(cells[3])).toBe(json[k].col);
      expect(cells[6]).toBe(json[k].method);
    });
  });

  it('expands globs (sorted, files only) and says when a pattern matches nothing', () => {
    const out = run(['run/frame_*.tif', '--ndjson'], dir);
    expect(out.status).toBe(0);
    const records = ndjson(out.stdout);
    expect(records.map(r => r.file)).toEqual([0, 1, 2, 3].map(k => path.join('run', `frame_${k}.tif`)));
    records.forEach((r, k) => {
      expect(Math.hypot((r.row as number) - rings.centers[k].row, (r.col as number) - rings.centers[k].col)).toBeLessThan(0.1);
    });
    const absolute = ndjson(run([path.join(dir, 'run', '*_[13].tif'), '--ndjson']).stdout);
    expect(absolute.map(r => r.file)).toEqual([1, 3].map(k => path.join(dir, 'run', `frame_${k}.tif`)));
    const none = run(['run/*.h5', 'run/frame_0.tif', '--ndjson'], dir);
    expect(none.status).toBe(1);
    const [missing, found] = ndjson(none.stdout);
    expect(missing).toEqual({ file: 'run/*.h5', frame: null, error: 'no file matches run/*.h5', code: 'no-match' });
    expect(found.file).toBe(path.join('run', 'frame_0.tif'));
  });

  it('an unreadable frame is one error record; the other frames and files go on (exit status 1)', () => {
    const out = run([path.join(dir, 'cut.tif'), path.join(dir, 'not-a-tiff.tif'), path.join(dir, 'run', 'frame_2.tif'), '--frames', 'all', '--ndjson', '--jobs', '2']);
    expect(out.status).toBe(1);
    const records = ndjson(out.stdout);
    expect(records.map(r => [path.basename(r.file as string), r.frame])).toEqual([
      ['cut.tif', 0],
      ['cut.tif', 1],
      ['cut.tif', 2],
      ['cut.tif', 3],
      ['not-a-tiff.tif', null],
      ['frame_2.tif', 0]
    ]);
    for (const k of [0, 1, 2]) {
      expect(records[k]).not.toHaveProperty('error');
      expect(Math.hypot((records[k].row as number) - rings.centers[k].row, (records[k].col as number) - rings.centers[k].col)).toBeLessThan(0.1);
    }
    expect(records[3].code).toBe('truncated');
    expect(records[3].error).toMatch(/./);
    expect(records[4].code).toBe('not-tiff');
    expect(records[5]).not.toHaveProperty('error');
  });

  it('flags a jump of the beam and makes a full search there', () => {
    const out = run([path.join(dir, 'jump.tif'), '--frames', 'all', '--ndjson', '--reseed', '0']);
    expect(out.status).toBe(0);
    const records = ndjson(out.stdout);
    expect(records.map(r => r.jump)).toEqual([false, false, false, false, false, true, false, false]);
    expect(records[5].method).toBe('full');
    expect(['moved', 'score-drop']).toContain(records[5].reason);
    records.forEach((r, k) => {
      expect(Math.hypot((r.row as number) - jumpCenters[k].row, (r.col as number) - jumpCenters[k].col)).toBeLessThan(0.1);
      expect(r.method).toBe(k === 0 || k === 5 ? 'full' : 'tracked');
    });
  });

  it('--info prints frames and shape per file', () => {
    const out = run([path.join(dir, 'stack.tif'), path.join(dir, 'not-a-tiff.tif'), '--info']);
    expect(out.status).toBe(1);
    const [info, bad] = ndjson(out.stdout);
    expect(info).toMatchObject({ frames: FRAMES, height: 160, width: 160, sampleType: 'uint16' });
    expect(bad).toMatchObject({ code: 'not-tiff' });
  });

  it('text output: one line per frame; errors on stderr', () => {
    const out = run([path.join(dir, 'cut.tif'), '--frames', '2:4']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^cut\.tif\[2\]: center \(row, col\) = \(\d+\.\d{3}, \d+\.\d{3}\), score \d\.\d{3}, full search \(start\)/);
    expect(out.stderr).toMatch(/^cut\.tif\[3\]: error: .*\(truncated\)/);
  });

  it('refuses bad frame selections and --json for series (status 2, with usage)', () => {
    const file = path.join(dir, 'stack.tif');
    for (const args of [
      [file, '--frames', '5:2'],
      [file, '--frames', 'x'],
      [file, '--frames', '1:2:0'],
      [file, '--frames', '-1'],
      [file, '--frames', 'all', '--json'],
      [file, file, '--json'],
      [file, '--frame', '1', '--frames', '2'],
      [file, '--jobs', '0'],
      [file, '--ndjson', '--csv'],
      [file, '--bogus']
    ]) {
      const out = run(args);
      expect({ args, status: out.status }).toEqual({ args, status: 2 });
      expect(out.stderr).toMatch(/usage/);
    }
    const beyond = run([file, '--frames', '40', '--ndjson']);
    expect(beyond.status).toBe(1);
    expect(ndjson(beyond.stdout)[0]).toMatchObject({ frame: null, code: 'frames' });
    expect(ndjson(beyond.stdout)[0].error).toMatch(/frame 40 does not exist/);
  });

  it('draws a progress bar on stderr when it is a terminal, and none otherwise', () => {
    const file = path.join(dir, 'stack.tif');
    const command = [process.execPath, cli, file, '--frames', 'all', '--ndjson', '--jobs', '1']
      .map(a => `'${a}'`)
      .join(' ');
    // `script` runs the command on a pseudo-terminal (stdout and stderr both go to it).
    const tty = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(new RegExp(`\\[#+\\] ${FRAMES}/${FRAMES} frames, [\\d.]+ frames/s`));
    const lines = tty.stdout.split(/\r?\n/).filter(l => l.includes('"frame"'));
    expect(lines.length).toBe(FRAMES);
    const piped = run([file, '--frames', 'all', '--ndjson']);
    expect(piped.stderr).toBe('');
    const quiet = spawnSync('script', ['-qec', `${command} --no-progress`, '/dev/null'], { encoding: 'utf8' });
    expect(quiet.stdout).not.toMatch(/frames\/s/);
  });
});
