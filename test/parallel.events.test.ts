import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientKey } from '../src/clientKey.js';
import { buildRegistry } from '../src/formats/registry.js';
import { UTC_ZONE } from '../src/formats/zone.js';
import { EventEncoder, ReplayParser } from '../src/parallel/lineEvents.js';

/**
 * A client address crosses from the reader to the analysis (worker ranges, merged inputs) as a
 * number when it is a canonical dotted quad, else as text: replayed, every line must give the
 * analysis the very address and client key the parser gave.
 */
const dotted = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const combined = buildRegistry({ zone: UTC_ZONE }).all.find((f) => f.name === 'combined');
if (combined === undefined) throw new Error('no combined preset');

const ipArb = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map(dotted),
  fc.constantFrom('255.255.255.255', '0.0.0.0', '010.0.0.1', '1.2.3', '2001:db8::1', '[2001:db8::7]', '10.0.0.1, 10.0.0.2', '-', 'unknown'),
  fc.array(fc.constantFrom('0', '1', '01', '255', '256', '9', '.', ':', 'a'), { minLength: 1, maxLength: 9 }).map((p) => p.join('')),
);

describe('client addresses replayed from line events', () => {
  it('give the address and client key the parser gave', () => {
    fc.assert(fc.property(fc.array(ipArb, { minLength: 1, maxLength: 40 }), (ips) => {
      const parser = combined.create();
      const encoder = new EventEncoder({ status: '401' }, ['combined']);
      const want: [string | undefined, number | string | undefined][] = [];
      ips.forEach((ip, i) => {
        const line = `${ip} - - [12/Mar/2026:10:00:0${i % 10} +0000] "GET /a HTTP/1.1" ${i % 3 === 0 ? 401 : 200} 1 "-" "x"`;
        expect(parser.scan(line), line).toBe(true);
        want.push([parser.peek('ip'), parser.peekClientKey?.()]);
        encoder.accept(parser, 'a.log', i + 1);
      });
      const events = encoder.finish();
      const replay = new ReplayParser([{ name: 'combined', kind: 'access' }]);
      want.forEach(([ip, key], i) => {
        replay.at(events, i, 0);
        expect(replay.peek('ip'), ips[i]).toBe(ip);
        expect(replay.peekClientKey(), ips[i]).toBe(key);
        expect(key).toBe(ip === undefined ? undefined : clientKey(ip));
      });
    }), { numRuns: 300 });
  });
});
