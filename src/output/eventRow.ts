import type { Finding } from '../aggregate/finding.js';
import { sourceOf } from '../record.js';
import { redactSecrets } from './redact.js';

/**
 * One --events row: stable camelCase keys, documented in the README. Every
 * text value is redacted here, once, for every writer.
 */
export const EVENT_COLUMNS = [
  'time', 'ip', 'user', 'method', 'path', 'status', 'bytes', 'referer', 'userAgent', 'requestId', 'requestTime',
  'upstreamStatus', 'upstreamAddr', 'cacheStatus', 'host', 'source', 'cause', 'confidence', 'evidence', 'correlated',
] as const;

export type EventColumn = (typeof EVENT_COLUMNS)[number];
export type EventRow = Record<EventColumn, string | number | string[] | null>;

const text = (v: string | undefined) => (v === undefined ? null : redactSecrets(v));
const num = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : v);

export function eventRow(f: Finding): EventRow {
  const r = f.record;
  return {
    time: Number.isNaN(r.time) ? null : new Date(r.time).toISOString(),
    ip: r.ip ?? null,
    user: text(r.user),
    method: text(r.method),
    path: text(r.path),
    status: num(r.status),
    bytes: num(r.bytes),
    referer: text(r.referer),
    userAgent: text(r.userAgent),
    requestId: text(r.requestId),
    requestTime: num(r.requestTime),
    upstreamStatus: text(r.upstreamStatus),
    upstreamAddr: text(r.upstreamAddr),
    cacheStatus: text(r.cacheStatus),
    host: text(r.host),
    source: sourceOf(r),
    cause: f.cause,
    confidence: Math.round(f.confidence * 100) / 100,
    evidence: f.evidence.map(redactSecrets),
    correlated: f.correlated,
  };
}
