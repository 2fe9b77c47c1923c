import type { Writable } from 'node:stream';
import type { Finding } from '../aggregate/finding.js';
import { loadRulesFile } from '../classify/loadRules.js';
import { BUILTIN_RULES } from '../classify/rules.js';
import { RuleSet } from '../classify/ruleSet.js';
import { buildRegistry } from '../formats/registry.js';
import { expandInputs } from '../input/expandInputs.js';
import { groupsCsv, eventsCsvHeader, eventsCsvRows } from '../output/csv.js';
import { eventRow, type EventRow } from '../output/eventRow.js';
import { renderEventsTable } from '../output/eventsTable.js';
import { reportJson } from '../output/json.js';
import { OutputStream } from '../output/outputStream.js';
import { redactSecrets } from '../output/redact.js';
import { renderReport } from '../output/table.js';
import { Analysis } from '../pipeline/analysis.js';
import { readInput, StrictModeError, type InputStats } from '../pipeline/readInputs.js';
import { UsageError, type AnalyzeOptions } from './options.js';

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

function buildRules(opts: Readonly<AnalyzeOptions>): RuleSet {
  try {
    // User rules come first: on equal strength the earlier row wins.
    const extra = opts.rulesFile ? loadRulesFile(opts.rulesFile) : [];
    return new RuleSet([...extra, ...BUILTIN_RULES]);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** How each output kind writes --events rows. */
function eventWriter(opts: Readonly<AnalyzeOptions>, out: OutputStream, tableRows: EventRow[]): { start(): void; row(f: Finding): void; end(): void } {
  switch (opts.output) {
    case 'csv':
      return { start: () => out.write(eventsCsvHeader(opts)), row: (f) => out.write(eventsCsvRows([eventRow(f)], opts)), end: () => {} };
    case 'ndjson':
      return { start: () => {}, row: (f) => out.write(`${JSON.stringify(eventRow(f))}\n`), end: () => {} };
    case 'json': {
      let first = true;
      return {
        start: () => out.write('['),
        row: (f) => { out.write(`${first ? '\n' : ',\n'}${JSON.stringify(eventRow(f))}`); first = false; },
        end: () => out.write('\n]\n'),
      };
    }
    default:
      return {
        start: () => {},
        row: (f) => { if (tableRows.length < MAX_TABLE_EVENTS) tableRows.push(eventRow(f)); },
        end: () => out.write(renderEventsTable(tableRows, { lang: opts.lang, color: opts.color })),
      };
  }
}

export async function runAnalyze(opts: Readonly<AnalyzeOptions>, io: RunIO): Promise<number> {
  let registry;
  try {
    registry = buildRegistry({ zone: opts.zone, logFormat: opts.logFormat, jsonFields: opts.jsonFields });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const rules = buildRules(opts);
  const { sources, errors } = expandInputs(opts.inputs);
  for (const e of errors) io.stderr.write(`logscan: ${e}\n`);

  const analysis = new Analysis({
    status: opts.status, since: opts.since, until: opts.until, groups: opts.groups, causeTable: opts.causeTable, top: opts.top,
    capacity: GROUP_CAPACITY, dimensions: { rawPaths: opts.rawPaths, zone: opts.zone }, rules, windowMs: opts.windowMs,
    patterns: {
      bruteForceCount: opts.bruteForceCount, bruteForceUsers: opts.bruteForceUsers, bruteForceIps: opts.bruteForceIps, bruteForceWindowMs: opts.bruteForceWindowMs,
      challengeWindowMs: 5000, refreshWindowMs: 60000, stickyWindowMs: 30 * 60000,
    },
  });

  const stats: InputStats[] = [];
  let failed = errors.length > 0;
  for (const source of sources) {
    let s: InputStats;
    try {
      s = await readInput(source, analysis, { registry, strict: opts.strict, maxLineBytes: opts.maxLineBytes, maxExamples: MAX_EXAMPLES });
    } catch (e) {
      if (e instanceof StrictModeError) {
        io.stderr.write(`logscan: ${redactSecrets(e.message)}\n`);
        return EXIT_USAGE_OR_INPUT;
      }
      throw e;
    }
    stats.push(s);
    if (s.error) {
      failed = true;
      io.stderr.write(`logscan: ${redactSecrets(s.error)}\n`);
    }
    if (s.malformed + s.oversize > 0) {
      io.stderr.write(`logscan: ${s.name}: ${s.malformed + s.oversize} of ${s.lines} lines skipped (first: ${s.examples[0]?.source ?? '?'}: ${s.examples[0]?.reason ?? ''})\n`);
    }
  }

  const out = new OutputStream(io.stdout);
  const tableRows: EventRow[] = [];
  const events = opts.events ? eventWriter(opts, out, tableRows) : undefined;
  events?.start();
  const report = analysis.finish(stats, errors, events && ((f) => events.row(f)));
  if (events) {
    events.end();
  } else if (opts.output === 'json' || opts.output === 'ndjson') {
    out.write(`${JSON.stringify(reportJson(report, opts.lang), null, opts.output === 'json' ? 2 : undefined)}\n`);
  } else if (opts.output === 'csv') {
    out.write(groupsCsv(report, opts));
  } else {
    out.write(renderReport(report, { lang: opts.lang, color: opts.color }));
  }
  await out.flush(true);
  return failed ? EXIT_USAGE_OR_INPUT : EXIT_OK;
}
