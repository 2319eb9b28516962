/**
 * The CLI's series output: records written in input order and frame order as soon as they and
 * everything before them are done (workers finish out of order), as NDJSON, CSV or text.
 */
import { basename } from 'node:path';
import { csvCell } from '../series/records.js';
import type { FrameRecord } from './run-track.js';

/** Output formats of a series run. */
export type SeriesFormat = 'ndjson' | 'csv' | 'text';

/** CSV columns, in order (also the keys of an NDJSON line, plus `error` and `code` on failures). */
export const CSV_COLUMNS = [
  'file',
  'frame',
  'row',
  'col',
  'score',
  'ms',
  'method',
  'reason',
  'jump',
  'warnings',
  'error',
  'code'
] as const;

/** One record as a line of the format (no newline). */
export function formatRecord(record: FrameRecord, format: SeriesFormat): string {
  if (format === 'ndjson') {
    return JSON.stringify(record);
  }
  if (format === 'csv') {
    const cells: Record<string, unknown> = { ...record };
    if ('warnings' in record) {
      cells.warnings = record.warnings.join('; ');
    }
    return CSV_COLUMNS.map(column => csvCell(cells[column])).join(',');
  }
  const where = `${basename(record.file)}${record.frame === null ? '' : `[${record.frame}]`}`;
  if ('error' in record) {
    return `${where}: error: ${record.error} (${record.code})`;
  }
  const how = record.method === 'full' ? `full search (${record.reason})` : 'tracked';
  const parts = [
    `${where}: center (row, col) = (${record.row.toFixed(3)}, ${record.col.toFixed(3)})`,
    `score ${record.score.toFixed(3)}`,
    how,
    `${record.ms.toFixed(1)} ms`
  ];
  if (record.jump) {
    parts.push('JUMP');
  }
  return [parts.join(', '), ...record.warnings.map(w => `  warning: ${w}`)].join('\n');
}

/** The header line of a format (CSV only). */
export function formatHeader(format: SeriesFormat): string | null {
  return format === 'csv' ? CSV_COLUMNS.join(',') : null;
}

/**
 * Writes records in input order, and in the order of each input's `frames` (one record for an
 * input whose `frames` is null: it failed as a whole).
 */
export class OrderedWriter {
  constructor(
    private readonly inputs: readonly { frames: readonly number[] | null }[],
    private readonly write: (record: FrameRecord) => void
  ) {
    this.pending = inputs.map(input => new Array(input.frames?.length ?? 1).fill(null));
    this.positions = inputs.map(input => new Map((input.frames ?? []).map((f, k) => [f, k])));
  }

  /** Accept the record of input `index`; write whatever is now next in order. */
  put(index: number, record: FrameRecord): void {
    const position = record.frame === null ? 0 : (this.positions[index].get(record.frame) ?? 0);
    this.pending[index][position] = record;
    this.flush();
  }

  /** Every expected record was written. */
  get done(): boolean {
    return this.input >= this.inputs.length;
  }

  private flush(): void {
    while (this.input < this.inputs.length) {
      const row = this.pending[this.input];
      if (this.slot >= row.length) {
        this.pending[this.input] = [];
        this.input++;
        this.slot = 0;
        continue;
      }
      const record = row[this.slot];
      if (!record) {
        return;
      }
      this.write(record);
      row[this.slot] = null;
      this.slot++;
    }
  }

  private readonly pending: (FrameRecord | null)[][];
  private readonly positions: Map<number, number>[];
  private input = 0;
  private slot = 0;
}
