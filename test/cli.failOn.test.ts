import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, MeasureCounter, parseFailOn } from '../src/cli/failOn.js';
import { UsageError } from '../src/cli/usageError.js';
import type { Finding } from '../src/aggregate/finding.js';
import { runCli } from './support/cli.js';

/**
 * --fail-on and --quiet, for cron. The brute-force scenario has 40
 * responses, 32 of them 401: 22 brute_force, 28 on /login.
 */
const BRUTE = ['fixtures/scenarios/login-brute-force/access.log', 'fixtures/scenarios/login-brute-force/app.log', 'fixtures/scenarios/login-brute-force/error.log'];

describe('parseFailOn', () => {
  it('reads counts, causes, paths and percentages with every comparison', () => {
    expect(parseFailOn('total>500')).toMatchObject({ metric: 'total', op: '>', value: 500 });
    expect(parseFailOn('cause:brute_force>0')).toMatchObject({ metric: 'cause', arg: 'brute_force', op: '>', value: 0 });
    expect(parseFailOn('rate>5%')).toMatchObject({ metric: 'rate', op: '>', value: 0.05 });
    expect(parseFailOn(' rate >= 2.5 % ')).toMatchObject({ metric: 'rate', op: '>=', value: 0.025 });
    expect(parseFailOn('path:/users/:id<=3')).toMatchObject({ metric: 'path', arg: '/users/:id', op: '<=', value: 3 });
    expect(parseFailOn('TOTAL<1')).toMatchObject({ metric: 'total', op: '<', value: 1 });
  });

  it.each([
    ['total', 'expected METRIC>NUMBER'],
    ['total=5', 'expected METRIC>NUMBER'],
    ['count>5', 'unknown metric "count"'],
    ['cause>0', 'cause needs a cause'],
    ['cause:bruteforce>0', 'unknown cause "bruteforce"'],
    ['total:x>1', 'total takes no ":x"'],
    ['rate>5', 'rate is a percentage: write rate>5%'],
    ['total>5%', 'total is a count'],
    ['path:login>1', 'a path starts with "/"'],
    ['total>-1', 'expected METRIC>NUMBER'],
  ])('rejects %s, naming it', (expr, why) => {
    expect(() => parseFailOn(expr)).toThrow(UsageError);
    expect(() => parseFailOn(expr)).toThrow(`--fail-on: cannot use "${expr}": ${why}`);
  });

  it('counts a path threshold by exact path or by route', () => {
    const f = (p: string, cause = 'unknown') => ({ record: { path: p }, cause }) as unknown as Finding;
    const ts = ['path:/users/:id>1', 'path:/users/7>0', 'cause:token_expired>=2', 'total<3'].map((t) => parseFailOn(t));
    const c = new MeasureCounter(ts);
    for (const x of [f('/users/7', 'token_expired'), f('/users/8', 'token_expired'), f('/login')]) c.add(x);
    expect(evaluate(ts, c.measures(10)).map((t) => [t.threshold.text, t.actual])).toEqual([
      ['path:/users/:id>1', 2], ['path:/users/7>0', 1], ['cause:token_expired>=2', 2],
    ]);
  });
});

describe('logscan analyze --fail-on', () => {
  it('exits 1 with the report written and names the tripped thresholds on stderr', () => {
    const r = runCli(['analyze', ...BRUTE, '--tz', 'UTC', '-o', 'csv', '--fail-on', 'cause:brute_force>0', '--fail-on', 'total>500', '--fail-on', 'path:/login>10']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dimension,value,count,share,errorBound\r\ncause,brute_force,22,');
    expect(r.stderr).toBe('logscan: --fail-on tripped: cause:brute_force>0 (22), path:/login>10 (28)\n');
  });

  it('--quiet prints nothing (not even skipped-line warnings) when no threshold trips', () => {
    const r = runCli(['analyze', ...BRUTE, 'fixtures/formats/app.json.log', '--quiet', '--fail-on', 'total>1000', '--fail-on', 'cause:brute_force>=23']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--quiet prints the report and the one-line summary when one trips', () => {
    const r = runCli(['analyze', ...BRUTE, '--tz', 'UTC', '--quiet', '--fail-on', 'total>1000', '--fail-on', 'rate>=80%', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).totals).toMatchObject({ responses: 40, matched: 32 });
    expect(r.stderr).toBe('logscan: --fail-on tripped: rate>=80% (80.00%)\n');
  });

  it('a bad expression is a usage error that names it, and nothing is analysed', () => {
    const r = runCli(['analyze', ...BRUTE, '--fail-on', 'cause:brute-force>0']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--fail-on: cannot use "cause:brute-force>0": unknown cause "brute-force"');
  });

  it('rate counts only the responses inside --since/--until', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-failon-'));
    const line = (day: number, status: number) => `192.0.2.1 - - [${String(day).padStart(2, '0')}/Mar/2026:10:00:00 +0000] "GET /api HTTP/1.1" ${status} 10 "-" "curl/8"`;
    // 10 old successes, then 10 responses on the 12th of which 5 are 401.
    const lines = [...Array.from({ length: 10 }, () => line(1, 200)), ...Array.from({ length: 10 }, (_, i) => line(12, i < 5 ? 401 : 200))];
    writeFileSync(path.join(dir, 'access.log'), `${lines.join('\n')}\n`);
    const r = runCli(['analyze', path.join(dir, 'access.log'), '--since', '2026-03-12T00:00:00Z', '--fail-on', 'rate>=50%', '--fail-on', 'rate>50%', '-q']);
    expect(r.stderr).toBe('logscan: --fail-on tripped: rate>=50% (50.00%)\n');
    expect(r.code).toBe(1);
  });
});
