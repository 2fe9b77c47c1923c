import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAUSES, isCause } from './scenarios/causes.js';
import { SCENARIOS } from './scenarios/catalog.js';
import { generateScenario, possibleCauses, resolveOptions } from './scenarios/generate.js';
import { fixtureDirs, readTruth, runEvents, runReport } from './scenarios/harness.js';
import type { ScenarioOptions, Truth } from './scenarios/model.js';
import { scenarioWorkdir } from './scenarios/workdir.js';

/**
 * The harness's own checks, independent of the classifier: every generated
 * and hand-written scenario parses with no skipped line, each input is read
 * in the format it was written in, and every 401 of truth.json is one the CLI
 * reports. If these pass and classify.scenarios fails, the causes are wrong,
 * not the test data.
 */
const work = scenarioWorkdir('parse');
afterAll(work.cleanup);

function expectedFormats(o: ScenarioOptions): Record<string, string> {
  const access = o.access === 'nginx_json' ? 'json' : o.access === 'nginx_custom' || (o.access === 'apache_combined' && o.requestIds) ? 'custom' : 'combined';
  const out: Record<string, string> = { 'app.log': 'json', 'error.log': o.errorLog === 'nginx' ? 'nginx_error' : 'apache_error' };
  for (const name of o.splitAccess ? ['edge-a.log', 'edge-b.log'] : ['access.log']) out[name] = access;
  return out;
}

/** Every 401 of the truth is reported (as an event, or merged into one), and no other line is. */
function expectEventsCoverTruth(dir: string, truth: Truth): void {
  const events = runEvents(dir, truth);
  const reported = new Set(events.flatMap((e) => [e.source, ...e.correlated]));
  const missing = Object.keys(truth.events).filter((k) => !reported.has(k));
  expect(missing, 'truth 401s the CLI did not report').toEqual([]);
  const strangers = events.map((e) => e.source).filter((s) => truth.events[s] === undefined && truth.aliases[s] === undefined);
  expect(strangers, 'events for lines truth.json does not list').toEqual([]);
}

describe('generated scenarios parse cleanly', () => {
  for (const sc of SCENARIOS) {
    it(sc.name, () => {
      const dir = path.join(work.dir, sc.name);
      const g = generateScenario(dir, sc);
      expect(g.lines).toBeGreaterThan(300);
      expect(g.lines).toBeLessThan(5000);
      const { report, stderr, code } = runReport(dir, g.truth);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(report.totals.skipped).toBe(0);
      expect(report.totals.parsed).toBe(g.lines);
      const formats = Object.fromEntries(report.inputs.map((i) => [i.name, i.format]));
      expect(formats).toEqual(expectedFormats(resolveOptions(sc)));
      expectEventsCoverTruth(dir, g.truth);
    });
  }

  it('gives the same bytes for the same seed, other bytes for another seed', () => {
    const read = (d: string) => readdirSync(d).sort().map((f) => readFileSync(path.join(d, f), 'utf8'));
    const a = path.join(work.dir, 'same-a');
    const b = path.join(work.dir, 'same-b');
    const c = path.join(work.dir, 'other');
    generateScenario(a, { seed: 42, access: 'nginx_combined', requestIds: false, appOrder: 'jittered', inputOrder: 'shuffled' });
    generateScenario(b, { seed: 42, access: 'nginx_combined', requestIds: false, appOrder: 'jittered', inputOrder: 'shuffled' });
    generateScenario(c, { seed: 43, access: 'nginx_combined', requestIds: false, appOrder: 'jittered', inputOrder: 'shuffled' });
    expect(read(a)).toEqual(read(b));
    expect(read(c)).not.toEqual(read(a));
  });

  it('makes every cause occur, each as often as the knobs say', () => {
    const seen = new Set<string>();
    for (const sc of SCENARIOS) {
      const { truth } = generateScenario(path.join(work.dir, `cover-${sc.name}`), sc);
      const causes = new Set(Object.values(truth.events));
      expect([...causes].sort()).toEqual(possibleCauses(resolveOptions(sc)).sort());
      for (const c of causes) seen.add(c);
    }
    expect([...seen].sort()).toEqual([...CAUSES].sort());
    const full = resolveOptions({ seed: 1, access: 'nginx_custom', requestIds: true });
    expect(possibleCauses(full)).toEqual([...CAUSES]);
  });
});

describe('fixture scenarios parse cleanly', () => {
  const dirs = fixtureDirs();

  it('exist, one folder per story, together covering every cause', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(6);
    const seen = new Set(dirs.flatMap((d) => Object.values(readTruth(d).events)));
    expect([...seen].sort()).toEqual([...CAUSES].sort());
  });

  for (const dir of dirs) {
    it(path.basename(dir), () => {
      const truth = readTruth(dir);
      const files = readdirSync(dir);
      // `logscan analyze fixtures/scenarios/<name>/*.log` must read exactly the logs.
      expect(truth.inputs).toEqual(files.filter((f) => f.endsWith('.log')).sort());
      expect(files).toContain('README.md');
      expect(truth.args).toEqual(['--tz', 'UTC']);
      for (const [k, c] of Object.entries(truth.events)) expect(isCause(c), `${k}: ${c}`).toBe(true);
      const { report, stderr, code } = runReport(dir, truth);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(report.totals.skipped).toBe(0);
      expectEventsCoverTruth(dir, truth);
    });
  }
});
