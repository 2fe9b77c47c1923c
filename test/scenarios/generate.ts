import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CAUSES, type Cause } from './causes.js';
import { appMessage, backgroundMessage, hasAppMessage, vagueMessage, type AppMsg, type Stack, type Where } from './messages.js';
import type { AppLine, ErrLine, ErrorStyle, LineRef, Req, ScenarioOptions, Truth } from './model.js';
import { accessLine, appLine, errorLine, logFormatFor } from './render.js';
import { Rng } from './rng.js';

/**
 * Deterministic scenario generator: one seed and a few knobs give a folder of
 * logs a real site could have written (edge access log(s), the app's JSON
 * log, the web server's error log) and truth.json, the true cause of every
 * 401 by the input:line the CLI will report.
 *
 * The site: an API behind nginx or Apache (api.example.com, JWT bearer
 * tokens), a web shop with cookie sessions (www.example.com, two backends
 * with ip_hash), an intranet under HTTP Basic auth, a Windows portal behind
 * NTLM/Negotiate, an OAuth server and a data API keyed by API keys. Every
 * cause is an incident: a fresh client that runs into it the way real clients
 * do (prior successes, retries, refreshes, handshakes, bursts), with the
 * signals a real system logs for it, some in the app log, some only in the
 * access log's fields. Background traffic (200/201/302/304/404 from many
 * clients, health checks, scanners) and background app lines surround it.
 *
 * Knobs (ScenarioOptions): access format, request ids on/off, app log style
 * (pino, winston, logback -> node or Spring wording), error-log style, app
 * clock offset, app line order, input order, split edge logs, app
 * "request completed" lines, volume, zone. Which causes can occur follows
 * from what the format logs: cdn_cached needs a cache status,
 * session_not_sticky an upstream address, auth_header_stripped an
 * Authorization flag and request ids (see capabilities()).
 */
export const DEFAULT_OPTIONS: Omit<ScenarioOptions, 'seed'> = {
  access: 'nginx_custom',
  requestIds: true,
  app: 'pino',
  errorLog: 'nginx',
  clockOffsetMs: 0,
  appOrder: 'sorted',
  inputOrder: 'access-app-error',
  splitAccess: false,
  appAccessLines: false,
  background: 600,
  incidents: 3,
  tz: 'UTC',
  start: '2026-03-12T09:00:00Z',
};

export interface Capabilities {
  requestIds: boolean;
  upstream: boolean;
  cache: boolean;
  wwwAuth: boolean;
  authFlag: boolean;
}

export function capabilities(o: ScenarioOptions): Capabilities {
  const nginxRich = o.access === 'nginx_custom' || o.access === 'nginx_json';
  const requestIds = o.requestIds && o.access !== 'nginx_combined';
  return { requestIds, upstream: nginxRich, cache: nginxRich, wwwAuth: nginxRich, authFlag: nginxRich && requestIds };
}

/** Causes this scenario's logs can show (every cause, for nginx_custom/nginx_json with request ids). */
export function possibleCauses(o: ScenarioOptions): Cause[] {
  const c = capabilities(o);
  return CAUSES.filter((cause) => {
    if (cause === 'cdn_cached') return c.cache;
    if (cause === 'session_not_sticky') return c.upstream;
    if (cause === 'auth_header_stripped') return c.authFlag;
    return true;
  });
}

export function resolveOptions(partial: Partial<ScenarioOptions> & { seed: number }): ScenarioOptions {
  const o = { ...DEFAULT_OPTIONS, ...partial };
  if (partial.errorLog === undefined) o.errorLog = o.access === 'apache_combined' ? 'apache24' : 'nginx';
  if (Math.abs(o.clockOffsetMs) >= 1000) throw new Error(`clockOffsetMs must stay under 1s, got ${o.clockOffsetMs}`);
  if (o.appAccessLines && o.app === 'logback') throw new Error('appAccessLines: Spring does not log its responses by default; use pino or winston');
  if ((o.access === 'apache_combined') !== (o.errorLog !== 'nginx')) throw new Error(`errorLog ${o.errorLog} does not go with access ${o.access}`);
  return o;
}

// ------------------------------------------------------------------ the site

const API_POOL = ['10.0.2.11:3000', '10.0.2.12:3000', '10.0.2.13:3000'];
const WWW_POOL = ['10.0.1.11:8080', '10.0.1.12:8080'];
const OAUTH_UP = '10.0.4.21:3000';
const DATA_UP = '10.0.5.31:8000';
const INTRANET_UP = '10.0.3.5:8080';
const IIS_UP = '10.0.3.40:80';

const UA = {
  browser: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15',
    'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80',
  ],
  app: [
    'OrdersApp/3.4.1 (iPhone; iOS 17.3.1; Scale/3.00)',
    'OrdersApp/3.4.0 (com.example.orders; build:341; Android 14) okhttp/4.12.0',
    'okhttp/4.12.0',
    'Dalvik/2.1.0 (Linux; U; Android 13; SM-A536B Build/TP1A.220624.014)',
  ],
  script: ['python-requests/2.31.0', 'curl/8.5.0', 'Go-http-client/2.0', 'PostmanRuntime/7.36.3', 'Java-http-client/17.0.10', 'axios/1.6.7'],
  scanner: ['Mozilla/5.0 zgrab/0.x', 'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)', 'python-requests/2.25.1', 'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:40.0) Gecko/20100101 Firefox/40.1'],
};

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'nakamura', 'sato', 'tanaka', 'yamada.hanako'];
const GUESSES = ['admin', 'root', 'test', 'user', 'administrator', 'guest', 'info', 'support', 'oracle', 'postgres', 'ubuntu', 'ftp', 'mysql', 'webmaster', 'sales', 'backup', 'dev', 'demo', 'operator', 'manager', 'jenkins', 'git', 'alice', 'bob', 'admin1', 'test1', 'sysadmin', 'www', 'office', 'scanner'];

const API_PATHS = ['/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/invoices', '/api/v1/me', '/api/v1/orders/{id}/items', '/api/v1/shipments/{id}'];
const SESSION_PATHS = ['/app/api/cart', '/app/api/profile', '/app/api/notifications', '/app/api/wishlist', '/app/api/orders/recent'];
const INTRANET_PATHS = ['/admin/', '/admin/reports/', '/finance/', '/admin/users/', '/finance/q1-2026/'];

type Site = 'api' | 'www' | 'intranet' | 'portal' | 'oauth' | 'data' | 'static';

interface Client {
  ip: string;
  ua: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

// ------------------------------------------------------------------ the world

class World {
  readonly rng: Rng;
  readonly caps: Capabilities;
  readonly stack: Stack;
  readonly reqs: Req[] = [];
  readonly app: AppLine[] = [];
  readonly err: ErrLine[] = [];
  readonly t0: number;
  private readonly ips: string[];
  private ipNext = 0;
  private intranetNext = 0;

  constructor(readonly o: ScenarioOptions) {
    this.rng = new Rng(o.seed);
    this.caps = capabilities(o);
    this.stack = o.app === 'logback' ? 'spring' : 'node';
    this.t0 = Date.parse(o.start);
    const pool: string[] = [];
    for (const net of ['203.0.113', '198.51.100', '192.0.2']) for (let i = 2; i < 255; i++) pool.push(`${net}.${i}`);
    for (let i = 0; i < 200; i++) pool.push(`100.64.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`);
    for (let i = 0; i < 60; i++) pool.push(`2001:db8:4a1f:${this.rng.int(0x1000, 0xffff).toString(16)}::${this.rng.int(0x10, 0xfff).toString(16)}`);
    this.ips = [...new Set(this.rng.shuffle(pool))];
  }

  /** A client address no one else in the scenario uses. */
  freshIp(): string {
    if (this.ipNext >= this.ips.length) throw new Error('scenario too large for the address pool');
    return this.ips[this.ipNext++];
  }

  intranetIp(): string {
    const n = this.intranetNext++;
    return `10.20.${Math.floor(n / 200) + 1}.${(n % 200) + 20}`;
  }

  client(kind: keyof typeof UA): Client {
    return { ip: this.freshIp(), ua: this.rng.pick(UA[kind]) };
  }

  bearer(): string {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: '2026-01' }));
    return `Bearer ${header}.${this.rng.b64url(96)}.${this.rng.b64url(43)}`;
  }

  basic(user: string): string {
    return `Basic ${b64(`${user}:${this.rng.b64url(10)}`)}`;
  }

  fill(target: string): string {
    return target.replace('{id}', String(this.rng.int(1000, 99999)));
  }

  hostOf(site: Site): string {
    return { api: 'api.example.com', www: 'www.example.com', intranet: 'intranet.example.com', portal: 'portal.corp.example.com', oauth: 'auth.example.com', data: 'data.example.com', static: 'www.example.com' }[site];
  }

  /**
   * Which edge server a request reaches: the L4 balancer keeps a client's
   * connection on one edge, and a client idle for a while may come back on
   * the other (30 s buckets stand in for keep-alive connections).
   */
  edgeOf(ip: string, start: number): number {
    if (!this.o.splitAccess) return 0;
    let h = Math.floor(start / 30000);
    for (const ch of ip) h = (h * 33 + ch.charCodeAt(0)) >>> 0;
    return h % 2;
  }

  /** ip_hash: a client keeps its www backend. */
  wwwUpstream(ip: string): string {
    let h = 0;
    for (const ch of ip) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return WWW_POOL[h % WWW_POOL.length];
  }

  upstreamFor(site: Site, ip: string): string | undefined {
    switch (site) {
      case 'api': return this.rng.pick(API_POOL);
      case 'www': return this.wwwUpstream(ip);
      case 'oauth': return OAUTH_UP;
      case 'data': return DATA_UP;
      case 'intranet': return INTRANET_UP;
      case 'portal': return IIS_UP;
      case 'static': return undefined;
    }
  }

  request(site: Site, c: Client, start: number, p: Partial<Req> & { method: string; target: string; status: number }): Req {
    const rng = this.rng;
    const upstream = p.upstream !== undefined ? p.upstream : this.upstreamFor(site, c.ip);
    const r: Req = {
      start,
      dur: p.dur ?? (upstream ? rng.int(3, 180) : rng.int(0, 2)),
      ip: c.ip,
      ua: c.ua,
      host: this.hostOf(site),
      proto: p.proto ?? (rng.chance(0.6) ? 'HTTP/1.1' : 'HTTP/2.0'),
      bytes: p.bytes ?? (p.status === 401 ? rng.pick([0, 41, 58, 63, 112]) : p.status === 304 ? 0 : rng.int(120, 24000)),
      reqId: this.o.access === 'apache_combined' ? rng.uuid() : rng.hex(32),
      edge: this.edgeOf(c.ip, start),
      ...p,
      upstream: upstream === '' ? undefined : upstream,
    };
    if (r.upstream !== undefined && r.upstreamStatus === undefined) r.upstreamStatus = String(r.status);
    this.reqs.push(r);
    return r;
  }

  /** The app logs a message about this request while handling it. */
  say(r: Req, m: AppMsg, signal: boolean): AppLine {
    const time = r.start + r.dur * (0.3 + 0.6 * this.rng.float()) + this.o.clockOffsetMs + this.rng.int(-30, 30);
    const line: AppLine = { time, req: r, m, withReqId: this.caps.requestIds, signal };
    this.app.push(line);
    return line;
  }

  /** The web server's error log says something about this request. */
  errlog(r: Req, level: string, module: string, text: string, signal: boolean): void {
    this.err.push({ time: r.start + this.rng.int(0, Math.max(1, r.dur)), level, module, text, req: r, signal });
  }

  label(r: Req, cause: Cause, detail: string): Req {
    r.cause = cause;
    r.detail = detail;
    return r;
  }

  appMsg(cause: Cause, where: Where, r: Req, user = 'alice'): AppMsg {
    return appMessage(this.stack, cause, where, { rng: this.rng, at: r.start, user });
  }
}

// ------------------------------------------------------------------ incidents

type Incident = (w: World, t: number) => void;

const BASIC_REALM = 'Basic realm="Restricted"';

/** A follow-up request starts only once the response to the previous one has arrived. */
function after(r: Req, gapMs: number): number {
  return r.start + r.dur + gapMs;
}

/** A 401 from the web server's own Basic auth (nginx auth_basic, Apache mod_auth_basic). */
function basic401(w: World, c: Client, t: number, target: string, user: string | undefined, authorization?: string): Req {
  return w.request('intranet', c, t, {
    method: 'GET', target, status: 401, user, upstream: '',
    bytes: w.o.errorLog === 'nginx' ? 179 : 381,
    wwwAuth: BASIC_REALM, authorization: authorization ?? (user !== undefined ? w.basic(user) : undefined),
  });
}

/** The error-log line for a refused Basic-auth user, in the server's wording. */
function basicFailure(w: World, r: Req, user: string, style: ErrorStyle): string {
  const path = r.target.split('?')[0];
  if (style === 'nginx') {
    if (w.rng.chance(0.6)) {
      w.errlog(r, 'error', 'auth_basic', `user "${user}": password mismatch`, true);
      return 'nginx auth_basic password mismatch';
    }
    w.errlog(r, 'error', 'auth_basic', `user "${user}" was not found in "/etc/nginx/.htpasswd"`, true);
    return 'nginx auth_basic user not found';
  }
  if (w.rng.chance(0.6)) {
    w.errlog(r, 'error', 'auth_basic', `AH01617: user ${user}: authentication failure for "${path}": Password Mismatch`, true);
    return `${style} AH01617 Password Mismatch`;
  }
  w.errlog(r, 'error', 'auth_basic', `AH01618: user ${user} not found: ${path}`, true);
  return `${style} AH01618 user not found`;
}

/** The Bearer challenge an API sends for a token problem, RFC 6750 or Spring's wording. */
function bearerChallenge(w: World, cause: Cause, at: number): string | undefined {
  const whenIso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const spring = (d: string) => `Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: ${d}", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"`;
  const options: Partial<Record<Cause, string[]>> = {
    credentials_missing: ['Bearer realm="api"', 'Bearer'],
    auth_header_malformed: ['Bearer error="invalid_request"', 'Bearer realm="api", error="invalid_request", error_description="Authorization header is not a Bearer token"'],
    token_expired: ['Bearer realm="api", error="invalid_token", error_description="The access token expired"', spring(`Jwt expired at ${whenIso(at - 600000)}`)],
    token_not_yet_valid: [spring(`Jwt used before ${whenIso(at + 90000)}`), 'Bearer realm="api", error="invalid_token", error_description="The access token is not yet valid (nbf)"'],
    token_signature_invalid: [spring('Signed JWT rejected: Invalid signature'), 'Bearer realm="api", error="invalid_token", error_description="The access token signature is invalid"'],
    token_claims_invalid: ['Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"', spring('The aud claim is not valid')],
    token_invalid: ['Bearer error="invalid_token"', 'Bearer realm="api", error="invalid_token", error_description="The access token is malformed"'],
  };
  const list = options[cause];
  return list ? w.rng.pick(list) : undefined;
}

/**
 * An API 401 whose cause the app explains, the WWW-Authenticate header
 * explains, or both. Without a logged header the app line is always there.
 */
function apiRefusal(w: World, cause: Cause, c: Client, t: number, p: Partial<Req> & { target?: string }, opts: { headerOnlyChance?: number; where?: Where } = {}): Req {
  const where = opts.where ?? 'api';
  const site: Site = where === 'api' && p.target?.startsWith('/v2/') ? 'data' : where === 'api' ? 'api' : 'www';
  const r = w.request(site, c, t, { method: 'GET', target: w.fill(w.rng.pick(API_PATHS)), status: 401, authorization: w.bearer(), ...p });
  const header = w.caps.wwwAuth && w.rng.chance(0.6) ? bearerChallenge(w, cause, t) : undefined;
  if (header) r.wwwAuth = header;
  const headerOnly = header !== undefined && w.rng.chance(opts.headerOnlyChance ?? 0.3);
  const details: string[] = [];
  if (header) details.push(`WWW-Authenticate: ${header.slice(0, 70)}`);
  if (!headerOnly && hasAppMessage(w.stack, cause, where)) {
    const m = w.appMsg(cause, where, r);
    w.say(r, m, true);
    details.push(m.detail);
  }
  if (details.length === 0) throw new Error(`no signal for ${cause} at ${where}`);
  return w.label(r, cause, details.join('; '));
}

function priorSuccesses(w: World, c: Client, t: number, n: number, site: Site, paths: readonly string[], authorization?: string): number {
  let at = t;
  for (let i = 0; i < n; i++) {
    at += w.rng.int(4000, 90000);
    const r = w.request(site, c, at, { method: 'GET', target: w.fill(w.rng.pick(paths)), status: 200, authorization });
    if (w.rng.chance(0.3)) w.say(r, backgroundMessage(w.stack, w.rng, r.target), false);
  }
  return at;
}

const INCIDENTS: Record<Cause, Incident> = {
  credentials_invalid(w, t) {
    const user = w.rng.pick(USERS);
    if (w.rng.chance(0.5)) {
      const c = { ip: w.rng.chance(0.5) ? w.intranetIp() : w.freshIp(), ua: w.rng.pick([...UA.browser, 'curl/8.5.0']) };
      // Sometimes the right user in the wrong case, or with a pasted trailing space: still refused.
      const typed = w.rng.pick([user, user, user, user[0].toUpperCase() + user.slice(1), `${user} `]);
      const r = basic401(w, c, t, w.rng.pick(INTRANET_PATHS), typed);
      w.label(r, 'credentials_invalid', basicFailure(w, r, r.user as string, w.o.errorLog));
      if (w.rng.chance(0.3)) w.request('intranet', c, t + w.rng.int(8000, 25000), { method: 'GET', target: r.target, status: 200, user, authorization: w.basic(user) });
      return;
    }
    const c = w.client('browser');
    const r = w.request('www', c, t, { method: 'POST', target: '/login', status: 401, referer: 'https://www.example.com/login' });
    const m = w.appMsg('credentials_invalid', 'login', r, user);
    w.say(r, m, true);
    w.label(r, 'credentials_invalid', m.detail);
    if (w.rng.chance(0.3)) {
      const ok = w.request('www', c, t + w.rng.int(8000, 20000), { method: 'POST', target: '/login', status: 302, referer: 'https://www.example.com/login' });
      w.say(ok, { level: 'info', msg: 'login succeeded', fields: { username: user }, detail: '' }, false);
    }
  },

  credentials_missing(w, t) {
    const roll = w.rng.float();
    if (w.o.errorLog === 'nginx' && roll < 0.35) {
      // A script or monitor that never sends credentials: nginx logs it at info level.
      const c = w.client('script');
      for (let i = 0, at = t; i < w.rng.int(1, 2); i++, at += w.rng.int(60000, 120000)) {
        const r = basic401(w, c, at, w.rng.pick(INTRANET_PATHS), undefined);
        w.errlog(r, 'info', 'auth_basic', 'no user/password was provided for basic authentication', true);
        w.label(r, 'credentials_missing', 'nginx auth_basic: no user/password was provided');
      }
      return;
    }
    if (w.stack === 'node' && roll < 0.55) {
      const c = w.client('browser');
      const r = w.request('www', c, t, { method: 'POST', target: '/login', status: 401, referer: 'https://www.example.com/login' });
      const m = w.appMsg('credentials_missing', 'login', r);
      w.say(r, m, true);
      w.label(r, 'credentials_missing', m.detail);
      return;
    }
    const c = w.client(w.rng.pick(['script', 'app'] as const));
    apiRefusal(w, 'credentials_missing', c, t, { authorization: undefined });
  },

  auth_header_malformed(w, t) {
    if (w.o.errorLog !== 'nginx' && w.rng.chance(0.4)) {
      // A client sends its API token to the Basic-auth area: mod_auth_basic refuses the scheme.
      const c = w.client('script');
      const r = basic401(w, c, t, w.rng.pick(INTRANET_PATHS), undefined, w.bearer());
      w.errlog(r, 'error', 'auth_basic', `AH01614: client used wrong authentication scheme: ${r.target}`, true);
      w.label(r, 'auth_header_malformed', `${w.o.errorLog} AH01614 wrong authentication scheme`);
      return;
    }
    const c = w.client('script');
    const authorization = w.stack === 'spring' ? `Basic ${w.rng.b64url(13)}` : w.rng.pick(['Bearer', `Token ${w.rng.hex(40)}`, `JWT ${w.bearer().slice(7)}`, `bearer:${w.rng.hex(24)}`]);
    apiRefusal(w, 'auth_header_malformed', c, t, { authorization });
  },

  auth_header_stripped(w, t) {
    // A corporate proxy (or a mobile carrier's) drops Authorization: the edge logged it, the app never saw it.
    const c = w.client('app');
    let at = t;
    for (let i = 0; i < w.rng.int(1, 3); i++, at += w.rng.int(3000, 20000)) {
      const r = w.request('api', c, at, { method: 'GET', target: w.fill(w.rng.pick(API_PATHS)), status: 401, authorization: w.bearer() });
      if (w.rng.chance(0.5)) r.wwwAuth = 'Bearer realm="api"';
      const m = w.appMsg('credentials_missing', 'api', r);
      w.say(r, m, true);
      w.label(r, 'auth_header_stripped', `edge logged Authorization; app: ${m.detail}`);
    }
  },

  token_expired(w, t) {
    const c = w.client('app');
    const token = w.bearer();
    const at = w.rng.chance(0.5) ? priorSuccesses(w, c, t, w.rng.int(1, 3), 'api', API_PATHS, token) + w.rng.int(5000, 60000) : t;
    const r = apiRefusal(w, 'token_expired', c, at, { authorization: token });
    if (w.rng.chance(0.5)) {
      const refresh = after(r, w.rng.int(600, 4000));
      const rr = w.request('oauth', c, refresh, { method: 'POST', target: '/oauth/token', status: 200 });
      w.say(rr, { level: 'info', msg: 'token issued', fields: { grant_type: 'refresh_token', client_id: 'orders-app' }, detail: '' }, false);
      w.request('api', c, after(rr, w.rng.int(200, 1500)), { method: r.method, target: r.target, status: 200, authorization: w.bearer() });
    }
  },

  token_not_yet_valid(w, t) {
    // A phone whose clock runs ahead got a token the API considers issued in the future.
    const c = w.client('app');
    const token = w.bearer();
    let at = t;
    for (let i = 0; i < w.rng.int(1, 2); i++, at += w.rng.int(4000, 30000)) apiRefusal(w, 'token_not_yet_valid', c, at, { authorization: token });
  },

  token_signature_invalid(w, t) {
    if (w.rng.chance(0.35)) {
      // Key rotation: the API's JWKS cache misses the new kid; every client refused within seconds.
      const n = w.rng.int(4, 7);
      for (let i = 0; i < n; i++) apiRefusal(w, 'token_signature_invalid', w.client(w.rng.pick(['app', 'browser'] as const)), t + w.rng.int(0, 20000), {});
      return;
    }
    apiRefusal(w, 'token_signature_invalid', w.client('script'), t, {});
  },

  token_claims_invalid(w, t) {
    const c = w.client(w.rng.pick(['app', 'script'] as const));
    apiRefusal(w, 'token_claims_invalid', c, t, { method: w.rng.pick(['GET', 'POST', 'DELETE']) });
  },

  token_invalid(w, t) {
    const c = w.client(w.rng.pick(['app', 'script'] as const));
    const authorization = w.rng.chance(0.5) ? `Bearer ${w.rng.b64url(40)}` : w.bearer();
    apiRefusal(w, 'token_invalid', c, t, { authorization });
  },

  api_key_invalid(w, t) {
    // A cron job with a stale key retries every minute.
    const c = w.client('script');
    const target = `/v2/prices?symbol=${w.rng.pick(['ACME', 'GLOBX', 'INIT', 'UMBR'])}&interval=1m`;
    let at = t;
    for (let i = 0; i < w.rng.int(1, 2); i++, at += 60000 + w.rng.int(-300, 300)) apiRefusal(w, 'api_key_invalid', c, at, { target, authorization: undefined });
  },

  api_key_restricted(w, t) {
    const c = w.client('script');
    const target = `/v2/prices?symbol=${w.rng.pick(['ACME', 'GLOBX', 'INIT', 'UMBR'])}`;
    if (w.rng.chance(0.5)) priorSuccesses(w, c, t - 200000, w.rng.int(1, 2), 'data', ['/v2/prices?symbol=ACME', '/v2/symbols'], undefined);
    apiRefusal(w, 'api_key_restricted', c, t, { target, authorization: undefined });
  },

  cors_preflight(w, t) {
    // The SPA on shop.example.com calls the API; the auth middleware runs before CORS.
    const c = w.client('browser');
    const r = w.request('api', c, t, {
      method: 'OPTIONS', target: w.fill(w.rng.pick(API_PATHS)), status: 401, bytes: 0, referer: 'https://shop.example.com/checkout',
    });
    const details = ['OPTIONS answered 401'];
    if (w.caps.wwwAuth && w.rng.chance(0.5)) {
      r.wwwAuth = 'Bearer realm="api"';
      details.push('WWW-Authenticate: Bearer realm="api"');
    }
    if (w.rng.chance(0.5)) {
      const m = w.appMsg('credentials_missing', 'api', r);
      w.say(r, m, true);
      details.push(`app: ${m.detail}`);
    }
    w.label(r, 'cors_preflight', details.join('; '));
  },

  session_expired(w, t) {
    const c = w.client('browser');
    w.request('www', c, t, { method: 'GET', target: '/login', status: 200 });
    const login = w.request('www', c, t + w.rng.int(5000, 20000), { method: 'POST', target: '/login', status: 302, referer: 'https://www.example.com/login' });
    w.say(login, { level: 'info', msg: 'login succeeded', fields: { username: w.rng.pick(USERS) }, detail: '' }, false);
    const last = priorSuccesses(w, c, login.start, w.rng.int(2, 4), 'www', SESSION_PATHS, undefined);
    const at = last + w.rng.int(180000, 480000);
    const r = w.request('www', c, at, { method: 'GET', target: w.rng.pick(SESSION_PATHS), status: 401, referer: 'https://www.example.com/app/' });
    const m = w.appMsg('session_expired', 'session', r);
    w.say(r, m, true);
    w.label(r, 'session_expired', m.detail);
    w.request('www', c, at + w.rng.int(1500, 6000), { method: 'GET', target: '/login?next=%2Fapp%2F', status: 200 });
  },

  session_not_sticky(w, t) {
    // The client's backend drops out of the pool for a moment: its session lives only there.
    const c = w.client('browser');
    const home = w.wwwUpstream(c.ip);
    const other = WWW_POOL.find((u) => u !== home) as string;
    const ok = w.request('www', c, t, { method: 'GET', target: w.rng.pick(SESSION_PATHS), status: 200, upstream: home });
    if (w.rng.chance(0.3)) w.say(ok, backgroundMessage(w.stack, w.rng, ok.target), false);
    let at = after(ok, w.rng.int(1000, 5000));
    for (let i = 0; i < w.rng.int(1, 2); i++, at += w.rng.int(2500, 6000)) {
      const r = w.request('www', c, at, { method: 'GET', target: w.rng.pick(SESSION_PATHS), status: 401, upstream: other, referer: 'https://www.example.com/app/' });
      let detail = `200 via ${home}, then 401 via ${other}`;
      if (i === 0 && w.rng.chance(0.3)) {
        // The home backend refuses the connection; nginx retries on the other one (proxy_next_upstream).
        r.upstream = `${home}, ${other}`;
        r.upstreamStatus = '502, 401';
        w.errlog(r, 'error', 'upstream', 'connect() failed (111: Connection refused) while connecting to upstream', false);
        detail += ' after connect() to the home backend failed';
      }
      if (w.rng.chance(0.3)) {
        const m = w.appMsg('session_expired', 'session', r);
        w.say(r, m, true);
        detail += `; backend ${other} says: ${m.detail}`;
      }
      w.label(r, 'session_not_sticky', detail);
    }
  },

  oauth_client_invalid(w, t) {
    if (w.rng.chance(0.3)) {
      const c = w.client('browser');
      const target = `/oauth/authorize?response_type=code&client_id=web-portal&redirect_uri=https%3A%2F%2Fstaging.example.net%2Fcallback&state=${w.rng.hex(16)}`;
      const r = w.request('oauth', c, t, { method: 'GET', target, status: 401, referer: 'https://staging.example.net/' });
      const m = w.appMsg('oauth_client_invalid', 'authorize', r);
      w.say(r, m, true);
      w.label(r, 'oauth_client_invalid', m.detail);
      return;
    }
    const c = w.client(w.rng.pick(['app', 'script'] as const));
    const basicAuth = w.rng.chance(0.5);
    const r = w.request('oauth', c, t, { method: 'POST', target: '/oauth/token', status: 401, authorization: basicAuth ? w.basic('mobile-app') : undefined });
    if (basicAuth && w.caps.wwwAuth) r.wwwAuth = 'Basic realm="auth.example.com"';
    const m = w.appMsg('oauth_client_invalid', 'oauth', r);
    w.say(r, m, true);
    w.label(r, 'oauth_client_invalid', m.detail);
  },

  account_locked(w, t) {
    const user = w.rng.pick(USERS);
    const c = w.client('browser');
    let at = t;
    if (w.rng.chance(0.6)) {
      for (let i = 0; i < w.rng.int(2, 4); i++, at += w.rng.int(6000, 20000)) {
        const r = w.request('www', c, at, { method: 'POST', target: '/login', status: 401, referer: 'https://www.example.com/login' });
        const m = w.appMsg('credentials_invalid', 'login', r, user);
        w.say(r, m, true);
        w.label(r, 'credentials_invalid', `before the lock: ${m.detail}`);
      }
    }
    for (let i = 0; i < w.rng.int(1, 2); i++, at += w.rng.int(10000, 30000)) {
      const r = w.request('www', c, at, { method: 'POST', target: '/login', status: 401, referer: 'https://www.example.com/login' });
      const m = w.appMsg('account_locked', 'login', r, user);
      w.say(r, m, true);
      w.label(r, 'account_locked', m.detail);
    }
  },

  brute_force(w, t) {
    const c = { ip: w.freshIp(), ua: w.rng.pick(UA.scanner) };
    const n = w.rng.int(20, 28);
    const names = w.rng.shuffle(GUESSES);
    const viaBasic = w.rng.chance(0.4);
    let at = t;
    for (let i = 0; i < n; i++, at += w.rng.int(1200, 2800)) {
      const user = names[i % names.length];
      if (viaBasic) {
        const r = basic401(w, c, at, '/admin/', user);
        w.label(r, 'brute_force', `${n} guesses in ${Math.round((n * 2000) / 1000)}s; ${basicFailure(w, r, user, w.o.errorLog)}`);
        continue;
      }
      const r = w.request('www', c, at, { method: 'POST', target: '/login', status: 401 });
      const m = w.appMsg('credentials_invalid', 'login', r, user);
      if (w.rng.chance(0.9)) w.say(r, m, true);
      w.label(r, 'brute_force', `${n} login guesses over many user names; ${m.detail}`);
    }
  },

  cdn_cached(w, t) {
    // proxy_cache_valid any 1m: the first 401 (a real one) is cached and served to everyone for a minute.
    const target = w.rng.pick(['/api/v1/catalog/featured', '/api/v1/catalog/prices', '/api/v1/config']);
    const first = w.client('app');
    const originCause: Cause = w.rng.pick(['token_expired', 'credentials_missing'] as const);
    const origin = apiRefusal(w, originCause, first, t, { target, cache: 'MISS', authorization: originCause === 'credentials_missing' ? undefined : w.bearer() });
    const n = w.rng.int(2, 4);
    for (let i = 0; i < n; i++) {
      const c = w.client(w.rng.pick(['app', 'browser'] as const));
      const r = w.request('api', c, t + w.rng.int(3000, 55000), {
        method: 'GET', target, status: 401, cache: 'HIT', upstream: '', upstreamStatus: undefined, wwwAuth: origin.wwwAuth, authorization: w.bearer(), bytes: origin.bytes,
      });
      w.label(r, 'cdn_cached', `cache HIT of the 401 first given to ${first.ip} (${originCause})`);
    }
  },

  auth_challenge(w, t) {
    const roll = w.rng.float();
    if (roll < 0.4) {
      // Basic: the client learns the realm, then sends credentials it already has.
      const user = w.rng.pick(USERS);
      const c = { ip: w.intranetIp(), ua: w.rng.pick([...UA.browser, 'python-requests/2.31.0', 'curl/8.5.0']) };
      const target = w.rng.pick(INTRANET_PATHS);
      const r = basic401(w, c, t, target, undefined);
      if (w.o.errorLog === 'nginx' && w.rng.chance(0.5)) w.errlog(r, 'info', 'auth_basic', 'no user/password was provided for basic authentication', false);
      w.request('intranet', c, after(r, w.rng.int(40, 900)), { method: 'GET', target, status: 200, user, authorization: w.basic(user), edge: r.edge });
      w.label(r, 'auth_challenge', 'Basic challenge, then 200 with the user');
      return;
    }
    const c = { ip: w.intranetIp(), ua: w.rng.pick(UA.browser.slice(0, 3)) };
    const target = w.rng.pick(['/sites/finance/Shared%20Documents/Forms/AllItems.aspx', '/sites/hr/default.aspx', '/_layouts/15/start.aspx', '/ews/exchange.asmx']);
    if (roll < 0.7) {
      // NTLM: two 401s (negotiate, challenge) before the 200.
      const a = w.request('portal', c, t, { method: 'GET', target, status: 401, bytes: 341, wwwAuth: w.caps.wwwAuth ? 'NTLM' : undefined });
      const b = w.request('portal', c, after(a, w.rng.int(20, 300)), {
        method: 'GET', target, status: 401, bytes: 341, edge: a.edge, authorization: `NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==`,
        wwwAuth: w.caps.wwwAuth ? `NTLM TlRMTVNTUAACAAAADAAMADgAAAAFgomi${w.rng.b64url(40)}` : undefined,
      });
      w.request('portal', c, after(b, w.rng.int(20, 300)), { method: 'GET', target, status: 200, edge: a.edge, authorization: `NTLM TlRMTVNTUAADAAAAGAAYAEgAAAAYABgAYAAAAAwADAB4${w.rng.b64url(60)}` });
      w.label(a, 'auth_challenge', 'NTLM type 1 challenge');
      w.label(b, 'auth_challenge', 'NTLM type 2 challenge');
      return;
    }
    const r = w.request('portal', c, t, { method: 'GET', target, status: 401, bytes: 341, wwwAuth: w.caps.wwwAuth ? 'Negotiate' : undefined });
    w.request('portal', c, after(r, w.rng.int(15, 250)), { method: 'GET', target, status: 200, edge: r.edge, authorization: `Negotiate YIIH${w.rng.b64url(80)}` });
    w.label(r, 'auth_challenge', 'Negotiate (Kerberos) challenge');
  },

  unknown(w, t) {
    // A 401 nobody explains: no app line with a reason, no challenge header, no pattern.
    const c = w.client(w.rng.pick(['browser', 'app'] as const));
    const session = w.rng.chance(0.5);
    const r = session
      ? w.request('www', c, t, { method: 'GET', target: w.rng.pick(SESSION_PATHS), status: 401 })
      : w.request('api', c, t, { method: 'GET', target: w.fill('/api/v1/reports/{id}'), status: 401, authorization: w.bearer() });
    let detail = 'no evidence anywhere';
    if (w.rng.chance(0.4)) {
      const m = vagueMessage(w.stack);
      w.say(r, m, false);
      detail = m.detail;
    }
    w.label(r, 'unknown', detail);
  },
};

// ------------------------------------------------------------------ background

function background(w: World, end: number): void {
  const rng = w.rng;
  const clients = {
    browser: Array.from({ length: 40 }, () => w.client('browser')),
    app: Array.from({ length: 30 }, () => w.client('app')),
    script: Array.from({ length: 6 }, () => w.client('script')),
    scanner: Array.from({ length: 3 }, () => w.client('scanner')),
    staff: Array.from({ length: 8 }, () => ({ ip: w.intranetIp(), ua: rng.pick(UA.browser.slice(0, 3)) })),
  };
  const staffUser = new Map(clients.staff.map((c, i) => [c.ip, USERS[i % USERS.length]]));
  const probe = { ip: '10.0.0.5', ua: 'kube-probe/1.29' };
  const span = end - w.t0;
  for (let i = 0; i < w.o.background; i++) {
    const at = w.t0 + Math.floor(rng.float() * span);
    const roll = rng.float();
    if (roll < 0.08) {
      w.request('static', probe, at, { method: 'GET', target: '/healthz', status: 200, bytes: 2, upstream: '' });
    } else if (roll < 0.38) {
      const c = rng.pick(clients.browser);
      const kind = rng.float();
      if (kind < 0.35) {
        const asset = rng.pick(['/static/js/app.3f9c2b.js', '/static/css/main.8d1e4a.css', '/static/img/logo.svg', '/favicon.ico']);
        w.request('static', c, at, { method: 'GET', target: asset, status: rng.chance(0.2) ? 304 : 200, upstream: '', referer: 'https://www.example.com/' });
      } else if (kind < 0.55) {
        const r = w.request('www', c, at, { method: 'GET', target: rng.pick(['/', '/products/1042', '/products/2210', '/search?q=usb+c+cable', '/help']), status: 200 });
        if (rng.chance(0.2)) w.say(r, backgroundMessage(w.stack, rng, r.target), false);
      } else if (kind < 0.7) {
        w.request('www', c, at, { method: 'GET', target: '/account', status: 302 });
      } else if (kind < 0.8) {
        const r = w.request('www', c, at, { method: 'POST', target: '/login', status: 302, referer: 'https://www.example.com/login' });
        w.say(r, { level: 'info', msg: 'login succeeded', fields: { username: rng.pick(USERS) }, detail: '' }, false);
      } else {
        const r = w.request('www', c, at, { method: 'GET', target: rng.pick(SESSION_PATHS), status: 200 });
        if (rng.chance(0.2)) w.say(r, backgroundMessage(w.stack, rng, r.target), false);
      }
    } else if (roll < 0.7) {
      const c = rng.pick(clients.app);
      const cached = rng.chance(0.15);
      const target = cached ? '/api/v1/catalog/featured' : w.fill(rng.pick(API_PATHS));
      const method = !cached && rng.chance(0.15) ? 'POST' : 'GET';
      const cache = cached && w.caps.cache ? (rng.chance(0.7) ? 'HIT' : 'MISS') : undefined;
      const r = w.request('api', c, at, {
        method, target, status: method === 'POST' ? 201 : 200, authorization: w.bearer(), cache,
        upstream: cache === 'HIT' ? '' : undefined,
      });
      if (cache !== 'HIT' && rng.chance(0.3)) w.say(r, backgroundMessage(w.stack, rng, r.target), false);
    } else if (roll < 0.8) {
      const c = rng.pick(clients.script);
      const r = w.request('data', c, at, { method: 'GET', target: `/v2/prices?symbol=${rng.pick(['ACME', 'GLOBX', 'INIT'])}`, status: 200 });
      if (rng.chance(0.2)) w.say(r, { level: 'debug', msg: 'api key ok', fields: { keyId: `k_${rng.hex(6)}` }, detail: '' }, false);
    } else if (roll < 0.9) {
      const c = rng.pick(clients.staff);
      const user = staffUser.get(c.ip) as string;
      w.request('intranet', c, at, { method: 'GET', target: rng.pick(INTRANET_PATHS), status: 200, user, authorization: w.basic(user) });
    } else if (roll < 0.95) {
      const c = rng.pick(clients.scanner);
      const target = rng.pick(['/wp-login.php', '/.env', '/phpmyadmin/', '/.git/config', '/admin.php', '/actuator/env', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php']);
      const r = w.request('static', c, at, { method: 'GET', target, status: 404, upstream: '', bytes: 153 });
      if (w.o.errorLog === 'nginx') w.errlog(r, 'error', 'core', `open() "/usr/share/nginx/html${target.split('?')[0]}" failed (2: No such file or directory)`, false);
      else w.errlog(r, 'info', 'core', `AH00128: File does not exist: /var/www/html${target.split('?')[0]}`, false);
    } else {
      const c = rng.pick(clients.app);
      const r = w.request('api', c, at, { method: 'GET', target: w.fill('/api/v1/orders/{id}'), status: rng.chance(0.5) ? 404 : 200, authorization: w.bearer() });
      if (rng.chance(0.2) && w.o.errorLog === 'nginx') {
        r.status = 504;
        r.upstreamStatus = '504';
        r.dur = 60000;
        w.errlog(r, 'error', 'upstream', 'upstream timed out (110: Connection timed out) while reading response header from upstream', false);
      }
    }
  }
}

// ------------------------------------------------------------------ writing

export interface GeneratedScenario {
  truth: Truth;
  /** Files written, relative to the folder. */
  files: string[];
  lines: number;
}

/**
 * Write a scenario into `dir` (created if missing): its logs and truth.json.
 * Returns the truth, whose keys name inputs relative to `dir`: run the CLI
 * with `dir` as its working directory and truth.inputs as its inputs.
 */
export function generateScenario(dir: string, partial: Partial<ScenarioOptions> & { seed: number }): GeneratedScenario {
  const o = resolveOptions(partial);
  const w = new World(o);
  const causes = possibleCauses(o);
  const plan: Cause[] = [];
  for (const cause of causes) {
    const n = cause === 'brute_force' ? Math.max(1, Math.round(o.incidents / 3)) : o.incidents;
    for (let i = 0; i < n; i++) plan.push(cause);
  }
  const order = w.rng.shuffle(plan);
  // Incidents spread over the scenario, each with room before and after it.
  const slot = 25000;
  const end = w.t0 + 120000 + order.length * slot;
  order.forEach((cause, i) => INCIDENTS[cause](w, w.t0 + 60000 + i * slot + w.rng.int(0, slot / 3)));
  background(w, end);
  if (o.appAccessLines) {
    for (const r of w.reqs) {
      if (r.upstream === undefined || r.host === 'intranet.example.com' || r.host === 'portal.corp.example.com') continue;
      w.app.push({ time: r.start + r.dur + o.clockOffsetMs, req: r, m: { level: r.status >= 500 ? 'error' : r.status >= 400 ? 'warn' : 'info', msg: 'request completed', detail: '' }, withReqId: w.caps.requestIds, completion: true, signal: false });
    }
  }
  return writeScenario(dir, w);
}

function writeScenario(dir: string, w: World): GeneratedScenario {
  const o = w.o;
  const rng = w.rng;
  const offsetMin = o.tz === 'UTC' ? 0 : 540;
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string[]> = {};
  const accessNames = o.splitAccess ? ['edge-a.log', 'edge-b.log'] : ['access.log'];
  const where = new Map<Req, LineRef>();

  // Access logs: written in completion order, stamped per server.
  accessNames.forEach((name, edge) => {
    const reqs = w.reqs.filter((r) => r.edge === edge).sort((a, b) => a.start + a.dur - (b.start + b.dur) || a.start - b.start);
    files[name] = reqs.map((r, i) => {
      where.set(r, { file: name, line: i + 1 });
      return accessLine(r, o.access, w.caps.requestIds, offsetMin);
    });
  });

  // App log: time order, or locally shuffled as several workers share the file.
  const appKey = new Map<AppLine, number>(w.app.map((a) => [a, o.appOrder === 'jittered' ? a.time + rng.int(-400, 400) : a.time]));
  const app = w.app.slice().sort((a, b) => (appKey.get(a) as number) - (appKey.get(b) as number));
  const seqOf = new Map<Req, number>();
  files['app.log'] = app.map((a, i) => {
    a.ref = { file: 'app.log', line: i + 1 };
    if (!seqOf.has(a.req)) seqOf.set(a.req, seqOf.size + 1);
    return appLine(a, o.app, offsetMin, seqOf.get(a.req) as number, a.req.host === 'www.example.com' ? 'shop-web-6f7d9c' : 'api-7f9c4b');
  });

  const errs = w.err.slice().sort((a, b) => a.time - b.time);
  files['error.log'] = errs.map((e, i) => {
    e.ref = { file: 'error.log', line: i + 1 };
    return errorLine(e, o.errorLog, offsetMin, 1000 + i * 3);
  });

  const events: Record<string, Cause> = {};
  const details: Record<string, string> = {};
  const links: Record<string, string[]> = {};
  const aliases: Record<string, string> = {};
  const key = (ref: LineRef) => `${ref.file}:${ref.line}`;
  for (const r of w.reqs) {
    if (r.cause === undefined) continue;
    if (r.status !== 401) throw new Error(`labelled request is a ${r.status}`);
    const k = key(where.get(r) as LineRef);
    events[k] = r.cause;
    details[k] = r.detail ?? '';
    const refs = [...w.app.filter((a) => a.req === r && a.signal), ...w.err.filter((e) => e.req === r && e.signal)].map((x) => key(x.ref as LineRef));
    if (refs.length > 0) links[k] = refs;
    for (const a of w.app) if (a.req === r && a.completion) aliases[key(a.ref as LineRef)] = k;
  }
  for (const r of w.reqs) if (r.status === 401 && r.cause === undefined) throw new Error(`unlabelled 401 ${r.method} ${r.target}`);

  const names = [...accessNames, 'app.log', 'error.log'];
  const inputs = orderInputs(names, accessNames, o.inputOrder, rng);
  const logFormat = logFormatFor(o.access, w.caps.requestIds);
  const args = ['--tz', o.tz, ...(logFormat ? ['--log-format', logFormat] : [])];
  const truth: Truth = {
    version: 1,
    description: describe(o),
    args,
    inputs,
    events: sortKeys(events),
    aliases: sortKeys(aliases),
    links: sortKeys(links),
    details: sortKeys(details),
    options: o,
  };
  let lines = 0;
  for (const name of names) {
    writeFileSync(path.join(dir, name), files[name].length > 0 ? `${files[name].join('\n')}\n` : '');
    lines += files[name].length;
  }
  writeFileSync(path.join(dir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return { truth, files: [...names, 'truth.json'], lines };
}

function orderInputs(names: string[], access: string[], order: ScenarioOptions['inputOrder'], rng: Rng): string[] {
  switch (order) {
    case 'access-app-error': return [...access, 'app.log', 'error.log'];
    case 'app-access-error': return ['app.log', ...access, 'error.log'];
    case 'error-app-access': return ['error.log', 'app.log', ...access.slice().reverse()];
    case 'shuffled': return rng.shuffle(names);
  }
}

/** Line order of a file in the CLI's view: "file:12" sorts by file, then numerically. */
function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const parse = (k: string) => {
    const i = k.lastIndexOf(':');
    return [k.slice(0, i), Number(k.slice(i + 1))] as const;
  };
  const keys = Object.keys(o).sort((a, b) => {
    const [fa, la] = parse(a);
    const [fb, lb] = parse(b);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb;
  });
  const out: Record<string, T> = {};
  for (const k of keys) out[k] = o[k];
  return out;
}

function describe(o: ScenarioOptions): string {
  return [
    `seed ${o.seed}`, o.access, o.requestIds ? 'request ids' : 'no request ids', `${o.app} app log`, `${o.errorLog} error log`,
    `app clock ${o.clockOffsetMs >= 0 ? '+' : ''}${o.clockOffsetMs}ms`, `app lines ${o.appOrder}`, `inputs ${o.inputOrder}`,
    o.splitAccess ? 'two edge logs' : 'one access log', o.appAccessLines ? 'app logs its responses' : '', `tz ${o.tz}`,
  ].filter(Boolean).join(', ');
}
