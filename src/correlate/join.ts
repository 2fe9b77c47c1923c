import { sourceOf } from '../record.js';
import type { EvidenceLine, Pending } from './pending.js';

/**
 * Joins run once all inputs are read, so inputs may come in any order.
 * 1. Access lines of the same request in several access logs (edge and
 *    upstream) become one response; the others are listed as correlated.
 * 2. App and error lines join their response by request id, else by the
 *    same client (and path, when both have one) nearest in time within the window.
 */

/** The line that stands for the request: the one that names its upstream (the edge), else the first read. */
function primaryOf(group: Pending[]): Pending {
  const servers = group.filter((p) => !p.fromApp);
  const pool = servers.length > 0 ? servers : group;
  return pool.find((p) => p.finding.record.upstreamAddr !== undefined) ?? pool[0];
}

function absorb(primary: Pending, other: Pending): void {
  primary.merged.push(other.finding.record);
  primary.finding.correlated.push(sourceOf(other.finding.record));
}

/**
 * An application that logs its own responses (status, method, path) describes
 * the same requests as the web server in front of it. Without a shared request
 * id, such a line joins the server's response from the same client and path
 * nearest in time; a line that joins nothing stays a response of its own.
 */
export function mergeAppResponses(all: Pending[], windowMs: number): Pending[] {
  if (!all.some((p) => p.fromApp)) return all;
  const servers = all.filter((p) => !p.fromApp);
  if (servers.length === 0) return all;
  const byIp = new Map<string, Pending[]>();
  for (const p of servers) {
    const ip = p.finding.record.ip;
    if (ip === undefined) continue;
    const list = byIp.get(ip);
    if (list) list.push(p);
    else byIp.set(ip, [p]);
  }
  for (const list of byIp.values()) list.sort((a, b) => a.finding.record.time - b.finding.record.time);
  const out = servers.slice();
  for (const p of all) {
    if (!p.fromApp) continue;
    const r = p.finding.record;
    const target = r.ip === undefined || Number.isNaN(r.time) ? undefined
      : nearestByTime(byIp.get(r.ip), { time: r.time, path: r.path, requestId: r.requestId }, windowMs);
    if (target) absorb(target, p);
    else out.push(p);
  }
  return out;
}

export function mergeSameRequest(all: Pending[]): Pending[] {
  const byId = new Map<string, Pending[]>();
  const out: Pending[] = [];
  for (const p of all) {
    const id = p.finding.record.requestId;
    if (id === undefined) {
      out.push(p);
      continue;
    }
    const g = byId.get(id);
    if (g) g.push(p);
    else {
      byId.set(id, [p]);
      out.push(p);
    }
  }
  return out.map((p) => {
    const id = p.finding.record.requestId;
    const group = id === undefined ? undefined : byId.get(id);
    if (!group || group.length === 1) return p;
    if (group.every((g) => g.rank !== undefined)) group.sort((a, b) => (a.rank as number) - (b.rank as number));
    const primary = primaryOf(group);
    for (const other of group) if (other !== primary) absorb(primary, other);
    return primary;
  });
}

export function joinEvidence(findings: Pending[], evidence: EvidenceLine[], windowMs: number): void {
  const byId = new Map<string, Pending>();
  const byIp = new Map<string, Pending[]>();
  for (const p of findings) {
    const r = p.finding.record;
    if (r.requestId !== undefined) byId.set(r.requestId, p);
    for (const m of p.merged) if (m.requestId !== undefined) byId.set(m.requestId, p);
    if (r.ip !== undefined) {
      const list = byIp.get(r.ip);
      if (list) list.push(p);
      else byIp.set(r.ip, [p]);
    }
  }
  for (const list of byIp.values()) list.sort((a, b) => a.finding.record.time - b.finding.record.time);

  const ordered = [...evidence].sort((a, b) => a.time - b.time);
  for (const line of ordered) {
    const target = line.requestId !== undefined ? byId.get(line.requestId) : undefined;
    if (target) {
      attach(target, line, true);
      continue;
    }
    if (line.ip === undefined || Number.isNaN(line.time)) continue;
    const near = nearestByTime(byIp.get(line.ip), line, windowMs);
    if (near) attach(near, line, false);
  }
}

function attach(p: Pending, line: EvidenceLine, byId: boolean): void {
  p.joined.push({ line, byId });
  p.finding.correlated.push(line.source);
}

function nearestByTime(
  list: Pending[] | undefined,
  line: Pick<EvidenceLine, 'time' | 'path' | 'requestId'> & { source?: string },
  windowMs: number,
): Pending | undefined {
  if (!list) return undefined;
  // Binary search the first finding at or after line.time - window.
  let lo = 0;
  let hi = list.length;
  const from = line.time - windowMs;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].finding.record.time < from) lo = mid + 1;
    else hi = mid;
  }
  // Nearest first; a response that already has a line from the same input
  // yields to a neighbour that has none (one app line per request in a burst).
  const input = line.source?.slice(0, line.source.lastIndexOf(':'));
  let best: Pending | undefined;
  let bestKey = Infinity;
  for (let i = lo; i < list.length; i++) {
    const r = list[i].finding.record;
    if (r.time > line.time + windowMs) break;
    // A line that names a request must name this one; one with an id cannot join a response with another id.
    if (line.path !== undefined && r.path !== undefined && line.path !== r.path) continue;
    if (line.requestId !== undefined && r.requestId !== undefined) continue;
    const taken = input !== undefined && list[i].joined.some((j) => !j.byId && j.line.source.startsWith(`${input}:`));
    const key = Math.abs(r.time - line.time) + (taken ? 2 * windowMs + 1 : 0);
    if (key < bestKey) {
      best = list[i];
      bestKey = key;
    }
  }
  return best;
}
