import type { LogRecord } from '../record.js';
import type { FollowUp, Pending } from './pending.js';

/**
 * Follows each client's responses in bounded memory:
 * - the last success per client, in an LRU map of at most `maxClients`;
 * - for clients with a recent matching response, their next few responses
 *   within `followWindowMs` (the handshake and refresh patterns need them).
 * Memory: O(maxClients + open follow-ups), independent of the log's length.
 */
const MAX_FOLLOW_UPS = 8;

export class ClientTracker {
  private readonly lastSuccess = new Map<string, { time: number; upstreamAddr?: string }>();
  private readonly watching = new Map<string, Pending[]>();
  private sinceSweep = 0;

  constructor(private readonly followWindowMs: number, private readonly maxClients = 100000) {}

  /** Every response, before it is (maybe) turned into a finding. */
  observe(ip: string | undefined, time: number, status: number, upstreamAddr: () => string | undefined, record: () => LogRecord): void {
    if (ip === undefined) return;
    const watched = this.watching.get(ip);
    if (watched !== undefined) {
      let rec: LogRecord | undefined;
      const open = watched.filter((p) => !(time > p.finding.record.time + this.followWindowMs));
      for (const p of open) {
        if (p.after.length >= MAX_FOLLOW_UPS) continue;
        rec ??= record();
        const f: FollowUp = { time, status, path: rec.path, method: rec.method };
        p.after.push(f);
      }
      if (open.length === 0) this.watching.delete(ip);
      else if (open.length !== watched.length) this.watching.set(ip, open);
    }
    if (status >= 200 && status < 400) {
      this.lastSuccess.delete(ip);
      this.lastSuccess.set(ip, { time, upstreamAddr: upstreamAddr() });
      if (this.lastSuccess.size > this.maxClients) this.lastSuccess.delete(this.lastSuccess.keys().next().value as string);
    }
  }

  /** A matching response: remember what came before, and watch what comes after. */
  watch(p: Pending): void {
    const ip = p.finding.record.ip;
    if (ip === undefined) return;
    const before = this.lastSuccess.get(ip);
    if (before !== undefined) p.lastSuccess = before;
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
