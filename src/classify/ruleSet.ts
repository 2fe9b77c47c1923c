import type { LogRecord } from '../record.js';
import { detach } from '../detach.js';
import { redactSecrets } from '../output/redact.js';
import type { CauseId } from './causes.js';
import type { Lang } from '../i18n/labels.js';
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
  /** In the run's language. */
  evidence: string;
  re: RegExp;
  order: number;
}

const MAX_EVIDENCE_VALUE = 160;
/**
 * Message rules are ~15 large alternations, tested on every warning and error
 * line: an app repeats the same few messages, so each message's matches are
 * remembered. Bounded: messages up to MEMO_MAX_CHARS, MEMO_MAX_ENTRIES of them,
 * forgotten all at once when full (a log of unique messages pays one lookup).
 */
const MEMO_MAX_ENTRIES = 1024;
const MEMO_MAX_CHARS = 4096;

interface MessageMatch {
  rules: CompiledRule[];
  /** The message redacted and shortened for evidence, when a rule matched. */
  shown: string;
}

function shorten(s: string): string {
  const clean = redactSecrets(s).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_EVIDENCE_VALUE ? `${clean.slice(0, MAX_EVIDENCE_VALUE - 1)}…` : clean;
}

export class RuleSet {
  private readonly messageRules: CompiledRule[];
  private readonly responseRules: CompiledRule[];
  private readonly memo = new Map<string, MessageMatch>();

  constructor(rules: readonly Rule[], lang: Lang = 'en') {
    const compiled = rules.map((r, order) => ({
      ...r, evidence: typeof r.evidence === 'string' ? r.evidence : r.evidence[lang], re: new RegExp(typeof r.match === 'string' ? r.match : r.match.join('|'), 'i'), order,
    }));
    this.messageRules = compiled.filter((r) => r.field === 'message');
    this.responseRules = compiled.filter((r) => r.field !== 'message');
  }

  /** Rules over an app or error line's text; `origin` says where it came from. */
  messageCandidates(message: string, origin: string, weight = 1): Candidate[] {
    // A message too long to be remembered is not looked up either (the lookup would hash all of it).
    const rememberable = message.length <= MEMO_MAX_CHARS;
    let match = rememberable ? this.memo.get(message) : undefined;
    if (match === undefined) {
      match = this.matchMessage(message);
      if (rememberable) {
        if (this.memo.size >= MEMO_MAX_ENTRIES) this.memo.clear();
        // Copied: a message cut from a log line would keep the whole line alive while remembered.
        this.memo.set(detach(message), { rules: match.rules, shown: detach(match.shown) });
      }
    }
    if (match.rules.length === 0) return [];
    // The same evidence for every rule that matches.
    const evidence = `${origin}: "${match.shown}"`;
    return match.rules.map((r) => ({ cause: r.cause, strength: r.strength * weight, evidence, rule: r.id, order: r.order }));
  }

  private matchMessage(message: string): MessageMatch {
    // Flags such as Envoy's "Jwt_is_expired" read like the sentences the rules know.
    const text = message.includes('_') ? `${message} | ${message.replace(/_+/g, ' ')}` : message;
    const rules = this.messageRules.filter((r) => r.re.test(text));
    return { rules, shown: rules.length > 0 ? shorten(message) : '' };
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
