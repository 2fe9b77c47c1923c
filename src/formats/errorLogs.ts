import type { LogRecord } from '../record.js';
import { applyRequestLine } from './request.js';
import type { LineParser, ParserFactory } from './parser.js';
import { parseAnyTime, parseIsoTime } from './timestamps.js';
import type { Zone } from './zone.js';

/**
 * nginx error.log and Apache error_log (2.2 and 2.4). Their timestamps carry
 * no zone, so the run's --tz decides. Syslog or journald prefixes before the
 * timestamp are skipped.
 */

// 2024/01/02 03:04:05 [error] 123#456: *7 message, client: 1.2.3.4, server: x, request: "GET / HTTP/1.1", host: "x"
const NGINX_RE = /(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}) \[([a-z]+)\] \d+#\d+: (?:\*\d+ )?(.*)$/;
// The context nginx appends, in this order, after the message.
const NGINX_CONTEXT_RE = /, client: ([^,\s]+)(?:, server: ([^,]*))?(?:, request: "((?:[^"\\]|\\.)*)")?(.*)$/;
const NGINX_TAIL_RE = /, (upstream|host|referrer): "((?:[^"\\]|\\.)*)"/g;

// [Wed Oct 11 14:32:52.123456 2000] [auth_basic:error] [pid 1:tid 2] [client 1.2.3.4:5678] AH01617: ...
// [Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4] ...   (2.2; some 2.2 lines have no timestamp)
const APACHE_RE = /^(?:.{0,120}?)?(?:\[([^\]]{10,40})\] )?\[(?:([a-z_0-9]+):)?(emerg|alert|crit|error|warn|notice|info|debug|trace\d)\] (.*)$/;
const APACHE_LEAD_RE = /^(?:\[pid \d+(?::tid \d+)?\] |\[[a-z_]+ \d+\] |[\w.]+\.c\(\d+\): |\(\d+\)[^:[\]]{0,80}: |\[(?:client|remote) ([^\]]+)\] )/;

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
  peek(fact: 'ip' | 'upstreamAddr' | 'userAgent'): string | undefined {
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
  const ctx = NGINX_CONTEXT_RE.exec(message);
  if (ctx) {
    message = message.slice(0, ctx.index);
    rec.ip = ctx[1];
    if (ctx[2]) rec.host = ctx[2];
    if (ctx[3] !== undefined) applyRequestLine(rec, ctx[3]);
    for (const t of ctx[4].matchAll(NGINX_TAIL_RE)) {
      if (t[1] === 'host') rec.host = t[2];
      else if (t[1] === 'referrer') rec.referer = t[2];
      else rec.upstreamAddr = t[2];
    }
  }
  rec.message = message;
  return true;
}

/** "1.2.3.4:5678", "[2001:db8::1]:443", "2001:db8::1" -> address without port. */
export function stripClientPort(v: string, hasPort: boolean): string {
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') > 0 ? v.indexOf(']') : undefined);
  const colons = v.split(':').length - 1;
  if (colons === 1) return v.slice(0, v.indexOf(':'));
  if (colons > 1 && hasPort) {
    const last = v.lastIndexOf(':');
    if (/^\d{1,5}$/.test(v.slice(last + 1)) && !v.endsWith('::' + v.slice(last + 1))) return v.slice(0, last);
  }
  return v;
}

export function parseApacheErrorLine(text: string, rec: LogRecord, zone: Zone): boolean {
  const m = APACHE_RE.exec(text);
  if (!m) return false;
  rec.time = m[1] !== undefined ? parseAnyTime(m[1], zone) : NaN;
  if (m[1] !== undefined && Number.isNaN(rec.time)) return false;
  rec.level = m[3];
  const is24 = m[2] !== undefined;
  let rest = m[4];
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
  const target = /(?: for "(\/[^"]*)"| not found: (\/\S*)$|, uri "(\/[^"]*)"| to (\/\S*)$)/.exec(rest);
  if (target) rec.path = (target[1] ?? target[2] ?? target[3] ?? target[4]).split('?')[0];
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
