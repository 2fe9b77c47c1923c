import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/formats/registry.js';
import { UTC_ZONE } from '../src/formats/zone.js';
import { expandInputs } from '../src/input/expandInputs.js';
import { readInput, type InputStats } from '../src/pipeline/readInputs.js';
import type { LogRecord } from '../src/record.js';
import { ROOT } from './support/cli.js';

/**
 * Real sample logs from other projects (../shared/corpus, listed in its
 * MANIFEST.tsv; never copied here, their licenses differ). For every file:
 * the format detected, how many lines parse, and exactly which lines are
 * skipped and why. A line is only listed as skipped when it really is not a
 * line of a supported format; a few field checks per file guard against
 * "parsing" a line into the wrong fields. Blank lines and '#' lines
 * (fail2ban's '# failJSON:' annotations) count as blank/comment.
 */
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const present = existsSync(path.join(CORPUS, 'MANIFEST.tsv'));
if (!present) {
  console.warn(`corpus.test.ts: SKIPPED, ${CORPUS}/MANIFEST.tsv not found (CI has ../shared/corpus beside the checkout)`);
}

type Records = Map<number, LogRecord>;
interface Expectation {
  /** Format detected for the file, and the others found mixed in. */
  format: string;
  also?: string[];
  /** Lines parsed (all non-blank lines minus the skipped ones). */
  parsed: number;
  /** Every line that does not parse: line number -> why it should not. */
  skipped?: Record<number, string>;
  /** Records with status 401. */
  responses401?: number;
  check?: (r: Records) => void;
}
interface Unsupported {
  /** Why no supported format applies; the input must fail with the unknown-format message. */
  unsupported: string;
}

const F2B = 'fail2ban__fail2ban/fail2ban__tests__files__logs__';
const EXPECTED: Record<string, Expectation | Unsupported> = {
  [`${F2B}apache-auth`]: {
    format: 'apache_error', parsed: 45,
    check: (r) => {
      // "[client 192.168.0.1]" inside the logged path must not become the client or a user.
      expect(r.get(3)).toMatchObject({ ip: '192.168.33.1', time: Date.UTC(2013, 5, 1, 2, 17, 42) });
      expect(r.get(3)?.user).toBeUndefined();
      expect(r.get(7)).toMatchObject({ ip: '194.228.20.113', path: '/' });
      expect(r.get(7)?.user).toBeUndefined(); // 'user  not found' names no user
      expect(r.get(12)?.ip).toBe('2001:db8::80da:af6b:8b2c');
      expect(r.get(39)).toMatchObject({ ip: '127.0.0.1', user: 'username', path: '/basic/file', time: Date.UTC(2013, 6, 20, 21, 39, 11, 978) });
      expect(r.get(62)).toMatchObject({ ip: '2001:db8::80da:af6b:8b2c', user: 'test-ipv6' }); // [client [v6]:port]
      expect(r.get(126)).toMatchObject({ ip: '91.49.82.139', user: 'gg', referer: 'http://sj.hopto.org/management.html' });
      expect(r.get(141)).toMatchObject({ ip: '192.0.2.111', user: 'whatever', path: '/admin' }); // [remote x]
      // syslog-wrapped lines: client found, no year so no time.
      for (const [line, ip] of [[151, '192.0.2.1'], [153, '192.0.2.2'], [155, '192.0.2.3'], [158, '127.0.0.1']] as const) {
        expect(r.get(line)?.ip).toBe(ip);
        expect(r.get(line)?.time).toBeNaN();
      }
    },
  },
  [`${F2B}haproxy-http-auth`]: {
    format: 'haproxy_http', parsed: 4, responses401: 3,
    check: (r) => {
      // Syslog-wrapped; accept date without zone (UTC here); PR-- = HAProxy's own http-request auth.
      expect(r.get(4)).toMatchObject({ ip: '192.168.33.1', status: 401, bytes: 248, path: '/', time: Date.UTC(2015, 10, 14, 22, 45, 11, 608) });
      expect(r.get(4)?.extra?.get('termination_state')).toBe('PR--');
      expect(r.get(6)?.ip).toBe('2001:db8::1234'); // unbracketed IPv6 with :port
      expect(r.get(8)?.ip).toBe('::ffff:192.168.33.1');
      expect(r.get(2)).toMatchObject({ status: 403, extra: new Map([['remote_port', '58444'], ['frontend', 'main'], ['backend', 'app'], ['server', 'app1'], ['timers', '1939/0/1/0/1940'], ['termination_state', '----'], ['connections', '3/3/0/0/0'], ['queues', '0/0']]) });
    },
  },
  [`${F2B}openhab`]: {
    format: 'common', parsed: 4, responses401: 2,
    check: (r) => {
      // "-  -" double spaces, French months "sept." and "oct.", trailing space.
      expect(r.get(3)).toMatchObject({ ip: '175.18.15.10', status: 401, bytes: 1382, time: Date.UTC(2015, 8, 1, 22, 11, 31) });
      expect(r.get(11)?.time).toBe(Date.UTC(2015, 9, 16, 18, 29, 38));
    },
  },
  [`${F2B}nginx-bad-request`]: {
    format: 'main', parsed: 8,
    check: (r) => {
      expect(r.get(2)).toMatchObject({ ip: '12.34.56.78', status: 400, bytes: 47 });
      expect(r.get(2)?.method).toBeUndefined();
      expect(r.get(8)?.extra?.get('request')).toContain('Cookie: mstshash=Administr');
      expect(r.get(8)?.path).toBeUndefined();
      expect(r.get(20)).toMatchObject({ method: 'CONNECT', host: '123.123.123.123', user: 'root' });
      expect(r.get(20)?.path).toBeUndefined();
    },
  },
  [`${F2B}nginx-limit-req`]: {
    format: 'nginx_error', parsed: 9,
    check: (r) => {
      expect(r.get(12)?.ip).toBe('2001:db8::80da:af6b:8b2c');
      expect(r.get(6)).toMatchObject({ referer: 'https://example.com', host: 'example.com', path: '/index.php' });
      expect(r.get(29)).toMatchObject({ ip: '192.0.2.2', level: 'notice', time: Date.UTC(2023, 11, 9, 21, 35, 20) }); // journal prefix
    },
  },
  [`${F2B}apache-overflows`]: {
    format: 'apache_error', parsed: 11,
    check: (r) => {
      expect(r.get(3)).toMatchObject({ ip: '58.179.109.179', time: Date.UTC(2010, 2, 16, 15, 39, 29) });
      expect(r.get(27)?.message).toContain('Invalid method in request \\x16\\x03\\x01');
    },
  },
  [`${F2B}nginx-botsearch`]: {
    format: 'main', also: ['nginx_error'], parsed: 14,
    check: (r) => {
      expect(r.get(2)).toMatchObject({ path: '//phpMyAdmin-2.8.2.3/scripts/setup.php', status: 404 });
      expect(r.get(40)).toMatchObject({ kind: 'error', ip: '5.7.9.2', path: '/cgi-bin/php4' }); // "host nginx[2833]: " prefix
    },
  },
  [`${F2B}apache-fakegooglebot`]: {
    format: 'vhost_combined', parsed: 1,
    skipped: {
      3: "custom format '%h %l %u - [%t without zone] %V ...' that the source does not state; needs --log-format",
      5: 'same custom format as line 3',
    },
    check: (r) => expect(r.get(7)).toMatchObject({ host: 'www.sitename.com', ip: '192.0.2.222', status: 403 }),
  },
  [`${F2B}lighttpd-auth`]: { unsupported: 'lighttpd error log: not an nginx, Apache or JSON format' },
  'tstack__lnav/test__logfile_access_log.0': { format: 'combined', parsed: 3, check: (r) => expect(r.get(1)?.userAgent).toBe('gPXE/0.9.7') },
  'tstack__lnav/test__logfile_access_log.1': {
    format: 'combined', parsed: 1,
    check: (r) => {
      expect(r.get(1)).toMatchObject({ status: 400, bytes: 0 });
      expect(r.get(1)?.path).toBeUndefined();
    },
  },
  'tstack__lnav/test__logfile_bad_access_log.0': {
    format: 'combined', parsed: 2,
    skipped: { 2: 'the ident and user fields are missing ("192.168.202.254 [20/Jul/2009...")' },
  },
  'tstack__lnav/test__logfile_regexp_access_log.0': {
    format: 'vhost_combined', parsed: 2,
    check: (r) => expect(r.get(1)).toMatchObject({ host: 'localhost:443', ip: '178.20.184.42', user: 'jsmith', protocol: 'HTTP/2.0' }),
  },
  'tstack__lnav/test__logfile_syslog_with_access_log.0': { unsupported: 'syslog lines carrying a tomcat access entry without a [time] field' },
  'tstack__lnav/test__logfile_bunyan.0': { format: 'json', parsed: 10, check: (r) => expect(r.get(1)).toMatchObject({ level: 'debug', time: Date.UTC(2023, 2, 24, 14, 26, 16, 243) }) },
  'tstack__lnav/test__logfile_pino.0': { format: 'json', parsed: 1, check: (r) => expect(r.get(1)).toMatchObject({ level: 'info', message: 'Charge request received.' }) },
  'tstack__lnav/test__logfile_ecs_log.json': { format: 'json', parsed: 5, check: (r) => expect(r.get(4)?.level).toBe('error') },
  'tstack__lnav/test__logfile_cloudflare.1': {
    format: 'json', parsed: 15, responses401: 1,
    check: (r) => expect(r.get(6)).toMatchObject({ kind: 'access', status: 401, path: '/v1/users', host: 'api.example.com', userAgent: 'axios/1.6.2' }),
  },
  'tstack__lnav/test__logfile_caddy_log.0': {
    format: 'json', parsed: 39,
    check: (r) => expect(r.get(16)).toMatchObject({ kind: 'access', status: 304, ip: '172.19.0.1', path: '/' }), // "caddy  | " prefix
  },
  'tstack__lnav/test__logfile_json_invalid.json': {
    format: 'json', parsed: 12,
    skipped: { 5: 'truncated JSON: unterminated string, no closing brace' },
  },
  'allinurl__goaccess/_github__workflows__build-test.yml__inline-access.log': {
    format: 'vhost_combined', parsed: 4,
    check: (r) => {
      expect(r.get(2)).toMatchObject({ ip: '::1', method: 'OPTIONS', path: '*', host: 'google.com:80' });
      expect(r.get(3)).toMatchObject({ status: 408, ip: '142.250.190.142' });
    },
  },
  'crowdsecurity__hub/_tests__nginx-http-generic-bf__nginx-http-generic-bf.log': {
    format: 'nginx_error', also: ['main'], parsed: 22, responses401: 6,
    check: (r) => {
      expect(r.get(1)).toMatchObject({ user: 'foo', ip: '127.0.0.1', host: 'localhost' });
      expect(r.get(17)).toMatchObject({ kind: 'access', status: 401, user: 'test', path: '/client' });
    },
  },
  'crowdsecurity__hub/_tests__caddy-basic-auth-bf__caddy-logs.log': {
    format: 'json', parsed: 6, responses401: 6,
    check: (r) => expect(r.get(1)).toMatchObject({ status: 401, wwwAuthenticate: 'Basic realm="restricted"', ip: '127.0.0.1' }),
  },
  'crowdsecurity__hub/_tests__caddy-logs__caddy-logs.log': {
    format: 'json', parsed: 11, responses401: 2,
    check: (r) => {
      // client_ip (after trusted proxies), not the proxy's remote_ip.
      expect(r.get(1)?.ip).toBe('127.0.0.1');
      // "Authorization": [] is caddy hiding a header that was sent.
      expect(r.get(8)).toMatchObject({ status: 401, authorizationPresent: true });
      expect(r.get(9)?.authorizationPresent).toBeUndefined();
      expect(r.get(10)).toMatchObject({ status: 200, user: 'Bob' });
    },
  },
  'crowdsecurity__hub/_tests__litespeed-http-sensitive-files__litespeed-http-sensitive-files.log': { format: 'combined', parsed: 6, responses401: 6 },
  'crowdsecurity__hub/_tests__apache_log4j2_cve-2021-44228__apache_log4j2_cve-2021-44228.log': {
    format: 'combined', parsed: 3, responses401: 1,
    check: (r) => expect(r.get(3)?.referer).toMatch(/^\$\{jndi:/),
  },
  'crowdsecurity__hub/_tests__nginx_http-logs__nginx_http-logs.log': {
    format: 'combined', also: ['vhost_combined', 'nginx_error'], parsed: 8,
    skipped: { 8: 'the remote_user field is missing ("192.168.1.1 - [08/Jun/2020...")' },
    check: (r) => {
      expect(r.get(4)).toMatchObject({ host: 'www.crowdsec.net', ip: '192.168.1.1' }); // vhost without port
      expect(r.get(6)).toMatchObject({ host: 'www.crowdsec11.net:80', status: 301 });
    },
  },
  'crowdsecurity__hub/_tests__apache2-logs__apache2-logs.log': {
    format: 'combined', also: ['vhost_combined', 'apache_error', 'common'], parsed: 9,
    check: (r) => {
      expect(r.get(2)).toMatchObject({ bytes: 799, userAgent: 'masscan/1.0 (https://github.com/robertdavidgraham/masscan)' });
      expect(r.get(6)).toMatchObject({ bytes: 1513, status: 200 });
      expect(r.get(8)).toMatchObject({ kind: 'error', user: 'sss', ip: '31.33.58.75' });
      expect(r.get(9)).toMatchObject({ kind: 'error', ip: '192.168.1.1', level: 'info' }); // "(70014)End of file found:" before [client]
    },
  },
  'crowdsecurity__hub/_tests__apache2-malformed__apache2-logs.log': {
    format: 'combined', parsed: 11,
    check: (r) => {
      expect(r.get(1)?.extra?.get('request')).toBe('\u0016\u0003\u0001\u0001 \u0002');
      expect(r.get(1)?.time).toBe(Date.UTC(2023, 9, 16, 18, 57, 49)); // +1100
    },
  },
  'crowdsecurity__hub/_tests__traefik_clf__traefik_clf.log': {
    format: 'combined', parsed: 7,
    check: (r) => {
      expect(r.get(3)).toMatchObject({ userAgent: 'Nikto', status: 200, extra: new Map([['extra1', '240'], ['extra2', 'test@docker'], ['extra3', 'http://172.17.0.3:80'], ['extra4', '0ms']]) });
      expect(r.get(1)?.userAgent).toBeUndefined();
      expect(r.get(5)?.status).toBeUndefined(); // status "-"
    },
  },
  'crowdsecurity__hub/_tests__nginx_req_limit_exceeded__nginx_req_limit_exceeded.log': {
    format: 'nginx_error', parsed: 9,
    check: (r) => {
      expect(r.get(1)).toMatchObject({ ip: '::1', host: 'la03.d.sb' });
      expect(r.get(8)).toMatchObject({ method: 'POST', path: '/12&3.html', host: 'example.com' });
    },
  },
  'crowdsecurity__hub/_tests__pfsense-rfc5424-nginx__pfsense-rfc5424-nginx.log': {
    format: 'nginx_error', parsed: 1, check: (r) => expect(r.get(1)).toMatchObject({ ip: 'fdfd:ace:ace:7::17a', protocol: 'HTTP/2.0' }),
  },
  'crowdsecurity__hub/_tests__litellm-logs__litellm-logs.log': {
    format: 'uvicorn', parsed: 6, responses401: 6,
    check: (r) => {
      expect(r.get(2)).toMatchObject({ ip: '192.168.1.1', method: 'GET', path: '/models', query: 'return_wildcard_routes=false', status: 401 });
      expect(r.get(2)?.time).toBeNaN(); // uvicorn writes no time
    },
  },
  'crowdsecurity__hub/_tests__http-dos-invalid-http-versions__http-dos-invalid-http-versions.log': {
    format: 'combined', parsed: 6, check: (r) => expect(r.get(6)?.protocol).toBe('HTTP/2.1'),
  },
  'elastic__beats/filebeat__module__nginx__access__test__test.log': {
    format: 'combined', parsed: 5,
    skipped: {
      5: 'custom format: quoted X-Forwarded-For list before $remote_addr',
      6: 'custom format: unquoted X-Forwarded-For list before $remote_addr',
    },
    check: (r) => {
      expect(r.get(1)?.ip).toBe('10.0.0.2'); // "10.0.0.2, 10.0.0.1, 127.0.0.1" in $remote_addr
      expect(r.get(2)?.extra).toBeUndefined(); // trailing "-"
      expect(r.get(7)).toMatchObject({ status: 400, bytes: 0 });
    },
  },
  'elastic__beats/filebeat__module__nginx__access__test__access.log': {
    format: 'combined', also: ['vhost_combined'], parsed: 13,
    check: (r) => expect(r.get(13)).toMatchObject({ host: 'lessons.example.com', status: 206, path: '/A%20Beka%20G1%20Howe/029_AND_30/15%20reading%20elephants.mp4' }),
  },
  'elastic__beats/filebeat__module__nginx__error__test__error.log': {
    format: 'nginx_error', parsed: 4,
    skipped: {
      4: 'continuation of the multi-line FastCGI stderr message begun on line 3',
      5: 'continuation of the multi-line FastCGI stderr message begun on line 3',
    },
    check: (r) => expect(r.get(1)).toMatchObject({ referer: 'http://localhost:8080/', host: 'localhost:8080', path: '/favicon.ico' }),
  },
  'elastic__beats/filebeat__module__apache__access__test__test.log': {
    format: 'combined', also: ['common', 'vhost_combined'], parsed: 7,
    check: (r) => {
      expect(r.get(1)).toMatchObject({ ip: '::1', status: 404, bytes: 209 });
      expect(r.get(2)).toMatchObject({ bytes: 499, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:50.0) Gecko/20100101 Firefox/50.0' });
      expect(r.get(5)?.ip).toBe('monitoring-server');
      expect(r.get(7)).toMatchObject({ host: 'vhost1.domaine.fr', ip: '123.123.123.123' });
    },
  },
  'elastic__beats/filebeat__module__apache__access__test__darwin-2.4.23.log': { format: 'common', parsed: 6, check: (r) => expect(r.get(3)).toMatchObject({ status: 408, ip: '::1' }) },
  'elastic__beats/filebeat__module__apache__error__test__test.log': {
    format: 'apache_error', parsed: 3,
    check: (r) => expect(r.get(3)).toMatchObject({ ip: '72.15.99.187', time: Date.UTC(2011, 8, 9, 10, 42, 29, 902) }),
  },
  'elastic__beats/filebeat__module__apache__error__test__ubuntu-2.2.22.log': {
    format: 'apache_error', parsed: 7, check: (r) => expect(r.get(2)).toMatchObject({ referer: 'http://192.168.33.72/', message: 'File does not exist: /var/www/favicon.ico' }),
  },
  'elastic__beats/filebeat__module__apache__error__test__sublevel.log': {
    format: 'apache_error', parsed: 1, check: (r) => expect(r.get(1)).toMatchObject({ level: 'trace3', ip: '10.121.192.8' }),
  },
  'wvanbergen__request-log-analyzer/spec__fixtures__apache_combined.log': { format: 'combined', parsed: 5 },
  'wvanbergen__request-log-analyzer/spec__fixtures__apache_common.log': {
    format: 'common', parsed: 10, check: (r) => expect(r.get(1)?.bytes).toBeUndefined(),
  },
  'trentm__node-bunyan/test__corpus__withreq.log': {
    format: 'json', parsed: 3,
    check: (r) => {
      expect(r.get(1)?.path).toBeUndefined(); // "route":"HeadAgentProbes" is a name, not a path
      expect(r.get(2)).toMatchObject({ kind: 'access', status: 200, method: 'HEAD', path: '/agentprobes', ip: '10.2.207.2', requestId: 'cce79d15-ffc2-487c-a4e4-e940bdaac31e' });
    },
  },
  'trentm__node-bunyan/test__corpus__old-crashers__244.log': {
    format: 'json', parsed: 1, responses401: 1, check: (r) => expect(r.get(1)?.message).toContain('The access token provided has expired.'),
  },
  'trentm__node-bunyan/test__corpus__content-length-0-res.log': { format: 'json', parsed: 3, responses401: 2 },
  'trentm__node-bunyan/test__corpus__old-crashers__144.log': { format: 'json', parsed: 1, check: (r) => expect(r.get(1)).toMatchObject({ status: 304, ip: '127.0.0.1' }) },
  'trentm__node-bunyan/test__corpus__all.log': {
    format: 'json', parsed: 13,
    skipped: { 19: 'not JSON ("not a JSON line")', 20: '{"hi": "there"}: JSON naming no time, level, message, status or path' },
    check: (r) => expect([2, 3, 4, 5, 6, 7, 8].map((l) => r.get(l)?.level)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'error', 'fatal']),
  },
  'trentm__node-bunyan/test__corpus__non-object-res.log': { format: 'json', parsed: 1 },
  'matomo-org__matomo-log-analytics/tests__logs__nginx_json.log': {
    format: 'json', parsed: 2,
    check: (r) => expect(r.get(1)).toMatchObject({ kind: 'access', status: 200, path: '/piwik.php', ip: '1.2.3.4', host: 'www.piwik.org', time: Date.UTC(2013, 9, 10, 14, 52) }),
  },
  'matomo-org__matomo-log-analytics/tests__logs__logs_to_tests.log': { format: 'combined', parsed: 4, check: (r) => expect(r.get(6)).toMatchObject({ method: 'HEAD', status: 403 }) },
  'ossec__ossec-hids/contrib__ossec-testing__tests__apache.ini__extracted.log': {
    format: 'apache_error', parsed: 16,
    check: (r) => {
      expect(r.get(1)?.time).toBeNaN(); // 2.2 line without a timestamp
      expect(r.get(12)).toMatchObject({ ip: '141.8.147.9' }); // [:error]
      expect(r.get(13)).toMatchObject({ user: 'pupkin', path: '/secret/', ip: '10.101.1.50' });
      expect(r.get(15)?.ip).toBe('::1'); // [client ::1:50058]
      expect(r.get(16)?.ip).toBe('::1'); // (13)Permission denied: [client ::1:49934]
    },
  },
  'vectordotdev__vrl/src__stdlib__parse_nginx_log.rs__extracted.log': {
    format: 'combined', also: ['nginx_error'], parsed: 23,
    check: (r) => {
      expect(r.get(3)).toMatchObject({ status: 400 });
      expect(r.get(3)?.referer).toBeUndefined();
      expect(r.get(13)?.extra?.get('extra1')).toBe('1.2.3.4, 10.10.1.1');
      expect(r.get(19)?.host).toBeUndefined(); // host: "" and server: empty
    },
  },
  'vectordotdev__vrl/src__stdlib__parse_apache_log.rs__extracted.log': {
    format: 'apache_error', also: ['common', 'combined'], parsed: 6, responses401: 1,
    skipped: { 3: 'synthetic (flog) line with unquoted "- -" referer and agent, which no Apache format writes' },
    check: (r) => {
      expect(r.get(6)?.ip).toBe('eda7:35d:3ceb:ef1e:2133:e7bf:116e:24cc'); // unbracketed IPv6 + port
      expect(r.get(5)?.time).toBe(Date.UTC(2021, 2, 1, 12, 0, 19));
    },
  },
};

const manifest = present
  ? readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0])
  : [];
const rates: string[] = [];

// CI always has ../shared beside the checkout: there, a missing corpus is a failure, not a skip.
it.runIf(process.env.CI === 'true')('the shared corpus is present in CI', () => {
  expect(present, `${CORPUS} is missing`).toBe(true);
});

describe.skipIf(!present)('shared corpus (../shared/corpus)', () => {
  afterAll(() => {
    if (rates.length > 0) console.log(`corpus parse rates (parsed/non-blank lines):\n${rates.join('\n')}`);
  });

  it('has an expectation for every file in MANIFEST.tsv, and no stale one', () => {
    expect(manifest.length).toBeGreaterThan(0);
    expect(Object.keys(EXPECTED).sort()).toEqual([...manifest].sort());
  });

  it.each(manifest)('%s', async (file) => {
    const want = EXPECTED[file];
    expect(want, `no expectation for ${file}`).toBeDefined();
    const { sources, errors } = expandInputs([path.join(CORPUS, file)]);
    expect(errors).toEqual([]);
    const records: Records = new Map();
    const stats: InputStats = await readInput(sources[0], { accept: (p, _input, line) => records.set(line, p.record(file, line)) }, {
      registry: buildRegistry({ zone: UTC_ZONE }), strict: false, maxLineBytes: 65536, maxExamples: 1000,
    });
    const nonBlank = stats.lines - stats.blank;
    rates.push(`${String(stats.parsed).padStart(3)}/${String(nonBlank).padEnd(3)} ${stats.format ?? 'unsupported'}  ${file}`);
    if ('unsupported' in want) {
      expect(stats.error, want.unsupported).toMatch(/cannot recognise the log format/);
      expect(stats.parsed).toBe(0);
      return;
    }
    expect(stats.error).toBeUndefined();
    expect(stats.format).toBe(want.format);
    expect(stats.alsoFormats).toEqual(want.also ?? []);
    const skippedLines = stats.examples.map((e) => Number(e.source.slice(e.source.lastIndexOf(':') + 1)));
    expect(skippedLines, 'lines skipped').toEqual(Object.keys(want.skipped ?? {}).map(Number));
    expect(stats.malformed + stats.oversize).toBe(skippedLines.length);
    expect(stats.parsed).toBeGreaterThanOrEqual(want.parsed);
    expect(stats.parsed + stats.malformed + stats.oversize + stats.blank).toBe(stats.lines);
    expect([...records.values()].filter((r) => r.status === 401).length).toBe(want.responses401 ?? 0);
    want.check?.(records);
  });
});
