import type { CauseId } from './causes.js';
import type { Candidate } from './ruleSet.js';
import type { Pending } from '../correlate/pending.js';
import { firstAfter, pathKey, REFRESH_PATH, type Seen } from '../correlate/clientTracker.js';

/**
 * Patterns over a client's sequence of requests. Each may only replace a
 * weaker conclusion (listed in `overrides`): a specific message from the
 * application always beats a guess from timing.
 */
export interface PatternOptions {
  bruteForceCount: number;
  bruteForceUsers: number;
  bruteForceWindowMs: number;
  challengeWindowMs: number;
  refreshWindowMs: number;
  stickyWindowMs: number;
}

export interface PatternHit {
  cause: CauseId;
  strength: number;
  evidence: string;
  /** Conclusions this pattern may replace ("none" = nothing matched). */
  overrides: ReadonlySet<CauseId | 'none'>;
}


const WEAK: ReadonlySet<CauseId | 'none'> = new Set(['none', 'unknown', 'credentials_missing']);
const GUESSING: ReadonlySet<CauseId | 'none'> = new Set(['none', 'unknown', 'credentials_invalid', 'credentials_missing', 'auth_challenge']);
const SESSIONISH: ReadonlySet<CauseId | 'none'> = new Set(['none', 'unknown', 'session_expired', 'credentials_missing']);
const STRIPPABLE: ReadonlySet<CauseId | 'none'> = new Set(['credentials_missing']);

/** Marks every finding in a brute-force burst: many 401s from one ip, or many user names. */
export function bruteForceHits(findings: readonly Pending[], o: PatternOptions): Map<Pending, PatternHit> {
  const hits = new Map<Pending, PatternHit>();
  const byIp = new Map<string, Pending[]>();
  for (const p of findings) {
    const ip = p.finding.record.ip;
    if (ip === undefined || Number.isNaN(p.finding.record.time)) continue;
    const list = byIp.get(ip);
    if (list) list.push(p);
    else byIp.set(ip, [p]);
  }
  for (const [ip, list] of byIp) {
    if (list.length < Math.min(o.bruteForceCount, o.bruteForceUsers)) continue;
    list.sort((a, b) => a.finding.record.time - b.finding.record.time);
    let lo = 0;
    const users = new Map<string, number>();
    for (let hi = 0; hi < list.length; hi++) {
      const u = list[hi].finding.record.user;
      if (u !== undefined) users.set(u, (users.get(u) ?? 0) + 1);
      while (list[hi].finding.record.time - list[lo].finding.record.time > o.bruteForceWindowMs) {
        const lu = list[lo].finding.record.user;
        if (lu !== undefined) {
          const n = (users.get(lu) ?? 1) - 1;
          if (n === 0) users.delete(lu);
          else users.set(lu, n);
        }
        lo++;
      }
      const count = hi - lo + 1;
      if (count >= o.bruteForceCount || users.size >= o.bruteForceUsers) {
        const seconds = Math.round(o.bruteForceWindowMs / 1000);
        const evidence = `${count} failed requests from ${ip} within ${seconds}s${users.size > 1 ? ` across ${users.size} user names` : ''}`;
        for (let i = lo; i <= hi; i++) hits.set(list[i], { cause: 'brute_force', strength: 0.95, evidence, overrides: GUESSING });
      }
    }
  }
  return hits;
}

/** The address that answered: nginx lists retries "a, b" and internal redirects "a : b". */
export function lastUpstream(addr: string | undefined): string | undefined {
  if (addr === undefined) return undefined;
  const parts = addr.split(/\s*[,:]\s+|\s+:\s*/);
  return parts[parts.length - 1].trim() || undefined;
}

/** Patterns over the client's responses around this one, in time order. */
export function sequenceHits(p: Pending, o: PatternOptions, best: Candidate | undefined, timeline: readonly Seen[]): PatternHit[] {
  const out: PatternHit[] = [];
  const r = p.finding.record;
  const t = r.time;
  if (Number.isNaN(t)) return out;
  // Successes at the same instant count as "after": logs have one-second resolution.
  const from = firstAfter(timeline, t - 1);
  let refresh: Seen | undefined;
  let success: Seen | undefined;
  const key = pathKey(r.path);
  for (let i = from; i < timeline.length; i++) {
    const a = timeline[i];
    if (a.time < t) continue;
    if (a.time - t > o.refreshWindowMs) break;
    if (!refresh && a.refreshPath !== undefined) refresh = a;
    if (!success && a.time - t <= o.challengeWindowMs && key !== 0 && a.pathKey === key) success = a;
  }
  if (refresh && !(r.path !== undefined && REFRESH_PATH.test(r.path))) {
    out.push({ cause: 'token_expired', strength: 0.7, evidence: `the client called ${refresh.refreshPath} ${Math.round((refresh.time - t) / 1000)}s later, then carried on (token refresh)`, overrides: WEAK });
  } else if (success && !refresh) {
    out.push({ cause: 'auth_challenge', strength: 0.9, evidence: `same client got ${success.status} on ${r.path} ${((success.time - t) / 1000).toFixed(1)}s later (handshake)`, overrides: WEAK });
  }
  const upstream = lastUpstream(r.upstreamAddr ?? p.merged.find((m) => m.upstreamAddr !== undefined)?.upstreamAddr);
  let before: Seen | undefined;
  for (let i = firstAfter(timeline, t) - 1; i >= 0; i--) {
    if (timeline[i].upstreamAddr !== undefined) {
      before = timeline[i];
      break;
    }
    if (t - timeline[i].time > o.stickyWindowMs) break;
  }
  const beforeUpstream = lastUpstream(before?.upstreamAddr);
  if (before && beforeUpstream !== undefined && upstream !== undefined && beforeUpstream !== upstream && t - before.time <= o.stickyWindowMs) {
    out.push({ cause: 'session_not_sticky', strength: 0.8, evidence: `same client succeeded on upstream ${beforeUpstream} ${Math.round((t - before.time) / 1000)}s earlier, now refused by ${upstream}`, overrides: SESSIONISH });
  }
  const sawAuthorization = r.authorizationPresent === true || p.merged.some((m) => m.authorizationPresent === true);
  if (sawAuthorization && best?.cause === 'credentials_missing') {
    out.push({ cause: 'auth_header_stripped', strength: 0.93, evidence: 'the edge log shows an Authorization header, yet the upstream says none arrived', overrides: STRIPPABLE });
  }
  return out;
}
