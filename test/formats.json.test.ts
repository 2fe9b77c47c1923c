import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileJsonFieldMap, jsonFactory } from '../src/formats/jsonLines.js';
import { parseEpoch } from '../src/formats/timestamps.js';
import { makeZone, UTC_ZONE } from '../src/formats/zone.js';
import { ROOT } from './support/cli.js';
import { parseWith, plain, utc } from './support/parse.js';

/**
 * JSON-lines application logs (pino, bunyan, caddy, ECS, nginx escape=json):
 * facts found by name along candidate paths, levels normalised, error
 * details joined to the message, secrets never kept.
 */
const json = jsonFactory(compileJsonFieldMap(), UTC_ZONE);
const parse = (line: string) => parseWith(json, line);
const fixtureLines = readFileSync(path.join(ROOT, 'fixtures/formats/app.json.log'), 'utf8').split('\n');
const FF = 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0';

describe('JSON lines: the pino/bunyan fixture', () => {
  it('reads a pino request with an expired JWT', () => {
    expect(plain(parse(fixtureLines[2]))).toEqual({
      kind: 'access', input: 't.log', line: 1, time: utc(2026, 3, 12, 1, 0, 2, 5), status: 401, level: 'warn',
      requestId: 'req-2', method: 'GET', path: '/api/v1/profile', ip: '203.0.113.10', userAgent: FF,
      authorizationPresent: true, message: 'request errored | jwt expired | TokenExpiredError',
    });
  });

  it('keeps the query apart from the path (a token there is never part of the path)', () => {
    const r = parse(fixtureLines[5]);
    expect(r?.path).toBe('/api/v1/export');
    expect(r?.query).toBe('access_token=tok_APPJSON_0c0ffee0c0ffee&format=csv');
    expect(r?.authorizationPresent).toBeUndefined();
  });

  it('reads express-jwt errors: code and name join the message; an empty user agent is absent', () => {
    const r = parse(fixtureLines[6]);
    expect(r?.message).toBe('request errored | No authorization token was found | credentials_required | UnauthorizedError');
    expect(r?.userAgent).toBeUndefined();
  });

  it('reads bunyan lines: ISO time, req_id, err.name', () => {
    expect(plain(parse(fixtureLines[12]))).toMatchObject({
      time: utc(2026, 3, 12, 1, 1, 0), status: 401, level: 'warn', requestId: 'b-100', path: '/billing/invoices/2026-03',
      ip: '203.0.113.77', message: 'handled: 401 | TokenExpiredError | jwt expired',
    });
  });

  it('treats a line without a response as an app record, with its request id for correlation', () => {
    expect(plain(parse(fixtureLines[7]))).toEqual({
      kind: 'app', input: 't.log', line: 1, time: utc(2026, 3, 12, 1, 0, 6), level: 'error', requestId: 'req-7',
      message: 'session store unavailable | connect ECONNREFUSED 10.0.0.5:6379 | Error',
    });
    expect(parse(fixtureLines[17])?.message).toBe('ユーザー認証に失敗しました | jwt expired | TokenExpiredError');
  });

  it('rejects a stack-trace continuation and a truncated object', () => {
    expect(fixtureLines[15]).toMatch(/^\s+at /);
    expect(parse(fixtureLines[15])).toBeUndefined();
    expect(parse(fixtureLines[19])).toBeUndefined();
  });
});

describe('JSON lines: shapes other loggers write', () => {
  it('maps numeric levels (pino/bunyan) and lower-cases names', () => {
    const lv = (level: unknown) => parse(JSON.stringify({ level, msg: 'x' }))?.level;
    expect([10, 20, 30, 40, 50, 55, 60].map(lv)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'error', 'fatal']);
    expect(lv('WARNING')).toBe('warning');
    expect(lv(7)).toBe('7');
  });

  it('tells epoch seconds, milliseconds, microseconds and nanoseconds apart', () => {
    const ms = utc(2024, 4, 10, 23, 0, 5, 770);
    expect(parseEpoch(ms / 1000)).toBe(ms);
    expect(parseEpoch(ms)).toBe(ms);
    expect(parseEpoch(ms * 1000)).toBe(ms);
    expect(parseEpoch(ms * 1e6)).toBe(ms);
    expect(parseEpoch(0)).toBeNaN();
    // Cloudflare Logpush: nanoseconds, EdgeResponseStatus, ClientRequestURI.
    const cf = parse(`{"ClientIP":"203.0.113.9","ClientRequestHost":"api.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/v1/users","ClientRequestUserAgent":"axios/1.6.2","ClientRequestReferer":"","EdgeResponseStatus":401,"EdgeStartTimestamp":${ms}000000,"RayID":"87a1b2c3d4e5f006"}`);
    expect(plain(cf)).toEqual({
      kind: 'access', input: 't.log', line: 1, time: ms, status: 401, requestId: '87a1b2c3d4e5f006', method: 'GET', path: '/v1/users',
      ip: '203.0.113.9', userAgent: 'axios/1.6.2', host: 'api.example.com',
    });
  });

  it('reads a zone-less time string in the --tz zone', () => {
    const tokyo = jsonFactory(compileJsonFieldMap(), makeZone('Asia/Tokyo'));
    expect(parseWith(tokyo, '{"time":"2026-03-12 10:00:00","msg":"x"}')?.time).toBe(utc(2026, 3, 12, 1));
    expect(parseWith(tokyo, '{"time":"2026-03-12T10:00:00Z","msg":"x"}')?.time).toBe(utc(2026, 3, 12, 10));
  });

  it('reads caddy access lines behind a "caddy  | " docker-compose prefix', () => {
    const line = 'caddy  | {"level":"error","ts":1773277202.5,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"10.0.0.3","remote_port":"46944","client_ip":"203.0.113.10","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/v1/me?x=1","headers":{"Authorization":[],"User-Agent":["curl/8.5.0"]}},"user_id":"","duration":0.0008,"size":0,"status":401,"resp_headers":{"Server":["Caddy"],"Www-Authenticate":["Basic realm=\\"restricted\\""]}}';
    expect(plain(parse(line))).toEqual({
      kind: 'access', input: 't.log', line: 1, time: utc(2026, 3, 12, 1, 0, 2, 500), status: 401, level: 'error',
      method: 'GET', path: '/v1/me', query: 'x=1', ip: '203.0.113.10', userAgent: 'curl/8.5.0', host: 'api.example.com', bytes: 0,
      wwwAuthenticate: 'Basic realm="restricted"',
      // Caddy empties a present Authorization header when it hides credentials: it was sent.
      authorizationPresent: true, message: 'handled request',
    });
    expect(parse('caddy  | not json')).toBeUndefined();
    expect(parse('some "quoted" prefix {"msg":"x"}')).toBeUndefined();
  });

  it('finds dotted literal keys before nested paths (ECS writes both)', () => {
    const r = parse('{"@timestamp":"2025-01-13T09:58:13.631Z","log.level":"debug","message":"m","log":{"level":"info","logger":"app"},"http.response.status_code":401,"url.path":"/x"}');
    expect(r).toMatchObject({ level: 'debug', status: 401, path: '/x', message: 'm', time: utc(2025, 1, 13, 9, 58, 13, 631) });
  });

  it('accepts a status written as a string (nginx JSON log_format) but only a real HTTP status', () => {
    expect(parse('{"status": "401","path":"/a","date":"2013-10-10T16:52:00+02:00"}')?.status).toBe(401);
    expect(parse('{"status":0,"msg":"handled request"}')?.status).toBeUndefined();
    expect(parse('{"status":"ok","msg":"x"}')?.status).toBeUndefined();
  });

  it('does not take a route name for a path', () => {
    const r = parse('{"route":"HeadAgentProbes","req_id":"cce7","level":20,"msg":"respond","time":"2012-08-08T10:25:47.636Z"}');
    expect(r?.path).toBeUndefined();
    expect(parse('{"route":"/users/:id","msg":"x"}')?.path).toBe('/users/:id');
  });

  it('rejects JSON that names no log fact, and non-objects', () => {
    expect(parse('{"hi": "there"}')).toBeUndefined();
    expect(parse('[1,2,3]')).toBeUndefined();
    expect(parse('"just a string"')).toBeUndefined();
    expect(parse('{"msg":"x"}')).toBeDefined();
  });

  it('records whether an Authorization header was present, never its value', () => {
    const auth = (v: unknown) => parse(JSON.stringify({ msg: 'x', http_authorization: v }))?.authorizationPresent;
    expect(auth('Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(true);
    expect(auth('')).toBe(false);
    expect(auth('-')).toBe(false);
    expect(auth(['REDACTED'])).toBe(true);
    const r = parse(JSON.stringify({ msg: 'x', http_authorization: 'Bearer secret-token-value' }));
    expect(JSON.stringify(plain(r))).not.toContain('secret-token-value');
  });

  it('takes a user agent given as an object as absent rather than "[object Object]"', () => {
    const r = parse('{"status-code":304,"remote-address":"127.0.0.1","method":"GET","url":"/v0/opps?q=software","user-agent":{"family":"Chrome"},"msg":"m"}');
    expect(r).toMatchObject({ kind: 'access', status: 304, ip: '127.0.0.1', path: '/v0/opps', query: 'q=software' });
    expect(r?.userAgent).toBeUndefined();
  });

  it('caps a huge message', () => {
    expect(parse(JSON.stringify({ msg: 'm'.repeat(10000) }))?.message?.length).toBe(2000);
  });
});

describe('--json-field', () => {
  it('puts a user path first for that fact', () => {
    const f = jsonFactory(compileJsonFieldMap(new Map([['requestId', 'ctx.rid'], ['status', 'res.code']])), UTC_ZONE);
    const r = parseWith(f, '{"ctx":{"rid":"abc-1"},"reqId":"other","res":{"code":401},"url":"/x","msg":"m"}');
    expect(r).toMatchObject({ requestId: 'abc-1', status: 401, kind: 'access' });
  });

  it('names the known fields when given an unknown one', () => {
    expect(() => compileJsonFieldMap(new Map([['reqid', 'x']]))).toThrow(/unknown field "reqid"; known fields: time, level, message, requestId/);
  });
});

describe('JSON lines: one parser over many shapes', () => {
  // The parser works out per set of top-level keys which candidate paths can be present: a line must
  // read exactly as it reads in a parser that never saw another line, whatever shapes came before.
  const shapes: ((i: number) => Record<string, unknown>)[] = [
    (i) => ({ level: 50, time: 1773277200000 + i, msg: 'request errored', reqId: `r${i}`, req: { method: 'GET', url: `/a/${i}` }, res: { statusCode: 401 }, err: { message: 'jwt expired' } }),
    (i) => ({ '@timestamp': '2026-03-12T01:00:00Z', 'log.level': 'warn', message: `denied ${i}`, 'http.response.status_code': 401, 'url.path': '/b', 'client.ip': '10.0.0.7' }),
    (i) => ({ ts: 1773277200 + i, lvl: 'error', event: 'login failed', user: { name: `u${i}` }, status: '401', path: '/login', error: { reason: 'invalid credentials' } }),
    (i) => ({ time: '2026-03-12T01:00:00Z', msg: 'hello', [`dyn${i}`]: 1, status: i % 2 === 0 ? 401 : undefined }),
    (i) => ({ time: '2026-03-12T01:00:00Z', req: `not an object ${i}`, 'req.url': '/literal', status: 401 }),
    // Two shapes that differ in their first key only.
    (i) => ({ status: 401, msg: `a ${i}`, path: '/a' }),
    (i) => ({ statusCode: 403, msg: `b ${i}`, path: '/b' }),
  ];

  it('reads every line as a fresh parser does, across shapes and past the shape cache size', () => {
    const shared = json.create();
    for (let i = 0; i < 2700; i++) {
      // Shapes one after the other, then in runs of three (the same keys as the line before), then
      // keys named after the line (planning pauses) with the other shapes among them.
      const shape = i < 900 ? (i * 3) % shapes.length : i < 1800 ? Math.floor(i / 3) % shapes.length : i % 10 === 0 ? i % shapes.length : 3;
      const line = JSON.stringify(shapes[shape](i));
      const fresh = parse(line);
      expect(shared.scan(line), line).toBe(fresh !== undefined);
      if (fresh !== undefined) expect(plain(shared.record('t.log', 1)), line).toEqual(plain(fresh));
    }
  });

  it('does not mistake a shape whose key holds a NUL for the shape of the keys around it', () => {
    const shared = json.create();
    const a = JSON.stringify({ 'msg\u0000status': 'x', time: 1773277200000 });
    const b = JSON.stringify({ msg: 'y', status: 401, time: 1773277200000 });
    shared.scan(a);
    expect(shared.scan(b)).toBe(true);
    expect(shared.status()).toBe(401);
    expect(plain(shared.record('t.log', 1))).toEqual(plain(parse(b)));
  });
});
