import { Zone, parseOffsetMinutes } from './zone.js';

/**
 * Timestamp parsers for the shapes logs use. Each returns UTC epoch ms or NaN.
 * Access logs repeat the same second for many lines, so callers keep a
 * TimeCache per input to skip re-parsing an identical string.
 */
const MONTHS = new Map<string, number>([
  ['jan', 0], ['feb', 1], ['mar', 2], ['apr', 3], ['may', 4], ['jun', 5],
  ['jul', 6], ['aug', 7], ['sep', 8], ['oct', 9], ['nov', 10], ['dec', 11],
  // French abbreviations, as some Java servers in a French locale write them.
  ['janv', 0], ['févr', 1], ['fevr', 1], ['mars', 2], ['avr', 3], ['mai', 4], ['juin', 5],
  ['juil', 6], ['août', 7], ['aout', 7], ['sept', 8], ['déc', 11],
  // German (Mär, Mrz, Okt, Dez; Austrian Jän).
  ['mär', 2], ['mrz', 2], ['okt', 9], ['dez', 11], ['jän', 0],
]);

export function monthIndex(name: string): number {
  const key = name.toLowerCase().replace(/\.$/, '');
  const m = MONTHS.get(key);
  if (m !== undefined) return m;
  return MONTHS.get(key.slice(0, 3)) ?? -1;
}

// 10/Oct/2000:13:55:36 -0700   (zone optional; fraction optional)
const CLF_RE = /^(\d{1,2})\/([^/]{3,5})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?\s*([+-]\d{2}:?\d{2}|Z|UTC|GMT)?\s*$/;

export function parseClfTime(s: string, zone: Zone): number {
  if (s.length === 26) {
    const t = clfWithOffset(s);
    if (t !== undefined) return t;
  }
  const m = CLF_RE.exec(s);
  if (!m) return NaN;
  const mo = monthIndex(m[2]);
  if (mo < 0) return NaN;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const y = +m[3], d = +m[1], h = +m[4], mi = +m[5], sec = +m[6];
  if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NaN;
  if (m[8] === undefined) return zone.toUtc(y, mo, d, h, mi, sec, ms);
  const off = parseOffsetMinutes(m[8]) ?? 0;
  return Date.UTC(y, mo, d, h, mi, sec, ms) - off * 60000;
}

/** Day and offset of the last fast-path CLF time: a log repeats them for hours. */
let clfDay = '';
let clfZone = '';
let clfDayBase = NaN;

function digit2(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The usual shape, "10/Oct/2000:13:55:36 -0700", read without the regular
 * expression, with the same result as the general path; undefined when the
 * text has another shape (the general path decides). The day and offset part
 * is kept from the previous call when it repeats.
 */
function clfWithOffset(s: string): number | undefined {
  if (s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(11) !== 58 || s.charCodeAt(14) !== 58
    || s.charCodeAt(17) !== 58 || s.charCodeAt(20) !== 32) return undefined;
  const sign = s.charCodeAt(21);
  if (sign !== 43 && sign !== 45) return undefined;
  const h = digit2(s, 12), mi = digit2(s, 15), sec = digit2(s, 18);
  if (h < 0 || mi < 0 || sec < 0) return undefined;
  if (clfDay.length !== 11 || !s.startsWith(clfDay) || !s.endsWith(clfZone)) {
    const d = digit2(s, 0), y1 = digit2(s, 7), y2 = digit2(s, 9), oh = digit2(s, 22), om = digit2(s, 24);
    if (d < 0 || y1 < 0 || y2 < 0 || oh < 0 || om < 0) return undefined;
    const c3 = s.charCodeAt(3), c4 = s.charCodeAt(4), c5 = s.charCodeAt(5);
    if (c3 === 47 || c4 === 47 || c5 === 47) return undefined;
    const mo = monthIndex(s.slice(3, 6));
    // As parseOffsetMinutes: an hour over 14 or minutes over 59 is no offset at all.
    const off = oh > 14 || om > 59 ? 0 : (sign === 45 ? -1 : 1) * (oh * 60 + om);
    clfDay = s.slice(0, 11);
    clfZone = s.slice(20);
    clfDayBase = mo < 0 || d < 1 || d > 31 ? NaN : Date.UTC(y1 * 100 + y2, mo, d) - off * 60000;
  }
  if (Number.isNaN(clfDayBase) || h > 23 || mi > 59 || sec > 60) return NaN;
  return clfDayBase + h * 3600000 + mi * 60000 + sec * 1000;
}

// 2024-01-02T03:04:05.123+09:00, 2024-01-02 03:04:05, 2024/01/02 03:04:05
const ISO_RE = /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseIsoTime(s: string, zone: Zone): number {
  const m = ISO_RE.exec(s);
  if (!m) return NaN;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const y = +m[1], mo = +m[2] - 1, d = +m[3], h = +m[4], mi = +m[5], sec = +m[6];
  if (mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NaN;
  if (m[8] === undefined) return zone.toUtc(y, mo, d, h, mi, sec, ms);
  const off = parseOffsetMinutes(m[8]) ?? 0;
  return Date.UTC(y, mo, d, h, mi, sec, ms) - off * 60000;
}

// Wed Oct 11 14:32:52.123456 2000 (Apache error log; local time)
const CTIME_RE = /^(?:[A-Za-z]{3}\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s+(\d{4})$/;

export function parseCtime(s: string, zone: Zone): number {
  const m = CTIME_RE.exec(s);
  if (!m) return NaN;
  const mo = monthIndex(m[1]);
  if (mo < 0) return NaN;
  const ms = m[6] ? Number(m[6].padEnd(3, '0').slice(0, 3)) : 0;
  const d = +m[2], h = +m[3], mi = +m[4], sec = +m[5];
  if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NaN;
  return zone.toUtc(+m[7], mo, d, h, mi, sec, ms);
}

/** Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude. */
export function parseEpoch(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return NaN;
  if (v < 1e11) return Math.round(v * 1000);
  if (v < 1e14) return Math.round(v);
  if (v < 1e17) return Math.round(v / 1000);
  return Math.round(v / 1e6);
}

/** Any textual timestamp: ISO, CLF, ctime, or a number. */
export function parseAnyTime(s: string, zone: Zone): number {
  if (/^\d+(\.\d+)?$/.test(s)) return parseEpoch(Number(s));
  let t = parseIsoTime(s, zone);
  if (!Number.isNaN(t)) return t;
  t = parseClfTime(s, zone);
  if (!Number.isNaN(t)) return t;
  return parseCtime(s, zone);
}

/** Remembers the last string parsed: consecutive lines usually share the second. */
export class TimeCache {
  private last = '';
  private lastValue = NaN;
  /**
   * The last string's code units: getRange compares them in place. A string comparison
   * (startsWith) goes through the runtime and costs several times this loop.
   */
  private codes = new Uint16Array(32);
  constructor(private readonly parse: (s: string) => number) {}
  get(s: string): number {
    if (s === this.last) return this.lastValue;
    this.last = s;
    this.lastValue = this.parse(s);
    this.remember(s);
    return this.lastValue;
  }

  /** get(text.slice(start, end)), without cutting the string when it repeats. */
  getRange(text: string, start: number, end: number): number {
    const n = end - start;
    if (n === this.last.length) {
      const codes = this.codes;
      // From the end: past a fixed zone (" +0900") come the seconds, what neighbouring lines differ in.
      let j = n - 1;
      while (j >= 0 && text.charCodeAt(start + j) === codes[j]) j--;
      if (j < 0) return this.lastValue;
    }
    return this.get(text.slice(start, end));
  }

  private remember(s: string): void {
    if (s.length > this.codes.length) this.codes = new Uint16Array(s.length);
    for (let j = 0; j < s.length; j++) this.codes[j] = s.charCodeAt(j);
  }
}
