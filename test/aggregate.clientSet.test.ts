import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CauseTable } from '../src/aggregate/causeTable.js';
import { ClientSet } from '../src/aggregate/clientSet.js';
import type { Finding } from '../src/aggregate/finding.js';

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('00', '01', '256', '999', ''));
const address = fc.oneof(
  fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
  fc.constantFrom('0.0.0.0', '255.255.255.255', '255.255.255.254', '::1', '2001:db8::1', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', 'unknown', '-'),
);

describe('ClientSet', () => {
  it('counts exactly the distinct strings, as a Set would', () => {
    fc.assert(fc.property(fc.array(address, { maxLength: 400 }), (ips) => {
      const s = new ClientSet();
      for (const ip of ips) s.add(ip);
      expect(s.size).toBe(new Set(ips).size);
    }), { numRuns: 500 });
  });

  it('stays exact through table growth', () => {
    const s = new ClientSet();
    const ref = new Set<string>();
    for (let i = 0; i < 60000; i++) {
      const v = (Math.imul(i, 2654435761) >>> 0) % 50000 * 7919 >>> 0;
      const ip = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
      s.add(ip);
      ref.add(ip);
    }
    expect(s.size).toBe(ref.size);
  });
});

describe('CauseTable', () => {
  it('counts distinct clients per cause', () => {
    const t = new CauseTable(false);
    const f = (cause: string, ip?: string, path?: string): Finding => ({ record: { ip, path } as Finding['record'], cause, confidence: 1, evidence: [], correlated: [] });
    for (const [c, ip, p] of [['a', '10.0.0.1', '/u/1'], ['a', '10.0.0.1', '/u/2'], ['a', '10.0.0.2', '/x'], ['b', '::1', undefined], ['a', undefined, '/x']] as const) t.add(f(c, ip, p));
    const rows = t.result(5);
    expect(rows.map((r) => [r.cause, r.count, r.clients, r.clientsCapped])).toEqual([['a', 4, 2, false], ['b', 1, 1, false]]);
    expect(rows[0].topPaths).toEqual([{ path: '/u/:id', count: 2 }, { path: '/x', count: 2 }]);
  });
});
