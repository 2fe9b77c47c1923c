import type { LineParser } from '../formats/parser.js';

/**
 * Remembers each client's successful responses so the sequence patterns
 * (handshake, token refresh, sticky sessions) can be read in time order at
 * the end, whatever order the inputs were read in (rotated logs are often
 * listed newest first). Failures need no memory here: they are findings.
 * - Every client: its last 3 successes in a ring that is reused in
 *   place (no allocation per line besides the path string), in two
 *   generations of at most maxClients/2 clients (an approximate LRU).
 * - A client with a matching response: also the successes that follow a
 *   finding within followMs, up to MAX_FOLLOW per client.
 * Memory: O(maxClients + clients with findings x MAX_FOLLOW).
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

/**
 * The key a client is stored under: a dotted-quad IPv4 address in its canonical form (no leading
 * zeros) as its 32-bit value, anything else as the string. The mapping is one-to-one, so the maps
 * behave exactly as if keyed by the string, but number keys are found without hashing or
 * comparing strings (a large Map keyed by fresh strings costs several cache misses a lookup).
 */
export function clientKey(ip: string): number | string {
  const n = ip.length;
  if (n < 7 || n > 15) return ip;
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let k = 0; k < n; k++) {
    const c = ip.charCodeAt(k);
    if (c === 46) {
      if (digits === 0 || dots === 3) return ip;
      v = (v << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      // "0" alone is an octet; "01" is not canonical.
      if (digits > 0 && octet === 0) return ip;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return ip;
      digits++;
    } else {
      return ip;
    }
  }
  if (dots !== 3 || digits === 0) return ip;
  return (v << 8) | octet;
}

// The patterns read the first success or two after a finding; a few more cover busy clients.
const MAX_FOLLOW = 8;

/** The last 3 successes of one client, in plain fields: one object per client, reused in place. */
class Ring {
  t0 = NaN; t1 = NaN; t2 = NaN;
  s0 = 0; s1 = 0; s2 = 0;
  k0 = 0; k1 = 0; k2 = 0;
  r0: string | undefined; r1: string | undefined; r2: string | undefined;
  u0: string | undefined; u1: string | undefined; u2: string | undefined;
  next = 0;
  /** Set once the client has a finding: its ring then lives on in `watched`, whatever the generations do. */
  watched: Watched | undefined = undefined;

  put(time: number, status: number, key: number, refreshPath: string | undefined, upstream: string | undefined): void {
    switch (this.next) {
      case 0: this.t0 = time; this.s0 = status; this.k0 = key; this.r0 = refreshPath; this.u0 = upstream; this.next = 1; break;
      case 1: this.t1 = time; this.s1 = status; this.k1 = key; this.r1 = refreshPath; this.u1 = upstream; this.next = 2; break;
      default: this.t2 = time; this.s2 = status; this.k2 = key; this.r2 = refreshPath; this.u2 = upstream; this.next = 0;
    }
  }

  entries(): Seen[] {
    const all: Seen[] = [
      { time: this.t0, status: this.s0, pathKey: this.k0, refreshPath: this.r0, upstreamAddr: this.u0 },
      { time: this.t1, status: this.s1, pathKey: this.k1, refreshPath: this.r1, upstreamAddr: this.u1 },
      { time: this.t2, status: this.s2, pathKey: this.k2, refreshPath: this.r2, upstreamAddr: this.u2 },
    ];
    return all.filter((e) => !Number.isNaN(e.time));
  }
}

interface Watched {
  ring: Ring;
  lastFinding: number;
  follow: Seen[];
  sorted?: Seen[];
}

export class ClientTracker {
  private current = new Map<number | string, Ring>();
  private previous = new Map<number | string, Ring>();
  private readonly watched = new Map<number | string, Watched>();

  constructor(private readonly followMs: number, private readonly maxClients = 100000) {}

  /** Every response line. Strings kept are detached so no log line stays alive. */
  observe(ip: string | undefined, time: number, status: number, parser: LineParser): void {
    if (ip === undefined || status >= 400 || Number.isNaN(time)) return;
    const client = clientKey(ip);
    // One lookup for most lines: a watched client's ring in the current generation points to its Watched.
    let ring = this.current.get(client);
    const w = ring !== undefined ? ring.watched : this.watched.size > 0 ? this.watched.get(client) : undefined;
    let key: number;
    let refreshPath: string | undefined;
    if (parser.peekPathKey !== undefined) {
      key = parser.peekPathKey();
      if (key !== 0 && parser.pathMayBeRefresh !== undefined && parser.pathMayBeRefresh()) {
        const path = parser.peek('path') as string;
        if (REFRESH_PATH.test(path)) refreshPath = detach(path);
      }
    } else {
      const path = parser.peek('path');
      key = pathKey(path);
      if (path !== undefined && REFRESH_PATH.test(path)) refreshPath = detach(path);
    }
    const upstreamRaw = parser.peek('upstreamAddr');
    const upstream = upstreamRaw === undefined ? undefined : detach(upstreamRaw);
    if (w !== undefined) {
      w.ring.put(time, status, key, refreshPath, upstream);
      const since = time - w.lastFinding;
      if (since >= 0 && since <= this.followMs && w.follow.length < MAX_FOLLOW) w.follow.push({ time, status, pathKey: key, refreshPath, upstreamAddr: upstream });
      return;
    }
    if (ring === undefined) {
      ring = this.previous.get(client) ?? new Ring();
      if (this.current.size >= this.maxClients / 2) {
        this.previous = this.current;
        this.current = new Map();
      }
      this.current.set(client, ring);
    }
    ring.put(time, status, key, refreshPath, upstream);
  }

  /** A matching response at `time`: keep what follows it for this client. */
  watch(ip: string | undefined, time: number): void {
    if (ip === undefined) return;
    const client = clientKey(ip);
    const w = this.watched.get(client);
    if (w !== undefined) {
      w.lastFinding = time;
      return;
    }
    const ring = this.current.get(client) ?? this.previous.get(client) ?? new Ring();
    const entry: Watched = { ring, lastFinding: time, follow: [] };
    ring.watched = entry;
    this.watched.set(client, entry);
  }

  /** The client's remembered successes in time order (empty for a client without findings). */
  timeline(ip: string | undefined): readonly Seen[] {
    const w = ip === undefined ? undefined : this.watched.get(clientKey(ip));
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
