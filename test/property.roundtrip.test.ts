import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileApacheFormat } from '../src/formats/apacheFormat.js';
import { detectFormat } from '../src/formats/detect.js';
import { compileJsonFieldMap, JsonLineParser } from '../src/formats/jsonLines.js';
import { layoutFactory } from '../src/formats/layout.js';
import { compileNginxFormat } from '../src/formats/nginxFormat.js';
import type { ParserFactory } from '../src/formats/parser.js';
import { ACCESS_PRESETS } from '../src/formats/presets.js';
import { buildRegistry } from '../src/formats/registry.js';
import { UTC_ZONE } from '../src/formats/zone.js';
import type { LogRecord } from '../src/record.js';
import { hostileUnit, pathArb, queryArb, reqArb, writeApache, writeHaproxy, writeNginx, writeUvicorn, type Req } from './support/serverLines.js';

/**
 * Round trips: a request is written the way nginx, Apache, HAProxy and
 * uvicorn write it (each server's own escaping, "-" or "" for what is
 * missing), parsed back through the library, and must give the original
 * values back: what the user agent sent, byte for byte, whatever it holds.
 */

/** PROPERTY_SCALE=20 npx vitest run test/property.* runs every property 20 times as long. */
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);

// ---------------------------------------------------------------- what must come back

const given = (v: string | undefined) => (v === undefined || v === '' || v === '-' ? undefined : v);

interface Expect {
  time?: 'second' | 'ms' | 'none';
  user?: boolean;
  bytes?: 'value' | 'clf';
  referer?: boolean;
  userAgent?: boolean;
  /** 'nginx': $request_id, always set; 'header': a logged request header, "-" when not sent. */
  requestId?: 'nginx' | 'header';
  upstream?: boolean;
  wwwAuthenticate?: boolean;
  requestTime?: boolean;
  host?: string;
}

function check(rec: LogRecord, r: Req, e: Expect): void {
  const want: Partial<LogRecord> = {
    ip: r.ip,
    method: r.method,
    path: r.path,
    query: r.query,
    protocol: r.protocol,
    status: r.status,
  };
  if (e.time !== 'none') want.time = e.time === 'ms' ? r.timeMs : Math.floor(r.timeMs / 1000) * 1000;
  if (e.user) want.user = given(r.user);
  if (e.bytes) want.bytes = e.bytes === 'clf' && r.bytes === 0 ? undefined : r.bytes;
  if (e.referer) want.referer = given(r.referer);
  if (e.userAgent) want.userAgent = given(r.userAgent);
  if (e.requestId) want.requestId = e.requestId === 'nginx' ? r.requestId ?? '0123456789abcdef0123456789abcdef' : r.requestId;
  if (e.upstream) {
    want.upstreamAddr = r.upstreamAddr;
    want.cacheStatus = r.cacheStatus;
  }
  if (e.wwwAuthenticate) want.wwwAuthenticate = given(r.wwwAuthenticate);
  if (e.host !== undefined) want.host = e.host;
  const got: Partial<LogRecord> = {};
  for (const k of Object.keys(want) as (keyof LogRecord)[]) (got as Record<string, unknown>)[k] = rec[k];
  expect(got).toEqual(want);
  if (e.time === 'none') expect(rec.time).toBeNaN();
  if (e.requestTime) expect(rec.requestTime).toBeCloseTo(r.requestTimeMs / 1000, 6);
}

function parseLine(factory: ParserFactory, line: string): LogRecord {
  const p = factory.create();
  if (!p.scan(line)) throw new Error(`${factory.name} rejected ${JSON.stringify(line)}`);
  const rec = p.record('t.log', 1);
  // The cheap facts scan() offers agree with the record.
  expect(Number.isNaN(p.status()) ? undefined : p.status()).toBe(rec.status);
  expect(p.time()).toBe(rec.time);
  expect(p.peek('path')).toBe(rec.path);
  expect(p.peek('ip')).toBe(rec.ip);
  expect(p.peek('userAgent')).toBe(rec.userAgent);
  return rec;
}

// ---------------------------------------------------------------- the cases

const registry = buildRegistry({ zone: UTC_ZONE });
const preset = (name: string) => {
  const f = registry.byName.get(name);
  if (!f) throw new Error(`no preset ${name}`);
  return f;
};

const NGINX_COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
const APACHE_COMBINED = '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"';
const NGINX_CUSTOM = `${NGINX_COMBINED} $request_id $upstream_addr $upstream_cache_status "$sent_http_www_authenticate" $request_time`;
const NGINX_MSEC = '$msec $remote_addr $request_method $request_uri $server_protocol $status $body_bytes_sent "$http_user_agent" $request_id';
const NGINX_ISO = '$time_iso8601 $remote_addr "$request" $status $body_bytes_sent $request_time "$http_referer" "$http_user_agent"';
const APACHE_CUSTOM = `${APACHE_COMBINED} %{X-Request-ID}i %D`;

interface Case {
  name: string;
  parser: ParserFactory;
  write: (r: Req) => string;
  expect: Expect | ((r: Req) => Expect);
  /** Requests this server cannot log as given are written otherwise. */
  adapt?: (r: Req) => Req;
  /** Detection on lines of this writer must pick this preset. */
  detectAs?: string;
}

const full: Expect = { time: 'second', user: true, bytes: 'value', referer: true, userAgent: true };
const ASCII_PATH = /^[\x21-\x7e]*$/;
/** HAProxy and uvicorn write a percent-encoded (ASCII) target with no quote in it. */
const asciiTarget = (r: Req): Req => ({
  ...r,
  path: ASCII_PATH.test(r.path) && !/["#\\]/.test(r.path) ? r.path : `/${encodeURIComponent(r.path.slice(1))}`,
  query: r.query === undefined || (ASCII_PATH.test(r.query) && !/["#\\]/.test(r.query)) ? r.query : encodeURIComponent(r.query),
});

const CASES: Case[] = [
  ...(['default', 'json'] as const).flatMap((esc): Case[] => [
    { name: `nginx combined, escape=${esc}`, parser: preset('combined'), write: (r) => writeNginx(NGINX_COMBINED, r, esc), expect: full, detectAs: 'combined' },
    {
      name: `nginx main, escape=${esc}`,
      parser: preset('main'),
      write: (r) => writeNginx(`${NGINX_COMBINED} "$http_x_forwarded_for"`, r, esc),
      expect: full,
      detectAs: 'main',
    },
    {
      name: `nginx custom (request id, upstream, cache, challenge, request time), escape=${esc}`,
      parser: layoutFactory(compileNginxFormat(NGINX_CUSTOM), UTC_ZONE),
      write: (r) => writeNginx(NGINX_CUSTOM, r, esc),
      expect: { ...full, requestId: 'nginx', upstream: true, wwwAuthenticate: true, requestTime: true },
      // With escape=json a missing $upstream_addr is written as nothing: "id  HIT" cannot be told
      // from padding before a present value, so this case always has an upstream.
      adapt: esc === 'json' ? (r) => ({ ...r, upstreamAddr: r.upstreamAddr ?? '10.0.0.1:8080' }) : undefined,
    },
    {
      name: `nginx custom with $msec and $request_uri, escape=${esc}`,
      parser: layoutFactory(compileNginxFormat(NGINX_MSEC), UTC_ZONE),
      write: (r) => writeNginx(NGINX_MSEC, r, esc),
      expect: { time: 'ms', bytes: 'value', userAgent: true, requestId: 'nginx' },
    },
    {
      name: `nginx custom with $time_iso8601, pasted as a log_format directive, escape=${esc}`,
      parser: layoutFactory(compileNginxFormat(`log_format iso${esc === 'json' ? ' escape=json' : ''} '${NGINX_ISO.replace(' "$http_referer"', "'\n    ' \"$http_referer\"")}';`), UTC_ZONE),
      write: (r) => writeNginx(NGINX_ISO, r, esc),
      expect: { time: 'second', bytes: 'value', requestTime: true, referer: true, userAgent: true },
    },
  ]),
  { name: 'Apache combined', parser: preset('combined'), write: (r) => writeApache(APACHE_COMBINED, r), expect: { ...full, bytes: 'clf' }, detectAs: 'combined' },
  { name: 'Apache common', parser: preset('common'), write: (r) => writeApache('%h %l %u %t \\"%r\\" %>s %b', r), expect: { time: 'second', user: true, bytes: 'clf' }, detectAs: 'common' },
  {
    name: 'Apache vhost_combined (%v:%p)',
    parser: preset('vhost_combined'),
    write: (r) => writeApache('%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"', r),
    expect: (r) => ({ ...full, host: `${r.vhost}:${r.port}` }),
    detectAs: 'vhost_combined',
  },
  {
    name: 'Apache custom (%{X-Request-ID}i %D)',
    parser: layoutFactory(compileApacheFormat(APACHE_CUSTOM), UTC_ZONE),
    write: (r) => writeApache(APACHE_CUSTOM, r),
    expect: { ...full, bytes: 'clf', requestId: 'header', requestTime: true },
  },
  {
    name: 'HAProxy httplog',
    parser: preset('haproxy_http'),
    write: (r) => writeHaproxy(r, false),
    adapt: asciiTarget,
    expect: { time: 'ms', bytes: 'value' },
    detectAs: 'haproxy_http',
  },
  {
    name: 'HAProxy httplog through syslog',
    parser: preset('haproxy_http'),
    write: (r) => writeHaproxy(r, true),
    adapt: asciiTarget,
    expect: { time: 'ms', bytes: 'value' },
    detectAs: 'haproxy_http',
  },
  { name: 'uvicorn', parser: preset('uvicorn'), write: (r) => writeUvicorn(r, false), adapt: asciiTarget, expect: { time: 'none' }, detectAs: 'uvicorn' },
  { name: 'uvicorn, bracketed IPv6', parser: preset('uvicorn'), write: (r) => writeUvicorn(r, true), adapt: asciiTarget, expect: { time: 'none' }, detectAs: 'uvicorn' },
];

describe('access lines round-trip through their parser', () => {
  it('covers every access preset', () => {
    const covered = new Set(CASES.map((c) => c.parser.name));
    for (const p of ACCESS_PRESETS) expect(covered, p.name).toContain(p.name);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    fc.assert(
      fc.property(reqArb, (r0) => {
        const r = c.adapt ? c.adapt(r0) : r0;
        const line = c.write(r);
        check(parseLine(c.parser, line), r, typeof c.expect === 'function' ? c.expect(r) : c.expect);
      }),
      { numRuns: 150 * SCALE },
    );
  });

  it.each(CASES.filter((c) => c.detectAs !== undefined).map((c) => [c.name, c] as const))('detection picks the right preset: %s', (_, c) => {
    fc.assert(
      fc.property(fc.array(reqArb, { minLength: 1, maxLength: 8 }), (reqs) => {
        const lines = reqs.map((r) => c.write(c.adapt ? c.adapt(r) : r));
        const d = detectFormat('t.log', lines, registry);
        expect(d.primary.name).toBe(c.detectAs);
        expect(d.matched).toBe(lines.length);
      }),
      { numRuns: 25 * SCALE },
    );
  });
});

describe('JSON lines round-trip through JsonLineParser', () => {
  const parser = new JsonLineParser(compileJsonFieldMap(), UTC_ZONE);
  const anyText = fc.string({ unit: fc.oneof(hostileUnit, fc.constantFrom('\ud800', '\udfff')), maxLength: 12 });
  const jsonReq = fc.record({
    timeMs: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2037, 11, 31) }),
    timeAs: fc.constantFrom('iso', 'epochMs', 'epochS'),
    level: fc.oneof(fc.constantFrom('INFO', 'warn', 'Error'), fc.constantFrom(10, 20, 30, 40, 50, 60)),
    msg: fc.oneof(anyText.filter((s) => s !== '-'), fc.string({ minLength: 1990, maxLength: 2100 })),
    reqId: anyText,
    status: fc.integer({ min: 100, max: 599 }),
    method: fc.constantFrom('get', 'POST', 'Delete'),
    url: fc.tuple(fc.constantFrom('', 'https://api.example.jp', 'http://[2001:db8::1]:8080'), pathArb, fc.option(queryArb, { nil: undefined }))
      .map(([origin, path, query]) => ({ origin, path, query })),
  });

  it('gives back time, level, message, request id, status, method, path and query', () => {
    fc.assert(
      fc.property(jsonReq, (j) => {
        const time = j.timeAs === 'iso' ? new Date(j.timeMs).toISOString() : j.timeAs === 'epochMs' ? j.timeMs : j.timeMs / 1000;
        const url = `${j.url.origin}${j.url.path}${j.url.query === undefined ? '' : `?${j.url.query}`}`;
        const line = JSON.stringify({ time, level: j.level, msg: j.msg, reqId: j.reqId, status: j.status, req: { method: j.method, url } });
        expect(parser.scan(line)).toBe(true);
        const rec = parser.record('app.log', 7);
        expect(rec.kind).toBe('access');
        expect(rec.time).toBe(j.timeMs);
        expect(parser.time()).toBe(rec.time);
        expect(rec.status).toBe(j.status);
        expect(parser.status()).toBe(j.status);
        const levels: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
        expect(rec.level).toBe(typeof j.level === 'number' ? levels[j.level] : j.level.toLowerCase());
        expect(rec.message).toBe(given(j.msg)?.slice(0, 2000));
        expect(rec.requestId).toBe(given(j.reqId));
        expect(rec.method).toBe(j.method.toUpperCase());
        expect(rec.path).toBe(j.url.path);
        expect(rec.query).toBe(j.url.query);
        expect(rec.host).toBe(j.url.origin === '' ? undefined : j.url.origin.replace(/^https?:\/\//, ''));
        expect(parser.peek('path')).toBe(j.url.path);
        expect(rec.line).toBe(7);
      }),
      { numRuns: 300 * SCALE },
    );
  });
});
