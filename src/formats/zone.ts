/**
 * Error logs and some access logs write local wall-clock time with no zone.
 * A Zone turns such a wall-clock time into UTC. Offsets of IANA zones are
 * looked up through Intl once per wall-clock hour and cached, since a log
 * repeats the same hour for thousands of lines.
 */
export interface Zone {
  readonly name: string;
  /** Wall-clock fields (month 0-based) to UTC epoch ms. */
  toUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number;
}

const OFFSET_RE = /^(?:UTC|GMT|Z)?\s*([+-])(\d{1,2}):?(\d{2})?$/i;

export function parseOffsetMinutes(spec: string): number | undefined {
  if (/^(UTC|GMT|Z)$/i.test(spec)) return 0;
  const m = OFFSET_RE.exec(spec.trim());
  if (!m) return undefined;
  const h = Number(m[2]);
  const mi = m[3] ? Number(m[3]) : 0;
  if (h > 14 || mi > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

function fixedZone(name: string, offsetMin: number): Zone {
  return {
    name,
    toUtc: (y, mo, d, h, mi, s, ms) => Date.UTC(y, mo, d, h, mi, s, ms) - offsetMin * 60000,
  };
}

function ianaZone(name: string): Zone {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const offsetAt = (utcMs: number): number => {
    const parts = fmt.formatToParts(new Date(utcMs));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
  };
  const cache = new Map<number, number>();
  return {
    name,
    toUtc(y, mo, d, h, mi, s, ms) {
      const wall = Date.UTC(y, mo, d, h, mi, s, ms);
      const hourKey = Math.floor(wall / 3600000);
      let off = cache.get(hourKey);
      if (off === undefined) {
        // Two lookups settle the offset across a DST change.
        off = offsetAt(wall);
        off = offsetAt(wall - off * 60000);
        if (cache.size > 10000) cache.clear();
        cache.set(hourKey, off);
      }
      return wall - off * 60000;
    },
  };
}

/** Accepts an IANA name (Asia/Tokyo), an offset (+09:00, -0500), UTC, or "local". */
export function makeZone(spec: string | undefined): Zone {
  if (spec === undefined || spec === '' || spec === 'local') {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return local ? ianaZone(local) : fixedZone('UTC', 0);
  }
  const off = parseOffsetMinutes(spec);
  if (off !== undefined) return fixedZone(spec, off);
  try {
    return ianaZone(spec);
  } catch {
    throw new Error(`unknown time zone "${spec}": give an IANA name such as Asia/Tokyo, or an offset such as +09:00`);
  }
}

export const UTC_ZONE: Zone = fixedZone('UTC', 0);
