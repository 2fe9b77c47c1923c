import type { LogRecord } from '../record.js';
import { redactSecrets } from '../output/redact.js';
import type { CauseId } from './causes.js';
import type { Rule, RuleField } from './rules.js';

/**
 * Compiled rule table. Candidates carry the rule's position so that, among
 * equally strong matches, the earlier row wins.
 */
export interface Candidate {
  cause: CauseId;
  strength: number;
  evidence: string;
  rule: string;
  order: number;
}

interface CompiledRule extends Rule {
  re: RegExp;
  order: number;
}

const MAX_EVIDENCE_VALUE = 160;

function shorten(s: string): string {
  const clean = redactSecrets(s).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_EVIDENCE_VALUE ? `${clean.slice(0, MAX_EVIDENCE_VALUE - 1)}…` : clean;
}

export class RuleSet {
  private readonly messageRules: CompiledRule[];
  private readonly responseRules: CompiledRule[];

  constructor(rules: readonly Rule[]) {
    const compiled = rules.map((r, order) => ({ ...r, re: new RegExp(typeof r.match === 'string' ? r.match : r.match.join('|'), 'i'), order }));
    this.messageRules = compiled.filter((r) => r.field === 'message');
    this.responseRules = compiled.filter((r) => r.field !== 'message');
  }

  /** Rules over an app or error line's text; `origin` says where it came from. */
  messageCandidates(message: string, origin: string, weight = 1): Candidate[] {
    const out: Candidate[] = [];
    // Flags such as Envoy's "Jwt_is_expired" read like the sentences the rules know.
    const text = message.includes('_') ? `${message} | ${message.replace(/_+/g, ' ')}` : message;
    // The same evidence for every rule that matches: redacted and shortened once.
    let evidence: string | undefined;
    for (const r of this.messageRules) {
      if (r.re.test(text)) {
        evidence ??= `${origin}: "${shorten(message)}"`;
        out.push({ cause: r.cause, strength: r.strength * weight, evidence, rule: r.id, order: r.order });
      }
    }
    return out;
  }

  /** Rules over the response's own fields. */
  responseCandidates(rec: LogRecord): Candidate[] {
    const out: Candidate[] = [];
    for (const r of this.responseRules) {
      const value = fieldOf(rec, r.field);
      if (value === undefined) continue;
      const m = r.re.exec(value);
      if (m) out.push({ cause: r.cause, strength: r.strength, evidence: r.evidence.replace('{value}', shorten(value)), rule: r.id, order: r.order });
    }
    return out;
  }
}

function fieldOf(rec: LogRecord, field: RuleField): string | undefined {
  switch (field) {
    case 'upstreamStatus': return rec.upstreamStatus;
    case 'message': return rec.message;
    default: return rec[field];
  }
}

/** Strongest candidate; on a tie the earlier rule. */
export function strongest(cands: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of cands) {
    if (!best || c.strength > best.strength || (c.strength === best.strength && c.order < best.order)) best = c;
  }
  return best;
}
