import { describe, expect, it } from 'vitest';
import { bruteForceHits, type PatternOptions } from '../src/classify/patterns.js';
import type { Pending } from '../src/correlate/pending.js';

const opts: PatternOptions = {
  bruteForceCount: 10, bruteForceUsers: 5, bruteForceIps: 5, bruteForceWindowMs: 60000,
  challengeWindowMs: 5000, refreshWindowMs: 60000, stickyWindowMs: 1800000,
};

function pending(ip: string, time: number, user?: string): Pending {
  return {
    finding: { record: { kind: 'access', input: 'a.log', line: 1, time, ip, user, status: 401 }, cause: 'unknown', confidence: 0, evidence: [], correlated: [] },
    fromApp: false, merged: [], joined: [],
  };
}

describe('brute-force detector', () => {
  it('marks every attempt of a long burst, in time linear in its length', () => {
    // 50,000 attempts, 10 a second: a detector that re-marks the window per attempt never finishes.
    const burst = Array.from({ length: 50000 }, (_, i) => pending('198.51.100.66', i * 100, `user${i % 300}`));
    const hits = bruteForceHits(burst, opts);
    expect(hits.size).toBe(50000);
    expect(hits.get(burst[0])?.cause).toBe('brute_force');
  });

  it('leaves a client with a few failures alone', () => {
    const few = Array.from({ length: 4 }, (_, i) => pending('203.0.113.5', i * 1000, 'alice'));
    expect(bruteForceHits(few, opts).size).toBe(0);
  });

  it('sees many clients failing for one user name (spraying)', () => {
    const spray = Array.from({ length: 8 }, (_, i) => pending(`192.0.2.${i + 1}`, i * 2000, 'ceo@example.com'));
    const hits = bruteForceHits(spray, opts);
    expect(hits.size).toBe(8);
    expect(hits.get(spray[7])?.evidence).toContain('8 clients failed for user "ceo@example.com"');
  });

  it('does not call attempts spread over hours a burst', () => {
    const slow = Array.from({ length: 30 }, (_, i) => pending('203.0.113.9', i * 600000));
    expect(bruteForceHits(slow, opts).size).toBe(0);
  });
});
