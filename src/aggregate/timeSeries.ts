import type { Zone } from '../formats/zone.js';
import { timeBucket } from './dimensions.js';
import type { Finding } from './finding.js';

/**
 * --by hour / --by day: matching responses per time bucket and cause, every
 * bucket from the first to the last (empty ones too), so a spike shows
 * where it happened. Memory: causes x buckets seen.
 */
export type TimeUnit = 'hour' | 'day';

export interface CauseSeries {
  cause: string;
  total: number;
  /** One count per bucket, in the order of TimeSeriesResult.buckets. */
  counts: number[];
}

export interface TimeSeriesResult {
  unit: TimeUnit;
  zone: string;
  /** Bucket labels in time order, as the hour/day tables print them. */
  buckets: string[];
  /** Most frequent cause first. */
  byCause: CauseSeries[];
  /** Matching responses without a usable time, not in any bucket. */
  untimed: number;
}

const HOUR = 3600000;
/** Beyond this many hours between first and last, only buckets that hold responses are listed. */
const MAX_FILLED_HOURS = 24 * 366 * 2;

export class CauseTimeSeries {
  /** hour start (UTC ms) -> cause -> count */
  private readonly hours = new Map<number, Map<string, number>>();
  private untimed = 0;

  constructor(private readonly unit: TimeUnit, private readonly zone: Zone) {}

  add(f: Finding): void {
    const t = f.record.time;
    if (Number.isNaN(t)) {
      this.untimed++;
      return;
    }
    const h = Math.floor(t / HOUR) * HOUR;
    let m = this.hours.get(h);
    if (!m) {
      m = new Map();
      this.hours.set(h, m);
    }
    m.set(f.cause, (m.get(f.cause) ?? 0) + 1);
  }

  result(): TimeSeriesResult {
    const seen = [...this.hours.keys()].sort((a, b) => a - b);
    let hours = seen;
    if (seen.length > 0 && (seen[seen.length - 1] - seen[0]) / HOUR <= MAX_FILLED_HOURS) {
      hours = [];
      for (let h = seen[0]; h <= seen[seen.length - 1]; h += HOUR) hours.push(h);
    }
    // Hours map to buckets in order (a day bucket spans many hours of its zone).
    const buckets: string[] = [];
    const index = new Map<number, number>();
    for (const h of hours) {
      const label = timeBucket(h, this.unit, this.zone);
      if (buckets[buckets.length - 1] !== label) buckets.push(label);
      index.set(h, buckets.length - 1);
    }
    const byCause = new Map<string, CauseSeries>();
    for (const [h, causes] of this.hours) {
      for (const [cause, n] of causes) {
        let s = byCause.get(cause);
        if (!s) {
          s = { cause, total: 0, counts: new Array<number>(buckets.length).fill(0) };
          byCause.set(cause, s);
        }
        s.total += n;
        s.counts[index.get(h) as number] += n;
      }
    }
    return {
      unit: this.unit,
      zone: this.zone.name,
      buckets,
      byCause: [...byCause.values()].sort((a, b) => b.total - a.total || (a.cause < b.cause ? -1 : 1)),
      untimed: this.untimed,
    };
  }
}
