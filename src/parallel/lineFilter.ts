import type { ClientKey } from '../clientKey.js';
import type { LineParser } from '../formats/parser.js';

/**
 * Which lines of a range the streaming analysis needs to see, decided in the
 * worker so that the main thread replays a fraction of the lines instead of
 * all of them. Once the analysis streams (its first step is past, so the
 * end-of-run client tracker is gone), an access line that is not a finding
 * changes nothing but counts, unless the stream tracker records it:
 * - a success that names an upstream (the sticky-session pattern),
 * - a success of a client within followMs after that client's last finding.
 * The worker knows the findings of its own range; a finding of an earlier
 * range came at most slackMs after the range's first line (lines are in
 * order within slackMs), so every success up to firstTime + slackMs +
 * followMs is sent too. When the range's first line is itself out of order,
 * that bound does not hold: the main thread then asks for the range whole
 * (readParallel.ts). Lines that may be out of order (earlier than the
 * range's first line, or than its latest time - slackMs) are sent, so the
 * analysis sees the same disorder. What is skipped is summed up (SkippedLines),
 * and each line sent carries the latest time read before it in the range.
 * The analysis filters the lines it gets by its own exact rules: sending a
 * line it does not need costs time, never a different result.
 */
export interface FilterSpec {
  followMs: number;
  slackMs: number;
}

/** What the main thread needs of the lines it did not get. */
export interface SkippedLines {
  lines: number;
  /** Responses inside --since/--until. */
  responses: number;
  /** Earliest and latest time among them. */
  first: number;
  last: number;
}

export class LineFilter {
  private firstTime = NaN;
  private headUntil = NaN;
  /** Latest time read so far in the range. */
  latest = -Infinity;
  private readonly lastFinding = new Map<number | string, number>();
  readonly skipped: SkippedLines = { lines: 0, responses: 0, first: Infinity, last: -Infinity };

  constructor(private readonly spec: FilterSpec) {}

  /**
   * An access line with a status and a time: true when the analysis does not need it (then it is
   * counted here). `kept`: it is a finding; `inWindow`: inside --since/--until; `client`: clientKey of the line's client.
   */
  skip(t: number, status: number, kept: boolean, inWindow: boolean, client: ClientKey | undefined, parser: LineParser): boolean {
    const before = this.latest;
    if (t > before) this.latest = t;
    if (Number.isNaN(this.firstTime)) {
      this.firstTime = t;
      this.headUntil = t + this.spec.slackMs + this.spec.followMs;
      if (kept && client !== undefined) this.lastFinding.set(client, t);
      return false;
    }
    if (kept) {
      if (client !== undefined) this.lastFinding.set(client, t);
      return false;
    }
    if (t < this.firstTime || t < before - this.spec.slackMs) return false;
    if (status < 400 && client !== undefined) {
      if (t <= this.headUntil || parser.peek('upstreamAddr') !== undefined) return false;
      const lf = this.lastFinding.get(client);
      if (lf !== undefined && t >= lf && t - lf <= this.spec.followMs) return false;
    }
    const s = this.skipped;
    s.lines++;
    if (inWindow) s.responses++;
    if (t < s.first) s.first = t;
    if (t > s.last) s.last = t;
    return true;
  }

  /** A line sent that is not an access line with a status and a time: it moves the range's time on. */
  saw(t: number): void {
    if (t > this.latest) this.latest = t;
    if (Number.isNaN(this.firstTime) && !Number.isNaN(t)) {
      this.firstTime = t;
      this.headUntil = t + this.spec.slackMs + this.spec.followMs;
    }
  }
}
