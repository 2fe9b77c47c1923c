/**
 * Prefixes syslog, journald and docker put before a server's own line:
 * "Feb 15 16:23:00 srv httpd[22034]: ", "2025-03-04T02:11:57.602061 host app[7]: ",
 * "<171>1 2025-11-05T20:47:03.000000+00:00 firewall.lan nginx - - - ".
 * Group 1 is the prefix's timestamp, when it has one.
 */
export const SYSLOG_PREFIX = String.raw`(?:<\d{1,3}>\d{0,2} ?)?(?:([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) )?(?:[\w.:-]+ )?(?:[\w./-]+(?:\[\d+\])?: |[\w./-]+ \S+ \S+ (?:-|\[[^\]]*\]) )`;

const PREFIX_RE = new RegExp(`^${SYSLOG_PREFIX}`);

/** Length of the syslog prefix at the start of text, 0 when there is none. */
export function syslogPrefixLength(text: string): number {
  const m = PREFIX_RE.exec(text);
  return m ? m[0].length : 0;
}
