import type { LineParser } from '../formats/parser.js';
import type { Pending } from './pending.js';

/**
 * Follows each client's responses in bounded memory:
 * - the last success per client, in two generations of at most maxClients/2
 *   entries each (an approximate LRU without per-line deletes);
 * - for clients with a recent matching response, their next few responses
 *   within `followWindowMs` (the handshake and refresh patterns need them).
 * Memory: O(maxClients + open follow-ups), independent of the log's length.
 * Runs for every response line, so it allocates nothing unless a client is watched.
 */
const MAX_FOLLOW_UPS = 8;

interface Success { time: number; upstreamAddr?: string }

export class ClientTracker {
  private current = new Map<string, Success>();
  private previous = new Map<string, Success>();
  private readonly watching = new Map<string, Pending[]>();
  private sinceSweep = 0;

  constructor(private readonly followWindowMs: number, private readonly maxClients = 200000) {}

  /** Every response, before it is (maybe) turned into a finding. */
  observe(ip: string | undefined, time: number, status: number, parser: LineParser, input: string, line: number): void {
    if (ip === undefined) return;
    if (this.watching.size > 0) {
      const watched = this.watching.get(ip);
      if (watched !== undefined) this.follow(ip, watched, time, status, parser, input, line);
    }
    if (status >= 200 && status < 400) {
      const s = this.current.get(ip);
      const upstreamAddr = parser.peek('upstreamAddr');
      if (s !== undefined) {
        s.time = time;
        s.upstreamAddr = upstreamAddr;
      } else {
        if (this.current.size >= this.maxClients / 2) {
          this.previous = this.current;
          this.current = new Map();
        }
        this.current.set(ip, { time, upstreamAddr });
      }
    }
  }

  private follow(ip: string, watched: Pending[], time: number, status: number, parser: LineParser, input: string, line: number): void {
    // Oldest first: drop the ones whose window has passed.
    let drop = 0;
    while (drop < watched.length && time > watched[drop].finding.record.time + this.followWindowMs) drop++;
    if (drop > 0) watched.splice(0, drop);
    if (watched.length === 0) {
      this.watching.delete(ip);
      return;
    }
    let path: string | undefined;
    let method: string | undefined;
    let built = false;
    for (const p of watched) {
      if (p.after.length >= MAX_FOLLOW_UPS) continue;
      if (!built) {
        const rec = parser.record(input, line);
        path = rec.path;
        method = rec.method;
        built = true;
      }
      p.after.push({ time, status, path, method });
    }
  }

  /** A matching response: remember what came before, and watch what comes after. */
  watch(p: Pending): void {
    const ip = p.finding.record.ip;
    if (ip === undefined) return;
    const before = this.current.get(ip) ?? this.previous.get(ip);
    if (before !== undefined) p.lastSuccess = { ...before };
    const list = this.watching.get(ip);
    if (list) list.push(p);
    else this.watching.set(ip, [p]);
    if (++this.sinceSweep >= 10000) this.sweep(p.finding.record.time);
  }

  private sweep(now: number): void {
    this.sinceSweep = 0;
    for (const [ip, list] of this.watching) {
      const open = list.filter((p) => !(now > p.finding.record.time + this.followWindowMs));
      if (open.length === 0) this.watching.delete(ip);
      else this.watching.set(ip, open);
    }
  }
}
