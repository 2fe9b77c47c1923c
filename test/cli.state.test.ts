import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';

/**
 * --state end to end, the way cron runs it: the log grows, logrotate renames
 * (or copies and truncates, or compresses) it, and every line must be
 * counted exactly once over all runs. Each line is a 401 on its own path,
 * so --events lists exactly which lines a run read.
 */
function accessLine(n: number): string {
  const t = new Date(Date.UTC(2026, 2, 12, 0, 0, 0) + n * 1000);
  const stamp = `${String(t.getUTCDate()).padStart(2, '0')}/Mar/2026:${t.toISOString().slice(11, 19)} +0000`;
  return `203.0.113.${n % 200} - - [${stamp}] "GET /api/item/${n} HTTP/1.1" 401 12 "-" "curl/8.5.0"\n`;
}
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => accessLine(from + i)).join('');

function setup(): { dir: string; log: string; state: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'logscan-state-'));
  return { dir, log: path.join(dir, 'access.log'), state: path.join(dir, 'run.state') };
}

interface Run extends CliResult {
  items: number[];
  sources: string[];
}

function run(inputs: string[], state: string, extra: string[] = []): Run {
  const r = runCli(['analyze', ...inputs, '--state', state, '--events', '-o', 'ndjson', '--raw-paths', '--tz', 'UTC', ...extra]);
  const rows = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { path: string; source: string });
  return { ...r, items: rows.map((row) => Number(/\/api\/item\/(\d+)/.exec(row.path)?.[1])), sources: rows.map((row) => row.source) };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('analyze --state', () => {
  it('two runs over a log that grows and rotates count every line exactly once', () => {
    const { dir, log, state } = setup();
    writeFileSync(log, lines(0, 30));
    const first = run([log], state);
    expect(first.code).toBe(0);
    expect(first.items).toEqual(range(0, 30));

    // More lines, then logrotate: rename and a fresh file, with lines written on both sides of the rotation.
    appendFileSync(log, lines(30, 45));
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines(45, 60));
    const second = run([log], state);
    expect(second.code).toBe(0);
    expect(second.items).toEqual(range(30, 60));
    // The remainder keeps its line numbers (31st line of what was access.log), and is named by its new path.
    expect(second.sources[0]).toBe(`${path.join(dir, 'access.log.1')}:31`);
    expect(second.sources.at(-1)).toBe(`${log}:15`);
    expect(second.stderr).toContain('rotated from');

    // Nothing new: nothing counted, and the rotated file is not read again.
    const third = run([log], state);
    expect(third.items).toEqual([]);
    appendFileSync(log, lines(60, 62));
    expect(run([log], state).items).toEqual([60, 61]);
  });

  it('a rotated file that logrotate compressed is matched by its content and read from where the last run stopped', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 10));
    expect(run([log], state).items).toEqual(range(0, 10));
    appendFileSync(log, lines(10, 14));
    writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
    unlinkSync(log);
    writeFileSync(log, lines(14, 16));
    const r = run([log], state);
    expect(r.items).toEqual(range(10, 16));
    expect(r.sources[0]).toMatch(/access\.log\.1\.gz:11$/);
  });

  it('copytruncate: the copy gives the remainder and the truncated file is read from its start', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 8));
    expect(run([log], state).items).toEqual(range(0, 8));
    appendFileSync(log, lines(8, 12));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, lines(12, 15));
    expect(run([log], state).items).toEqual(range(8, 15));
  });

  it('a glob over every rotation reads each file once, and does not decompress an unchanged .gz again', () => {
    const { dir, log, state } = setup();
    writeFileSync(`${log}.2.gz`, gzipSync(lines(0, 5)));
    writeFileSync(`${log}.1`, lines(5, 10));
    writeFileSync(log, lines(10, 12));
    const glob = path.join(dir, 'access.log*');
    expect(run([glob], state).items.sort((a, b) => a - b)).toEqual(range(0, 12));
    // Rotate again: .1 is compressed into .2.gz (a new file with the same content), the live file becomes .1.
    writeFileSync(`${log}.3.gz`, readFileSync(`${log}.2.gz`));
    writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
    appendFileSync(log, lines(12, 13));
    renameSync(log, `${log}.1`);
    writeFileSync(log, lines(13, 15));
    const second = run([glob], state);
    expect(second.items.sort((a, b) => a - b)).toEqual(range(12, 15));
    // The copied .3.gz and the recompressed .2.gz were matched by their content: no line of them counts again.
    expect(second.sources.some((s) => s.includes('.gz'))).toBe(false);
    // Nothing changed since: the compressed files are not even opened for reading, the plain ones add nothing.
    const third = runCli(['analyze', glob, '--state', state, '-o', 'json']);
    const report = JSON.parse(third.stdout) as { totals: { linesRead: number }; inputs: { name: string }[] };
    expect(report.totals.linesRead).toBe(0);
    expect(report.inputs.map((i) => path.basename(i.name)).sort()).toEqual(['access.log', 'access.log.1']);
  });

  it('a last line still being written is left for the next run, then counted once', () => {
    const { log, state } = setup();
    const partial = accessLine(3);
    writeFileSync(log, lines(0, 3) + partial.slice(0, 40));
    expect(run([log], state).items).toEqual([0, 1, 2]);
    appendFileSync(log, partial.slice(40) + lines(4, 5));
    expect(run([log], state).items).toEqual([3, 4]);
  });

  it('a file truncated in place and rewritten is read from its start, with a note', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 6));
    run([log], state);
    writeFileSync(log, lines(100, 102));
    const r = run([log], state);
    expect(r.items).toEqual([100, 101]);
    expect(r.stderr).toMatch(/access\.log: (the file read last time \(up to line 6\) was rotated away, truncated or replaced|shorter than when last read)/);
  });

  it('warns when the rotated file cannot be found, and reads the new file', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 4));
    run([log], state);
    unlinkSync(log);
    writeFileSync(log, lines(4, 6));
    const r = run([log], state);
    expect(r.items).toEqual([4, 5]);
    expect(r.stderr).toContain('was rotated away, truncated or replaced, and is not next to it');
  });

  it('line numbers in messages continue across runs', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 5));
    run([log], state);
    appendFileSync(log, `${lines(5, 6)}this is not a log line\n`);
    const r = run([log], state);
    expect(r.items).toEqual([5]);
    expect(r.stderr).toContain(`${log}:7`);
  });

  it('a threshold trip still saves the state; --strict stopping the run does not', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 3));
    expect(run([log], state, ['--fail-on', 'total>1']).code).toBe(1);
    expect(run([log], state).items).toEqual([]);
    appendFileSync(log, `${lines(3, 4)}garbage\n`);
    const before = readFileSync(state, 'utf8');
    expect(run([log], state, ['--strict']).code).toBe(2);
    expect(readFileSync(state, 'utf8')).toBe(before);
    expect(run([log], state).items).toEqual([3]);
  });

  it.each([
    ['not JSON', 'garbage{', /not JSON/],
    ['empty', '', /it is empty/],
    ['another program\'s JSON', '{"offsets": {"access.log": 10}}', /"format" is undefined, expected "logscan-state"/],
    ['a newer version', '{"format": "logscan-state", "version": 9, "entries": []}', /"version" is 9/],
    ['a bad entry', '{"format": "logscan-state", "version": 1, "entries": [{"path": "/x", "dev": "1", "ino": "2", "size": 3, "mtimeMs": 1, "gzip": false, "offset": -4, "lines": 0, "headBytes": 0, "headHash": "00"}]}', /entries\[0\]\.offset is -4/],
  ])('a corrupt or foreign state file (%s) is refused with exit 2 and left as it was', (_what, content, reason) => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 2));
    writeFileSync(state, content);
    const r = run([log], state);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--state: "${state}" is not a usable logscan state file`);
    expect(r.stderr).toMatch(reason);
    expect(readFileSync(state, 'utf8')).toBe(content);
  });

  it('the state file is replaced (by rename, keeping its permissions) with the new positions', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 2));
    writeFileSync(state, '{"format": "logscan-state", "version": 1, "entries": []}');
    chmodSync(state, 0o600);
    expect(run([log], state).code).toBe(0);
    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ format: 'logscan-state', version: 1, entries: [{ offset: statSync(log).size, lines: 2 }] });
  });

  it('standard input is read whole, with a warning that its position is not kept', () => {
    const { state } = setup();
    const r = runCli(['analyze', '-', '--state', state, '--events', '-o', 'ndjson'], { input: lines(0, 3) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain('standard input: --state remembers positions in files only');
  });

  it('one run at a time per state file: a live owner refuses, a dead one is taken over', () => {
    const { log, state } = setup();
    writeFileSync(log, lines(0, 2));
    // This test process is alive: its pid holds the lock.
    writeFileSync(`${state}.lock`, `${process.pid}\n`);
    const refused = run([log], state);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`another logscan run (pid ${process.pid}) is using "${state}"`);
    // A pid that cannot be running: the lock of a killed run.
    writeFileSync(`${state}.lock`, '2147483646\n');
    const taken = run([log], state);
    expect(taken.code).toBe(0);
    expect(taken.items).toEqual([0, 1]);
    expect(existsSync(`${state}.lock`)).toBe(false);
  });

  it('refuses --state and --out naming the same file', () => {
    const { log, dir } = setup();
    writeFileSync(log, lines(0, 1));
    const f = path.join(dir, 'same');
    const r = runCli(['analyze', log, '--state', f, '--out', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is also the --out file');
  });
});
