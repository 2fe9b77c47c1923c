import type { LineParser } from '../formats/parser.js';

/**
 * Remembers each client's successful responses so that the sequence patterns
 * (handshake, token refresh, sticky sessions) are read in time order at the
 * end, whatever order the inputs were read in (rotated logs are often listed
 * newest first). Failures need no memory here: they are findings already.
 * - Every client: its last RECENT successes in a fixed ring, in two
 *   generations of at most maxClients/2 clients each (an approximate LRU with
 *   no per-line deletes and no per-line allocation besides the path string).
 * - A client with a matching response: from then on every success, up to
 *   MAX_HISTORY, seeded with its ring.
 * Memory: O(maxClients x RECENT + watched clients x MAX_HISTORY).
 */
export interface Seen {
  time: number;
  status: number;
  path?: string;
  upstreamAddr?: string;
}

const RECENT = 3;
const MAX_HISTORY = 256;

class Ring {
  readonly times = new Float64Array(RECENT).fill(NaN);
  readonly statuses = new Uint16Array(RECENT);
  readonly paths: (string | undefined)[] = new Array(RECENT);
  readonly upstreams: (string | undefined)[] = new Array(RECENT);
  next = 0;

  put(time: number, status: number, path: string | undefined, upstream: string | undefined): void {
    const i = this.next;
    this.times[i] = time;
    this.statuses[i] = status;
    this.paths[i] = path;
    this.upstreams[i] = upstream;
    this.next = (i + 1) % RECENT;
  }

  entries(): Seen[] {
    const out: Seen[] = [];
    for (let i = 0; i < RECENT; i++) {
      if (!Number.isNaN(this.times[i])) out.push({ time: this.times[i], status: this.statuses[i], path: this.paths[i], upstreamAddr: this.upstreams[i] });
    }
    return out;
  }
}

export class ClientTracker {
  private current = new Map<string, Ring>();
  private previous = new Map<string, Ring>();
  private readonly histories = new Map<string, Seen[]>();
  private readonly sorted = new Set<string>();

  constructor(private readonly maxClients = 100000) {}

  /** Every response line. */
  observe(ip: string | undefined, time: number, status: number, parser: LineParser): void {
    if (ip === undefined || status >= 400 || Number.isNaN(time)) return;
    const history = this.histories.get(ip);
    if (history !== undefined) {
      if (history.length < MAX_HISTORY) history.push({ time, status, path: parser.peek('path'), upstreamAddr: parser.peek('upstreamAddr') });
      return;
    }
    let ring = this.current.get(ip);
    if (ring === undefined) {
      ring = this.previous.get(ip) ?? new Ring();
      if (this.current.size >= this.maxClients / 2) {
        this.previous = this.current;
        this.current = new Map();
      }
      this.current.set(ip, ring);
    }
    ring.put(time, status, parser.peek('path'), parser.peek('upstreamAddr'));
  }

  /** A client with a matching response: keep its whole history from now on. */
  watch(ip: string | undefined): void {
    if (ip === undefined || this.histories.has(ip)) return;
    const ring = this.current.get(ip) ?? this.previous.get(ip);
    this.histories.set(ip, ring ? ring.entries() : []);
  }

  /** The client's successes in time order (empty for an unwatched client). */
  timeline(ip: string | undefined): readonly Seen[] {
    if (ip === undefined) return [];
    const h = this.histories.get(ip);
    if (h === undefined) return [];
    if (!this.sorted.has(ip)) {
      h.sort((a, b) => a.time - b.time);
      this.sorted.add(ip);
    }
    return h;
  }
}

/** Index of the first entry with time > t (entries sorted by time). */
export function firstAfter(timeline: readonly Seen[], t: number): number {
  let lo = 0;
  let hi = timeline.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeline[mid].time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
