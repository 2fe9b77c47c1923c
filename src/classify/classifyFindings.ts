import type { Seen } from '../correlate/clientTracker.js';
import type { Pending } from '../correlate/pending.js';
import { bruteForceHits, sequenceHits, type PatternHit, type PatternOptions } from './patterns.js';
import { EVIDENCE_TEXT } from './evidenceText.js';
import { strongest, type Candidate, type RuleSet } from './ruleSet.js';

/**
 * Gives every pending finding exactly one cause, a confidence and its
 * evidence. Rules first (the response's fields, then joined lines), then
 * sequence patterns, each allowed to replace only weaker conclusions.
 * Lines joined by time rather than request id count a little less.
 */
const TIME_JOIN_WEIGHT = 0.95;
const MAX_EVIDENCE = 4;

/** Each client's successes around a finding at time t, in time order (ClientTracker, StreamTracker). */
export interface Timelines {
  timeline(ip: string | undefined, t: number): readonly Seen[];
}

/**
 * `context`: the findings the brute-force windows are read over, when only
 * some are classified now (streaming); it must hold `findings` and every
 * finding within the brute-force window of them, in the order they were read.
 */
export function classifyFindings(findings: readonly Pending[], rules: RuleSet, o: PatternOptions, tracker: Timelines, context?: readonly Pending[]): void {
  const brute = context === undefined ? bruteForceHits(findings, o) : bruteForceHits(context, o, findings);
  for (const p of findings) {
    const cands: Candidate[] = rules.responseCandidates(p.finding.record);
    for (const m of p.merged) {
      cands.push(...rules.responseCandidates(m));
      if (m.message) cands.push(...rules.messageCandidates(m.message, m.input + ':' + m.line));
    }
    if (p.finding.record.message) cands.push(...rules.messageCandidates(p.finding.record.message, EVIDENCE_TEXT[o.lang ?? 'en'].thisLine));
    for (const j of p.joined) {
      const w = j.byId ? 1 : TIME_JOIN_WEIGHT;
      for (const c of j.line.candidates) cands.push({ ...c, strength: c.strength * w });
    }
    let best = strongest(cands);
    let chosen: { cause: string; rule: string; strength: number; evidence: string[] } | undefined =
      best && { cause: best.cause, rule: best.rule, strength: best.strength, evidence: supporting(cands, best) };

    const hits: PatternHit[] = sequenceHits(p, o, best, tracker.timeline(p.finding.record.ip, p.finding.record.time));
    const b = brute.get(p);
    if (b) hits.push(b);
    for (const h of hits.sort((x, y) => y.strength - x.strength)) {
      const current = chosen?.cause ?? 'none';
      if (h.overrides.has(current as never) && !(chosen && h.keepRules?.has(chosen.rule))) {
        chosen = { cause: h.cause, rule: `pattern:${h.cause}`, strength: Math.max(h.strength, chosen?.strength ?? 0), evidence: [h.evidence, ...(chosen?.evidence ?? [])] };
        best = undefined;
        break;
      }
    }
    const f = p.finding;
    if (chosen) {
      f.cause = chosen.cause;
      f.confidence = Math.min(1, chosen.strength);
      f.evidence = chosen.evidence.slice(0, MAX_EVIDENCE);
    } else {
      f.cause = 'unknown';
      f.confidence = 0;
      f.evidence = [];
    }
  }
}

/** The winning candidate's evidence first, then other candidates agreeing on the same cause. */
function supporting(cands: readonly Candidate[], best: Candidate): string[] {
  const out = [best.evidence];
  for (const c of cands) if (c !== best && c.cause === best.cause && !out.includes(c.evidence)) out.push(c.evidence);
  return out;
}
