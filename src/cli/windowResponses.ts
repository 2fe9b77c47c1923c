import type { LineParser } from '../formats/parser.js';
import type { RecordSink } from '../pipeline/readInputs.js';

/**
 * Counts the responses inside --since/--until on the way to the analysis,
 * for --fail-on rate (the report's "Responses" counts every response read,
 * whatever its time). Only put in the path when a rate threshold and a time
 * window are both given: for JSON lines it builds the record a second time.
 */
export class WindowResponses implements RecordSink {
  count = 0;

  constructor(private readonly inner: RecordSink, private readonly since: number | undefined, private readonly until: number | undefined) {}

  accept(parser: LineParser, input: string, line: number): void {
    let status: number;
    if (parser.kind === 'access') {
      status = parser.status();
    } else {
      const rec = parser.record(input, line);
      status = rec.kind === 'access' && rec.status !== undefined ? rec.status : NaN;
    }
    if (!Number.isNaN(status)) {
      const t = parser.time();
      const { since, until } = this;
      if (!Number.isNaN(t) && (since === undefined || t >= since) && (until === undefined || t < until)) this.count++;
    }
    this.inner.accept(parser, input, line);
  }

  afterChunk(): Promise<void> | void {
    return this.inner.afterChunk?.();
  }
}
