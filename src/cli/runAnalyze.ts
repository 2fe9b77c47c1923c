import type { Writable } from 'node:stream';
import type { Finding } from '../aggregate/finding.js';
import { buildRegistry } from '../formats/registry.js';
import { expandInputs } from '../input/expandInputs.js';
import { groupsCsv, eventsCsvHeader, eventsCsvRows } from '../output/csv.js';
import { eventRow } from '../output/eventRow.js';
import { OutputStream } from '../output/outputStream.js';
import { renderReport } from '../output/table.js';
import { Analysis } from '../pipeline/analysis.js';
import { readInput, StrictModeError, type InputStats } from '../pipeline/readInputs.js';
import type { AnalyzeOptions } from './options.js';
import { UsageError } from './options.js';
import { renderEventsTable } from '../output/eventsTable.js';
import type { EventRow } from '../output/eventRow.js';

/** Exit codes, documented in the README. */
export const EXIT_OK = 0;
export const EXIT_THRESHOLD = 1;
export const EXIT_USAGE_OR_INPUT = 2;

export interface RunIO {
  stdout: Writable;
  stderr: Writable;
}

/** Heavy-hitter counters per table: exact up to this many distinct keys. */
export const GROUP_CAPACITY = 20000;
const MAX_EXAMPLES = 5;
const MAX_TABLE_EVENTS = 1000;

export async function runAnalyze(opts: Readonly<AnalyzeOptions>, io: RunIO): Promise<number> {
  let registry;
  try {
    registry = buildRegistry({ zone: opts.zone, logFormat: opts.logFormat, jsonFields: opts.jsonFields });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { sources, errors } = expandInputs(opts.inputs);
  for (const e of errors) io.stderr.write(`logscan: ${e}\n`);

  const out = new OutputStream(io.stdout);
  const tableEvents: EventRow[] = [];
  let onFinding: ((f: Finding) => void) | undefined;
  if (opts.events) {
    if (opts.output === 'csv') {
      out.write(eventsCsvHeader(opts));
      onFinding = (f) => out.write(eventsCsvRows([eventRow(f)], opts));
    } else if (opts.output === 'ndjson') {
      onFinding = (f) => out.write(`${JSON.stringify(eventRow(f))}\n`);
    } else if (opts.output === 'json') {
      let first = true;
      out.write('[');
      onFinding = (f) => {
        out.write(`${first ? '\n' : ',\n'}${JSON.stringify(eventRow(f))}`);
        first = false;
      };
    } else {
      onFinding = (f) => { if (tableEvents.length < MAX_TABLE_EVENTS) tableEvents.push(eventRow(f)); };
    }
  }

  const analysis = new Analysis({
    status: opts.status, since: opts.since, until: opts.until, groups: opts.groups, top: opts.top,
    capacity: GROUP_CAPACITY, dimensions: { rawPaths: opts.rawPaths, zone: opts.zone }, onFinding,
  });
  analysis.afterChunk = () => out.flush();

  const stats: InputStats[] = [];
  let failed = errors.length > 0;
  for (const source of sources) {
    let s: InputStats;
    try {
      s = await readInput(source, analysis, { registry, strict: opts.strict, maxLineBytes: opts.maxLineBytes, maxExamples: MAX_EXAMPLES });
    } catch (e) {
      if (e instanceof StrictModeError) {
        await out.flush(true);
        io.stderr.write(`logscan: ${e.message}\n`);
        return EXIT_USAGE_OR_INPUT;
      }
      throw e;
    }
    stats.push(s);
    if (s.error) {
      failed = true;
      io.stderr.write(`logscan: ${s.error}\n`);
    }
    if (s.malformed + s.oversize > 0) {
      io.stderr.write(`logscan: ${s.name}: ${s.malformed + s.oversize} of ${s.lines} lines skipped (first: ${s.examples[0]?.source ?? '?'}: ${s.examples[0]?.reason ?? ''})\n`);
    }
  }

  const report = analysis.report(stats, errors);
  if (opts.events) {
    if (opts.output === 'table') out.write(renderEventsTable(tableEvents, { lang: opts.lang, color: opts.color }));
    if (opts.output === 'json') out.write('\n]\n');
  } else if (opts.output === 'json' || opts.output === 'ndjson') {
    out.write(`${JSON.stringify(report, null, opts.output === 'json' ? 2 : undefined)}\n`);
  } else if (opts.output === 'csv') {
    out.write(groupsCsv(report, opts));
  } else {
    out.write(renderReport(report, { lang: opts.lang, color: opts.color }));
  }
  await out.flush(true);
  return failed ? EXIT_USAGE_OR_INPUT : EXIT_OK;
}
