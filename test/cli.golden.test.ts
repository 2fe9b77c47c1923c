import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/cli.js';

/**
 * The built CLI on the fixtures, compared byte for byte with test/golden/.
 * After an intended change of output, regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run test/cli.golden.test.ts
 * and read the diff before committing it.
 *
 * Hand counts the goldens were checked against (fixtures/formats/*.log):
 *   lines 149 = 21 apache-combined + 20 apache-common + 22 apache-error + 22 app.json
 *               + 22 nginx-combined + 21 nginx-custom + 21 nginx-error;
 *   skipped 2 = app.json.log:16 (stack-trace continuation) and :20 (truncated JSON);
 *   responses 100 = 21 + 20 + 22 + 21 access lines + 16 JSON lines with res.statusCode;
 *   401s 52 = 11 + 10 + 11 + 9 + 11, of which nginx-combined.log:2 and app.json.log:3 are one
 *   request (same client, path and second), so 51 matching responses.
 */
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GOLDEN = path.join(ROOT, 'test/golden');
const ALL = ['analyze', 'fixtures/formats/*.log', '--tz', 'UTC', '--color', 'false'];
const CUSTOM_FORMAT = readFileSync(path.join(ROOT, 'fixtures/formats/nginx-custom.format'), 'utf8').trim();

const CASES: { golden: string; args: string[] }[] = [
  { golden: 'all.table.txt', args: ALL },
  { golden: 'all.csv', args: [...ALL, '-o', 'csv'] },
  { golden: 'all.json', args: [...ALL, '-o', 'json'] },
  { golden: 'all.by-user-host-referer.csv', args: [...ALL, '--by', 'user,host,referer', '-o', 'csv'] },
  { golden: 'nginx-custom.events.ndjson', args: ['analyze', 'fixtures/formats/nginx-custom.log', '--log-format', CUSTOM_FORMAT, '--events', '-o', 'ndjson', '--tz', 'UTC'] },
];

/** Every credential planted in the fixtures (query strings, a referer). */
const SECRETS = [
  'tok_NGXCOMB_9f8e7d6c5b4a', 'tok_NGXCUST_1a2b3c4d5e6f', 'tok_NGXERR_feedbead4242', 'tok_APPJSON_0c0ffee0c0ffee',
  'ak_APACHE_77aa88bb99cc', 'pw_APACHE_hunter2', 'sess_COMMON_5566778899',
];

describe('golden output of logscan analyze on the fixtures', () => {
  it.each(CASES)('$golden', ({ golden, args }) => {
    const r = runCli(args);
    expect(r.stderr).toBe('logscan: fixtures/formats/app.json.log: 2 of 22 lines skipped (first: fixtures/formats/app.json.log:16: does not match the json format)\n'.repeat(args.includes('fixtures/formats/*.log') ? 1 : 0));
    expect(r.code).toBe(0);
    const file = path.join(GOLDEN, golden);
    if (UPDATE || !existsSync(file)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, r.stdout);
      if (!UPDATE) throw new Error(`${golden} did not exist and was written; read it, then run again`);
    }
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
  });

  it('the JSON report carries the hand-counted totals', () => {
    const report = JSON.parse(readFileSync(path.join(GOLDEN, 'all.json'), 'utf8'));
    expect(report.totals).toMatchObject({ linesRead: 149, parsed: 147, blank: 0, skipped: 2, responses: 100, matched: 51, inputs: 7 });
    expect(report.inputs.map((i: { name: string; format: string; parsed: number }) => [path.basename(i.name), i.format, i.parsed])).toEqual([
      ['apache-combined.log', 'combined', 21], ['apache-common.log', 'common', 20], ['apache-error.log', 'apache_error', 22],
      ['app.json.log', 'json', 20], ['nginx-combined.log', 'combined', 22], ['nginx-custom.log', 'combined', 21], ['nginx-error.log', 'nginx_error', 21],
    ]);
    const paths = report.tables.find((t: { name: string }) => t.name === 'path');
    // /members/: apache-common.log lines 2, 3, 14, 15, 16, 20 and HEAD line 11.
    expect(paths.rows[0]).toMatchObject({ values: ['/members/'], count: 7 });
  });

  it('the custom-format events carry what only the custom format logs', () => {
    const events = readFileSync(path.join(GOLDEN, 'nginx-custom.events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(9);
    expect(events.map((e) => e.source.split(':').pop())).toEqual(['2', '4', '5', '6', '7', '8', '11', '15', '17']);
    expect(events[1]).toMatchObject({ ip: '2001:db8::42', upstreamStatus: '502, 401', requestTime: 1.204, requestId: '2c3d4e5f60718293a4b5c6d7e8f90a1b' });
    expect(events[0]).toMatchObject({ cacheStatus: 'BYPASS', requestTime: 0.012, time: '2026-03-12T02:00:05.000Z' });
  });
});

describe('no secret from the fixtures reaches any output', () => {
  it('the fixtures really hold the secrets', () => {
    const all = ['nginx-combined.log', 'nginx-custom.log', 'nginx-error.log', 'app.json.log', 'apache-combined.log', 'apache-common.log']
      .map((f) => readFileSync(path.join(ROOT, 'fixtures/formats', f), 'utf8')).join('\n');
    for (const s of SECRETS) expect(all, s).toContain(s);
  });

  it('in the goldens (each equal to a run above)', () => {
    for (const { golden } of CASES) {
      const text = readFileSync(path.join(GOLDEN, golden), 'utf8');
      for (const s of SECRETS) expect(text, `${s} in ${golden}`).not.toContain(s);
    }
  });

  const runs = [
    ...['table', 'csv', 'json', 'ndjson'].map((o) => [...ALL, '--events', '-o', o]),
    [...ALL, '--by', 'path,referer,user,host,ua', '--raw-paths', '-o', 'json', '--status', 'all'],
    [...ALL, '--by', 'path+referer', '--raw-paths', '--status', '4xx'],
  ];
  it.each(runs.map((args) => [args.slice(6).join(' ') || '(table)', args]))('%s', (_label, args) => {
    const r = runCli(args as string[]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    for (const s of SECRETS) {
      expect(r.stdout, s).not.toContain(s);
      expect(r.stderr, s).not.toContain(s);
    }
  });
});
