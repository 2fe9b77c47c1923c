import { loadRulesFile } from '../classify/loadRules.js';
import { BUILTIN_RULES } from '../classify/rules.js';
import { RuleSet } from '../classify/ruleSet.js';
import { Analysis } from '../pipeline/analysis.js';
import type { AnalyzeOptions } from './options.js';
import { UsageError } from './usageError.js';

/** The analysis of a run, built the same way for analyze and explain. */

/** Heavy-hitter counters per table: exact up to this many distinct keys. */
export const GROUP_CAPACITY = 20000;

export function buildRules(opts: Readonly<AnalyzeOptions>): RuleSet {
  try {
    // User rules come first: on equal strength the earlier row wins.
    const extra = opts.rulesFile ? loadRulesFile(opts.rulesFile) : [];
    return new RuleSet([...extra, ...BUILTIN_RULES], opts.lang);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function newAnalysis(opts: Readonly<AnalyzeOptions>, rules: RuleSet): Analysis {
  return new Analysis({
    status: opts.status, since: opts.since, until: opts.until, groups: opts.groups, causeTable: opts.causeTable, top: opts.top,
    capacity: GROUP_CAPACITY, dimensions: { rawPaths: opts.rawPaths, zone: opts.zone }, rules, windowMs: opts.windowMs,
    patterns: {
      bruteForceCount: opts.bruteForceCount, bruteForceUsers: opts.bruteForceUsers, bruteForceIps: opts.bruteForceIps, bruteForceWindowMs: opts.bruteForceWindowMs,
      challengeWindowMs: 5000, refreshWindowMs: 60000, stickyWindowMs: 30 * 60000, lang: opts.lang,
    },
  });
}
