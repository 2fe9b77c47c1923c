import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpaceSaving } from '../src/aggregate/spaceSaving.js';

/** Space-Saving's guarantees, checked against true counts after any sequence of weighted adds. */
function checkBounds(s: SpaceSaving, truth: Map<string, number>, total: number, cap: number): void {
  const all = s.top(cap + 1);
  expect(all.length).toBe(Math.min(cap, truth.size));
  expect(all.reduce((a, h) => a + h.count, 0)).toBe(total);
  const min = all.length === cap ? all[all.length - 1].count : 0;
  expect(min).toBeLessThanOrEqual(total / cap);
  const kept = new Set(all.map((h) => h.key));
  for (const h of all) {
    const t = truth.get(h.key) ?? 0;
    expect(h.count - h.error).toBeLessThanOrEqual(t);
    expect(t).toBeLessThanOrEqual(h.count);
    expect(h.error).toBeLessThanOrEqual(min);
  }
  // A key above the smallest counter is always kept.
  for (const [k, t] of truth) if (t > min) expect(kept.has(k)).toBe(true);
  if (truth.size <= cap) {
    expect(s.exact).toBe(true);
    for (const h of all) expect(h.count).toBe(truth.get(h.key));
  }
}

describe('SpaceSaving (stream summary)', () => {
  it('keeps the Space-Saving bounds under weighted adds and churn', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 4 })), { maxLength: 800 }),
      fc.integer({ min: 1, max: 40 }),
      (adds, cap) => {
        const s = new SpaceSaving(cap);
        const truth = new Map<string, number>();
        let total = 0;
        for (const [k, w] of adds) {
          const key = `/k/${k}/${'x'.repeat(k % 20)}`;
          s.add(key, w);
          truth.set(key, (truth.get(key) ?? 0) + w);
          total += w;
        }
        checkBounds(s, truth, total, cap);
      },
    ), { numRuns: 400 });
  });

  it('stays correct over a long high-cardinality stream (table growth and deletion)', () => {
    const cap = 2000;
    const s = new SpaceSaving(cap);
    const truth = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 200000; i++) {
      const k = i % 7 === 0 ? `hot${i % 5}` : `/catalog/item-${(Math.imul(i, 2654435761) >>> 0) % 30000}`;
      s.add(k);
      truth.set(k, (truth.get(k) ?? 0) + 1);
      total++;
    }
    checkBounds(s, truth, total, cap);
    expect(s.top(5).map((h) => h.key).sort()).toEqual(['hot0', 'hot1', 'hot2', 'hot3', 'hot4']);
  });

  it('does not keep the string a key was cut from', () => {
    const line = `GET ${'/a'.repeat(20)} HTTP/1.1 ${'z'.repeat(200)}`;
    const s = new SpaceSaving(4);
    s.add(line.slice(4, 44));
    expect(s.top(1)[0]).toEqual({ key: '/a'.repeat(20), count: 1, error: 0 });
  });
});
