import type { CauseId } from './causes.js';
import type { Candidate } from './ruleSet.js';
import type { Pending } from '../correlate/pending.js';
import { firstAfter, pathKey, REFRESH_PATH, type Seen } from '../correlate/clientTracker.js';
import type { Lang } from '../i18n/labels.js';
import { EVIDENCE_TEXT } from './evidenceText.js';

/**
 * Patterns over a client's sequence of requests. Each may only replace a
 * weaker conclusion (listed in `overrides`): a specific message from the
 * application always beats a guess from timing.
 */
export interface PatternOptions {
  bruteForceCount: number;
  bruteForceUsers: number;
  /** Distinct client ips failing for one user name within the window (password spraying). */
  bruteForceIps: number;
  bruteForceWindowMs: number;
  challengeWindowMs: number;
  refreshWindowMs: number;
  stickyWindowMs: number;
  /** The language of the evidence written (default en). */
  lang?: Lang;
}

export interface PatternHit {
  cause: CauseId;
  strength: number;
  evidence: string;
  /** Conclusions this pattern may replace ("none" = nothing matched). */
  overrides: ReadonlySet<CauseId | 'none'>;
  /** ... unless that conclusion came from one of these rules. */
  keepRules?: ReadonlySet<string>;
}

/** The user name a finding is about: from the request, else from a joined app line. */
export function userOf(p: Pending): string | undefined {
  return p.finding.record.user ?? p.merged.find((m) => m.user !== undefined)?.user ?? p.joined.find((j) => j.line.user !== undefined)?.line.user;
}


const WEAK: ReadonlySet<CauseId | 'none'> = new Set(['none', 'unknown', 'credentials_missing']);
// A refresh right after the 401 tells which invalid token it was.
const REFRESHABLE: ReadonlySet<CauseId | 'none'> = new Set(['none', 'unknown', 'credentials_missing', 'token_invalid']);
const GUESSING: ReadonlySet<CauseId | 'none'> = new Set(['none', 'unknown', 'credentials_invalid', 'credentials_missing', 'auth_challenge']);
const SESSIONISH: ReadonlySet<CauseId | 'none'> = new Set(['none', 'unknown', 'session_expired', 'credentials_missing']);
const STORE_DOWN: ReadonlySet<string> = new Set(['session-store-down']);
const BARE_BEARER = /^\s*Bearer(\s+realm="[^"]*")?\s*$/i;
const STRIPPABLE: ReadonlySet<CauseId | 'none'> = new Set(['credentials_missing']);

/**
 * Marks every finding in a brute-force burst: many 401s from one ip, or many user names.
 * `targets`: when only these findings' hits are wanted (streaming reads a window of context
 * around them), only their clients' and user names' findings are swept; their hits are the
 * same, since a finding's hit depends only on the findings of its own client (or user name).
 */
export function bruteForceHits(findings: readonly Pending[], o: PatternOptions, targets?: readonly Pending[]): Map<Pending, PatternHit> {
  const hits = new Map<Pending, PatternHit>();
  const byIp = new Map<string, Pending[]>();
  let wanted: Set<string> | undefined;
  if (targets !== undefined) {
    wanted = new Set();
    for (const p of targets) if (p.finding.record.ip !== undefined) wanted.add(p.finding.record.ip);
  }
  for (const p of findings) {
    const ip = p.finding.record.ip;
    if (ip === undefined || Number.isNaN(p.finding.record.time)) continue;
    if (wanted !== undefined && !wanted.has(ip)) continue;
    const list = byIp.get(ip);
    if (list) list.push(p);
    else byIp.set(ip, [p]);
  }
  for (const [ip, list] of byIp) {
    if (list.length < Math.min(o.bruteForceCount, o.bruteForceUsers)) continue;
    list.sort((a, b) => a.finding.record.time - b.finding.record.time);
    let lo = 0;
    let marked = -1;
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
        const evidence = EVIDENCE_TEXT[o.lang ?? 'en'].bruteForce(count, ip, seconds, users.size);
        // Each finding is marked once (linear in the burst, however long it runs).
        for (let i = Math.max(lo, marked + 1); i <= hi; i++) hits.set(list[i], { cause: 'brute_force', strength: 0.95, evidence, overrides: GUESSING });
        marked = hi;
      }
    }
  }
  sprayHits(findings, o, hits, targets);
  return hits;
}

/** Many clients failing for the same user name in a short time: a distributed guess. */
function sprayHits(findings: readonly Pending[], o: PatternOptions, hits: Map<Pending, PatternHit>, targets?: readonly Pending[]): void {
  const byUser = new Map<string, Pending[]>();
  let wanted: Set<string> | undefined;
  if (targets !== undefined) {
    wanted = new Set();
    for (const p of targets) {
      const user = userOf(p);
      if (user !== undefined) wanted.add(user);
    }
    if (wanted.size === 0) return;
  }
  for (const p of findings) {
    if (p.finding.record.ip === undefined || Number.isNaN(p.finding.record.time)) continue;
    const user = userOf(p);
    if (user === undefined || (wanted !== undefined && !wanted.has(user))) continue;
    const list = byUser.get(user);
    if (list) list.push(p);
    else byUser.set(user, [p]);
  }
  for (const [user, list] of byUser) {
    if (list.length < o.bruteForceIps) continue;
    list.sort((a, b) => a.finding.record.time - b.finding.record.time);
    let lo = 0;
    let marked = -1;
    const ips = new Map<string, number>();
    for (let hi = 0; hi < list.length; hi++) {
      const ip = list[hi].finding.record.ip as string;
      ips.set(ip, (ips.get(ip) ?? 0) + 1);
      while (list[hi].finding.record.time - list[lo].finding.record.time > o.bruteForceWindowMs) {
        const lip = list[lo].finding.record.ip as string;
        const n = (ips.get(lip) ?? 1) - 1;
        if (n === 0) ips.delete(lip);
        else ips.set(lip, n);
        lo++;
      }
      if (ips.size >= o.bruteForceIps) {
        const evidence = EVIDENCE_TEXT[o.lang ?? 'en'].spraying(ips.size, user, Math.round(o.bruteForceWindowMs / 1000));
        for (let i = Math.max(lo, marked + 1); i <= hi; i++) if (!hits.has(list[i])) hits.set(list[i], { cause: 'brute_force', strength: 0.95, evidence, overrides: GUESSING });
        marked = hi;
      }
    }
  }
}

/**
 * A Basic or Digest challenge answered to a request that carried credentials:
 * they were refused. (Negotiate and NTLM carry credentials in their middle legs.)
 */
function sentAndRefused(p: Pending): boolean {
  const r = p.finding.record;
  return r.authorizationPresent === true && r.wwwAuthenticate !== undefined && /^\s*(Basic|Digest)\b/i.test(r.wwwAuthenticate);
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
  const T = EVIDENCE_TEXT[o.lang ?? 'en'];
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
    out.push({ cause: 'token_expired', strength: 0.7, evidence: T.refreshed(refresh.refreshPath, Math.round((refresh.time - t) / 1000)), overrides: REFRESHABLE });
  } else if (success && !refresh && !sentAndRefused(p)) {
    out.push({ cause: 'auth_challenge', strength: 0.9, evidence: T.handshake(success.status, r.path, ((success.time - t) / 1000).toFixed(1)), overrides: WEAK });
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
    out.push({ cause: 'session_not_sticky', strength: 0.8, evidence: T.notSticky(beforeUpstream, Math.round((t - before.time) / 1000), upstream), overrides: SESSIONISH, keepRules: STORE_DOWN });
  }
  if (sentAndRefused(p)) {
    out.push({ cause: 'credentials_invalid', strength: 0.75, evidence: T.refused(r.wwwAuthenticate?.split(/\s/)[0]), overrides: WEAK });
  }
  // The edge saw an Authorization header and the upstream says none arrived: either in its own
  // words, or with a bare Bearer challenge from another hop than the one that saw the header
  // (one hop alone sends a bare challenge for bad tokens too).
  const hops = [r, ...p.merged];
  const sawAuthorization = hops.some((h) => h.authorizationPresent === true);
  const upstreamSaysNone = best?.cause === 'credentials_missing'
    && (best.rule !== 'www-bearer-bare' || hops.some((h) => h.authorizationPresent !== true && h.wwwAuthenticate !== undefined && BARE_BEARER.test(h.wwwAuthenticate)));
  if (sawAuthorization && upstreamSaysNone) {
    out.push({ cause: 'auth_header_stripped', strength: 0.93, evidence: T.stripped, overrides: STRIPPABLE });
  }
  return out;
}
