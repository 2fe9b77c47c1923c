import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runCli } from '../support/cli.js';
import { CAUSES, type Cause } from './causes.js';
import type { Truth } from './model.js';

/**
 * Runs the built CLI on a scenario folder and scores its --events output
 * against truth.json. The CLI runs inside the folder, so the inputs it names
 * in `source` and `correlated` are the file names truth.json uses.
 */
export const FIXTURES = path.join(ROOT, 'fixtures', 'scenarios');

export function readTruth(dir: string): Truth {
  return JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as Truth;
}

/** Fixture folders: every folder under fixtures/scenarios with a truth.json. */
export function fixtureDirs(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(FIXTURES, d.name))
    .filter((d) => readdirSync(d).includes('truth.json'))
    .sort();
}

/** The subset of an --events row the scoring reads. */
export interface EventRow {
  source: string;
  cause: string;
  confidence: number;
  evidence: string[];
  correlated: string[];
  requestId: string | null;
  ip: string | null;
  path: string | null;
  method: string | null;
}

export function analyzeArgs(truth: Truth, inputs: readonly string[] = truth.inputs): string[] {
  return ['analyze', ...inputs, ...truth.args];
}

export function runEvents(dir: string, truth: Truth, inputs?: readonly string[], extra: readonly string[] = []): EventRow[] {
  const r = runCli([...analyzeArgs(truth, inputs), '--events', '--output', 'ndjson', ...extra], { cwd: dir });
  if (r.code !== 0) throw new Error(`logscan exited ${r.code} in ${dir}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EventRow);
}

export interface ReportTotals {
  linesRead: number;
  parsed: number;
  skipped: number;
  matched: number;
}

export interface JsonReport {
  totals: ReportTotals;
  inputs: { name: string; format?: string; malformed: number; oversize: number; examples: { source: string; reason: string }[]; error?: string }[];
}

export function runReport(dir: string, truth: Truth, inputs?: readonly string[]): { report: JsonReport; stderr: string; code: number } {
  const r = runCli([...analyzeArgs(truth, inputs), '--output', 'json'], { cwd: dir });
  return { report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr, code: r.code };
}

// ------------------------------------------------------------------ scoring

export interface Outcome {
  key: string;
  expected: Cause;
  got: string;
  detail: string;
  evidence: string[];
}

export interface ScenarioScore {
  name: string;
  outcomes: Outcome[];
  /** Truth events the CLI reported no event for. */
  missing: { key: string; expected: Cause }[];
  /** Events whose source is not a 401 of the truth (nor an alias of one), or a second event for the same 401. */
  extra: { source: string; cause: string }[];
}

/** Match each event to its truth key (directly, or through an alias line). */
export function scoreEvents(name: string, truth: Truth, events: readonly EventRow[]): ScenarioScore {
  const outcomes: Outcome[] = [];
  const extra: { source: string; cause: string }[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const key = truth.events[e.source] !== undefined ? e.source : truth.aliases[e.source];
    if (key === undefined || seen.has(key)) {
      extra.push({ source: e.source, cause: e.cause });
      continue;
    }
    seen.add(key);
    outcomes.push({ key, expected: truth.events[key], got: e.cause, detail: truth.details[key] ?? '', evidence: e.evidence });
  }
  const missing = Object.entries(truth.events).filter(([k]) => !seen.has(k)).map(([key, expected]) => ({ key, expected }));
  return { name, outcomes, missing, extra };
}

export interface CauseRow {
  cause: string;
  truth: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
}

export interface Summary {
  total: number;
  correct: number;
  wrongSpecific: number;
  missing: number;
  extra: number;
  accuracy: number;
  wrongSpecificRate: number;
  rows: CauseRow[];
}

/**
 * Accuracy: correct / (truth events + extra events); a missing event counts
 * as wrong. Wrong-specific: a specific cause other than the truth (a
 * prediction of "unknown" is not counted), over the same denominator.
 */
export function summarize(scores: readonly ScenarioScore[]): Summary {
  const truthN = new Map<string, number>();
  const predN = new Map<string, number>();
  const tpN = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let correct = 0, wrongSpecific = 0, missing = 0, extra = 0;
  for (const s of scores) {
    for (const o of s.outcomes) {
      inc(truthN, o.expected);
      inc(predN, o.got);
      if (o.got === o.expected) {
        correct++;
        inc(tpN, o.got);
      } else if (o.got !== 'unknown') {
        wrongSpecific++;
      }
    }
    for (const m of s.missing) {
      missing++;
      inc(truthN, m.expected);
    }
    for (const x of s.extra) {
      extra++;
      inc(predN, x.cause);
      if (x.cause !== 'unknown') wrongSpecific++;
    }
  }
  const total = [...truthN.values()].reduce((a, b) => a + b, 0) + extra;
  const causes = [...CAUSES, ...[...predN.keys()].filter((c) => !(CAUSES as readonly string[]).includes(c))];
  const rows = causes
    .filter((c) => (truthN.get(c) ?? 0) + (predN.get(c) ?? 0) > 0)
    .map((c) => {
      const t = truthN.get(c) ?? 0, p = predN.get(c) ?? 0, tp = tpN.get(c) ?? 0;
      return { cause: c, truth: t, predicted: p, tp, precision: p === 0 ? NaN : tp / p, recall: t === 0 ? NaN : tp / t };
    });
  return {
    total, correct, wrongSpecific, missing, extra,
    accuracy: total === 0 ? NaN : correct / total,
    wrongSpecificRate: total === 0 ? NaN : wrongSpecific / total,
    rows,
  };
}

const pct = (x: number) => (Number.isNaN(x) ? '   -  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

export function formatSummary(title: string, sum: Summary): string {
  const lines = [
    title,
    `  ${'cause'.padEnd(24)} ${'truth'.padStart(5)} ${'pred'.padStart(5)} ${'tp'.padStart(4)}  precision  recall`,
  ];
  for (const r of sum.rows) {
    lines.push(`  ${r.cause.padEnd(24)} ${String(r.truth).padStart(5)} ${String(r.predicted).padStart(5)} ${String(r.tp).padStart(4)}     ${pct(r.precision)}  ${pct(r.recall)}`);
  }
  lines.push(
    `  events ${sum.total}: accuracy ${pct(sum.accuracy).trim()}, wrong-specific ${pct(sum.wrongSpecificRate).trim()} (${sum.wrongSpecific}), missing ${sum.missing}, extra ${sum.extra}`,
  );
  return lines.join('\n');
}

/** The misses, most useful first: wrong specific causes, then unknowns, then missing and extra events. */
export function formatMisses(scores: readonly ScenarioScore[], limit = 40): string {
  const out: string[] = [];
  for (const s of scores) {
    for (const o of s.outcomes) {
      if (o.got === o.expected) continue;
      out.push(`  ${o.got === 'unknown' ? ' ' : '!'} ${s.name} ${o.key}: ${o.expected} -> ${o.got}  [${o.detail}]${o.evidence.length ? ` evidence: ${o.evidence[0]}` : ''}`);
    }
    for (const m of s.missing) out.push(`  - ${s.name} ${m.key}: ${m.expected} -> no event`);
    for (const x of s.extra) out.push(`  + ${s.name} ${x.source}: unexpected event (${x.cause})`);
  }
  out.sort((a, b) => (a[2] === '!' ? 0 : 1) - (b[2] === '!' ? 0 : 1));
  const shown = out.slice(0, limit);
  if (out.length > limit) shown.push(`  ... ${out.length - limit} more`);
  return shown.length > 0 ? `misses (! = wrong specific cause):\n${shown.join('\n')}` : 'no misses';
}
