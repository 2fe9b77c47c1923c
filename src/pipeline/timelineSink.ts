import { inTimeWindow } from '../aggregate/statusFilter.js';
import type { LineParser } from '../formats/parser.js';
import type { LogRecord } from '../record.js';
import type { RecordSink } from './readInputs.js';

/**
 * For `logscan explain`: keeps the records of the lines that carry one
 * request id or come from one client ip (and, on a second read, the lines
 * named by input:line that were joined to its responses by time). Builds a
 * record for every line, so it is slower than the analysis; memory is the
 * kept lines only.
 */
export type TimelineQuery =
  | { kind: 'requestId'; value: string }
  | { kind: 'ip'; value: string }
  | { kind: 'sources'; value: ReadonlySet<string> };

export class TimelineSink implements RecordSink {
  readonly kept: LogRecord[] = [];

  constructor(private readonly query: TimelineQuery, private readonly since?: number, private readonly until?: number) {}

  accept(parser: LineParser, input: string, line: number): void {
    const q = this.query;
    // The client ip is known without building the record.
    if (q.kind === 'ip' && parser.kind === 'access' && parser.peek('ip') !== q.value) return;
    if (q.kind === 'sources' && !q.value.has(`${input}:${line}`)) return;
    const rec = parser.record(input, line);
    if (q.kind === 'requestId' && rec.requestId !== q.value) return;
    if (q.kind === 'ip' && rec.ip !== q.value) return;
    const t = rec.time;
    if (q.kind !== 'sources' && !inTimeWindow(t, this.since, this.until)) return;
    this.kept.push(rec);
  }
}

/** Sinks side by side: one read feeds both the analysis and the timeline. */
export class TeeSink implements RecordSink {
  private readonly sinks: RecordSink[];
  constructor(...sinks: RecordSink[]) {
    this.sinks = sinks;
  }

  accept(parser: LineParser, input: string, line: number): void {
    for (const s of this.sinks) s.accept(parser, input, line);
  }

  async afterChunk(): Promise<void> {
    for (const s of this.sinks) await s.afterChunk?.();
  }
}

