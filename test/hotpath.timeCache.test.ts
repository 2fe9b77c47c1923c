import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClfTime, TimeCache } from '../src/formats/timestamps.js';
import { makeZone } from '../src/formats/zone.js';

/**
 * TimeCache.getRange compares the time text with the last one code by code
 * instead of cutting it out of the line: it must answer as parsing the cut
 * text would, whatever came before (same text, same length but another
 * second, other lengths, non-ASCII text, a text longer than its buffer).
 */
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const ZONE = makeZone('Asia/Tokyo');

const timeText = fc.oneof(
  fc.constantFrom('12/Mar/2026:10:00:01 +0900', '12/Mar/2026:10:00:02 +0900', '12/Mar/2026:10:00:01 +0000', '13/Mar/2026:10:00:01 +0900'),
  fc.constantFrom('12/Mär/2026:10:00:01 +0900', '12/Mar/2026:10:00:01', '12/Mar/2026:10:00:01.5 +0900', '-', '', 'x'.repeat(40)),
  fc.string({ unit: fc.constantFrom('1', '2', '/', ':', ' ', '+', 'M', 'a', 'r', '0', 'é', '😀'), maxLength: 30 }),
);

describe('TimeCache.getRange', () => {
  it('answers as parsing the cut text, over any sequence of texts', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.string({ maxLength: 5 }), timeText, fc.string({ maxLength: 5 })), { minLength: 1, maxLength: 20 }), (parts) => {
      const cache = new TimeCache((s) => parseClfTime(s, ZONE));
      for (const [before, time, after] of parts) {
        const line = before + time + after;
        const got = cache.getRange(line, before.length, before.length + time.length);
        expect(Object.is(got, parseClfTime(time, ZONE)), JSON.stringify(time)).toBe(true);
      }
    }), { numRuns: 1000 * SCALE });
  });

  it('parses a repeated text once, and a text that differs in its last code again', () => {
    let calls = 0;
    const cache = new TimeCache((s) => { calls++; return s.length + s.charCodeAt(s.length - 1); });
    const a = '[12/Mar/2026:10:00:01 +0900]';
    expect(cache.getRange(a, 1, a.length - 1)).toBe(26 + 48);
    expect(cache.getRange(`x${a}`, 2, a.length)).toBe(26 + 48);
    expect(calls).toBe(1);
    const b = '[12/Mar/2026:10:00:01 +0901]';
    expect(cache.getRange(b, 1, b.length - 1)).toBe(26 + 49);
    expect(calls).toBe(2);
    expect(cache.get('12/Mar/2026:10:00:01 +0901')).toBe(26 + 49);
    expect(calls).toBe(2);
  });
});
