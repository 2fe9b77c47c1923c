import { compileStatusFilter, type StatusFilter } from '../aggregate/statusFilter.js';
import { pathKey } from '../correlate/clientTracker.js';
import type { LineParser, PeekFact } from '../formats/parser.js';
import type { RecordSink } from '../pipeline/readInputs.js';
import type { LogRecord, RecordKind } from '../record.js';

/**
 * The bridge between a worker that parses a range of a file and the main
 * thread that analyses it: per accepted line, exactly the answers the
 * analysis asks the parser for (time, status, client, path key, upstream),
 * plus the full record of the lines it keeps (matching responses, app and
 * error lines). The main thread replays them in file order through a
 * LineParser that answers from these arrays, so the analysis cannot tell
 * the two paths apart.
 */
export interface RangeEvents {
  count: number;
  /** Line numbers relative to the range's first line (1-based). */
  lines: Int32Array;
  times: Float64Array;
  statuses: Float64Array;
  /** Index of the parser in [primary, ...fallbacks]. */
  formats: Uint8Array;
  pathKeys: Uint32Array;
  ips: (string | undefined)[];
  upstreams: (string | undefined)[];
  /** The path, only when it may name a token or refresh endpoint (the correlator shows those). */
  refreshPaths: (string | undefined)[];
  /** Index into records, -1 for none. */
  recordAt: Int32Array;
  records: LogRecord[];
}

/** Optional fast paths a parser may offer the correlator (see LineParser). */
type PathPeeks = { peekPathKey?(): number; pathMayBeRefresh?(): boolean };

/** Which responses the analysis keeps as findings: the worker builds their records. */
export interface KeepSpec {
  status: string;
  since?: number;
  until?: number;
}

export class EventEncoder implements RecordSink {
  private readonly lines: number[] = [];
  private readonly times: number[] = [];
  private readonly statuses: number[] = [];
  private readonly formats: number[] = [];
  private readonly pathKeys: number[] = [];
  private readonly ips: (string | undefined)[] = [];
  private readonly upstreams: (string | undefined)[] = [];
  private readonly refreshPaths: (string | undefined)[] = [];
  private readonly recordAt: number[] = [];
  private readonly records: LogRecord[] = [];
  private readonly filter: StatusFilter;
  private readonly parserIndex = new Map<LineParser, number>();

  constructor(private readonly keep: KeepSpec, private readonly formatNames: readonly string[]) {
    this.filter = compileStatusFilter(keep.status);
  }

  accept(lineParser: LineParser, input: string, line: number): void {
    const parser = lineParser as LineParser & PathPeeks;
    const t = parser.time();
    this.lines.push(line);
    this.times.push(t);
    this.formats.push(this.indexOf(parser));
    let status = NaN;
    let key = 0;
    let ip: string | undefined;
    let upstream: string | undefined;
    let refreshPath: string | undefined;
    let record: LogRecord | undefined;
    if (parser.kind === 'access') {
      status = parser.status();
    } else {
      // App and error lines are always kept; an app line that logs a response is also followed as a response.
      record = parser.record(input, line);
      if (record.kind === 'access' && record.status !== undefined) status = record.status;
    }
    if (!Number.isNaN(status)) {
      ip = parser.peek('ip');
      upstream = parser.peek('upstreamAddr');
      if (parser.peekPathKey !== undefined) {
        key = parser.peekPathKey();
        if (key !== 0 && (parser.pathMayBeRefresh === undefined || parser.pathMayBeRefresh())) refreshPath = parser.peek('path');
      } else {
        refreshPath = parser.peek('path');
        key = pathKey(refreshPath);
      }
      if (record === undefined && this.kept(status, t)) record = parser.record(input, line);
    }
    this.statuses.push(status);
    this.pathKeys.push(key);
    this.ips.push(ip);
    this.upstreams.push(upstream);
    this.refreshPaths.push(refreshPath);
    this.recordAt.push(record === undefined ? -1 : this.records.push(record) - 1);
  }

  private kept(status: number, t: number): boolean {
    const { since, until } = this.keep;
    if ((since !== undefined || until !== undefined) && (Number.isNaN(t) || (since !== undefined && t < since) || (until !== undefined && t >= until))) return false;
    return this.filter.matches(status);
  }

  private indexOf(parser: LineParser): number {
    let i = this.parserIndex.get(parser);
    if (i === undefined) {
      i = this.formatNames.indexOf(parser.format);
      if (i < 0) throw new Error(`parser "${parser.format}" is not one of the detected formats`);
      this.parserIndex.set(parser, i);
    }
    return i;
  }

  finish(): RangeEvents {
    return {
      count: this.lines.length,
      lines: Int32Array.from(this.lines),
      times: Float64Array.from(this.times),
      statuses: Float64Array.from(this.statuses),
      formats: Uint8Array.from(this.formats),
      pathKeys: Uint32Array.from(this.pathKeys),
      ips: this.ips,
      upstreams: this.upstreams,
      refreshPaths: this.refreshPaths,
      recordAt: Int32Array.from(this.recordAt),
      records: this.records,
    };
  }
}

/** The typed arrays of a RangeEvents, to transfer rather than copy. */
export function transferables(e: RangeEvents): ArrayBuffer[] {
  return [e.lines, e.times, e.statuses, e.formats, e.pathKeys, e.recordAt].map((a) => a.buffer as ArrayBuffer);
}

/** A LineParser that answers from replayed events, one line at a time. */
export class ReplayParser implements LineParser {
  format = '';
  kind: RecordKind = 'access';
  private e!: RangeEvents;
  private i = 0;
  private lineOffset = 0;

  constructor(private readonly formatsByIndex: readonly { name: string; kind: RecordKind }[]) {}

  /** Positions on event i of e; line numbers are shifted by lineOffset. */
  at(e: RangeEvents, i: number, lineOffset: number): void {
    this.e = e;
    this.i = i;
    this.lineOffset = lineOffset;
    const f = this.formatsByIndex[e.formats[i]];
    this.format = f.name;
    this.kind = f.kind;
  }

  scan(): boolean {
    throw new Error('ReplayParser replays lines scanned elsewhere; it does not scan');
  }

  status(): number {
    return this.e.statuses[this.i];
  }

  time(): number {
    return this.e.times[this.i];
  }

  record(input: string, line: number): LogRecord {
    const at = this.e.recordAt[this.i];
    if (at < 0) throw new Error(`no record was kept for ${input}:${line}: the worker's keep rule and the analysis disagree`);
    const rec = this.e.records[at];
    rec.line = line;
    return rec;
  }

  peek(fact: PeekFact): string | undefined {
    const e = this.e;
    switch (fact) {
      case 'ip': return e.ips[this.i];
      case 'upstreamAddr': return e.upstreams[this.i];
      case 'path': {
        const at = e.recordAt[this.i];
        return e.refreshPaths[this.i] ?? (at >= 0 ? e.records[at].path : undefined);
      }
      case 'userAgent': {
        const at = e.recordAt[this.i];
        return at >= 0 ? e.records[at].userAgent : undefined;
      }
    }
  }

  peekPathKey(): number {
    return this.e.pathKeys[this.i];
  }

  pathMayBeRefresh(): boolean {
    return this.e.refreshPaths[this.i] !== undefined;
  }

  /** The absolute line number of the current event. */
  line(): number {
    return this.e.lines[this.i] + this.lineOffset;
  }
}
