import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apacheErrorFactory, nginxErrorFactory, parseApacheErrorLine, parseNginxErrorLine, stripClientPort } from '../src/formats/errorLogs.js';
import { makeZone, UTC_ZONE, type Zone } from '../src/formats/zone.js';
import type { LogRecord } from '../src/record.js';
import { ROOT } from './support/cli.js';
import { parseWith, plain, utc } from './support/parse.js';

/**
 * nginx error.log and Apache error_log (2.2, 2.4): client, request, user and
 * message of auth failures; prefixes syslog and journald add; the zone-less
 * timestamps read in the --tz zone.
 */
const nginx = (line: string, zone: Zone = UTC_ZONE) => {
  const rec: LogRecord = { kind: 'error', input: 't.log', line: 1, time: NaN };
  return parseNginxErrorLine(line, rec, zone) ? rec : undefined;
};
const apache = (line: string, zone: Zone = UTC_ZONE) => {
  const rec: LogRecord = { kind: 'error', input: 't.log', line: 1, time: NaN };
  return parseApacheErrorLine(line, rec, zone) ? rec : undefined;
};
const lines = (name: string) => readFileSync(path.join(ROOT, 'fixtures/formats', name), 'utf8').split('\n');
const nginxFixture = lines('nginx-error.log');
const apacheFixture = lines('apache-error.log');

describe('nginx error.log', () => {
  it('reads an auth_basic password mismatch with its context', () => {
    expect(plain(nginx(nginxFixture[2]))).toEqual({
      kind: 'error', input: 't.log', line: 1, time: utc(2026, 3, 12, 10, 0, 4), level: 'error', ip: '198.51.100.23',
      host: 'app.example.com', method: 'GET', path: '/admin/', protocol: 'HTTP/1.1', referer: 'https://app.example.com/',
      user: 'bob', message: 'user "bob": password mismatch',
    });
  });

  it('reads "no user/password was provided" and "was not found in" with IPv6 clients', () => {
    expect(nginx(nginxFixture[1])).toMatchObject({ ip: '203.0.113.10', path: '/admin/', message: 'no user/password was provided for basic authentication' });
    expect(nginx(nginxFixture[1])?.user).toBeUndefined();
    expect(nginx(nginxFixture[5])).toMatchObject({ ip: '2001:db8::17', user: 'mallory', protocol: 'HTTP/2.0', path: '/admin/users' });
    expect(nginx(nginxFixture[8])).toMatchObject({ ip: '2001:db8:0:1::a', host: '203.0.113.1', path: '/internal/metrics' });
  });

  it('keeps the query of a logged request out of the path, and reads upstream', () => {
    const r = nginx(nginxFixture[6]);
    expect(r).toMatchObject({ level: 'warn', path: '/api/v1/export', query: 'access_token=tok_NGXERR_feedbead4242' });
    expect(r?.upstreamAddr).toBe('http://127.0.0.1:8080/api/v1/export?access_token=tok_NGXERR_feedbead4242');
    expect(r?.message).not.toContain('client:');
  });

  it('does not take a client named inside the message (FastCGI stderr) for the real one', () => {
    const r = nginx(nginxFixture[12]);
    expect(r?.ip).toBe('203.0.113.200');
    expect(r?.path).toBe('/login.php');
    expect(r?.message).toBe('FastCGI sent in stderr: "PHP message: login failed for user alice, client: 6.6.6.6, server: x" while reading response header from upstream');
  });

  it('takes a listening address in "server:" for no host, and "_" for none', () => {
    const ssl = nginx(nginxFixture[11]);
    expect(ssl).toMatchObject({ level: 'crit', ip: '198.51.100.7' });
    expect(ssl?.host).toBeUndefined();
    expect(nginx('2026/03/12 10:00:00 [error] 1#1: *1 x, client: 192.0.2.1, server: _, request: "GET / HTTP/1.1"')?.host).toBeUndefined();
  });

  it('leaves empty host and referrer absent', () => {
    const r = nginx('2023/09/08 13:50:28 [warn] 3#3: *531 an upstream response is buffered, client: 10.224.1.1, server: , request: "GET / HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "", referrer: ""');
    expect(r).toMatchObject({ ip: '10.224.1.1', upstreamAddr: 'fastcgi://127.0.0.1:9000', path: '/' });
    expect(r?.host).toBeUndefined();
    expect(r?.referer).toBeUndefined();
    // An empty Host header leaves the server_name as the host.
    expect(nginx(nginxFixture[19])?.host).toBe('app.example.com');
  });

  it('reads lines behind syslog, journald and RFC 5424 prefixes', () => {
    expect(nginx(nginxFixture[14])).toMatchObject({ time: utc(2026, 3, 12, 10, 0, 55), ip: '198.51.100.23', user: 'bob' });
    expect(nginx(nginxFixture[15])).toMatchObject({ time: utc(2026, 3, 12, 10, 0, 56), ip: '198.51.100.23' });
    const rfc5424 = '<171>1 2025-11-05T20:47:03.000000+00:00 firewall.lan nginx - - - 2025/11/05 20:47:03 [error] 24537#230441: *914 open() "/x" failed (2: No such file or directory), client: fdfd:ace:ace:7::17a, server: , request: "GET /x HTTP/2.0", host: "firewall.lan"';
    expect(nginx(rfc5424)).toMatchObject({ time: utc(2025, 11, 5, 20, 47, 3), ip: 'fdfd:ace:ace:7::17a', host: 'firewall.lan' });
  });

  it('reads the zone-less time in the --tz zone', () => {
    expect(nginx(nginxFixture[2], makeZone('Asia/Tokyo'))?.time).toBe(utc(2026, 3, 12, 1, 0, 4));
    expect(nginx(nginxFixture[2], makeZone('-05:00'))?.time).toBe(utc(2026, 3, 12, 15, 0, 4));
    // Across the US DST change (8 March 2026, 02:00 local).
    expect(nginx(nginxFixture[2], makeZone('America/New_York'))?.time).toBe(utc(2026, 3, 12, 14, 0, 4));
  });

  it('reads lines with no client context at all', () => {
    expect(plain(nginx(nginxFixture[20]))).toEqual({
      kind: 'error', input: 't.log', line: 1, time: utc(2026, 3, 12, 10, 1, 30), level: 'alert', message: 'worker process 1201 exited on signal 9',
    });
    expect(nginx('PHP message: PHP Warning:  Declaration of X::wrap() should be compatible')).toBeUndefined();
  });

  it('parses every line of the fixture through the factory', () => {
    const f = nginxErrorFactory(UTC_ZONE);
    expect(nginxFixture.filter((l) => l !== '').every((l) => parseWith(f, l)?.kind === 'error')).toBe(true);
  });
});

describe('Apache error_log', () => {
  it('reads a 2.4 AH01617 password mismatch', () => {
    expect(plain(apache(apacheFixture[1]))).toEqual({
      kind: 'error', input: 't.log', line: 1, time: utc(2026, 3, 12, 10, 0, 1, 123), level: 'error', ip: '203.0.113.5',
      user: 'bob', path: '/admin', message: 'AH01617: user bob: authentication failure for "/admin": Password Mismatch',
    });
  });

  it('splits off the ", referer:" suffix', () => {
    const r = apache(apacheFixture[2]);
    expect(r?.referer).toBe('https://www.example.com/');
    expect(r?.message).toBe('AH01617: user bob: authentication failure for "/admin": Password Mismatch');
    expect(apache(apacheFixture[13])).toMatchObject({ referer: 'https://www.example.com/members/', message: 'File does not exist: /var/www/html/favicon.ico' });
  });

  it('reads AH01618 user not found, the empty user name, digest and authz failures', () => {
    expect(apache(apacheFixture[3])).toMatchObject({ user: 'admin', path: '/private/report.pdf', ip: '198.51.100.14' });
    const empty = apache(apacheFixture[5]);
    expect(empty).toMatchObject({ path: '/api/items', ip: '2001:db8:85a3::8a2e:370:7334' });
    expect(empty?.user).toBeUndefined();
    expect(apache(apacheFixture[6])).toMatchObject({ user: 'erin', path: '/dav/' });
    expect(apache(apacheFixture[7])).toMatchObject({ path: '/admin/', ip: '192.0.2.92' });
    expect(apache(apacheFixture[21])).toMatchObject({ user: 'admin', path: '/private/' });
    expect(apache('[Sun Jul 28 21:45:28.890523 2013] [auth_digest:error] [pid 1:tid 2] [client 127.0.0.1:51408] AH01790: user `username\' in realm `digest private area\' not found: /digest_wrongrelm/x'))
      .toMatchObject({ user: 'username', path: '/digest_wrongrelm/x' });
    expect(apache('[Sat Jul 20 22:11:43.147674 2013] [authz_owner:error] [pid 1:tid 2] [client 127.0.0.1:51548] AH01637: Authorization of user bob to access /x/y.html failed, reason: file owner dan does not match'))
      .toMatchObject({ user: 'bob', path: '/x/y.html' });
  });

  it('takes the client only from the groups before the message, never from a "[client x]" inside a URL', () => {
    const r = apache(apacheFixture[12]);
    expect(r?.ip).toBe('2001:db8::beef');
    expect(r?.user).toBeUndefined();
    expect(r?.path).toBeUndefined();
    expect(r?.message).toBe('File does not exist: /var/www/html/members/[client 192.0.2.250] user evil not found');
  });

  it('reads every client spelling: bracketed IPv6 with port, ::1:port, (errno) and module.c(n) before it, [remote x]', () => {
    expect(apache(apacheFixture[5])?.ip).toBe('2001:db8:85a3::8a2e:370:7334');
    expect(apache(apacheFixture[8])?.ip).toBe('::1');
    expect(apache(apacheFixture[9])).toMatchObject({ ip: '192.0.2.10', message: 'AH00132: file permissions deny server access: /var/www/html/members/.htpasswd' });
    expect(apache(apacheFixture[17])).toMatchObject({ ip: '198.51.100.7', level: 'info' });
    expect(apache(apacheFixture[20])).toMatchObject({ ip: '203.0.113.202', user: 'guest' });
    expect(apache('[Wed Oct 20 19:20:59.121211 2021] [rewrite:trace3] [pid 1:tid 2] mod_rewrite.c(470): [client 10.121.192.8:38350] 10.121.192.8 - - [x/sid#1][rid#2/initial] applying pattern'))
      .toMatchObject({ ip: '10.121.192.8', level: 'trace3' });
  });

  it('reads 2.2 lines, with and without a timestamp', () => {
    expect(plain(apache(apacheFixture[10]))).toEqual({
      kind: 'error', input: 't.log', line: 1, time: utc(2026, 3, 12, 10, 0, 10), level: 'error', ip: '198.51.100.90',
      user: 'dave', path: '/members/', message: 'user dave not found: /members/',
    });
    const noTime = apache(apacheFixture[15]);
    expect(noTime).toMatchObject({ level: 'error', ip: '192.0.2.11' });
    expect(noTime?.time).toBeNaN();
    // 2.2 bare IPv6 client: no port is written, so the last group stays.
    expect(apache('[Thu Jul 11 01:21:44 2013] [error] [client 2001:db8::80da:af6b:1234] user x not found: /')?.ip).toBe('2001:db8::80da:af6b:1234');
  });

  it('reads an empty module "[:error]" (mod_php) and a line without a client', () => {
    expect(apache(apacheFixture[19])).toMatchObject({ level: 'error', ip: '192.0.2.94' });
    const notice = apache(apacheFixture[0]);
    expect(notice).toMatchObject({ level: 'notice', time: utc(2026, 3, 12, 10, 0, 0) });
    expect(notice?.ip).toBeUndefined();
  });

  it('reads syslog-prefixed lines; a year-less syslog time gives no time rather than a guessed year', () => {
    const r = apache(apacheFixture[18]);
    expect(r).toMatchObject({ ip: '203.0.113.201', user: 'erin', path: '/admin/' });
    expect(r?.time).toBeNaN();
    const journald = apache('2026-03-12T10:00:17.5+09:00 web2 httpd[128]: [error] [client 192.0.2.1] user x not found: /a');
    expect(journald).toMatchObject({ ip: '192.0.2.1', time: utc(2026, 3, 12, 1, 0, 17, 500) });
    expect(apache('Feb 15 16:23:40 srv httpd/backend1[22034]: [authz_core:error] [pid 22036] [client 192.0.2.2:59392] AH01630: client denied'))
      .toMatchObject({ ip: '192.0.2.2' });
  });

  it('is not fooled by an nginx error line or free text with "[error]" in it', () => {
    expect(apache(nginxFixture[2])).toBeUndefined();
    expect(apache('something happened [error] [client 1.2.3.4] x')).toBeUndefined();
  });

  it('reads CLF-style timestamps with a zone, and zone-less ones in the --tz zone', () => {
    expect(apache('[01/Mar/2021:12:00:19 +0000] [ab:alert] [pid 4803:tid 3814] [client 147.159.108.175:24259] text')?.time).toBe(utc(2021, 3, 1, 12, 0, 19));
    expect(apache(apacheFixture[1], makeZone('Asia/Tokyo'))?.time).toBe(utc(2026, 3, 12, 1, 0, 1, 123));
    expect(apache('[Thu Mar 12 99:00:01 2026] [error] [client 192.0.2.1] x')).toBeUndefined();
  });

  it('parses every line of the fixture through the factory', () => {
    const f = apacheErrorFactory(UTC_ZONE);
    expect(apacheFixture.filter((l) => l !== '').every((l) => parseWith(f, l)?.kind === 'error')).toBe(true);
  });
});

describe('stripClientPort', () => {
  it.each([
    ['203.0.113.5:51234', true, '203.0.113.5'],
    ['203.0.113.5', true, '203.0.113.5'],
    ['[2001:db8::5]:443', true, '2001:db8::5'],
    ['::1:50058', true, '::1'],
    ['::1', true, '::1'],
    ['2001:db8::1', true, '2001:db8::1'],
    ['eda7:35d:3ceb:ef1e:2133:e7bf:116e:24cc:24259', true, 'eda7:35d:3ceb:ef1e:2133:e7bf:116e:24cc'],
    ['2001:db8::80da:af6b:8b2c', false, '2001:db8::80da:af6b:8b2c'],
    ['2001:db8::80da:af6b:8b2c', true, '2001:db8::80da:af6b:8b2c'],
    ['::ffff:192.0.2.1:58430', false, '::ffff:192.0.2.1'],
    ['2001:db8::1234:58430', false, '2001:db8::1234'],
    ['host.example.com:80', true, 'host.example.com'],
  ])('%s (port written: %s) -> %s', (v, hasPort, want) => {
    expect(stripClientPort(v, hasPort)).toBe(want);
  });
});
