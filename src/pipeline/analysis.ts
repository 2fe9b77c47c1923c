import { CauseTable } from '../aggregate/causeTable.js';
import type { DimensionName, DimensionOptions } from '../aggregate/dimensions.js';
import type { Finding } from '../aggregate/finding.js';
import { GroupTable } from '../aggregate/groupTable.js';
import { totalsOf, type Report } from '../aggregate/report.js';
import type { StatusFilter } from '../aggregate/statusFilter.js';
import { classifyFindings } from '../classify/classifyFindings.js';
import type { PatternOptions } from '../classify/patterns.js';
import type { RuleSet } from '../classify/ruleSet.js';
import { ClientTracker } from '../correlate/clientTracker.js';
import { joinEvidence, mergeAppResponses, mergeSameRequest } from '../correlate/join.js';
import type { EvidenceLine, Pending } from '../correlate/pending.js';
import type { LineParser } from '../formats/parser.js';
import { sourceOf, type LogRecord } from '../record.js';
import type { InputStats, RecordSink } from './readInputs.js';

/**
 * The analyze sink. While inputs are read it counts every response, keeps
 * each matching one as a pending finding, follows clients through the
 * ClientTracker and keeps the app and error lines that match a rule. When
 * all inputs are read, it joins, classifies, and aggregates.
 *
 * Memory: proportional to the matching responses plus the evidence-bearing
 * app/error lines (not to the log's length); client state is bounded.
 * Non-matching access lines cost a status/time check and a client lookup.
 */
const NOTABLE_LEVELS = new Set(['warn', 'warning', 'error', 'err', 'fatal', 'crit', 'critical', 'alert', 'emerg', 'severe']);

export interface AnalysisOptions {
  status: StatusFilter;
  since?: number;
  until?: number;
  groups: DimensionName[][];
  causeTable: boolean;
  top: number;
  capacity: number;
  dimensions: DimensionOptions;
  rules: RuleSet;
  windowMs: number;
  patterns: PatternOptions;
}

export class Analysis implements RecordSink {
  private responses = 0;
  private first = Infinity;
  private last = -Infinity;
  private readonly pending: Pending[] = [];
  private readonly evidence: EvidenceLine[] = [];
  private readonly tracker: ClientTracker;

  constructor(private readonly opts: AnalysisOptions) {
    this.tracker = new ClientTracker(Math.max(opts.patterns.refreshWindowMs, opts.patterns.challengeWindowMs));
  }

  accept(parser: LineParser, input: string, line: number): void {
    const t = parser.time();
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    if (parser.kind === 'access') {
      const status = parser.status();
      if (!Number.isNaN(status)) this.response(parser, status, t, input, line);
      return;
    }
    const rec = parser.record(input, line);
    if (rec.kind === 'access' && rec.status !== undefined) {
      this.response(parser, rec.status, t, input, line, rec);
    } else {
      this.keepEvidence(rec);
    }
  }

  /** `built`: the record, when the parser had to build it already (JSON lines). */
  private response(parser: LineParser, status: number, t: number, input: string, line: number, built?: LogRecord): void {
    const ip = parser.peek('ip');
    // Context for the patterns comes from every line; counts only from the --since/--until window.
    this.tracker.observe(ip, t, status, parser);
    const { since, until } = this.opts;
    if ((since !== undefined || until !== undefined) && (Number.isNaN(t) || (since !== undefined && t < since) || (until !== undefined && t >= until))) return;
    this.responses++;
    if (!this.opts.status.matches(status)) return;
    const finding: Finding = { record: built ?? parser.record(input, line), cause: 'unknown', confidence: 0, evidence: [], correlated: [] };
    this.pending.push({ finding, fromApp: parser.format === 'json', merged: [], joined: [] });
    this.tracker.watch(ip, t);
  }

  /**
   * App and error lines worth joining: those a rule explains, and warnings or
   * errors (shown as correlated even when no rule knows their wording).
   * Routine info lines are dropped, which keeps this store small.
   */
  private keepEvidence(rec: LogRecord): void {
    const origin = `${sourceOf(rec)}${rec.requestId !== undefined ? ` (request ${rec.requestId})` : ''}`;
    const candidates = rec.message === undefined ? [] : this.opts.rules.messageCandidates(rec.message, origin);
    const notable = candidates.length > 0 || (rec.level !== undefined && NOTABLE_LEVELS.has(rec.level)) || (rec.status !== undefined && rec.status >= 400);
    if (!notable) return;
    this.evidence.push({ source: sourceOf(rec), time: rec.time, ip: rec.ip, user: rec.user, requestId: rec.requestId, path: rec.path, candidates });
  }

  /** Join, classify and aggregate; hands each finding to onFinding in time order. */
  finish(inputs: InputStats[], errors: string[], onFinding?: (f: Finding) => void): Report {
    const findings = mergeAppResponses(mergeSameRequest(this.pending), this.opts.windowMs);
    joinEvidence(findings, this.evidence, this.opts.windowMs);
    classifyFindings(findings, this.opts.rules, this.opts.patterns, this.tracker);
    findings.sort((a, b) => (a.finding.record.time - b.finding.record.time) || 0);
    const tables = this.opts.groups.map((dims) => new GroupTable(dims, this.opts.dimensions, this.opts.capacity));
    const causes = new CauseTable(this.opts.dimensions.rawPaths);
    for (const { finding } of findings) {
      causes.add(finding);
      for (const t of tables) t.add(finding);
      onFinding?.(finding);
    }
    const matched = findings.length;
    return {
      version: 1,
      totals: totalsOf(inputs, {
        responses: this.responses, matched, first: this.first, last: this.last,
        status: this.opts.status.spec, since: this.opts.since, until: this.opts.until,
      }),
      inputs,
      byCause: this.opts.causeTable ? causes.result(matched) : [],
      tables: tables.map((t) => t.result(this.opts.top, matched)),
      errors,
    };
  }
}
