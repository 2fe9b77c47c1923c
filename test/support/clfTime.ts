import { MONTHS } from './serverLines.js';

/** 12 March 2026, 00:00 UTC: the day the generated logs of the tests start. */
export const MARCH_12 = Date.UTC(2026, 2, 12);

/** A time as nginx's $time_local writes it, in UTC: 12/Mar/2026:10:00:09 +0000. */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}
