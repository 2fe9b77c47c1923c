import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/aggregate/finding.js';
import { buildRules, newAnalysis } from '../src/cli/analysisSetup.js';
import { registryChooser } from '../src/cli/inputFormats.js';
import { validateAnalyzeArgs } from '../src/cli/options.js';
import { readAll } from '../src/cli/readAll.js';
import { expandInputs } from '../src/input/expandInputs.js';
import { eventRow } from '../src/output/eventRow.js';
import type { StreamTuning } from '../src/pipeline/analysis.js';
import { SCENARIOS } from './scenarios/catalog.js';
import { generateScenario } from './scenarios/generate.js';
import { scenarioWorkdir } from './scenarios/workdir.js';

/**
 * Streaming analysis (Analysis.streamTo: classify and drop findings while one
 * input is read in time order) must give exactly the report and the events of
 * the batch analysis (everything read first). Tuned to take small steps, so
 * the fixtures' few minutes of log go through many of them.
 */
const work = scenarioWorkdir('streaming');
afterAll(work.cleanup);

async function analyze(file: string, tune?: Partial<StreamTuning>, extra: string[] = []): Promise<{ report: unknown; events: unknown[]; streamed: boolean }> {
  const opts = validateAnalyzeArgs({ inputs: [file], by: ['cause', 'path', 'ip', 'ua', 'user', 'hour'], top: 50, ...parseExtra(extra) });
  const analysis = newAnalysis(opts, buildRules(opts));
  const events: unknown[] = [];
  const onFinding = (f: Finding) => events.push(eventRow(f));
  if (tune) analysis.streamTo(onFinding, tune);
  const { sources } = expandInputs([file]);
  const read = await readAll(sources, analysis, { strict: false, maxLineBytes: 65536, maxExamples: 5, quiet: true, registryFor: registryChooser(opts) }, new PassThrough());
  const report = analysis.finish(read.stats, [], tune ? undefined : onFinding);
  return { report, events, streamed: analysis.streamed };
}

function parseExtra(extra: string[]): Record<string, unknown> {
  return extra.includes('--window=10s') ? { window: '10s' } : {};
}

const SMALL: Partial<StreamTuning> = { slackMs: 2000, stepMs: 1000, minLines: 1 };

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (/\.(log|json|ndjson|jsonl|txt)$/.test(name) && !/truth|expected/.test(name)) out.push(p);
  }
  return out.sort();
}

/** Returns whether the streaming run really streamed. */
async function expectSame(file: string, tune: Partial<StreamTuning>): Promise<boolean> {
  const batch = await analyze(file);
  const stream = await analyze(file, tune);
  // As written out: JSON (a missing key and an undefined one are the same there).
  expect(JSON.stringify(stream.events), file).toBe(JSON.stringify(batch.events));
  expect(JSON.stringify(stream.report), file).toBe(JSON.stringify(batch.report));
  return stream.streamed;
}

describe('streaming analysis gives the batch result', () => {
  it('on every hand-written fixture file', async () => {
    const files = filesUnder(path.resolve('fixtures/scenarios'));
    expect(files.length).toBeGreaterThan(5);
    let streamed = 0;
    for (const f of files) if (await expectSame(f, SMALL)) streamed++;
    expect(streamed).toBeGreaterThan(files.length / 2);
  }, 120_000);

  it('on every generated scenario file', async () => {
    let streamed = 0;
    for (const sc of SCENARIOS) {
      const dir = path.join(work.dir, sc.name);
      generateScenario(dir, sc);
      for (const f of filesUnder(dir)) if (await expectSame(f, SMALL)) streamed++;
    }
    expect(streamed).toBeGreaterThan(SCENARIOS.length);
  }, 300_000);

  it('on a generated access log, in order and shuffled', async () => {
    const out = path.join(work.dir, 'bench');
    execFileSync(process.execPath, ['bench/generate.js', '--lines', '40000', '--no-gzip', '--no-json', '--out', out]);
    const log = readdirSync(out).find((n) => n.endsWith('.log')) as string;
    const file = path.join(out, log);
    expect(await expectSame(file, { minLines: 100 })).toBe(true);
    expect(await expectSame(file, { stepMs: 1000, minLines: 100 })).toBe(true);
    // Shuffled: out of order long before the first step, so streaming stops and the result is the batch one.
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    let seed = 7;
    for (let i = lines.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const j = seed % (i + 1);
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    const shuffled = path.join(out, 'shuffled.log');
    writeFileSync(shuffled, `${lines.join('\n')}\n`);
    expect(await expectSame(shuffled, { minLines: 100 })).toBe(false);
  }, 300_000);
});
