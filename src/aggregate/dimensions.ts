import type { Zone } from '../formats/zone.js';
import type { Finding } from './finding.js';
import { routeOf } from './routes.js';

/**
 * The --by dimensions: each turns a finding into the key it is grouped by.
 * Missing values group under "-" so they are counted, not dropped.
 */
export type DimensionName = 'path' | 'ip' | 'ua' | 'status' | 'host' | 'method' | 'hour' | 'day' | 'cause' | 'user' | 'referer';

export const DIMENSION_NAMES: readonly DimensionName[] = ['cause', 'path', 'ip', 'ua', 'status', 'host', 'method', 'user', 'referer', 'hour', 'day'];

export interface DimensionOptions {
  rawPaths: boolean;
  zone: Zone;
}

export type KeyOf = (f: Finding) => string;

const NONE = '-';

export function dimensionKey(name: DimensionName, opts: DimensionOptions): KeyOf {
  const bucket = (f: Finding, unit: 'hour' | 'day') => timeBucket(f.record.time, unit, opts.zone);
  const table: Record<DimensionName, KeyOf> = {
    path: (f) => (f.record.path === undefined ? NONE : opts.rawPaths ? f.record.path : routeOf(f.record.path)),
    ip: (f) => f.record.ip ?? NONE,
    ua: (f) => f.record.userAgent ?? NONE,
    status: (f) => (f.record.status === undefined ? NONE : String(f.record.status)),
    host: (f) => f.record.host ?? NONE,
    method: (f) => f.record.method ?? NONE,
    // An empty user name was sent: shown as Apache logs it.
    user: (f) => (f.record.user === undefined ? NONE : f.record.user === '' ? '""' : f.record.user),
    referer: (f) => f.record.referer ?? NONE,
    hour: (f) => bucket(f, 'hour'),
    day: (f) => bucket(f, 'day'),
    cause: (f) => f.cause,
  };
  return table[name];
}

const bucketCache = new Map<string, string>();

/** "2026-03-12 10:00 +09:00" or "2026-03-12 +09:00", in the run's zone. */
export function timeBucket(time: number, unit: 'hour' | 'day', zone: Zone): string {
  if (Number.isNaN(time)) return NONE;
  const hourStart = Math.floor(time / 3600000) * 3600000;
  const key = `${zone.name}|${unit}|${hourStart}`;
  let label = bucketCache.get(key);
  if (label === undefined) {
    const wall = wallClock(hourStart, zone);
    const off = Math.round((wall - hourStart) / 60000);
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    const zoneText = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    const iso = new Date(wall).toISOString();
    label = unit === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00 ${zoneText}` : `${iso.slice(0, 10)} ${zoneText}`;
    if (bucketCache.size > 100000) bucketCache.clear();
    bucketCache.set(key, label);
  }
  return label;
}

/** The wall-clock time (as if UTC) that the zone shows at a UTC instant. */
function wallClock(utc: number, zone: Zone): number {
  // toUtc maps wall -> utc; search the offset by applying it to a guess.
  const d = new Date(utc);
  const guess = zone.toUtc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), 0, 0);
  const off = utc - guess;
  const d2 = new Date(utc + off);
  const back = zone.toUtc(d2.getUTCFullYear(), d2.getUTCMonth(), d2.getUTCDate(), d2.getUTCHours(), d2.getUTCMinutes(), 0, 0);
  return utc + off + (utc - back);
}
