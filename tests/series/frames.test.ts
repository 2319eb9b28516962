import { FrameSpecError, parseFrameSpec, selectFrames, splitTracks } from '../../src/series/index.js';

describe('frame selections', () => {
  const select = (spec: string, count: number) => selectFrames(parseFrameSpec(spec), count);

  it('reads all, N, a:b (end exclusive), a:b:step and open ends like numpy', () => {
    expect(select('all', 4)).toEqual([0, 1, 2, 3]);
    expect(select('2', 4)).toEqual([2]);
    expect(select('1:3', 10)).toEqual([1, 2]);
    expect(select('0:10:3', 10)).toEqual([0, 3, 6, 9]);
    expect(select(':3', 10)).toEqual([0, 1, 2]);
    expect(select('7:', 10)).toEqual([7, 8, 9]);
    expect(select('::4', 10)).toEqual([0, 4, 8]);
    expect(select(' 5:99 ', 8)).toEqual([5, 6, 7]);
  });

  it('refuses what it cannot read, and selections a file cannot meet', () => {
    for (const bad of ['', 'x', '-1', '1.5', '3:1', '2:2', '0:4:0', '1:2:3:4', 'all:3', '1e3']) {
      expect(() => parseFrameSpec(bad)).toThrow(FrameSpecError);
    }
    expect(() => select('4', 4)).toThrow('frame 4 does not exist: the file has 4 frame(s)');
    expect(() => select('5:9', 4)).toThrow(/select no frame/);
  });

  it('cuts a selection into tracks by length only', () => {
    expect(splitTracks([0, 1, 2, 3, 4], 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(splitTracks([3, 5, 7], 20)).toEqual([[3, 5, 7]]);
    expect(splitTracks([0, 1, 2], 0)).toEqual([[0, 1, 2]]);
  });
});
