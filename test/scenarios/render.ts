import type { AccessFormat, AppLine, AppStyle, ErrLine, ErrorStyle, Req } from './model.js';

/**
 * Turns requests and messages into log lines, byte for byte as the servers
 * and loggers write them: nginx's default escaping (\xHH), nginx escape=json,
 * Apache's \" escaping and "-" for empty %b, pino / winston / logstash-logback
 * JSON shapes, nginx error.log and Apache 2.2 / 2.4 error_log layouts.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Wall-clock fields of a UTC instant in a fixed-offset zone. */
function wall(ms: number, offsetMin: number): Date {
  return new Date(ms + offsetMin * 60000);
}

function offset(offsetMin: number, colon: boolean): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${sign}${p2(Math.floor(a / 60))}${colon ? ':' : ''}${p2(a % 60)}`;
}

/** 12/Mar/2026:10:00:01 +0000 */
export function clfTime(ms: number, offsetMin: number): string {
  const d = wall(ms, offsetMin);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${offset(offsetMin, false)}`;
}

/** 2026-03-12T10:00:01+00:00 (nginx $time_iso8601) */
export function isoSeconds(ms: number, offsetMin: number): string {
  const d = wall(ms, offsetMin);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${offset(offsetMin, true)}`;
}

/** 2026-03-12T10:00:01.234+00:00 (logstash-logback-encoder) */
function isoMillis(ms: number, offsetMin: number): string {
  const d = wall(ms, offsetMin);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}${offset(offsetMin, true)}`;
}

/** 2026/03/12 10:00:01 (nginx error.log, local time, no zone) */
function nginxErrorTime(ms: number, offsetMin: number): string {
  const d = wall(ms, offsetMin);
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** Thu Mar 12 10:00:01.123456 2026 (Apache 2.4) or without the fraction (2.2). */
function apacheErrorTime(ms: number, offsetMin: number, micros: boolean): string {
  const d = wall(ms, offsetMin);
  const frac = micros ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}${String((ms * 7) % 1000).padStart(3, '0')}` : '';
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac} ${d.getUTCFullYear()}`;
}

/** nginx's default escaping of logged variables: ", \ and bytes outside 0x20-0x7e as \xHH. */
export function nginxEscape(v: string): string {
  let out = '';
  for (const byte of Buffer.from(v, 'utf8')) {
    out += byte === 0x22 || byte === 0x5c || byte < 0x20 || byte > 0x7e ? `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}

function apacheEscape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

const dash = (v: string | undefined) => (v === undefined || v === '' ? '-' : v);

export const NGINX_CUSTOM_FORMAT_WITH_ID =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" ' +
  '$request_id $upstream_addr $upstream_status $upstream_cache_status $request_time "$sent_http_www_authenticate" "$http_authorization"';
export const NGINX_CUSTOM_FORMAT_NO_ID =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" ' +
  '$upstream_addr $upstream_status $upstream_cache_status $request_time "$sent_http_www_authenticate"';
export const APACHE_FORMAT_WITH_ID = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %{X-Request-ID}i';

/** The --log-format a scenario needs, if its access format is not a preset the CLI detects. */
export function logFormatFor(access: AccessFormat, requestIds: boolean): string | undefined {
  if (access === 'nginx_custom') return requestIds ? NGINX_CUSTOM_FORMAT_WITH_ID : NGINX_CUSTOM_FORMAT_NO_ID;
  if (access === 'apache_combined' && requestIds) return APACHE_FORMAT_WITH_ID;
  return undefined;
}

/** When the server stamps the line: nginx at the end of the request, Apache at its start. */
function stampOf(r: Req, access: AccessFormat): number {
  return access === 'apache_combined' ? r.start : r.start + r.dur;
}

export function accessLine(r: Req, access: AccessFormat, requestIds: boolean, offsetMin: number): string {
  const stamp = stampOf(r, access);
  const request = `${r.method} ${r.target} ${r.proto}`;
  switch (access) {
    case 'nginx_combined':
      return `${r.ip} - ${dash(r.user)} [${clfTime(stamp, offsetMin)}] "${nginxEscape(request)}" ${r.status} ${r.bytes} "${nginxEscape(dash(r.referer))}" "${nginxEscape(r.ua)}"`;
    case 'nginx_custom': {
      const head = `${r.ip} - ${dash(r.user)} [${clfTime(stamp, offsetMin)}] "${nginxEscape(request)}" ${r.status} ${r.bytes} "${nginxEscape(dash(r.referer))}" "${nginxEscape(r.ua)}"`;
      const up = `${dash(r.upstream)} ${dash(r.upstreamStatus)} ${dash(r.cache)} ${(r.dur / 1000).toFixed(3)} "${nginxEscape(dash(r.wwwAuth))}"`;
      return requestIds ? `${head} ${r.reqId} ${up} "${nginxEscape(dash(r.authorization))}"` : `${head} ${up}`;
    }
    case 'nginx_json': {
      // log_format json escape=json '{...}': every value a string, unset variables empty.
      const o: Record<string, string> = {
        time_iso8601: isoSeconds(stamp, offsetMin),
        remote_addr: r.ip,
        remote_user: r.user ?? '',
        request_method: r.method,
        request_uri: r.target,
        server_protocol: r.proto,
        status: String(r.status),
        body_bytes_sent: String(r.bytes),
        request_time: (r.dur / 1000).toFixed(3),
        http_referer: r.referer ?? '',
        http_user_agent: r.ua,
        http_host: r.host,
      };
      if (requestIds) o.request_id = r.reqId;
      o.upstream_addr = r.upstream ?? '';
      o.upstream_status = r.upstreamStatus ?? '';
      o.upstream_cache_status = r.cache ?? '';
      o.sent_http_www_authenticate = r.wwwAuth ?? '';
      if (requestIds) o.http_authorization = r.authorization ?? '';
      return JSON.stringify(o);
    }
    case 'apache_combined': {
      const line = `${r.ip} - ${dash(r.user)} [${clfTime(stamp, offsetMin)}] "${apacheEscape(request)}" ${r.status} ${r.bytes === 0 ? '-' : r.bytes} "${apacheEscape(dash(r.referer))}" "${apacheEscape(r.ua)}"`;
      return requestIds ? `${line} ${r.reqId}` : line;
    }
  }
}

/** Path and query as the app's router sees them. */
function url(r: Req): string {
  return r.target;
}

function errObject(a: AppLine): Record<string, unknown> | undefined {
  const e = a.m.err;
  if (!e) return undefined;
  const o: Record<string, unknown> = { type: e.type, message: e.message };
  if (e.code !== undefined) o.code = e.code;
  Object.assign(o, e.props ?? {});
  o.stack = `${e.type}: ${e.message}\n    at /srv/app/node_modules/${e.type.startsWith('JW') && e.code?.startsWith('ERR_') ? 'jose/dist/node/esm' : 'jsonwebtoken'}/verify.js:${120 + (e.message.length % 80)}:21`;
  return o;
}

const PINO_LEVEL: Record<string, number> = { debug: 20, info: 30, warn: 40, error: 50 };

/**
 * One app line. `seq` numbers requests the way pino-http does by default
 * (1, 2, 3 ...) when the app does not take the edge's request id.
 */
export function appLine(a: AppLine, style: AppStyle, offsetMin: number, seq: number, hostname: string): string {
  const r = a.req;
  if (style === 'pino') {
    const o: Record<string, unknown> = { level: PINO_LEVEL[a.m.level], time: Math.round(a.time), pid: 4121, hostname };
    o.reqId = a.withReqId ? r.reqId : seq;
    o.req = { id: a.withReqId ? r.reqId : seq, method: r.method, url: url(r), remoteAddress: r.ip, remotePort: 40000 + (seq % 20000) };
    if (a.completion) {
      o.res = { statusCode: r.status };
      o.responseTime = Math.max(1, Math.round(r.dur * 0.8));
    }
    Object.assign(o, a.m.fields ?? {});
    const err = errObject(a);
    if (err) o.err = err;
    o.msg = a.m.msg;
    return JSON.stringify(o);
  }
  if (style === 'winston') {
    const o: Record<string, unknown> = { level: a.m.level, message: a.m.err ? `${a.m.msg}: ${a.m.err.message}` : a.m.msg };
    if (a.withReqId) o.request_id = r.reqId;
    o.ip = r.ip;
    o.method = r.method;
    o.url = url(r);
    if (a.completion) {
      o.statusCode = r.status;
      o.responseTime = Math.max(1, Math.round(r.dur * 0.8));
    }
    Object.assign(o, a.m.fields ?? {});
    if (a.m.err) o.error = { name: a.m.err.type, message: a.m.err.message, ...(a.m.err.code !== undefined ? { code: a.m.err.code } : {}) };
    o.timestamp = new Date(Math.round(a.time)).toISOString();
    return JSON.stringify(o);
  }
  // logstash-logback-encoder with MDC (requestId or a tracing id), clientIp and uri from a servlet filter.
  const fields = { ...(a.m.fields ?? {}) };
  const logger = (fields.logger_name as string | undefined) ?? 'c.e.api.web.RequestLoggingFilter';
  delete fields.logger_name;
  const o: Record<string, unknown> = {
    '@timestamp': isoMillis(Math.round(a.time), offsetMin),
    '@version': '1',
    message: a.m.err ? `${a.m.msg}: ${a.m.err.message}` : a.m.msg,
    logger_name: logger,
    thread_name: `http-nio-8080-exec-${1 + (seq % 10)}`,
    level: a.m.level.toUpperCase(),
    level_value: { debug: 10000, info: 20000, warn: 30000, error: 40000 }[a.m.level],
  };
  if (a.withReqId) o.requestId = r.reqId;
  else o.traceId = hash32(`${r.reqId}t`);
  o.clientIp = r.ip;
  o.method = r.method;
  o.uri = url(r).split('?')[0];
  Object.assign(o, fields);
  if (a.m.err) o.stack_trace = `${a.m.err.type}: ${a.m.err.message}\n\tat org.springframework.security.web.authentication.www.BasicAuthenticationFilter.doFilterInternal(BasicAuthenticationFilter.java:178)\n\t... 52 common frames omitted`;
  return JSON.stringify(o);
}

/** Stable 32-hex digest of a string (a tracing id that matches nothing at the edge). */
function hash32(s: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 + s.charCodeAt(i), 2246822519) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
}

export function errorLine(e: ErrLine, style: ErrorStyle, offsetMin: number, conn: number): string {
  const r = e.req;
  if (style === 'nginx') {
    const ctx = `, client: ${r.ip}, server: ${r.host}, request: "${r.method} ${r.target} ${r.proto}"${e.module === 'upstream' ? `, upstream: "http://${(r.upstream ?? '10.0.2.11:3000').split(',')[0]}${r.target}"` : ''}, host: "${r.host}"${r.referer ? `, referrer: "${r.referer}"` : ''}`;
    return `${nginxErrorTime(e.time, offsetMin)} [${e.level}] ${1200 + (conn % 4)}#${1200 + (conn % 4)}: *${conn} ${e.text}${ctx}`;
  }
  if (style === 'apache24') {
    // 2.4 writes an IPv6 client without brackets, port appended: [client 2001:db8::5:51234].
    const ref = r.referer ? `, referer: ${r.referer}` : '';
    return `[${apacheErrorTime(e.time, offsetMin, true)}] [${e.module}:${e.level}] [pid ${21000 + (conn % 7)}:tid ${139876543210000 + (conn % 5)}] [client ${r.ip}:${40000 + (conn % 20000)}] ${e.text}${ref}`;
  }
  // Apache 2.2: no module, no pid, no AH codes, client without port.
  const text = e.text.replace(/^AH\d{5}: /, '');
  return `[${apacheErrorTime(e.time, offsetMin, false)}] [${e.level}] [client ${r.ip}] ${text}${r.referer ? `, referer: ${r.referer}` : ''}`;
}
