import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DIMENSION_NAMES, type DimensionName } from '../aggregate/dimensions.js';
import { compileStatusFilter, type StatusFilter } from '../aggregate/statusFilter.js';
import type { Lang } from '../i18n/labels.js';
import { makeZone, type Zone } from '../formats/zone.js';
import { parseAnyTime } from '../formats/timestamps.js';
import { parseFailOns, type Threshold } from './failOn.js';
import { UsageError } from './usageError.js';
import type { InputFormat } from './inputFormats.js';

/**
 * Command-line values validated once into a frozen object. Every error names
 * the option and the value received.
 */
export { UsageError };

export type OutputKind = 'table' | 'csv' | 'json' | 'ndjson';

export interface AnalyzeOptions {
  inputs: string[];
  logFormat?: string;
  jsonFields: Map<string, string>;
  zone: Zone;
  status: StatusFilter;
  groups: DimensionName[][];
  top: number;
  since?: number;
  until?: number;
  rawPaths: boolean;
  output: OutputKind;
  events: boolean;
  strict: boolean;
  maxLineBytes: number;
  lang: Lang;
  color: boolean;
  delimiter: string;
  bom: boolean;
  /** Show the cause table (default report, or --by cause given alone is a plain group). */
  causeTable: boolean;
  windowMs: number;
  rulesFile?: string;
  bruteForceCount: number;
  bruteForceUsers: number;
  bruteForceIps: number;
  bruteForceWindowMs: number;
  /** --fail-on: the run exits 1 when one of these trips. */
  failOn: Threshold[];
  /** --quiet: print nothing unless a threshold trips. */
  quiet: boolean;
  /** --out: write the report to this file atomically instead of standard output. */
  out?: string;
  /** --state: remember how far each input was read, and read only what is new next time. */
  state?: string;
  /** Threads in all: N-1 workers parse large plain files while the main thread analyses; 1: one thread. */
  threads: number;
  /** Progress bar on stderr, when stderr is a terminal. */
  progress: boolean;
  /** Config "formats": per-input-glob access formats and JSON field maps, first match wins. */
  inputFormats: InputFormat[];
}

export const DEFAULT_GROUPS: DimensionName[][] = [['path'], ['ip'], ['ua']];

export interface RawAnalyzeArgs {
  inputs?: string[];
  logFormat?: string;
  jsonField?: string[];
  tz?: string;
  status?: string;
  by?: string[];
  top?: number;
  since?: string;
  until?: string;
  rawPaths?: boolean;
  output?: string;
  events?: boolean;
  strict?: boolean;
  maxLineBytes?: number;
  lang?: string;
  color?: boolean;
  delimiter?: string;
  bom?: boolean;
  window?: string;
  rules?: string;
  bruteForceCount?: number;
  bruteForceUsers?: number;
  bruteForceIps?: number;
  bruteForceWindow?: string;
  failOn?: string[];
  quiet?: boolean;
  out?: string;
  state?: string;
  threads?: number | string;
  progress?: boolean;
  /** Already validated by the config loader. */
  inputFormats?: InputFormat[];
}

/** "2s", "500ms", "1m" -> milliseconds. */
export function parseDuration(option: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${option}: cannot read "${value}"; use a duration such as 500ms, 2s, 1m`);
  const unit = (m[2] ?? 's').toLowerCase();
  return Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1e3 : unit === 'm' ? 6e4 : 36e5);
}

function positiveInt(option: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option}: expected a positive whole number, got ${v}`);
  return n;
}

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };

export function parseWhen(option: string, value: string, zone: Zone, now: number): number {
  const rel = RELATIVE.exec(value.trim());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()];
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value;
  const t = parseAnyTime(dateOnly, zone);
  if (Number.isNaN(t)) throw new UsageError(`${option}: cannot read "${value}"; use ISO 8601 (2026-03-12T10:00:00+09:00, 2026-03-12) or a relative time such as 30m, 24h, 7d`);
  return t;
}

function parseGroups(values: string[] | undefined): DimensionName[][] {
  if (!values || values.length === 0) return DEFAULT_GROUPS;
  const groups: DimensionName[][] = [];
  for (const v of values.flatMap((x) => x.split(','))) {
    const dims = v.trim().split('+').map((d) => d.trim().toLowerCase());
    for (const d of dims) {
      if (!(DIMENSION_NAMES as readonly string[]).includes(d)) {
        throw new UsageError(`--by: unknown dimension "${d}"; choose from ${DIMENSION_NAMES.join(', ')} (join with + for a combined key, e.g. path+ip)`);
      }
    }
    groups.push(dims as DimensionName[]);
  }
  return groups;
}

export function parseJsonFields(values: string[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--json-field: expected NAME=dotted.path, got "${v}"`);
    map.set(v.slice(0, eq).trim(), v.slice(eq + 1).trim());
  }
  return map;
}

function parseOut(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.trim() === '' || v === '-') throw new UsageError(`--out: expected a file name, got "${v}" (leave --out out to write to standard output)`);
  return v;
}

/**
 * --threads: a count, or "auto" (one per core the process may use). The default is 1: on the
 * 2-core machine we measure on, handing every line's facts from a worker to the main thread costs
 * more than parsing in the worker saves (see the README's performance section). For the same
 * reason "auto" means one thread on 2 cores or fewer.
 */
export function autoThreads(cores: number): number {
  return cores <= 2 ? 1 : cores;
}

function parseThreads(v: number | string | undefined): number {
  if (v === undefined) return 1;
  if (v === 'auto') return autoThreads(availableParallelism());
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--threads: expected "auto" or a whole number from 1 to 256, got "${v}"`);
  return n;
}

function parseStateFile(v: string | undefined, out: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.trim() === '' || v === '-') throw new UsageError(`--state: expected a file name, got "${v}"`);
  if (out !== undefined && path.resolve(out) === path.resolve(v)) throw new UsageError(`--state: "${v}" is also the --out file; use two different files`);
  return v;
}

export function validateAnalyzeArgs(a: RawAnalyzeArgs, now = Date.now()): Readonly<AnalyzeOptions> {
  let zone: Zone;
  try {
    zone = makeZone(a.tz);
  } catch (e) {
    throw new UsageError(`--tz: ${(e as Error).message}`);
  }
  let status: StatusFilter;
  try {
    status = compileStatusFilter(a.status ?? '401');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const output = (a.output ?? 'table') as OutputKind;
  if (!['table', 'csv', 'json', 'ndjson'].includes(output)) throw new UsageError(`--output: "${a.output}" is not one of table, csv, json, ndjson`);
  const top = a.top ?? 10;
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top: expected a positive whole number, got ${a.top}`);
  const maxLineBytes = a.maxLineBytes ?? 64 * 1024;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 256) throw new UsageError(`--max-line-bytes: expected a whole number of at least 256, got ${a.maxLineBytes}`);
  const lang = (a.lang ?? 'en') as Lang;
  if (lang !== 'en' && lang !== 'ja') throw new UsageError(`--lang: "${a.lang}" is not one of en, ja`);
  const delimiter = a.delimiter === '\\t' || a.delimiter === 'tab' ? '\t' : a.delimiter ?? ',';
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) throw new UsageError(`--delimiter: expected one character (or "tab"), got "${a.delimiter}"`);
  if (!a.inputs || a.inputs.length === 0) throw new UsageError('no inputs: give log files, directories, globs, or - for standard input');
  const since = a.since !== undefined ? parseWhen('--since', a.since, zone, now) : undefined;
  const until = a.until !== undefined ? parseWhen('--until', a.until, zone, now) : undefined;
  if (since !== undefined && until !== undefined && since >= until) throw new UsageError(`--since ${a.since} is not before --until ${a.until}`);
  return Object.freeze({
    inputs: a.inputs,
    logFormat: a.logFormat,
    jsonFields: parseJsonFields(a.jsonField),
    zone,
    status,
    groups: parseGroups(a.by),
    top,
    since,
    until,
    rawPaths: a.rawPaths ?? false,
    output,
    events: a.events ?? false,
    strict: a.strict ?? false,
    maxLineBytes,
    lang,
    color: a.color ?? false,
    delimiter,
    bom: a.bom ?? false,
    causeTable: a.by === undefined || a.by.length === 0,
    windowMs: parseDuration('--window', a.window ?? '2s'),
    rulesFile: a.rules,
    bruteForceCount: positiveInt('--brute-force-count', a.bruteForceCount, 10),
    bruteForceUsers: positiveInt('--brute-force-users', a.bruteForceUsers, 5),
    bruteForceIps: positiveInt('--brute-force-ips', a.bruteForceIps, 5),
    bruteForceWindowMs: parseDuration('--brute-force-window', a.bruteForceWindow ?? '60s'),
    failOn: parseFailOns(a.failOn),
    quiet: a.quiet ?? false,
    out: parseOut(a.out),
    state: parseStateFile(a.state, a.out),
    threads: parseThreads(a.threads),
    progress: a.progress ?? true,
    inputFormats: a.inputFormats ?? [],
  });
}
