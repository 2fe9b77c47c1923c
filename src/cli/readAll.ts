import { statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { FormatRegistry } from '../formats/registry.js';
import type { InputSource } from '../input/expandInputs.js';
import type { ReadInfo } from '../input/lineReader.js';
import { ProgressBar } from '../output/progress.js';
import { redactSecrets } from '../output/redact.js';
import { readInput, StrictModeError, type InputStats, type ReadOptions, type RecordSink } from '../pipeline/readInputs.js';
import type { KeepSpec } from '../parallel/lineEvents.js';
import { RangePool } from '../parallel/rangePool.js';
import { readInputParallel } from '../parallel/readParallel.js';
import { readInputsMerged } from '../pipeline/mergeInputs.js';

/**
 * Reads every source into one sink, reporting unreadable inputs and skipped
 * lines on stderr (skipped lines not under --quiet). Shared by analyze and
 * explain, so both read inputs the same way.
 */
export interface ReadAllOptions {
  strict: boolean;
  maxLineBytes: number;
  maxExamples: number;
  quiet: boolean;
  registryFor(source: InputSource): FormatRegistry;
  /** Draw a progress bar on this stream (a terminal). */
  progress?: Writable & { columns?: number };
  /** Where reading of each source stopped, for --state. */
  onRead?: (source: InputSource, info: ReadInfo) => void;
  /**
   * Threads in all: with 2 or more, large plain files are parsed by threads - 1 workers while this
   * thread analyses (analyze only: the sink must take replayed lines).
   */
  parallel?: { threads: number; rangeBytes: number; keep: KeepSpec };
  /**
   * Several inputs: read them together and hand lines over in time order, building the records of
   * the responses `keep` names (analyze only: the sink must take replayed lines). With `parallel`,
   * workers parse the large plain ones.
   */
  merge?: KeepSpec;
}

export interface ReadAllResult {
  stats: InputStats[];
  /** An input could not be read or recognised. */
  failed: boolean;
  /** --strict stopped the run at a malformed line (already reported). */
  stopped: boolean;
}

function totalBytes(sources: readonly InputSource[]): number | undefined {
  let total = 0;
  for (const s of sources) {
    if (s.path === null) return undefined;
    try {
      // A plain file resumed by --state is read from its offset on.
      total += Math.max(0, statSync(s.path).size - (s.resume && !s.resume.gzip ? s.resume.offset : 0));
    } catch {
      // Reported when read.
    }
  }
  return total;
}

export async function readAll(sources: readonly InputSource[], sink: RecordSink, opts: ReadAllOptions, stderr: Writable): Promise<ReadAllResult> {
  const bar = opts.progress ? new ProgressBar(opts.progress, totalBytes(sources)) : undefined;
  const stats: InputStats[] = [];
  let failed = false;
  const par = opts.parallel && opts.parallel.threads > 1 ? opts.parallel : undefined;
  let pool: RangePool | undefined;
  const readOptsOf = (source: InputSource): ReadOptions => ({
    registry: opts.registryFor(source), strict: opts.strict, maxLineBytes: opts.maxLineBytes, maxExamples: opts.maxExamples,
    onBytes: bar && ((n) => bar.add(n)),
    onRead: opts.onRead && ((info) => opts.onRead?.(source, info)),
  });
  const tell = (s: InputStats) => {
    stats.push(s);
    if (s.error) {
      failed = true;
      bar?.finish();
      stderr.write(`logscan: ${redactSecrets(s.error)}\n`);
    }
    if (s.malformed + s.oversize > 0 && !opts.quiet) {
      bar?.finish();
      stderr.write(`logscan: ${s.name}: ${s.malformed + s.oversize} of ${s.lines} lines skipped (first: ${s.examples[0]?.source ?? '?'}: ${redactSecrets(s.examples[0]?.reason ?? '')})\n`);
    }
  };
  try {
    const readOne = async (source: InputSource, into: RecordSink, readOpts: ReadOptions): Promise<InputStats> => {
      const s = par && await readInputParallel(source, into, readOpts, { pool: () => (pool ??= new RangePool(par.threads - 1)), rangeBytes: par.rangeBytes, keep: par.keep });
      return s || readInput(source, into, readOpts);
    };
    // Several inputs are merged by time, with or without worker threads: the same lines reach the
    // analysis in the same order, so the output is the same, and it streams (memory stays bounded).
    if (opts.merge && sources.length > 1) {
      for (const s of await readInputsMerged(sources, sink, readOptsOf, opts.merge, readOne)) tell(s);
      return { stats, failed, stopped: false };
    }
    for (const source of sources) tell(await readOne(source, sink, readOptsOf(source)));
  } catch (e) {
    if (e instanceof StrictModeError) {
      bar?.finish();
      stderr.write(`logscan: ${redactSecrets(e.message)}\n`);
      return { stats, failed: true, stopped: true };
    }
    throw e;
  } finally {
    bar?.finish();
    await pool?.close();
  }
  return { stats, failed, stopped: false };
}
