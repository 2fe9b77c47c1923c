import { isIP } from 'node:net';
import { Writable } from 'node:stream';
import type { Finding } from '../aggregate/finding.js';
import { expandInputs } from '../input/expandInputs.js';
import { OutputStream } from '../output/outputStream.js';
import { explainJson, renderExplain, type ExplainResult } from '../output/timeline.js';
import { TeeSink, TimelineSink } from '../pipeline/timelineSink.js';
import { sourceOf, type LogRecord } from '../record.js';
import { buildRules, newAnalysis } from './analysisSetup.js';
import { registryChooser } from './inputFormats.js';
import type { AnalyzeOptions } from './options.js';
import { readAll } from './readAll.js';
import { EXIT_USAGE_OR_INPUT, type RunIO } from './runAnalyze.js';

/**
 * `logscan explain <request-id | ip> INPUTS...`: the same analysis as
 * analyze, read together with a timeline sink that keeps the lines of that
 * request or client; lines joined to its responses by time (they carry no
 * request id) are fetched by a second read of the inputs, only if needed.
 * Exit 0 when a line matched, 1 when none did (as grep), 2 on input errors.
 */
export const EXIT_NOT_FOUND = 1;

export interface ExplainOptions {
  query: string;
  output: 'table' | 'json';
  /** Timeline lines shown at most. */
  limit: number;
  analyze: Readonly<AnalyzeOptions>;
}

export function queryKind(q: string): 'ip' | 'requestId' {
  return isIP(q) !== 0 ? 'ip' : 'requestId';
}

export async function runExplain(opts: ExplainOptions, io: RunIO): Promise<number> {
  const a = opts.analyze;
  const registryFor = registryChooser(a);
  const rules = buildRules(a);
  const { sources, errors } = expandInputs(a.inputs);
  for (const e of errors) io.stderr.write(`logscan: ${e}\n`);

  const kind = queryKind(opts.query);
  const analysis = newAnalysis(a, rules);
  const timeline = new TimelineSink({ kind, value: opts.query }, a.since, a.until);
  const readOpts = { strict: a.strict, maxLineBytes: a.maxLineBytes, maxExamples: 5, quiet: a.quiet, registryFor };
  const read = await readAll(sources, new TeeSink(analysis, timeline), readOpts, io.stderr);
  if (read.stopped) return EXIT_USAGE_OR_INPUT;

  const all: Finding[] = [];
  analysis.finish(read.stats, errors, (f) => all.push(f));
  const keptSources = new Set(timeline.kept.map(sourceOf));
  // A response belongs to the query by its own fields, or (request id only in
  // the app log) by a joined line that carries the id.
  const findings = all.filter((f) => (kind === 'ip' ? f.record.ip === opts.query : f.record.requestId === opts.query || f.correlated.some((c) => keptSources.has(c))));

  const records: LogRecord[] = [...timeline.kept];
  const have = new Set(keptSources);
  for (const f of findings) {
    const s = sourceOf(f.record);
    if (!have.has(s)) {
      have.add(s);
      records.push(f.record);
    }
  }
  const missing = new Set(findings.flatMap((f) => f.correlated).filter((c) => !have.has(c)));
  if (missing.size > 0) {
    const joined = new TimelineSink({ kind: 'sources', value: missing });
    // Problems with the inputs were reported by the first read.
    // Standard input cannot be read twice: lines joined from it are named in the evidence only.
    const files = sources.filter((x) => x.path !== null);
    await readAll(files, joined, { ...readOpts, quiet: true }, new Writable({ write: (_c, _e, cb) => cb() }));
    records.push(...joined.kept);
  }
  // Lines without a usable time go last; ties keep input and line order.
  const key = (r: LogRecord) => (Number.isNaN(r.time) ? Infinity : r.time);
  records.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : x.input < y.input ? -1 : x.input > y.input ? 1 : x.line - y.line));

  const result: ExplainResult = {
    query: { kind, value: opts.query },
    timeline: records.slice(0, opts.limit),
    findings,
    omitted: Math.max(0, records.length - opts.limit),
    inputs: new Set(records.map((r) => r.input)).size,
  };
  const out = new OutputStream(io.stdout);
  if (records.length === 0 && findings.length === 0) {
    io.stderr.write(`logscan: no line in the inputs ${kind === 'ip' ? 'comes from client' : 'carries request id'} ${JSON.stringify(opts.query)}\n`);
  } else {
    out.write(opts.output === 'json' ? `${JSON.stringify(explainJson(result, a.lang), null, 2)}\n` : renderExplain(result, a.lang));
  }
  await out.flush(true);
  if (read.failed || errors.length > 0) return EXIT_USAGE_OR_INPUT;
  return records.length === 0 ? EXIT_NOT_FOUND : 0;
}
