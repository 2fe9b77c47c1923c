import fc from 'fast-check';

/**
 * Requests, and the lines nginx, Apache, HAProxy and uvicorn write for them,
 * each with the server's own escaping: the property tests feed these to the
 * parsers. Only what the tests need of each server is modelled.
 */

// ---------------------------------------------------------------- requests

export interface Req {
  ip: string;
  /** undefined: no authenticated user. */
  user?: string;
  timeMs: number;
  /** The server's UTC offset in minutes, as its local time is written. */
  offsetMin: number;
  method: string;
  path: string;
  query?: string;
  protocol: string;
  status: number;
  bytes: number;
  /** undefined: the header was not sent. */
  referer?: string;
  userAgent?: string;
  forwardedFor?: string;
  requestId?: string;
  upstreamAddr?: string;
  cacheStatus?: string;
  wwwAuthenticate?: string;
  requestTimeMs: number;
  port: number;
  vhost: string;
}

/** Pieces of hostile text: quotes, backslashes, text that looks like escapes, controls, UTF-8 of every width. */
export const hostileUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 4 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ' ', '  ', '"', '\\', '\\"', '"\\', '\\\\', '\\x41', '\\xE3\\x81', '\\u0041', '\\n', '\\', '-', '日本語', 'ブラウザ', '😀', '👩‍💻',
      '\u0000', '\u0001', '\t', '\n', '\r', '\u000b', '\b', '\f', '\u001b[31m', '\u007f', '\u0085', 'é', '\u00a0', '\u2028', '\ufffd', '\u202e',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);
export const hostileText = fc.string({ unit: hostileUnit, maxLength: 10 });

const userArb = fc.string({
  unit: fc.oneof(fc.constantFrom(...'abcxyzABZ019._@-'.split('')), fc.constantFrom('ユーザー', 'é', '😀', '"', '\\', '\t', '\u0001', '%')),
  minLength: 1,
  maxLength: 8,
}).filter((u) => u !== '-');

/** Path segments a client may send in a request line: no space, no "?", no "#". */
const segment = fc.string({
  unit: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...'abcdefxyz0189-._~!$&\'()*+,;=:@%'.split('')) },
    { weight: 1, arbitrary: fc.constantFrom('%2F', '%20', 'ü', '日本', '😀', '"', '\\', '\\x41') },
  ),
  maxLength: 8,
});
export const pathArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
export const queryArb = fc.string({
  unit: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...'abkxyz019=&?/-_.%+'.split('')) },
    { weight: 1, arbitrary: fc.constantFrom('ä', '東京', '"', '\\', '😀') },
  ),
  maxLength: 16,
});

const hexId = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: n, maxLength: n });
const tokenId = fc.string({ unit: fc.constantFrom(...'abcXYZ0189-_.'.split('')), minLength: 1, maxLength: 24 }).filter((s) => s !== '-');
const hostPort = fc.tuple(fc.oneof(fc.ipV4(), fc.ipV6().map((a) => `[${a}]`)), fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `${a}:${p}`);
const upstreamArb = fc.oneof(
  hostPort,
  fc.array(hostPort, { minLength: 2, maxLength: 3 }).map((a) => a.join(', ')),
  fc.tuple(hostPort, hostPort).map(([a, b]) => `${a} : ${b}`),
  fc.constant('unix:/run/app.sock'),
);
const challengeArb = fc.oneof(
  fc.constantFrom('Bearer realm="api", error="invalid_token", error_description="The access token expired"', 'Basic realm="Restricted Area"', 'Negotiate'),
  hostileText,
);

export const reqArb: fc.Arbitrary<Req> = fc.record({
  ip: fc.oneof(fc.ipV4(), fc.ipV6()),
  user: fc.option(userArb, { nil: undefined }),
  timeMs: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2037, 11, 31) }),
  offsetMin: fc.constantFrom(0, 60, 330, 345, 540, 840, -210, -300, -720),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND'),
  path: pathArb,
  query: fc.option(queryArb, { nil: undefined }),
  protocol: fc.constantFrom('HTTP/1.0', 'HTTP/1.1', 'HTTP/2.0', 'HTTP/3.0'),
  status: fc.integer({ min: 100, max: 599 }),
  bytes: fc.integer({ min: 0, max: 2 ** 40 }),
  referer: fc.option(fc.oneof(fc.constant('https://example.com/login?next=%2Fadmin'), hostileText), { nil: undefined }),
  userAgent: fc.option(fc.oneof(fc.constant('Mozilla/5.0 (X11; Linux x86_64) ブラウザ/1.0'), hostileText), { nil: undefined }),
  forwardedFor: fc.option(fc.oneof(fc.ipV4(), fc.tuple(fc.ipV4(), fc.ipV4()).map(([a, b]) => `${a}, ${b}`)), { nil: undefined }),
  requestId: fc.option(hexId(32), { nil: undefined }),
  upstreamAddr: fc.option(upstreamArb, { nil: undefined }),
  cacheStatus: fc.option(fc.constantFrom('HIT', 'MISS', 'BYPASS', 'EXPIRED', 'STALE', 'UPDATING', 'REVALIDATED'), { nil: undefined }),
  wwwAuthenticate: fc.option(challengeArb, { nil: undefined }),
  requestTimeMs: fc.integer({ min: 0, max: 600_000 }),
  port: fc.integer({ min: 1, max: 65535 }),
  vhost: fc.constantFrom('api.example.jp', 'www.example.com', 'localhost', 'xn--r8jz45g.jp'),
});

// ---------------------------------------------------------------- how servers write values

const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];
const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** nginx escape=default: `"`, `\` and bytes outside 0x20-0x7e as \xHH (upper case) of the UTF-8 bytes. */
export function nginxEscape(s: string): string {
  let out = '';
  for (const b of utf8(s)) out += b === 0x22 || b === 0x5c || b < 0x20 || b >= 0x7f ? `\\x${hex2(b).toUpperCase()}` : String.fromCharCode(b);
  return out;
}

/** nginx escape=json (ngx_escape_json): `\"`, `\\`, \n \r \t \b \f, other controls as \u00XX; UTF-8 as it is. */
export function nginxJsonEscape(s: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  let out = '';
  for (const c of s) out += named[c] ?? (c.charCodeAt(0) < 0x20 ? `\\u00${hex2(c.charCodeAt(0))}` : c);
  return out;
}

/** Apache ap_escape_logitem: `\"`, `\\`, \b \n \r \t \v, other non-printable bytes (UTF-8 included) as \xhh. */
export function apacheEscape(s: string): string {
  const named: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v' };
  let out = '';
  for (const b of utf8(s)) out += named[b] ?? (b < 0x20 || b >= 0x7f ? `\\x${hex2(b)}` : String.fromCharCode(b));
  return out;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** The request's time as the server's local wall clock. */
function wall(r: Req): Date {
  return new Date(r.timeMs + r.offsetMin * 60000);
}
function offset(r: Req, colon: boolean): string {
  const a = Math.abs(r.offsetMin);
  return `${r.offsetMin < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}${colon ? ':' : ''}${p2(a % 60)}`;
}
/** $time_local and Apache %t (without brackets): 12/Mar/2026:10:00:02 +0900. */
export function clfTime(r: Req): string {
  const d = wall(r);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${offset(r, false)}`;
}
/** $time_iso8601: 2026-03-12T10:00:02+09:00. */
function isoTime(r: Req): string {
  const d = wall(r);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${offset(r, true)}`;
}
const msec = (r: Req) => `${Math.floor(r.timeMs / 1000)}.${String(r.timeMs % 1000).padStart(3, '0')}`;
const requestTime = (r: Req) => `${Math.floor(r.requestTimeMs / 1000)}.${String(r.requestTimeMs % 1000).padStart(3, '0')}`;
export const target = (r: Req) => (r.query === undefined ? r.path : `${r.path}?${r.query}`);
export const requestLine = (r: Req) => `${r.method} ${target(r)} ${r.protocol}`;

export type NginxEscaping = 'default' | 'json';

/** nginx's own log variables (ngx_http_log_vars) are written as they are, never escaped, never missing. */
const NGINX_LOG_VARS = new Set(['time_local', 'time_iso8601', 'msec', 'request_time', 'status', 'body_bytes_sent', 'bytes_sent']);

function nginxValue(r: Req, name: string): string | undefined {
  switch (name) {
    case 'remote_addr': return r.ip;
    case 'remote_user': return r.user;
    case 'time_local': return clfTime(r);
    case 'time_iso8601': return isoTime(r);
    case 'msec': return msec(r);
    case 'request': return requestLine(r);
    case 'request_method': return r.method;
    case 'request_uri': return target(r);
    case 'server_protocol': return r.protocol;
    case 'status': return String(r.status);
    case 'body_bytes_sent': return String(r.bytes);
    case 'http_referer': return r.referer;
    case 'http_user_agent': return r.userAgent;
    case 'http_x_forwarded_for': return r.forwardedFor;
    case 'request_id': return r.requestId ?? '0123456789abcdef0123456789abcdef';
    case 'upstream_addr': return r.upstreamAddr;
    case 'upstream_cache_status': return r.cacheStatus;
    case 'sent_http_www_authenticate': return r.wwwAuthenticate;
    case 'request_time': return requestTime(r);
    default: throw new Error(`test has no value for $${name}`);
  }
}

/**
 * A line as nginx writes it: every variable escaped; a variable that is not
 * found is "-" with default escaping and nothing at all with escape=json
 * (ngx_http_log_json_variable_getlen returns 0).
 */
export function writeNginx(format: string, r: Req, escaping: NginxEscaping): string {
  return format.replace(/\$([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = nginxValue(r, name);
    if (NGINX_LOG_VARS.has(name)) return v as string;
    if (v === undefined) return escaping === 'json' ? '' : '-';
    return escaping === 'json' ? nginxJsonEscape(v) : nginxEscape(v);
  });
}

function apacheValue(r: Req, directive: string): string {
  const orDash = (v: string | undefined) => (v === undefined ? '-' : apacheEscape(v));
  switch (directive) {
    case '%h': return r.ip;
    case '%l': return '-';
    case '%u': return orDash(r.user);
    case '%t': return `[${clfTime(r)}]`;
    case '%r': return apacheEscape(requestLine(r));
    case '%>s': return String(r.status);
    // %b is CLF's "-" for no bytes; %O counts headers too, so never 0 on the wire, but writes 0 as 0.
    case '%b': return r.bytes === 0 ? '-' : String(r.bytes);
    case '%O': return String(r.bytes);
    case '%{Referer}i': return orDash(r.referer);
    case '%{User-Agent}i': return orDash(r.userAgent);
    case '%{X-Request-ID}i': return r.requestId ?? '-';
    case '%D': return String(r.requestTimeMs * 1000);
    case '%v': return r.vhost;
    case '%p': return String(r.port);
    default: throw new Error(`test has no value for ${directive}`);
  }
}

/** A line as Apache writes it, from a LogFormat as it appears in httpd.conf (with \" for quotes). */
export function writeApache(format: string, r: Req): string {
  return format.replace(/\\"/g, '"').replace(/%(?:>s|\{[^}]*\}[a-zA-Z]|[a-zA-Z])/g, (d) => apacheValue(r, d));
}

/** HAProxy 'option httplog': the request line is ASCII here (HAProxy #-encodes the rest), the time has milliseconds and no zone. */
export function writeHaproxy(r: Req, syslog: boolean): string {
  const d = new Date(r.timeMs);
  const t = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  const prefix = syslog ? `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} lb1 haproxy[1234]: ` : '';
  return `${prefix}${r.ip}:${r.port} [${t}] www~ api/app1 0/0/1/12/13 ${r.status} ${r.bytes} - - ---- 3/3/1/1/0 0/0 "${requestLine(r)}"`;
}

/** uvicorn: "INFO:     ip:port - "request" status reason"; the address is written unbracketed or bracketed. */
export function writeUvicorn(r: Req, bracket: boolean): string {
  const addr = bracket && r.ip.includes(':') ? `[${r.ip}]` : r.ip;
  return `INFO:     ${addr}:${r.port} - "${requestLine(r)}" ${r.status} Unauthorized`;
}
