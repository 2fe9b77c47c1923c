import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpaceSaving } from '../src/aggregate/spaceSaving.js';

function naiveCounts(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

describe('SpaceSaving', () => {
  it('is exact while the distinct keys fit', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'constructor'), { maxLength: 300 }), (keys) => {
      const s = new SpaceSaving(10);
      for (const k of keys) s.add(k);
      const naive = naiveCounts(keys);
      expect(s.exact).toBe(true);
      expect(new Map(s.top(100).map((h) => [h.key, h.count]))).toEqual(naive);
    }));
  });

  it('bounds every count when keys overflow: count - error <= true <= count, and totals are kept', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 60 }).map(String), { minLength: 1, maxLength: 500 }), fc.integer({ min: 1, max: 20 }), (keys, cap) => {
      const s = new SpaceSaving(cap);
      for (const k of keys) s.add(k);
      const naive = naiveCounts(keys);
      expect(s.size).toBeLessThanOrEqual(cap);
      expect(s.top(cap).reduce((a, h) => a + h.count, 0)).toBe(keys.length);
      for (const h of s.top(cap)) {
        const truth = naive.get(h.key) ?? 0;
        expect(h.count - h.error).toBeLessThanOrEqual(truth);
        expect(truth).toBeLessThanOrEqual(h.count);
      }
    }));
  });

  it('always keeps a key that holds more than total/capacity', () => {
    const s = new SpaceSaving(5);
    for (let i = 0; i < 1000; i++) s.add(i % 3 === 0 ? 'hot' : `cold${i}`);
    expect(s.exact).toBe(false);
    expect(s.top(1)[0].key).toBe('hot');
  });

  it('merges two summaries into the counts of the concatenated input', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('x', 'y', 'z')), fc.array(fc.constantFrom('x', 'y', 'w')), (a, b) => {
      const s1 = new SpaceSaving(10);
      const s2 = new SpaceSaving(10);
      a.forEach((k) => s1.add(k));
      b.forEach((k) => s2.add(k));
      s1.merge(s2);
      expect(new Map(s1.top(10).map((h) => [h.key, h.count]))).toEqual(naiveCounts([...a, ...b]));
    }));
  });
});
