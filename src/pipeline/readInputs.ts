import { DETECT_MAX_CHARS, DETECT_MAX_LINES, DETECT_SAMPLE_LINES, isIgnorableLine, settleFormat, UnknownFormatError, type Detection } from '../formats/detect.js';
import type { LineParser, ParserFactory } from '../formats/parser.js';
import type { FormatRegistry } from '../formats/registry.js';
import { BinaryInputError, InputReadError, readLines, type ReadInfo } from '../input/lineReader.js';
import type { InputSource } from '../input/expandInputs.js';
import type { FilterSpec, SkippedLines } from '../parallel/lineFilter.js';

/**
 * Reads every input, detects its format from its first lines, and hands each
 * parsed line to the sink. Malformed lines are counted and the first few kept
 * by input:line; an input that fails part-way keeps what was read.
 */
export interface RecordSink {
  /** Called with the parser positioned on a line it accepted. */
  accept(parser: LineParser, input: string, line: number): void;
  afterChunk?(): Promise<void> | void;
  /**
   * The parallel path may leave out lines a sink does not need: which ones (see parallel/lineFilter.ts);
   * undefined: every line. Such a sink also takes passed() and skipped().
   */
  lineFilter?(): FilterSpec | undefined;
  /** Lines left out just before the next one were read up to this time. */
  passed?(time: number): void;
  /** What was left out of a range. */
  skipped?(lines: SkippedLines): void;
}

export interface MalformedLine {
  source: string;
  reason: string;
}

export interface InputStats {
  name: string;
  format?: string;
  /** Other formats found mixed into this input. */
  alsoFormats: string[];
  gzip: boolean;
  lines: number;
  parsed: number;
  blank: number;
  malformed: number;
  oversize: number;
  bytes: number;
  examples: MalformedLine[];
  error?: string;
  /** --state: this run began after this byte and line of the input (what earlier runs read). */
  resumedAt?: { byte: number; line: number };
  /** --state: a rotated file read for the lines written to `rotatedFrom` after the previous run. */
  rotatedFrom?: string;
}

export class StrictModeError extends Error {}

export interface ReadOptions {
  registry: FormatRegistry;
  strict: boolean;
  maxLineBytes: number;
  maxExamples: number;
  onBytes?: (n: number) => void;
  /** Where reading stopped (also after a read error): --state remembers it. */
  onRead?: (info: ReadInfo) => void;
  /** Formats already detected (by name, in the registry): a worker reading one range of a file. */
  detected?: { primary: string; fallbacks: string[] };
  /** Stop before this byte of a plain file. */
  end?: number;
  /** Refuse binary-looking content; off for a range that does not start the file. */
  checkBinary?: boolean;
}

/** A factory by the name detection gave it: the forced --log-format first, as detection tries it first. */
export function factoryByName(registry: FormatRegistry, name: string): ParserFactory {
  const f = registry.forcedAccess?.name === name ? registry.forcedAccess : registry.all.find((x) => x.name === name);
  if (!f) throw new Error(`format "${name}" is not in this run's registry`);
  return f;
}

export async function readInput(source: InputSource, sink: RecordSink, opts: ReadOptions): Promise<InputStats> {
  const stats: InputStats = {
    name: source.name, alsoFormats: [], gzip: false, lines: 0, parsed: 0, blank: 0, malformed: 0, oversize: 0, bytes: 0, examples: [],
  };
  const linesBefore = source.resume?.lines ?? 0;
  if (source.resume) stats.resumedAt = { byte: source.resume.offset, line: linesBefore };
  if (source.rotatedFrom !== undefined) stats.rotatedFrom = source.rotatedFrom;
  let detection: Detection | undefined;
  let parsers: LineParser[] = [];
  let pending: { text: string; lineNo: number }[] = [];
  const note = (lineNo: number, reason: string) => {
    if (opts.strict) throw new StrictModeError(`${source.name}:${lineNo}: ${reason} (--strict)`);
    if (stats.examples.length < opts.maxExamples) stats.examples.push({ source: `${source.name}:${lineNo}`, reason });
  };
  const handle = (text: string, lineNo: number) => {
    if (isIgnorableLine(text)) {
      stats.blank++;
      return;
    }
    for (const p of parsers) {
      if (p.scan(text)) {
        stats.parsed++;
        sink.accept(p, source.name, lineNo);
        return;
      }
    }
    stats.malformed++;
    note(lineNo, `does not match the ${parsers[0].format} format`);
  };
  /** Settles the format on the lines buffered so far (`last`: whatever they show); false: wait for more. */
  const decide = (last = true): boolean => {
    const d = settleFormat(source.name, pending.map((p) => p.text), opts.registry, last);
    if (d === undefined) return false;
    detection = d;
    stats.format = detection.primary.name;
    stats.alsoFormats = detection.fallbacks.map((f) => f.name);
    parsers = [detection.primary.create(), ...detection.fallbacks.map((f) => f.create())];
    const buffered = pending;
    pending = [];
    for (const l of buffered) handle(l.text, l.lineNo);
    return true;
  };
  if (opts.detected) {
    const primary = factoryByName(opts.registry, opts.detected.primary);
    const fallbacks = opts.detected.fallbacks.map((n) => factoryByName(opts.registry, n));
    detection = { primary, fallbacks, matched: 0, sampled: 0 };
    stats.format = primary.name;
    stats.alsoFormats = fallbacks.map((f) => f.name);
    parsers = [primary.create(), ...fallbacks.map((f) => f.create())];
  }
  let sampled = 0;
  let pendingChars = 0;
  let nextTry = DETECT_SAMPLE_LINES;
  /** Detection on the lines so far, or, when they show no clear format and more may, a wait for 4x as many. */
  const tryDecide = () => {
    if (!decide(sampled >= DETECT_MAX_LINES || pendingChars >= DETECT_MAX_CHARS)) nextTry = Math.min(sampled * 4, DETECT_MAX_LINES);
  };
  try {
    const info = await readLines(
      source,
      {
        line(text, lineNo) {
          if (detection) return handle(text, lineNo);
          pending.push({ text, lineNo });
          pendingChars += text.length;
          if (!isIgnorableLine(text)) sampled++;
          if (sampled >= nextTry || pendingChars >= DETECT_MAX_CHARS) tryDecide();
        },
        oversize(lineNo) {
          stats.oversize++;
          note(lineNo, `line longer than ${opts.maxLineBytes} bytes, skipped`);
        },
        afterChunk: sink.afterChunk?.bind(sink),
      },
      { maxLineBytes: opts.maxLineBytes, onBytes: (n) => { stats.bytes += n; opts.onBytes?.(n); }, end: opts.end, checkBinary: opts.checkBinary },
    );
    stats.gzip = info.gzip;
    stats.lines = info.lines - linesBefore;
    opts.onRead?.(info);
    if (!detection) decide();
  } catch (e) {
    if (e instanceof InputReadError) {
      stats.gzip = e.info.gzip;
      stats.lines = e.info.lines - linesBefore;
      stats.error = e.message;
      opts.onRead?.(e.info);
      // Lines buffered before the fault still count.
      if (!detection && pending.some((p) => !isIgnorableLine(p.text))) {
        try { decide(); } catch { /* reported below through stats.error */ }
      }
    } else if (e instanceof BinaryInputError || e instanceof UnknownFormatError) {
      stats.error = e.message;
      stats.lines = Math.max(stats.lines, pending.length);
    } else {
      throw e;
    }
  }
  return stats;
}
