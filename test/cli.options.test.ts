import { describe, expect, it } from 'vitest';
import { autoThreads } from '../src/cli/options.js';
import { runCli } from './support/cli.js';

const fixture = 'fixtures/formats/nginx-combined.log';

describe('option values', () => {
  it('takes the last value of a single-valued option given twice', () => {
    const r = runCli(['analyze', fixture, '--tz', 'UTC', '--tz', 'Asia/Tokyo', '--by', 'hour', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const hours = JSON.parse(r.stdout).tables[0].rows.map((row: { values: string[] }) => row.values[0]);
    expect(hours.length).toBeGreaterThan(0);
    for (const h of hours) expect(h).toMatch(/\+09:00$/);
  });

  it('keeps every value of a repeatable option, and inputs after it stay inputs', () => {
    const r = runCli(['analyze', '--by', 'path', '--by', 'ip', fixture, '-o', 'json', '--tz', 'UTC']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.tables.map((t: { name: string }) => t.name)).toEqual(['path', 'ip']);
    expect(report.totals.inputs).toBe(1);
  });

  it('names the option and the value it cannot read', () => {
    for (const [args, message] of [
      [['--status', '4yz'], /--status: cannot read "4yz"/],
      [['--top', '0'], /--top: expected a positive whole number/],
      [['--since', 'yesterday-ish'], /--since: cannot read "yesterday-ish"/],
      [['--by', 'color'], /--by: unknown dimension "color"/],
      [['--tz', 'Mars/Olympus'], /--tz: unknown time zone "Mars\/Olympus"/],
      [['--window', 'soon'], /--window: cannot read "soon"/],
    ] as [string[], RegExp][]) {
      const r = runCli(['analyze', fixture, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('--threads auto', () => {
  it('is one thread on 2 cores or fewer (workers cost more than they save there), one per core above', () => {
    expect([1, 2, 3, 4, 16].map(autoThreads)).toEqual([1, 1, 3, 4, 16]);
  });
});

describe('help', () => {
  it('--help on its own and after a command prints the usage, options and examples, and exits 0', () => {
    const top = runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('logscan <command> [options]');
    expect(top.stdout).toContain('explain <id> [inputs..]');
    const analyze = runCli(['analyze', '--help']);
    expect(analyze.code).toBe(0);
    expect(analyze.stdout).toContain('--fail-on');
    expect(analyze.stdout).toContain('--state');
    expect(analyze.stdout).toContain('zcat access.log.2.gz | logscan analyze -');
  });

  it('a mistake names the option, points at --help, and prints no usage', () => {
    const r = runCli(['analyze', '--no-such-option', 'x.log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown argument');
    expect(r.stderr).toContain("Run 'logscan --help' for usage.");
    expect(r.stderr).not.toContain('Positionals:');
  });
});
