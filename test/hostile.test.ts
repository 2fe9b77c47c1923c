import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from './support/cli.js';

/**
 * Hostile and broken input: every case must end with a clear message, a
 * documented exit code, and a report that still holds the good lines read
 * before and after the fault.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'logscan-hostile-'));
const file = (name: string, data: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};
const line = (n: number, status = 401, path_ = `/api/item/${n}`) =>
  `203.0.113.${n % 250} - - [12/Mar/2026:10:00:${String(n % 60).padStart(2, '0')} +0000] "GET ${path_} HTTP/1.1" ${status} 12 "-" "curl/8"`;
const json = (args: string[]) => {
  const r = runCli([...args, '-o', 'json', '--tz', 'UTC']);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
};

describe('hostile input', () => {
  it('survives invalid UTF-8, NUL bytes and CR/CRLF endings', () => {
    const p = file('bytes.log', Buffer.concat([
      Buffer.from(`${line(1)}\r\n`),
      Buffer.from('203.0.113.9 - - [12/Mar/2026:10:00:02 +0000] "GET /\xff\xfe\x00bad HTTP/1.1" 401 1 "-" "\xc3\x28"\n', 'latin1'),
      Buffer.from(`${line(3)}\r\n${line(4)}\n`),
    ]));
    const { code, report } = json(['analyze', p]);
    expect(code).toBe(0);
    expect(report.totals.matched).toBe(4);
    expect(report.totals.skipped).toBe(0);
  });

  it('skips and counts a line longer than --max-line-bytes, keeping lines before and after', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const p = file('long.log', `${line(1)}\n${line(2)}${big}\n${line(3)}\n`);
    const { code, report, stderr } = json(['analyze', p, '--max-line-bytes', '4096']);
    expect(code).toBe(0);
    expect(report.totals.matched).toBe(2);
    expect(report.inputs[0].oversize).toBe(1);
    expect(report.inputs[0].examples[0]).toEqual({ source: `${p}:2`, reason: 'line longer than 4096 bytes, skipped' });
    expect(stderr).toContain(`${p}: 1 of 3 lines skipped`);
  });

  it('handles a huge final line without a newline in bounded memory', () => {
    const p = file('tail.log', `${line(1)}\n${'y'.repeat(20 * 1024 * 1024)}`);
    const { code, report } = json(['analyze', p]);
    expect(code).toBe(0);
    expect(report.totals.matched).toBe(1);
    expect(report.inputs[0].oversize).toBe(1);
  });

  it('skips a binary file with a message, and still reports the other inputs', () => {
    const bin = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 256;
    const b = file('random.bin', bin);
    const good = file('good.log', `${line(1)}\n`);
    const { code, report, stderr } = json(['analyze', b, good]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${b}: looks like a binary file, not a text log; skipped`);
    expect(report.totals.matched).toBe(1);
  });

  it('reports an empty file as empty, not as an error', () => {
    const p = file('empty.log', '');
    const { code, report } = json(['analyze', p]);
    expect(code).toBe(0);
    expect(report.totals.linesRead).toBe(0);
  });

  it('keeps what a truncated gzip held before the cut and says how far it got', () => {
    const text = Array.from({ length: 2000 }, (_, i) => line(i)).join('\n') + '\n';
    const gz = gzipSync(text);
    const p = file('cut.log.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { code, report, stderr } = json(['analyze', p]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${p.replace(/[.]/g, '\\.')}: gzip data is (truncated|corrupt) \\(after \\d+ bytes read, \\d+ lines\\)`));
    expect(report.totals.matched).toBeGreaterThan(100);
    expect(report.totals.matched).toBeLessThan(2000);
  });

  it('reports a corrupt gzip and still analyses the other inputs', () => {
    const gz = gzipSync(`${line(1)}\n${line(2)}\n`);
    gz[20] ^= 0xff;
    gz[21] ^= 0xff;
    const p = file('bad.gz', gz);
    const good = file('good2.log', `${line(5)}\n`);
    const { code, report, stderr } = json(['analyze', p, good]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${p}: gzip data is`);
    expect(report.totals.matched).toBeGreaterThanOrEqual(1);
  });

  it('reads a directory of thousands of files as one report', () => {
    const many = path.join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 2000; i++) writeFileSync(path.join(many, `access-${i}.log`), `${line(i)}\n`);
    const { code, report } = json(['analyze', many]);
    expect(code).toBe(0);
    expect(report.totals.inputs).toBe(2000);
    expect(report.totals.matched).toBe(2000);
  });

  it('exits quietly when the reader closes the pipe early (logscan | head -1)', () => {
    const p = file('many-events.log', Array.from({ length: 50000 }, (_, i) => line(i)).join('\n'));
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(BIN)} analyze ${JSON.stringify(p)} --events -o ndjson | head -1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('names a missing input, reads the rest, and exits 2', () => {
    const good = file('good3.log', `${line(1)}\n`);
    const missing = path.join(dir, 'nope.log');
    const { code, report, stderr } = json(['analyze', missing, good]);
    expect(code).toBe(2);
    expect(stderr).toContain(`logscan: ${missing}: no such file or directory`);
    expect(report.totals.matched).toBe(1);
  });
});

describe('inputs that change or cannot be read', () => {
  // As root every file is readable: the test runs the CLI as "nobody" to meet a real EACCES,
  // which needs root to start it and the checkout to be readable by nobody.
  const canDropPrivileges = typeof process.getuid === 'function' && process.getuid() === 0
    && spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(BIN)}, 4); require(${JSON.stringify(path.join(path.dirname(BIN), '..', 'dist', 'cli', 'main.js'))})`], { uid: 65534, gid: 65534 }).status === 0;
  if (!canDropPrivileges) console.log('permission-denied case not run: needs root and a checkout readable by "nobody"');

  it.runIf(canDropPrivileges)('names an unreadable input (permission denied), reads the rest, and exits 2', () => {
    const locked = file('locked.log', `${line(1)}\n`);
    const good = file('readable.log', `${line(2)}\n${line(3)}\n`);
    spawnSync('chmod', ['000', locked]);
    spawnSync('chmod', ['755', dir]);
    spawnSync('chmod', ['644', good]);
    // As root every file is readable: run the CLI as "nobody" to meet a real EACCES.
    const r = spawnSync(process.execPath, [BIN, 'analyze', locked, good, '-o', 'json', '--tz', 'UTC'], { uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toContain(`logscan: ${locked}: permission denied`);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).totals.matched).toBe(2);
  });

  it('reads a stream that arrives in pieces (a pipe written slowly) to its end', () => {
    const script = `for i in 1 2 3; do echo '${line(1)}'; sleep 0.2; done`;
    const r = spawnSync('bash', ['-c', `(${script}) | node ${JSON.stringify(BIN)} analyze - -o json --tz UTC`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).totals.matched).toBe(3);
  });

  it('survives a file that grows while it is read, counting whole lines only', () => {
    const p = file('growing.log', Array.from({ length: 20000 }, (_, i) => line(i)).join('\n') + '\n');
    const writer = `for i in $(seq 1 200); do printf '%s\\n' '${line(7)}' >> ${JSON.stringify(p)}; done`;
    const r = spawnSync('bash', ['-c', `(${writer}) & node ${JSON.stringify(BIN)} analyze ${JSON.stringify(p)} -o json --tz UTC; wait`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.totals.matched).toBeGreaterThanOrEqual(20000);
    expect(report.totals.matched).toBeLessThanOrEqual(20200);
    expect(report.totals.skipped).toBeLessThanOrEqual(1);
  });
});
