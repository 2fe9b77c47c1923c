import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientKey } from '../src/clientKey.js';
import { ip4Number } from '../src/parallel/lineEvents.js';

/** Client addresses travel from workers as numbers only when the number gives back the very same text. */
const dotted = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const TEXT = 0xffffffff;

describe('ip4Number', () => {
  it('round-trips every canonical dotted quad but the marker', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xfffffffe }), (n) => {
      expect(ip4Number(dotted(n))).toBe(n);
    }));
  });

  it('gives the number whose signed 32-bit value is the client key (the replayed line\'s peekClientKey)', () => {
    const ipArb = fc.oneof(
      fc.integer({ min: 0, max: 0xffffffff }).map(dotted),
      fc.array(fc.constantFrom('0', '1', '01', '255', '256', '9', '10', '.', ':', 'a'), { maxLength: 9 }).map((p) => p.join('')),
    );
    fc.assert(fc.property(ipArb, (ip) => {
      const n = ip4Number(ip);
      if (n !== TEXT) expect(n | 0).toBe(clientKey(ip));
      else if (ip !== '255.255.255.255') expect(clientKey(ip)).toBe(ip);
    }), { numRuns: 2000 });
  });

  it.each(['010.0.0.1', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', '::1', '2001:db8::1', '', '1.2.3.4 ', '1234.1.1.1', 'unknown', '255.255.255.255'])(
    '%j travels as text', (ip) => {
      expect(ip4Number(ip)).toBe(TEXT);
    },
  );
});
