import type { LogRecord } from '../record.js';

// Method tokens per RFC 9110 are "tchar"s; real logs also hold garbage here.
const METHOD_RE = /^[A-Z][A-Z0-9_-]{0,19}$/;

/**
 * Split "METHOD target PROTOCOL" into the record. A request line that is not
 * shaped like one (TLS bytes sent to an HTTP port, "-", an empty string) sets
 * nothing but leaves the raw text in extra.request so nothing is lost.
 */
export function applyRequestLine(rec: LogRecord, raw: string): void {
  const sp1 = raw.indexOf(' ');
  if (sp1 > 0) {
    const method = raw.slice(0, sp1);
    if (METHOD_RE.test(method)) {
      const sp2 = raw.lastIndexOf(' ');
      let target: string;
      if (sp2 > sp1 && raw.startsWith('HTTP/', sp2 + 1)) {
        target = raw.slice(sp1 + 1, sp2);
        rec.protocol = raw.slice(sp2 + 1);
      } else {
        target = raw.slice(sp1 + 1);
      }
      if (target.length > 0 && !target.includes(' ')) {
        rec.method = method;
        // CONNECT names host:port (authority form), not a path.
        if (method === 'CONNECT' && !target.startsWith('/')) {
          if (rec.host === undefined) rec.host = target;
        } else {
          applyTarget(rec, target);
        }
        return;
      }
    }
  }
  if (raw !== '-' && raw !== '') {
    (rec.extra ??= new Map()).set('request', raw);
  }
}

/** "/a/b?x=1" -> path "/a/b", query "x=1"; absolute URIs keep only their path. */
export function applyTarget(rec: LogRecord, target: string): void {
  let t = target;
  if (t.startsWith('http://') || t.startsWith('https://')) {
    const slash = t.indexOf('/', t.indexOf('//') + 2);
    if (rec.host === undefined) rec.host = t.slice(t.indexOf('//') + 2, slash < 0 ? undefined : slash);
    t = slash < 0 ? '/' : t.slice(slash);
  }
  const q = t.indexOf('?');
  if (q >= 0) {
    rec.path = t.slice(0, q);
    rec.query = t.slice(q + 1);
  } else {
    rec.path = t;
  }
}
