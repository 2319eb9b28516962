/**
 * Finding the NCC peak between a plane and its inversion.
 *
 * - `searchReference`: the full-resolution FFT NCC map, its global maximum, and a sub-pixel fit.
 * - `searchFast`: coarse to fine. An anti-aliased pyramid (pyramid.ts) is built until the plane
 *   is at most COARSE_SIDE pixels a side; the FFT NCC map there gives up to CANDIDATES local
 *   maxima. Each candidate is carried to every finer level (shift x 2) and re-located by exact
 *   direct-sum NCC, climbing over 3 x 3 neighbourhoods; the best survives at full resolution and
 *   is fitted there. Lattice-like patterns have many near-equal geometric inversion centers; the
 *   candidate list keeps the true one (the one whose Friedel intensities match) in play until
 *   the full-resolution NCC separates them.
 * - `searchLocal`: the same climb at full resolution only, from a given shift.
 */
import { nccMapTransient, type Plane } from './ncc.js';
import { nccAtMemo } from './ncc-memo.js';
import { reducePlane } from './pyramid.js';
import { peakOffset3x3 } from './subpixel.js';

/** A located peak: shift of the inversion relative to the plane (rows, cols), sub-pixel. */
export interface Peak {
  shiftRow: number;
  shiftCol: number;
  /** Integer shift of the highest sample. */
  intRow: number;
  intCol: number;
  /** NCC at the integer peak. */
  score: number;
  /** Pyramid level the peak was fitted at (0 = full resolution). */
  level: number;
  /**
   * `searchFast`: the candidates as re-located at the level of the fit, best first (distinct
   * shifts), for a caller that wants to compare them at a finer level (`refineCandidates`).
   */
  candidates?: readonly Candidate[];
}

/** A candidate shift at one level, with the sub-pixel offset of its peak per axis. */
export interface Candidate {
  row: number;
  col: number;
  score: number;
  /** Sub-pixel offset of the peak from (row, col), per axis, in (-0.5, 0.5). */
  dRow: number;
  dCol: number;
}

/**
 * The coarsest level is reduced until no side exceeds this (its FFT NCC map then takes 128²
 * transforms), or until it is MAX_HALVINGS halvings coarser than the crop.
 */
export const COARSE_SIDE = 64;
/**
 * At most this many halvings between the crop and the coarsest level (16x): on a 2048² lattice
 * with walk-off, the raw track searched from a map 32x coarser than the crop (62 px a side)
 * ended at a false center 942 px away, from a map 16x coarser (123 px) at the true one.
 */
export const MAX_HALVINGS = 4;
/**
 * Best two candidates closer than this (in NCC) leave the choice to a finer level: the coarse
 * map is made again one level finer, or (autocenter's coarse pass) the best few are compared
 * again there. Measured over 360 benchmark cases: re-comparing at 2x overturned the 4x choice 21
 * times, always with a gap below 0.045.
 */
export const DECISIVE_MARGIN = 0.1;
/** Score gap between the best two candidates (1 when there are fewer). */
export function candidateGap(candidates: readonly Candidate[]): number {
  return candidates.length > 1 ? candidates[0].score - candidates[1].score : 1;
}
/** Local maxima of the coarse NCC kept as candidates. */
export const CANDIDATES = 10;
/**
 * Local maxima of an undecided coarse map screened one level finer (at most this many, in
 * practice all of them: on a background-normalized hexagonal lattice with walk-off the true
 * center was only the 150th of 245 maxima of the coarse map, 0.746 against 0.879, and the best
 * of all of them one level finer, 0.995).
 */
export const WIDE_CANDIDATES = 1000;
/** Above this many pixels per level, only the best few candidates are refined further. */
export const LARGE_LEVEL = 100_000;
export const LARGE_LEVEL_CANDIDATES = 3;

/**
 * Indices of the `count` highest local maxima (of their 5 x 5 neighbourhood, plateaus once)
 * with positive value of a `rows` x `cols` map, best first.
 */
export function localMaxima(v: Float64Array, rows: number, cols: number, count: number): number[] {
  return Private.localMaxima(v, rows, cols, count);
}

/**
 * Full-resolution FFT NCC, global maximum (within a distance `near` of shift 0 when given),
 * sub-pixel fit.
 */
export function searchReference(plane: Plane, near = Infinity): Peak {
  const map = nccMapTransient(plane);
  let best = -Infinity;
  let bi = 0;
  for (let i = 0; i < map.ncc.length; i++) {
    const far =
      near < Infinity &&
      Math.hypot(Math.floor(i / map.cols) - (plane.rows - 1), (i % map.cols) - (plane.cols - 1)) > near;
    if (map.ncc[i] > best && !far) {
      best = map.ncc[i];
      bi = i;
    }
  }
  const qr = Math.floor(bi / map.cols);
  const qc = bi - qr * map.cols;
  const intRow = qr - (plane.rows - 1);
  const intCol = qc - (plane.cols - 1);
  const samples = new Float64Array(9);
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      const r = qr + dr;
      const c = qc + dc;
      const inside = r >= 0 && r < map.rows && c >= 0 && c < map.cols;
      samples[(dr + 1) * 3 + dc + 1] = inside ? map.ncc[r * map.cols + c] : 0;
    }
  }
  return Private.fitted(intRow, intCol, best, samples);
}

/**
 * Coarse-to-fine search (see the module comment). With `finestLevel` > 0 the search stops that
 * many halvings above full resolution (a cheap estimate to re-center on); the returned shift is
 * always in full-resolution pixels. The coarsest level is at most `maxHalvings` halvings below
 * `plane`. With `near`, only the coarse candidates within `near` pixels (of `plane`) of shift 0
 * are followed.
 */
export function searchFast(
  plane: Plane,
  check: () => void = () => undefined,
  finestLevel = 0,
  escalate = true,
  maxHalvings = MAX_HALVINGS,
  near = Infinity
): Peak & { decisive: boolean } {
  const levels: Plane[] = [plane];
  while (Math.max(levels[0].rows, levels[0].cols) > COARSE_SIDE && levels.length <= maxHalvings) {
    const next = Private.reduced(levels[0]);
    if (next.valid < 16) {
      break;
    }
    levels.unshift(next);
    check();
  }
  if (levels.length === 1) {
    return { ...searchReference(plane, near), decisive: true };
  }

  // Candidates: local maxima of the coarse FFT map. When its best two are closer than
  // DECISIVE_MARGIN (many near-equal lattice points, blurred Friedel intensities), all its
  // maxima (up to WIDE_CANDIDATES) are screened one level finer, by the exact NCC where each
  // lands there (one direct sum each, far cheaper than the finer level's FFT map that was made
  // before), and the best CANDIDATES of them go on (with `escalate`).
  let map = Private.wideCandidates(levels[0]);
  if (near < Infinity) {
    // Only the maxima within `near` of shift 0 (the closest one if none is).
    const scale = 2 ** (levels.length - 1);
    const distance = (c: Candidate): number => scale * Math.hypot(c.row + c.dRow, c.col + c.dCol);
    const kept = map.filter(c => distance(c) <= near);
    map = kept.length > 0 ? kept : [...map].sort((a, b) => distance(a) - distance(b)).slice(0, 1);
  }
  check();
  const decisive = candidateGap(map) >= DECISIVE_MARGIN;
  let candidates = map.slice(0, CANDIDATES);
  let screen: Private.Climb | null = null;
  if (!decisive && escalate) {
    screen = new Private.Climb(levels[1]);
    candidates = Private.screen(screen, map, CANDIDATES);
    check();
  }
  const stop = Math.max(0, Math.min(finestLevel, levels.length - 2));

  let climb: Private.Climb | null = null;
  const last = levels.length - 1 - stop;
  for (let level = 1; level <= last; level++) {
    const fine = levels[level];
    climb = level === 1 && screen ? screen : new Private.Climb(fine);
    const limit =
      fine.rows * fine.cols > LARGE_LEVEL
        ? LARGE_LEVEL_CANDIDATES
        : level === 1 && screen
          ? 2 * CANDIDATES
          : CANDIDATES;
    candidates = Private.refine(climb, candidates, limit);
    if (level < last) {
      check();
    }
  }
  const peak = Private.best(climb!, candidates);
  const scale = 2 ** stop;
  return {
    ...peak,
    shiftRow: peak.shiftRow * scale,
    shiftCol: peak.shiftCol * scale,
    intRow: peak.intRow * scale,
    intCol: peak.intCol * scale,
    level: stop,
    candidates,
    decisive: decisive && candidateGap(candidates) >= DECISIVE_MARGIN
  };
}

/**
 * The best of `candidates` (found one level coarser than `plane`) re-located on `plane`: all are
 * evaluated where they land, the `limit` best of those and the first `limit` are climbed from
 * there, the highest is fitted.
 */
export function refineCandidates(plane: Plane, candidates: readonly Candidate[], limit: number): Peak {
  const climb = new Private.Climb(plane);
  // All are screened where they land; the `limit` best of that and of the coarse order climb.
  const screened = Private.screen(climb, candidates, limit);
  return Private.best(climb, Private.refine(climb, screened, 2 * limit));
}

/** Climb from `(row, col)` at full resolution only, and fit. */
export function searchLocal(plane: Plane, row: number, col: number): Peak {
  const climb = new Private.Climb(plane);
  const best = climb.climbFull(row, col);
  return Private.fitted(best.row, best.col, best.score, climb.neighbourhood(best.row, best.col));
}

namespace Private {
  /**
   * A restarted track (autocenter.ts) searches the same coarse plane again: its reductions and
   * the candidates of its coarsest map are kept per plane (planes never change once made).
   */
  const reductions = new WeakMap<Plane, Plane>();
  const wide = new WeakMap<Plane, Candidate[]>();

  /** `reducePlane(plane)`, made once per plane. */
  export function reduced(plane: Plane): Plane {
    let next = reductions.get(plane);
    if (!next) {
      next = reducePlane(plane);
      reductions.set(plane, next);
    }
    return next;
  }

  /** `mapCandidates(coarse, WIDE_CANDIDATES)`, made once per plane (callers only read it). */
  export function wideCandidates(coarse: Plane): readonly Candidate[] {
    let found = wide.get(coarse);
    if (!found) {
      found = mapCandidates(coarse, WIDE_CANDIDATES);
      wide.set(coarse, found);
    }
    return found;
  }

  /** The candidates of a plane's FFT NCC map: its best local maxima, with sub-pixel offsets. */
  export function mapCandidates(coarse: Plane, count = CANDIDATES): Candidate[] {
    const map = nccMapTransient(coarse);
    return localMaxima(map.ncc, map.rows, map.cols, count).map(i => {
      const qr = Math.floor(i / map.cols);
      const qc = i % map.cols;
      const at = (r: number, c: number): number =>
        r >= 0 && r < map.rows && c >= 0 && c < map.cols ? map.ncc[r * map.cols + c] : 0;
      return {
        row: qr - (coarse.rows - 1),
        col: qc - (coarse.cols - 1),
        score: map.ncc[i],
        dRow: vertex(at(qr - 1, qc), map.ncc[i], at(qr + 1, qc)),
        dCol: vertex(at(qr, qc - 1), map.ncc[i], at(qr, qc + 1))
      };
    });
  }

  /** Offset of the vertex of the parabola through (-1, a), (0, b), (1, c) when b is a maximum. */
  export function vertex(a: number, b: number, c: number): number {
    const curvature = a - 2 * b + c;
    if (!(curvature < 0)) {
      return 0;
    }
    const d = (a - c) / (2 * curvature);
    return d > 0.5 ? 0.5 : d < -0.5 ? -0.5 : d;
  }

  /**
   * The first `limit` candidates climbed on the finer level of `climb`, each from where its
   * sub-pixel position lands there (so that the climb usually only has to confirm it); best
   * first, distinct.
   */
  export function refine(climb: Climb, candidates: readonly Candidate[], limit: number): Candidate[] {
    const refined = candidates
      .slice(0, limit)
      .map(c => climb.climb(2 * c.row + Math.round(2 * c.dRow), 2 * c.col + Math.round(2 * c.dCol)));
    refined.sort((a, b) => b.score - a.score);
    return unique(refined);
  }

  /**
   * Of `candidates` (found one level coarser than `climb`'s plane, best first), the `keep` best
   * by the exact NCC where each lands on the finer level (one evaluation each, kept in `climb`),
   * and the `keep` best of the coarse order, without repeats: a landing point can miss a sharp
   * finer peak by a pixel (the true center of one lattice was the best coarse maximum and only
   * the 27th where it landed), and the coarse order can miss what the finer level separates.
   */
  export function screen(climb: Climb, candidates: readonly Candidate[], keep: number): Candidate[] {
    const scored = candidates.map((c, k) => ({
      k,
      v: climb.value(2 * c.row + Math.round(2 * c.dRow), 2 * c.col + Math.round(2 * c.dCol))
    }));
    scored.sort((a, b) => b.v - a.v || a.k - b.k);
    const chosen = new Set<number>();
    for (let k = 0; k < Math.min(keep, candidates.length); k++) {
      chosen.add(scored[k].k);
      chosen.add(k);
    }
    return [...chosen].sort((a, b) => a - b).map(k => candidates[k]);
  }

  /** The highest candidate, made a true 3 x 3 maximum and fitted to sub-pixel precision. */
  export function best(climb: Climb, candidates: readonly Candidate[]): Peak {
    const top = climb.climbFull(candidates[0].row, candidates[0].col);
    return fitted(top.row, top.col, top.score, climb.neighbourhood(top.row, top.col));
  }

  export function fitted(row: number, col: number, score: number, samples: Float64Array): Peak {
    const offset = peakOffset3x3(samples);
    return {
      shiftRow: row + offset.dRow,
      shiftCol: col + offset.dCol,
      intRow: row,
      intCol: col,
      score,
      level: 0
    };
  }

  /** Non-maximum suppression radius: candidates are maxima of their 5 x 5 neighbourhood. */
  const SUPPRESSION = 2;

  /** Indices of the `count` highest local maxima (plateaus count once) with positive value. */
  export function localMaxima(v: Float64Array, rows: number, cols: number, count: number): number[] {
    const found: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const x = v[i];
        if (!(x > 0)) {
          continue;
        }
        let isMax = true;
        for (let dr = -SUPPRESSION; dr <= SUPPRESSION && isMax; dr++) {
          const rr = r + dr;
          if (rr < 0 || rr >= rows) {
            continue;
          }
          for (let dc = -SUPPRESSION; dc <= SUPPRESSION; dc++) {
            const cc = c + dc;
            if (cc < 0 || cc >= cols || (dr === 0 && dc === 0)) {
              continue;
            }
            const y = v[rr * cols + cc];
            // Ties: only the first in scan order counts.
            if (y > x || (y === x && rr * cols + cc < i)) {
              isMax = false;
              break;
            }
          }
        }
        if (isMax) {
          found.push(i);
        }
      }
    }
    found.sort((a, b) => v[b] - v[a]);
    return found.slice(0, count);
  }

  export function unique(list: Candidate[]): Candidate[] {
    const seen = new Set<string>();
    return list.filter(c => {
      const key = `${c.row},${c.col}`;
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    });
  }

  const NEIGHBOURS = [
    [-1, 0],
    [1, 0],
    [0, -1],
    [0, 1]
  ] as const;

  const DIAGONALS = [
    [-1, -1],
    [-1, 1],
    [1, -1],
    [1, 1]
  ] as const;

  /** Hill climbing on the exact NCC of one plane (evaluations remembered per plane, ncc-memo.ts). */
  export class Climb {
    constructor(readonly plane: Plane) {}

    value(row: number, col: number): number {
      const inRange = Math.abs(row) < this.plane.rows && Math.abs(col) < this.plane.cols;
      return inRange ? nccAtMemo(this.plane, row, col) : 0;
    }

    /**
     * Move to the best of the 4 nearest neighbours until the center is the best (a diagonal
     * step takes two moves; cheaper than 8 neighbours on the smooth NCC surface).
     */
    climb(row: number, col: number): Candidate {
      let score = this.value(row, col);
      for (let step = 0; step < 64; step++) {
        let bestRow = row;
        let bestCol = col;
        let best = score;
        for (const [dr, dc] of NEIGHBOURS) {
          {
            const v = this.value(row + dr, col + dc);
            if (v > best) {
              best = v;
              bestRow = row + dr;
              bestCol = col + dc;
            }
          }
        }
        if (bestRow === row && bestCol === col) {
          break;
        }
        row = bestRow;
        col = bestCol;
        score = best;
      }
      // All four neighbours are known (and no higher): the per-axis parabola vertex is free.
      return {
        row,
        col,
        score,
        dRow: vertex(this.value(row - 1, col), score, this.value(row + 1, col)),
        dCol: vertex(this.value(row, col - 1), score, this.value(row, col + 1))
      };
    }

    /** Climb, then make sure no diagonal neighbour is higher either (a true 3 x 3 maximum). */
    climbFull(row: number, col: number): Candidate {
      let best = this.climb(row, col);
      for (let step = 0; step < 16; step++) {
        let moved = false;
        for (const [dr, dc] of DIAGONALS) {
          const v = this.value(best.row + dr, best.col + dc);
          if (v > best.score) {
            best = this.climb(best.row + dr, best.col + dc);
            moved = true;
            break;
          }
        }
        if (!moved) {
          break;
        }
      }
      return best;
    }

    neighbourhood(row: number, col: number): Float64Array {
      const out = new Float64Array(9);
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          out[(dr + 1) * 3 + dc + 1] = this.value(row + dr, col + dc);
        }
      }
      return out;
    }
  }
}
