/** The engine's own error type: every failure of `autocenter` has a machine-readable code. */

/** Why the engine refused or gave up. */
export type CenterErrorCode =
  | 'empty-image'
  | 'all-masked'
  | 'mask-shape'
  | 'too-small'
  | 'no-signal'
  | 'cancelled'
  | 'invalid-input';

/** Thrown by the centering engine; `code` says why. */
export class CenterError extends Error {
  constructor(
    readonly code: CenterErrorCode,
    message: string
  ) {
    super(message);
    this.name = 'CenterError';
  }
}
