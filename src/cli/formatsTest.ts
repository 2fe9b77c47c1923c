import type { Writable } from 'node:stream';
import { DETECT_MAX_LINES, DETECT_SAMPLE_LINES, isIgnorableLine, settleFormat, UnknownFormatError } from '../formats/detect.js';
import type { LineParser, ParserFactory } from '../formats/parser.js';
import type { FormatRegistry } from '../formats/registry.js';
import type { InputSource } from '../input/expandInputs.js';
import { HeadReadError, headLines } from '../input/headLines.js';
import { redactSecrets } from '../output/redact.js';
import { escapeControls } from '../output/sanitize.js';
import type { LogRecord } from '../record.js';

/**
 * `logscan formats --test FILE`: which format detection picks for FILE and
 * why (how many of the sample lines each candidate explains), then the first
 * lines field by field, or why a line does not parse. For debugging a custom
 * log_format. Values are redacted and control characters escaped; query
 * strings are never shown.
 */
export interface FormatsTestOptions {
  source: InputSource;
  registry: FormatRegistry;
  /** How many lines to show (the sample for detection is always DETECT_SAMPLE_LINES). */
  lines: number;
  /** Lines longer than this are reported, as analyze would skip them. */
  maxLineBytes: number;
}

/** Field order of the listing; input and line are shown in each line's heading. */
const FIELDS: readonly (keyof LogRecord)[] = [
  'kind', 'time', 'ip', 'user', 'method', 'path', 'query', 'protocol', 'status', 'bytes', 'referer', 'userAgent', 'requestId',
  'requestTime', 'upstreamStatus', 'upstreamAddr', 'cacheStatus', 'host', 'wwwAuthenticate', 'authorizationPresent', 'level', 'message',
];

const MAX_VALUE = 200;

export function shown(v: string, max = MAX_VALUE): string {
  const clean = escapeControls(redactSecrets(v));
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function fieldValue(rec: LogRecord, f: keyof LogRecord): string | undefined {
  const v = rec[f];
  if (v === undefined) return undefined;
  if (f === 'time') return Number.isNaN(v as number) ? '(no usable time: check the time field and --tz)' : new Date(v as number).toISOString();
  // Query strings carry tokens: never printed.
  if (f === 'query') return `(${(v as string).length} characters, not shown)`;
  return shown(String(v));
}

export function describeRecord(rec: LogRecord): string[] {
  const rows: [string, string][] = [];
  for (const f of FIELDS) {
    const v = fieldValue(rec, f);
    if (v !== undefined) rows.push([f, v]);
  }
  for (const [k, v] of rec.extra ?? []) rows.push([`extra.${k}`, shown(v)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `    ${k.padEnd(width)}  ${v}`);
}

interface Score {
  factory: ParserFactory;
  count: number;
}

/** How many sample lines each candidate explains, as detection counts them. */
function scores(registry: FormatRegistry, sample: string[]): Score[] {
  const candidates = registry.forcedAccess ? [registry.forcedAccess, ...registry.all.filter((f) => f.kind !== 'access')] : registry.all;
  return candidates.map((factory) => {
    const p = factory.create();
    return { factory, count: sample.filter((l) => p.scan(l)).length };
  });
}

function sampleHeader(name: string, gzip: boolean, n: number, size: number): string {
  return `${shown(name)}${gzip ? ' (gzip)' : ''}: ${n} sample line${n === 1 ? '' : 's'} for detection (the first ${size} that are not blank or comments)`;
}

export async function formatsTest(opts: FormatsTestOptions, out: Writable, err: Writable): Promise<number> {
  let head;
  try {
    head = await headLines(opts.source, Math.max(opts.lines, DETECT_MAX_LINES));
  } catch (e) {
    if (e instanceof HeadReadError) {
      err.write(`logscan: ${redactSecrets(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  const name = opts.source.name;
  const text: string[] = [];
  const nonBlank = head.lines.filter((l) => !isIgnorableLine(l));
  if (nonBlank.length === 0) {
    out.write(`${shown(name)}${head.gzip ? ' (gzip)' : ''}: 0 sample lines for detection\nNo log lines to test.\n`);
    return 0;
  }
  // As analyze does: the first 64 lines, and while no format explains half, 4x more at a time up to DETECT_MAX_LINES.
  let size = DETECT_SAMPLE_LINES;
  let sample: string[];
  let detection;
  for (;;) {
    sample = nonBlank.slice(0, size);
    try {
      detection = settleFormat(name, sample, opts.registry, sample.length === nonBlank.length || size >= DETECT_MAX_LINES);
    } catch (e) {
      if (!(e instanceof UnknownFormatError)) throw e;
      out.write(`${sampleHeader(name, head.gzip, sample.length, size)}\n`);
      err.write(`logscan: ${redactSecrets(e.message)}\n`);
      return 2;
    }
    if (detection !== undefined) break;
    size = Math.min(size * 4, DETECT_MAX_LINES);
  }
  text.push(sampleHeader(name, head.gzip, sample.length, size));
  if (size > DETECT_SAMPLE_LINES) text.push(`  (no format explains half of the first ${DETECT_SAMPLE_LINES}, so detection looked further, as analyze does)`);
  const ranked = scores(opts.registry, sample).sort((a, b) => b.count - a.count);
  text.push(
    `Format: ${detection.primary.name}${opts.registry.forcedAccess === detection.primary ? ' (given with --log-format)' : ''} — explains ${detection.matched} of ${sample.length} sample lines`,
  );
  if (detection.primary.description) text.push(`  ${shown(detection.primary.description, 400)}`);
  if (detection.fallbacks.length > 0) text.push(`Also tried on lines it rejects: ${detection.fallbacks.map((f) => f.name).join(', ')} (a file that mixes formats)`);
  text.push(`Sample lines explained by each candidate: ${ranked.filter((s) => s.count > 0).map((s) => `${s.factory.name} ${s.count}`).join(', ') || 'none'}`);
  if (opts.registry.forcedAccess && detection.matched === 0) text.push('The given --log-format explains none of the sample lines: compare it with a line below.');

  const parsers: LineParser[] = [detection.primary.create(), ...detection.fallbacks.map((f) => f.create())];
  const others = opts.registry.all.filter((f) => f !== detection.primary && !detection.fallbacks.includes(f));
  const why = (line: string) => {
    const would = others.filter((f) => f.create().scan(line)).map((f) => f.name);
    return `it does not match ${parsers.map((p) => p.format).join(' or ')}${would.length > 0 ? `; it would match ${would.join(', ')}` : '; no built-in format matches it either'}`;
  };
  let shownLines = 0;
  let lastShown = 0;
  for (let i = 0; i < head.lines.length && shownLines < opts.lines; i++) {
    const line = head.lines[i];
    const lineNo = i + 1;
    lastShown = lineNo;
    text.push('');
    if (isIgnorableLine(line)) {
      text.push(`line ${lineNo}: blank or comment, skipped`);
      continue;
    }
    shownLines++;
    text.push(`line ${lineNo}: ${shown(line, 160)}`);
    if (Buffer.byteLength(line) > opts.maxLineBytes) {
      text.push(`  longer than --max-line-bytes ${opts.maxLineBytes}: analyze skips it`);
      continue;
    }
    const parser = parsers.find((p) => p.scan(line));
    if (parser) {
      text.push(`  parsed as ${parser.format}${parser !== parsers[0] ? ` (fallback; the input's format is ${parsers[0].format})` : ''}:`);
      text.push(...describeRecord(parser.record(name, lineNo)));
      continue;
    }
    text.push(`  does not parse: ${why(line)}`);
    text.push('  analyze counts it as malformed (and stops at it with --strict)');
  }
  // Sample lines past the listing that would not parse: the ones worth a look.
  const failing: number[] = [];
  for (let i = lastShown, seen = 0; i < head.lines.length && seen < DETECT_SAMPLE_LINES; i++) {
    const line = head.lines[i];
    if (isIgnorableLine(line)) continue;
    seen++;
    if (!parsers.some((p) => p.scan(line))) failing.push(i + 1);
  }
  if (failing.length > 0) {
    text.push('', `Further sample lines that do not parse: ${failing.slice(0, 20).map((n) => `line ${n}`).join(', ')}${failing.length > 20 ? ', …' : ''}`);
    for (const n of failing.slice(0, 3)) text.push(`line ${n}: ${shown(head.lines[n - 1], 160)}`, `  ${why(head.lines[n - 1])}`);
  }
  out.write(`${text.join('\n')}\n`);
  return 0;
}
