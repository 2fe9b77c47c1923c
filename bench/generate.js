#!/usr/bin/env node
// Deterministic synthetic log generator for the logscan benchmark.
//
//   node bench/generate.js [--lines N] [--seed S] [--high-cardinality]
//                          [--no-gzip] [--no-json] [--out DIR] [--force] [--quiet]
//
// Writes, under bench/out/ (gitignored):
//   <base>.log       nginx "combined" lines plus a trailing request id
//   <base>.log.gz    the same bytes gzipped (level 6, like logrotate's default)
//   <base>.app.json  pino-style JSON app log, one line per 401 (reqId-correlated)
//   <base>.meta.json written last: parameters, counts and sizes (the cache key)
//
// Everything comes from a seeded PRNG of our own, so the same parameters give
// byte-identical files on any machine. Lines are built into ~4 MB string
// chunks; the gzip copy compresses in libuv's threadpool while the next chunk
// is built, so on two cores it costs little extra wall time.
import { openSync, writeSync, closeSync, createWriteStream, mkdirSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createGzip, constants as zc } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 1;
const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = join(HERE, 'out');

// ---------------------------------------------------------------- PRNG
// sfc32 (Small Fast Counter): 128-bit state, passes PractRand, all 32-bit ops.
function sfc32(a, b, c, d) {
  return function next() {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

export function makeRng(seed) {
  const u32 = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0);
  for (let i = 0; i < 16; i++) u32(); // warm up
  const rng = {
    u32,
    /** [0, 1) */
    float: () => u32() / 4294967296,
    /** integer in [0, n) */
    int: (n) => Math.floor((u32() / 4294967296) * n),
    pick: (arr) => arr[Math.floor((u32() / 4294967296) * arr.length)],
    /** Skewed index in [0, n): small indexes are much more likely (hot set). */
    skewed: (n, power = 3) => Math.floor(Math.pow(u32() / 4294967296, power) * n),
  };
  return rng;
}

/** Weighted choice table: pick(r) with r in [0,1). */
function weighted(entries) {
  const total = entries.reduce((s, e) => s + e[0], 0);
  const cum = [];
  let acc = 0;
  for (const [w, v] of entries) { acc += w / total; cum.push([acc, v]); }
  cum[cum.length - 1][0] = 1.0001;
  return (r) => { for (let i = 0; i < cum.length; i++) if (r < cum[i][0]) return cum[i][1]; return cum[cum.length - 1][1]; };
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** 32 hex digits (a request id); built from byte pairs so the string stays shallow. */
function hex32(rng) {
  const a = rng.u32(), b = rng.u32(), c = rng.u32(), d = rng.u32();
  return HEX2[a & 255] + HEX2[(a >>> 8) & 255] + HEX2[(a >>> 16) & 255] + HEX2[a >>> 24] +
    HEX2[b & 255] + HEX2[(b >>> 8) & 255] + HEX2[(b >>> 16) & 255] + HEX2[b >>> 24] +
    HEX2[c & 255] + HEX2[(c >>> 8) & 255] + HEX2[(c >>> 16) & 255] + HEX2[c >>> 24] +
    HEX2[d & 255] + HEX2[(d >>> 8) & 255] + HEX2[(d >>> 16) & 255] + HEX2[d >>> 24];
}

// ---------------------------------------------------------------- user agents (~200)
function buildUserAgents() {
  const uas = [];
  const winOs = ['Windows NT 10.0; Win64; x64', 'Windows NT 11.0; Win64; x64', 'Windows NT 6.1; Win64; x64'];
  const macOs = ['Macintosh; Intel Mac OS X 10_15_7', 'Macintosh; Intel Mac OS X 14_4_1', 'Macintosh; Intel Mac OS X 13_6_3'];
  const linOs = ['X11; Linux x86_64', 'X11; Ubuntu; Linux x86_64'];
  for (let v = 110; v <= 125; v++) {
    for (const os of [...winOs, ...macOs.slice(0, 2), linOs[0]]) {
      uas.push(`Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`);
    }
  }
  for (let v = 115; v <= 126; v++) {
    for (const os of [winOs[0], macOs[0], linOs[1]]) uas.push(`Mozilla/5.0 (${os}; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`);
  }
  for (const v of ['16.6', '17.0', '17.2', '17.3', '17.4', '17.5']) {
    uas.push(`Mozilla/5.0 (${macOs[1]}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15`);
    for (const ios of ['16_6', '17_2', '17_4']) uas.push(`Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Mobile/15E148 Safari/604.1`);
  }
  for (const dev of ['SM-S918B', 'Pixel 8', 'Pixel 7a', 'SO-51D', 'SH-53D']) {
    for (const v of [120, 122, 124]) uas.push(`Mozilla/5.0 (Linux; Android 14; ${dev}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`);
  }
  for (const v of ['7.68.0', '7.88.1', '8.4.0', '8.5.0', '8.6.0']) uas.push(`curl/${v}`);
  for (const v of ['2.28.2', '2.31.0', '2.32.3']) uas.push(`python-requests/${v}`);
  for (const v of ['3.9.1', '3.9.3']) uas.push(`aiohttp/${v}`);
  for (const v of ['4.9.3', '4.12.0']) uas.push(`okhttp/${v}`);
  uas.push('Go-http-client/1.1', 'Go-http-client/2.0', 'axios/1.6.7', 'axios/1.7.2', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)');
  uas.push('Apache-HttpClient/4.5.14 (Java/17.0.10)', 'Java/11.0.22', 'PostmanRuntime/7.37.3', 'insomnia/8.6.1', 'Wget/1.21.3');
  uas.push('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)');
  uas.push('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)');
  uas.push('Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)');
  uas.push('Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)');
  uas.push('kube-probe/1.29', 'ELB-HealthChecker/2.0', 'Prometheus/2.51.0', 'Datadog Agent/7.52.0');
  uas.push('MyShopApp/4.12.0 (iPhone; iOS 17.4; Scale/3.00)', 'MyShopApp/4.12.0 (Android 14; Pixel 8)', 'MyShopApp/4.11.2 (iPhone; iOS 16.6; Scale/3.00)');
  return uas.slice(0, 200);
}

// ---------------------------------------------------------------- paths
const STATIC = [
  '/static/js/app.3f9a1c2e.js', '/static/js/vendor.8b7d44aa.js', '/static/js/runtime.0c1f3e9b.js',
  '/static/css/app.5e2d7f10.css', '/static/css/vendor.a41b9c03.css', '/favicon.ico', '/robots.txt',
  '/images/logo.svg', '/images/hero-banner.webp', '/fonts/NotoSansJP-Regular.woff2', '/manifest.json',
];
const WORDS = ['alpha', 'bravo', 'cedar', 'delta', 'ember', 'fjord', 'glade', 'harbor', 'iris', 'juniper', 'koi', 'lotus', 'maple', 'nori', 'onsen', 'pine', 'quartz', 'ramen', 'sakura', 'tatami', 'udon', 'violet', 'wasabi', 'yuzu', 'zen'];

/** Path generators: each (rng) => "/path?query". Weighted, realistic REST mix. */
function buildPathModel(rng) {
  const uid = () => 1000 + rng.skewed(200000, 2);
  const oid = () => 5000000 + rng.int(3000000);
  const pid = () => 100 + rng.skewed(50000, 2);
  const normal = weighted([
    [18, () => rng.pick(STATIC)],
    [6, () => `/images/products/${pid()}/${rng.int(6)}.jpg`],
    [10, () => '/api/v1/me'],
    [8, () => `/api/v1/users/${uid()}`],
    [5, () => `/api/v1/users/${uid()}/orders?page=${1 + rng.int(5)}`],
    [6, () => `/api/v1/orders/${oid()}`],
    [8, () => `/api/v1/products/${pid()}`],
    [4, () => `/api/v1/products/${pid()}/reviews?page=${1 + rng.int(10)}&sort=recent`],
    [5, () => `/api/v1/search?q=${rng.pick(WORDS)}+${rng.pick(WORDS)}&limit=20`],
    [3, () => `/api/v1/cart/${uid()}/items`],
    [2, () => '/api/v1/auth/refresh'],
    [2, () => '/oauth/token'],
    [2, () => '/login'],
    [1, () => '/logout'],
    [3, () => `/products/${pid()}`],
    [3, () => '/'],
    [2, () => `/category/${rng.pick(WORDS)}`],
    [2, () => '/health'],
    [1, () => `/api/v2/files/${hex32(rng).slice(0, 24)}`],
  ]);
  // 401s land where credentials are checked: APIs and auth endpoints, never static files.
  const unauthorized = weighted([
    [22, () => '/api/v1/me'],
    [14, () => `/api/v1/users/${uid()}`],
    [8, () => `/api/v1/users/${uid()}/orders?page=1`],
    [10, () => `/api/v1/orders/${oid()}`],
    [12, () => '/oauth/token'],
    [10, () => '/api/v1/auth/refresh'],
    [6, () => '/login'],
    [6, () => `/api/v1/cart/${uid()}/items`],
    [4, () => `/admin/users/${uid()}`],
    [3, () => '/admin/'],
    [3, () => `/api/v2/files/${hex32(rng).slice(0, 24)}`],
    [2, () => `/api/v1/products/${pid()}/reviews`],
  ]);
  return { normal, unauthorized };
}

// ---------------------------------------------------------------- clients
function ipOf(n) {
  // Spread indexes over plausible public-looking ranges; distinct n -> distinct ip
  // (bijective for n below 10 * 254 * 256 * 256).
  const a = [203, 198, 192, 45, 60, 110, 126, 133, 153, 180][n % 10];
  const m = Math.floor(n / 10);
  const d = 1 + (m % 254);
  const c = Math.floor(m / 254) & 255;
  const b = (17 + Math.floor(m / 65024) * 37) & 255;
  return `${a}.${b}.${c}.${d}`;
}

// ---------------------------------------------------------------- time
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`);
// 2026-03-12 00:00:00 +0900 as UTC ms.
const DAY_START_UTC = Date.UTC(2026, 2, 11, 15, 0, 0);
const OFFSET_MS = 9 * 3600 * 1000;

/** Diurnal traffic: cumulative share of the day's requests at each second (low at 04:00, peak ~14:00 and ~21:00). */
function diurnalCdf() {
  const cdf = new Float64Array(86401);
  let acc = 0;
  for (let s = 0; s < 86400; s++) {
    const h = s / 3600;
    const w = 0.25 + Math.exp(-(((h - 14) / 3.5) ** 2)) + 0.8 * Math.exp(-(((h - 21) / 2) ** 2)) + 0.4 * Math.exp(-(((h - 9) / 1.5) ** 2));
    acc += w;
    cdf[s + 1] = acc;
  }
  for (let s = 0; s <= 86400; s++) cdf[s] /= acc;
  return cdf;
}

function clfTime(utcMs) {
  const d = new Date(utcMs + OFFSET_MS); // wall clock in +0900, read with UTC getters
  return `${pad2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0900`;
}

// ---------------------------------------------------------------- app log (pino-style)
const APP_ERRORS = [
  ['TokenExpiredError', 'jwt expired'],
  ['JsonWebTokenError', 'invalid signature'],
  ['JsonWebTokenError', 'jwt malformed'],
  ['UnauthorizedError', 'No authorization token was found'],
  ['InvalidGrantError', 'invalid_grant: refresh token revoked'],
  ['InvalidClientError', 'invalid_client: client authentication failed'],
  ['SessionNotFoundError', 'session not found or expired'],
  ['AuthenticationError', 'bad username or password'],
];

function appLine(rng, timeMs, reqId, path, method) {
  const [type, message] = rng.pick(APP_ERRORS);
  const host = `api-${1 + rng.int(4)}`;
  const stack = `${type}: ${message}\\n    at verify (/srv/app/node_modules/jsonwebtoken/verify.js:${100 + rng.int(90)}:21)\\n    at authenticate (/srv/app/dist/auth/middleware.js:42:11)`;
  return `{"level":40,"time":${timeMs + rng.int(900)},"pid":${4000 + rng.int(8)},"hostname":"${host}","reqId":"${reqId}","req":{"method":"${method}","url":"${path}"},"msg":"authentication failed: ${message}","err":{"type":"${type}","message":"${message}","stack":"${stack}"}}\n`;
}

// ---------------------------------------------------------------- options and paths
export function parseGenArgs(argv) {
  const o = { lines: 2_000_000, seed: 20260312, highCardinality: false, gzip: true, json: true, out: DEFAULT_OUT, force: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lines') o.lines = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--high-cardinality') o.highCardinality = true;
    else if (a === '--no-gzip') o.gzip = false;
    else if (a === '--no-json') o.json = false;
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--force') o.force = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node bench/generate.js [--lines N] [--seed S] [--high-cardinality] [--no-gzip] [--no-json] [--out DIR] [--force] [--quiet]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.lines) || o.lines < 1) throw new Error('--lines must be a positive integer');
  return o;
}

/** File names are the cache key: every parameter that changes the bytes is in them. */
export function filesFor(o) {
  const base = `access-${o.lines}-${o.highCardinality ? 'hc' : 'std'}-s${o.seed}-g${GENERATOR_VERSION}`;
  return {
    base,
    log: join(o.out, `${base}.log`),
    gz: join(o.out, `${base}.log.gz`),
    app: join(o.out, `${base}.app.json`),
    meta: join(o.out, `${base}.meta.json`),
  };
}

/** Returns the metadata of a complete earlier run with these parameters, or null. */
export function cached(o) {
  const f = filesFor(o);
  if (!existsSync(f.meta)) return null;
  const meta = JSON.parse(readFileSync(f.meta, 'utf8'));
  if (!existsSync(f.log) || statSync(f.log).size !== meta.bytes) return null;
  if (o.gzip && !(meta.gzBytes && existsSync(f.gz))) return null;
  if (o.json && !(meta.appBytes && existsSync(f.app))) return null;
  return meta;
}

// ---------------------------------------------------------------- generator
export async function generate(o) {
  const f = filesFor(o);
  if (!o.force) {
    const hit = cached(o);
    if (hit) {
      if (!o.quiet) process.stderr.write(`generate: cached ${f.log}\n`);
      return hit;
    }
  }
  mkdirSync(o.out, { recursive: true });
  const t0 = process.hrtime.bigint();
  const rng = makeRng(o.seed);
  // The app log has its own stream, so --no-json cannot change the access log's bytes.
  const appRng = makeRng(o.seed ^ 0x5bd1e995);
  const uas = buildUserAgents();
  const paths = buildPathModel(rng);
  const cdf = diurnalCdf();
  const N = o.lines;

  // Client pool: a hot set (offices, NAT gateways, crawlers) and a long tail.
  const CLIENTS = 60000;
  const clientIps = Array.from({ length: CLIENTS }, (_, n) => ipOf(n));
  // High-cardinality mode: 1M distinct IPs and 1M distinct paths, each visited
  // by a bijective permutation of the line counter, so all 1M appear (5 times
  // each on 5M lines; once each on 1M lines), in scattered order.
  const HC = 1_000_000;
  const hcIp = (i) => ((i % HC) * 738197 + 12345) % HC; // 738197 is coprime with 10^6
  const hcPath = (i) => ((i % HC) * 481343 + 777) % HC;

  const tmp = (p) => `${p}.partial`;
  const fd = openSync(tmp(f.log), 'w');
  let gz = null, gzOut = null, gzDone = null;
  if (o.gzip) {
    gz = createGzip({ level: 6, chunkSize: 1 << 20 });
    gzOut = createWriteStream(tmp(f.gz), { highWaterMark: 1 << 20 });
    gz.pipe(gzOut);
    gzDone = new Promise((res, rej) => { gzOut.on('finish', res); gzOut.on('error', rej); gz.on('error', rej); });
  }
  const appFd = o.json ? openSync(tmp(f.app), 'w') : -1;

  let bytes = 0, appBytes = 0, count401 = 0, appLines = 0;
  let sec = -1, timeText = '', secMs = 0;
  let cursor = 0; // index into cdf
  // Lines go straight into a 4 MB Buffer (latin1Write: ASCII only), so every
  // per-line string dies young; holding thousands of them in an array to
  // join later made the generator spend most of its time in the GC.
  const CHUNK = 4 << 20;
  const ROOM = 1 << 16; // a line is far shorter than this
  let buf = Buffer.allocUnsafeSlow(CHUNK);
  let off = 0;
  let abuf = Buffer.allocUnsafeSlow(CHUNK);
  let aoff = 0;

  const flush = async () => {
    if (off > 0) {
      const out = buf.subarray(0, off);
      writeSync(fd, out);
      bytes += off;
      buf = Buffer.allocUnsafeSlow(CHUNK); // gzip may still hold the old one
      off = 0;
      if (gz && !gz.write(out)) await new Promise((r) => gz.once('drain', r));
    }
  };
  const flushApp = () => {
    writeSync(appFd, abuf, 0, aoff);
    appBytes += aoff;
    aoff = 0;
  };

  const statusPick = weighted([[790, 200], [45, 304], [30, 302], [25, 404], [8, 403], [6, 201], [4, 204], [5, 500], [3, 502], [2, 429]]);
  const refPick = weighted([
    [55, '-'], [20, 'https://shop.example.jp/'], [8, 'https://shop.example.jp/cart'], [6, 'https://www.google.com/'],
    [4, 'https://shop.example.jp/products'], [3, 'https://t.co/'], [2, 'https://m.facebook.com/'], [2, 'https://shop.example.jp/login'],
  ]);

  for (let i = 0; i < N; i++) {
    // Time: invert the diurnal CDF at i/N; monotonic, repeats the second for busy periods.
    const q = (i + 0.5) / N;
    while (cursor < 86399 && cdf[cursor + 1] <= q) cursor++;
    if (cursor !== sec) {
      sec = cursor;
      secMs = DAY_START_UTC + sec * 1000;
      timeText = clfTime(secMs);
    }
    const is401 = rng.float() < 0.1;
    let status, path, method;
    if (o.highCardinality) {
      const n = hcPath(i);
      const w = WORDS[n % WORDS.length];
      // Distinct even after route grouping (no bare numeric segment): /catalog/sakura-1b2x/item
      path = is401 ? `/api/v1/catalog/${w}-${n.toString(36)}/item` : `/catalog/${w}-${n.toString(36)}/item`;
      status = is401 ? 401 : statusPick(rng.float());
    } else if (is401) {
      status = 401;
      path = paths.unauthorized(rng.float())();
    } else {
      status = statusPick(rng.float());
      path = paths.normal(rng.float())();
    }
    const bare = path.indexOf('?') < 0 ? path : path.slice(0, path.indexOf('?'));
    if (bare === '/oauth/token' || bare === '/login' || bare === '/api/v1/auth/refresh' || (bare.endsWith('/items') && rng.float() < 0.4)) method = 'POST';
    else if (bare.startsWith('/api/v1/orders/') && rng.float() < 0.1) method = rng.float() < 0.5 ? 'PUT' : 'DELETE';
    else method = 'GET';

    const ip = o.highCardinality ? ipOf(hcIp(i)) : clientIps[rng.float() < 0.55 ? rng.skewed(2000, 2) : rng.int(CLIENTS)];
    const ua = uas[rng.skewed(uas.length, 2)];
    const user = !is401 && rng.float() < 0.03 ? WORDS[rng.int(WORDS.length)] : '-';
    const size = status === 304 || status === 204 ? 0 : status === 401 ? 61 + rng.int(40) : 200 + rng.int(40000);
    const ref = refPick(rng.float());
    const reqId = hex32(rng);
    off += buf.latin1Write(`${ip} - ${user} [${timeText}] "${method} ${path} HTTP/1.1" ${status} ${size} "${ref}" "${ua}" ${reqId}\n`, off);
    if (is401) {
      count401++;
      if (o.json) {
        aoff += abuf.latin1Write(appLine(appRng, secMs, reqId, path, method), aoff);
        appLines++;
        if (aoff > CHUNK - ROOM) flushApp();
      }
    }
    if (off > CHUNK - ROOM) await flush();
  }
  await flush();
  if (o.json && aoff > 0) flushApp();
  closeSync(fd);
  if (appFd >= 0) closeSync(appFd);
  if (gz) { gz.end(); await gzDone; }

  renameSync(tmp(f.log), f.log);
  if (o.gzip) renameSync(tmp(f.gz), f.gz);
  if (o.json) renameSync(tmp(f.app), f.app);
  const meta = {
    generatorVersion: GENERATOR_VERSION, lines: N, seed: o.seed, highCardinality: o.highCardinality,
    bytes, gzBytes: o.gzip ? statSync(f.gz).size : null, appBytes: o.json ? appBytes : null, appLines: o.json ? appLines : null,
    count401, files: { log: f.log, gz: o.gzip ? f.gz : null, app: o.json ? f.app : null },
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
  writeFileSync(f.meta, `${JSON.stringify(meta, null, 2)}\n`);
  if (!o.quiet) {
    process.stderr.write(`generate: ${N} lines, ${(bytes / 1e6).toFixed(1)} MB (${count401} x 401)` +
      `${o.gzip ? `, gzip ${(meta.gzBytes / 1e6).toFixed(1)} MB` : ''}${o.json ? `, app log ${appLines} lines ${(appBytes / 1e6).toFixed(1)} MB` : ''}` +
      ` in ${meta.seconds.toFixed(1)} s -> ${f.log}\n`);
  }
  return meta;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  generate(parseGenArgs(process.argv.slice(2))).catch((e) => {
    process.stderr.write(`generate: ${e.stack ?? e}\n`);
    process.exit(1);
  });
}
