import type { LogRecord, RecordKind } from '../record.js';
import { SLOT_SETTERS, TIME_SLOTS, type Slot } from './fields.js';
import { clientKey, ipv4Key, type ClientKey } from '../clientKey.js';
import { unescapeLogValue } from './escapes.js';
import { closingQuote, endOfToken, layoutWalk, planWalk, type LayoutWalk, type WalkPlan } from './layoutWalk.js';
import type { LineParser, ParserFactory, PeekFact } from './parser.js';
import { syslogPrefixLength } from './syslogPrefix.js';
import { parseClfTime, parseEpoch, parseIsoTime, TimeCache } from './timestamps.js';
import type { Zone } from './zone.js';

/**
 * A compiled access-log format: literal text and fields alternate.
 * literals[i] comes before fields[i]; literals[fields.length] closes the line.
 * Both the nginx and the Apache compiler produce a Layout, and one scanner
 * runs them all: a walk compiled per layout (layoutWalk.ts) records field
 * boundaries, and strings are sliced only when a record is wanted.
 */
export interface FieldDef {
  name: string;
  slot: Slot;
  /** Between double quotes in the format: may contain spaces and escaped quotes. */
  quoted: boolean;
}

export interface Layout {
  name: string;
  source: string;
  literals: string[];
  fields: FieldDef[];
  /** Accept more fields after the format's end (nginx "main" variants). */
  allowTrailing: boolean;
  /** Lines may start with a syslog prefix (servers that only log through syslog, e.g. HAProxy). */
  syslogPrefix?: boolean;
}

/** `makeWalk`: the compiled walk unless told otherwise (tests compare it with the interpreted one). */
export function layoutFactory(layout: Layout, zone: Zone, description = layout.source, makeWalk: (plan: WalkPlan) => LayoutWalk = layoutWalk): ParserFactory {
  validateLayout(layout);
  const walk = makeWalk(planWalk(layout));
  return {
    name: layout.name,
    kind: 'access' as RecordKind,
    description,
    create: () => new LayoutParser(layout, zone, walk),
  };
}

function validateLayout(layout: Layout): void {
  if (layout.fields.length === 0) throw new Error(`format "${layout.source}" has no fields`);
  for (let i = 1; i < layout.fields.length; i++) {
    if (layout.literals[i] === '') {
      throw new Error(`format "${layout.source}": fields ${layout.fields[i - 1].name} and ${layout.fields[i].name} have nothing between them, so they cannot be told apart`);
    }
  }
}

class LayoutParser implements LineParser {
  readonly kind = 'access' as const;
  readonly format: string;
  private readonly n: number;
  private readonly bounds: Int32Array;
  private text = '';
  private trailingStart = -1;
  private statusValue = NaN;
  private timeValue = NaN;
  private readonly statusIndex: number;
  private readonly timeIndex: number;
  private readonly timeCache: TimeCache | undefined;
  private readonly peekIndex: Record<PeekFact, number>;
  private pathStart = 0;
  private pathEnd = 0;
  private maybeRefresh = false;

  constructor(private readonly layout: Layout, zone: Zone, private readonly walk: LayoutWalk) {
    this.format = layout.name;
    this.n = layout.fields.length;
    this.bounds = new Int32Array(this.n * 2);
    this.statusIndex = layout.fields.findIndex((f) => f.slot === 'status');
    this.timeIndex = layout.fields.findIndex((f) => TIME_SLOTS.has(f.slot));
    const timeSlot = this.timeIndex >= 0 ? layout.fields[this.timeIndex].slot : undefined;
    this.timeCache =
      timeSlot === 'timeClf' ? new TimeCache((s) => parseClfTime(s, zone))
      : timeSlot === 'timeIso' ? new TimeCache((s) => parseIsoTime(s, zone))
      : timeSlot === 'timeEpoch' ? new TimeCache((s) => parseEpoch(Number(s)))
      : undefined;
    const at = (slot: Slot) => layout.fields.findIndex((f) => f.slot === slot);
    const pathAt = [at('path'), at('target'), at('request')].find((i) => i >= 0) ?? -1;
    this.peekIndex = { ip: at('ip'), upstreamAddr: at('upstreamAddr'), userAgent: at('userAgent'), path: pathAt };
  }

  peek(fact: PeekFact): string | undefined {
    const i = this.peekIndex[fact];
    if (i < 0) return undefined;
    if (fact === 'path') return this.peekPath(i);
    let v = this.text.slice(this.bounds[2 * i], this.bounds[2 * i + 1]);
    if (v === '-' || v === '') return undefined;
    if (v.includes('\\')) v = unescapeLogValue(v);
    if (fact === 'ip') {
      // As record() reads it: "[2001:db8::1]" is the address inside, "a, b" (a proxy chain) is a.
      if (v.charCodeAt(0) === 91 && v.endsWith(']')) v = v.slice(1, -1);
      const comma = v.indexOf(',');
      if (comma >= 0) v = v.slice(0, comma).trim();
    }
    return v;
  }

  /** The path of the request line (or target) without its query, as record() would give it. */
  private peekPath(i: number): string | undefined {
    if (this.pathRange(i)) return this.text.slice(this.pathStart, this.pathEnd);
    return this.record('', 0).path;
  }

  /**
   * Where the path of the last scanned line lies (pathStart, pathEnd), for the plain
   * "METHOD /target HTTP/x" and "/target"; false when only the full parser can tell
   * (escapes, absolute URIs, CONNECT targets, odd request lines and garbage).
   */
  private pathRange(i: number): boolean {
    const text = this.text;
    let start = this.bounds[2 * i];
    let end = this.bounds[2 * i + 1];
    const backslash = text.indexOf('\\', start);
    if (backslash >= 0 && backslash < end) return false;
    const slot = this.layout.fields[i].slot;
    if (slot === 'request') {
      const sp = text.indexOf(' ', start);
      if (sp < 0 || sp >= end || !isMethodToken(text, start, sp)) return false;
      start = sp + 1;
      const sp2 = text.indexOf(' ', start);
      if (sp2 >= 0 && sp2 < end) {
        // applyRequestLine: the protocol is the last word, and the target holds no space.
        const sp3 = text.indexOf(' ', sp2 + 1);
        if (!text.startsWith('HTTP/', sp2 + 1) || (sp3 >= 0 && sp3 < end)) return false;
        end = sp2;
      }
    }
    if (text.charCodeAt(start) !== 47 /* / */) return false;
    if (slot !== 'path') {
      const q = text.indexOf('?', start);
      if (q >= 0 && q < end) end = q;
    }
    this.pathStart = start;
    this.pathEnd = end;
    return true;
  }

  peekPathKey(): number {
    const i = this.peekIndex.path;
    this.maybeRefresh = false;
    if (i < 0) return 0;
    let path: string | undefined;
    if (!this.pathRange(i)) {
      path = this.record('', 0).path;
      if (path === undefined) return 0;
    }
    const text = path ?? this.text;
    const start = path === undefined ? this.pathStart : 0;
    const end = path === undefined ? this.pathEnd : path.length;
    // FNV-1a as pathKey() in correlate/clientTracker.ts, noting the letters of token/refresh/renew.
    let h = 0x811c9dc5;
    let letters = 0;
    for (let k = start; k < end; k++) {
      const c = text.charCodeAt(k);
      h = Math.imul(h ^ c, 16777619);
      const l = c | 32;
      if (l === 107 || l === 102 || l === 119) letters = 1;
    }
    this.maybeRefresh = letters === 1;
    return (h >>> 0) || 1;
  }

  peekClientKey(): ClientKey | undefined {
    const i = this.peekIndex.ip;
    if (i < 0) return undefined;
    // A plain dotted quad (most lines) is read where it stands; anything else as peek() reads it.
    const v = ipv4Key(this.text, this.bounds[2 * i], this.bounds[2 * i + 1]);
    if (!Number.isNaN(v)) return v;
    const ip = this.peek('ip');
    return ip === undefined ? undefined : clientKey(ip);
  }

  pathMayBeRefresh(): boolean {
    return this.maybeRefresh;
  }

  scan(text: string): boolean {
    let pos = this.layout.syslogPrefix ? syslogPrefixLength(text) : 0;
    pos = this.walk(text, pos, this.bounds);
    if (pos < 0) return false;
    this.trailingStart = -1;
    if (pos < text.length) {
      let p = pos;
      while (p < text.length && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
      if (p < text.length) {
        if (!this.layout.allowTrailing || p === pos) return false;
        this.trailingStart = p;
      }
    }
    this.text = text;
    return this.readTyped(text);
  }

  private readTyped(text: string): boolean {
    const b = this.bounds;
    this.statusValue = NaN;
    if (this.statusIndex >= 0) {
      const s = b[2 * this.statusIndex];
      const e = b[2 * this.statusIndex + 1];
      if (e - s === 3) {
        const c0 = text.charCodeAt(s) - 48, c1 = text.charCodeAt(s + 1) - 48, c2 = text.charCodeAt(s + 2) - 48;
        if (c0 < 0 || c0 > 9 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9) return false;
        // "000": no response was sent (some proxies write it like "-").
        if (c0 > 0) this.statusValue = c0 * 100 + c1 * 10 + c2;
      } else if (!(e - s === 1 && text.charCodeAt(s) === 45) && !(e - s === 2 && text.startsWith('-1', s))) {
        // "-" or "-1" (HAProxy): no response.
        return false;
      }
    }
    this.timeValue = NaN;
    if (this.timeCache !== undefined) {
      const s = b[2 * this.timeIndex];
      const e = b[2 * this.timeIndex + 1];
      if (!(e - s === 1 && text.charCodeAt(s) === 45)) {
        this.timeValue = this.timeCache.getRange(text, s, e);
        if (Number.isNaN(this.timeValue)) return false;
      }
    }
    return true;
  }

  status(): number {
    return this.statusValue;
  }

  time(): number {
    return this.timeValue;
  }

  record(input: string, line: number): LogRecord {
    const text = this.text;
    const b = this.bounds;
    const rec: LogRecord = { kind: 'access', input, line, time: this.timeValue };
    if (!Number.isNaN(this.statusValue)) rec.status = this.statusValue;
    const fields = this.layout.fields;
    for (let i = 0; i < this.n; i++) {
      const f = fields[i];
      if (i === this.statusIndex || i === this.timeIndex) continue;
      let v = text.slice(b[2 * i], b[2 * i + 1]);
      if (v === '-' || (v === '' && f.slot !== 'request')) continue;
      // Apache's mark for a user name sent empty (mod_log_config writes "" for it).
      if (f.slot === 'user' && v === '""') v = '';
      if (v.includes('\\')) v = unescapeLogValue(v);
      if (f.slot === 'extra' || TIME_SLOTS.has(f.slot)) {
        (rec.extra ??= new Map()).set(f.name, v);
      } else {
        SLOT_SETTERS[f.slot as keyof typeof SLOT_SETTERS](rec, v);
      }
    }
    if (rec.ip !== undefined && rec.ip.includes(',')) rec.ip = rec.ip.slice(0, rec.ip.indexOf(',')).trim();
    if (this.trailingStart >= 0) addTrailingFields(rec, text, this.trailingStart);
    return rec;
  }
}

/** A request method as applyRequestLine takes it: [A-Z][A-Z0-9_-]{0,19}. */
function isMethodToken(text: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 20) return false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    const upper = c >= 65 && c <= 90;
    if (!(upper || (k > start && ((c >= 48 && c <= 57) || c === 95 || c === 45)))) return false;
  }
  return true;
}

/** Hex ids ($request_id is 32 hex digits), UUIDs, and Apache's UNIQUE_ID style. */
const REQUEST_ID_SHAPE = /^(?:[0-9a-f]{16,64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[A-Za-z0-9@_-]*\d)[A-Za-z0-9@_-]{20,32})$/i;

/** Extra fields after the format's end: quoted strings or bare tokens, named extra1, extra2 ... */
function addTrailingFields(rec: LogRecord, text: string, start: number): void {
  let pos = start;
  let k = 1;
  while (pos < text.length && k <= 32) {
    let v: string;
    if (text.charCodeAt(pos) === 34) {
      let end = closingQuote(text, pos + 1);
      if (end < 0) end = text.length;
      v = text.slice(pos + 1, end);
      pos = end + 1;
    } else {
      let end = endOfToken(text, pos);
      // "502, 401": a list of upstream values is one field.
      while (text.charCodeAt(end - 1) === 44 && text.charCodeAt(end) === 32 && end + 1 < text.length && text.charCodeAt(end + 1) !== 34) {
        end = endOfToken(text, end + 1);
      }
      v = text.slice(pos, end);
      pos = end;
    }
    if (v !== '-' && v !== '') {
      (rec.extra ??= new Map()).set(`extra${k}`, v.includes('\\') ? unescapeLogValue(v) : v);
      // A request id appended to a preset ("... "$http_user_agent" $request_id") is the usual custom field.
      if (rec.requestId === undefined && REQUEST_ID_SHAPE.test(v)) rec.requestId = v;
    }
    k++;
    while (text.charCodeAt(pos) === 32) pos++;
  }
}
