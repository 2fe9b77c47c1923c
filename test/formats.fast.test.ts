import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientKey } from '../src/clientKey.js';
import { pathKey, REFRESH_PATH } from '../src/correlate/clientTracker.js';
import { compileApacheFormat } from '../src/formats/apacheFormat.js';
import { layoutFactory, type Layout } from '../src/formats/layout.js';
import { compileWalk, interpretWalk, planWalk } from '../src/formats/layoutWalk.js';
import { compileNginxFormat } from '../src/formats/nginxFormat.js';
import type { LineParser } from '../src/formats/parser.js';
import { presetLayout } from '../src/formats/registry.js';
import { ACCESS_PRESETS } from '../src/formats/presets.js';
import { syslogPrefixLength } from '../src/formats/syslogPrefix.js';
import { monthIndex, parseClfTime, parseEpoch, parseIsoTime } from '../src/formats/timestamps.js';
import { makeZone, parseOffsetMinutes, UTC_ZONE, type Zone } from '../src/formats/zone.js';
import { reqArb, writeApache, writeHaproxy, writeNginx, writeUvicorn } from './support/serverLines.js';

/**
 * The scanner's fast paths (end kinds decided per layout, one-character
 * literals compared as codes, the time compared in place, CLF times read
 * without the regular expression, path keys computed in place) must answer
 * exactly as the plain code they replaced. The plain code is kept here as the
 * oracle and both run on valid, broken and random lines.
 */
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const ZONE = makeZone('Asia/Tokyo');

// ---------------------------------------------------------------- oracle: CLF time with the regular expression only

const CLF_RE = /^(\d{1,2})\/([^/]{3,5})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?\s*([+-]\d{2}:?\d{2}|Z|UTC|GMT)?\s*$/;

function referenceClf(s: string, zone: Zone): number {
  const m = CLF_RE.exec(s);
  if (!m) return NaN;
  const mo = monthIndex(m[2]);
  if (mo < 0) return NaN;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const y = +m[3], d = +m[1], h = +m[4], mi = +m[5], sec = +m[6];
  if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NaN;
  if (m[8] === undefined) return zone.toUtc(y, mo, d, h, mi, sec, ms);
  const off = parseOffsetMinutes(m[8]) ?? 0;
  return Date.UTC(y, mo, d, h, mi, sec, ms) - off * 60000;
}

// ---------------------------------------------------------------- oracle: the generic scanner

const TIME_SLOTS = new Set(['timeClf', 'timeIso', 'timeEpoch']);

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === 92; i--) n++;
  return (n & 1) === 1;
}
function closingQuote(text: string, pos: number): number {
  let q = text.indexOf('"', pos);
  while (q >= 0 && isEscaped(text, q)) q = text.indexOf('"', q + 1);
  return q;
}
function endOfToken(text: string, pos: number): number {
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) return i;
  }
  return text.length;
}
function matchLiteral(text: string, pos: number, lit: string): number {
  if (lit.length === 0) return pos;
  let p = pos;
  if (text.startsWith(lit, pos)) {
    p = pos + lit.length;
  } else {
    if (!lit.includes(' ')) return -1;
    for (let k = 0; k < lit.length; k++) {
      const c = lit.charCodeAt(k);
      if (text.charCodeAt(p) !== c) return -1;
      p++;
      if (c === 32) while (text.charCodeAt(p) === 32) p++;
    }
    return p;
  }
  if (lit.charCodeAt(lit.length - 1) === 32) while (text.charCodeAt(p) === 32) p++;
  return p;
}
function findLastEnd(text: string, pos: number, closing: string): number {
  let end = text.indexOf(closing, pos);
  while (end >= 0) {
    const after = end + closing.length;
    if (after >= text.length || text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9) return end;
    end = text.indexOf(closing, end + 1);
  }
  return -1;
}

interface Scanned { bounds: number[]; status: number; time: number }

/** The scanner as first written: field bounds, status and time, or undefined for a line it rejects. */
function referenceScan(layout: Layout, zone: Zone, text: string): Scanned | undefined {
  const { literals, fields } = layout;
  const n = fields.length;
  const listField = fields.map((f) => f.slot === 'ip' || f.slot === 'upstreamStatus' || f.slot === 'upstreamAddr' || /upstream_|forwarded[_-]for/i.test(f.name));
  const spaceOk = fields.map((f, i) => listField[i] || TIME_SLOTS.has(f.slot) || /time|^%\{[^}]*\}t$/.test(f.name));
  const b: number[] = new Array(2 * n).fill(0);
  let pos = layout.syslogPrefix ? syslogPrefixLength(text) : 0;
  for (let i = 0; i < n; i++) {
    const litStart = pos;
    pos = matchLiteral(text, pos, literals[i]);
    if (pos < 0) return undefined;
    const next = literals[i + 1];
    if (!fields[i].quoted && pos > litStart + literals[i].length && next.charCodeAt(0) === 32 && next.trim() !== ''
      && text.startsWith(literals[i], litStart) && text.startsWith(next, pos - 1)) {
      pos--;
      b[2 * i] = pos;
      b[2 * i + 1] = pos;
      continue;
    }
    const start = pos;
    let end: number;
    if (fields[i].quoted) {
      end = closingQuote(text, pos);
    } else if (i === n - 1 && next === '') {
      end = endOfToken(text, pos);
    } else if (next.charCodeAt(0) === 32) {
      end = endOfToken(text, pos);
      for (;;) {
        if (listField[i] && end > pos && text.charCodeAt(end - 1) === 44 && end < text.length) end = endOfToken(text, end + 1);
        else if (listField[i] && fields[i].slot !== 'ip' && text.startsWith(' : ', end) && !next.startsWith(' :')) end = endOfToken(text, end + 3);
        else break;
      }
    } else if (fields[i].slot === 'ip' && next.charCodeAt(0) === 58) {
      end = text.lastIndexOf(':', endOfToken(text, pos) - 1);
      if (end <= pos) return undefined;
    } else {
      end = i === n - 1 ? findLastEnd(text, pos, next) : text.indexOf(next, pos);
      if (end >= 0 && !spaceOk[i] && endOfToken(text, pos) < end) return undefined;
    }
    if (end < 0) return undefined;
    b[2 * i] = start;
    b[2 * i + 1] = end;
    pos = end;
  }
  pos = matchLiteral(text, pos, literals[n]);
  if (pos < 0) return undefined;
  if (pos < text.length) {
    let p = pos;
    while (p < text.length && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (p < text.length && (!layout.allowTrailing || p === pos)) return undefined;
  }
  let status = NaN;
  const si = fields.findIndex((f) => f.slot === 'status');
  if (si >= 0) {
    const s = b[2 * si], e = b[2 * si + 1];
    if (e - s === 3) {
      const c0 = text.charCodeAt(s) - 48, c1 = text.charCodeAt(s + 1) - 48, c2 = text.charCodeAt(s + 2) - 48;
      if (c0 < 0 || c0 > 9 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9) return undefined;
      if (c0 > 0) status = c0 * 100 + c1 * 10 + c2;
    } else if (!(e - s === 1 && text.charCodeAt(s) === 45) && !(e - s === 2 && text.startsWith('-1', s))) {
      return undefined;
    }
  }
  let time = NaN;
  const ti = fields.findIndex((f) => TIME_SLOTS.has(f.slot));
  if (ti >= 0) {
    const s = text.slice(b[2 * ti], b[2 * ti + 1]);
    if (s !== '-') {
      const slot = fields[ti].slot;
      time = slot === 'timeClf' ? referenceClf(s, zone) : slot === 'timeIso' ? parseIsoTime(s, zone) : parseEpoch(Number(s));
      if (Number.isNaN(time)) return undefined;
    }
  }
  return { bounds: b, status, time };
}

// ---------------------------------------------------------------- layouts and lines

const NGINX_CUSTOM = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id $upstream_addr $upstream_cache_status "$sent_http_www_authenticate" $request_time';
const NGINX_MSEC = '$msec $remote_addr $request_method $request_uri $server_protocol $status $body_bytes_sent "$http_user_agent" $request_id';
const NGINX_JSON = `log_format api escape=json '{"time":"$time_iso8601","ip":"$remote_addr","req":"$request","status":$status,"ua":"$http_user_agent","up":"$upstream_addr"}';`;
const APACHE_CUSTOM = '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %{X-Request-ID}i %D';
const APACHE_PORT = '%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"';

const LAYOUTS: Layout[] = [
  ...ACCESS_PRESETS.map((p) => presetLayout(p.name) as Layout),
  compileNginxFormat(NGINX_CUSTOM, 'nginx_custom'),
  compileNginxFormat(NGINX_MSEC, 'nginx_msec'),
  compileNginxFormat(NGINX_JSON, 'nginx_json'),
  compileNginxFormat('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent $upstream_status $upstream_addr', 'nginx_upstream_last'),
  compileNginxFormat('$remote_addr:$remote_port $time_local|$status|$request_uri', 'nginx_pipes'),
  // An unquoted value closed by a literal that is not a space, and may not hold one ($host).
  compileNginxFormat('$remote_addr [$time_local] $host|$status "$request"', 'nginx_host_pipe'),
  compileApacheFormat(APACHE_CUSTOM, 'apache_custom'),
  compileApacheFormat(APACHE_PORT, 'apache_port'),
];
// Each layout twice: with the walk compiled to code (what runs) and the interpreted walk (the fallback).
const PARSERS: { layout: Layout; parser: LineParser }[] = LAYOUTS.flatMap((layout) => [
  { layout, parser: layoutFactory(layout, ZONE).create() },
  { layout: { ...layout, name: `${layout.name} (interpreted)` }, parser: layoutFactory(layout, ZONE, layout.source, interpretWalk).create() },
]);

function check(line: string): void {
  for (const { layout, parser } of PARSERS) {
    const want = referenceScan(layout, ZONE, line);
    const ok = parser.scan(line);
    expect(ok, `${layout.name} on ${JSON.stringify(line)}`).toBe(want !== undefined);
    if (!ok || want === undefined) continue;
    expect(Array.from((parser as unknown as { bounds: Int32Array }).bounds), `${layout.name} bounds`).toEqual(want.bounds);
    expect(Object.is(parser.status(), want.status), `${layout.name} status`).toBe(true);
    expect(Object.is(parser.time(), want.time), `${layout.name} time ${parser.time()} vs ${want.time}`).toBe(true);
    const path = parser.peek('path');
    expect(parser.peekPathKey?.(), `${layout.name} path key of ${path}`).toBe(pathKey(path));
    const ip = parser.peek('ip');
    expect(parser.peekClientKey?.(), `${layout.name} client key of ${ip}`).toBe(ip === undefined ? undefined : clientKey(ip));
    if (path !== undefined && REFRESH_PATH.test(path)) expect(parser.pathMayBeRefresh?.()).toBe(true);
    if (path !== undefined) expect(parser.pathMayBeRefresh?.()).toBe(/[kfw]/i.test(path));
  }
}

const validLine: fc.Arbitrary<string> = fc.oneof(
  reqArb.map((r) => writeNginx('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"', r, 'default')),
  reqArb.map((r) => writeNginx('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id', r, 'default')),
  reqArb.map((r) => writeNginx(NGINX_CUSTOM, r, 'json')),
  reqArb.map((r) => writeNginx(NGINX_CUSTOM, r, 'default')),
  reqArb.map((r) => writeNginx(NGINX_MSEC, r, 'default')),
  reqArb.map((r) => writeNginx(NGINX_JSON, r, 'json')),
  reqArb.map((r) => writeApache(APACHE_CUSTOM, r)),
  reqArb.map((r) => writeApache(APACHE_PORT, r)),
  reqArb.map((r) => writeApache('%h %l %u %t \\"%r\\" %>s %b', r)),
  reqArb.map((r) => writeHaproxy(r, true)),
  reqArb.map((r) => writeHaproxy(r, false)),
  reqArb.map((r) => writeUvicorn(r, true)),
);

type Mutation = { kind: 'delete' | 'insert' | 'duplicate' | 'truncate' | 'replace'; at: number; ch: string };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate', 'replace'),
  at: fc.nat(),
  ch: fc.constantFrom('"', '\\', '\\"', ' ', '  ', '\t', '[', ']', ',', ', ', ' : ', ':', '-', '/', '?', '0', '9', 'x', 'k', 'F', 'é', '😀', '\u0000'),
});

function mutate(line: string, m: Mutation): string {
  const i = m.at % (line.length + 1);
  switch (m.kind) {
    case 'delete': return line.slice(0, i) + line.slice(i + 1);
    case 'insert': return line.slice(0, i) + m.ch + line.slice(i);
    case 'duplicate': return line.slice(0, i) + line.charAt(i) + line.slice(i);
    case 'truncate': return line.slice(0, i);
    case 'replace': return line.slice(0, i) + m.ch + line.slice(i + m.ch.length);
  }
}

// ---------------------------------------------------------------- properties

describe('scanner fast paths agree with the plain scanner', () => {
  it('on valid lines, then broken one character at a time', () => {
    fc.assert(fc.property(validLine, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (line, ms) => {
      check(line);
      let l = line;
      for (const m of ms) {
        l = mutate(l, m);
        check(l);
      }
    }), { numRuns: 300 * SCALE });
  });

  it('on the shapes the fast paths single out', () => {
    const lines = [
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "GET /oauth/token HTTP/1.1" 200 12 "-" "curl/8"',
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "GET /oauth/token HTTP/1.1" 200 12 "-" "curl/8" abcdef0123456789abcdef0123456789',
      '203.0.113.9  -  - [12/Mar/2026:10:00:01 +0900] "GET /a HTTP/1.1" 200 12 "-" "x"',
      '203.0.113.9 -  [12/Mar/2026:10:00:01 +0900] "GET /a HTTP/1.1" 200 12 "-" "x"',
      '10.0.0.1, 10.0.0.2 - - [12/Mar/2026:10:00:01 +0900] "GET /a HTTP/1.1" 200 12 "-" "x"',
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "GET /a\\" HTTP/1.1" 200 12 "-" "x\\\\"',
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "GET http://h/x?y HTTP/1.1" 200 12 "-" "x"',
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "CONNECT h:443 HTTP/1.1" 200 12 "-" "x"',
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "\\x16\\x03" 400 0 "-" "-"',
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "GET /a HTTP/1.1" 000 0 "-" "-"',
      '203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "GET /a HTTP/1.1" - 0 "-" "-"',
      '203.0.113.9 - - [-] "GET /a HTTP/1.1" 200 0 "-" "-"',
      '203.0.113.9 - - [] "GET /a HTTP/1.1" 200 0 "-" "-"',
      '1.2.3.4 - - [12/Mar/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "-" "-"',
      '1.2.3.4 - - [12/Mar/2026:10:00:01 +0000] "GET /a HTTP/1.1" 401 1 "-" "-" 10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80',
      '1.2.3.4 - - [12/Mar/2026:10:00:01 +0000] "GET /a HTTP/1.1" 502 1 502, 401 10.0.0.1:80, 10.0.0.2:80',
      '1.2.3.4:5678 12/Mar/2026:10:00:01 +0000|200|/renew?x=1',
      '1.2.3.4 [12/Mar/2026:10:00:01 +0000] api.example|401 "GET / HTTP/1.1"',
      '1.2.3.4 [12/Mar/2026:10:00:01 +0000] api example|401 "GET / HTTP/1.1"',
      'api:443 1.2.3.4 - - [12/Mar/2026:10:00:01 +0000] "GET /a HTTP/1.1" 200 1 "-" "-"',
      'INFO:     [2001:db8::9]:52790 - "GET /v1/models?x HTTP/1.1" 401 Unauthorized',
      'Mar 12 10:00:06 lb1 haproxy[1234]: 2001:db8::7:51236 [12/Mar/2026:10:00:06.001] www~ api/app1 0/0/1/12/13 200 512 - - ---- 3/3/1/1/0 0/0 "GET /api/v1/me HTTP/1.1"',
    ];
    for (const l of lines) check(l);
  });

  it('compiles every layout to code (the fallback is not what runs here)', () => {
    for (const layout of LAYOUTS) expect(compileWalk(planWalk(layout)).name, layout.name).toBe('walk');
  });

  it('keeps a format string\'s literals data: quotes, backslashes and code in them only have to match', () => {
    const nasty = String.raw`$remote_addr "'); throw new Error('injected'); ('" \\ ${'`'}$\{x}${'`'} $status */ $request_uri`;
    const factories = [layoutFactory(compileNginxFormat(nasty, 'nasty'), ZONE), layoutFactory(compileNginxFormat(nasty, 'nasty'), ZONE, nasty, interpretWalk)];
    const good = String.raw`1.2.3.4 "'); throw new Error('injected'); ('" \\ ${'`'}$\{x}${'`'} 401 */ /a`;
    for (const f of factories) {
      const p = f.create();
      expect(p.scan(good)).toBe(true);
      expect(p.status()).toBe(401);
      expect(p.peek('ip')).toBe('1.2.3.4');
      expect(p.scan(good.replace('injected', 'inJected'))).toBe(false);
    }
  });
});

describe('CLF times without the regular expression', () => {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '9'), minLength: n, maxLength: n });
  const clfArb = fc.tuple(
    fc.oneof(digits(2), digits(1), fc.constant('00'), fc.constant('31'), fc.constant('32')),
    fc.constantFrom('/', '-', ' '),
    fc.constantFrom('Jan', 'Feb', 'Mar', 'mar', 'MAR', 'Dec', 'Xyz', 'M/r', 'Mär', 'Okt', 'mai', 'Juin', 'sept', 'M r'),
    fc.constantFrom('/', '/', ':'),
    fc.oneof(digits(4), fc.constantFrom('2026', '0099', '9999', '1970')),
    fc.constantFrom(':', ':', ' '),
    fc.oneof(digits(2), fc.constantFrom('23', '24', '00')),
    fc.constantFrom(':', ':', '.'),
    fc.oneof(digits(2), fc.constantFrom('59', '60')),
    fc.constantFrom(':', ':', '-'),
    fc.oneof(digits(2), fc.constantFrom('59', '60', '61')),
    fc.constantFrom(' ', ' ', '', '  ', '.123 ', ',5 ', '\t'),
    fc.oneof(fc.tuple(fc.constantFrom('+', '-', '+', '*'), digits(4)).map(([s, d]) => s + d), fc.constantFrom('+0900', '-0500', '+1500', '+0960', '+14:00', 'Z', 'UTC', 'GMT', '', '+0000 ')),
  ).map((parts) => parts.join(''));

  it('read as the regular expression reads them, in any order of days and zones', () => {
    fc.assert(fc.property(fc.array(clfArb, { minLength: 1, maxLength: 8 }), fc.constantFrom(UTC_ZONE, ZONE), (times, zone) => {
      for (const s of times) expect(Object.is(parseClfTime(s, zone), referenceClf(s, zone)), `${JSON.stringify(s)}: ${parseClfTime(s, zone)} vs ${referenceClf(s, zone)}`).toBe(true);
    }), { numRuns: 2000 * SCALE });
  });

  it('over a day that changes, a zone that changes, and back', () => {
    const times = [
      '12/Mar/2026:23:59:59 +0900', '13/Mar/2026:00:00:00 +0900', '13/Mar/2026:00:00:00 -0500', '12/Mar/2026:23:59:59 +0900',
      '31/Feb/2026:10:00:00 +0000', '31/Feb/2026:10:00:60 +0000', '00/Mar/2026:10:00:00 +0000', '12/Xyz/2026:10:00:00 +0000', '12/Mar/2026:10:00:00 +0000',
      '12/Mar/0099:10:00:00 +0000', '12/Mar/2026:24:00:00 +0000', '12/Mar/2026:10:00:00 +1500', '12/Mar/2026:10:00:00 -0960',
    ];
    for (const s of [...times, ...times.reverse()]) expect(Object.is(parseClfTime(s, ZONE), referenceClf(s, ZONE)), s).toBe(true);
  });
});
