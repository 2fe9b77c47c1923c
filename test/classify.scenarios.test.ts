import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from './scenarios/catalog.js';
import { generateScenario } from './scenarios/generate.js';
import { fixtureDirs, formatMisses, formatSummary, readTruth, runEvents, scoreEvents, summarize, type ScenarioScore } from './scenarios/harness.js';
import { scenarioWorkdir } from './scenarios/workdir.js';

/**
 * Classification quality, end to end: the CLI reads each scenario's logs
 * (`analyze ... --events --output ndjson`) and its causes are scored against
 * truth.json. Prints a per-cause precision/recall table and the misses.
 *
 * Bars, over all generated scenarios together and over all fixtures together:
 * - accuracy >= 90% (a missing event counts as wrong);
 * - wrong-specific rate <= 3%: a specific cause other than the true one is
 *   worse than an honest "unknown", so it has the tighter bar.
 * Per scenario, every 401 must come out as exactly one event.
 * That the test data itself parses is checked apart (scenarios.parse.test.ts).
 */
const MIN_ACCURACY = 0.9;
const MAX_WRONG_SPECIFIC = 0.03;

const work = scenarioWorkdir('classify');
afterAll(work.cleanup);

function expectOneEventPerCause(s: ScenarioScore): void {
  expect(s.missing.map((m) => m.key), `${s.name}: 401s with no event`).toEqual([]);
  expect(s.extra.map((x) => x.source), `${s.name}: events that are no 401 of the truth, or a second event for one`).toEqual([]);
}

describe('classification of generated scenarios', () => {
  const scores = new Map<string, ScenarioScore>();

  beforeAll(() => {
    for (const sc of SCENARIOS) {
      const dir = path.join(work.dir, sc.name);
      const { truth } = generateScenario(dir, sc);
      scores.set(sc.name, scoreEvents(sc.name, truth, runEvents(dir, truth)));
    }
  }, 300_000);

  for (const sc of SCENARIOS) {
    it(`${sc.name}: one event per 401`, () => {
      const s = scores.get(sc.name) as ScenarioScore;
      console.log(formatSummary(`${sc.name} (${readTruth(path.join(work.dir, sc.name)).description})`, summarize([s])));
      expectOneEventPerCause(s);
    });
  }

  it(`all generated: accuracy >= ${MIN_ACCURACY * 100}%, wrong-specific <= ${MAX_WRONG_SPECIFIC * 100}%`, () => {
    const all = [...scores.values()];
    const sum = summarize(all);
    console.log(formatSummary(`all ${all.length} generated scenarios`, sum));
    console.log(formatMisses(all));
    expect(sum.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
    expect(sum.wrongSpecificRate).toBeLessThanOrEqual(MAX_WRONG_SPECIFIC);
  });
});

describe('classification of fixture scenarios', () => {
  const dirs = fixtureDirs();
  const scores = new Map<string, ScenarioScore>();

  beforeAll(() => {
    for (const dir of dirs) {
      const truth = readTruth(dir);
      scores.set(path.basename(dir), scoreEvents(path.basename(dir), truth, runEvents(dir, truth)));
    }
  }, 300_000);

  for (const dir of dirs) {
    const name = path.basename(dir);
    it(`${name}: one event per 401`, () => {
      const s = scores.get(name) as ScenarioScore;
      console.log(formatSummary(name, summarize([s])));
      expectOneEventPerCause(s);
    });
  }

  it(`all fixtures: accuracy >= ${MIN_ACCURACY * 100}%, wrong-specific <= ${MAX_WRONG_SPECIFIC * 100}%`, () => {
    const all = [...scores.values()];
    const sum = summarize(all);
    console.log(formatSummary(`all ${all.length} fixture scenarios`, sum));
    console.log(formatMisses(all));
    expect(all.length).toBeGreaterThan(0);
    expect(sum.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
    expect(sum.wrongSpecificRate).toBeLessThanOrEqual(MAX_WRONG_SPECIFIC);
  });
});
