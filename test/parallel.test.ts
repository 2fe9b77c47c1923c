import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clfTime, MARCH_12 } from './support/clfTime.js';
import { ROOT, runCli } from './support/cli.js';

/**
 * The parallel path (worker threads, one byte range each, replayed in file
 * order) must give exactly what the single-threaded path gives. Ranges are
 * made tiny (LOGSCAN_RANGE_BYTES) so that small files split into many, with
 * boundaries landing everywhere.
 */
const TINY = { LOGSCAN_RANGE_BYTES: '600' };

/** Runs single- and multi-threaded; `split` maps each input the parallel run split to its range count. */
function both(args: string[], env: Record<string, string> = {}): { one: string; many: string; code: number; split: Map<string, number> } {
  const trace = path.join(mkdtempSync(path.join(tmpdir(), 'logscan-trace-')), 'ranges.tsv');
  writeFileSync(trace, '');
  const one = runCli([...args, '--threads', '1'], { env });
  const many = runCli([...args, '--threads', '3'], { env: { ...TINY, LOGSCAN_TRACE_RANGES: trace, ...env } });
  expect(many.code).toBe(one.code);
  expect(many.stderr).toBe(one.stderr);
  const split = new Map(readFileSync(trace, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')).map(([n, c]) => [n, Number(c)] as [string, number]));
  return { one: one.stdout, many: many.stdout, code: one.code, split };
}

const scenarios = readdirSync(path.join(ROOT, 'fixtures/scenarios')).map((d) => path.join('fixtures/scenarios', d));

describe('parallel parsing gives the single-threaded output', () => {
  it.each(scenarios)('%s: report, JSON and events', (dir) => {
    const logs = readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.log')).map((f) => path.join(dir, f));
    for (const extra of [['-o', 'json'], ['--events', '-o', 'ndjson'], ['--by', 'cause,hour', '--tz', 'UTC']]) {
      const r = both(['analyze', ...logs, ...extra]);
      expect(r.one.length).toBeGreaterThan(0);
      expect(r.many).toBe(r.one);
      // Every scenario has at least one input big enough to be split.
      expect(Math.max(...r.split.values())).toBeGreaterThan(1);
    }
  });

  describe('a generated log', () => {
    let log: string;
    beforeAll(() => {
      const out = mkdtempSync(path.join(tmpdir(), 'logscan-par-'));
      execFileSync(process.execPath, [path.join(ROOT, 'bench/generate.js'), '--lines', '20000', '--no-gzip', '--out', out, '--quiet']);
      log = path.join(out, readdirSync(out).find((f) => f.endsWith('.log')) as string);
    });

    it('same JSON report, events and time view, with the file really split', () => {
      const json = both(['analyze', log, '-o', 'json', '--by', 'path,ip,ua,cause,hour']);
      const report = JSON.parse(json.one) as { totals: { linesRead: number; matched: number } };
      expect(report.totals.linesRead).toBe(20000);
      expect(report.totals.matched).toBeGreaterThan(1000);
      expect(json.many).toBe(json.one);
      expect(json.split.get(log)).toBeGreaterThan(1000);
      const events = both(['analyze', log, '--events', '-o', 'ndjson', '--status', '4xx']);
      expect(events.many).toBe(events.one);
      const since = both(['analyze', log, '-o', 'json', '--since', '2026-03-12T12:00:00+09:00', '--until', '2026-03-12T18:00:00+09:00']);
      expect(since.many).toBe(since.one);
    });
  });

  it('a long log read while streaming: the sequence patterns see the same follow-ups (handshakes, refreshes)', () => {
    // Long enough (over 10,000 lines, hours of log time) that the analysis classifies while reading.
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-par-'));
    const file = path.join(dir, 'access.log');
    const start = MARCH_12;
    const lines: string[] = [];
    for (let i = 0; i < 14000; i++) {
      const t = start + i * 1000;
      const ip = `10.1.${(i >> 8) & 255}.${i & 255}`;
      if (i % 50 === 0) {
        // A handshake: challenged, then the same path succeeds a second later (a path without the letters k, f, w: no refresh path travels as text).
        lines.push(`${ip} - - [${clfTime(t)}] "GET /dav/share${i}/notes.txt HTTP/1.1" 401 0 "-" "davfs2/1.7"`);
        lines.push(`${ip} - bob [${clfTime(t + 1000)}] "GET /dav/share${i}/notes.txt HTTP/1.1" 200 512 "-" "davfs2/1.7"`);
      } else if (i % 50 === 25) {
        // An expired token, refreshed within the minute.
        lines.push(`${ip} - - [${clfTime(t)}] "GET /api/v1/me HTTP/1.1" 401 0 "-" "app/2.0"`);
        lines.push(`${ip} - - [${clfTime(t + 2000)}] "POST /oauth/token HTTP/1.1" 200 90 "-" "app/2.0"`);
      } else {
        lines.push(`192.0.2.${i % 200} - - [${clfTime(t)}] "GET /static/app.${i % 7}.js HTTP/1.1" 200 1000 "-" "Mozilla/5.0"`);
      }
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = both(['analyze', file, '-o', 'json'], { LOGSCAN_RANGE_BYTES: '65536' });
    expect(r.many).toBe(r.one);
    expect(r.split.get(file)).toBeGreaterThan(10);
    const report = JSON.parse(r.one) as { byCause: { cause: string; count: number }[] };
    const count = (cause: string) => report.byCause.find((c) => c.cause === cause)?.count ?? 0;
    expect(count('auth_challenge')).toBe(280);
    expect(count('token_expired')).toBe(280);
  });

  it('lines left out by the workers once streaming: upstreams, jitter, a late line, --since/--until', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-par-'));
    const file = path.join(dir, 'access.log');
    const start = MARCH_12;
    const lines: string[] = [];
    for (let i = 0; i < 24000; i++) {
      // Workers log out of order by a few seconds; one line, late (after streaming began), is an hour old.
      const t = start + i * 2000 + ((i * 7919) % 5) * 1000 - (i === 20000 ? 3600_000 : 0);
      // A retry right after a 401 comes from the client that got it; its refresh comes 18 lines
      // (36 s) after it, so that some refreshes are in the range after their 401's.
      const who = i % 17 === 2 ? i - 2 : i % 17 === 1 && i > 18 ? i - 18 : i;
      const ip = `10.5.${(who >> 6) & 63}.${who % 64}`;
      const upstream = i % 13 === 0 ? `10.0.1.${i % 3}:8080` : '-';
      let req = `GET /static/app.${i % 7}.js HTTP/1.1" 200`;
      if (i % 17 === 0) req = 'GET /api/v1/cart HTTP/1.1" 401';
      else if (i % 17 === 1) req = 'POST /oauth/token HTTP/1.1" 200';
      else if (i % 17 === 2) req = 'GET /api/v1/cart HTTP/1.1" 200';
      else if (i % 23 === 0) req = 'GET /admin HTTP/1.1" 403';
      lines.push(`${ip} - - [${clfTime(t)}] "${req} 10 "-" "app/2.0" ${upstream}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const format = ['--log-format', '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr'];
    const env = { LOGSCAN_RANGE_BYTES: '65536' };
    for (const extra of [['-o', 'json'], ['--events', '-o', 'ndjson'], ['-o', 'json', '--since', '2026-03-12T01:00:00Z', '--until', '2026-03-12T06:00:00Z']]) {
      const r = both(['analyze', file, ...format, ...extra], env);
      expect(r.many).toBe(r.one);
      // The workers really left lines out.
      expect(r.split.get(`${file}#left-out`)).toBeGreaterThan(2000);
    }
    const report = JSON.parse(both(['analyze', file, ...format, '-o', 'json'], env).one) as { errors: string[]; byCause: { cause: string }[] };
    expect(report.errors.join(' ')).toContain('not in time order');
    expect(report.byCause.map((c) => c.cause)).toContain('token_expired');
  });

  it('a block of old lines across a range start, after streaming began: the range is read whole again, same output', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-par-'));
    const file = path.join(dir, 'access.log');
    const lines: string[] = [];
    const line = (i: number, t: number, req: string) => `10.6.${(i >> 6) & 63}.${i % 64} - - [${clfTime(t)}] "${req} 10 "-" "app/2.0"`;
    for (let i = 0; i < 24000; i++) {
      const t = MARCH_12 + i * 2000;
      if (i === 20000) {
        // A 401 right before the block, its refresh right after it: they are 2 s apart in log time.
        lines.push(line(i, t, 'GET /api/v1/me HTTP/1.1" 401'));
        // 800 lines an hour old (another server's buffer, flushed late): longer than one range.
        for (let k = 0; k < 800; k++) lines.push(line(50000 + k, t - 3600_000 + k * 100, 'GET /static/old.js HTTP/1.1" 200'));
        lines.push(line(i, t + 2000, 'POST /oauth/token HTTP/1.1" 200'));
        continue;
      }
      lines.push(line(i, t, i % 17 === 0 ? 'GET /api/v1/cart HTTP/1.1" 401' : `GET /static/app.${i % 7}.js HTTP/1.1" 200`));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = both(['analyze', file, '--events', '-o', 'ndjson'], { LOGSCAN_RANGE_BYTES: '65536' });
    expect(r.many).toBe(r.one);
    expect(r.split.get(`${file}#left-out`)).toBeGreaterThan(1000);
    const refreshed = r.one.split('\n').filter((l) => l.includes('"path":"/api/v1/me"'));
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toContain('"cause":"token_expired"');
  });

  it('blank, malformed, CRLF, over-long and multibyte lines: same counts, examples and line numbers', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-par-'));
    const file = path.join(dir, 'mixed.log');
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const t = `12/Mar/2026:10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`;
      const status = i % 7 === 0 ? 401 : 200;
      const who = i % 11 === 0 ? '山田' : '-';
      let line = `192.0.2.${i % 50} - ${who} [${t}] "GET /api/v1/items/${i}?q=${'x'.repeat(i % 13)} HTTP/1.1" ${status} 10 "-" "curl/8.5.0"`;
      if (i % 97 === 5) line = '';
      if (i % 89 === 3) line = `this line is not a log line ${i}`;
      if (i % 83 === 1) line = `192.0.2.1 - - [${t}] "GET /${'y'.repeat(3000)} HTTP/1.1" 401 1 "-" "curl/8.5.0"`;
      lines.push(i % 5 === 0 ? `${line}\r` : line);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const args = ['analyze', file, '-o', 'json', '--max-line-bytes', '2048'];
    const r = both(args);
    expect(r.many).toBe(r.one);
    expect(r.split.get(file)).toBeGreaterThan(20);
    const report = JSON.parse(r.one) as { inputs: { malformed: number; oversize: number; blank: number; examples: { source: string }[] }[] };
    expect(report.inputs[0].malformed).toBeGreaterThan(3);
    expect(report.inputs[0].oversize).toBeGreaterThan(3);
    expect(report.inputs[0].blank).toBeGreaterThan(3);
    expect(report.inputs[0].examples[0].source).toBe(`${file}:2`);
    const events = both(['analyze', file, '--events', '-o', 'ndjson', '--max-line-bytes', '2048']);
    expect(events.many).toBe(events.one);
  });

  it('--state: the same positions are remembered, and a resumed run splits the rest the same way', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-par-'));
    const file = path.join(dir, 'access.log');
    const line = (i: number) => `198.51.100.${i % 9} - - [12/Mar/2026:11:00:${String(i % 60).padStart(2, '0')} +0000] "POST /login HTTP/1.1" 401 5 "-" "k6"\n`;
    writeFileSync(file, Array.from({ length: 300 }, (_, i) => line(i)).join('') + line(300).slice(0, 30));
    const stateOne = path.join(dir, 'one.state');
    const stateMany = path.join(dir, 'many.state');
    const first = [runCli(['analyze', file, '--state', stateOne, '-o', 'json', '--threads', '1']), runCli(['analyze', file, '--state', stateMany, '-o', 'json', '--threads', '3'], { env: TINY })];
    expect(first[1].stdout).toBe(first[0].stdout);
    const entries = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { entries: unknown[] }).entries;
    expect(entries(stateMany)).toEqual(entries(stateOne));
    writeFileSync(file, readFileSync(file, 'latin1') + line(300).slice(30) + Array.from({ length: 200 }, (_, i) => line(301 + i)).join(''), 'latin1');
    const second = [runCli(['analyze', file, '--state', stateOne, '-o', 'json', '--threads', '1']), runCli(['analyze', file, '--state', stateMany, '-o', 'json', '--threads', '3'], { env: TINY })];
    expect(second[1].stdout).toBe(second[0].stdout);
    expect((JSON.parse(second[0].stdout) as { totals: { linesRead: number } }).totals.linesRead).toBe(201);
    expect(entries(stateMany)).toEqual(entries(stateOne));
  });
});
