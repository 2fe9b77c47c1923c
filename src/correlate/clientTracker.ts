import { clientKey, type ClientKey } from '../clientKey.js';
import { detach } from '../detach.js';
import type { LineParser } from '../formats/parser.js';

/**
 * Remembers each client's successful responses so the sequence patterns
 * (handshake, token refresh, sticky sessions) can be read in time order at
 * the end, whatever order the inputs were read in (rotated logs are often
 * listed newest first). Failures need no memory here: they are findings.
 * - Every client: its last 3 successes in a ring (a row of one shared
 *   Float64Array, reused in place: no allocation per line besides a
 *   refresh path or upstream string), in two generations of at most
 *   maxClients/2 clients (an approximate LRU); a forgotten client's ring
 *   is recycled.
 * - A client with a matching response: also the successes that follow each
 *   of its findings within followMs, up to MAX_FOLLOW after each (a client
 *   whose token expires every hour has every expiry followed, not the first few).
 * Memory: O(maxClients + findings x MAX_FOLLOW).
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

/**
 * The path's key, from the parser's fast path when it has one: a replayed
 * line (parallel path) carries the key but not the path text.
 */
export function pathKeyOf(parser: LineParser): number {
  return parser.peekPathKey !== undefined ? parser.peekPathKey() : pathKey(parser.peek('path'));
}

/** The path, detached, when it names a token or refresh endpoint; `key` is pathKeyOf(parser). */
export function refreshPathOf(parser: LineParser, key: number): string | undefined {
  if (key === 0 || (parser.pathMayBeRefresh !== undefined && !parser.pathMayBeRefresh())) return undefined;
  const path = parser.peek('path');
  return path !== undefined && REFRESH_PATH.test(path) ? detach(path) : undefined;
}

/** clientKey of the parser's client, from its fast path when it has one (no address cut out of the line). */
export function clientKeyOf(parser: LineParser): ClientKey | undefined {
  if (parser.peekClientKey !== undefined) return parser.peekClientKey();
  const ip = parser.peek('ip');
  return ip === undefined ? undefined : clientKey(ip);
}

// The patterns read the first success or two after a finding; a few more cover busy clients.
/** Successes kept after each finding of a client (enough for a refresh and a retry or two). */
const MAX_FOLLOW = 8;

/** Whether a success at `time` is kept as a follow-up of the client's last finding (both trackers). */
export function isFollowUp(c: { lastFinding: number; followed: number }, time: number, followMs: number): boolean {
  const since = time - c.lastFinding;
  return since >= 0 && since <= followMs && c.followed < MAX_FOLLOW;
}

/**
 * The last 3 successes of every client, in one Float64Array: STRIDE numbers per ring, [next slot,
 * flags, then time, status, path key for slots 0, 1, 2]. No object per client: a put touches one
 * or two cache lines, and the collector sees one array instead of a ring object per client.
 * The strings (refresh path, upstream) are rare and live in a side array, 6 per ring.
 */
const STRIDE = 11;
const HAS_STRINGS = 1;
const WATCHED = 2;

class RingStore {
  data = new Float64Array(STRIDE * 1024);
  strings: (string | undefined)[] = new Array<string | undefined>(6 * 1024).fill(undefined);
  /** The Watched entry of a ring flagged WATCHED. */
  watchedOf: (Watched | undefined)[] = new Array<Watched | undefined>(1024).fill(undefined);
  private readonly free: number[] = [];
  private top = 0;

  /** A ring with no entries. */
  alloc(): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.top++;
      if (this.top * STRIDE > this.data.length) this.grow();
    }
    const d = this.data;
    const o = id * STRIDE;
    if ((d[o + 1] & HAS_STRINGS) !== 0) for (let k = 6 * id; k < 6 * id + 6; k++) this.strings[k] = undefined;
    d[o] = 0;
    d[o + 1] = 0;
    d[o + 2] = NaN;
    d[o + 5] = NaN;
    d[o + 8] = NaN;
    this.watchedOf[id] = undefined;
    return id;
  }

  release(id: number): void {
    this.free.push(id);
  }

  private grow(): void {
    const data = new Float64Array(this.data.length * 2);
    data.set(this.data);
    this.data = data;
    for (let k = this.strings.length; k < (data.length / STRIDE) * 6; k++) this.strings.push(undefined);
    for (let k = this.watchedOf.length; k < data.length / STRIDE; k++) this.watchedOf.push(undefined);
  }

  put(id: number, time: number, status: number, key: number, refreshPath: string | undefined, upstream: string | undefined): void {
    const d = this.data;
    const o = id * STRIDE;
    const slot = d[o];
    const at = o + 2 + 3 * slot;
    d[at] = time;
    d[at + 1] = status;
    d[at + 2] = key;
    d[o] = slot === 2 ? 0 : slot + 1;
    if (refreshPath !== undefined || upstream !== undefined) {
      this.strings[6 * id + slot] = refreshPath;
      this.strings[6 * id + 3 + slot] = upstream;
      d[o + 1] = d[o + 1] | HAS_STRINGS;
    } else if ((d[o + 1] & HAS_STRINGS) !== 0) {
      this.strings[6 * id + slot] = undefined;
      this.strings[6 * id + 3 + slot] = undefined;
    }
  }

  isWatched(id: number): boolean {
    return (this.data[id * STRIDE + 1] & WATCHED) !== 0;
  }

  setWatched(id: number, w: Watched): void {
    const o = id * STRIDE + 1;
    this.data[o] = this.data[o] | WATCHED;
    this.watchedOf[id] = w;
  }

  /** The ring's entries by slot, as a Seen each. */
  entries(id: number): Seen[] {
    const d = this.data;
    const o = id * STRIDE;
    const out: Seen[] = [];
    for (let slot = 0; slot < 3; slot++) {
      const at = o + 2 + 3 * slot;
      if (Number.isNaN(d[at])) continue;
      out.push({ time: d[at], status: d[at + 1], pathKey: d[at + 2], refreshPath: this.strings[6 * id + slot], upstreamAddr: this.strings[6 * id + 3 + slot] });
    }
    return out;
  }
}

/**
 * Client key -> ring id. IPv4 clients (number keys) go to an open-addressing table of key and
 * ring id pairs side by side in one Int32Array, so a lookup is usually one cache line; other
 * clients go to a Map. Exported for its tests only.
 */
export class ClientMap {
  private kv: Int32Array;
  private mask: number;
  private shift: number;
  private ints = 0;
  private readonly strings = new Map<string, number>();

  constructor() {
    this.kv = new Int32Array(2 * 1024).fill(-1);
    this.mask = 1023;
    this.shift = 22;
  }

  get size(): number {
    return this.ints + this.strings.size;
  }

  /** The ring id, or -1. */
  get(key: number | string): number {
    if (typeof key === 'string') return this.strings.get(key) ?? -1;
    const kv = this.kv;
    const mask = this.mask;
    for (let i = Math.imul(key, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      const v = kv[2 * i + 1];
      if (v < 0) return -1;
      if (kv[2 * i] === key) return v;
    }
  }

  /** Adds a key that is not in the map. */
  add(key: number | string, id: number): void {
    if (typeof key === 'string') {
      this.strings.set(key, id);
      return;
    }
    if (2 * (this.ints + 1) > this.mask + 1) this.grow();
    this.place(key, id);
    this.ints++;
  }

  private place(key: number, id: number): void {
    const kv = this.kv;
    const mask = this.mask;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (kv[2 * i + 1] >= 0) i = (i + 1) & mask;
    kv[2 * i] = key;
    kv[2 * i + 1] = id;
  }

  private grow(): void {
    const old = this.kv;
    this.kv = new Int32Array(old.length * 2).fill(-1);
    this.mask = this.mask * 2 + 1;
    this.shift--;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] >= 0) this.place(old[i], old[i + 1]);
  }

  delete(key: number | string): void {
    if (typeof key === 'string') {
      this.strings.delete(key);
      return;
    }
    const kv = this.kv;
    const mask = this.mask;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (; ; i = (i + 1) & mask) {
      if (kv[2 * i + 1] < 0) return;
      if (kv[2 * i] === key) break;
    }
    kv[2 * i + 1] = -1;
    this.ints--;
    // Backward-shift deletion: move up every later pair of the run whose home is not in (i, j].
    for (let j = (i + 1) & mask; kv[2 * j + 1] >= 0; j = (j + 1) & mask) {
      const home = Math.imul(kv[2 * j], 0x9e3779b1) >>> this.shift;
      const stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (stays) continue;
      kv[2 * i] = kv[2 * j];
      kv[2 * i + 1] = kv[2 * j + 1];
      kv[2 * j + 1] = -1;
      i = j;
    }
  }

  forEachId(f: (id: number) => void): void {
    const kv = this.kv;
    for (let i = 1; i < kv.length; i += 2) if (kv[i] >= 0) f(kv[i]);
    for (const id of this.strings.values()) f(id);
  }
}

interface Watched {
  ring: number;
  lastFinding: number;
  follow: Seen[];
  /** Follow-ups kept since the last finding. */
  followed: number;
  sorted?: Seen[];
}

export class ClientTracker {
  private readonly rings = new RingStore();
  /** Two generations of at most maxClients/2 clients each, client key -> ring. */
  private current = new ClientMap();
  private previous = new ClientMap();
  private readonly watched = new Map<number | string, Watched>();

  constructor(private readonly followMs: number, private readonly maxClients = 100000) {}

  /** Every response line. Strings kept are detached so no log line stays alive. */
  observe(client: ClientKey | undefined, time: number, status: number, parser: LineParser): void {
    if (client === undefined || status >= 400 || Number.isNaN(time)) return;
    const rings = this.rings;
    // One lookup for most lines: a watched client's ring in the current generation is flagged.
    let ring = this.current.get(client);
    const w = ring >= 0 ? (rings.isWatched(ring) ? rings.watchedOf[ring] : undefined)
      : this.watched.size > 0 ? this.watched.get(client) : undefined;
    const key = pathKeyOf(parser);
    const refreshPath = refreshPathOf(parser, key);
    const upstreamRaw = parser.peek('upstreamAddr');
    const upstream = upstreamRaw === undefined ? undefined : detach(upstreamRaw);
    if (w !== undefined) {
      rings.put(w.ring, time, status, key, refreshPath, upstream);
      if (isFollowUp(w, time, this.followMs)) {
        w.follow.push({ time, status, pathKey: key, refreshPath, upstreamAddr: upstream });
        w.followed++;
      }
      return;
    }
    if (ring < 0) {
      // Back from the previous generation with its history, or new.
      ring = this.previous.get(client);
      if (ring >= 0) this.previous.delete(client);
      else ring = rings.alloc();
      if (this.current.size >= this.maxClients / 2) {
        // The previous generation's clients not seen since are forgotten (watched ones live on).
        this.previous.forEachId((old) => { if (!rings.isWatched(old)) rings.release(old); });
        this.previous = this.current;
        this.current = new ClientMap();
      }
      this.current.add(client, ring);
    }
    rings.put(ring, time, status, key, refreshPath, upstream);
  }

  /** A matching response at `time`: keep what follows it for this client. */
  watch(client: ClientKey | undefined, time: number): void {
    if (client === undefined) return;
    const w = this.watched.get(client);
    if (w !== undefined) {
      w.lastFinding = time;
      w.followed = 0;
      return;
    }
    let ring = this.current.get(client);
    if (ring < 0) ring = this.previous.get(client);
    if (ring < 0) ring = this.rings.alloc();
    const entry: Watched = { ring, lastFinding: time, follow: [], followed: 0 };
    this.rings.setWatched(ring, entry);
    this.watched.set(client, entry);
  }

  /** The client's remembered successes in time order (empty for a client without findings). */
  timeline(ip: string | undefined): readonly Seen[] {
    const w = ip === undefined ? undefined : this.watched.get(clientKey(ip));
    if (w === undefined) return [];
    if (w.sorted === undefined) {
      const all = [...w.follow];
      for (const e of this.rings.entries(w.ring)) if (!all.some((a) => a.time === e.time && a.pathKey === e.pathKey && a.status === e.status)) all.push(e);
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
