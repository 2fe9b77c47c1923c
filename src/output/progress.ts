/**
 * The progress bar on stderr: bytes read of bytes total (compressed bytes
 * for gzip inputs, as their sizes on disk are), rate and ETA. Drawn only on
 * a terminal, only once the work has taken more than a moment, and at most
 * ten times a second; cleared when reading ends. renderProgress is pure.
 */
export interface ProgressState {
  bytes: number;
  /** Sum of the input file sizes; undefined when standard input is read. */
  total?: number;
  elapsedMs: number;
  /** Terminal columns. */
  width: number;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function renderProgress(p: ProgressState): string {
  const rate = p.elapsedMs > 0 ? (p.bytes * 1000) / p.elapsedMs : 0;
  const rateText = `${formatBytes(Math.round(rate))}/s`;
  if (p.total === undefined || p.total <= 0) {
    return `${formatBytes(p.bytes)} read  ${rateText}`.slice(0, Math.max(0, p.width - 1));
  }
  const frac = Math.min(1, p.bytes / p.total);
  const eta = rate > 0 && frac < 1 ? `ETA ${formatDuration(((p.total - p.bytes) / rate) * 1000)}` : '';
  const tail = ` ${String(Math.floor(frac * 100)).padStart(3)}%  ${formatBytes(p.bytes)} / ${formatBytes(p.total)}  ${rateText}${eta ? `  ${eta}` : ''}`;
  const barWidth = Math.max(0, Math.min(40, p.width - 1 - tail.length - 2));
  if (barWidth < 5) return tail.trimStart().slice(0, Math.max(0, p.width - 1));
  const filled = Math.round(frac * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${tail}`;
}

export interface ProgressStream {
  write(s: string): unknown;
  /** 0 or missing (a terminal without a size, e.g. under script(1)): 80 is assumed. */
  columns?: number;
}

export class ProgressBar {
  private bytes = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly start: number;

  constructor(
    private readonly out: ProgressStream,
    private readonly total: number | undefined,
    private readonly clock: () => number = Date.now,
    private readonly delayMs = 500,
    private readonly intervalMs = 100,
  ) {
    this.start = clock();
  }

  add(n: number): void {
    this.bytes += n;
    const now = this.clock();
    if (now - this.start < this.delayMs || now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.drawn = true;
    this.out.write(`\r${renderProgress({ bytes: this.bytes, total: this.total, elapsedMs: now - this.start, width: this.out.columns || 80 })}\u001b[K`);
  }

  /** Clears the bar, so the report starts on a clean line. */
  finish(): void {
    if (this.drawn) this.out.write('\r\u001b[K');
    this.drawn = false;
  }
}
