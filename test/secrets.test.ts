import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/cli.js';

/**
 * Every output of logscan over a fixture full of credentials: none of them
 * may appear, in any format, in the evidence, or on stderr.
 */
const dir = path.join(ROOT, 'fixtures/secrets');
const format = readFileSync(path.join(dir, 'access.format'), 'utf8').trim();
const inputs = ['access.log', 'app.log', 'error.log'].map((f) => path.join(dir, f));
const SECRET = /SECRET[A-Z0-9]+|eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9|YWxpY2U6U0VDUkVUQkFTSUM2|AKIAIOSFODNN7EXAMPLE/g;

const variants: string[][] = [
  [],
  ['-o', 'csv'],
  ['-o', 'json'],
  ['-o', 'ndjson'],
  ['--events'],
  ['--events', '-o', 'csv'],
  ['--events', '-o', 'ndjson'],
  ['--events', '-o', 'json'],
  ['--by', 'path,ip,ua,referer,user,host,method,status,cause', '--raw-paths', '-o', 'json'],
  ['--by', 'referer', '--by', 'ua'],
  ['--lang', 'ja'],
  ['--status', 'all', '--events', '-o', 'ndjson'],
];

describe('no secret in any output', () => {
  it('the fixture really holds secrets and they really are parsed', () => {
    const raw = inputs.map((p) => readFileSync(p, 'utf8')).join('\n');
    expect(raw.match(SECRET)?.length).toBeGreaterThan(15);
    const r = runCli(['analyze', ...inputs, '--log-format', format, '--tz', 'UTC', '-o', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.totals.skipped).toBe(0);
    expect(report.totals.matched).toBe(5);
  });

  it.each(variants.map((v) => [v.join(' ') || '(default table)', v]))('%s', (_name, extra) => {
    const r = runCli(['analyze', ...inputs, '--log-format', format, '--tz', 'UTC', ...(extra as string[])]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
    expect(r.stdout.match(SECRET)).toBeNull();
    expect(r.stderr.match(SECRET)).toBeNull();
  });

  it('an unrecognised input does not echo a secret from its first line', () => {
    const r = runCli(['analyze', '-'], { input: 'weird line with access_token=SECRETFIRSTLINE12 and more\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot recognise the log format');
    expect(r.stderr.match(SECRET)).toBeNull();
  });

  it('keeps the evidence useful once redacted', () => {
    const r = runCli(['analyze', ...inputs, '--log-format', format, '--tz', 'UTC', '--events', '-o', 'ndjson']);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const byId = new Map(rows.map((row) => [row.requestId, row]));
    expect(byId.get('rid-0001').cause).toBe('token_expired');
    expect(byId.get('rid-0003').cause).toBe('api_key_invalid');
    expect(byId.get('rid-0004').cause).toBe('token_signature_invalid');
    expect(byId.get('rid-0003').evidence[0]).toContain('[REDACTED]');
  });
});
