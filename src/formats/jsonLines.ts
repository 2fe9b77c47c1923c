import type { LogRecord } from '../record.js';
import { applyRequestLine, applyTarget } from './request.js';
import { JSON_FIELD_NAMES, JSON_FIELD_PATHS, type JsonFieldName } from './jsonFields.js';
import type { LineParser, ParserFactory, PeekFact } from './parser.js';
import { parseAnyTime, parseEpoch } from './timestamps.js';
import type { Zone } from './zone.js';

/**
 * JSON-lines parser for application logs (pino, bunyan, winston, ECS, caddy,
 * nginx JSON log_format). Each fact is looked up along a list of candidate
 * paths compiled once per run; the first present value wins.
 */
type Path = { literal: string; parts: string[] };
export type JsonFieldMap = Record<JsonFieldName, Path[]>;

/**
 * An app writes its lines with the same few sets of keys, and most of the
 * ~230 candidate paths name a key that is not there: per set of top-level
 * keys (a shape), the paths that could be present are worked out once.
 * A path can only be present when its literal or its first part is a key.
 */
const MAX_SHAPES = 256;
/** The cached shapes' names (JSON of their key lists) hold at most this many characters. */
const MAX_SHAPE_CHARS = 1 << 20;
/**
 * Some apps name keys after the request (`"attr_<id>": ...`): every line is a new shape and
 * planning only adds cost. Shapes are counted over windows of lines; after a window of mostly
 * new ones, lines are read with all paths for a while, then planning is tried again.
 */
const SHAPE_WINDOW = 256;
const SHAPE_PAUSE_LINES = 65536;

function pathsForShape(map: JsonFieldMap, keys: ReadonlySet<string>): JsonFieldMap {
  const plan = {} as JsonFieldMap;
  for (const name of JSON_FIELD_NAMES) plan[name] = map[name].filter((p) => keys.has(p.literal) || keys.has(p.parts[0]));
  return plan;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const NUMERIC_LEVELS = new Map<number, string>([[10, 'trace'], [20, 'debug'], [30, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal']]);
const MAX_MESSAGE = 2000;

export function compileJsonFieldMap(overrides: ReadonlyMap<string, string> = new Map()): JsonFieldMap {
  const map = {} as JsonFieldMap;
  for (const name of JSON_FIELD_NAMES) {
    const paths: string[] = [...JSON_FIELD_PATHS[name]];
    const given = overrides.get(name);
    if (given !== undefined) paths.unshift(given);
    map[name] = paths.map((p) => ({ literal: p, parts: p.split('.') }));
  }
  for (const key of overrides.keys()) {
    if (!(JSON_FIELD_NAMES as readonly string[]).includes(key)) {
      throw new Error(`--json-field: unknown field "${key}"; known fields: ${JSON_FIELD_NAMES.join(', ')}`);
    }
  }
  return map;
}

function lookup(obj: Record<string, unknown>, path: Path): unknown {
  if (Object.hasOwn(obj, path.literal)) return obj[path.literal];
  if (path.parts.length === 1) return undefined;
  let cur: unknown = obj;
  for (const part of path.parts) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur as object, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function scalar(v: unknown): string | number | boolean | undefined {
  if (Array.isArray(v)) return v.length > 0 ? scalar(v[0]) : undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

function first(obj: Record<string, unknown>, paths: Path[]): string | number | boolean | undefined {
  for (const p of paths) {
    const v = scalar(lookup(obj, p));
    if (v !== undefined && v !== '' && v !== '-') return v;
  }
  return undefined;
}

function firstPresent(obj: Record<string, unknown>, paths: Path[]): unknown {
  for (const p of paths) {
    const v = lookup(obj, p);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The first candidate that holds a request target ("/a?b", "https://h/a", "*"); a route name such as "GetUser" is not one. */
function firstPath(obj: Record<string, unknown>, paths: Path[]): string | undefined {
  for (const p of paths) {
    const v = scalar(lookup(obj, p));
    if (typeof v === 'string' && (v.startsWith('/') || v === '*' || /^https?:\/\//i.test(v))) return v;
  }
  return undefined;
}

/**
 * A logged Authorization header. Caddy writes a present header as an array,
 * emptied or ["REDACTED"] when it hides credentials: present either way. A
 * string is present unless empty or "-" (nginx's $http_authorization).
 */
function authorizationPresent(v: unknown): boolean {
  if (Array.isArray(v)) return true;
  if (typeof v === 'string') return v !== '' && v !== '-';
  return v !== null && v !== false;
}

function toStatus(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : NaN;
  return n >= 100 && n <= 599 ? n : undefined;
}

function toNumber(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** "10.0.0.5:43210" and "[2001:db8::1]:443" (Envoy's downstream address) name the client without its port. */
function clientAddress(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  // A forwarded-for list names the client first.
  if (v.includes(',')) v = v.slice(0, v.indexOf(',')).trim();
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v);
  if (v4) return v4[1];
  const v6 = /^\[([0-9a-fA-F:.]+)\]:\d{1,5}$/.exec(v);
  return v6 ? v6[1] : v;
}

function str(v: unknown): string | undefined {
  return v === undefined ? undefined : String(v);
}

/** Start of the JSON object: lets "caddy  | {...}" (docker compose) parse. */
function jsonStart(text: string): number {
  if (text.charCodeAt(0) === 123) return 0;
  const i = text.indexOf('{');
  if (i <= 0 || i > 80 || text.slice(0, i).includes('"')) return -1;
  return i;
}

export class JsonLineParser implements LineParser {
  readonly kind = 'app' as const;
  readonly format = 'json';
  private obj: Record<string, unknown> = {};
  /** The candidate paths for the current line's shape. */
  private map: JsonFieldMap;
  private readonly shapes = new Map<string, JsonFieldMap>();
  private lastKeys: string[] = [];
  private lastPlan: JsonFieldMap;
  private shapeChars = 0;
  private windowLines = 0;
  private windowNewShapes = 0;
  /** Lines still to read with all paths (planning paused). */
  private unplanned = 0;
  private statusValue = NaN;
  private timeValue = NaN;

  constructor(private readonly allPaths: JsonFieldMap, private readonly zone: Zone) {
    this.map = allPaths;
    this.lastPlan = allPaths;
  }

  private planFor(obj: Record<string, unknown>): JsonFieldMap {
    if (this.unplanned > 0) {
      this.unplanned--;
      return this.allPaths;
    }
    const keys = Object.keys(obj);
    // Consecutive lines mostly share their keys (which JSON.parse interns: === compares no characters).
    if (sameKeys(keys, this.lastKeys)) {
      this.countShape(false);
      return this.lastPlan;
    }
    // JSON text of the list: keys may hold any character, and two shapes must never share a name.
    const shape = JSON.stringify(keys);
    let plan = this.shapes.get(shape);
    const isNew = plan === undefined;
    if (plan === undefined) {
      plan = pathsForShape(this.allPaths, new Set(keys));
      if (this.shapes.size >= MAX_SHAPES || this.shapeChars + shape.length > MAX_SHAPE_CHARS) {
        this.shapes.clear();
        this.shapeChars = 0;
      }
      this.shapes.set(shape, plan);
      this.shapeChars += shape.length;
    }
    this.lastKeys = keys;
    this.lastPlan = plan;
    this.countShape(isNew);
    return plan;
  }

  private countShape(isNew: boolean): void {
    if (isNew) this.windowNewShapes++;
    if (++this.windowLines < SHAPE_WINDOW) return;
    if (this.windowNewShapes * 2 > SHAPE_WINDOW) this.unplanned = SHAPE_PAUSE_LINES;
    this.windowLines = 0;
    this.windowNewShapes = 0;
  }

  scan(text: string): boolean {
    const start = jsonStart(text);
    if (start < 0) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(start === 0 ? text : text.slice(start));
    } catch {
      return false;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
    const obj = parsed as Record<string, unknown>;
    const map = this.planFor(obj);
    const status = first(obj, map.status);
    const t = first(obj, map.time);
    // An object naming none of the facts a log line carries ({"hi": "there"}) is not a log record.
    if (status === undefined && t === undefined && first(obj, map.level) === undefined
      && first(obj, map.message) === undefined && firstPath(obj, map.path) === undefined) return false;
    this.obj = obj;
    this.map = map;
    this.statusValue = toStatus(status) ?? NaN;
    this.timeValue = typeof t === 'number' ? parseEpoch(t) : typeof t === 'string' ? parseAnyTime(t, this.zone) : NaN;
    return true;
  }

  status(): number {
    return this.statusValue;
  }

  peek(fact: PeekFact): string | undefined {
    if (fact === 'path') {
      // As record() reads it: the first candidate that is a request target ("GetUser" is not one).
      const target = firstPath(this.obj, this.map.path);
      if (target === undefined) return undefined;
      const holder: LogRecord = { kind: 'app', input: '', line: 0, time: NaN };
      applyTarget(holder, target);
      return holder.path;
    }
    const v = first(this.obj, this.map[fact]);
    if (v === undefined) return undefined;
    return fact === 'ip' ? clientAddress(String(v)) : String(v);
  }

  time(): number {
    return this.timeValue;
  }

  record(input: string, line: number): LogRecord {
    const o = this.obj;
    const m = this.map;
    const rec: LogRecord = { kind: 'app', input, line, time: this.timeValue };
    // Only what the line has is set: deleting unset keys afterwards would turn every record into a
    // slow dictionary-mode object for the rest of the run.
    const put = <K extends keyof LogRecord>(key: K, value: LogRecord[K] | undefined) => {
      if (value !== undefined) rec[key] = value;
    };
    if (!Number.isNaN(this.statusValue)) rec.status = this.statusValue;
    put('level', normaliseLevel(first(o, m.level)));
    put('requestId', str(first(o, m.requestId)));
    put('method', str(first(o, m.method))?.toUpperCase());
    // A host field wins; without one, an absolute URL names the host (applyTarget).
    put('host', str(first(o, m.host)));
    const target = firstPath(o, m.path);
    if (target !== undefined) applyTarget(rec, target);
    // nginx JSON formats often log "$request" whole: "GET /x?y HTTP/2.0".
    else if (rec.method === undefined && typeof o.request === 'string') applyRequestLine(rec, o.request);
    put('ip', clientAddress(str(first(o, m.ip))));
    put('userAgent', str(first(o, m.userAgent)));
    put('user', str(first(o, m.user)));
    put('referer', str(first(o, m.referer)));
    put('bytes', toNumber(first(o, m.bytes)));
    put('requestTime', toNumber(first(o, m.requestTime)));
    put('upstreamStatus', str(first(o, m.upstreamStatus)));
    put('upstreamAddr', str(first(o, m.upstreamAddr)));
    put('cacheStatus', str(first(o, m.cacheStatus)));
    put('wwwAuthenticate', str(first(o, m.wwwAuthenticate)));
    const auth = firstPresent(o, m.authorization);
    if (auth !== undefined) rec.authorizationPresent = authorizationPresent(auth);
    put('message', messageOf(o, m));
    // A JSON line that describes a whole response is an access record (nginx JSON, caddy, restify audit).
    if (rec.status !== undefined && (rec.method !== undefined || rec.path !== undefined)) rec.kind = 'access';
    return rec;
  }
}

function messageOf(o: Record<string, unknown>, m: JsonFieldMap): string | undefined {
  const pieces = new MessagePieces();
  const msg = first(o, m.message);
  if (msg !== undefined) pieces.push(String(msg));
  for (const p of m.errorText) {
    const text = errorTextOf(lookup(o, p));
    if (text !== undefined) pieces.add(text);
  }
  collectErrorLeaves(o, pieces, 0);
  if (pieces.list.length === 0) return undefined;
  const text = pieces.list.join(' | ');
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE) : text;
}

const MAX_ERROR_PIECE = 400;
const MAX_LEAVES = 24;

/**
 * Frameworks nest the reason for a failure in places no list can name
 * (passport's info.message, Laravel's context.hint, a Java exception's
 * causedBy, an API gateway's lastError.reason): every string under a key that
 * names an error or a reason joins the message, a few levels deep.
 */
const ERROR_KEY = /^(msg|message|error|errors|err|reason|detail|details|hint|description|error_?description|cause|caused_?by|exception|previous|info|last_?error|response_code_details|local_reply_body|failure|failure_?message|outcome)$/i;

function collectErrorLeaves(v: unknown, pieces: MessagePieces, depth: number): void {
  if (depth > 4 || pieces.list.length >= MAX_LEAVES || v === null || typeof v !== 'object') return;
  const obj = v as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const child = obj[key];
    if (typeof child === 'string') {
      if (child === '' || !ERROR_KEY.test(key)) continue;
      pieces.add(errorTextOf(child) as string);
      if (pieces.list.length >= MAX_LEAVES) return;
    } else if (child !== null && typeof child === 'object') {
      collectErrorLeaves(child, pieces, depth + 1);
    }
  }
}

/** The pieces of a message, and the text they make so far (flattened once per piece, not once per candidate). */
class MessagePieces {
  readonly list: string[] = [];
  private sofar = '';

  push(text: string): void {
    this.list.push(text);
    // Compared as errorTextOf flattens text, so a multi-line "msg" does not come back as its own detail.
    const joined = this.list.join(' | ');
    this.sofar = joined.includes('\n') ? joined.replace(/\s*\n\s*/g, ' ') : joined;
  }

  /** Adds a piece unless it says nothing new ("TokenExpiredError: jwt expired" after its name and message). */
  add(text: string): void {
    // Text said whole already holds every part of it (the usual repeat: err.message after msg).
    if (this.sofar.includes(text)) return;
    if (!text.split(': ').every((part) => this.sofar.includes(part))) this.push(text);
  }
}

/**
 * Error details as text: strings as they are (a stack trace by its first
 * line), and nested objects or lists (DRF's {"messages": [...]}) as compact
 * JSON, so the rules can still read the words inside.
 */
function errorTextOf(v: unknown): string | undefined {
  if (typeof v === 'string') {
    if (v === '') return undefined;
    // A stack trace by its first line; other multi-line text ("details:\n- The token is expired") whole.
    if (!v.includes('\n')) return v.length > MAX_ERROR_PIECE ? v.slice(0, MAX_ERROR_PIECE) : v;
    if (/\n\s+at |\n\tat /.test(v)) return v.slice(0, v.indexOf('\n'));
    const flat = v.replace(/\s*\n\s*/g, ' ');
    return flat.length > MAX_ERROR_PIECE ? flat.slice(0, MAX_ERROR_PIECE) : flat;
  }
  if (v !== null && typeof v === 'object') {
    const json = JSON.stringify(v);
    return json.length > MAX_ERROR_PIECE ? json.slice(0, MAX_ERROR_PIECE) : json;
  }
  return undefined;
}

function normaliseLevel(v: string | number | boolean | undefined): string | undefined {
  if (typeof v === 'number') return NUMERIC_LEVELS.get(Math.floor(v / 10) * 10) ?? String(v);
  if (typeof v === 'string') return v.toLowerCase();
  return undefined;
}

export function jsonFactory(map: JsonFieldMap, zone: Zone): ParserFactory {
  return {
    name: 'json',
    kind: 'app',
    description: 'JSON lines (pino, bunyan, winston, ECS, caddy, nginx escape=json); fields found by name, see --json-field',
    create: () => new JsonLineParser(map, zone),
  };
}
