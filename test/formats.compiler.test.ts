import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileApacheFormat, looksLikeApacheFormat } from '../src/formats/apacheFormat.js';
import { unescapeLogValue } from '../src/formats/escapes.js';
import { layoutFactory } from '../src/formats/layout.js';
import { compileNginxFormat } from '../src/formats/nginxFormat.js';
import { ACCESS_PRESETS } from '../src/formats/presets.js';
import { compileUserFormat, presetLayout } from '../src/formats/registry.js';
import { makeZone, UTC_ZONE } from '../src/formats/zone.js';
import { ROOT } from './support/cli.js';
import { parseLayout, plain, utc } from './support/parse.js';

/**
 * The nginx and Apache format compilers and the one scanner that runs every
 * compiled layout, on the lines real servers write: escaped quotes, \xHH
 * bytes, IPv6, "-" fields, garbage request lines, zone offsets, appended fields.
 */
const COMBINED_NGINX = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
const CUSTOM_FORMAT = readFileSync(path.join(ROOT, 'fixtures/formats/nginx-custom.format'), 'utf8').trim();
const combined = compileNginxFormat(COMBINED_NGINX, 'combined');
const combinedPreset = presetLayout('combined')!;
const commonPreset = presetLayout('common')!;
const mainPreset = presetLayout('main')!;
const custom = compileNginxFormat(CUSTOM_FORMAT, 'custom');

describe('compileNginxFormat', () => {
  it('splits a format into literals and named fields, marking quoted ones', () => {
    expect(combined.fields.map((f) => f.name)).toEqual([
      'remote_addr', 'remote_user', 'time_local', 'request', 'status', 'body_bytes_sent', 'http_referer', 'http_user_agent',
    ]);
    expect(combined.fields.map((f) => f.slot)).toEqual(['ip', 'user', 'timeClf', 'request', 'status', 'bytes', 'referer', 'userAgent']);
    expect(combined.fields.filter((f) => f.quoted).map((f) => f.name)).toEqual(['request', 'http_referer', 'http_user_agent']);
    expect(combined.literals).toEqual(['', ' - ', ' [', '] "', '" ', ' ', ' "', '" "', '"']);
  });

  it('reads a log_format directive pasted from nginx.conf, joining its quoted pieces', () => {
    const pasted = compileNginxFormat(`log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '\n` +
      `                  '$status $body_bytes_sent "$http_referer" '\n                  '"$http_user_agent" "$http_x_forwarded_for"';`);
    expect(pasted.literals).toEqual(mainPreset.literals);
    expect(pasted.fields.map((f) => f.name)).toEqual(mainPreset.fields.map((f) => f.name));
    const withEscape = compileNginxFormat(`log_format api escape=json '{"ip":"$remote_addr",' '"status":$status}';`);
    expect(withEscape.literals).toEqual(['{"ip":"', '","status":', '}']);
  });

  it('accepts ${name} and maps unknown variables to extra under their own name', () => {
    const l = compileNginxFormat('$remote_addr [${time_local}] "$request" $status ${request_time}s $geoip_country_code');
    expect(l.fields.map((f) => [f.name, f.slot])).toEqual([
      ['remote_addr', 'ip'], ['time_local', 'timeClf'], ['request', 'request'], ['status', 'status'],
      ['request_time', 'requestTimeSec'], ['geoip_country_code', 'extra'],
    ]);
    const r = parseLayout(l, '192.0.2.1 [12/Mar/2026:10:00:00 +0000] "GET /a HTTP/1.1" 401 0.250s JP');
    expect(plain(r)).toMatchObject({ ip: '192.0.2.1', status: 401, requestTime: 0.25, extra: { geoip_country_code: 'JP' } });
  });

  it('refuses fields with nothing between them, naming both', () => {
    expect(() => layoutFactory(compileNginxFormat('$remote_addr$status'), UTC_ZONE)).toThrow(/remote_addr and status have nothing between them/);
  });
});

describe('compileApacheFormat', () => {
  it('compiles the combined LogFormat, %t carrying its own brackets', () => {
    const l = compileApacheFormat('%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"');
    expect(l.literals).toEqual(combinedPreset.literals);
    expect(l.fields.map((f) => f.slot)).toEqual(['ip', 'extra', 'user', 'timeClf', 'request', 'status', 'bytes', 'referer', 'userAgent']);
  });

  it('reads a LogFormat directive pasted from httpd.conf', () => {
    const l = compileApacheFormat('LogFormat "%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" vhost_combined');
    expect(l.fields.map((f) => f.name)).toEqual(['%v', '%p', '%h', '%l', '%u', '%t', '%r', '%s', '%O', '%{Referer}i', '%{User-Agent}i']);
    const r = parseLayout(l, 'www.example.com:443 203.0.113.5 - - [12/Mar/2026:10:00:00 +0100] "GET /admin/ HTTP/1.1" 401 381 "-" "curl/8.5.0"');
    expect(plain(r)).toMatchObject({ host: 'www.example.com', ip: '203.0.113.5', status: 401, bytes: 381, extra: { '%p': '443' } });
  });

  it('keeps an unquoted %{X-Forwarded-For}i list as one field', () => {
    const l = compileApacheFormat('%h %{X-Forwarded-For}i %>s %b');
    expect(plain(parseLayout(l, '10.0.0.5 203.0.113.7, 10.0.0.1 401 12'))).toMatchObject({ ip: '10.0.0.5', status: 401, bytes: 12, extra: { '%{X-Forwarded-For}i': '203.0.113.7, 10.0.0.1' } });
  });

  it('maps %{X-Request-ID}i to the request id and %D microseconds to seconds', () => {
    const l = compileApacheFormat('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %{X-Request-ID}i %D');
    const r = parseLayout(l, '198.51.100.14 - - [12/Mar/2026:10:01:02 +0100] "GET /private/ HTTP/1.1" 401 381 "-" "curl/8.5.0" ZfA3kX8AAQEAAB@xyz 1234567');
    expect(plain(r)).toMatchObject({ requestId: 'ZfA3kX8AAQEAAB@xyz', requestTime: 1.234567, status: 401 });
    const ms = parseLayout(compileApacheFormat('%h %>s %{ms}T'), '192.0.2.1 401 250');
    expect(ms?.requestTime).toBe(0.25);
  });

  it('treats %% as a literal percent and conditions/modifiers as no change', () => {
    const l = compileApacheFormat('%h %!200,304{Referer}i %400,401u %% %>s');
    expect(l.fields.map((f) => f.slot)).toEqual(['ip', 'referer', 'user', 'status']);
    expect(l.literals[3]).toBe(' % ');
    expect(plain(parseLayout(l, '192.0.2.1 - bob % 401'))).toMatchObject({ ip: '192.0.2.1', user: 'bob', status: 401 });
  });

  it('tells Apache format strings from nginx ones', () => {
    expect(looksLikeApacheFormat('%h %l %u %t "%r" %>s %b')).toBe(true);
    expect(looksLikeApacheFormat(COMBINED_NGINX)).toBe(false);
    expect(looksLikeApacheFormat('$remote_addr 100%')).toBe(false);
  });
});

describe('layout scanner on tricky lines', () => {
  it('parses an nginx combined line into every field', () => {
    const r = parseLayout(combined, '203.0.113.10 - alice [12/Mar/2026:10:00:02 +0900] "GET /api/v1/profile?tab=1 HTTP/1.1" 401 188 "https://app.example.com/" "Mozilla/5.0 (X11; Linux x86_64)"');
    expect(plain(r)).toEqual({
      kind: 'access', input: 't.log', line: 1, time: utc(2026, 3, 12, 1, 0, 2), ip: '203.0.113.10', user: 'alice',
      method: 'GET', path: '/api/v1/profile', query: 'tab=1', protocol: 'HTTP/1.1', status: 401, bytes: 188,
      referer: 'https://app.example.com/', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    });
  });

  it('decodes nginx \\x22 and \\x5C escapes and \\xHH runs as UTF-8 (Japanese user agent)', () => {
    const r = parseLayout(combined, '198.51.100.61 - - [12/Mar/2026:10:02:00 +0900] "GET /p HTTP/1.1" 401 188 "-" "Mozilla/5.0 \\x22quoted\\x22 agent; back\\x5Cslash"');
    expect(r?.userAgent).toBe('Mozilla/5.0 "quoted" agent; back\\slash');
    const ja = parseLayout(combined, '203.0.113.77 - - [12/Mar/2026:10:02:10 +0900] "GET /p HTTP/1.1" 401 188 "-" "\\xE3\\x83\\x86\\xE3\\x82\\xB9\\xE3\\x83\\x88Browser/2.1"');
    expect(ja?.userAgent).toBe('テストBrowser/2.1');
    // A byte sequence that is not UTF-8 becomes U+FFFD instead of failing the line.
    expect(unescapeLogValue('a\\xFFb')).toBe('a\ufffdb');
    expect(unescapeLogValue('\\xZZ')).toBe('\\xZZ');
  });

  it('keeps Apache \\" inside a quoted field and \\\\ as one backslash', () => {
    const r = parseLayout(combinedPreset, '198.51.100.14 - admin [12/Mar/2026:10:01:02 +0100] "GET /files/a\\\\b.txt HTTP/1.1" 401 381 "-" "Mozilla/5.0 (compatible; \\"scanner\\" v2)"');
    expect(plain(r)).toMatchObject({ user: 'admin', path: '/files/a\\b.txt', userAgent: 'Mozilla/5.0 (compatible; "scanner" v2)', status: 401 });
  });

  it('ends a quoted value at its first unescaped quote instead of borrowing a later field', () => {
    // traefik's CLF: "<UA>" <count> "<router>" "<url>" <ms>ms. The "main" preset expects "$http_x_forwarded_for"
    // right after the UA; finding '" "' further on would have given a user agent of '-" 500 "test@docker'.
    const line = '172.17.0.1 - - [08/Dec/2021:09:16:05 +0000] "GET /x HTTP/1.1" 200 414 "-" "-" 500 "test@docker" "http://172.17.0.3:80" 0ms';
    expect(parseLayout(mainPreset, line)).toBeUndefined();
    expect(plain(parseLayout(combinedPreset, line))).toMatchObject({
      status: 200, bytes: 414, extra: { extra1: '500', extra2: 'test@docker', extra3: 'http://172.17.0.3:80', extra4: '0ms' },
    });
    expect(parseLayout(combinedPreset, line)?.userAgent).toBeUndefined();
  });

  it('reads IPv6 clients, including a proxy chain "a, b" in the address field', () => {
    expect(parseLayout(combined, '2001:db8::17 - - [12/Mar/2026:10:01:00 +0900] "GET /o HTTP/2.0" 401 188 "-" "okhttp/4.12.0"')?.ip).toBe('2001:db8::17');
    const chain = parseLayout(combined, '10.0.0.2, 2001:db8::1, 127.0.0.1 - - [12/Mar/2026:10:01:00 +0900] "GET /o HTTP/2.0" 401 188 "-" "x"');
    expect(chain?.ip).toBe('10.0.0.2');
  });

  it('leaves "-" fields and an empty user agent "" unset', () => {
    const r = parseLayout(combined, '192.0.2.200 - - [12/Mar/2026:10:03:00 +0900] "GET /p HTTP/1.1" 401 - "-" ""');
    expect(plain(r)).toEqual({
      kind: 'access', input: 't.log', line: 1, time: utc(2026, 3, 12, 1, 3, 0), ip: '192.0.2.200',
      method: 'GET', path: '/p', protocol: 'HTTP/1.1', status: 401,
    });
  });

  it('keeps garbage request lines out of method and path', () => {
    const tls = parseLayout(combined, '198.51.100.7 - - [12/Mar/2026:10:02:20 +0900] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00" 400 157 "-" "-"');
    expect(tls).toMatchObject({ status: 400, bytes: 157 });
    expect(tls?.method).toBeUndefined();
    expect(tls?.path).toBeUndefined();
    expect(tls?.extra?.get('request')).toBe('\u0016\u0003\u0001\u0002\u0000\u0001\u0000');
    for (const req of ['-', '', 'HELP', 'GET', '\\x03\\x00\\x00/*\\xE0Cookie: mstshash=Administr']) {
      const r = parseLayout(combined, `198.51.100.7 - - [12/Mar/2026:10:02:21 +0900] "${req}" 400 0 "-" "-"`);
      expect(r?.status, req).toBe(400);
      expect(r?.method, req).toBeUndefined();
      expect(r?.path, req).toBeUndefined();
    }
    // Absolute-form and CONNECT authority-form targets.
    expect(plain(parseLayout(combined, '192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "POST https://api.example.com/v1/login?x=1 HTTP/1.1" 401 0 "-" "-"')))
      .toMatchObject({ host: 'api.example.com', path: '/v1/login', query: 'x=1', method: 'POST' });
    const connect = parseLayout(combined, '192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "CONNECT www.example.com:443 HTTP/1.1" 400 157 "-" "-"');
    expect(plain(connect)).toMatchObject({ method: 'CONNECT', host: 'www.example.com:443' });
    expect(connect?.path).toBeUndefined();
  });

  it('parses a very long line whole', () => {
    const q = Array.from({ length: 5000 }, (_, i) => `f${i}=v${i}`).join('&');
    const r = parseLayout(combined, `192.0.2.55 - - [12/Mar/2026:10:04:30 +0900] "GET /search?${q} HTTP/1.1" 401 188 "-" "python-requests/2.31.0"`);
    expect(r?.path).toBe('/search');
    expect(r?.query).toBe(q);
    expect(r?.userAgent).toBe('python-requests/2.31.0');
  });

  it('applies the zone offset written in the line, and --tz only when there is none', () => {
    const at = (stamp: string, zone = UTC_ZONE) =>
      parseLayout(combined, `192.0.2.1 - - [${stamp}] "GET / HTTP/1.1" 401 1 "-" "-"`, zone)?.time;
    expect(at('12/Mar/2026:10:00:00 +0900')).toBe(utc(2026, 3, 12, 1));
    expect(at('11/Mar/2026:20:05:30 -0500')).toBe(utc(2026, 3, 12, 1, 5, 30));
    expect(at('12/Mar/2026:10:00:00 +0530')).toBe(utc(2026, 3, 12, 4, 30));
    expect(at('17/Oct/2023:05:57:49 +1100')).toBe(utc(2023, 10, 16, 18, 57, 49));
    expect(at('12/Mar/2026:10:00:00 +0900', makeZone('America/New_York'))).toBe(utc(2026, 3, 12, 1));
    // No zone written: the run's --tz decides.
    expect(at('12/Mar/2026:10:00:00', makeZone('Asia/Tokyo'))).toBe(utc(2026, 3, 12, 1));
    expect(at('12/Mar/2026:10:00:00', makeZone('+02:00'))).toBe(utc(2026, 3, 12, 8));
    // French and German month abbreviations (Java servers in those locales).
    expect(at('02/sept./2015:00:11:31 +0200')).toBe(utc(2015, 9, 1, 22, 11, 31));
    expect(at('17/oct./2015:00:35:12 +0200')).toBe(utc(2015, 10, 16, 22, 35, 12));
    expect(at('12/févr./2026:10:00:00 +0100')).toBe(utc(2026, 2, 12, 9));
    expect(at('12/Mär/2026:10:00:00 +0100')).toBe(utc(2026, 3, 12, 9));
    expect(at('01/Dez/2025:10:00:00 +0100')).toBe(utc(2025, 12, 1, 9));
    // A time that is not one rejects the line rather than giving it a wrong time.
    expect(at('12/Foo/2026:10:00:00 +0000')).toBeUndefined();
    expect(at('32/Mar/2026:10:00:00 +0000')).toBeUndefined();
  });

  it('rejects a status that is not three digits, accepts "-" as no status', () => {
    expect(parseLayout(combined, '192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 4O1 1 "-" "-"')).toBeUndefined();
    expect(parseLayout(combined, '192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 4010 1 "-" "-"')).toBeUndefined();
    const none = parseLayout(combined, '192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" - - "-" "-"');
    expect(none).toBeDefined();
    expect(none?.status).toBeUndefined();
    // "000": the proxy sent no response.
    const zero = parseLayout(combined, '192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 000 0 "-" "-"');
    expect(zero).toMatchObject({ ip: '192.0.2.1', bytes: 0 });
    expect(zero?.status).toBeUndefined();
  });

  it('matches a run of spaces where the format has one ("-  -")', () => {
    const r = parseLayout(commonPreset, '175.18.15.10 -  -  [02/sept./2015:00:11:31 +0200] "GET /openhab.app HTTP/1.1" 401 1382 ');
    expect(plain(r)).toMatchObject({ ip: '175.18.15.10', status: 401, bytes: 1382, path: '/openhab.app' });
  });

  it('keeps appended fields as extra1, extra2 ... only where the preset allows them', () => {
    const line = '172.17.0.1 - - [29/May/2017:19:02:48 +0000] "GET /s HTTP/1.1" 404 612 "-" "Mozilla/5.0" "203.0.113.1, 10.0.0.1" 0.005 502, 401 -';
    expect(plain(parseLayout(combinedPreset, line))?.extra).toEqual({ extra1: '203.0.113.1, 10.0.0.1', extra2: '0.005', extra3: '502, 401' });
    // Common has no referer/UA: a combined line must not pass as common with its bytes field swallowing the rest.
    expect(parseLayout(commonPreset, '93.43.209.58 - - [08/Jun/2020:06:49:01 +0000] "GET / HTTP/1.0" 500 803 "-" "-"')).toBeUndefined();
    expect(parseLayout(commonPreset, '93.43.209.58 - - [08/Jun/2020:06:49:01 +0000] "GET / HTTP/1.0" 500 803')?.bytes).toBe(803);
    // A "-" appended field is no value; no empty extra map is left behind.
    expect(parseLayout(combinedPreset, '172.17.0.1 - - [29/May/2017:19:02:48 +0000] "GET /s HTTP/1.1" 404 612 "-" "curl" "-"')?.extra).toBeUndefined();
    // Appended text glued to the closing quote is not a field boundary.
    expect(parseLayout(combinedPreset, '172.17.0.1 - - [29/May/2017:19:02:48 +0000] "GET /s HTTP/1.1" 404 612 "-" "curl"x')).toBeUndefined();
  });

  it('does not accept a line missing a field', () => {
    expect(parseLayout(combinedPreset, '192.168.202.254 [20/Jul/2009:22:59:29 +0000] "GET /vmkboot.gz HTTP/1.0" 404 46210 "-" "gPXE/0.9.7"')).toBeUndefined();
    expect(parseLayout(combinedPreset, '192.168.1.1 - [08/Jun/2020:08:04:43 +0000] "GET /api/test HTTP/1.1" 200 100 "-" "curl/7.68.0"')).toBeUndefined();
  });

  it('reads escape=json values', () => {
    const l = compileNginxFormat(`log_format api escape=json '{"ip":"$remote_addr","time":"$time_iso8601","req":"$request","status":$status,"ua":"$http_user_agent","auth":"$http_authorization"}';`);
    const r = parseLayout(l, '{"ip":"203.0.113.9","time":"2026-03-12T10:00:00+09:00","req":"GET /api/v1/me HTTP/1.1","status":401,"ua":"Mozilla/5.0 \\"x\\" \\u0001\\\\","auth":""}');
    expect(plain(r)).toMatchObject({
      ip: '203.0.113.9', time: utc(2026, 3, 12, 1), method: 'GET', path: '/api/v1/me', status: 401,
      userAgent: 'Mozilla/5.0 "x" \u0001\\',
    });
  });

  it('keeps only the presence of Authorization, never its value', () => {
    const l = compileNginxFormat('$remote_addr "$http_authorization" $status');
    const withAuth = parseLayout(l, '192.0.2.1 "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig" 401');
    expect(withAuth?.authorizationPresent).toBe(true);
    expect(JSON.stringify(plain(withAuth))).not.toContain('eyJ');
    expect(parseLayout(l, '192.0.2.1 "-" 401')?.authorizationPresent).toBeUndefined();
  });

  it('reads $msec and $time_iso8601 times', () => {
    const l = compileNginxFormat('$msec $time_iso8601 $status');
    const r = parseLayout(l, '1773277202.005 2026-03-12T10:00:02+09:00 401');
    expect(r?.time).toBe(utc(2026, 3, 12, 1, 0, 2, 5));
    expect(r?.extra?.get('time_iso8601')).toBe('2026-03-12T10:00:02+09:00');
  });

  it('reads the custom nginx format of the fixtures: request id, upstream lists, WWW-Authenticate, request time', () => {
    const lines = readFileSync(path.join(ROOT, 'fixtures/formats/nginx-custom.log'), 'utf8').trim().split('\n');
    const recs = lines.map((l) => parseLayout(custom, l));
    expect(recs.every((r) => r !== undefined)).toBe(true);
    expect(plain(recs[1])).toEqual({
      kind: 'access', input: 't.log', line: 1, time: utc(2026, 3, 12, 2, 0, 5), ip: '203.0.113.10', method: 'GET', path: '/api/v2/me',
      protocol: 'HTTP/1.1', status: 401, bytes: 96, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
      requestId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', upstreamStatus: '401', cacheStatus: 'BYPASS', requestTime: 0.012,
      wwwAuthenticate: 'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
    });
    // Two upstreams tried: one field "502, 401"; upstream groups after an internal redirect: "502 : 502".
    expect(plain(recs[3])).toMatchObject({ ip: '2001:db8::42', upstreamStatus: '502, 401', requestTime: 1.204, wwwAuthenticate: 'Bearer realm="api"' });
    expect(recs[3]?.cacheStatus).toBeUndefined();
    expect(plain(recs[12])).toMatchObject({ status: 502, upstreamStatus: '502 : 502', requestTime: 3.001 });
    // nginx's own 401 (auth_basic): no upstream.
    expect(plain(recs[4])).toMatchObject({ user: 'bob', status: 401, wwwAuthenticate: 'Basic realm="Restricted"', requestTime: 0 });
    expect(recs[4]?.upstreamStatus).toBeUndefined();
    // The TLS handshake and the "-" request.
    expect(recs[8]?.method).toBeUndefined();
    expect(plain(recs[9])).toMatchObject({ status: 408, requestTime: 10.001 });
    // One more field than the format has is not this format.
    expect(parseLayout(custom, `${lines[0]} extra`)).toBeUndefined();
  });

  it('splits "address:port" at the last colon, keeping IPv6 addresses whole', () => {
    const l = compileNginxFormat('$remote_addr:$remote_port "$request" $status');
    const at = (addr: string) => parseLayout(l, `${addr}:51234 "GET / HTTP/1.1" 401`);
    expect(plain(at('203.0.113.7'))).toMatchObject({ ip: '203.0.113.7', extra: { remote_port: '51234' } });
    expect(at('2001:db8::1234')?.ip).toBe('2001:db8::1234');
    expect(at('::ffff:192.0.2.1')?.ip).toBe('::ffff:192.0.2.1');
    expect(at('[2001:db8::9]')?.ip).toBe('2001:db8::9');
    expect(parseLayout(l, '203.0.113.7 "GET / HTTP/1.1" 401')).toBeUndefined();
  });

  it('reads syslog-prefixed lines only for layouts that allow the prefix (HAProxy)', () => {
    const haproxy = presetLayout('haproxy_http')!;
    const line = '203.0.113.7:51234 [12/Mar/2026:10:00:05.123] www~ api/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 1/1/0/0/0 0/0 "GET /admin HTTP/1.1"';
    for (const prefix of ['', 'Mar 12 10:00:05 lb1 haproxy[1234]: ', '<134>Mar 12 10:00:05 haproxy[1234]: ', '2026-03-12T10:00:05.123456+00:00 lb1 haproxy[1234]: ']) {
      expect(plain(parseLayout(haproxy, prefix + line)), prefix).toMatchObject({
        ip: '203.0.113.7', status: 401, bytes: 248, path: '/admin', time: utc(2026, 3, 12, 10, 0, 5, 123),
        extra: { frontend: 'www~', backend: 'api', server: '<NOSRV>', timers: '-1/-1/-1/-1/0', termination_state: 'PR--' },
      });
    }
    expect(parseLayout(combinedPreset, `Mar 12 10:00:05 web1 httpd[1]: ${'192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 401 1 "-" "-"'}`)).toBeUndefined();
    // "-1": HAProxy logs no status when the client went away first.
    expect(parseLayout(haproxy, line.replace(' 401 248 ', ' -1 0 '))?.status).toBeUndefined();
  });

  it('does not let an unquoted value run over spaces into other text', () => {
    const uvicorn = presetLayout('uvicorn')!;
    expect(parseLayout(uvicorn, 'Jan  3 09:47:02 veridian sudo: timstack : TTY=pts/6 ; PWD=/x ; USER=root')).toBeUndefined();
    expect(plain(parseLayout(uvicorn, 'INFO:     203.0.113.9:52782 - "POST /login HTTP/1.1" 401 Unauthorized'))).toMatchObject({
      ip: '203.0.113.9', status: 401, path: '/login', extra: { level: 'INFO', remote_port: '52782', extra1: 'Unauthorized' },
    });
    // A time field may hold a space.
    const l = compileApacheFormat('%h [%{%d/%b/%Y:%H:%M:%S %z}t] %>s');
    expect(plain(parseLayout(l, '192.0.2.1 [12/Mar/2026:10:00:00 +0000] 401'))).toMatchObject({ status: 401, extra: { '%{%d/%b/%Y:%H:%M:%S %z}t': '12/Mar/2026:10:00:00 +0000' } });
  });

  it('peek() gives the same address and user agent as record()', () => {
    const f = layoutFactory(combined, UTC_ZONE).create();
    expect(f.scan('10.0.0.2, 10.0.0.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 401 1 "-" "A \\x22B\\x22"')).toBe(true);
    const rec = f.record('t', 1);
    expect(f.peek('ip')).toBe(rec.ip);
    expect(f.peek('userAgent')).toBe(rec.userAgent);
    expect(f.peek('upstreamAddr')).toBeUndefined();
  });
});

describe('compileUserFormat (--log-format)', () => {
  it('accepts a preset name, an nginx string and an Apache string', () => {
    expect(compileUserFormat('common', UTC_ZONE).name).toBe('common');
    const n = compileUserFormat(CUSTOM_FORMAT, UTC_ZONE).create();
    expect(n.scan(readFileSync(path.join(ROOT, 'fixtures/formats/nginx-custom.log'), 'utf8').split('\n')[1])).toBe(true);
    expect(n.record('t', 1).requestId).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    const a = compileUserFormat('%h %l %u %t "%r" %>s %b %D', UTC_ZONE).create();
    expect(a.scan('192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 401 5 1500')).toBe(true);
    expect(a.record('t', 1).requestTime).toBe(0.0015);
  });

  it('names the presets when the value is neither a preset nor a format', () => {
    expect(() => compileUserFormat('nginx-combined', UTC_ZONE)).toThrow(`neither a preset (${ACCESS_PRESETS.map((p) => p.name).join(', ')})`);
  });
});
