import type { LogRecord } from '../record.js';
import { applyRequestLine } from './request.js';
import type { LineParser, ParserFactory } from './parser.js';
import { parseAnyTime, parseIsoTime } from './timestamps.js';
import { SYSLOG_PREFIX } from './syslogPrefix.js';
import type { Zone } from './zone.js';

/**
 * nginx error.log and Apache error_log (2.2 and 2.4). Their timestamps carry
 * no zone, so the run's --tz decides. Syslog or journald prefixes before the
 * timestamp are skipped.
 */

// 2024/01/02 03:04:05 [error] 123#456: *7 message, client: 1.2.3.4, server: x, request: "GET / HTTP/1.1", host: "x"
// Unanchored: a syslog or journald prefix may come first.
const NGINX_RE = /(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}) \[([a-z]+)\] \d+#\d+: (?:\*\d+ )?(.*)$/;
// The context nginx appends, in this order, after the message; it runs to the end of the line.
const NGINX_CONTEXT_STRICT_RE = /^, client: ([^,\s]+)(?:, server: ([^,]*))?(?:, request: "((?:[^"\\]|\\.)*)")?((?:, (?:subrequest|upstream|host|referrer): "(?:[^"\\]|\\.)*")*)\s*$/;
// Other modules (stream, mail) append further context nginx does not quote.
const NGINX_CONTEXT_RE = /^, client: ([^,\s]+)(?:, server: ([^,]*))?(?:, request: "((?:[^"\\]|\\.)*)")?(.*)$/;
const NGINX_TAIL_RE = /, (upstream|host|referrer): "((?:[^"\\]|\\.)*)"/g;

// [Wed Oct 11 14:32:52.123456 2000] [auth_basic:error] [pid 1:tid 2] [client 1.2.3.4:5678] AH01617: ...
// [Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4] ...   (2.2; some 2.2 lines have no timestamp)
const APACHE_RE = new RegExp(String.raw`^(?:${SYSLOG_PREFIX})?(?:\[([^\]]{10,40})\] )?\[(?:([a-z_0-9]*):)?(emerg|alert|crit|error|warn|notice|info|debug|trace\d)\] (.*)$`);
// Bracketed groups before the message. The client may be "[client 2001:db8::1]", "[client ::1:50058]" or "[client [2001:db8::1]:443]".
const APACHE_LEAD_RE = /^(?:\[pid \d+(?::tid \d+)?\] |\[[a-z_]+ \d+\] |[\w.]+\.c\(\d+\): |\(\d+\)[^:[\]]{0,80}: |\[(?:client|remote) (\[[^\]\s]*\](?::\d+)?|[^\]\s]+)\] )/;

// Who and what an auth failure names, in the words nginx and Apache use.
const NGINX_USER_RE = /^user "((?:[^"\\]|\\.)+)"(?::| was not found)/;
// Auth messages of Apache's mod_auth_basic, mod_auth_digest, mod_authz_*, anchored at the
// start of the message: a "user x not found" inside a logged URL names nobody.
const AH = String.raw`^(?:AH\d{5}: )?(?:Digest: )?`;
const APACHE_AUTH_RES: readonly { re: RegExp; user?: number; path?: number }[] = [
  { re: new RegExp(`${AH}user (\\S*): (?:authentication|authorization) failure for "([^"]*)"`), user: 1, path: 2 },
  { re: new RegExp(`${AH}user (\\S*): password mismatch: (\\S+)$`), user: 1, path: 2 },
  { re: new RegExp(`${AH}user (\\S*) not found(?:: (\\S+))?$`), user: 1, path: 2 },
  { re: new RegExp(`${AH}user \`([^']*)' in realm \`[^']*' not found: (\\S+)$`), user: 1, path: 2 },
  { re: new RegExp(`${AH}Authorization of user (\\S+) to access (\\S+) failed`), user: 1, path: 2 },
  { re: new RegExp(`${AH}.*?(?:authentication scheme|received): (\\S+)$`), path: 1 },
];

class RegexLineParser implements LineParser {
  readonly kind = 'error' as const;
  private rec: LogRecord | undefined;
  constructor(
    readonly format: string,
    private readonly parseLine: (text: string, rec: LogRecord) => boolean,
  ) {}
  scan(text: string): boolean {
    const rec: LogRecord = { kind: 'error', input: '', line: 0, time: NaN };
    if (!this.parseLine(text, rec)) return false;
    this.rec = rec;
    return true;
  }
  status(): number {
    return NaN;
  }
  time(): number {
    return this.rec?.time ?? NaN;
  }
  peek(fact: 'ip' | 'upstreamAddr' | 'userAgent' | 'path'): string | undefined {
    return this.rec?.[fact];
  }
  record(input: string, line: number): LogRecord {
    return { ...(this.rec as LogRecord), input, line };
  }
}

export function parseNginxErrorLine(text: string, rec: LogRecord, zone: Zone): boolean {
  const m = NGINX_RE.exec(text);
  if (!m) return false;
  rec.time = parseIsoTime(m[1], zone);
  rec.level = m[2];
  let message = m[3];
  const ctx = nginxContext(message);
  if (ctx) {
    message = message.slice(0, ctx.index);
    rec.ip = ctx.m[1];
    // "server:" is the server_name, or for connection-level errors the listening address (not a host).
    const server = ctx.m[2];
    if (server && server !== '_' && !/^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]*\]|\*)(?::\d+)?$/i.test(server)) rec.host = server;
    if (ctx.m[3] !== undefined) applyRequestLine(rec, ctx.m[3]);
    for (const t of ctx.m[4].matchAll(NGINX_TAIL_RE)) {
      if (t[2] === '') continue;
      const v = t[2];
      if (t[1] === 'host') rec.host = v;
      else if (t[1] === 'referrer') rec.referer = v;
      else rec.upstreamAddr = v;
    }
  }
  const user = NGINX_USER_RE.exec(message);
  if (user) rec.user = user[1];
  rec.message = message;
  return true;
}

/**
 * Where nginx's ", client: ..." context starts. The message before it may
 * quote text a client controls (FastCGI stderr, a request line), so the first
 * occurrence that parses as a complete context up to the end of the line wins.
 */
function nginxContext(message: string): { index: number; m: RegExpExecArray } | undefined {
  let first: { index: number; m: RegExpExecArray } | undefined;
  for (let i = message.indexOf(', client: '); i >= 0; i = message.indexOf(', client: ', i + 1)) {
    const rest = message.slice(i);
    const strict = NGINX_CONTEXT_STRICT_RE.exec(rest);
    if (strict) return { index: i, m: strict };
    if (first === undefined) {
      const loose = NGINX_CONTEXT_RE.exec(rest);
      if (loose) first = { index: i, m: loose };
    }
  }
  return first;
}

/**
 * The client address without its port: "1.2.3.4:5678" -> "1.2.3.4",
 * "[2001:db8::1]:443" -> "2001:db8::1", "::1:50058" -> "::1". An unbracketed
 * IPv6 address keeps its last group unless that group cannot belong to it
 * (five digits, a ninth group, after a dotted IPv4 part), or the log format
 * always writes a port (Apache 2.4) and the group is decimal.
 */
export function stripClientPort(v: string, hasPort: boolean): string {
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    return close > 0 ? v.slice(1, close) : v.slice(1);
  }
  const colons = v.split(':').length - 1;
  if (colons === 0) return v;
  const last = v.lastIndexOf(':');
  const tail = v.slice(last + 1);
  const head = v.slice(0, last);
  if (!/^\d{1,5}$/.test(tail)) return v;
  if (colons === 1) return head;
  if (/\d+\.\d+\.\d+\.\d+$/.test(head) || tail.length === 5 || colons === 8) return head;
  if (hasPort && !head.endsWith(':') && head.includes('::')) return head;
  return v;
}

export function parseApacheErrorLine(text: string, rec: LogRecord, zone: Zone): boolean {
  const m = APACHE_RE.exec(text);
  if (!m) return false;
  const stamp = m[2];
  if (stamp !== undefined) {
    rec.time = parseAnyTime(stamp, zone);
    if (Number.isNaN(rec.time)) return false;
  } else {
    // No time of its own: a syslog prefix with a full date can stand in (one without a year cannot).
    rec.time = m[1] !== undefined && /^\d{4}-/.test(m[1]) ? parseIsoTime(m[1].replace(' ', 'T'), zone) : NaN;
  }
  rec.level = m[4];
  const is24 = m[3] !== undefined;
  let rest = m[5];
  // Only the bracketed groups before the message name the client: a "[client x]" inside a URL does not.
  for (let lead = APACHE_LEAD_RE.exec(rest); lead; lead = APACHE_LEAD_RE.exec(rest)) {
    if (lead[1] !== undefined && rec.ip === undefined) rec.ip = stripClientPort(lead[1], is24);
    rest = rest.slice(lead[0].length);
  }
  const ref = rest.lastIndexOf(', referer: ');
  if (ref >= 0) {
    rec.referer = rest.slice(ref + 11);
    rest = rest.slice(0, ref);
  }
  for (const { re, user, path } of APACHE_AUTH_RES) {
    const a = re.exec(rest);
    if (!a) continue;
    if (user !== undefined && a[user]) rec.user = a[user];
    if (path !== undefined && a[path]?.startsWith('/')) rec.path = a[path].split('?')[0];
    break;
  }
  rec.message = rest;
  return true;
}

export function nginxErrorFactory(zone: Zone): ParserFactory {
  return {
    name: 'nginx_error',
    kind: 'error',
    description: 'nginx error.log: 2024/01/02 03:04:05 [error] 12#12: *3 message, client: ..., request: "..."',
    create: () => new RegexLineParser('nginx_error', (t, r) => parseNginxErrorLine(t, r, zone)),
  };
}

export function apacheErrorFactory(zone: Zone): ParserFactory {
  return {
    name: 'apache_error',
    kind: 'error',
    description: 'Apache error_log, 2.2 ([error] [client ip]) and 2.4 ([module:level] [pid n] [client ip:port])',
    create: () => new RegexLineParser('apache_error', (t, r) => parseApacheErrorLine(t, r, zone)),
  };
}
