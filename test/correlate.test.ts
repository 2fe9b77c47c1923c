import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { SCENARIOS } from './scenarios/catalog.js';
import { generateScenario } from './scenarios/generate.js';
import { runEvents, type EventRow } from './scenarios/harness.js';
import { scenarioWorkdir } from './scenarios/workdir.js';

/**
 * Correlation through the CLI: which app and error lines `--events` lists in
 * `correlated` for each 401, by request id, by client + path + time within
 * --window (2 s) across clock offsets, across edge and upstream access logs,
 * and independently of the order the inputs are given in.
 */
const work = scenarioWorkdir('correlate');
afterAll(work.cleanup);

function folder(name: string, files: Record<string, string[]>): string {
  const dir = path.join(work.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, lines] of Object.entries(files)) writeFileSync(path.join(dir, f), `${lines.join('\n')}\n`);
  return dir;
}

function events(dir: string, args: string[]): EventRow[] {
  const r = runCli(['analyze', ...args, '--tz', 'UTC', '--events', '--output', 'ndjson'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as EventRow);
}

function bySource(evs: EventRow[]): Map<string, EventRow> {
  return new Map(evs.map((e) => [e.source, e]));
}

/** Events in a canonical order, with order-free lists sorted: equal for equal analyses. */
function canonical(evs: EventRow[]): string[] {
  return evs.map((e) => JSON.stringify({ ...e, correlated: [...e.correlated].sort() })).sort();
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

/** A pino line as pino-http's child logger writes it (reqId and req bound, err serialized). */
const pino = (o: { t: string; reqId: string | number; ip: string; method?: string; url: string; msg: string; err?: Record<string, unknown>; fields?: Record<string, string> }) =>
  JSON.stringify({
    level: 40, time: Date.parse(o.t), pid: 4121, hostname: 'api-7f9c4b', reqId: o.reqId,
    req: { id: o.reqId, method: o.method ?? 'GET', url: o.url, remoteAddress: o.ip }, ...o.fields, ...(o.err ? { err: o.err } : {}), msg: o.msg,
  });

const UA = 'OrdersApp/3.4.1 (iPhone; iOS 17.3.1; Scale/3.00)';

describe('join by request id', () => {
  const format = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id';
  const A = 'aaaa0000aaaa0000aaaa0000aaaa0001';
  const B = 'bbbb0000bbbb0000bbbb0000bbbb0002';
  // Two 401s from one client, same path, same second: only the ids tell their app lines apart.
  // The app sits behind a proxy and logs the proxy's address, so no time join can help either.
  const dir = folder('by-id', {
    'access.log': [
      `203.0.113.10 - - [12/Mar/2026:10:00:00 +0000] "GET /api/v1/orders HTTP/1.1" 401 61 "-" "${UA}" ${A}`,
      `203.0.113.10 - - [12/Mar/2026:10:00:00 +0000] "GET /api/v1/orders HTTP/1.1" 401 61 "-" "${UA}" ${B}`,
      `203.0.113.11 - - [12/Mar/2026:10:00:01 +0000] "GET /api/v1/me HTTP/1.1" 200 812 "-" "${UA}" cccc0000cccc0000cccc0000cccc0003`,
    ],
    'app.log': [
      pino({ t: '2026-03-12T10:00:00.410Z', reqId: B, ip: '10.0.0.2', url: '/api/v1/orders', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'jwt expired', code: 'invalid_token' } }),
      pino({ t: '2026-03-12T10:00:00.380Z', reqId: A, ip: '10.0.0.2', url: '/api/v1/orders', msg: 'token verification failed', err: { type: 'JsonWebTokenError', message: 'invalid signature' } }),
      // Same client, path and second, but an id no access line has: it belongs to neither.
      pino({ t: '2026-03-12T10:00:00.500Z', reqId: 'dddd0000dddd0000dddd0000dddd0004', ip: '203.0.113.10', url: '/api/v1/orders', msg: 'token verification failed', err: { type: 'JsonWebTokenError', message: 'jwt malformed' } }),
    ],
  });

  it('lists the app line with the same id, and only that one', () => {
    const ev = bySource(events(dir, ['access.log', 'app.log', '--log-format', format]));
    expect(ev.get('access.log:1')?.correlated).toEqual(['app.log:2']);
    expect(ev.get('access.log:2')?.correlated).toEqual(['app.log:1']);
    expect(ev.size).toBe(2);
  });
});

describe('join by client, path and time (no request ids)', () => {
  // nginx stamps whole seconds at the end of the request; the app host's clock is off by up to 0.8 s either way.
  const files = (offsetMs: number) => {
    const at = (iso: string, plus: number) => new Date(Date.parse(iso) + plus + offsetMs).toISOString();
    const app = [
      // written out of order, as several workers share the file
      pino({ t: at('2026-03-12T10:00:01Z', 200), reqId: 58, ip: '198.51.100.7', url: '/api/v1/me', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'jwt expired', code: 'invalid_token' } }),
      pino({ t: at('2026-03-12T10:00:00Z', 100), reqId: 57, ip: '198.51.100.7', method: 'POST', url: '/login', msg: 'login failed', fields: { reason: 'Incorrect password.' } }),
      // the client of access line 4, but 5 s later: outside the window
      pino({ t: at('2026-03-12T10:00:35Z', 0), reqId: 61, ip: '198.51.100.9', url: '/api/v1/me', msg: 'token verification failed', err: { type: 'JsonWebTokenError', message: 'jwt malformed' } }),
      // another client at the same moment on the same path
      pino({ t: at('2026-03-12T10:00:00Z', 400), reqId: 59, ip: '198.51.100.99', method: 'POST', url: '/login', msg: 'login failed', fields: { reason: 'Incorrect username.' } }),
      pino({ t: at('2026-03-12T10:01:00Z', 300), reqId: 77, ip: '198.51.100.10', url: '/api/v1/orders?limit=20', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'The token has been revoked.', code: 'revoked_token' } }),
    ];
    return {
      'access.log': [
        `198.51.100.7 - - [12/Mar/2026:10:00:00 +0000] "POST /login HTTP/1.1" 401 41 "https://www.example.com/login" "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"`,
        `198.51.100.8 - bob [12/Mar/2026:10:00:00 +0000] "GET /admin/ HTTP/1.1" 401 179 "-" "curl/8.5.0"`,
        `198.51.100.7 - - [12/Mar/2026:10:00:01 +0000] "GET /api/v1/me HTTP/1.1" 401 61 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"`,
        `198.51.100.9 - - [12/Mar/2026:10:00:30 +0000] "GET /api/v1/me HTTP/1.1" 401 61 "-" "${UA}"`,
        `198.51.100.10 - - [12/Mar/2026:10:01:00 +0000] "GET /api/v1/orders?limit=20 HTTP/1.1" 401 61 "-" "${UA}"`,
      ],
      'app.log': app,
      'error.log': [
        '2026/03/12 10:00:00 [error] 12#12: *5 user "bob": password mismatch, client: 198.51.100.8, server: intranet.example.com, request: "GET /admin/ HTTP/1.1", host: "intranet.example.com"',
      ],
    };
  };
  const expected = {
    'access.log:1': ['app.log:2'],
    'access.log:2': ['error.log:1'],
    'access.log:3': ['app.log:1'],
    'access.log:4': [],
    'access.log:5': ['app.log:5'],
  };

  for (const offset of [800, -800]) {
    it(`joins the nearest line of the same client and path, app clock ${offset > 0 ? '+' : ''}${offset} ms, inputs app-first`, () => {
      const dir = folder(`window${offset}`, files(offset));
      const ev = events(dir, ['app.log', 'error.log', 'access.log']);
      const got = Object.fromEntries([...ev].map((e) => [e.source, [...e.correlated].sort()]));
      expect(got).toEqual(expected);
    });
  }

  it('gives the same events for every order of the inputs', () => {
    const dir = folder('window-orders', files(-650));
    const runs = permutations(['access.log', 'app.log', 'error.log']).map((inputs) => ({ inputs, out: canonical(events(dir, inputs)) }));
    for (const r of runs.slice(1)) expect(r.out, `inputs ${r.inputs.join(' ')}`).toEqual(runs[0].out);
  });
});

describe('edge and upstream access logs sharing request ids', () => {
  const upstreamFormat = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $http_x_request_id';
  const edge = (t: string, ip: string, uri: string, status: number, rid: string, auth: string) =>
    JSON.stringify({
      time_iso8601: t, remote_addr: ip, remote_user: '', request_method: 'GET', request_uri: uri, server_protocol: 'HTTP/2.0', status: String(status),
      body_bytes_sent: status === 401 ? '61' : '812', request_time: '0.014', http_referer: '', http_user_agent: UA, http_host: 'api.example.com',
      request_id: rid, upstream_addr: '10.0.2.11:8080', upstream_status: String(status), upstream_cache_status: '', sent_http_www_authenticate: '', http_authorization: auth,
    });
  const R1 = '0e1d2c3b4a5948372615a4b3c2d1e0f1';
  const R2 = '0e1d2c3b4a5948372615a4b3c2d1e0f2';
  const R3 = '0e1d2c3b4a5948372615a4b3c2d1e0f3';
  const bearer = 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2ln';
  const dir = folder('edge-upstream', {
    'edge.log': [
      edge('2026-03-12T10:00:00+00:00', '203.0.113.50', '/api/v1/orders', 401, R1, bearer),
      edge('2026-03-12T10:00:05+00:00', '203.0.113.51', '/api/v1/me', 200, R2, bearer),
      edge('2026-03-12T10:00:09+00:00', '203.0.113.52', '/api/v1/orders', 401, R3, bearer),
    ],
    // The app host's nginx sees the edge balancer as the client and gets the id in X-Request-ID.
    'upstream.log': [
      `10.0.0.2 - - [12/Mar/2026:10:00:00 +0000] "GET /api/v1/orders HTTP/1.0" 401 61 "-" "${UA}" ${R1}`,
      `10.0.0.2 - - [12/Mar/2026:10:00:05 +0000] "GET /api/v1/me HTTP/1.0" 200 812 "-" "${UA}" ${R2}`,
      `10.0.0.2 - - [12/Mar/2026:10:00:09 +0000] "GET /api/v1/orders HTTP/1.0" 401 61 "-" "${UA}" ${R3}`,
    ],
    'app.log': [
      pino({ t: '2026-03-12T10:00:00.020Z', reqId: R1, ip: '10.0.0.2', url: '/api/v1/orders', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'No authorization token was found', code: 'credentials_required' } }),
      pino({ t: '2026-03-12T10:00:09.011Z', reqId: R3, ip: '10.0.0.2', url: '/api/v1/orders', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'jwt expired', code: 'invalid_token' } }),
    ],
  });
  const lines: Record<string, string[]> = {
    [R1]: ['edge.log:1', 'upstream.log:1', 'app.log:1'],
    [R3]: ['edge.log:3', 'upstream.log:3', 'app.log:2'],
  };

  for (const inputs of [['edge.log', 'upstream.log', 'app.log'], ['app.log', 'upstream.log', 'edge.log']]) {
    it(`one event per request, listing the other access line and the app line (inputs ${inputs.join(' ')})`, () => {
      const ev = events(dir, [...inputs, '--log-format', upstreamFormat]);
      expect(ev.map((e) => e.requestId).sort()).toEqual([R1, R3]);
      for (const e of ev) {
        const seen = [e.source, ...e.correlated].sort();
        expect(seen, `request ${e.requestId}`).toEqual([...lines[e.requestId as string]].sort());
      }
    });
  }
});

describe('a client seen by two edge servers', () => {
  // A browser opens several connections; the L4 balancer spreads them over both edges.
  const line = (t: string, ip: string, uri: string, status: number, up: string, user = '') =>
    JSON.stringify({
      time_iso8601: t, remote_addr: ip, remote_user: user, request_method: 'GET', request_uri: uri, server_protocol: 'HTTP/1.1', status: String(status),
      body_bytes_sent: status === 401 ? '38' : '3120', request_time: '0.020', http_referer: 'https://www.example.com/app/',
      http_user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0', http_host: 'www.example.com',
      upstream_addr: up, upstream_status: up === '' ? '' : String(status), upstream_cache_status: '', sent_http_www_authenticate: status === 401 && up === '' ? 'Basic realm="Restricted"' : '',
    });
  const dir = folder('two-edges', {
    'edge-a.log': [
      line('2026-03-12T10:00:00+00:00', '203.0.113.25', '/app/api/cart', 200, '10.0.1.11:8080'),
      line('2026-03-12T10:05:00+00:00', '10.20.1.40', '/admin/', 401, ''),
    ],
    'edge-b.log': [
      line('2026-03-12T10:00:03+00:00', '203.0.113.25', '/app/api/cart/items', 401, '10.0.1.12:8080'),
      line('2026-03-12T10:05:00+00:00', '10.20.1.40', '/admin/', 200, '10.0.3.5:8080', 'grace'),
    ],
  });

  it('names the same causes whichever edge log comes first', () => {
    const causes = (inputs: string[]) => Object.fromEntries(events(dir, inputs).map((e) => [e.source, e.cause]));
    const expected = { 'edge-b.log:1': 'session_not_sticky', 'edge-a.log:2': 'auth_challenge' };
    expect(causes(['edge-a.log', 'edge-b.log']), 'inputs edge-a.log edge-b.log').toEqual(expected);
    expect(causes(['edge-b.log', 'edge-a.log']), 'inputs edge-b.log edge-a.log').toEqual(expected);
    expect(canonical(events(dir, ['edge-b.log', 'edge-a.log']))).toEqual(canonical(events(dir, ['edge-a.log', 'edge-b.log'])));
  });
});

describe('generated scenarios', () => {
  const pick = (name: string) => {
    const sc = SCENARIOS.find((s) => s.name === name);
    if (!sc) throw new Error(`no scenario ${name}`);
    return sc;
  };

  /**
   * Each line that carries a 401's cause (truth.links) is listed in that 401's
   * `correlated`, and in no other event's. Brute-force bursts are left out: one
   * client, one path, two seconds apart, their lines are interchangeable by design.
   */
  for (const name of ['nginx-custom-ids', 'nginx-custom-no-ids', 'nginx-combined', 'apache-ids-spring']) {
    it(`${name}: every cause-bearing line joins its own 401`, () => {
      const dir = path.join(work.dir, `links-${name}`);
      const { truth } = generateScenario(dir, pick(name));
      const ev = bySource(runEvents(dir, truth));
      const owner = new Map<string, string>();
      for (const [k, refs] of Object.entries(truth.links)) for (const r of refs) owner.set(r, k);
      const unlisted: string[] = [];
      const misjoined: string[] = [];
      for (const [k, refs] of Object.entries(truth.links)) {
        if (truth.events[k] === 'brute_force') continue;
        const got = ev.get(k)?.correlated ?? [];
        for (const r of refs) if (!got.includes(r)) unlisted.push(`${k} (${truth.events[k]}) misses ${r} [${truth.details[k]}]`);
      }
      for (const [src, e] of ev) {
        if (truth.events[src] === 'brute_force') continue;
        for (const c of e.correlated) {
          const o = owner.get(c);
          if (o !== undefined && o !== src && truth.events[o] !== 'brute_force') misjoined.push(`${c} belongs to ${o}, listed under ${src}`);
        }
      }
      expect(misjoined, 'lines joined to the wrong 401').toEqual([]);
      expect(unlisted, 'cause-bearing lines not listed in correlated').toEqual([]);
    });
  }

  it('two edge logs, shuffled: the same events for any order of the inputs', () => {
    const dir = path.join(work.dir, 'orders-two-edges');
    const { truth } = generateScenario(dir, pick('nginx-json-two-edges-tokyo'));
    const orders = [truth.inputs, [...truth.inputs].reverse(), [...truth.inputs.slice(1), truth.inputs[0]]];
    const runs = orders.map((inputs) => ({ inputs, out: canonical(runEvents(dir, truth, inputs)) }));
    for (const r of runs.slice(1)) {
      const diff = r.out.filter((x) => !runs[0].out.includes(x)).map((x) => JSON.parse(x) as EventRow).map((e) => `${e.source}: ${e.cause}`);
      expect(diff, `inputs ${r.inputs.join(' ')} vs ${runs[0].inputs.join(' ')}`).toEqual([]);
    }
  });
});
