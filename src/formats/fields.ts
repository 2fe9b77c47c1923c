import type { LogRecord } from '../record.js';
import { applyRequestLine, applyTarget } from './request.js';

/**
 * What each named field of a log format means for the record. Both compilers
 * (nginx variables and Apache % directives) map their names onto these slots,
 * so adding a field is one row here, not a new branch in a parser.
 */
export type Slot =
  | 'ip' | 'user' | 'request' | 'method' | 'target' | 'path' | 'query' | 'protocol'
  | 'status' | 'bytes' | 'referer' | 'userAgent' | 'requestId' | 'requestTimeSec'
  | 'requestTimeMs' | 'requestTimeUs' | 'upstreamStatus' | 'upstreamAddr' | 'cacheStatus' | 'host'
  | 'wwwAuthenticate' | 'authorization' | 'timeClf' | 'timeIso' | 'timeEpoch' | 'extra';

function num(v: string): number | undefined {
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Writes one field's (already unescaped, not "-") value into the record. */
export const SLOT_SETTERS: Record<Exclude<Slot, 'timeClf' | 'timeIso' | 'timeEpoch' | 'extra'>, (r: LogRecord, v: string) => void> = {
  // "[2001:db8::1]" as some servers write an IPv6 address: the address inside.
  ip: (r, v) => { r.ip = v.charCodeAt(0) === 91 && v.endsWith(']') ? v.slice(1, -1) : v; },
  user: (r, v) => { r.user = v; },
  request: applyRequestLine,
  method: (r, v) => { r.method = v; },
  target: applyTarget,
  path: (r, v) => { r.path = v; },
  query: (r, v) => { r.query = v.startsWith('?') ? v.slice(1) : v; },
  protocol: (r, v) => { r.protocol = v; },
  status: (r, v) => { r.status = num(v); },
  bytes: (r, v) => { r.bytes = num(v); },
  referer: (r, v) => { r.referer = v; },
  userAgent: (r, v) => { r.userAgent = v; },
  requestId: (r, v) => { r.requestId = v; },
  requestTimeSec: (r, v) => { r.requestTime = num(v); },
  requestTimeMs: (r, v) => { const n = num(v); r.requestTime = n === undefined ? undefined : n / 1e3; },
  requestTimeUs: (r, v) => { const n = num(v); r.requestTime = n === undefined ? undefined : n / 1e6; },
  upstreamStatus: (r, v) => { r.upstreamStatus = v; },
  upstreamAddr: (r, v) => { r.upstreamAddr = v; },
  cacheStatus: (r, v) => { r.cacheStatus = v; },
  host: (r, v) => { r.host = v; },
  wwwAuthenticate: (r, v) => { r.wwwAuthenticate = v; },
  // The value is a credential: only its presence is kept.
  authorization: (r, v) => { r.authorizationPresent = v.length > 0; },
};

/** nginx variable name -> slot. Anything else lands in extra under its name. */
export const NGINX_VARIABLES: ReadonlyMap<string, Slot> = new Map<string, Slot>([
  ['remote_addr', 'ip'], ['binary_remote_addr', 'ip'], ['realip_remote_addr', 'extra'],
  ['remote_user', 'user'], ['request', 'request'], ['request_method', 'method'],
  ['request_uri', 'target'], ['uri', 'path'], ['document_uri', 'path'],
  ['args', 'query'], ['query_string', 'query'], ['is_args', 'extra'],
  ['server_protocol', 'protocol'], ['status', 'status'],
  ['body_bytes_sent', 'bytes'], ['bytes_sent', 'bytes'],
  ['http_referer', 'referer'], ['http_user_agent', 'userAgent'],
  ['request_id', 'requestId'], ['http_x_request_id', 'requestId'], ['http_x_correlation_id', 'requestId'],
  ['sent_http_x_request_id', 'requestId'],
  ['request_time', 'requestTimeSec'], ['upstream_response_time', 'extra'],
  ['upstream_status', 'upstreamStatus'], ['upstream_addr', 'upstreamAddr'],
  ['upstream_cache_status', 'cacheStatus'], ['sent_http_x_cache', 'cacheStatus'], ['sent_http_cf_cache_status', 'cacheStatus'],
  ['host', 'host'], ['http_host', 'host'], ['server_name', 'host'],
  ['sent_http_www_authenticate', 'wwwAuthenticate'], ['upstream_http_www_authenticate', 'wwwAuthenticate'],
  ['http_authorization', 'authorization'],
  ['time_local', 'timeClf'], ['time_iso8601', 'timeIso'], ['msec', 'timeEpoch'],
]);

/**
 * Apache directive -> slot. Keys are the letter, or "letter{argument}" (argument
 * lower-cased) when the argument changes the meaning; the specific key wins.
 */
export const APACHE_DIRECTIVES: ReadonlyMap<string, Slot> = new Map<string, Slot>([
  ['h', 'ip'], ['a', 'ip'], ['a{c}', 'extra'], ['u', 'user'], ['r', 'request'], ['m', 'method'],
  ['U', 'path'], ['q', 'query'], ['H', 'protocol'], ['s', 'status'],
  ['b', 'bytes'], ['B', 'bytes'], ['O', 'bytes'],
  ['D', 'requestTimeUs'], ['T', 'requestTimeSec'], ['T{ms}', 'requestTimeMs'], ['T{us}', 'requestTimeUs'],
  ['v', 'host'], ['V', 'host'], ['t', 'timeClf'],
  ['i{referer}', 'referer'], ['i{user-agent}', 'userAgent'], ['i{host}', 'host'],
  ['i{x-request-id}', 'requestId'], ['i{x-correlation-id}', 'requestId'], ['i{request-id}', 'requestId'],
  ['i{x-amzn-trace-id}', 'requestId'], ['i{x-trace-id}', 'requestId'], ['i{x-b3-traceid}', 'requestId'], ['i{traceparent}', 'requestId'],
  ['i{cf-ray}', 'requestId'], ['o{x-request-id}', 'requestId'],
  ['i{authorization}', 'authorization'],
  ['o{www-authenticate}', 'wwwAuthenticate'], ['o{x-cache}', 'cacheStatus'],
  ['e{unique_id}', 'requestId'],
]);

export function apacheSlot(letter: string, arg: string | undefined): Slot {
  if (arg !== undefined) {
    // %{format}t is a strftime pattern we do not interpret.
    if (letter === 't') return 'extra';
    return APACHE_DIRECTIVES.get(`${letter}{${arg.toLowerCase()}}`) ?? (/[iooe]/.test(letter) ? 'extra' : APACHE_DIRECTIVES.get(letter) ?? 'extra');
  }
  return APACHE_DIRECTIVES.get(letter) ?? 'extra';
}

/** The slots a line's time is read from. */
export const TIME_SLOTS: ReadonlySet<Slot> = new Set<Slot>(['timeClf', 'timeIso', 'timeEpoch']);
