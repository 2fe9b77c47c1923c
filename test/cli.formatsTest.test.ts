import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

/** `logscan formats --test FILE`: the detected format and why, then each line field by field. */
const dir = mkdtempSync(path.join(tmpdir(), 'logscan-formats-'));

describe('logscan formats --test', () => {
  it('names the detected format with its score and lists the fields of the first lines', () => {
    const r = runCli(['formats', '--test', 'fixtures/formats/nginx-combined.log', '-n', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toContain('Format: combined — explains 22 of 22 sample lines');
    expect(out).toContain('Sample lines explained by each candidate: combined 22');
    expect(out).toMatch(/line 2: 203\.0\.113\.10 - - \[12\/Mar\/2026:10:00:02 \+0900\] "GET \/api\/v1\/profile HTTP\/1\.1" 401/);
    expect(out).toMatch(/\n {4}time +2026-03-12T01:00:02\.000Z\n/);
    expect(out).toMatch(/\n {4}status +401\n/);
    expect(out).toMatch(/\n {4}referer +https:\/\/app\.example\.com\/\n/);
    expect(out).not.toContain('line 3:');
  });

  it('redacts secrets, never shows the query string, and escapes control characters (standard input too)', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMSJ9.c2lnbmF0dXJlc2VjcmV0';
    const line = `203.0.113.5 - bob [12/Mar/2026:10:00:01 +0900] "GET /x?access_token=QUERYSECRET123 HTTP/1.1" 401 1 "https://a.example/?t=${jwt}" "evil\u001b]0;title\u0007"`;
    const r = runCli(['formats', '--test', '-'], { input: `${line}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('QUERYSECRET123');
    expect(r.stdout).not.toContain(jwt);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toMatch(/\n {4}query +\(27 characters, not shown\)\n/);
    expect(r.stdout).toMatch(/\n {4}userAgent +evil\\x1b\]0;title\\x07\n/);
    expect(r.stdout).toMatch(/\n {4}user +bob\n/);
  });

  it('names the sample lines that do not parse, and what they would match', () => {
    const r = runCli(['formats', '--test', 'fixtures/formats/app.json.log', '-n', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Format: json — explains 20 of 22 sample lines');
    expect(r.stdout).toContain('Further sample lines that do not parse: line 16, line 20');
    expect(r.stdout).toContain('it does not match json; no built-in format matches it either');
  });

  it('with a --log-format that fits no line, says so and which format would', () => {
    const r = runCli(['formats', '--test', 'fixtures/formats/nginx-custom.log', '-n', '1', '--log-format', '$remote_addr [$time_local] "$request" $status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Format: custom (given with --log-format) — explains 0 of 21 sample lines');
    expect(r.stdout).toContain('The given --log-format explains none of the sample lines');
    expect(r.stdout).toContain('does not parse: it does not match custom; it would match combined');
  });

  it('reads gzip by content, and reports a mixed file\'s fallback formats', () => {
    const access = '198.51.100.7 - - [12/Mar/2026:10:00:01 +0000] "GET /a HTTP/1.1" 401 5 "-" "curl/8"';
    const error = '2026/03/12 10:00:02 [error] 12#12: *3 no user/password was provided for basic authentication, client: 198.51.100.7, server: x, request: "GET /a HTTP/1.1"';
    const file = path.join(dir, 'mixed.log.1');
    writeFileSync(file, gzipSync(`${access}\n${access}\n${error}\n`));
    // A single-valued option given twice takes its last value.
    const r = runCli(['formats', '--test', file, '-n', '3', '--tz', '+09:00', '--tz', 'UTC']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mixed.log.1 (gzip): 3 sample lines');
    expect(r.stdout).toContain('Also tried on lines it rejects: nginx_error');
    expect(r.stdout).toContain('parsed as nginx_error (fallback; the input\'s format is combined):');
    expect(r.stdout).toMatch(/\n {4}time +2026-03-12T10:00:02\.000Z\n/);
  });

  it('looks past a banner longer than the first sample, as analyze does', () => {
    const file = path.join(dir, 'banner.log');
    const banner = Array.from({ length: 100 }, (_, i) => `=== starting worker ${i} ===`).join('\n');
    writeFileSync(file, `${banner}\n192.0.2.5 - bob [12/Mar/2026:10:00:04 +0000] "GET /secure/ HTTP/1.0" 401 381\n`);
    const r = runCli(['formats', '--test', file, '-n', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('101 sample lines for detection (the first 256 that are not blank or comments)');
    expect(r.stdout).toContain('no format explains half of the first 64, so detection looked further');
    expect(r.stdout).toContain('Format: common — explains 1 of 101 sample lines');
  });

  it('an unrecognised or missing file exits 2 with the reason on stderr', () => {
    const file = path.join(dir, 'garbage.log');
    writeFileSync(file, 'hello world\nnot a log\n');
    const bad = runCli(['formats', '--test', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}: cannot recognise the log format; first line: "hello world"`);
    const missing = runCli(['formats', '--test', path.join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`logscan: ${path.join(dir, 'nope.log')}: no such file or directory\n`);
  });

  it('formats alone still lists the presets; --lines without --test is a usage error', () => {
    const list = runCli(['formats']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^vhost_combined /);
    const bad = runCli(['formats', '-n', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lines applies to formats --test FILE only');
  });
});
