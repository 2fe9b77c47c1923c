import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/aggregate/finding.js';
import { CauseTimeSeries } from '../src/aggregate/timeSeries.js';
import { makeZone } from '../src/formats/zone.js';
import { ProgressBar, renderProgress } from '../src/output/progress.js';
import { sparkline } from '../src/output/sparkline.js';
import { runCli } from './support/cli.js';

/** --by hour/day: a per-cause time view; and the progress bar on stderr. */
const finding = (iso: string, cause: string) => ({ record: { time: Date.parse(iso) }, cause }) as unknown as Finding;

describe('CauseTimeSeries', () => {
  it('lists every hour from first to last, empty ones too, most frequent cause first', () => {
    const s = new CauseTimeSeries('hour', makeZone('UTC'));
    for (const f of [finding('2026-03-12T10:05:00Z', 'token_expired'), finding('2026-03-12T13:59:59Z', 'brute_force'), finding('2026-03-12T13:00:00Z', 'brute_force'), finding('x', 'unknown')]) s.add(f);
    const r = s.result();
    expect(r.buckets).toEqual(['2026-03-12 10:00 +00:00', '2026-03-12 11:00 +00:00', '2026-03-12 12:00 +00:00', '2026-03-12 13:00 +00:00']);
    expect(r.byCause).toEqual([
      { cause: 'brute_force', total: 2, counts: [0, 0, 0, 2] },
      { cause: 'token_expired', total: 1, counts: [1, 0, 0, 0] },
    ]);
    expect(r.untimed).toBe(1);
  });

  it('buckets days in the run\'s zone', () => {
    const s = new CauseTimeSeries('day', makeZone('+09:00'));
    // 14:59Z is 23:59 in +09:00, 15:00Z the next day there.
    for (const f of [finding('2026-03-12T14:59:00Z', 'a'), finding('2026-03-12T15:00:00Z', 'a'), finding('2026-03-14T03:00:00Z', 'a')]) s.add(f);
    const r = s.result();
    expect(r.buckets).toEqual(['2026-03-12 +09:00', '2026-03-13 +09:00', '2026-03-14 +09:00']);
    expect(r.byCause[0].counts).toEqual([1, 1, 1]);
  });
});

describe('sparkline', () => {
  it('scales to the largest bucket, shows empty buckets as spaces, and sums buckets to fit the width', () => {
    expect(sparkline([0, 1, 4, 8])).toBe(' ▁▄█');
    expect(sparkline([3, 3])).toBe('██');
    expect(sparkline([1, 1, 0, 0, 0, 8], 3)).toBe('▂ █');
    expect(sparkline([])).toBe('');
  });
});

describe('logscan analyze --by hour', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logscan-time-'));
  const line = (hhmmss: string, ip: string) => `${ip} - - [12/Mar/2026:${hhmmss} +0000] "POST /login HTTP/1.1" 401 5 "-" "curl/8"`;
  // One 401 at 10:00, then a burst of 12 in 12 seconds from one client at 13:00 (brute force).
  const lines = [line('10:00:00', '192.0.2.1'), ...Array.from({ length: 12 }, (_, i) => line(`13:00:${String(i).padStart(2, '0')}`, '203.0.113.66'))];
  const file = path.join(dir, 'access.log');
  writeFileSync(file, `${lines.join('\n')}\n`);

  it('prints a sparkline per cause in the terminal table, in time order with empty hours', () => {
    const r = runCli(['analyze', file, '--by', 'hour', '--tz', 'UTC', '--color', 'false']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Causes by hour (2026-03-12 10:00 +00:00 … 2026-03-12 13:00 +00:00, 4 buckets, one character = 1 hour)');
    expect(r.stdout).toMatch(/│ brute_force +│ {4}█ +│ 12 +│ 2026-03-12 13:00 \+00:00 \(12\) │/);
    expect(r.stdout).toMatch(/│ unknown +│ █ {3} +│ 1 +│ 2026-03-12 10:00 \+00:00 \(1\) +│/);
  });

  it('adds the per-cause series to JSON and hour+cause rows to the grouped CSV', () => {
    const j = runCli(['analyze', file, '--by', 'hour', '--tz', 'UTC', '-o', 'json']);
    expect(JSON.parse(j.stdout).timeSeries).toEqual({
      unit: 'hour', zone: 'UTC', untimed: 0,
      buckets: ['2026-03-12 10:00 +00:00', '2026-03-12 11:00 +00:00', '2026-03-12 12:00 +00:00', '2026-03-12 13:00 +00:00'],
      byCause: [{ cause: 'brute_force', total: 12, counts: [0, 0, 0, 12] }, { cause: 'unknown', total: 1, counts: [1, 0, 0, 0] }],
    });
    const c = runCli(['analyze', file, '--by', 'day', '--tz', 'UTC', '-o', 'csv']);
    expect(c.stdout).toBe([
      'dimension,value,count,share,errorBound',
      'day,2026-03-12 +00:00,13,1,0',
      'day+cause,2026-03-12 +00:00 | brute_force,12,0.9231,0',
      'day+cause,2026-03-12 +00:00 | unknown,1,0.0769,0',
      '',
    ].join('\r\n'));
  });

  it('draws no progress bar when stderr is not a terminal', () => {
    const r = runCli(['analyze', file, '--tz', 'UTC']);
    expect(r.stderr).toBe('');
  });
});

describe('progress bar', () => {
  it('renders bytes of total, percentage, rate and ETA within the terminal width', () => {
    const line = renderProgress({ bytes: 512 * 1024 * 1024, total: 2048 * 1024 * 1024, elapsedMs: 4000, width: 100 });
    expect(line).toBe('[##########..............................]  25%  512.0 MiB / 2.0 GiB  128.0 MiB/s  ETA 0:12');
    expect(line.length).toBeLessThan(100);
    expect(renderProgress({ bytes: 3 * 1024, elapsedMs: 1000, width: 80 })).toBe('3.0 KiB read  3.0 KiB/s');
    const narrow = renderProgress({ bytes: 10, total: 100, elapsedMs: 1000, width: 30 });
    expect(narrow.length).toBeLessThan(30);
    expect(narrow).toMatch(/^10%/);
  });

  it('draws only after a moment, at most every interval, and clears its line at the end', () => {
    let now = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => written.push(s), columns: 80 }, 1000, () => now, 500, 100);
    bar.add(100);
    now = 400;
    bar.add(100);
    expect(written).toEqual([]);
    now = 600;
    bar.add(100);
    now = 650;
    bar.add(100);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\r\[#+\.+\] +30% +300 B \/ 1000 B/);
    expect(written[0].endsWith('\u001b[K')).toBe(true);
    bar.finish();
    expect(written[1]).toBe('\r\u001b[K');
  });

  it('assumes 80 columns on a terminal that reports none', () => {
    let now = 0;
    const written: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => written.push(s), columns: 0 }, 2048, () => now);
    now = 1000;
    bar.add(1024);
    expect(written[0]).toMatch(/^\r\[#+\.+\] +50% +1\.0 KiB \/ 2\.0 KiB +1\.0 KiB\/s +ETA 0:01\u001b\[K$/);
  });

  it('a run too short to draw leaves stderr untouched when finished', () => {
    const written: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => written.push(s) }, 10, () => 0);
    bar.add(10);
    bar.finish();
    expect(written).toEqual([]);
  });
});
