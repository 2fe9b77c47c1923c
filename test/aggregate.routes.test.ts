import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTE_RULES, routeOf } from '../src/aggregate/routes.js';

/** The rules applied the plain way: split, test every segment, join. */
function reference(path: string): string {
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    if (segments[i] === '') continue;
    const rule = ROUTE_RULES.find((r) => r.test.test(segments[i]));
    if (rule) segments[i] = rule.placeholder;
  }
  return segments.join('/');
}

const pieces = ['/', '/', '/', 'a', 'Z', '0', '7', '9', '@', '.', '-', '_', 'eyJ', 'eyJhbGciOiJIUzI1NiJ9', '.e30.', 'x.com', 'users', 'deadbeef', '0123456789abcdef', '123e4567-e89b-12d3-a456-426614174000', 'abc123XYZ789def456GHI', '~', '=', '+', '%20', 'é', '٣'];

describe('routeOf', () => {
  it('agrees with applying ROUTE_RULES to every segment', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
      const path = parts.join('');
      expect(routeOf(path)).toBe(reference(path));
    }), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (path) => {
      expect(routeOf(path)).toBe(reference(path));
    }), { numRuns: 2000 });
  });

  it('groups ids, uuids, hex, emails, tokens and JWTs', () => {
    const cases: [string, string][] = [
      ['/api/v1/users/1711', '/api/v1/users/:id'],
      ['/u/123e4567-e89b-12d3-a456-426614174000/x', '/u/:uuid/x'],
      ['/k/0123456789ABCDEF01', '/k/:hex'],
      ['/m/bob@example.org', '/m/:email'],
      ['/t/abc123XYZ789def456GHI', '/t/:token'],
      ['/j/eyJhbGciOiJIUzI1NiJ9.e30.x', '/j/:token'], ['/j/eyJabc.def.ghi', '/j/:jwt'],
      ['/j/eyJa.b', '/j/:jwt'],
      ['/catalog/sakura-1b2x/item', '/catalog/sakura-1b2x/item'],
      ['', ''],
      ['//', '//'],
      ['/a/1/', '/a/:id/'],
    ];
    for (const [p, r] of cases) {
      expect(routeOf(p)).toBe(r);
      expect(routeOf(p)).toBe(r);
    }
  });
});
