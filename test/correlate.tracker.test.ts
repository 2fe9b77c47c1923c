import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientKey } from '../src/clientKey.js';
import { ClientMap, ClientTracker, pathKey, REFRESH_PATH, type Seen } from '../src/correlate/clientTracker.js';
import type { LineParser, PeekFact } from '../src/formats/parser.js';

/**
 * The ClientTracker keeps what the sequence patterns read through timeline().
 * Its hot path was made cheaper (numeric keys for IPv4 clients, one map lookup
 * a line, path keys computed in place); these tests hold it to the plain
 * implementation it replaced, operation for operation, generation flips included.
 */
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);

// ---------------------------------------------------------------- the reference: the tracker as first written

// Successes kept after each finding (MAX_FOLLOW in src/correlate/clientTracker.ts).
const MAX_FOLLOW = 8;

function detach(s: string | undefined): string | undefined {
  return s === undefined ? undefined : (' ' + s).slice(1);
}

/** The last 3 successes, in slots written 0, 1, 2, 0 ... and listed by slot. */
class RefRing {
  slots: (Seen | undefined)[] = [undefined, undefined, undefined];
  n = 0;
  put(e: Seen): void {
    this.slots[this.n % 3] = e;
    this.n++;
  }
  entries(): Seen[] {
    return this.slots.filter((x): x is Seen => x !== undefined);
  }
}

interface RefWatched { ring: RefRing; lastFinding: number; follow: Seen[]; followed: number; sorted?: Seen[] }

class ReferenceTracker {
  private current = new Map<string, RefRing>();
  private previous = new Map<string, RefRing>();
  private readonly watched = new Map<string, RefWatched>();
  constructor(private readonly followMs: number, private readonly maxClients: number) {}

  observe(ip: string | undefined, time: number, status: number, parser: LineParser): void {
    if (ip === undefined || status >= 400 || Number.isNaN(time)) return;
    const path = parser.peek('path');
    const key = pathKey(path);
    const refreshPath = path !== undefined && REFRESH_PATH.test(path) ? detach(path) : undefined;
    const upstreamRaw = parser.peek('upstreamAddr');
    const upstream = upstreamRaw === undefined ? undefined : detach(upstreamRaw);
    const seen = (): Seen => ({ time, status, pathKey: key, refreshPath, upstreamAddr: upstream });
    const w = this.watched.size > 0 ? this.watched.get(ip) : undefined;
    if (w !== undefined) {
      w.ring.put(seen());
      const since = time - w.lastFinding;
      if (since >= 0 && since <= this.followMs && w.followed < MAX_FOLLOW) {
        w.follow.push(seen());
        w.followed++;
      }
      return;
    }
    let ring = this.current.get(ip);
    if (ring === undefined) {
      ring = this.previous.get(ip) ?? new RefRing();
      if (this.current.size >= this.maxClients / 2) {
        this.previous = this.current;
        this.current = new Map();
      }
      this.current.set(ip, ring);
    }
    ring.put(seen());
  }

  watch(ip: string | undefined, time: number): void {
    if (ip === undefined) return;
    const w = this.watched.get(ip);
    if (w !== undefined) {
      w.lastFinding = time;
      w.followed = 0;
      return;
    }
    const ring = this.current.get(ip) ?? this.previous.get(ip) ?? new RefRing();
    this.watched.set(ip, { ring, lastFinding: time, follow: [], followed: 0 });
  }

  timeline(ip: string | undefined): readonly Seen[] {
    const w = ip === undefined ? undefined : this.watched.get(ip);
    if (w === undefined) return [];
    if (w.sorted === undefined) {
      const all = [...w.follow];
      for (const e of w.ring.entries()) if (!all.some((a) => a.time === e.time && a.pathKey === e.pathKey && a.status === e.status)) all.push(e);
      w.sorted = all.sort((a, b) => a.time - b.time);
    }
    return w.sorted;
  }
}

// ---------------------------------------------------------------- a parser that offers a fixed path and upstream

class FakeParser implements LineParser {
  readonly format = 'fake';
  readonly kind = 'access' as const;
  path: string | undefined;
  upstream: string | undefined;
  scan(): boolean { return true; }
  status(): number { return 200; }
  time(): number { return 0; }
  record(): never { throw new Error('not used'); }
  peek(fact: PeekFact): string | undefined {
    return fact === 'path' ? this.path : fact === 'upstreamAddr' ? this.upstream : undefined;
  }
}

/** The same, with the in-place path key the layout parser offers. */
class FastFakeParser extends FakeParser {
  peekPathKey(): number { return pathKey(this.path); }
  pathMayBeRefresh(): boolean { return this.path !== undefined && /[kfw]/i.test(this.path); }
}

// ---------------------------------------------------------------- operations

const IPS = [
  '1.2.3.4', '01.2.3.4', '1.2.3.04', '10.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5',
  '2001:db8::1', '::1', 'unknown', '', '203.0.113.7', '203.0.113.70', '1..2.3', '.1.2.3', '1.2.3.', '128.0.0.1', '192.168.1.1 ',
];
const PATHS = [undefined, '/a', '/b', '/oauth/token', '/api/v1/auth/refresh', '/Renew', '/fonts/x.woff', '/token/refresh', '/x/TOKEN', '/tokens', ''];
const UPSTREAMS = [undefined, '10.0.0.1:80', '10.0.0.2:80, 10.0.0.3:80'];

/** `time`: a step from the previous operation's time (logs mostly move forward), or NaN for no time. */
type Op =
  | { op: 'observe'; ip: number; time: number; status: number; path: number; upstream: number }
  | { op: 'watch'; ip: number; time: number };

const stepArb = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 2, arbitrary: fc.integer({ min: -60, max: 60 }) }, { weight: 1, arbitrary: fc.constant(NaN) });
/** A few busy clients and the rest of the pool. */
const ipArb = fc.oneof({ weight: 3, arbitrary: fc.nat(3) }, { weight: 2, arbitrary: fc.nat(IPS.length) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    op: fc.constant('observe' as const), ip: ipArb, time: stepArb,
    status: fc.constantFrom(200, 200, 200, 204, 302, 304, 399, 400, 401, 500, NaN), path: fc.nat(PATHS.length - 1), upstream: fc.nat(UPSTREAMS.length - 1),
  }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('watch' as const), ip: ipArb, time: stepArb }) },
);

/** Index IPS.length stands for "no address". */
const ipOf = (i: number) => (i === IPS.length ? undefined : IPS[i]);

function replay(ops: Op[], maxClients: number, fast: boolean): { ref: ReferenceTracker; real: ClientTracker } {
  const ref = new ReferenceTracker(30, maxClients);
  const real = new ClientTracker(30, maxClients);
  const p = fast ? new FastFakeParser() : new FakeParser();
  let clock = 1000;
  for (const step of ops) {
    const t = Number.isNaN(step.time) ? NaN : (clock += step.time);
    const o = { ...step, time: step.op === 'watch' && Number.isNaN(t) ? clock : t };
    if (o.op === 'observe') {
      p.path = PATHS[o.path];
      p.upstream = UPSTREAMS[o.upstream];
      ref.observe(ipOf(o.ip), o.time, o.status, p);
      real.observe(keyOf(ipOf(o.ip)), o.time, o.status, p);
    } else {
      ref.watch(ipOf(o.ip), o.time);
      real.watch(keyOf(ipOf(o.ip)), o.time);
    }
  }
  return { ref, real };
}

/** The trackers take the client's key (as the analysis gives it), the reference takes the address. */
const keyOf = (ip: string | undefined) => (ip === undefined ? undefined : clientKey(ip));

describe('ClientTracker', () => {
  it('gives the same timelines as the plain implementation, through generation flips', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300, size: 'max' }), fc.integer({ min: 2, max: 12 }), fc.boolean(), (ops, maxClients, fast) => {
        const { ref, real } = replay(ops, maxClients, fast);
        for (let i = 0; i <= IPS.length; i++) {
          expect(real.timeline(ipOf(i)), `timeline of ${ipOf(i)}`).toEqual(ref.timeline(ipOf(i)));
        }
      }),
      { numRuns: 400 * SCALE },
    );
  });

  it('agrees with thousands of IPv4 clients (tables that grow, collide and shift on delete)', () => {
    const pool = fc.sample(fc.tuple(fc.nat(3), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`), { numRuns: 3000, seed: 7 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(pool.length - 1), fc.nat(9), fc.nat(PATHS.length - 1)), { minLength: 2000, maxLength: 6000 }), fc.integer({ min: 200, max: 3000 }), (steps, maxClients) => {
        const ref = new ReferenceTracker(30, maxClients);
        const real = new ClientTracker(30, maxClients);
        const p = new FastFakeParser();
        let t = 0;
        for (const [ip, what, path] of steps) {
          t += what & 1;
          p.path = PATHS[path];
          if (what === 0) {
            ref.watch(pool[ip], t);
            real.watch(clientKey(pool[ip]), t);
          } else {
            const status = what === 9 ? 401 : 200;
            ref.observe(pool[ip], t, status, p);
            real.observe(clientKey(pool[ip]), t, status, p);
          }
        }
        for (const ip of pool) expect(real.timeline(ip)).toEqual(ref.timeline(ip));
      }),
      // Shrinking thousands of steps takes minutes: report the first failure as found.
      { numRuns: 15 * SCALE, endOnFailure: true },
    );
  });

  it('keeps a watched client whose ring was evicted', () => {
    const ops: Op[] = [
      { op: 'observe', ip: 0, time: 1, status: 200, path: 1, upstream: 0 },
      { op: 'watch', ip: 0, time: 1 },
      ...[3, 4, 5, 6, 7, 8].map((ip) => ({ op: 'observe' as const, ip, time: 1, status: 200, path: 2, upstream: 0 })),
      { op: 'observe', ip: 0, time: 1, status: 200, path: 3, upstream: 1 },
    ];
    const { ref, real } = replay(ops, 4, true);
    expect(real.timeline('1.2.3.4')).toEqual(ref.timeline('1.2.3.4'));
    expect(real.timeline('1.2.3.4').map((s) => s.time)).toEqual([1001, 1009]);
    expect(real.timeline('1.2.3.4')[1].refreshPath).toBe('/oauth/token');
  });
});

describe('ClientMap', () => {
  it('behaves as a Map through growth, collisions and deletes in the middle of runs', () => {
    const keyArb = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom('a', 'b', '::1', ''));
    fc.assert(
      fc.property(fc.array(keyArb, { minLength: 50, maxLength: 3000, size: 'max' }), fc.array(fc.tuple(fc.nat(), fc.nat(3)), { minLength: 500, maxLength: 6000, size: 'max' }), (keys, ops) => {
        const want = new Map<number | string, number>();
        const got = new ClientMap();
        let next = 0;
        for (const [k, op] of ops) {
          const key = keys[k % keys.length];
          if (op === 0 || op === 1) {
            if (!want.has(key)) {
              want.set(key, next);
              got.add(key, next);
              next++;
            }
          } else if (op === 2) {
            want.delete(key);
            got.delete(key);
          }
          expect(got.get(key)).toBe(want.get(key) ?? -1);
          expect(got.size).toBe(want.size);
        }
        for (const key of keys) expect(got.get(key)).toBe(want.get(key) ?? -1);
        const ids: number[] = [];
        got.forEachId((id) => ids.push(id));
        expect(ids.sort((a, b) => a - b)).toEqual([...want.values()].sort((a, b) => a - b));
      }),
      { numRuns: 20 * SCALE, endOnFailure: true },
    );
  });
});

describe('clientKey', () => {
  it('is a number exactly for canonical dotted quads, and one-to-one', () => {
    expect(clientKey('1.2.3.4')).toBe(0x01020304);
    expect(clientKey('0.0.0.0')).toBe(0);
    expect(clientKey('255.255.255.255')).toBe(-1);
    expect(clientKey('128.0.0.1')).toBe(0x80000001 | 0);
    for (const s of ['01.2.3.4', '1.2.3.04', '00.0.0.0', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4 ', '::1', '', '1.2.3.4a', '1e3.0.0.0', '١.2.3.4']) {
      expect(clientKey(s), s).toBe(s);
    }
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), (q) => {
        const s = q.join('.');
        const k = clientKey(s);
        expect(typeof k).toBe('number');
        const u = (k as number) >>> 0;
        expect([u >>> 24, (u >>> 16) & 255, (u >>> 8) & 255, u & 255].join('.')).toBe(s);
      }),
      { numRuns: 500 * SCALE },
    );
  });
});
