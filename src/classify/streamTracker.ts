import { pathKey, REFRESH_PATH, type Seen } from '../correlate/clientTracker.js';
import type { LineParser } from '../formats/parser.js';

/**
 * The client sequences the patterns read, for the streaming analysis (one
 * input in time order). Unlike ClientTracker, which keeps every client that
 * ever had a finding until the end, this one forgets a client once its
 * findings are classified, so its memory follows the time window, not the log:
 * - a client with a recent finding: the successes that follow a finding within
 *   followMs (at most MAX_FOLLOW per client over the run), as ClientTracker's `follow`;
 * - any client: its successes that name an upstream, for stickyMs (the sticky-session pattern).
 * Strings kept are copies, so no log line stays alive.
 */
const MAX_FOLLOW = 8;

interface Client {
  lastFinding: number;
  follow: Seen[];
}

function detach(s: string): string {
  return (' ' + s).slice(1);
}

export class StreamTracker {
  private readonly clients = new Map<string, Client>();
  /** Successes with an upstream, per client, in time order. */
  private readonly upstreams = new Map<string, Seen[]>();
  /**
   * Follow-ups counted so far, per client that had one, for the life of the
   * run: ClientTracker keeps at most MAX_FOLLOW per client over the whole
   * run, and this gives the same answers. Grows with clients that had a
   * success within followMs after a finding (few in practice).
   */
  private readonly followed = new Map<string, number>();

  constructor(private readonly followMs: number, private readonly stickyMs: number) {}

  observe(ip: string | undefined, time: number, status: number, parser: LineParser): void {
    if (ip === undefined || status >= 400 || Number.isNaN(time)) return;
    const c = this.clients.size > 0 ? this.clients.get(ip) : undefined;
    const upstreamRaw = parser.peek('upstreamAddr');
    if (c === undefined && upstreamRaw === undefined) return;
    const path = parser.peek('path');
    const seen: Seen = {
      time, status, pathKey: pathKey(path),
      refreshPath: path !== undefined && REFRESH_PATH.test(path) ? detach(path) : undefined,
      upstreamAddr: upstreamRaw === undefined ? undefined : detach(upstreamRaw),
    };
    if (c !== undefined) {
      const since = time - c.lastFinding;
      if (since >= 0 && since <= this.followMs) {
        const n = this.followed.get(ip) ?? 0;
        if (n < MAX_FOLLOW) {
          c.follow.push(seen);
          this.followed.set(n === 0 ? detach(ip) : ip, n + 1);
        }
      }
    }
    if (upstreamRaw !== undefined) {
      const list = this.upstreams.get(ip);
      if (list) list.push(seen);
      else this.upstreams.set(detach(ip), [seen]);
    }
  }

  /** A matching response at `time`: keep what follows it for this client. */
  watch(ip: string | undefined, time: number): void {
    if (ip === undefined) return;
    const c = this.clients.get(ip);
    if (c !== undefined) c.lastFinding = time;
    else this.clients.set(detach(ip), { lastFinding: time, follow: [] });
  }

  /** The client's successes around a finding at `t`, in time order. */
  timeline(ip: string | undefined, t: number): readonly Seen[] {
    if (ip === undefined) return [];
    const follow = this.clients.get(ip)?.follow ?? [];
    const ups = this.upstreams.get(ip);
    if (ups === undefined) return follow;
    const all = follow.slice();
    for (const e of ups) if (e.time <= t && !follow.includes(e)) all.push(e);
    return all.sort((a, b) => a.time - b.time);
  }

  /**
   * Forgets what no finding at or after `from` can read: clients whose last
   * finding is older than followMs before it, and upstream successes older than stickyMs.
   */
  prune(from: number): void {
    for (const [ip, c] of this.clients) if (c.lastFinding < from - this.followMs) this.clients.delete(ip);
    for (const [ip, list] of this.upstreams) {
      let i = 0;
      while (i < list.length && list[i].time < from - this.stickyMs) i++;
      if (i === list.length) this.upstreams.delete(ip);
      else if (i > 0) list.splice(0, i);
    }
  }
}
