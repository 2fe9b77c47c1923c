import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../src/formats/registry.js';
import { UTC_ZONE } from '../src/formats/zone.js';
import { expandInputs } from '../src/input/expandInputs.js';
import { fileChunks } from '../src/input/fileChunks.js';
import { readLines } from '../src/input/lineReader.js';
import { readInput } from '../src/pipeline/readInputs.js';
import { ROOT, runCli } from './support/cli.js';

/**
 * How inputs are found and read: gzip recognised by its bytes, globs expanded
 * by logscan itself, directories, standard input, and a missing input that
 * must not stop the others.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'logscan-input-'));
const at = (...p: string[]) => path.join(dir, ...p);
const common = readFileSync(path.join(ROOT, 'fixtures/formats/apache-common.log'));
const combined = readFileSync(path.join(ROOT, 'fixtures/formats/nginx-combined.log'));
const COMMON_401 = 10;
const COMBINED_401 = 11;

// A rotated set as logrotate leaves it: the live file, .1, and compressed .2.gz; plus a gzip file without .gz.
mkdirSync(at('rotated'));
writeFileSync(at('rotated', 'access.log'), common);
writeFileSync(at('rotated', 'access.log.1'), combined);
writeFileSync(at('rotated', 'access.log.2.gz'), gzipSync(common));
writeFileSync(at('rotated', 'error.log'), '2026/03/12 10:00:00 [notice] 1#1: signal process started\n');
writeFileSync(at('compressed-without-suffix.log'), gzipSync(combined));
mkdirSync(at('rotated', 'old'));
writeFileSync(at('rotated', 'old', 'access.log.9'), common);
mkdirSync(at('empty-dir'));

const json = (args: string[], input?: string | Buffer) => {
  const r = runCli(['analyze', ...args, '-o', 'json', '--tz', 'UTC'], { input });
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
};
const read = (p: string) =>
  readInput({ name: p, path: p }, { accept() {} }, { registry: buildRegistry({ zone: UTC_ZONE }), strict: false, maxLineBytes: 65536, maxExamples: 5 });

describe('gzip', () => {
  it('is recognised by its magic bytes, whatever the file is called', async () => {
    const s = await read(at('compressed-without-suffix.log'));
    expect(s.gzip).toBe(true);
    expect(s.format).toBe('combined');
    expect(s.lines).toBe(22);
    expect(s.parsed).toBe(22);
    expect(s.bytes).toBeLessThan(combined.length);
  });

  it('reads a rotated .gz file like the plain one', async () => {
    const gz = await read(at('rotated', 'access.log.2.gz'));
    const plainFile = await read(at('rotated', 'access.log'));
    expect(gz.gzip).toBe(true);
    expect(plainFile.gzip).toBe(false);
    expect({ ...gz, name: '', gzip: false, bytes: 0 }).toEqual({ ...plainFile, name: '', bytes: 0 });
  });

  it('is read from standard input too', () => {
    const r = json(['-'], gzipSync(common));
    expect(r.code).toBe(0);
    expect(r.report.inputs[0]).toMatchObject({ name: '-', gzip: true, lines: 20, parsed: 20 });
    expect(r.report.totals.matched).toBe(COMMON_401);
  });
});

describe('expandInputs', () => {
  it('expands a glob itself (as when the shell did not), sorted, files only', () => {
    const { sources, errors } = expandInputs([at('rotated', 'access.log*')]);
    expect(errors).toEqual([]);
    expect(sources.map((s) => path.basename(s.path!))).toEqual(['access.log', 'access.log.1', 'access.log.2.gz']);
  });

  it('lists a directory\'s regular files, sorted and not recursive', () => {
    const { sources, errors } = expandInputs([at('rotated')]);
    expect(errors).toEqual([]);
    expect(sources.map((s) => path.basename(s.name))).toEqual(['access.log', 'access.log.1', 'access.log.2.gz', 'error.log']);
  });

  it('reads each file once even when named twice, and "-" as standard input', () => {
    const { sources } = expandInputs([at('rotated', 'access.log'), at('rotated', 'access.log*'), '-', '-']);
    expect(sources.map((s) => s.path === null ? '-' : path.basename(s.path))).toEqual(['access.log', 'access.log.1', 'access.log.2.gz', '-']);
  });

  it('returns problems per input instead of throwing', () => {
    const { sources, errors } = expandInputs([at('nope.log'), at('nothing*.log'), at('empty-dir'), at('rotated', 'error.log')]);
    expect(errors).toEqual([
      `${at('nope.log')}: no such file or directory`,
      `${at('nothing*.log')}: no file matches this pattern`,
      `${at('empty-dir')}: directory holds no regular files`,
    ]);
    expect(sources).toHaveLength(1);
  });
});

describe('analyze inputs through the CLI', () => {
  it('expands a quoted glob over rotated files, plain and gzip alike', () => {
    const r = json([at('rotated', 'access.log*')]);
    expect(r.code).toBe(0);
    expect(r.report.inputs.map((i: { name: string; gzip: boolean; format: string }) => [path.basename(i.name), i.gzip, i.format])).toEqual([
      ['access.log', false, 'common'], ['access.log.1', false, 'combined'], ['access.log.2.gz', true, 'common'],
    ]);
    expect(r.report.totals.matched).toBe(2 * COMMON_401 + COMBINED_401);
  });

  it('reads a directory, each file in its own format', () => {
    const r = json([at('rotated')]);
    expect(r.code).toBe(0);
    expect(r.report.inputs.map((i: { format: string }) => i.format)).toEqual(['common', 'combined', 'common', 'nginx_error']);
    expect(r.report.totals.linesRead).toBe(20 + 22 + 20 + 1);
  });

  it('reads standard input given as "-"', () => {
    const r = json(['-'], combined);
    expect(r.code).toBe(0);
    expect(r.report.inputs).toHaveLength(1);
    expect(r.report.inputs[0]).toMatchObject({ name: '-', format: 'combined', lines: 22, parsed: 22, gzip: false });
    expect(r.report.totals.matched).toBe(COMBINED_401);
  });

  it('reads named pipes, as `logscan analyze <(zcat a.gz) <(cat b.log)` passes them, with one thread or two, and with --state', () => {
    for (const extra of [['--threads', '1'], ['--threads', '2'], ['--state', at('pipes.state.json')]]) {
      const tag = extra.join('').replace(/\W/g, '');
      const fifos = [at(`pipe-a-${tag}`), at(`pipe-b-${tag}`)];
      execFileSync('mkfifo', fifos);
      // Writers in their own processes: the CLI runs synchronously here. Killed afterwards, so a
      // run that never opens a pipe leaves no writer waiting for a reader.
      const writers = [
        spawn('sh', ['-c', `exec cat "$1" > "$2"`, 'sh', at('rotated', 'access.log'), fifos[0]], { stdio: 'ignore' }),
        spawn('sh', ['-c', `exec cat "$1" > "$2"`, 'sh', at('rotated', 'access.log.1'), fifos[1]], { stdio: 'ignore' }),
      ];
      try {
        const r = json([...fifos, ...extra]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.report.inputs.map((i: { parsed: number; error?: string }) => [i.parsed, i.error])).toEqual([[20, undefined], [22, undefined]]);
        expect(r.report.totals.matched).toBe(COMMON_401 + COMBINED_401);
      } finally {
        for (const w of writers) w.kill('SIGKILL');
      }
    }
  });

  it('names a missing input on one stderr line, still analyses the others, and exits 2', () => {
    const missing = at('no-such-dir', 'access.log');
    const r = json([missing, at('rotated', 'access.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`logscan: ${missing}: no such file or directory`]);
    expect(r.report.inputs.map((i: { name: string }) => i.name)).toEqual([at('rotated', 'access.log')]);
    expect(r.report.totals.matched).toBe(COMMON_401);
    expect(r.report.errors).toEqual([`${missing}: no such file or directory`]);
  });

  it('exits 2 for a glob that matches nothing, with the pattern in the message', () => {
    const r = runCli(['analyze', at('none-*.log'), '--tz', 'UTC']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`logscan: ${at('none-*.log')}: no file matches this pattern`);
  });
});

describe('line reader', () => {
  it('drops a UTF-8 byte order mark and CR line ends', async () => {
    const p = at('bom.log');
    writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(common.toString().replace(/\n/g, '\r\n'))]));
    const s = await read(p);
    expect(s).toMatchObject({ format: 'common', lines: 20, parsed: 20, malformed: 0 });
  });

  it('keeps a multi-byte character split across chunk boundaries whole', async () => {
    // 1.35 MB: longer than one 1 MiB read, so the line and a character are split between reads.
    const ua = 'テスト'.repeat(150000);
    const p = at('split.log');
    writeFileSync(p, `192.0.2.1 - - [12/Mar/2026:10:00:00 +0000] "GET / HTTP/1.1" 401 1 "-" "${ua}"\nlast`);
    const seen: string[] = [];
    const info = await readLines({ name: p, path: p }, { line: (t) => seen.push(t), oversize: () => seen.push('OVERSIZE') }, { maxLineBytes: 1 << 22 });
    expect(info.lines).toBe(2);
    expect(seen[0].endsWith(`"${ua}"`)).toBe(true);
    expect(seen[1]).toBe('last');
  });

  it('closes the file when the caller stops reading, whether in the first chunk or a later one', async () => {
    const p = at('stop-early.log');
    writeFileSync(p, 'x\n'.repeat(700000)); // 1.4 MB: two reads
    // Descriptors are counted on Linux (CI); elsewhere the test still checks that reading stops.
    const open = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);
    const before = open();
    for (const stopAt of [1, 600000]) {
      const stop = new Error('enough');
      await expect(readLines({ name: p, path: p }, { line: (_t, n) => { if (n === stopAt) throw stop; }, oversize: () => undefined }, { maxLineBytes: 100 })).rejects.toBe(stop);
    }
    const gz = at('stop-early.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(p)));
    const stop = new Error('enough');
    await expect(readLines({ name: gz, path: gz }, { line: () => { throw stop; }, oversize: () => undefined }, { maxLineBytes: 100 })).rejects.toBe(stop);
    await new Promise((r) => setTimeout(r, 50));
    expect(open()).toBe(before);
  });
});

describe('fileChunks', () => {
  const bytes = Buffer.from(Array.from({ length: 10007 }, (_, i) => (i * 7919) & 255));
  const file = at('chunks.bin');
  writeFileSync(file, bytes);
  const collect = async (size: number, start?: number, end?: number) => {
    const parts: Buffer[] = [];
    // Each chunk is copied before the next is asked for: the buffers are reused.
    for await (const c of fileChunks(file, size, start, end)) parts.push(Buffer.from(c));
    return { all: Buffer.concat(parts), count: parts.length };
  };

  it('reads every byte once, in order, in chunks of the given size, from a start and up to an end', async () => {
    expect((await collect(1000)).all.equals(bytes)).toBe(true);
    expect((await collect(1000)).count).toBe(11);
    expect((await collect(3, 5000)).all.equals(bytes.subarray(5000))).toBe(true);
    expect((await collect(64, 17, 4099)).all.equals(bytes.subarray(17, 4099))).toBe(true);
    expect((await collect(64, 10007)).all.length).toBe(0);
  });

  it('reuses two buffers: a chunk kept past the next one is overwritten (callers must copy)', async () => {
    const kept: Buffer[] = [];
    for await (const c of fileChunks(file, 1000)) kept.push(c);
    expect(kept[0].buffer).toBe(kept[2].buffer);
    expect(kept[0].buffer).not.toBe(kept[1].buffer);
  });

  it('gives a small file buffers of its size, not of the chunk size', async () => {
    const small = at('small.bin');
    writeFileSync(small, bytes.subarray(0, 300));
    const seen: Buffer[] = [];
    for await (const c of fileChunks(small, 1 << 20)) seen.push(c);
    expect(Buffer.concat(seen).equals(bytes.subarray(0, 300))).toBe(true);
    expect(seen[0].buffer.byteLength).toBeLessThan(4096);
  });

  it('stops at once on a named pipe whose writer is idle (the read under way is left to end on its own)', async () => {
    const fifo = at('idle.fifo');
    execFileSync('mkfifo', [fifo]);
    // The writer keeps the pipe open, idle, after its first line.
    const writer = spawn('sh', ['-c', 'exec 3>"$1"; printf "abc\\n" >&3; sleep 3', 'sh', fifo], { stdio: 'ignore' });
    const chunks = fileChunks(fifo, 1 << 16);
    expect((await chunks.next()).value?.toString()).toBe('abc\n');
    const started = Date.now();
    await chunks.return(undefined);
    expect(Date.now() - started).toBeLessThan(1500);
    writer.kill();
  });

  it('recognises gzip from a pipe whose first write is one byte', async () => {
    const fifo = at('slow-gz.fifo');
    execFileSync('mkfifo', [fifo]);
    const gz = at('slow.log.gz');
    writeFileSync(gz, gzipSync(common));
    const writer = spawn('sh', ['-c', 'exec 3>"$1"; head -c1 "$2" >&3; sleep 0.3; tail -c +2 "$2" >&3', 'sh', fifo, gz], { stdio: 'ignore' });
    const seen: string[] = [];
    const info = await readLines({ name: fifo, path: fifo }, { line: (t) => seen.push(t), oversize: () => undefined }, { maxLineBytes: 1 << 16 });
    writer.kill();
    expect(info.gzip).toBe(true);
    expect(seen.join('\n') + '\n').toBe(common.toString());
  });

  it('reports a missing file when read', async () => {
    const missing = fileChunks(at('no-such.log'), 10);
    await expect(missing.next()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
