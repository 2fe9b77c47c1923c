import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './support/cli.js';

/**
 * --out FILE writes through a temporary file in the same directory and a
 * rename: a failed or killed run leaves the previous file as it was.
 */
const ACCESS = 'fixtures/scenarios/login-brute-force/access.log';
const OLD = 'yesterday,report\r\n';

function freshDir(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'logscan-out-'));
  const file = path.join(dir, '401s.csv');
  writeFileSync(file, OLD);
  return { dir, file };
}

async function waitFor(test: () => boolean, gaveUp: () => boolean, what: string): Promise<void> {
  // Polls without a time limit of its own: the test timeout bounds it.
  while (!test() && !gaveUp()) await new Promise((r) => setTimeout(r, 20));
  expect(test(), what).toBe(true);
}

describe('logscan analyze --out', () => {
  it('a successful run replaces the file (keeping its mode) and prints nothing on stdout', () => {
    const { dir, file } = freshDir();
    chmodSync(file, 0o640);
    const r = runCli(['analyze', ACCESS, '--tz', 'UTC', '-o', 'csv', '--out', file]);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(file, 'utf8')).toMatch(/^dimension,value,count,share,errorBound\r\ncause,brute_force,22,/);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['401s.csv']);
  });

  it('a usage error leaves the previous file and no temporary file', () => {
    const { dir, file } = freshDir();
    const r = runCli(['analyze', ACCESS, '--out', file, '--fail-on', 'total>>1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fail-on: cannot use "total>>1"');
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    expect(readdirSync(dir)).toEqual(['401s.csv']);
  });

  it('a run stopped by --strict after the temporary file was opened removes it and keeps the previous file', () => {
    const { dir, file } = freshDir();
    const r = runCli(['analyze', 'fixtures/formats/app.json.log', '--strict', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('app.json.log:16');
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    expect(readdirSync(dir)).toEqual(['401s.csv']);
  });

  it('a threshold trip still writes the file, and exits 1', () => {
    const { file } = freshDir();
    const r = runCli(['analyze', ACCESS, '--out', file, '-o', 'json', '--fail-on', 'cause:brute_force>0', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).totals.matched).toBe(32);
  });

  it('names an --out whose directory does not exist, before reading anything', () => {
    const { dir } = freshDir();
    const r = runCli(['analyze', ACCESS, '--out', path.join(dir, 'missing', 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out: cannot write "${path.join(dir, 'missing', 'x.csv')}": the directory does not exist`);
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)('a run killed with %s while reading leaves the previous file intact', async (signal) => {
    const { dir, file } = freshDir();
    // Standard input that never ends keeps the run reading until it is killed.
    const child = spawn(process.execPath, [BIN, 'analyze', '-', '--out', file, '-o', 'csv'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write(`${readFileSync(path.join(ROOT, ACCESS), 'utf8')}`);
    let done = false;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => { done = true; resolve(sig); }));
    await waitFor(() => readdirSync(dir).some((n) => n.endsWith('.tmp')), () => done, 'the temporary file appears while logscan reads');
    child.kill(signal);
    expect(await exited).toBe(signal);
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    // SIGTERM lets logscan remove its temporary file; SIGKILL cannot be caught.
    if (signal === 'SIGTERM') expect(readdirSync(dir)).toEqual(['401s.csv']);
  });
});

describe('CSV headers', () => {
  it('the grouped CSV header is English by default and Japanese with --lang ja; the events header stays English', () => {
    const { file } = freshDir();
    const ja = runCli(['analyze', ACCESS, '-o', 'csv', '--lang', 'ja', '--bom', '--delimiter', 'tab', '--out', file]);
    expect(ja.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeff集計軸\t値\t件数\t割合\t誤差上限\r\ncause\tbrute_force\t22\t')).toBe(true);
    const events = runCli(['analyze', ACCESS, '-o', 'csv', '--lang', 'ja', '--events']);
    expect(events.stdout.split('\r\n')[0]).toBe('time,ip,user,method,path,status,bytes,referer,userAgent,requestId,requestTime,upstreamStatus,upstreamAddr,cacheStatus,host,source,cause,confidence,evidence,correlated');
  });
});
