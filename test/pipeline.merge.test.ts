import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstTimeOf } from '../src/pipeline/mergeInputs.js';
import { buildRegistry } from '../src/formats/registry.js';
import { UTC_ZONE } from '../src/formats/zone.js';
import { clfTime, MARCH_12 } from './support/clfTime.js';
import { ROOT, runCli } from './support/cli.js';

/**
 * Several inputs are read together and merged by time, so that the analysis
 * streams (classifies while reading) as it does for one input; with --threads,
 * workers parse the inputs' ranges and the merge takes their lines. The
 * reference each merged run must give exactly: the inputs read one after the
 * other and analysed at the end (LOGSCAN_SEQUENTIAL_INPUTS, a switch for tests).
 */
/** `workers`: also with --threads 3 and tiny ranges (test/parallel.test.ts does so for the fixture scenarios). */
function both(args: string[], workers = true): { merged: string; sequential: string; code: number; stderr: string } {
  const merged = runCli([...args, '--threads', '1']);
  const sequential = runCli([...args, '--threads', '1'], { env: { LOGSCAN_SEQUENTIAL_INPUTS: '1' } });
  expect(merged.code).toBe(sequential.code);
  expect(merged.stderr).toBe(sequential.stderr);
  if (workers) {
    const many = runCli([...args, '--threads', '3'], { env: { LOGSCAN_RANGE_BYTES: '600' } });
    expect(many.stdout).toBe(merged.stdout);
    expect(many.stderr).toBe(merged.stderr);
  }
  return { merged: merged.stdout, sequential: sequential.stdout, code: merged.code, stderr: merged.stderr };
}

const START = MARCH_12;
const clf = clfTime;

const scenarios = readdirSync(path.join(ROOT, 'fixtures/scenarios'))
  .map((d) => path.join('fixtures/scenarios', d))
  .filter((d) => readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.log')).length > 1);

describe('several inputs merged by time', () => {
  it.each(scenarios)('%s: same report and events as reading them one after the other', (dir) => {
    const logs = readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.log')).map((f) => path.join(dir, f));
    for (const extra of [['-o', 'json'], ['--events', '-o', 'ndjson']]) {
      const r = both(['analyze', ...logs, ...extra], false);
      expect(r.merged.length).toBeGreaterThan(0);
      expect(r.merged).toBe(r.sequential);
    }
    // The order inputs are named in changes nothing.
    const reversed = both(['analyze', ...logs.reverse(), '-o', 'json'], false);
    expect(reversed.merged).toBe(reversed.sequential);
  });

  it('a long access log and the app log of its own responses: joined by client and time while streaming', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-merge-'));
    const access: string[] = [];
    const app: string[] = [];
    let challenged = 0;
    for (let i = 0; i < 12000; i++) {
      const t = START + i * 1000;
      if (i % 40 === 7) {
        const ip = `10.2.${(i >> 8) & 255}.${i & 255}`;
        const p = `/api/v1/orders/${i}`;
        access.push(`${ip} - - [${clf(t)}] "GET ${p} HTTP/1.1" 401 0 "-" "OrdersApp/3.4"`);
        // The application logs the same response a moment later, without a request id the server knows.
        app.push(JSON.stringify({ level: 40, time: t + 300, req: { method: 'GET', url: p, remoteAddress: ip }, res: { statusCode: 401 }, err: { type: 'TokenExpiredError', message: 'jwt expired' }, msg: 'request errored' }));
        challenged++;
      } else {
        access.push(`192.0.2.${i % 200} - - [${clf(t)}] "GET /static/app.${i % 7}.js HTTP/1.1" 200 1000 "-" "Mozilla/5.0"`);
        if (i % 100 === 0) app.push(JSON.stringify({ level: 30, time: t, msg: 'cache warmed' }));
      }
    }
    writeFileSync(path.join(dir, 'access.log'), `${access.join('\n')}\n`);
    writeFileSync(path.join(dir, 'app.log'), `${app.join('\n')}\n`);
    const r = both(['analyze', path.join(dir, 'access.log'), path.join(dir, 'app.log'), '-o', 'json']);
    expect(r.merged).toBe(r.sequential);
    const report = JSON.parse(r.merged) as { totals: { matched: number }; byCause: { cause: string; count: number }[] };
    // Each app response joined its server response: counted once, explained by the app's error.
    expect(report.totals.matched).toBe(challenged);
    expect(report.byCause.find((c) => c.cause === 'token_expired')?.count).toBe(challenged);
    const events = both(['analyze', path.join(dir, 'app.log'), path.join(dir, 'access.log'), '--events', '-o', 'ndjson']);
    expect(events.merged).toBe(events.sequential);
    const first = JSON.parse(events.merged.split('\n')[0]) as { correlated: string[] };
    expect(first.correlated).toEqual([`${path.join(dir, 'app.log')}:2`]);
  });

  it('a handshake split over two servers behind one balancer is seen in time order', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-merge-'));
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 12000; i++) {
      const t = START + i * 1000;
      const ip = `10.3.${(i >> 8) & 255}.${i & 255}`;
      if (i % 30 === 0) {
        // Challenged by one server, then served the same path by the other a second later.
        a.push(`${ip} - - [${clf(t)}] "GET /dav/share${i}/notes.txt HTTP/1.1" 401 0 "-" "davfs2/1.7"`);
        b.push(`${ip} - bob [${clf(t + 1000)}] "GET /dav/share${i}/notes.txt HTTP/1.1" 200 512 "-" "davfs2/1.7"`);
      } else {
        (i % 2 === 0 ? a : b).push(`192.0.2.${i % 200} - - [${clf(t)}] "GET /static/app.${i % 7}.js HTTP/1.1" 200 1000 "-" "Mozilla/5.0"`);
      }
    }
    writeFileSync(path.join(dir, 'a.log'), `${a.join('\n')}\n`);
    writeFileSync(path.join(dir, 'b.log.gz'), gzipSync(`${b.join('\n')}\n`));
    const r = both(['analyze', path.join(dir, 'b.log.gz'), path.join(dir, 'a.log'), '-o', 'json']);
    expect(r.merged).toBe(r.sequential);
    const report = JSON.parse(r.merged) as { byCause: { cause: string; count: number }[]; inputs: { name: string }[] };
    expect(report.byCause.find((c) => c.cause === 'auth_challenge')?.count).toBe(400);
    // Inputs are listed as named, whatever order their lines were merged in.
    expect(report.inputs.map((x) => path.basename(x.name))).toEqual(['b.log.gz', 'a.log']);
  });

  it('an input that fails part-way keeps what was read, and the others are read whole', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-merge-'));
    const lines = Array.from({ length: 3000 }, (_, i) => `198.51.100.${i % 9} - - [${clf(START + i * 1000)}] "POST /login HTTP/1.1" 401 5 "-" "k6"`);
    writeFileSync(path.join(dir, 'ok.log'), `${lines.join('\n')}\n`);
    const gz = gzipSync(`${lines.join('\n')}\n`);
    writeFileSync(path.join(dir, 'cut.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const r = both(['analyze', path.join(dir, 'cut.log.gz'), path.join(dir, 'ok.log'), '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cut.log.gz');
    expect(r.merged).toBe(r.sequential);
    const report = JSON.parse(r.merged) as { inputs: { lines: number; error?: string }[] };
    expect(report.inputs[0].error).toBeDefined();
    expect(report.inputs[0].lines).toBeGreaterThan(0);
    expect(report.inputs[1].lines).toBe(3000);
  });

  it('--strict stops at the first malformed line of any input, naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-merge-'));
    const lines = Array.from({ length: 50 }, (_, i) => `198.51.100.${i % 9} - - [${clf(START + i * 1000)}] "POST /login HTTP/1.1" 401 5 "-" "k6"`);
    writeFileSync(path.join(dir, 'ok.log'), `${lines.join('\n')}\n`);
    lines[40] = 'not a log line';
    writeFileSync(path.join(dir, 'bad.log'), `${lines.join('\n')}\n`);
    const r = runCli(['analyze', path.join(dir, 'ok.log'), path.join(dir, 'bad.log'), '--strict']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'bad.log')}:41`);
    expect(r.stdout).toBe('');
  });

  it('an edge log and its upstream log, without upstream addresses: the response is the line of the input named first', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-merge-'));
    const edge: string[] = [];
    const upstream: string[] = [`10.0.0.1 - - [${clf(START - 1000)}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"`];
    for (let i = 0; i < 300; i++) {
      const t = START + i * 1000;
      const id = `req${i}`;
      // The upstream writes its line first (it answers first): reading by time meets it first.
      upstream.push(`10.0.0.1 - - [${clf(t)}] "GET /api/v1/me HTTP/1.1" 401 0 "-" "app/2.0" ${id}`);
      edge.push(`198.51.100.${i % 50} - - [${clf(t)}] "GET /api/v1/me HTTP/1.1" 401 0 "-" "app/2.0" ${id}`);
      upstream.push(`10.0.0.1 - - [${clf(t + 500)}] "GET /api/v1/me HTTP/1.1" 200 9 "-" "app/2.0" ok${i}`);
    }
    writeFileSync(path.join(dir, 'edge.log'), `${edge.join('\n')}\n`);
    writeFileSync(path.join(dir, 'upstream.log'), `${upstream.join('\n')}\n`);
    const format = ['--log-format', '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id'];
    const r = both(['analyze', path.join(dir, 'edge.log'), path.join(dir, 'upstream.log'), ...format, '-o', 'json']);
    expect(r.merged).toBe(r.sequential);
    const report = JSON.parse(r.merged) as { totals: { matched: number }; tables: { name: string; rows: { values: string[] }[] }[] };
    expect(report.totals.matched).toBe(300);
    const ips = report.tables.find((t) => t.name === 'ip')?.rows.map((row) => row.values[0]) ?? [];
    expect(ips).not.toContain('10.0.0.1');
    const events = both(['analyze', path.join(dir, 'edge.log'), path.join(dir, 'upstream.log'), ...format, '--events', '-o', 'ndjson']);
    expect(events.merged).toBe(events.sequential);
  });

  it('a 401 without a time among several inputs: everything is kept to the end, no crash', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-merge-'));
    writeFileSync(path.join(dir, 'access.log'), `192.0.2.1 - - [${clf(START)}] "GET /api/v1/me HTTP/1.1" 401 0 "-" "app/2.0"\n`);
    writeFileSync(path.join(dir, 'app.log'), `${JSON.stringify({ level: 'warn', status: 401, ip: '10.0.0.5', path: '/api/me', msg: 'jwt expired' })}\n`);
    const r = both(['analyze', path.join(dir, 'access.log'), path.join(dir, 'app.log'), '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.merged).toBe(r.sequential);
    expect((JSON.parse(r.merged) as { totals: { matched: number } }).totals.matched).toBe(2);
  });

  it('rotated parts named in any order give the report of the whole file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-merge-'));
    const lines = Array.from({ length: 24000 }, (_, i) => {
      const ip = `10.4.${(i >> 8) & 63}.${i & 255}`;
      return i % 9 === 0
        ? `${ip} - - [${clf(START + i * 500)}] "GET /api/v1/me HTTP/1.1" 401 0 "-" "app/2.0"`
        : `${ip} - - [${clf(START + i * 500)}] "GET /api/v1/items/${i % 50} HTTP/1.1" 200 10 "-" "app/2.0"`;
    });
    writeFileSync(path.join(dir, 'whole.log'), `${lines.join('\n')}\n`);
    // As logrotate leaves them: access.log newest, .1 before it, older ones compressed.
    const parts = ['access.log.3.gz', 'access.log.2.gz', 'access.log.1', 'access.log'];
    parts.forEach((name, k) => {
      const text = `${lines.slice(k * 6000, (k + 1) * 6000).join('\n')}\n`;
      writeFileSync(path.join(dir, name), name.endsWith('.gz') ? gzipSync(text) : text);
    });
    const whole = JSON.parse(runCli(['analyze', path.join(dir, 'whole.log'), '-o', 'json', '--by', 'path,ip,cause']).stdout) as Record<string, unknown>;
    const named = runCli(['analyze', ...['access.log', 'access.log.1', 'access.log.2.gz', 'access.log.3.gz'].map((n) => path.join(dir, n)), '-o', 'json', '--by', 'path,ip,cause']);
    expect(named.code).toBe(0);
    const merged = JSON.parse(named.stdout) as Record<string, unknown>;
    expect((merged.inputs as unknown[]).length).toBe(4);
    expect((merged.totals as { inputs: number }).inputs).toBe(4);
    for (const r of [whole, merged]) {
      delete r.inputs;
      delete (r.totals as { inputs?: number }).inputs;
    }
    expect(merged).toEqual(whole);
  });
});

describe('firstTimeOf', () => {
  const registry = buildRegistry({ zone: UTC_ZONE });
  it('reads the first line with a time, from a plain or a gzip file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-first-'));
    const text = `\n${'#'.repeat(10)}\n192.0.2.1 - - [${clf(START + 7000)}] "GET / HTTP/1.1" 200 1 "-" "x"\n`;
    writeFileSync(path.join(dir, 'a.log'), text);
    writeFileSync(path.join(dir, 'a.log.gz'), gzipSync(text));
    for (const f of ['a.log', 'a.log.gz']) expect(firstTimeOf({ name: f, path: path.join(dir, f) }, registry)).toBe(START + 7000);
  });

  it('does not open a named pipe (that would end its writer, or wait for one)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-first-'));
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // Opening it to read would block here for ever: no process writes to it.
    expect(firstTimeOf({ name: 'pipe', path: fifo }, registry)).toBeNaN();
  });

  it('is NaN when it cannot tell: standard input, a resumed read, no such file, no log lines', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-first-'));
    writeFileSync(path.join(dir, 'prose.txt'), 'this is not a log\nnor is this\n');
    writeFileSync(path.join(dir, 'a.log'), `192.0.2.1 - - [${clf(START)}] "GET / HTTP/1.1" 200 1 "-" "x"\n`);
    expect(firstTimeOf({ name: '-', path: null }, registry)).toBeNaN();
    expect(firstTimeOf({ name: 'a.log', path: path.join(dir, 'a.log'), resume: { offset: 10, lines: 1, gzip: false } }, registry)).toBeNaN();
    expect(firstTimeOf({ name: 'gone.log', path: path.join(dir, 'gone.log') }, registry)).toBeNaN();
    expect(firstTimeOf({ name: 'prose.txt', path: path.join(dir, 'prose.txt') }, registry)).toBeNaN();
  });
});
