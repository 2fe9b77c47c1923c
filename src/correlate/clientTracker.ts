import type { LineParser } from '../formats/parser.js';

/**
 * Remembers each client's successful responses so the sequence patterns
 * (handshake, token refresh, sticky sessions) can be read in time order at
 * the end, whatever order the inputs were read in (rotated logs are often
 * listed newest first). Failures need no memory here: they are findings.
 * - Every client: its last RECENT successes in a ring that is reused in
 *   place (no allocation per line besides the path string), in two
 *   generations of at most maxClients/2 clients (an approximate LRU).
 * - A client with a matching response: also the successes that follow a
 *   finding within followMs, up to MAX_FOLLOW per client.
 * Memory: O(maxClients x RECENT + clients with findings x MAX_FOLLOW).
 */
export interface Seen {
  time: number;
  status: number;
  /** Hash of the path: equality tests without keeping every path string alive. */
  pathKey: number;
  /** The path itself, kept only for token and refresh endpoints (it is shown as evidence). */
  refreshPath?: string;
  upstreamAddr?: string;
}

export const REFRESH_PATH = /\/(oauth2?\/)?(token|refresh|renew)(\/|$)|\/auth\/refresh|\/token\/refresh/i;

/** FNV-1a over UTF-16 code units; 0 for no path. */
export function pathKey(path: string | undefined): number {
  if (path === undefined) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619);
  return (h >>> 0) || 1;
}

/** A copy that does not share memory with the line it was cut from. */
function detach(s: string | undefined): string | undefined {
  return s === undefined ? undefined : (' ' + s).slice(1);
}

const RECENT = 3;
// The patterns read the first success or two after a finding; a few more cover busy clients.
const MAX_FOLLOW = 8;

class Ring {
  readonly times: number[] = [NaN, NaN, NaN];
  readonly statuses: number[] = [0, 0, 0];
  readonly keys: number[] = [0, 0, 0];
  readonly refreshPaths: (string | undefined)[] = [undefined, undefined, undefined];
  readonly upstreams: (string | undefined)[] = [undefined, undefined, undefined];
  next = 0;

  put(time: number, status: number, key: number, refreshPath: string | undefined, upstream: string | undefined): void {
    const i = this.next;
    this.times[i] = time;
    this.statuses[i] = status;
    this.keys[i] = key;
    this.refreshPaths[i] = refreshPath;
    this.upstreams[i] = upstream;
    this.next = (i + 1) % RECENT;
  }

  entries(): Seen[] {
    const out: Seen[] = [];
    for (let i = 0; i < RECENT; i++) {
      if (!Number.isNaN(this.times[i])) {
        out.push({ time: this.times[i], status: this.statuses[i], pathKey: this.keys[i], refreshPath: this.refreshPaths[i], upstreamAddr: this.upstreams[i] });
      }
    }
    return out;
  }
}

interface Watched {
  ring: Ring;
  lastFinding: number;
  follow: Seen[];
  sorted?: Seen[];
}

export class ClientTracker {
  private current = new Map<string, Ring>();
  private previous = new Map<string, Ring>();
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly followMs: number, private readonly maxClients = 100000) {}

  /** Every response line. Strings kept are detached so no log line stays alive. */
  observe(ip: string | undefined, time: number, status: number, parser: LineParser): void {
    if (ip === undefined || status >= 400 || Number.isNaN(time)) return;
    const path = parser.peek('path');
    const key = pathKey(path);
    const refreshPath = path !== undefined && REFRESH_PATH.test(path) ? detach(path) : undefined;
    const upstreamRaw = parser.peek('upstreamAddr');
    const upstream = upstreamRaw === undefined ? undefined : detach(upstreamRaw);
    const w = this.watched.size > 0 ? this.watched.get(ip) : undefined;
    if (w !== undefined) {
      w.ring.put(time, status, key, refreshPath, upstream);
      const since = time - w.lastFinding;
      if (since >= 0 && since <= this.followMs && w.follow.length < MAX_FOLLOW) w.follow.push({ time, status, pathKey: key, refreshPath, upstreamAddr: upstream });
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
    ring.put(time, status, key, refreshPath, upstream);
  }

  /** A matching response at `time`: keep what follows it for this client. */
  watch(ip: string | undefined, time: number): void {
    if (ip === undefined) return;
    const w = this.watched.get(ip);
    if (w !== undefined) {
      w.lastFinding = time;
      return;
    }
    const ring = this.current.get(ip) ?? this.previous.get(ip) ?? new Ring();
    this.watched.set(ip, { ring, lastFinding: time, follow: [] });
  }

  /** The client's remembered successes in time order (empty for a client without findings). */
  timeline(ip: string | undefined): readonly Seen[] {
    const w = ip === undefined ? undefined : this.watched.get(ip);
    if (w === undefined) return [];
    if (w.sorted === undefined) {
      const all = [...w.follow];
      for (const e of w.ring.entries()) if (!all.some((a) => a.time === e.time && a.pathKey === e.pathKey && a.status === e.status)) all.push(e);
      w.sorted = all.sort((a, b) => a.time - b.time);
    }
    return w.sorted;
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
