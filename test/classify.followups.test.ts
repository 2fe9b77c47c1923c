import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clfTime, MARCH_12 } from './support/clfTime.js';
import { runCli } from './support/cli.js';

const START = MARCH_12;
const clf = clfTime;

/**
 * A mobile app whose access token expires every hour: each 401 is followed
 * by a refresh call and a retry. Every one of them is a token expiry, not
 * only the first few (the trackers once kept 8 follow-ups per client for the
 * whole run, so later expiries lost their evidence).
 */
function hourlyExpiries(hours: number, fillerPerHour: number): string {
  const lines: string[] = [];
  for (let h = 0; h < hours; h++) {
    const t = START + h * 3600_000;
    lines.push(`198.51.100.9 - - [${clf(t)}] "GET /api/v1/me HTTP/1.1" 401 0 "-" "app/2.0"`);
    lines.push(`198.51.100.9 - - [${clf(t + 2000)}] "POST /oauth/token HTTP/1.1" 200 50 "-" "app/2.0"`);
    lines.push(`198.51.100.9 - - [${clf(t + 3000)}] "GET /api/v1/me HTTP/1.1" 200 50 "-" "app/2.0"`);
    // Other clients, so that a long log is read while streaming.
    for (let i = 0; i < fillerPerHour; i++) lines.push(`192.0.2.${i % 250} - - [${clf(t + 5000 + i * 100)}] "GET /static/a.js HTTP/1.1" 200 10 "-" "Mozilla/5.0"`);
  }
  return `${lines.join('\n')}\n`;
}

describe('follow-ups after every finding of a client', () => {
  it.each([
    ['a short log (classified at the end)', 0],
    ['a long log (classified while reading)', 800],
  ])('%s: 24 hourly expiries are 24 token_expired', (_name, filler) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-follow-'));
    const file = path.join(dir, 'access.log');
    writeFileSync(file, hourlyExpiries(24, filler));
    const r = runCli(['analyze', file, '-o', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { totals: { matched: number; linesRead: number }; byCause: { cause: string; count: number }[] };
    expect(report.totals.linesRead).toBe(24 * (3 + filler));
    expect(report.byCause.map((c) => [c.cause, c.count])).toEqual([['token_expired', 24]]);
  });
});
