/** Synthetic diffraction patterns with known centers (tests, benchmarks, examples). */
export { generatePattern, type PatternKind, type Side, type SynthOptions, type SynthPattern } from './generate.js';
export { Rng } from './rng.js';
