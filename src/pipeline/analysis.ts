import type { DimensionName, DimensionOptions } from '../aggregate/dimensions.js';
import type { Finding } from '../aggregate/finding.js';
import { GroupTable } from '../aggregate/groupTable.js';
import { totalsOf, type Report } from '../aggregate/report.js';
import type { StatusFilter } from '../aggregate/statusFilter.js';
import type { LineParser } from '../formats/parser.js';
import type { InputStats, RecordSink } from './readInputs.js';

/**
 * The analyze sink: counts every response, builds a Finding for each one that
 * matches --status and the time window, and feeds the group tables and the
 * optional per-finding consumer (--events). Only matching lines are turned
 * into full records; the rest cost a status and time check.
 */
export interface AnalysisOptions {
  status: StatusFilter;
  since?: number;
  until?: number;
  groups: DimensionName[][];
  top: number;
  capacity: number;
  dimensions: DimensionOptions;
  onFinding?: (f: Finding) => void;
}

export class Analysis implements RecordSink {
  private responses = 0;
  private matched = 0;
  private first = Infinity;
  private last = -Infinity;
  private readonly tables: GroupTable[];
  /** Set by the wiring to flush streamed output between chunks. */
  afterChunk?: () => Promise<void>;

  constructor(private readonly opts: AnalysisOptions) {
    this.tables = opts.groups.map((dims) => new GroupTable(dims, opts.dimensions, opts.capacity));
  }

  accept(parser: LineParser, input: string, line: number): void {
    const t = parser.time();
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    const status = parser.status();
    if (Number.isNaN(status)) return;
    this.responses++;
    if (!this.opts.status.matches(status)) return;
    const { since, until } = this.opts;
    if ((since !== undefined || until !== undefined) && (Number.isNaN(t) || (since !== undefined && t < since) || (until !== undefined && t >= until))) return;
    this.matched++;
    const finding: Finding = { record: parser.record(input, line), cause: 'unknown', confidence: 0, evidence: [], correlated: [] };
    for (const table of this.tables) table.add(finding);
    this.opts.onFinding?.(finding);
  }

  report(inputs: InputStats[], errors: string[]): Report {
    return {
      version: 1,
      totals: totalsOf(inputs, {
        responses: this.responses, matched: this.matched, first: this.first, last: this.last,
        status: this.opts.status.spec, since: this.opts.since, until: this.opts.until,
      }),
      inputs,
      tables: this.tables.map((t) => t.result(this.opts.top, this.matched)),
      errors,
    };
  }
}
