import type { Writable } from 'node:stream';
import type { Finding } from '../aggregate/finding.js';
import type { Report } from '../aggregate/report.js';
import { CauseTimeSeries, type TimeSeriesResult, type TimeUnit } from '../aggregate/timeSeries.js';
import { expandInputs, type InputSource } from '../input/expandInputs.js';
import type { ReadInfo } from '../input/lineReader.js';
import { planIncremental } from '../state/planIncremental.js';
import { StateLock } from '../state/stateLock.js';
import { loadState, serializeState, StateFileError, type State, type StateEntry } from '../state/stateFile.js';
import { AtomicFile, OutFileError } from '../output/atomicFile.js';
import { groupsCsv } from '../output/csv.js';
import { EventsWriter } from '../output/eventsWriter.js';
import { reportJson } from '../output/json.js';
import { OutputStream } from '../output/outputStream.js';
import { renderReport } from '../output/table.js';
import type { RecordSink } from '../pipeline/readInputs.js';
import { buildRules, newAnalysis } from './analysisSetup.js';
import { evaluate, MeasureCounter, tripSummary } from './failOn.js';
import { registryChooser } from './inputFormats.js';
import { UsageError, type AnalyzeOptions } from './options.js';
import { readAll } from './readAll.js';

/** Exit codes, documented in the README. */
export const EXIT_OK = 0;
export const EXIT_THRESHOLD = 1;
export const EXIT_USAGE_OR_INPUT = 2;

export { GROUP_CAPACITY } from './analysisSetup.js';

export interface RunIO {
  stdout: Writable;
  /** A terminal, when stderr is one: the progress bar is drawn there. */
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

const MAX_EXAMPLES = 5;

function writeReport(opts: Readonly<AnalyzeOptions>, out: OutputStream, report: Report, series: TimeSeriesResult | undefined, color: boolean): void {
  if (opts.output === 'json' || opts.output === 'ndjson') {
    out.write(`${JSON.stringify(reportJson(report, opts.lang, series), null, opts.output === 'json' ? 2 : undefined)}\n`);
  } else if (opts.output === 'csv') {
    out.write(groupsCsv(report, opts, series));
  } else {
    out.write(renderReport(report, { lang: opts.lang, color, series }));
  }
}

/** Bytes per range a worker parses; LOGSCAN_RANGE_BYTES lets tests split small files. */
function rangeBytes(): number {
  const n = Number(process.env.LOGSCAN_RANGE_BYTES);
  return Number.isInteger(n) && n >= 1 ? n : 8 << 20;
}

/** The first --by hour or --by day asks for the per-cause time view. */
function timeUnitOf(opts: Readonly<AnalyzeOptions>): TimeUnit | undefined {
  for (const g of opts.groups) for (const d of g) if (d === 'hour' || d === 'day') return d;
  return undefined;
}

export async function runAnalyze(opts: Readonly<AnalyzeOptions>, io: RunIO): Promise<number> {
  const registryFor = registryChooser(opts);
  const rules = buildRules(opts);
  let prior: State | undefined;
  let lock: StateLock | undefined;
  try {
    lock = opts.state !== undefined ? StateLock.acquire(opts.state) : undefined;
    prior = opts.state !== undefined ? loadState(opts.state) : undefined;
  } catch (e) {
    lock?.release();
    throw e instanceof StateFileError ? new UsageError(e.message) : e;
  }
  // Opened before reading, so an unwritable --out or --state fails at once; removed on any failure.
  let file: AtomicFile | undefined;
  let stateFile: AtomicFile | undefined;
  try {
    file = opts.out !== undefined ? AtomicFile.open(opts.out) : undefined;
    stateFile = opts.state !== undefined ? AtomicFile.open(opts.state, '--state') : undefined;
  } catch (e) {
    file?.discard();
    lock?.release();
    throw e instanceof OutFileError ? new UsageError(e.message) : e;
  }
  try {
    const run = await analyzeInto(opts, io, registryFor, rules, file, prior);
    if (run === undefined) return EXIT_USAGE_OR_INPUT;
    if (file) await file.commit();
    // Only once the report is safely written: a run that fails before this reads the same lines again next time.
    if (stateFile && run.nextState) {
      stateFile.stream.write(serializeState(run.nextState(), new Date()));
      await stateFile.commit();
    }
    return run.code;
  } catch (e) {
    file?.discard();
    stateFile?.discard();
    if (e instanceof OutFileError) {
      io.stderr.write(`logscan: ${e.message}\n`);
      return EXIT_USAGE_OR_INPUT;
    }
    throw e;
  } finally {
    file?.discard();
    stateFile?.discard();
    lock?.release();
  }
}

interface AnalyzeRun {
  code: number;
  /** --state: the positions to remember, once the report is written. */
  nextState?: () => StateEntry[];
}

/** Returns the exit code, or undefined when --strict stopped the run (nothing is written). */
async function analyzeInto(
  opts: Readonly<AnalyzeOptions>, io: RunIO, registryFor: ReturnType<typeof registryChooser>, rules: ReturnType<typeof buildRules>, file: AtomicFile | undefined,
  prior: State | undefined,
): Promise<AnalyzeRun | undefined> {
  const expanded = expandInputs(opts.inputs);
  const errors = expanded.errors;
  for (const e of errors) io.stderr.write(`logscan: ${e}\n`);
  const plan = opts.state !== undefined ? planIncremental(expanded.sources, prior) : undefined;
  for (const w of plan?.warnings ?? []) io.stderr.write(`logscan: ${w}\n`);
  if (!opts.quiet) for (const n of plan?.notes ?? []) io.stderr.write(`logscan: ${n}\n`);
  const sources = plan?.sources ?? expanded.sources;
  const positions = new Map<InputSource, ReadInfo>();

  const analysis = newAnalysis(opts, rules);
  const counter = new MeasureCounter(opts.failOn);
  const unit = timeUnitOf(opts);
  const series = unit ? new CauseTimeSeries(unit, opts.zone) : undefined;
  // --events rows go out as they are classified when where they go is known before reading: not when
  // --quiet holds them back until the thresholds are known, nor on stdout under --strict (which writes
  // nothing when it stops). Held rows are kept in memory.
  const early = opts.events && (file !== undefined || (!opts.quiet && !opts.strict));
  const eventsTo = (target: Writable) => new EventsWriter(opts.output, new OutputStream(target), opts, file ? false : opts.color);
  const events = early ? eventsTo(file?.stream ?? io.stdout) : undefined;
  const held: Finding[] = [];
  const onFinding = (f: Finding) => {
    counter.add(f);
    series?.add(f);
    if (events) events.add(f);
    else if (opts.events) held.push(f);
  };
  // Lines read in time order (one input, or several merged by time, with or without --threads) are
  // classified as they are read and forgotten, so memory follows a few minutes of log, not the whole
  // log (the analysis falls back to reading everything first when they are not in order).
  const keep = { status: opts.status.spec, since: opts.since, until: opts.until };
  analysis.inputOrder(sources.map((s) => s.name));
  // Tests only: several inputs read one after the other and analysed at the end, the reference
  // every merged and streamed run must equal (test/pipeline.merge.test.ts).
  const sequential = sources.length > 1 && process.env.LOGSCAN_SEQUENTIAL_INPUTS === '1';
  if (!sequential) analysis.streamTo(onFinding);
  if (events) analysis.afterChunk = () => events.flush();
  // The analysis counts only responses inside --since/--until, so "rate" needs no second count.
  const sink: RecordSink = analysis;
  const showProgress = opts.progress && !opts.quiet && io.stderr.isTTY === true;
  const read = await readAll(sources, sink, {
    strict: opts.strict, maxLineBytes: opts.maxLineBytes, maxExamples: MAX_EXAMPLES, quiet: opts.quiet, registryFor,
    progress: showProgress ? io.stderr : undefined,
    onRead: plan && ((source, info) => positions.set(source, info)),
    parallel: { threads: opts.threads, rangeBytes: rangeBytes(), keep },
    merge: sequential ? undefined : keep,
  }, io.stderr);
  if (read.stopped) return undefined;

  const report = analysis.finish(read.stats, errors, onFinding);
  const trips = evaluate(opts.failOn, counter.measures(report.totals.responses));

  // The report goes to --out always; to stdout unless --quiet holds it back (no threshold tripped).
  const target = file?.stream ?? (opts.quiet && trips.length === 0 ? undefined : io.stdout);
  if (events) {
    await events.end();
  } else if (target && opts.events) {
    const late = eventsTo(target);
    for (const f of held) late.add(f);
    await late.end();
  } else if (target) {
    const out = new OutputStream(target);
    writeReport(opts, out, report, series?.result(), file ? false : opts.color);
    await out.flush(true);
  }
  if (trips.length > 0) io.stderr.write(`${tripSummary(trips)}\n`);
  const nextState = plan && (() => plan.nextState(positions));
  if (read.failed || errors.length > 0) return { code: EXIT_USAGE_OR_INPUT, nextState };
  return { code: trips.length > 0 ? EXIT_THRESHOLD : EXIT_OK, nextState };
}
