import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileApacheFormat } from '../src/formats/apacheFormat.js';
import { detectFormat, isIgnorableLine, UnknownFormatError } from '../src/formats/detect.js';
import { unescapeLogValue } from '../src/formats/escapes.js';
import { layoutFactory } from '../src/formats/layout.js';
import { compileNginxFormat } from '../src/formats/nginxFormat.js';
import type { LineParser, ParserFactory, PeekFact } from '../src/formats/parser.js';
import { buildRegistry } from '../src/formats/registry.js';
import { makeZone, UTC_ZONE } from '../src/formats/zone.js';
import { reqArb, writeApache, writeHaproxy, writeNginx, writeUvicorn } from './support/serverLines.js';

/**
 * Whatever a log holds, parsing it never throws and never takes long: random
 * text, random bytes decoded as UTF-8 and Latin-1, and valid lines broken
 * every way (characters deleted, inserted, doubled, quotes swapped, cut at
 * every position) go through every parser, detection and unescaping. A line
 * a parser does not take is fine; an exception or a slow line is not.
 */
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const ZONE = makeZone('Asia/Tokyo');

const NGINX_CUSTOM = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id $upstream_addr $upstream_cache_status "$sent_http_www_authenticate" $request_time';
const NGINX_MSEC = '$msec $remote_addr $request_method $request_uri $server_protocol $status $body_bytes_sent "$http_user_agent" $request_id';
const NGINX_JSON = `log_format api escape=json '{"time":"$time_iso8601","ip":"$remote_addr","req":"$request","status":$status,"ua":"$http_user_agent","up":"$upstream_addr"}';`;
const APACHE_CUSTOM = '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %{X-Request-ID}i %D';

const registry = buildRegistry({ zone: ZONE });
const forced = buildRegistry({ zone: ZONE, logFormat: NGINX_CUSTOM });
const FACTORIES: ParserFactory[] = [
  ...registry.all,
  layoutFactory(compileNginxFormat(NGINX_CUSTOM, 'nginx_custom'), ZONE),
  layoutFactory(compileNginxFormat(NGINX_MSEC, 'nginx_msec'), ZONE),
  layoutFactory(compileNginxFormat(NGINX_JSON, 'nginx_json'), ZONE),
  layoutFactory(compileApacheFormat(APACHE_CUSTOM, 'apache_custom'), ZONE),
];
/** One parser per format, reused line after line as an input's parser is. */
const PARSERS: LineParser[] = FACTORIES.map((f) => f.create());
const FACTS: PeekFact[] = ['ip', 'upstreamAddr', 'userAgent', 'path'];

/** Slowest line allowed, generous for a loaded machine: the lines here are at most a few KiB. */
const SLOW_MS = 250;

/** Every parser on one line: no exception, and what scan() promised agrees with the record. */
function feed(line: string): void {
  for (const p of PARSERS) {
    const t0 = performance.now();
    const ok = p.scan(line);
    expect(typeof ok).toBe('boolean');
    if (ok) {
      const rec = p.record('fuzz.log', 3);
      expect(rec.input).toBe('fuzz.log');
      expect(rec.line).toBe(3);
      expect(['access', 'app', 'error']).toContain(rec.kind);
      expect(Object.is(p.time(), rec.time), `${p.format} time() vs record`).toBe(true);
      const status = p.status();
      expect(Number.isNaN(status) ? undefined : status, `${p.format} status() vs record`).toBe(rec.status);
      if (rec.status !== undefined) expect(Number.isInteger(rec.status) && rec.status >= 100 && rec.status <= 999).toBe(true);
      for (const fact of FACTS) expect(p.peek(fact), `${p.format} peek('${fact}') vs record`).toBe(rec[fact]);
    }
    const ms = performance.now() - t0;
    expect(ms, `${p.format} took ${ms.toFixed(0)} ms on ${JSON.stringify(line.slice(0, 200))}`).toBeLessThan(SLOW_MS);
  }
}

/** detectFormat either picks a format or says it cannot, with the input's name; with a forced format it always picks. */
function detect(lines: string[]): void {
  try {
    const d = detectFormat('fuzz.log', lines, registry);
    const meaningful = lines.filter((l) => !isIgnorableLine(l)).length;
    expect(d.sampled).toBe(meaningful);
    if (meaningful > 0) expect(d.matched).toBeGreaterThan(0);
    expect(d.matched).toBeLessThanOrEqual(d.sampled);
  } catch (e) {
    expect(e).toBeInstanceOf(UnknownFormatError);
    expect((e as Error).message).toContain('fuzz.log');
  }
  expect(detectFormat('fuzz.log', lines, forced).primary).toBeDefined();
}

// ---------------------------------------------------------------- inputs

/** Pieces of log syntax, so random lines get past the first checks of each parser. */
const logUnit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 3 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ' ', '"', '\\', '\\"', '\\x', '\\xE3', '\\u00', '\\u0041', '[', ']', '{', '}', ':', ', ', ' : ', '-', ' - ', '/', '?', '=', '#',
      '12/Mar/2026:10:00:02 +0000', '12/Mar/2026:10:00:02.123', '2026/03/12 10:00:02', '2026-03-12T10:00:02+09:00', '1710237602.123',
      'Wed Oct 11 14:32:52.123456 2000', 'GET', 'POST /login HTTP/1.1', 'HTTP/1.1', '401', '000', '-1', '203.0.113.9', '2001:db8::1', '[2001:db8::1]:443',
      '[error]', '[auth_basic:error]', '[pid 1:tid 2]', '[client 1.2.3.4:5678]', ' 12#34: *5 ', ', client: ', ', server: ', ', request: "', ', host: "',
      'user "bob" was not found', 'AH01617: user bob: authentication failure for "/x": Password Mismatch', 'INFO:     ', 'Mar 12 10:00:06 lb1 haproxy[1234]: ',
      '{"time":', '"status":', '"req":{"url":"', '"level":30', '"msg":"', ',"reqId":', 'null', 'true', '[]', '1e999', '\u0000', '\t', '\r', '\u001b[0m', '😀', 'ブラウザ', '\ud800',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);
const logText = fc.string({ unit: logUnit, maxLength: 40 });

/** A short random pattern repeated to a few KiB: the shape that makes backtracking expressions slow. */
const repeated = fc.tuple(fc.string({ unit: logUnit, minLength: 1, maxLength: 6 }), fc.integer({ min: 200, max: 2000 }))
  .map(([s, n]) => s.repeat(Math.max(1, Math.floor(n * 4 / Math.max(1, s.length)))).slice(0, 8192));

const bytes = fc.uint8Array({ maxLength: 200 });

/** Valid lines of every kind, as servers write them. */
const validLine: fc.Arbitrary<string> = fc.oneof(
  reqArb.map((r) => writeNginx('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"', r, 'default')),
  reqArb.map((r) => writeNginx(NGINX_CUSTOM, r, 'json')),
  reqArb.map((r) => writeNginx(NGINX_MSEC, r, 'default')),
  reqArb.map((r) => writeApache(APACHE_CUSTOM, r)),
  reqArb.map((r) => writeApache('%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"', r)),
  reqArb.map((r) => writeHaproxy(r, true)),
  reqArb.map((r) => writeUvicorn(r, true)),
  reqArb.map((r) => JSON.stringify({ time: new Date(r.timeMs).toISOString(), level: 'warn', msg: r.userAgent ?? 'x', reqId: r.requestId, status: r.status, req: { method: r.method, url: r.path, headers: { 'user-agent': r.userAgent } } })),
  // "path" holding a route name, the request target further down the candidates.
  reqArb.map((r) => JSON.stringify({ ts: r.timeMs / 1000, level: 40, path: 'UserService.Get', url: `${r.path}?${r.query ?? ''}`, statusCode: r.status })),
  fc.constantFrom(...errorLines()),
);

function errorLines(): string[] {
  return [
    '2026/03/12 10:00:02 [error] 1234#0: *5 user "bob" was not found in "/etc/nginx/.htpasswd", client: 203.0.113.9, server: api.example.jp, request: "GET /admin HTTP/1.1", host: "api.example.jp"',
    '2026/03/12 10:00:02 [error] 1234#0: *7 upstream prematurely closed connection while reading response header from upstream, client: 2001:db8::1, server: _, request: "POST /v1/token HTTP/2.0", upstream: "http://10.0.0.1:8080/v1/token", host: "api", referrer: "https://x/"',
    '[Wed Oct 11 14:32:52.123456 2026] [auth_basic:error] [pid 1:tid 2] [client 192.0.2.7:51234] AH01617: user bob: authentication failure for "/private": Password Mismatch, referer: https://example.com/',
    '[Wed Oct 11 14:32:52 2026] [error] [client 192.0.2.7] user alice not found: /secret',
    'Mar 12 10:00:06 web1 httpd[22034]: [core:error] [pid 9] [client [2001:db8::5]:443] AH00126: Invalid URI in request GET /%%% HTTP/1.1',
  ];
}

type Mutation = { kind: 'delete' | 'insert' | 'duplicate' | 'swapQuote' | 'truncate'; at: number; ch: string };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'swapQuote', 'truncate'),
  at: fc.nat(),
  ch: fc.constantFrom('"', "'", '\\', ' ', '[', ']', '{', '}', ',', ':', '-', '\u0000', '\n', 'é', '😀', 'x', '9'),
});

function mutate(line: string, m: Mutation): string {
  if (line.length === 0) return m.ch;
  const i = m.at % (line.length + 1);
  switch (m.kind) {
    case 'delete': return line.slice(0, i) + line.slice(i + 1);
    case 'insert': return line.slice(0, i) + m.ch + line.slice(i);
    case 'duplicate': return line.slice(0, i) + line.charAt(i) + line.slice(i);
    case 'truncate': return line.slice(0, i);
    case 'swapQuote': {
      // Turn the i-th quote (of either kind) into the other kind, or escape it.
      const quotes = [...line.matchAll(/["']/g)].map((q) => q.index);
      if (quotes.length === 0) return line;
      const q = quotes[m.at % quotes.length];
      const swapped = line[q] === '"' ? (m.ch === '\\' ? '\\"' : "'") : '"';
      return line.slice(0, q) + swapped + line.slice(q + 1);
    }
  }
}

// ---------------------------------------------------------------- properties

describe('parsers never throw and never hang', () => {
  it('on random text made of log syntax', () => {
    fc.assert(fc.property(logText, (s) => feed(s)), { numRuns: 400 * SCALE });
  });

  it('on arbitrary code points, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 }), (a, b) => {
      feed(a);
      feed(b);
    }), { numRuns: 200 * SCALE });
  });

  it('on random bytes decoded as UTF-8 and as Latin-1', () => {
    fc.assert(fc.property(bytes, (b) => {
      const buf = Buffer.from(b);
      feed(buf.toString('utf8'));
      feed(buf.toString('latin1'));
    }), { numRuns: 200 * SCALE });
  });

  it('on a short pattern repeated to a few KiB', () => {
    fc.assert(fc.property(repeated, (s) => feed(s)), { numRuns: 40 * SCALE });
  });

  it('on valid lines with a character deleted, inserted or doubled, or a quote swapped', () => {
    fc.assert(fc.property(validLine, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (line, ms) => {
      feed(line);
      let l = line;
      for (const m of ms) {
        l = mutate(l, m);
        feed(l);
      }
    }), { numRuns: 150 * SCALE });
  });

  it('on valid lines cut at every position', () => {
    const lines = [
      ...fc.sample(validLine, { numRuns: 4, seed: 42 }),
      ...errorLines().slice(0, 2),
    ];
    let accepted = 0;
    for (const line of lines) {
      for (let i = 0; i <= line.length; i++) feed(line.slice(0, i));
      for (const p of PARSERS) if (p.scan(line)) accepted++;
    }
    // The whole lines were taken by some parser: the cuts started from something real.
    expect(accepted).toBeGreaterThanOrEqual(lines.length);
  });
});

describe('detectFormat never throws anything but UnknownFormatError', () => {
  it('on samples of random, repeated and broken lines', () => {
    const sampleLine = fc.oneof(logText, validLine, fc.tuple(validLine, mutationArb).map(([l, m]) => mutate(l, m)), fc.constantFrom('', '#', '   '));
    fc.assert(fc.property(fc.array(sampleLine, { maxLength: 12 }), (lines) => detect(lines)), { numRuns: 100 * SCALE });
  });
});

describe('unescapeLogValue never throws, and never grows a value', () => {
  it('on text full of backslashes and half escapes', () => {
    const escUnit = fc.oneof(
      fc.constantFrom('\\', '\\\\', '\\x', '\\x4', '\\xZZ', '\\xE3', '\\x81', '\\xFF', '\\u', '\\u12', '\\uD800', '\\uDC00', '\\n', '\\"', '\\q', 'x', 'é', '😀', '\ud800'),
      fc.string({ unit: 'binary', maxLength: 2 }),
    );
    fc.assert(fc.property(fc.string({ unit: escUnit, maxLength: 40 }), (s) => {
      const out = unescapeLogValue(s);
      expect(typeof out).toBe('string');
      expect(out.length).toBeLessThanOrEqual(s.length);
      if (!s.includes('\\')) expect(out).toBe(s);
    }), { numRuns: 1000 * SCALE });
  });

  it('on long runs of \\xHH, in linear time', () => {
    const s = '\\xE3\\x81'.repeat(20000) + '\\x'.repeat(20000);
    const t0 = performance.now();
    const out = unescapeLogValue(s);
    expect(performance.now() - t0).toBeLessThan(SLOW_MS * 4);
    expect(out.endsWith('\\x'.repeat(20000))).toBe(true);
  });
});

describe('UTC zone and a local zone agree on everything but the time', () => {
  it('a line with an explicit offset parses the same in any zone', () => {
    const utcParser = buildRegistry({ zone: UTC_ZONE }).byName.get('combined')!.create();
    const tokyoParser = registry.byName.get('combined')!.create();
    fc.assert(fc.property(reqArb, (r) => {
      const line = writeApache('%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"', r);
      expect(utcParser.scan(line)).toBe(true);
      expect(tokyoParser.scan(line)).toBe(true);
      expect(tokyoParser.record('a', 1)).toEqual(utcParser.record('a', 1));
    }), { numRuns: 50 * SCALE });
  });
});
