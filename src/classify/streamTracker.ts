import { clientKey, type ClientKey } from '../clientKey.js';
import { detach } from '../detach.js';
import { isFollowUp, pathKeyOf, refreshPathOf, type Seen } from '../correlate/clientTracker.js';
import type { LineParser } from '../formats/parser.js';

/**
 * The client sequences the patterns read, for the streaming analysis (one
 * input in time order). Unlike ClientTracker, which keeps every client that
 * ever had a finding until the end, this one forgets a client once its
 * findings are classified, so its memory follows the time window, not the log:
 * - a client with a recent finding: the successes that follow each finding within
 *   followMs (at most MAX_FOLLOW after each), as ClientTracker's `follow`;
 * - any client: its successes that name an upstream, for stickyMs (the sticky-session pattern).
 * Strings kept are copies, so no log line stays alive. Clients are keyed as
 * ClientTracker keys them (canonical IPv4 as a number). Pruning pops two
 * queues kept in read order (findings watched, upstream successes), so a step
 * costs what it forgets, not what is kept.
 */
interface Client {
  lastFinding: number;
  follow: Seen[];
  /** Follow-ups kept since the last finding. */
  followed: number;
}

type Key = number | string;

/** A first-in first-out list of (key, time) with a moving head. */
class Queue {
  keys: Key[] = [];
  times: number[] = [];
  head = 0;

  push(key: Key, time: number): void {
    this.keys.push(key);
    this.times.push(time);
  }

  /** Drops what was popped once it is most of the arrays. */
  compact(): void {
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys.splice(0, this.head);
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
}

export class StreamTracker {
  private readonly clients = new Map<Key, Client>();
  /** Successes with an upstream, per client, in time order. */
  private readonly upstreams = new Map<Key, Seen[]>();
  /** Every watch and every upstream success, in read order (time order within the stream's slack). */
  private readonly watched = new Queue();
  private readonly upstreamQueue = new Queue();
  /** Nothing before this time is read any more (the last prune's). */
  private prunedTo = -Infinity;

  constructor(private readonly followMs: number, private readonly stickyMs: number) {}

  observe(key: ClientKey | undefined, time: number, status: number, parser: LineParser): void {
    if (key === undefined || status >= 400 || Number.isNaN(time)) return;
    const upstreamRaw = parser.peek('upstreamAddr');
    if (this.clients.size === 0 && upstreamRaw === undefined) return;
    const c = this.clients.get(key);
    const follows = c !== undefined && isFollowUp(c, time, this.followMs);
    // Most successes of a client with findings come outside the follow-up window: nothing to keep.
    if (!follows && upstreamRaw === undefined) return;
    // The key, not the path: a replayed line (parallel path) carries only the key.
    const pk = pathKeyOf(parser);
    const seen: Seen = {
      time, status, pathKey: pk,
      refreshPath: refreshPathOf(parser, pk),
      upstreamAddr: upstreamRaw === undefined ? undefined : detach(upstreamRaw),
    };
    if (follows) {
      (c as Client).follow.push(seen);
      (c as Client).followed++;
    }
    if (upstreamRaw !== undefined) {
      const list = this.upstreams.get(key);
      if (list) list.push(seen);
      else this.upstreams.set(own(key), [seen]);
      this.upstreamQueue.push(key, time);
    }
  }

  /** A matching response at `time`: keep what follows it for this client. */
  watch(key: ClientKey | undefined, time: number): void {
    if (key === undefined) return;
    const c = this.clients.get(key);
    if (c !== undefined) {
      c.lastFinding = time;
      c.followed = 0;
      // A client with findings all day is never forgotten: drop the follow-ups no finding can read now.
      if (c.follow.length > 0 && c.follow[0].time < this.prunedTo) c.follow = c.follow.filter((e) => e.time >= this.prunedTo);
    } else {
      this.clients.set(own(key), { lastFinding: time, follow: [], followed: 0 });
    }
    this.watched.push(key, time);
  }

  /** The client's successes around a finding at `t`, in time order. */
  timeline(ip: string | undefined, t: number): readonly Seen[] {
    if (ip === undefined) return [];
    const key = clientKey(ip);
    const follow = this.clients.get(key)?.follow ?? [];
    const ups = this.upstreams.get(key);
    if (ups === undefined) return follow;
    const all = follow.slice();
    for (const e of ups) if (e.time <= t && !follow.includes(e)) all.push(e);
    return all.sort((a, b) => a.time - b.time);
  }

  /**
   * Forgets what no finding at or after `from` can read: clients whose last
   * finding is older than followMs before it, and upstream successes older
   * than stickyMs. Walks the queues from their heads while their times are
   * older than that; an entry read out of order (within the stream's slack)
   * waits behind a newer one until a later step, and what it keeps meanwhile
   * is nothing a later finding can read (follow-ups end followMs after the
   * finding, and the sticky pattern ignores successes older than stickyMs).
   */
  prune(from: number): void {
    this.prunedTo = from;
    const w = this.watched;
    const clientsBefore = from - this.followMs;
    while (w.head < w.keys.length && w.times[w.head] < clientsBefore) {
      const key = w.keys[w.head++];
      const c = this.clients.get(key);
      if (c !== undefined && c.lastFinding < clientsBefore) this.clients.delete(key);
    }
    w.compact();
    const u = this.upstreamQueue;
    const upsBefore = from - this.stickyMs;
    while (u.head < u.keys.length && u.times[u.head] < upsBefore) {
      const key = u.keys[u.head++];
      const list = this.upstreams.get(key);
      if (list === undefined) continue;
      let i = 0;
      while (i < list.length && list[i].time < upsBefore) i++;
      if (i === list.length) this.upstreams.delete(key);
      else if (i > 0) list.splice(0, i);
    }
    u.compact();
  }
}

/** A client key safe to keep: numbers as they are, strings copied. */
function own(key: Key): Key {
  return typeof key === 'number' ? key : detach(key);
}
