import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/cli.js';

/**
 * Held-out scenarios (test/holdout/<name>/): logs from stacks and wordings the classifier was not
 * tuned on, with a hand-written truth per 401 (truth.json: {args, inputs, events: {"file:line": cause}}).
 * The logs are produced by test/holdout/gen/generate.py (hand-written templates; see each
 * scenario's README.md) and committed, so this test needs no Python.
 *
 * Join: an event covers a truth entry when the entry's key is the event's `source` or one of its
 * `correlated` lines (edge + upstream access lines of one request are one event). Truth entries
 * that land on the same event are scored once. A truth entry without an event scores as "(none)".
 *
 * Passing bar: overall accuracy >= 90 % and wrong-specific rate (a specific cause other than the
 * truth, i.e. not `unknown` and not missing) <= 3 %.
 */

const HOLDOUT = path.join(ROOT, 'test/holdout');
const NONE = '(none)';

interface Truth {
  args: string[];
  inputs: string[];
  events: Record<string, string>;
}

interface Event {
  source: string;
  cause: string;
  confidence: number;
  evidence: string[];
  correlated: string[];
  status: number;
}

interface Scored {
  scenario: string;
  keys: string[];
  truth: string;
  predicted: string;
  evidence: string;
  source: string;
}

function scenarios(): string[] {
  if (!existsSync(HOLDOUT)) return [];
  return readdirSync(HOLDOUT)
    .filter((d) => existsSync(path.join(HOLDOUT, d, 'truth.json')))
    .sort();
}

function runScenario(name: string): { scored: Scored[]; extras: string[]; error?: string } {
  const dir = path.join(HOLDOUT, name);
  const truth = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as Truth;
  // Inputs first: --json-field is an array option and would swallow positionals after it.
  const args = ['analyze', ...truth.inputs, ...truth.args, '--tz', 'UTC', '--events', '--output', 'ndjson'];
  const r = runCli(args, { cwd: dir });
  const events: Event[] = r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Event];
      } catch {
        return [];
      }
    });
  const error = r.code === 0 ? undefined : `exit ${r.code}: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`;

  const bySource = new Map<string, number>();
  const byCorrelated = new Map<string, number>();
  events.forEach((e, i) => {
    bySource.set(e.source, i);
    for (const c of e.correlated ?? []) if (!byCorrelated.has(c)) byCorrelated.set(c, i);
  });

  const groups = new Map<string, string[]>(); // event index (or key for unmatched) -> truth keys
  for (const key of Object.keys(truth.events)) {
    const idx = bySource.get(key) ?? byCorrelated.get(key);
    const g = idx === undefined ? `none:${key}` : `ev:${idx}`;
    groups.set(g, [...(groups.get(g) ?? []), key]);
  }
  const covered = new Set<number>();
  const scored: Scored[] = [];
  for (const [g, keys] of groups) {
    const causes = new Set(keys.map((k) => truth.events[k]));
    if (causes.size > 1) throw new Error(`${name}: truth disagrees within one request: ${keys.join(', ')}`);
    const t = truth.events[keys[0]];
    if (g.startsWith('none:')) {
      scored.push({ scenario: name, keys, truth: t, predicted: NONE, evidence: '', source: keys[0] });
    } else {
      const idx = Number(g.slice(3));
      covered.add(idx);
      const e = events[idx];
      scored.push({ scenario: name, keys, truth: t, predicted: e.cause, evidence: e.evidence?.[0] ?? '', source: e.source });
    }
  }
  const extras = events
    .map((e, i) => ({ e, i }))
    .filter(({ i }) => !covered.has(i))
    .map(({ e }) => `${name}/${e.source} -> ${e.cause}`);
  return { scored, extras, error };
}

function pct(n: number, d: number): string {
  return d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

function isSpecific(cause: string): boolean {
  return cause !== 'unknown' && cause !== NONE;
}

describe('held-out scenarios', () => {
  const names = scenarios();

  it.runIf(names.length > 0)('names the cause of held-out 401s (accuracy >= 90%, wrong-specific <= 3%)', () => {
    const all: Scored[] = [];
    const extras: string[] = [];
    const errors: string[] = [];
    const perScenario: string[] = [];
    for (const n of names) {
      const { scored, extras: x, error } = runScenario(n);
      all.push(...scored);
      extras.push(...x);
      if (error) errors.push(`${n}: ${error}`);
      const ok = scored.filter((s) => s.predicted === s.truth).length;
      perScenario.push(`  ${n.padEnd(28)} ${String(ok).padStart(4)}/${String(scored.length).padEnd(4)} ${pct(ok, scored.length)}`);
    }

    const causes = [...new Set([...all.map((s) => s.truth), ...all.map((s) => s.predicted)])].sort();
    const rows: string[] = [];
    rows.push(`  ${'cause'.padEnd(24)} ${'truth'.padStart(5)} ${'pred'.padStart(5)} ${'ok'.padStart(5)} ${'prec'.padStart(7)} ${'recall'.padStart(7)}`);
    for (const c of causes) {
      const t = all.filter((s) => s.truth === c).length;
      const p = all.filter((s) => s.predicted === c).length;
      const ok = all.filter((s) => s.truth === c && s.predicted === c).length;
      rows.push(`  ${c.padEnd(24)} ${String(t).padStart(5)} ${String(p).padStart(5)} ${String(ok).padStart(5)} ${pct(ok, p).padStart(7)} ${pct(ok, t).padStart(7)}`);
    }
    const total = all.length;
    const correct = all.filter((s) => s.predicted === s.truth).length;
    const wrongSpecific = all.filter((s) => s.predicted !== s.truth && isSpecific(s.predicted)).length;
    const noEvent = all.filter((s) => s.predicted === NONE).length;
    const nonBrute = all.filter((s) => s.truth !== 'brute_force');
    const nonBruteOk = nonBrute.filter((s) => s.predicted === s.truth).length;
    const misses = all
      .filter((s) => s.predicted !== s.truth)
      .map((s) => `  ${s.scenario}/${s.source}  ${s.truth} -> ${s.predicted}${s.evidence ? `  [${s.evidence}]` : ''}`);

    const report = [
      '',
      'held-out scenarios: per scenario (correct/total)',
      ...perScenario,
      '',
      'per cause',
      ...rows,
      '',
      `overall accuracy      ${correct}/${total} ${pct(correct, total)}`,
      `wrong-specific rate   ${wrongSpecific}/${total} ${pct(wrongSpecific, total)}`,
      `no event for a 401    ${noEvent}`,
      `accuracy w/o brute    ${nonBruteOk}/${nonBrute.length} ${pct(nonBruteOk, nonBrute.length)}`,
      '',
      `misses (${misses.length}): scenario/source  truth -> predicted  [first evidence]`,
      ...misses,
      '',
      `events not in truth (${extras.length})`,
      ...extras.map((x) => `  ${x}`),
      ...(errors.length ? ['', 'run errors', ...errors.map((e) => `  ${e}`)] : []),
      '',
    ].join('\n');
    console.log(report);

    expect(errors.filter((e) => /exit (3|-1)/.test(e)), 'internal errors').toEqual([]);
    expect(total).toBeGreaterThan(0);
    expect(correct / total, 'overall accuracy').toBeGreaterThanOrEqual(0.9);
    expect(wrongSpecific / total, 'wrong-specific rate').toBeLessThanOrEqual(0.03);
  }, 300_000);
});
