import { clientKey, type ClientKey } from '../clientKey.js';
import { compileStatusFilter, inTimeWindow, type StatusFilter } from '../aggregate/statusFilter.js';
import { clientKeyOf, pathKeyOf, refreshPathOf } from '../correlate/clientTracker.js';
import type { LineParser, PeekFact } from '../formats/parser.js';
import type { RecordSink } from '../pipeline/readInputs.js';
import type { LogRecord, RecordKind } from '../record.js';
import type { LineFilter, SkippedLines } from './lineFilter.js';

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
  /** -1: none. */
  statuses: Int16Array;
  /** Index of the parser in [primary, ...fallbacks]. */
  formats: Uint8Array;
  pathKeys: Uint32Array;
  /** A client address written as a canonical IPv4 dotted quad, as a number (no string to copy); see ipText. */
  ip4: Uint32Array;
  /** Index into texts of [ip, upstream, refreshPath] when any is a string; -1: none. */
  textAt: Int32Array;
  /** Triples: ip (when not in ip4), upstream address, path when it may name a token or refresh endpoint. */
  texts: (string | undefined)[];
  /** Index into records, -1 for none. */
  recordAt: Int32Array;
  records: LogRecord[];
  /** When lines were left out (see lineFilter.ts): the latest time read in the range before each line sent. */
  latestBefore?: Float64Array;
  /** When lines were left out: what the analysis needs of them. */
  skipped?: SkippedLines;
}

/** Which responses the analysis keeps as findings: the worker builds their records. */
export interface KeepSpec {
  status: string;
  since?: number;
  until?: number;
}

/** One per-line array of the events. */
type Column = Int32Array | Float64Array | Int16Array | Uint8Array | Uint32Array;

/** ip4 of a client that travels as text: anything but a canonical dotted quad, and 255.255.255.255 itself. */
const NO_IP4 = 0xffffffff;

export class EventEncoder implements RecordSink {
  private n = 0;
  private cap = 1 << 12;
  private lines = new Int32Array(this.cap);
  private times = new Float64Array(this.cap);
  private statuses = new Int16Array(this.cap);
  private formats = new Uint8Array(this.cap);
  private pathKeys = new Uint32Array(this.cap);
  private ip4 = new Uint32Array(this.cap);
  private textAt = new Int32Array(this.cap);
  private recordAt = new Int32Array(this.cap);
  private latestBefore: Float64Array | undefined;
  private readonly texts: (string | undefined)[] = [];
  private readonly records: LogRecord[] = [];
  private readonly filter: StatusFilter;
  /** By format name: a ReplayParser (the merge of an input parsed by workers) is one object for every format. */
  private readonly formatIndex = new Map<string, number>();

  /**
   * `formatNames`: the parsers' formats by index. A worker knows them from detection; a reader that
   * meets them as it goes passes `learn`, which adds a format it has not seen and returns its index.
   */
  constructor(
    private readonly keep: KeepSpec, private readonly formatNames: readonly string[], private readonly learn?: (parser: LineParser) => number,
    private readonly leaveOutFilter?: LineFilter,
  ) {
    this.filter = compileStatusFilter(keep.status);
    if (leaveOutFilter) this.latestBefore = new Float64Array(this.cap);
  }

  private grow(): void {
    this.cap *= 2;
    const grown = <T extends Column>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.lines = grown(this.lines);
    this.times = grown(this.times);
    this.statuses = grown(this.statuses);
    this.formats = grown(this.formats);
    this.pathKeys = grown(this.pathKeys);
    this.ip4 = grown(this.ip4);
    this.textAt = grown(this.textAt);
    this.recordAt = grown(this.recordAt);
    if (this.latestBefore) this.latestBefore = grown(this.latestBefore);
  }

  /** Whether the line can be left out (only with a LineFilter); counts it there when so. */
  private leaveOut(parser: LineParser, client: ClientKey | undefined): boolean {
    const f = this.leaveOutFilter as LineFilter;
    const t = parser.time();
    if (parser.kind === 'access' && !Number.isNaN(t)) {
      const status = parser.status();
      if (!Number.isNaN(status)) {
        const inWindow = this.inWindow(t);
        return f.skip(t, status, inWindow && this.filter.matches(status), inWindow, client, parser);
      }
    }
    f.saw(t);
    return false;
  }

  accept(parser: LineParser, input: string, line: number): void {
    const latest = this.leaveOutFilter?.latest ?? 0;
    // An access line's client, read once for the filter and for the events.
    let client = parser.kind === 'access' ? clientKeyOf(parser) : undefined;
    if (this.leaveOutFilter !== undefined && this.leaveOut(parser, client)) return;
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    if (this.latestBefore) this.latestBefore[i] = latest;
    const t = parser.time();
    this.lines[i] = line;
    this.times[i] = t;
    this.formats[i] = this.indexOf(parser);
    let status = NaN;
    let key = 0;
    let ip4 = NO_IP4;
    let textAt = -1;
    let record: LogRecord | undefined;
    if (parser.kind === 'access') {
      status = parser.status();
    } else {
      // App and error lines are always kept; an app line that logs a response is also followed as a response.
      const rec = parser.record(input, line);
      record = rec;
      if (rec.kind === 'access' && rec.status !== undefined) status = rec.status;
    }
    if (!Number.isNaN(status)) {
      // A canonical dotted quad travels as the unsigned value of its client key (no text cut out of
      // the line); anything else, and 255.255.255.255 (the marker's value), as text.
      if (parser.kind !== 'access') client = clientKeyOf(parser);
      if (typeof client === 'number' && client >>> 0 !== NO_IP4) ip4 = client >>> 0;
      const ipText = ip4 === NO_IP4 ? parser.peek('ip') : undefined;
      const upstream = parser.peek('upstreamAddr');
      key = pathKeyOf(parser);
      const refreshPath = refreshPathOf(parser, key);
      if (ipText !== undefined || upstream !== undefined || refreshPath !== undefined) {
        textAt = this.texts.length;
        this.texts.push(ipText, upstream, refreshPath);
      }
      if (record === undefined && this.kept(status, t)) record = parser.record(input, line);
    }
    this.statuses[i] = Number.isNaN(status) ? -1 : status;
    this.pathKeys[i] = key;
    this.ip4[i] = ip4;
    this.textAt[i] = textAt;
    this.recordAt[i] = record === undefined ? -1 : this.records.push(record) - 1;
  }

  private inWindow(t: number): boolean {
    return inTimeWindow(t, this.keep.since, this.keep.until);
  }

  private kept(status: number, t: number): boolean {
    return this.inWindow(t) && this.filter.matches(status);
  }

  private lastFormat: string | undefined;
  private lastIndex = 0;

  private indexOf(parser: LineParser): number {
    // Mixed files are rare: most lines are in the format of the line before.
    const format = parser.format;
    if (format === this.lastFormat) return this.lastIndex;
    let i = this.formatIndex.get(format);
    if (i === undefined) {
      i = this.formatNames.indexOf(format);
      if (i < 0 && this.learn !== undefined) i = this.learn(parser);
      if (i < 0) throw new Error(`parser "${format}" is not one of the detected formats`);
      this.formatIndex.set(format, i);
    }
    this.lastFormat = format;
    this.lastIndex = i;
    return i;
  }

  /**
   * The events: views of the encoder's arrays when they are mostly full (a worker transfers their
   * buffers whole), copies when mostly empty (a merge of many small inputs holds a batch of each).
   */
  finish(): RangeEvents {
    const n = this.n;
    const part = n * 2 >= this.cap
      ? <T extends Column>(a: T): T => a.subarray(0, n) as T
      : <T extends Column>(a: T): T => a.slice(0, n) as T;
    return {
      count: n,
      lines: part(this.lines),
      times: part(this.times),
      statuses: part(this.statuses),
      formats: part(this.formats),
      pathKeys: part(this.pathKeys),
      ip4: part(this.ip4),
      textAt: part(this.textAt),
      texts: this.texts,
      recordAt: part(this.recordAt),
      records: this.records,
      latestBefore: this.latestBefore && part(this.latestBefore),
      skipped: this.leaveOutFilter?.skipped,
    };
  }
}

/** The typed arrays of a RangeEvents, to transfer rather than copy. */
export function transferables(e: RangeEvents): ArrayBuffer[] {
  const arrays = [e.lines, e.times, e.statuses, e.formats, e.pathKeys, e.ip4, e.textAt, e.recordAt];
  if (e.latestBefore) arrays.push(e.latestBefore);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/**
 * Dotted quads rebuilt from numbers, remembered in a small direct-mapped
 * table: busy clients repeat, and each rebuilt string is one allocation.
 */
class Ip4Text {
  private readonly keys = new Float64Array(4096).fill(-1);
  private readonly texts: string[] = new Array<string>(4096).fill('');

  of(n: number): string {
    const slot = (Math.imul(n, 0x9e3779b1) >>> 20) & 4095;
    if (this.keys[slot] === n) return this.texts[slot];
    const s = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    this.keys[slot] = n;
    this.texts[slot] = s;
    return s;
  }
}

/** A LineParser that answers from replayed events, one line at a time. */
export class ReplayParser implements LineParser {
  format = '';
  kind: RecordKind = 'access';
  private e!: RangeEvents;
  private i = 0;
  private lineOffset = 0;
  private readonly ip4Text = new Ip4Text();

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
    const s = this.e.statuses[this.i];
    return s < 0 ? NaN : s;
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
    const t = e.textAt[this.i];
    switch (fact) {
      case 'ip': {
        const n = e.ip4[this.i];
        return n !== NO_IP4 ? this.ip4Text.of(n) : t >= 0 ? e.texts[t] : undefined;
      }
      case 'upstreamAddr': return t >= 0 ? e.texts[t + 1] : undefined;
      case 'path': {
        const at = e.recordAt[this.i];
        return (t >= 0 ? e.texts[t + 2] : undefined) ?? (at >= 0 ? e.records[at].path : undefined);
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

  peekClientKey(): ClientKey | undefined {
    const n = this.e.ip4[this.i];
    // clientKey of a canonical dotted quad is its value as a signed 32-bit number.
    if (n !== NO_IP4) return n | 0;
    const t = this.e.textAt[this.i];
    const ip = t >= 0 ? this.e.texts[t] : undefined;
    return ip === undefined ? undefined : clientKey(ip);
  }

  pathMayBeRefresh(): boolean {
    const t = this.e.textAt[this.i];
    return t >= 0 && this.e.texts[t + 2] !== undefined;
  }

  /** The absolute line number of the current event. */
  line(): number {
    return this.e.lines[this.i] + this.lineOffset;
  }
}
