import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/aggregate/finding.js';
import { EventsWriter, MAX_TABLE_EVENTS, type EventsFormat } from '../src/output/eventsWriter.js';
import { OutputStream } from '../src/output/outputStream.js';
import { clfTime, MARCH_12 } from './support/clfTime.js';
import { runCli } from './support/cli.js';

function finding(i: number): Finding {
  return {
    record: { kind: 'access', input: 'a.log', line: i + 1, time: Date.UTC(2026, 2, 12) + i * 1000, ip: '192.0.2.7', path: `/api/v1/items/p${i}`, status: 401 },
    cause: 'token_expired', confidence: 0.8, evidence: ['exp claim in the past'], correlated: [],
  };
}

/** A writable that records what reached it, and when. */
function sinkText(): { stream: Writable; text: () => string } {
  const parts: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { parts.push(chunk.toString()); done(); } });
  return { stream, text: () => parts.join('') };
}

async function write(format: EventsFormat, n: number): Promise<string> {
  const out = sinkText();
  const w = new EventsWriter(format, new OutputStream(out.stream), { delimiter: ',', bom: false, lang: 'en' }, false);
  for (let i = 0; i < n; i++) w.add(finding(i));
  await w.end();
  return out.text();
}

describe('EventsWriter', () => {
  it('json is one array, with and without rows', async () => {
    expect(JSON.parse(await write('json', 0))).toEqual([]);
    const rows = JSON.parse(await write('json', 3)) as { source: string }[];
    expect(rows.map((r) => r.source)).toEqual(['a.log:1', 'a.log:2', 'a.log:3']);
  });

  it('ndjson and csv have a line per finding (csv: after its header)', async () => {
    expect((await write('ndjson', 5)).trimEnd().split('\n').map((l) => (JSON.parse(l) as { path: string }).path)).toEqual(['/api/v1/items/p0', '/api/v1/items/p1', '/api/v1/items/p2', '/api/v1/items/p3', '/api/v1/items/p4']);
    const csv = (await write('csv', 4)).trimEnd().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[4]).toContain('/api/v1/items/p3');
  });

  it('the terminal table stops at its cap', async () => {
    const text = await write('table', MAX_TABLE_EVENTS + 5);
    expect(text).toContain(`/api/v1/items/p${MAX_TABLE_EVENTS - 1} `);
    expect(text).not.toContain(`/api/v1/items/p${MAX_TABLE_EVENTS} `);
  });

  it('rows reach the output before the end, once there is enough of them', async () => {
    const out = sinkText();
    const w = new EventsWriter('ndjson', new OutputStream(out.stream), { delimiter: ',', bom: false, lang: 'en' }, false);
    for (let i = 0; i < 2000; i++) w.add(finding(i));
    await w.flush();
    expect(out.text().split('\n').length).toBeGreaterThan(100);
  });
});

describe('--events written while reading', () => {
  it('--strict on stdout holds the rows back, so a stopped run prints none', () => {
    // Long enough (hours, over 10,000 lines) that rows are classified while reading, before the bad line.
    const dir = mkdtempSync(path.join(tmpdir(), 'logscan-strict-'));
    const file = path.join(dir, 'access.log');
    const lines = Array.from({ length: 12000 }, (_, i) => `192.0.2.${i % 200} - - [${clfTime(MARCH_12 + i * 1000)}] "GET /api/v1/me HTTP/1.1" ${i % 10 === 0 ? 401 : 200} 5 "-" "app/2.0"`);
    writeFileSync(file, `${lines.join('\n')}\nthis is not a log line\n`);
    const loose = runCli(['analyze', file, '--events', '-o', 'ndjson']);
    expect(loose.stdout.trimEnd().split('\n')).toHaveLength(1200);
    const r = runCli(['analyze', file, '--strict', '--events', '-o', 'ndjson']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:12001`);
    expect(r.stdout).toBe('');
  });

  it('--quiet prints the rows only when a threshold trips', () => {
    const log = 'fixtures/scenarios/jwt-api/access.log';
    const all = runCli(['analyze', log, '--events', '-o', 'ndjson']);
    expect(all.stdout.trimEnd().split('\n').length).toBeGreaterThan(1);
    expect(runCli(['analyze', log, '--events', '-o', 'ndjson', '--quiet', '--fail-on', 'total>100000']).stdout).toBe('');
    const tripped = runCli(['analyze', log, '--events', '-o', 'ndjson', '--quiet', '--fail-on', 'total>0']);
    expect(tripped.code).toBe(1);
    expect(tripped.stdout).toBe(all.stdout);
  });
});
