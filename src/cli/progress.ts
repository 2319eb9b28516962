/**
 * A one-line progress bar on a terminal (stderr): frames done, frames per second and the time
 * left, redrawn at most ten times a second. Lines written to the same terminal go through
 * `above`, which clears the bar first and redraws it after.
 */
export class ProgressBar {
  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream
  ) {}

  /** One more frame done. */
  tick(): void {
    this.done++;
    const now = Date.now();
    if (now - this.drawn >= 100 || this.done === this.total) {
      this.draw(now);
    }
  }

  /** Write `text` (a whole line) to `out` without tearing the bar. */
  above(out: NodeJS.WritableStream, text: string): void {
    if (this.drawn) {
      this.stream.write('\r\x1b[K');
    }
    out.write(text);
    if (this.drawn) {
      this.draw(Date.now());
    }
  }

  /** Leave the bar's last state on its own line. */
  finish(): void {
    this.draw(Date.now());
    this.stream.write('\n');
  }

  private draw(now: number): void {
    this.drawn = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const left = rate > 0 ? (this.total - this.done) / rate : NaN;
    const text =
      `${this.done}/${this.total} frames, ${rate.toFixed(1)} frames/s` +
      (this.done < this.total && Number.isFinite(left) ? `, ETA ${Private.duration(left)}` : `, ${Private.duration(seconds)}`);
    const columns = this.stream.columns || 80;
    const width = Math.max(10, Math.min(40, columns - text.length - 4));
    const full = this.total > 0 ? Math.round((width * this.done) / this.total) : width;
    this.stream.write(`\r[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${text}\x1b[K`);
  }

  private done = 0;
  private drawn = 0;
  private readonly started = Date.now();
}

namespace Private {
  export function duration(seconds: number): string {
    if (seconds < 60) {
      return `${seconds.toFixed(1)} s`;
    }
    const m = Math.floor(seconds / 60);
    return `${m} min ${Math.round(seconds - 60 * m)} s`;
  }
}
