import type { LogRecord } from '../record.js';

/**
 * Access-log presets, as data. Each carries sample lines with the record they
 * must give; a test checks every sample, so a preset cannot drift silently.
 * Order matters for detection: on a tie the earlier (more specific) wins.
 */
export interface AccessPreset {
  name: string;
  syntax: 'nginx' | 'apache';
  format: string;
  allowTrailing: boolean;
  /** Lines may start with a syslog prefix ("Mar 12 10:00:06 lb1 haproxy[1234]: "). */
  syslogPrefix?: boolean;
  description: string;
  samples: { line: string; expect: Partial<LogRecord> }[];
}

export const ACCESS_PRESETS: readonly AccessPreset[] = [
  {
    name: 'vhost_combined',
    syntax: 'apache',
    format: '%v %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    allowTrailing: true,
    description: 'Apache vhost_combined (virtual host first, with or without :port)',
    samples: [{
      line: 'api.example.jp:443 203.0.113.9 - - [12/Mar/2026:10:00:01 +0900] "GET /v1/me HTTP/1.1" 401 61 "-" "curl/8.5.0"',
      expect: { host: 'api.example.jp:443', ip: '203.0.113.9', method: 'GET', path: '/v1/me', status: 401, time: Date.UTC(2026, 2, 12, 1, 0, 1) },
    }],
  },
  {
    name: 'main',
    syntax: 'nginx',
    format: '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"',
    allowTrailing: true,
    description: "nginx's sample 'main' format: combined plus X-Forwarded-For; further appended fields are kept as extra1, extra2 ...",
    samples: [{
      line: '10.0.0.7 - - [12/Mar/2026:10:00:02 +0000] "POST /login HTTP/1.1" 401 0 "-" "Mozilla/5.0" "198.51.100.4"',
      expect: { ip: '10.0.0.7', method: 'POST', path: '/login', status: 401, bytes: 0, userAgent: 'Mozilla/5.0' },
    }],
  },
  {
    name: 'combined',
    syntax: 'apache',
    format: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    allowTrailing: true,
    description: 'nginx default and Apache combined; appended fields are kept as extra1, extra2 ...',
    samples: [{
      line: '2001:db8::1 - alice [12/Mar/2026:10:00:03 -0500] "GET /admin?x=1 HTTP/2.0" 401 12 "https://example.com/" "Mozilla/5.0 (X11; Linux)"',
      expect: { ip: '2001:db8::1', user: 'alice', path: '/admin', query: 'x=1', protocol: 'HTTP/2.0', status: 401, referer: 'https://example.com/', time: Date.UTC(2026, 2, 12, 15, 0, 3) },
    }],
  },
  {
    name: 'common',
    syntax: 'apache',
    format: '%h %l %u %t "%r" %>s %b',
    allowTrailing: false,
    description: 'Common Log Format (CLF)',
    samples: [{
      line: '192.0.2.5 - bob [12/Mar/2026:10:00:04 +0000] "GET /secure/ HTTP/1.0" 401 381',
      expect: { ip: '192.0.2.5', user: 'bob', path: '/secure/', status: 401, bytes: 381 },
    }, {
      // Apache writes "" for a user name sent empty (Basic credentials ":").
      line: '192.0.2.5 - "" [12/Mar/2026:10:00:05 +0000] "GET /secure/ HTTP/1.0" 401 381',
      expect: { ip: '192.0.2.5', user: '', path: '/secure/', status: 401 },
    }],
  },
  {
    name: 'haproxy_http',
    syntax: 'nginx',
    format: '$remote_addr:$remote_port [$time_local] $frontend $backend/$server $timers $status $body_bytes_sent $request_cookie $response_cookie $termination_state $connections $queues "$request"',
    allowTrailing: false,
    syslogPrefix: true,
    description: "HAProxy 'option httplog' (syslog prefix optional, no captured headers); accept time in --tz; termination state PR-- is HAProxy's own denial",
    samples: [{
      line: '203.0.113.7:51234 [12/Mar/2026:10:00:05.123] www~ api/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 1/1/0/0/0 0/0 "GET /admin HTTP/1.1"',
      expect: { ip: '203.0.113.7', method: 'GET', path: '/admin', status: 401, bytes: 248, time: Date.UTC(2026, 2, 12, 10, 0, 5, 123) },
    }, {
      line: 'Mar 12 10:00:06 lb1 haproxy[1234]: 2001:db8::7:51236 [12/Mar/2026:10:00:06.001] www~ api/app1 0/0/1/12/13 200 512 - - ---- 3/3/1/1/0 0/0 "GET /api/v1/me HTTP/1.1"',
      expect: { ip: '2001:db8::7', path: '/api/v1/me', status: 200, bytes: 512, time: Date.UTC(2026, 2, 12, 10, 0, 6, 1) },
    }],
  },
  {
    name: 'uvicorn',
    syntax: 'nginx',
    format: '$level: $remote_addr:$remote_port - "$request" $status',
    allowTrailing: true,
    description: 'uvicorn / FastAPI access lines (no timestamp); the reason phrase is kept as extra1',
    samples: [{
      line: 'INFO:     203.0.113.9:52782 - "POST /login HTTP/1.1" 401 Unauthorized',
      expect: { ip: '203.0.113.9', method: 'POST', path: '/login', status: 401 },
    }, {
      line: 'INFO: [2001:db8::9]:52790 - "GET /v1/models?return_wildcard_routes=false HTTP/1.1" 401 Unauthorized',
      expect: { ip: '2001:db8::9', path: '/v1/models', query: 'return_wildcard_routes=false', status: 401 },
    }],
  },
];
