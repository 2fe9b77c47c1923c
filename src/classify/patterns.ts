import type { CauseId } from './causes.js';
import type { Candidate } from './ruleSet.js';
import type { Pending } from '../correlate/pending.js';

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

const REFRESH_PATH = /\/(oauth2?\/)?(token|refresh|renew)(\/|$)|\/auth\/refresh|\/token\/refresh/i;

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

/** Patterns that need only this finding and its client's neighbours. */
export function sequenceHits(p: Pending, o: PatternOptions, best: Candidate | undefined): PatternHit[] {
  const out: PatternHit[] = [];
  const r = p.finding.record;
  const t = r.time;
  const refresh = p.after.findIndex((a) => a.time - t <= o.refreshWindowMs && a.path !== undefined && REFRESH_PATH.test(a.path) && a.status < 400);
  if (refresh >= 0 && !(r.path !== undefined && REFRESH_PATH.test(r.path))) {
    const a = p.after[refresh];
    out.push({ cause: 'token_expired', strength: 0.7, evidence: `the client called ${a.path} ${Math.round((a.time - t) / 1000)}s later, then carried on (token refresh)`, overrides: WEAK });
  }
  const success = p.after.find((a) => a.time - t <= o.challengeWindowMs && a.status < 400 && a.path === r.path && a.time >= t);
  if (success && refresh < 0) {
    out.push({ cause: 'auth_challenge', strength: 0.9, evidence: `same client got ${success.status} on ${r.path} ${((success.time - t) / 1000).toFixed(1)}s later (handshake)`, overrides: WEAK });
  }
  const before = p.lastSuccess;
  const upstream = r.upstreamAddr ?? p.merged.find((m) => m.upstreamAddr !== undefined)?.upstreamAddr;
  if (before?.upstreamAddr !== undefined && upstream !== undefined && before.upstreamAddr !== upstream && t - before.time <= o.stickyWindowMs && t >= before.time) {
    out.push({ cause: 'session_not_sticky', strength: 0.8, evidence: `same client succeeded on upstream ${before.upstreamAddr} ${Math.round((t - before.time) / 1000)}s earlier, now refused by ${upstream}`, overrides: SESSIONISH });
  }
  const sawAuthorization = r.authorizationPresent === true || p.merged.some((m) => m.authorizationPresent === true);
  if (sawAuthorization && best?.cause === 'credentials_missing') {
    out.push({ cause: 'auth_header_stripped', strength: 0.93, evidence: 'the edge log shows an Authorization header, yet the upstream says none arrived', overrides: STRIPPABLE });
  }
  return out;
}
