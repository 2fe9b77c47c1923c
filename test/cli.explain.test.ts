import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

/**
 * `logscan explain <request-id | ip> INPUTS...`: the lines of one request or
 * one client in time order, with the cause and evidence of each 401.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'logscan-explain-'));
const write = (name: string, lines: string[]) => writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);

const ID = '5f0c1d2e3a4b5c6d7e8f901a2b3c4d5e';
// An access log with an appended request id; the error log has none (joined by client, path and time).
write('access.log', [
  `192.0.2.10 - - [12/Mar/2026:10:00:01 +0000] "GET /admin/ HTTP/1.1" 401 5 "-" "curl/8" ${ID}`,
  '192.0.2.10 - - [12/Mar/2026:10:00:05 +0000] "GET /admin/ HTTP/1.1" 200 5 "-" "curl/8" 0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  '198.51.100.20 - - [12/Mar/2026:10:00:06 +0000] "GET /admin/ HTTP/1.1" 200 5 "-" "curl/8" 1a1b2c3d4e5f60718293a4b5c6d7e8f9',
]);
write('error.log', ['2026/03/12 10:00:01 [error] 12#12: *3 user "alice": password mismatch, client: 192.0.2.10, server: x, request: "GET /admin/ HTTP/1.1", host: "x"']);
// An access log without ids; only the app line carries the request id r-777.
write('api.log', [
  '198.51.100.9 - - [12/Mar/2026:10:00:07 +0000] "GET /api/orders HTTP/1.1" 401 5 "-" "curl/8"',
  '198.51.100.9 - - [12/Mar/2026:10:00:09 +0000] "GET /api/orders HTTP/1.1" 200 5 "-" "curl/8"',
]);
write('app.log', ['{"level":50,"time":1773309607000,"reqId":"r-777","req":{"method":"GET","url":"/api/orders","remoteAddress":"198.51.100.9"},"msg":"request unauthorized: jwt expired, header Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345"}']);
const ALL = ['access.log', 'error.log', 'api.log', 'app.log'].map((f) => path.join(dir, f));
const src = (f: string) => path.join(dir, f);

describe('logscan explain', () => {
  it('a request id: its lines plus the error line joined by time, and the cause with its evidence', () => {
    const r = runCli(['explain', ID, ...ALL, '--tz', 'UTC']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`Request id ${ID}: 2 lines, 2 inputs, 1 matching response`);
    const timeline = lines.filter((l) => l.startsWith('  2026-'));
    expect(timeline).toHaveLength(2);
    expect(timeline[0]).toContain(`${src('access.log')}:1`);
    expect(timeline[0]).toMatch(/192\.0\.2\.10 GET \/admin\/ 401 .*<- credentials_invalid$/);
    expect(timeline[1]).toContain(`${src('error.log')}:1`);
    expect(timeline[1]).toContain('[error] user "alice": password mismatch (192.0.2.10)');
    expect(r.stdout).toContain('  cause: credentials_invalid (Wrong user name or password), confidence');
    expect(r.stdout).toContain(`    1. ${src('error.log')}:1: "user "alice": password mismatch"`);
    expect(r.stdout).not.toContain('198.51.100');
  });

  it('a request id that only the app log carries finds the access line it was joined to; secrets are redacted', () => {
    const r = runCli(['explain', 'r-777', ...ALL, '--tz', 'UTC']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${src('api.log')}:1`);
    expect(r.stdout).toMatch(/198\.51\.100\.9 GET \/api\/orders 401 +<- token_expired/);
    expect(r.stdout).toContain('header Authorization: [REDACTED] (198.51.100.9 id=r-777)');
    expect(r.stdout).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
    expect(r.stdout).toContain('cause: token_expired');
  });

  it('a client ip: all its lines in time order, as JSON', () => {
    const r = runCli(['explain', '192.0.2.10', ...ALL, '--tz', 'UTC', '-o', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.query).toEqual({ kind: 'ip', value: '192.0.2.10' });
    expect(j.timeline.map((t: { source: string }) => path.basename(t.source))).toEqual(['access.log:1', 'error.log:1', 'access.log:2']);
    expect(j.responses).toHaveLength(1);
    expect(j.responses[0]).toMatchObject({ cause: 'credentials_invalid', status: 401, requestId: ID, label: 'Wrong user name or password' });
    expect(j.responses[0].evidence[0]).toContain('password mismatch');
  });

  it('--limit shortens the timeline and says how many lines were left out', () => {
    const r = runCli(['explain', '192.0.2.10', ...ALL, '--tz', 'UTC', '--limit', '1', '--lang', 'ja']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('クライアント 192.0.2.10: 3 行, 2 入力, 1 該当レスポンス');
    expect(r.stdout).toContain('… ほか 2 行（--limit で増やせます）');
    expect(r.stdout).toContain('原因: credentials_invalid');
  });

  it('joined lines from standard input are named in the evidence (stdin is not read twice)', () => {
    const r = runCli(['explain', ID, src('access.log'), '-', '--tz', 'UTC'], { input: readFileSync(src('error.log')) });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`Request id ${ID}: 1 line, 1 input, 1 matching response`);
    expect(r.stdout).toContain('  joined lines: -:1');
    expect(r.stdout).toContain('cause: credentials_invalid');
  });

  it('exits 1 when no line matches, and 2 without inputs or with a bad option', () => {
    const none = runCli(['explain', 'no-such-id', ...ALL]);
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toBe('logscan: no line in the inputs carries request id "no-such-id"\n');
    const noInputs = runCli(['explain', ID]);
    expect(noInputs.code).toBe(2);
    expect(noInputs.stderr).toContain('no inputs');
    const badLimit = runCli(['explain', ID, ...ALL, '--limit', '0']);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('--limit: expected a positive whole number, got 0');
  });
});
