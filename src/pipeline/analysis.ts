import { CauseTable } from '../aggregate/causeTable.js';
import type { DimensionName, DimensionOptions } from '../aggregate/dimensions.js';
import type { Finding } from '../aggregate/finding.js';
import { GroupTable } from '../aggregate/groupTable.js';
import { totalsOf, type Report } from '../aggregate/report.js';
import { inTimeWindow, type StatusFilter } from '../aggregate/statusFilter.js';
import { classifyFindings } from '../classify/classifyFindings.js';
import { EVIDENCE_TEXT } from '../classify/evidenceText.js';
import type { PatternOptions } from '../classify/patterns.js';
import type { RuleSet } from '../classify/ruleSet.js';
import { StreamTracker } from '../classify/streamTracker.js';
import { ClientTracker, clientKeyOf } from '../correlate/clientTracker.js';
import { joinEvidence, mergeAppResponses, mergeSameRequest } from '../correlate/join.js';
import type { EvidenceLine, Pending } from '../correlate/pending.js';
import type { LineParser } from '../formats/parser.js';
import type { FilterSpec, SkippedLines } from '../parallel/lineFilter.js';
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
 *
 * Streaming (streamTo, for lines read in time order: one input, or several
 * merged by time): findings are
 * joined, classified and aggregated once the input's time has passed them by
 * more than any join or pattern reads ahead, then dropped, so memory follows
 * a few minutes of the log instead of the whole log. See Stream below.
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

export interface StreamTuning {
  /** Lines may come this much earlier than the latest time read and still be in order (workers log out of order). */
  slackMs: number;
  /** Findings are finalised in steps of this much log time. */
  stepMs: number;
  /** Lines read in order before the first step (a shuffled input shows itself early, while nothing is final yet). */
  minLines: number;
}

/** The lines of one request id waiting in raw: the earliest time among them. */
interface RequestGroup {
  start: number;
}

const STREAM_TUNING: StreamTuning = { slackMs: 120000, stepMs: 120000, minLines: 10000 };
/** How far apart a line and its response may be logged and still join by request id while streaming. */
const STREAM_ID_REACH_MS = 60000;

/**
 * The streaming state. With B = latest time read - slack (every line before
 * B has arrived) and W = --window, a step:
 * 1. merges the access lines of one request (groups whose first line is before B);
 *    an application's own response without a server line of its request waits
 *    until it is before B - W, when every server response within W of it is
 *    merged, and then joins the nearest (as mergeAppResponses does at the end),
 * 2. joins the app/error lines before J = B - reach - W (reach = max(id reach, W)),
 *    whose targets all lie before B - W,
 * 3. classifies and aggregates the findings before F = J - reach - brute-force
 *    window, whose joins are done, and whose brute-force windows only hold
 *    findings that are merged and joined; the sequence patterns read at most
 *    the refresh window ahead, which B covers.
 * Finalised findings stay as brute-force context for one more window.
 */
interface Stream {
  tune: StreamTuning;
  lines: number;
  tracker: StreamTracker;
  onFinding?: (f: Finding) => void;
  /** Access lines not merged yet, in read order. */
  raw: Pending[];
  /** The request group of each raw line with a request id (rawGroup[i] is raw[i]'s). */
  rawGroup: (RequestGroup | undefined)[];
  /** Request id -> its group in raw (a group is merged once its first line is before B). */
  groups: Map<string, RequestGroup>;
  /** Merged responses not finalised yet, in merge order. */
  ready: Pending[];
  /** Applications' own responses, merged by request id with nothing, waiting to join a server's by time. */
  apps: Pending[];
  /** Finalised findings kept for the brute-force windows, in time order. */
  context: Pending[];
  /** App/error lines not joined yet, in read order. */
  evidence: EvidenceLine[];
  watermark: number;
  /** The B of the last step (-Infinity before the first). */
  boundary: number;
  /** Finalised up to (exclusive). */
  finalisedTo: number;
  /** Why the result may differ from reading everything first (out of order after finalising began). */
  disorder?: string;
}

export class Analysis implements RecordSink {
  private responses = 0;
  private first = Infinity;
  private last = -Infinity;
  private pending: Pending[] = [];
  private evidence: EvidenceLine[] = [];
  private tracker: ClientTracker | undefined;
  private stream: Stream | undefined;
  /** streamTo's onFinding, also used when streaming stops before anything was final. */
  private streamSink: ((f: Finding) => void) | undefined;
  private matched = 0;
  /** How long after a finding the trackers follow its client. */
  private readonly followMs: number;
  /** Each input's position among those named (see Pending.rank). */
  private readonly inputRanks = new Map<string, number>();
  /** --events: flushes the rows written while reading. */
  afterChunk?: () => Promise<void> | void;
  private readonly tables: GroupTable[];
  private readonly causes: CauseTable;

  constructor(private readonly opts: AnalysisOptions) {
    this.followMs = Math.max(opts.patterns.refreshWindowMs, opts.patterns.challengeWindowMs);
    this.tracker = new ClientTracker(this.followMs);
    this.tables = opts.groups.map((dims) => new GroupTable(dims, opts.dimensions, opts.capacity));
    this.causes = new CauseTable(opts.dimensions.rawPaths);
  }

  /**
   * Classify and aggregate while reading, keeping only a few minutes of log:
   * for lines read in time order (within 2 minutes), from one input or
   * several merged by time (readInputsMerged). Call
   * before the first line. `onFinding` gets each finding in time order as it
   * is classified (finish's own onFinding is then not used). Lines out of
   * order before the first findings are finalised turn streaming off (the
   * result is then exactly that of reading everything first); later, the
   * report says so in its errors.
   */
  streamTo(onFinding?: (f: Finding) => void, tune: Partial<StreamTuning> = {}): void {
    const p = this.opts.patterns;
    this.streamSink = onFinding;
    this.stream = {
      tune: { ...STREAM_TUNING, ...tune }, lines: 0,
      tracker: new StreamTracker(this.followMs, p.stickyWindowMs),
      onFinding, raw: [], rawGroup: [], groups: new Map(), ready: [], apps: [], context: [], evidence: [],
      watermark: -Infinity, boundary: -Infinity, finalisedTo: -Infinity,
    };
  }

  accept(parser: LineParser, input: string, line: number): void {
    const t = parser.time();
    if (this.stream !== undefined) this.order(t, input);
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
    const client = clientKeyOf(parser);
    const stream = this.stream;
    // Context for the patterns comes from every line; counts only from the --since/--until window.
    this.tracker?.observe(client, t, status, parser);
    stream?.tracker.observe(client, t, status, parser);
    const { since, until } = this.opts;
    if (!inTimeWindow(t, since, until)) return;
    this.responses++;
    if (!this.opts.status.matches(status)) return;
    const finding: Finding = { record: built ?? parser.record(input, line), cause: 'unknown', confidence: 0, evidence: [], correlated: [] };
    const order = this.inputRanks.get(input);
    const p: Pending = { finding, fromApp: parser.format === 'json', merged: [], joined: [], rank: order === undefined ? undefined : order * 2 ** 32 + line };
    this.tracker?.watch(client, t);
    if (stream !== undefined) {
      stream.tracker.watch(client, t);
      stream.raw.push(p);
      const id = finding.record.requestId;
      let group: RequestGroup | undefined;
      if (id !== undefined) {
        group = stream.groups.get(id);
        if (group === undefined) stream.groups.set(id, (group = { start: finding.record.time }));
        else if (finding.record.time < group.start) group.start = finding.record.time;
      }
      stream.rawGroup.push(group);
      // Before the first step this ends streaming (this.stream is then gone): no step to take.
      if (Number.isNaN(t)) this.outOfOrder(`${sourceOf(finding.record)} has no time`);
      else this.maybeStep();
    } else {
      this.pending.push(p);
    }
  }

  /**
   * App and error lines worth joining: those a rule explains, and warnings or
   * errors (shown as correlated even when no rule knows their wording).
   * Routine info lines are dropped, which keeps this store small.
   */
  private keepEvidence(rec: LogRecord): void {
    const origin = rec.requestId !== undefined ? EVIDENCE_TEXT[this.opts.patterns.lang ?? 'en'].withRequest(sourceOf(rec), rec.requestId) : sourceOf(rec);
    const candidates = rec.message === undefined ? [] : this.opts.rules.messageCandidates(rec.message, origin);
    const notable = candidates.length > 0 || (rec.level !== undefined && NOTABLE_LEVELS.has(rec.level)) || (rec.status !== undefined && rec.status >= 400);
    if (!notable) return;
    const line: EvidenceLine = { source: sourceOf(rec), time: rec.time, ip: rec.ip, user: rec.user, requestId: rec.requestId, path: rec.path, candidates };
    if (this.stream === undefined) {
      this.evidence.push(line);
      return;
    }
    this.stream.evidence.push(line);
    if (Number.isNaN(rec.time)) this.outOfOrder(`${line.source} has no time`);
    else this.maybeStep();
  }

  /** Streaming: every line moves the input's time on, and must not come before what was finalised. */
  private order(t: number, input: string): void {
    const s = this.stream as Stream;
    s.lines++;
    if (Number.isNaN(t)) return;
    // The first step comes once a step's worth of findings can be final.
    if (s.finalisedTo === -Infinity) s.finalisedTo = t;
    if (t > s.watermark) s.watermark = t;
    else if (t < s.watermark - s.tune.slackMs) this.outOfOrder(`${input} is not in time order (${new Date(t).toISOString()} after ${new Date(s.watermark).toISOString()})`);
  }

  /**
   * Before the first step nothing is final: streaming stops and the run is
   * exactly the batch one (the ClientTracker was fed all along). After it,
   * the difference is named in the report.
   */
  private outOfOrder(why: string): void {
    const s = this.stream;
    if (s === undefined) return;
    if (s.boundary === -Infinity) {
      this.pending = s.raw;
      this.evidence = s.evidence;
      this.stream = undefined;
      return;
    }
    s.disorder ??= `streaming analysis: ${why}; findings classified before it may lack context that came later`;
  }

  /** The inputs, as named: lines of one request in several inputs are merged in this order. */
  inputOrder(names: readonly string[]): void {
    names.forEach((n, i) => { if (!this.inputRanks.has(n)) this.inputRanks.set(n, i); });
  }

  /**
   * Once streaming is past its first step (the end-of-run tracker is gone) and in order, lines that
   * are neither findings nor followed by the stream tracker only count: the parallel path may sum
   * them up instead (see parallel/lineFilter.ts).
   */
  lineFilter(): FilterSpec | undefined {
    const s = this.stream;
    if (s === undefined || s.boundary === -Infinity || s.disorder !== undefined) return undefined;
    return { followMs: this.followMs, slackMs: s.tune.slackMs };
  }

  passed(time: number): void {
    const s = this.stream;
    if (s !== undefined && time > s.watermark) s.watermark = time;
  }

  skipped(x: SkippedLines): void {
    this.responses += x.responses;
    if (x.first < this.first) this.first = x.first;
    if (x.last > this.last) this.last = x.last;
    if (this.stream !== undefined) this.stream.lines += x.lines;
    this.passed(x.last);
  }

  /** Whether findings were finalised while reading (streaming went past its first step). */
  get streamed(): boolean {
    return this.stream !== undefined && this.stream.boundary !== -Infinity;
  }

  private get reachMs(): number {
    return Math.max(STREAM_ID_REACH_MS, this.opts.windowMs);
  }

  private maybeStep(): void {
    const s = this.stream as Stream;
    const b = s.watermark - s.tune.slackMs;
    if (s.disorder === undefined && s.lines >= s.tune.minLines && this.finalBefore(b) >= s.finalisedTo + s.tune.stepMs) this.step(b);
  }

  /** J of a step at b: app/error lines before it are joined. */
  private joinBefore(b: number): number {
    return b - this.reachMs - this.opts.windowMs;
  }

  /** F of a step at b: findings before it are classified. */
  private finalBefore(b: number): number {
    return this.joinBefore(b) - this.reachMs - this.opts.patterns.bruteForceWindowMs;
  }

  private step(b: number): void {
    const s = this.stream as Stream;
    if (s.boundary === -Infinity) this.tracker = undefined; // committed: the batch tracker is no longer needed
    s.boundary = b;
    // The last step (finish) takes everything, lines without a time too.
    const all = b === Infinity;
    const bruteMs = this.opts.patterns.bruteForceWindowMs;
    // 1. Merge the lines of one request: groups whose first line is before b.
    const due: Pending[] = [];
    const later: Pending[] = [];
    const laterGroup: (RequestGroup | undefined)[] = [];
    for (let i = 0; i < s.raw.length; i++) {
      const p = s.raw[i];
      const group = s.rawGroup[i];
      if (all || (group === undefined ? p.finding.record.time : group.start) < b) {
        due.push(p);
        // A group is merged whole; a line of the same request read later starts a new group.
        if (group !== undefined) s.groups.delete(p.finding.record.requestId as string);
      } else {
        later.push(p);
        laterGroup.push(group);
      }
    }
    s.raw = later;
    s.rawGroup = laterGroup;
    for (const p of mergeSameRequest(due)) (p.fromApp ? s.apps : s.ready).push(p);
    this.joinAppResponses(all ? Infinity : b - this.opts.windowMs);
    // 2. Join the app/error lines before J.
    const joinTo = this.joinBefore(b);
    if (s.evidence.length > 0) {
      const now: EvidenceLine[] = [];
      const rest: EvidenceLine[] = [];
      for (const e of s.evidence) (all || e.time < joinTo ? now : rest).push(e);
      s.evidence = rest;
      if (now.length > 0) joinEvidence(s.ready, now, this.opts.windowMs);
    }
    // 3. Classify and aggregate the findings before F, in time order.
    const f = all ? Infinity : this.finalBefore(b);
    const final: Pending[] = [];
    const open: Pending[] = [];
    for (const p of s.ready) (all || p.finding.record.time < f ? final : open).push(p);
    s.ready = open;
    s.finalisedTo = f;
    if (final.length === 0) return;
    final.sort((x, y) => (x.finding.record.time - y.finding.record.time) || 0);
    // The brute-force windows of the findings before f read nothing after f + the window.
    const contextTo = f + bruteMs;
    const context = [...s.context, ...final];
    for (const p of open) if (p.finding.record.time <= contextTo) context.push(p);
    classifyFindings(final, this.opts.rules, this.opts.patterns, s.tracker, context);
    for (const p of final) this.aggregate(p.finding, s.onFinding);
    const keepFrom = f - bruteMs;
    s.context = [...s.context.filter((p) => p.finding.record.time >= keepFrom), ...final.filter((p) => p.finding.record.time >= keepFrom)];
    s.tracker.prune(f);
  }

  /** Applications' own responses before `to` join the nearest server response (or stand alone). */
  private joinAppResponses(to: number): void {
    const s = this.stream as Stream;
    if (s.apps.length === 0) return;
    const now: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of s.apps) (p.finding.record.time < to || Number.isNaN(p.finding.record.time) ? now : rest).push(p);
    s.apps = rest;
    if (now.length === 0) return;
    // Those left over from earlier steps are apps' responses already: they are not joined again.
    const servers = s.ready.filter((p) => !p.fromApp);
    for (const p of mergeAppResponses([...servers, ...now], this.opts.windowMs).slice(servers.length)) s.ready.push(p);
  }

  private aggregate(finding: Finding, onFinding?: (f: Finding) => void): void {
    this.matched++;
    this.causes.add(finding);
    for (const t of this.tables) t.add(finding);
    onFinding?.(finding);
  }

  /** Join, classify and aggregate; hands each finding to onFinding in time order. */
  finish(inputs: InputStats[], errors: string[], onFinding?: (f: Finding) => void): Report {
    const notes: string[] = [];
    // Nothing final yet: the batch path, exactly as without streaming (the ClientTracker was fed all along).
    if (this.stream !== undefined && this.stream.boundary === -Infinity) this.outOfOrder('');
    onFinding ??= this.streamSink;
    const s = this.stream;
    if (s !== undefined) {
      if (onFinding !== undefined && s.onFinding === undefined && s.boundary !== -Infinity) throw new Error('Analysis: pass onFinding to streamTo when streaming');
      s.onFinding ??= onFinding;
      this.step(Infinity);
      if (s.disorder !== undefined) notes.push(s.disorder);
    } else {
      const findings = mergeAppResponses(mergeSameRequest(this.pending), this.opts.windowMs);
      this.pending = [];
      joinEvidence(findings, this.evidence, this.opts.windowMs);
      this.evidence = [];
      classifyFindings(findings, this.opts.rules, this.opts.patterns, this.tracker as ClientTracker);
      findings.sort((a, b) => (a.finding.record.time - b.finding.record.time) || 0);
      for (const { finding } of findings) this.aggregate(finding, onFinding);
    }
    const matched = this.matched;
    return {
      version: 1,
      totals: totalsOf(inputs, {
        responses: this.responses, matched, first: this.first, last: this.last,
        status: this.opts.status.spec, since: this.opts.since, until: this.opts.until,
      }),
      inputs,
      byCause: this.opts.causeTable ? this.causes.result(matched) : [],
      tables: this.tables.map((t) => t.result(this.opts.top, matched)),
      errors: notes.length > 0 ? [...errors, ...notes] : errors,
    };
  }
}
