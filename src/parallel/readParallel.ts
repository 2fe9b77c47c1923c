import { appendFileSync, closeSync, openSync, readSync, statSync } from 'node:fs';
import { DETECT_MAX_CHARS, DETECT_MAX_LINES, DETECT_SAMPLE_LINES, isIgnorableLine, settleFormat, type Detection } from '../formats/detect.js';
import type { InputSource } from '../input/expandInputs.js';
import { readLines, type ReadInfo } from '../input/lineReader.js';
import { factoryByName, type InputStats, type ReadOptions, type RecordSink } from '../pipeline/readInputs.js';
import { ReplayParser, type KeepSpec, type RangeEvents } from './lineEvents.js';
import type { FilterSpec } from './lineFilter.js';
import type { RangePool, RangeResult } from './rangePool.js';

/**
 * One large plain file read by worker threads, a byte range each, split on
 * line boundaries. The main thread detects the format from the file's first
 * lines (as the single-threaded reader does), then replays each range's line
 * events into the sink strictly in file order, so the sink sees the same
 * calls in the same order as when one thread reads the file. At most a few
 * ranges wait to be replayed: workers do not run ahead of the analysis.
 * Returns undefined when the file is not worth it (small, gzip, not a
 * regular file, format not recognised): the caller reads it the usual way.
 */
export interface ParallelOptions {
  /** The worker pool, started on first use. */
  pool(): RangePool;
  /** Bytes per range; files under two ranges are read on the main thread. */
  rangeBytes: number;
  keep: KeepSpec;
}

const STOP = Symbol('enough lines to detect the format');

export async function readInputParallel(source: InputSource, sink: RecordSink, opts: ReadOptions, par: ParallelOptions): Promise<InputStats | undefined> {
  if (source.path === null || source.resume?.gzip || opts.strict) return undefined;
  const start = source.resume?.offset ?? 0;
  let size: number;
  try {
    const st = statSync(source.path);
    if (!st.isFile()) return undefined;
    size = st.size;
  } catch {
    return undefined;
  }
  if (size - start < 2 * par.rangeBytes || isGzip(source.path)) return undefined;
  const detected = await detect(source, opts);
  if (!detected) return undefined;

  const pool = par.pool();
  const bounds = rangeStarts(source.path, start, size, par.rangeBytes);
  // For tests and the benchmark: which files were split, into how many ranges.
  if (process.env.LOGSCAN_TRACE_RANGES) appendFileSync(process.env.LOGSCAN_TRACE_RANGES, `${source.name}\t${bounds.length}\n`);
  const formats = [detected.primary, ...detected.fallbacks].map((name) => ({ name, kind: factoryByName(opts.registry, name).kind }));
  const linesBefore = source.resume?.lines ?? 0;
  // Keys in the single-threaded reader's order: the JSON report shows them as they are.
  const stats: InputStats = {
    name: source.name, alsoFormats: detected.fallbacks, gzip: false, lines: 0, parsed: 0, blank: 0, malformed: 0, oversize: 0, bytes: 0, examples: [],
  };
  if (source.resume) stats.resumedAt = { byte: start, line: linesBefore };
  if (source.rotatedFrom !== undefined) stats.rotatedFrom = source.rotatedFrom;
  stats.format = detected.primary;
  const replay = new ReplayParser(formats);
  let lineOffset = linesBefore;
  let last: ReadInfo | undefined;
  let consumedLines = linesBefore;
  let leftOut = 0;
  /** The latest time of the lines replayed or left out so far. */
  let readTo = -Infinity;

  const apply = (r: RangeResult) => {
    const e = r.events;
    const latest = e.latestBefore;
    for (let i = 0; i < e.count; i++) {
      // Lines left out before this one still moved the input's time on.
      if (latest !== undefined) sink.passed?.(latest[i]);
      if (e.times[i] > readTo) readTo = e.times[i];
      replay.at(e, i, lineOffset);
      sink.accept(replay, source.name, replay.line());
    }
    if (e.skipped) {
      if (e.skipped.last > readTo) readTo = e.skipped.last;
      sink.skipped?.(e.skipped);
      leftOut += e.skipped.lines;
    }
    const s = r.stats;
    stats.parsed += s.parsed;
    stats.blank += s.blank;
    stats.malformed += s.malformed;
    stats.oversize += s.oversize;
    stats.bytes += s.bytes;
    opts.onBytes?.(s.bytes);
    for (const ex of s.examples) {
      if (stats.examples.length >= opts.maxExamples) break;
      const rel = Number(ex.source.slice(source.name.length + 1));
      stats.examples.push({ source: `${source.name}:${rel + lineOffset}`, reason: ex.reason });
    }
    if (r.info) {
      consumedLines = lineOffset + r.info.consumedLines;
      last = r.info;
    }
    stats.lines += s.lines;
    lineOffset += s.lines;
    if (s.error) stats.error = s.error;
  };

  const jobs = bounds.map((b, i) => ({
    index: i, name: source.name, path: source.path as string, start: b, end: bounds[i + 1],
    holdPartialLine: i === bounds.length - 1 && source.holdPartialLine === true,
    detected, registry: opts.registry.spec, keep: par.keep, maxLineBytes: opts.maxLineBytes, maxExamples: opts.maxExamples,
  }));
  // Decided as each range is handed out: the analysis says when it no longer needs every line.
  const filterSpec = () => (sink.passed && sink.skipped ? sink.lineFilter?.() : undefined);
  const filters: (FilterSpec | undefined)[] = [];
  const hand = (i: number) => pool.run({ ...jobs[i], filter: (filters[i] = filterSpec()) });
  await inOrder(jobs.length, pool.size * 2, hand, async (first) => {
    let r = first;
    // The worker took the range's first line as in time order (lineFilter.ts); when it is earlier
    // than the lines before it by more than the slack, what it left out may be needed: read it whole.
    const f = filters[r.index];
    if (f !== undefined && firstEventTime(r.events) < readTo - f.slackMs) r = await pool.run({ ...jobs[r.index], filter: undefined });
    apply(r);
    // As after each chunk read in this thread: the sink may wait for its output to drain.
    await sink.afterChunk?.();
    // An input that failed part-way keeps what was read, and nothing after the fault.
    return stats.error === undefined;
  });
  if (process.env.LOGSCAN_TRACE_RANGES) appendFileSync(process.env.LOGSCAN_TRACE_RANGES, `${source.name}#left-out\t${leftOut}\n`);
  if (last) opts.onRead?.({ ...last, gzip: false, lines: lineOffset, bytesRead: stats.bytes, consumedLines });
  return stats;
}

/**
 * Runs tasks 0..n-1 with at most `window` started and not yet consumed, and
 * hands results to consume in index order; consume returns false to stop.
 */
async function inOrder<T>(n: number, window: number, start: (i: number) => Promise<T>, consume: (r: T) => Promise<boolean>): Promise<void> {
  const pending: Promise<T>[] = [];
  let started = 0;
  const fill = (upTo: number) => {
    while (started < n && started < upTo) pending.push(start(started++));
  };
  fill(window);
  for (let next = 0; next < n; next++) {
    const r = await pending[next];
    pending[next] = undefined as unknown as Promise<T>;
    if (!(await consume(r))) {
      // Ranges already started are dropped, their failures too.
      for (const p of pending.slice(next + 1)) p.catch(() => undefined);
      return;
    }
    fill(next + 1 + window);
  }
}

/** The time of the first line with one. */
function firstEventTime(e: RangeEvents): number {
  for (let i = 0; i < e.count; i++) if (!Number.isNaN(e.times[i])) return e.times[i];
  return NaN;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The format from the same first lines the single-threaded reader would look at (as far as it would look). */
async function detect(source: InputSource, opts: ReadOptions): Promise<{ primary: string; fallbacks: string[] } | undefined> {
  const sample: string[] = [];
  let counted = 0;
  let chars = 0;
  let nextTry = DETECT_SAMPLE_LINES;
  let d: Detection | undefined;
  try {
    await readLines({ ...source, holdPartialLine: false }, {
      line(text) {
        sample.push(text);
        chars += text.length;
        if (!isIgnorableLine(text)) counted++;
        if (counted < nextTry && chars < DETECT_MAX_CHARS) return;
        d = settleFormat(source.name, sample, opts.registry, counted >= DETECT_MAX_LINES || chars >= DETECT_MAX_CHARS);
        if (d !== undefined) throw STOP;
        nextTry = Math.min(counted * 4, DETECT_MAX_LINES);
      },
      oversize() { /* not part of the sample */ },
    }, { maxLineBytes: opts.maxLineBytes });
    d = settleFormat(source.name, sample, opts.registry, true);
  } catch (e) {
    // An unreadable or unrecognisable file is left to the single-threaded reader, which reports it.
    if (e !== STOP) return undefined;
  }
  return d && { primary: d.primary.name, fallbacks: d.fallbacks.map((f) => f.name) };
}

/** Range starts: every `step` bytes, moved just past the next newline. */
function rangeStarts(path: string, start: number, size: number, step: number): number[] {
  const starts = [start];
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(64 * 1024);
  try {
    let pos = start + step;
    while (pos < size) {
      let nl = -1;
      for (let at = pos; nl < 0 && at < size; at += buf.length) {
        const n = readSync(fd, buf, 0, buf.length, at);
        if (n === 0) break;
        const i = buf.subarray(0, n).indexOf(10);
        if (i >= 0) nl = at + i;
      }
      if (nl < 0 || nl + 1 >= size) break;
      starts.push(nl + 1);
      pos = nl + 1 + step;
    }
  } finally {
    closeSync(fd);
  }
  return starts;
}
