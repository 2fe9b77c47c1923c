import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/cli.js';

/**
 * Second held-out set (test/holdout2/): 12 stacks written independently of the classifier
 * (Quarkus/SmallRye, Micronaut + Keycloak, Laravel Passport, IIS Windows auth behind nginx,
 * NestJS passport, Ory, Istio/Envoy, Apache mod_auth_openidc, APIM gateway, Cognito/Firebase,
 * Express sessions behind a load balancer, an edge proxy that strips Authorization).
 *
 * Each folder has truth.json: {args, inputs, events: {"input:line": cause}} with one entry per
 * 401 access line. A truth entry is covered by the event whose `source` is that line or whose
 * `correlated` list contains it (edge and upstream lines of one request become one event).
 * Scores: accuracy = predicted cause equals truth; wrong-specific = predicted a specific cause
 * other than the truth (an `unknown` or missing event is a miss, not a wrong answer).
 */
const DIR = path.join(ROOT, 'test/holdout2');
const MIN_ACCURACY = 0.9;
const MAX_WRONG_SPECIFIC = 0.03;

interface Truth {
  args: string[];
  inputs: string[];
  events: Record<string, string>;
}

interface EventRow {
  source: string;
  cause: string;
  confidence: number;
  evidence: string[] | null;
  correlated: string[] | null;
}

interface Judged {
  scenario: string;
  key: string;
  truth: string;
  predicted: string;
  evidence: string;
}

const NO_EVENT = '(no event)';

function scenarios(): string[] {
  if (!existsSync(DIR)) return [];
  return readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(DIR, d.name, 'truth.json')))
    .map((d) => d.name)
    .sort();
}

function runScenario(name: string): { judged: Judged[]; unexpected: string[]; error?: string } {
  const cwd = path.join(DIR, name);
  const truth = JSON.parse(readFileSync(path.join(cwd, 'truth.json'), 'utf8')) as Truth;
  const r = runCli(['analyze', ...truth.inputs, ...truth.args, '--events', '--output', 'ndjson'], { cwd });
  const events: EventRow[] = r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EventRow);
  const error = r.code === 0 ? undefined : `${name}: exit ${r.code}: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`;

  const bySource = new Map<string, EventRow>();
  const byCorrelated = new Map<string, EventRow>();
  for (const e of events) {
    bySource.set(e.source, e);
    for (const c of e.correlated ?? []) if (!byCorrelated.has(c)) byCorrelated.set(c, e);
  }
  const judged: Judged[] = Object.entries(truth.events).map(([key, cause]) => {
    const e = bySource.get(key) ?? byCorrelated.get(key);
    return {
      scenario: name,
      key,
      truth: cause,
      predicted: e ? e.cause : NO_EVENT,
      evidence: e ? (e.evidence ?? [])[0] ?? '' : '',
    };
  });
  const truthKeys = new Set(Object.keys(truth.events));
  const unexpected = events
    .filter((e) => !truthKeys.has(e.source) && !(e.correlated ?? []).some((c) => truthKeys.has(c)))
    .map((e) => `${name}/${e.source} -> ${e.cause}`);
  return { judged, unexpected, error };
}

function pct(n: number, d: number): string {
  return d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

describe('held-out 401 scenarios, second set (test/holdout2)', () => {
  const names = scenarios();

  it('has scenarios with truth', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  it(`names the cause of >= ${MIN_ACCURACY * 100}% of 401s, with <= ${MAX_WRONG_SPECIFIC * 100}% wrong specific causes`, () => {
    const all: Judged[] = [];
    const unexpected: string[] = [];
    const errors: string[] = [];
    for (const name of names) {
      const r = runScenario(name);
      all.push(...r.judged);
      unexpected.push(...r.unexpected);
      if (r.error) errors.push(r.error);
    }

    const causes = [...new Set([...all.map((j) => j.truth), ...all.map((j) => j.predicted)])].sort();
    const lines: string[] = [];
    lines.push(`${'cause'.padEnd(24)} ${'truth'.padStart(5)} ${'pred'.padStart(5)} ${'ok'.padStart(4)}  precision  recall`);
    for (const c of causes) {
      const t = all.filter((j) => j.truth === c).length;
      const p = all.filter((j) => j.predicted === c).length;
      const ok = all.filter((j) => j.truth === c && j.predicted === c).length;
      lines.push(`${c.padEnd(24)} ${String(t).padStart(5)} ${String(p).padStart(5)} ${String(ok).padStart(4)}  ${pct(ok, p).padStart(9)}  ${pct(ok, t)}`);
    }
    const correct = all.filter((j) => j.truth === j.predicted).length;
    const wrongSpecific = all.filter((j) => j.predicted !== j.truth && j.predicted !== 'unknown' && j.predicted !== NO_EVENT).length;
    const accuracy = all.length ? correct / all.length : 0;
    const wrongRate = all.length ? wrongSpecific / all.length : 1;
    lines.push('');
    lines.push(`per scenario: ${names.map((n) => {
      const js = all.filter((j) => j.scenario === n);
      return `${n} ${js.filter((j) => j.truth === j.predicted).length}/${js.length}`;
    }).join(', ')}`);
    lines.push(`overall accuracy ${correct}/${all.length} = ${pct(correct, all.length).trim()}; wrong-specific ${wrongSpecific}/${all.length} = ${pct(wrongSpecific, all.length).trim()}`);
    const misses = all.filter((j) => j.truth !== j.predicted);
    if (misses.length) {
      lines.push('', `misses (${misses.length}):`);
      for (const m of misses) lines.push(`  ${m.scenario}/${m.key}  ${m.truth} -> ${m.predicted}  [${m.evidence}]`);
    }
    if (unexpected.length) {
      lines.push('', `events matching no truth entry (${unexpected.length}):`);
      for (const u of unexpected) lines.push(`  ${u}`);
    }
    if (errors.length) lines.push('', 'errors:', ...errors.map((e) => `  ${e}`));
    console.log(`\nholdout2 scoring\n${lines.join('\n')}\n`);

    expect(errors).toEqual([]);
    expect(accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
    expect(wrongRate).toBeLessThanOrEqual(MAX_WRONG_SPECIFIC);
  });
});
