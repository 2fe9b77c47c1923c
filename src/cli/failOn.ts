import { routeOf } from '../aggregate/routes.js';
import type { Finding } from '../aggregate/finding.js';
import { CAUSE_IDS, isCauseId } from '../classify/causes.js';
import { UsageError } from './usageError.js';

/**
 * --fail-on EXPR: alert thresholds for cron. An expression is a metric, a
 * comparison and a number: `total>500`, `cause:brute_force>0`, `rate>5%`,
 * `path:/login>=10`. Metrics are data; a run whose thresholds trip exits 1.
 */
export type Comparison = '>' | '>=' | '<' | '<=';

export interface Threshold {
  /** The expression as the user wrote it. */
  text: string;
  metric: MetricName;
  /** Cause name or path, for the metrics that take one. */
  arg?: string;
  op: Comparison;
  /** A count, or a fraction (0..1) for rate. */
  value: number;
}

/** What the thresholds are measured against, counted while findings are written. */
export interface Measures {
  matched: number;
  /** All responses in the --since/--until window (the rate's denominator). */
  responses: number;
  byCause: ReadonlyMap<string, number>;
  byPath: ReadonlyMap<string, number>;
}

type MetricName = 'total' | 'rate' | 'cause' | 'path';

interface Metric {
  describe: string;
  /** What the argument after "name:" is, when the metric takes one. */
  arg?: string;
  checkArg?: (arg: string) => string | undefined;
  percent: boolean;
  measure(m: Measures, arg: string): number;
}

const METRICS: Record<MetricName, Metric> = {
  total: { describe: 'matching responses', percent: false, measure: (m) => m.matched },
  rate: { describe: 'matching responses as a share of all responses, in %', percent: true, measure: (m) => (m.responses > 0 ? m.matched / m.responses : 0) },
  cause: {
    describe: 'matching responses of one cause',
    arg: 'a cause',
    checkArg: (a) => (isCauseId(a) ? undefined : `unknown cause "${a}"; causes: ${CAUSE_IDS.join(', ')}`),
    percent: false,
    measure: (m, a) => m.byCause.get(a) ?? 0,
  },
  path: {
    describe: 'matching responses on one path or route (/users/:id)',
    arg: 'a path',
    checkArg: (a) => (a.startsWith('/') ? undefined : `a path starts with "/", got "${a}"`),
    percent: false,
    measure: (m, a) => m.byPath.get(a) ?? 0,
  },
};

const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

const EXAMPLES = 'e.g. total>500, cause:brute_force>0, rate>5%, path:/login>=10';
const EXPR = /^\s*([a-z]+)(?::(.+?))?\s*(>=|<=|>|<)\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/i;

export function parseFailOn(text: string, option = '--fail-on'): Threshold {
  const bad = (why: string) => new UsageError(`${option}: cannot use "${text}": ${why} (${EXAMPLES})`);
  const m = EXPR.exec(text);
  if (!m) throw bad('expected METRIC>NUMBER with one of >, >=, <, <=');
  const name = m[1].toLowerCase();
  if (!Object.hasOwn(METRICS, name)) throw bad(`unknown metric "${m[1]}"; metrics: ${Object.keys(METRICS).join(', ')}`);
  const metric = METRICS[name as MetricName];
  const arg = m[2]?.trim();
  if (metric.arg && !arg) throw bad(`${name} needs ${metric.arg}: ${name}:NAME`);
  if (!metric.arg && arg !== undefined) throw bad(`${name} takes no ":${arg}"`);
  const why = arg !== undefined ? metric.checkArg?.(arg) : undefined;
  if (why) throw bad(why);
  const percent = m[5] === '%';
  if (metric.percent && !percent) throw bad(`${name} is a percentage: write ${name}${m[3]}${m[4]}%`);
  if (!metric.percent && percent) throw bad(`${name} is a count, not a percentage`);
  return { text: text.trim(), metric: name as MetricName, arg, op: m[3] as Comparison, value: percent ? Number(m[4]) / 100 : Number(m[4]) };
}

export function parseFailOns(values: readonly string[] | undefined, option = '--fail-on'): Threshold[] {
  return (values ?? []).map((v) => parseFailOn(v, option));
}

/** Counts, per finding, only what the given thresholds look at. */
export class MeasureCounter {
  private matched = 0;
  private readonly byCause = new Map<string, number>();
  private readonly byPath = new Map<string, number>();
  private readonly paths: Set<string>;

  constructor(thresholds: readonly Threshold[]) {
    this.paths = new Set(thresholds.filter((t) => t.metric === 'path').map((t) => t.arg as string));
  }

  add(f: Finding): void {
    this.matched++;
    this.byCause.set(f.cause, (this.byCause.get(f.cause) ?? 0) + 1);
    const p = f.record.path;
    if (this.paths.size === 0 || p === undefined) return;
    // A threshold path matches the exact path or its route (/users/:id).
    if (this.paths.has(p)) this.byPath.set(p, (this.byPath.get(p) ?? 0) + 1);
    const route = routeOf(p);
    if (route !== p && this.paths.has(route)) this.byPath.set(route, (this.byPath.get(route) ?? 0) + 1);
  }

  measures(responses: number): Measures {
    return { matched: this.matched, responses, byCause: this.byCause, byPath: this.byPath };
  }
}

export interface Trip {
  threshold: Threshold;
  actual: number;
}

export function evaluate(thresholds: readonly Threshold[], m: Measures): Trip[] {
  const trips: Trip[] = [];
  for (const t of thresholds) {
    const actual = METRICS[t.metric].measure(m, t.arg ?? '');
    if (COMPARE[t.op](actual, t.value)) trips.push({ threshold: t, actual });
  }
  return trips;
}

/** One line for stderr: which thresholds tripped, with the measured values. */
export function tripSummary(trips: readonly Trip[]): string {
  const shown = trips.map(({ threshold: t, actual }) => `${t.text} (${METRICS[t.metric].percent ? `${(actual * 100).toFixed(2)}%` : actual})`);
  return `logscan: --fail-on tripped: ${shown.join(', ')}`;
}

export function describeMetrics(): string {
  return Object.entries(METRICS).map(([n, m]) => `${n}${m.arg ? ':NAME' : ''} = ${m.describe}`).join('; ');
}
