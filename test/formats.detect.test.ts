import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECT_MAX_LINES, detectFormat, isIgnorableLine, UnknownFormatError } from '../src/formats/detect.js';
import { ACCESS_PRESETS } from '../src/formats/presets.js';
import { buildRegistry } from '../src/formats/registry.js';
import { UTC_ZONE } from '../src/formats/zone.js';
import { readInput, type RecordSink } from '../src/pipeline/readInputs.js';
import { ROOT, runCli } from './support/cli.js';

/**
 * Which format an input is in, decided from its first lines: every preset,
 * JSON and both error logs; mixed files; --log-format forcing only the access
 * format; the message when nothing fits.
 */
const registry = buildRegistry({ zone: UTC_ZONE });
const fixture = (name: string) => path.join(ROOT, 'fixtures/formats', name);
const noSink: RecordSink = { accept() {} };

async function detectFile(file: string, logFormat?: string) {
  const reg = buildRegistry({ zone: UTC_ZONE, logFormat });
  return readInput({ name: file, path: file }, noSink, { registry: reg, strict: false, maxLineBytes: 65536, maxExamples: 5 });
}

describe('detectFormat', () => {
  it.each(ACCESS_PRESETS.map((p) => [p.name, p.samples.map((s) => s.line)] as const))('recognises the %s preset from its samples', (name, lines) => {
    const d = detectFormat('t.log', [...lines, ...lines], registry);
    expect(d.primary.name).toBe(name);
    expect(d.fallbacks).toEqual([]);
    expect(d.matched).toBe(lines.length * 2);
  });

  it.each([
    ['nginx-combined.log', 'combined', []],
    ['apache-combined.log', 'combined', []],
    ['apache-common.log', 'common', []],
    ['nginx-custom.log', 'combined', []],
    ['app.json.log', 'json', []],
    ['nginx-error.log', 'nginx_error', []],
    ['apache-error.log', 'apache_error', []],
  ])('detects %s as %s', async (file, format, also) => {
    const s = await detectFile(fixture(file));
    expect(s.error).toBeUndefined();
    expect(s.format).toBe(format);
    expect(s.alsoFormats).toEqual(also);
  });

  it('picks the format explaining most lines, with fallbacks only for lines it rejects', () => {
    const combined = '203.0.113.5 - - [12/Mar/2026:10:00:01 +0100] "GET /admin/ HTTP/1.1" 401 381 "-" "curl/8.5.0"';
    const common = '203.0.113.5 - - [12/Mar/2026:10:00:01 +0100] "GET /admin/ HTTP/1.1" 401 381';
    const vhost = 'www.example.com 203.0.113.5 - - [12/Mar/2026:10:00:01 +0100] "GET /admin/ HTTP/1.1" 401 381 "-" "curl/8.5.0"';
    const nginxError = '2026/03/12 10:00:04 [error] 1201#1201: *102 user "bob": password mismatch, client: 198.51.100.23, server: app.example.com, request: "GET /admin/ HTTP/1.1", host: "app.example.com"';
    const d = detectFormat('mixed.log', [combined, combined, combined, common, common, vhost, nginxError, '', '# comment'], registry);
    expect(d.primary.name).toBe('combined');
    expect(d.fallbacks.map((f) => f.name)).toEqual(['common', 'vhost_combined', 'nginx_error']);
    expect(d.sampled).toBe(7);
    // A format that only re-explains lines the primary already takes is not a fallback.
    const plain = detectFormat('plain.log', [combined, `${combined} "198.51.100.4"`], registry);
    expect(plain.fallbacks).toEqual([]);
  });

  it('breaks ties toward the earlier, more specific preset', () => {
    // Every "main" line is also a combined line with one appended field.
    const main = ACCESS_PRESETS.find((p) => p.name === 'main')!.samples[0].line;
    expect(detectFormat('t.log', [main], registry).primary.name).toBe('main');
  });

  it('ignores blank and # lines when sampling', () => {
    expect(isIgnorableLine('')).toBe(true);
    expect(isIgnorableLine('   \t')).toBe(true);
    expect(isIgnorableLine('# failJSON: { "match": false }')).toBe(true);
    expect(isIgnorableLine(' 192.0.2.1 - -')).toBe(false);
  });

  it('says which formats exist when none fits', () => {
    let err: unknown;
    try {
      detectFormat('odd.log', ["2026-03-12 10:00:00: (mod_auth.c.853) password doesn't match for / username: bob IP: 192.0.2.1"], registry);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownFormatError);
    const msg = (err as Error).message;
    expect(msg).toContain('odd.log: cannot recognise the log format; first line: "2026-03-12 10:00:00: (mod_auth.c.853)');
    expect(msg).toContain(`presets: ${ACCESS_PRESETS.map((p) => p.name).join(', ')}, json, nginx_error, apache_error`);
    expect(msg).toContain('--log-format');
    expect(msg).not.toContain('--json-field');
    // A JSON line with none of the usual field names gets the --json-field hint.
    expect(() => detectFormat('j.log', ['{"code":401,"at":"2026-03-12T10:00:00Z"}'], registry)).toThrow(/--json-field status=/);
  });

  it('shortens a very long first line in the message', () => {
    expect(() => detectFormat('long.log', ['x'.repeat(5000)], registry)).toThrow(/first line: "x{120}\.\.\."/);
  });
});

describe('--log-format forcing', () => {
  it('replaces the access presets for access inputs', async () => {
    const s = await detectFile(fixture('nginx-custom.log'), '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id $upstream_status $upstream_cache_status "$sent_http_www_authenticate" $request_time');
    expect(s.format).toBe('custom');
    expect(s.parsed).toBe(s.lines);
    expect(s.malformed).toBe(0);
  });

  it('leaves JSON and error-log inputs their own formats', async () => {
    for (const [file, format] of [['app.json.log', 'json'], ['nginx-error.log', 'nginx_error'], ['apache-error.log', 'apache_error']]) {
      const s = await detectFile(fixture(file), 'combined');
      expect(s.format, file).toBe(format);
    }
  });

  it('keeps a forced format that matches nothing, counting every line as skipped instead of guessing another preset', async () => {
    const s = await detectFile(fixture('apache-combined.log'), '$remote_addr $status $request_time');
    expect(s.format).toBe('custom');
    expect(s.parsed).toBe(0);
    expect(s.malformed).toBe(s.lines);
    expect(s.examples[0].reason).toBe('does not match the custom format');
  });

  it('a forced preset name acts like the preset', async () => {
    const s = await detectFile(fixture('apache-common.log'), 'common');
    expect(s.format).toBe('common');
    expect(s.parsed).toBe(20);
  });
});

describe('a log that starts with something else', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logscan-detect-'));
  const access = readFileSync(fixture('apache-common.log'), 'utf8');
  // A startup banner or stack trace longer than the first sample, then the log proper.
  const banner = (n: number) => Array.from({ length: n }, (_, i) => `    at com.example.Boot.start(Boot.java:${i + 1})`).join('\n') + '\n';

  it('is recognised after a long banner: detection looks further, the banner lines are reported as malformed', async () => {
    const file = path.join(dir, 'banner.log');
    writeFileSync(file, banner(300) + access);
    const s = await readInput({ name: file, path: file }, noSink, { registry, strict: false, maxLineBytes: 65536, maxExamples: 5 });
    expect(s.error).toBeUndefined();
    expect(s).toMatchObject({ format: 'common', parsed: 20, malformed: 300 });
    expect(s.examples[0].source).toBe(`${file}:1`);
  });

  it('is recognised after a banner with a stray line of another format in it, by one thread or by workers', () => {
    const file = path.join(dir, 'stray.log');
    const stray = '{"level":"info","msg":"config loaded","time":"2026-03-12T09:59:59Z"}';
    writeFileSync(file, banner(50) + stray + '\n' + banner(50) + access.repeat(30));
    const trace = path.join(dir, 'ranges.tsv');
    writeFileSync(trace, '');
    const one = runCli(['analyze', file, '-o', 'json', '--tz', 'UTC']);
    const many = runCli(['analyze', file, '-o', 'json', '--tz', 'UTC', '--threads', '3'], { env: { LOGSCAN_RANGE_BYTES: '4096', LOGSCAN_TRACE_RANGES: trace } });
    const report = JSON.parse(one.stdout) as { inputs: { format: string; parsed: number; malformed: number }[] };
    expect(report.inputs[0]).toMatchObject({ format: 'common', parsed: 601, malformed: 100 });
    expect(many.stdout).toBe(one.stdout);
    // The workers detected it too: the file was split.
    expect(Number(readFileSync(trace, 'utf8').split('\n')[0].split('\t')[1])).toBeGreaterThan(1);
  });

  it('is given up on when nothing fits within the limit, with the usual message', async () => {
    const file = path.join(dir, 'only-banner.log');
    writeFileSync(file, banner(DETECT_MAX_LINES + 10) + access);
    const s = await readInput({ name: file, path: file }, noSink, { registry, strict: false, maxLineBytes: 65536, maxExamples: 5 });
    expect(s.error).toContain(`${file}: cannot recognise the log format; first line: "    at com.example.Boot.start(Boot.java:1)"`);
  });
});

describe('format errors through the CLI', () => {
  it('an unrecognised input: the message lists the presets, other inputs are still read, exit 2', () => {
    const odd = path.join(ROOT, 'test/golden/all.csv');
    const r = runCli(['analyze', odd, fixture('apache-common.log'), '--tz', 'UTC', '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`logscan: ${odd}: cannot recognise the log format; first line: "dimension,value,count,share,errorBound"`);
    expect(r.stderr).toContain(`presets: ${ACCESS_PRESETS.map((p) => p.name).join(', ')}, json, nginx_error, apache_error`);
    expect(JSON.parse(r.stdout).totals.matched).toBe(10);
  });

  it('an unknown --log-format value is a usage error naming the presets', () => {
    const r = runCli(['analyze', fixture('apache-common.log'), '--log-format', 'nginx-combined']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--log-format: "nginx-combined" is neither a preset (${ACCESS_PRESETS.map((p) => p.name).join(', ')})`);
  });
});
