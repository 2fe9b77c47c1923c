#!/usr/bin/env node
// logscan throughput and memory benchmark. A report, not a test: it always exits 0.
//
//   npm run bench                      # build, then this script with defaults
//   node bench/run.js [--lines N] [--repeat R] [--seed S] [--memory] [--memory-only]
//                     [--profile] [--no-peers]
//
// Default part: one synthetic nginx combined log (default 2,000,000 lines, see
// bench/generate.js), timed with logscan (plain, gzip, --events ndjson) and with
// the peers mawk, lnav and GoAccess on the same file in the same run.
// --memory: also the high-cardinality logs (1M and 5M lines, 1M distinct IPs
// and paths) for peak RSS. --memory-only: just that part.
// --profile: also a --cpu-prof run of logscan on the plain file, summarised by
// bench/profile-summary.js.
//
// Nothing is installed here: a peer that is not on PATH is reported as skipped.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync, readdirSync, statSync, createReadStream, cpSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, filesFor, DEFAULT_OUT } from './generate.js';
import { summarize, formatSummary } from './profile-summary.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const OUT = DEFAULT_OUT;
let LOGSCAN = join(ROOT, 'bin', 'logscan.js');

/**
 * Copies dist/, bin/ and package.json to bench/out/snapshot/ and runs logscan
 * from there, so a rebuild of dist/ during the bench (other work in the same
 * tree, a test run's build step) cannot change the code being measured between
 * runs. Packages still resolve: node walks up from the snapshot to ROOT/node_modules.
 */
function snapshotLogscan() {
  const snap = join(OUT, 'snapshot');
  rmSync(snap, { recursive: true, force: true });
  mkdirSync(snap, { recursive: true });
  cpSync(join(ROOT, 'dist'), join(snap, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(snap, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(snap, 'package.json'));
  return join(snap, 'bin', 'logscan.js');
}
const rel = (p) => relative(process.cwd(), p) || '.';

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = { lines: 2_000_000, repeat: 3, seed: 20260312, memory: false, memoryOnly: false, profile: false, peers: true, maxRepeatSeconds: 30, waitIdle: 0, snapshot: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lines') o.lines = Number(argv[++i]);
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--memory') o.memory = true;
    else if (a === '--memory-only') { o.memory = true; o.memoryOnly = true; }
    else if (a === '--profile') o.profile = true;
    else if (a === '--no-peers') o.peers = false;
    else if (a === '--max-repeat-seconds') o.maxRepeatSeconds = Number(argv[++i]);
    else if (a === '--wait-idle') o.waitIdle = Number(argv[++i]);
    else if (a === '--no-snapshot') o.snapshot = false;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node bench/run.js [--lines N] [--repeat R] [--seed S] [--memory] [--memory-only] [--profile] [--no-peers] [--max-repeat-seconds S] [--wait-idle S] [--no-snapshot]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.lines) || o.lines < 1) throw new Error('--lines must be a positive integer');
  if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new Error('--repeat must be a positive integer');
  return o;
}

// ---------------------------------------------------------------- tools
function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function versionOf(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  return text.slice(0, 60);
}

const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const RSS_METHOD = TIME_BIN
  ? 'GNU time (/usr/bin/time -f %M: ru_maxrss of the child, KB)'
  : 'polling /proc/<pid>/status VmHWM every 20 ms (high-water mark, so the last sample before exit is the peak)';

const load1 = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/** Waits (at most `seconds`) until the 1-minute load average is below 0.5, so other work does not skew the timings. */
async function waitIdle(seconds) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until && load1() >= 0.5) await new Promise((r) => setTimeout(r, 5000));
  return load1();
}

/** Reads the whole file once so every tool starts from a warm page cache. */
async function warm(path) {
  await new Promise((res, rej) => {
    const s = createReadStream(path, { highWaterMark: 1 << 22 });
    s.on('data', () => {});
    s.on('end', res);
    s.on('error', rej);
  });
}

/**
 * Runs cmd once. stdout goes to a file (kept for validation) or /dev/null.
 * Wall time is measured here around spawn..exit; peak RSS and CPU time come
 * from GNU time when present, else from polling /proc.
 */
async function runOnce(cmd, args, { stdoutFile = null, env = undefined } = {}) {
  const outFd = openSync(stdoutFile ?? '/dev/null', 'w');
  const errFile = join(OUT, 'last-stderr.txt');
  const errFd = openSync(errFile, 'w');
  const timeFile = join(OUT, 'last-time.txt');
  let child;
  const t0 = process.hrtime.bigint();
  if (TIME_BIN) {
    child = spawn(TIME_BIN, ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args], { stdio: ['ignore', outFd, errFd], env });
  } else {
    child = spawn(cmd, args, { stdio: ['ignore', outFd, errFd], env });
  }
  let hwmKb = 0;
  let poll = null;
  if (!TIME_BIN) {
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
      } catch { /* exited */ }
    };
    poll = setInterval(sample, 20);
    sample();
  }
  const code = await new Promise((res, rej) => { child.on('exit', (c, sig) => res(c ?? sig)); child.on('error', rej); });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (poll) clearInterval(poll);
  closeSync(outFd);
  closeSync(errFd);
  let rssKb = hwmKb, cpu = NaN;
  if (TIME_BIN) {
    // GNU time prints "Command exited with non-zero status N" first when it fails.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = last[1] + last[2];
    rssKb = last[3];
  }
  const stderr = readFileSync(errFile, 'utf8');
  return { code, wall, cpu, rssKb, stderr };
}

/**
 * Runs a command `repeat` times (only once when a run takes longer than
 * maxRepeatSeconds) and keeps the median wall time and the largest peak RSS.
 */
async function measure(label, cmd, args, o, extra = {}) {
  const runs = [];
  for (let i = 0; i < o.repeat; i++) {
    if (o.waitIdle > 0) await waitIdle(o.waitIdle);
    const loadBefore = load1();
    const r = await runOnce(cmd, args, extra);
    r.loadBefore = loadBefore;
    runs.push(r);
    process.stderr.write(`  ${label}: run ${i + 1}: ${r.wall.toFixed(2)} s, ${(r.rssKb / 1024).toFixed(0)} MB, load before ${loadBefore.toFixed(2)}${r.code !== 0 ? `, exit ${r.code}` : ''}\n`);
    if (r.code !== 0) break;
    if (r.wall > o.maxRepeatSeconds) break;
  }
  const walls = runs.map((r) => r.wall).sort((a, b) => a - b);
  const mid = walls[Math.floor((walls.length - 1) / 2)];
  const med = runs.find((r) => r.wall === mid);
  return {
    label, command: [cmd, ...args].map(shellQuote).join(' '), runs: runs.length,
    wall: mid, wallMin: walls[0], cpu: med.cpu, rssKb: Math.max(...runs.map((r) => r.rssKb)),
    code: runs[runs.length - 1].code, stderr: runs[runs.length - 1].stderr,
    loadBefore: Math.max(...runs.map((r) => r.loadBefore)),
  };
}

function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------- validation (did each tool do the work?)
function num(s) { return Number(String(s).replace(/,/g, '')); }

function logscanMatched(file) {
  const m = /Matching responses\s*│\s*([\d,]+)/.exec(readFileSync(file, 'utf8'));
  return m ? num(m[1]) : null;
}
function sumFirstColumn(file) {
  let s = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(\d+)\s/.exec(line);
    if (m) s += Number(m[1]);
  }
  return s;
}
function sumLastColumn(file) {
  let s = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /\s(\d+)\s*$/.exec(line);
    if (m) s += Number(m[1]);
  }
  return s;
}
function goaccessValid(file) {
  if (!existsSync(file)) return null;
  const m = /"valid_requests":\s*(\d+)/.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------- formatting
const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fmtMB = (kb) => (Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)}` : '-');

function table(headers, rows) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join(' | ')} |`;
  return [line(headers), `|${w.map((n, i) => (i === 0 ? `${'-'.repeat(n + 1)}-` : `${'-'.repeat(n + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- main
async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('bench: dist/ is missing; run `npm run build` first (npm run bench does)\n');
    return;
  }
  const started = new Date();
  const report = [];
  const say = (s = '') => { report.push(s); process.stdout.write(`${s}\n`); };
  const results = { started: started.toISOString(), options: o, machine: {}, runs: [], targets: [] };

  const cpus = (await import('node:os')).cpus();
  results.machine = {
    node: process.version, cpus: cpus.length, cpuModel: cpus[0]?.model, memGB: Math.round((await import('node:os')).totalmem() / 2 ** 30),
  };
  const tools = {
    mawk: which('mawk'), awk: which('awk'), lnav: which('lnav'), goaccess: which('goaccess'),
  };
  say(`# logscan benchmark — ${started.toISOString()}`);
  say();
  const git = (args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  results.git = { commit: git(['rev-parse', '--short', 'HEAD']), dirtySrc: git(['status', '--porcelain', '--', 'src']).split('\n').filter(Boolean).length };
  if (o.snapshot) LOGSCAN = snapshotLogscan();
  say(`logscan: commit ${results.git.commit}${results.git.dirtySrc ? ` + ${results.git.dirtySrc} uncommitted file(s) in src/` : ''}; dist/ as built by npm run bench, ${o.snapshot ? `run from a copy taken at start (${rel(LOGSCAN)}) so concurrent rebuilds cannot change it` : 'run in place (bin/logscan.js)'}`);
  say(`machine: ${results.machine.cpus} x ${results.machine.cpuModel}, ${results.machine.memGB} GB, node ${process.version}`);
  say(`load average at start: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on this machine skews the numbers)`);
  say(`peak RSS method: ${RSS_METHOD}`);
  say(`timing: wall clock around spawn..exit, median of up to ${o.repeat} runs (a single run when one takes > ${o.maxRepeatSeconds} s); files are read once beforehand so every tool starts from a warm page cache`);
  const awkBin = tools.mawk ?? tools.awk;
  say(`peers: awk=${awkBin ? `${awkBin} (${versionOf(awkBin, awkBin.endsWith('mawk') ? ['-W', 'version'] : ['--version'])})` : 'skipped: not installed'}; ` +
    `lnav=${tools.lnav ? `${tools.lnav} (${versionOf(tools.lnav, ['-V'])})` : 'skipped: not installed'}; ` +
    `goaccess=${tools.goaccess ? `${tools.goaccess} (${versionOf(tools.goaccess, ['--version'])})` : 'skipped: not installed'}`);
  say();

  const targets = [];
  const target = (name, pass, detail) => { targets.push({ name, pass, detail }); };

  if (!o.memoryOnly) {
    const gen = { lines: o.lines, seed: o.seed, highCardinality: false, gzip: true, json: true, out: OUT, force: false, quiet: false };
    const meta = await generate(gen);
    const f = filesFor(gen);
    const N = meta.lines;
    const B = meta.bytes;
    say(`## Throughput: ${N.toLocaleString('en-US')} lines, ${(B / 1e6).toFixed(1)} MB plain, ${(meta.gzBytes / 1e6).toFixed(1)} MB gzip, ${meta.count401.toLocaleString('en-US')} x 401`);
    say(`file: ${rel(f.log)}`);
    say();
    await warm(f.log);
    await warm(f.gz);

    const rows = [];
    const add = (r, extra = {}) => {
      const x = { ...r, lines: N, bytes: B, linesPerSec: N / r.wall, mbPerSec: B / 1e6 / r.wall, ...extra };
      rows.push(x);
      results.runs.push(x);
      if (r.code !== 0) process.stderr.write(`bench: ${r.label} exited ${r.code}: ${r.stderr.slice(0, 400)}\n`);
      return x;
    };
    const node = process.execPath;
    const plainOut = join(OUT, 'logscan-plain.out');
    const ls = add(await measure('logscan analyze (plain)', node, [LOGSCAN, 'analyze', f.log], o, { stdoutFile: plainOut }), { check: logscanMatched(plainOut) });
    const gzOut = join(OUT, 'logscan-gzip.out');
    const lsGz = add(await measure('logscan analyze (gzip)', node, [LOGSCAN, 'analyze', f.gz], o, { stdoutFile: gzOut }), { check: logscanMatched(gzOut) });
    lsGz.compressedMbPerSec = meta.gzBytes / 1e6 / lsGz.wall;
    const parOut = join(OUT, 'logscan-threads2.out');
    add(await measure('logscan analyze --threads 2 (plain)', node, [LOGSCAN, 'analyze', '--threads', '2', f.log], o, { stdoutFile: parOut }), { check: logscanMatched(parOut) });
    const lsEv = add(await measure('logscan analyze --events --output ndjson > /dev/null', node, [LOGSCAN, 'analyze', '--events', '--output', 'ndjson', f.log], o));
    // Two inputs, merged by time and joined by request id: lines/s counts the lines of both.
    const bothOut = join(OUT, 'logscan-with-app.out');
    const both = await measure('logscan analyze access + app log (merged)', node, [LOGSCAN, 'analyze', f.log, f.app], o, { stdoutFile: bothOut });
    add(both, { lines: N + meta.appLines, bytes: B + meta.appBytes, linesPerSec: (N + meta.appLines) / both.wall, mbPerSec: (B + meta.appBytes) / 1e6 / both.wall, check: logscanMatched(bothOut) });

    let mawk = null, lnav = null, goa = null;
    const skipped = [];
    if (o.peers && awkBin) {
      const awkOut = join(OUT, 'awk.out');
      mawk = add(await measure(`${awkBin.split('/').pop()} '$9==401{c[$7]++} ...'`, awkBin, ['$9==401{c[$7]++} END{for(k in c) print c[k], k}', f.log], o, { stdoutFile: awkOut }), { peer: true, check: sumFirstColumn(awkOut) });
    } else skipped.push(`awk/mawk: ${o.peers ? 'skipped: not installed' : 'skipped: --no-peers'}`);
    if (o.peers && tools.lnav) {
      // A private HOME so no user config, session state or extra formats change lnav's work.
      const home = join(OUT, 'lnav-home');
      rmSync(home, { recursive: true, force: true });
      mkdirSync(home, { recursive: true });
      const lnavOut = join(OUT, 'lnav.out');
      lnav = add(await measure('lnav -n SQL group-by of 401s', tools.lnav, ['-n', '-c', ';SELECT cs_uri_stem, count(*) FROM access_log WHERE sc_status = 401 GROUP BY cs_uri_stem', f.log], o, { stdoutFile: lnavOut, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') } }), { peer: true, check: sumLastColumn(lnavOut) });
    } else skipped.push(`lnav: ${o.peers ? 'skipped: not installed' : 'skipped: --no-peers'}`);
    if (o.peers && tools.goaccess) {
      const html = join(OUT, 'goaccess-report.html');
      rmSync(html, { force: true });
      goa = add(await measure('goaccess --log-format=COMBINED -o report.html', tools.goaccess, [f.log, '--log-format=COMBINED', '--no-progress', '-o', html], o), { peer: true, check: goaccessValid(html) });
    } else skipped.push(`goaccess: ${o.peers ? 'skipped: not installed' : 'skipped: --no-peers'}`);

    say(table(
      ['tool / mode', 'lines/s', 'MB/s', 'wall s', 'CPU s', 'lines/CPU-s', 'peak RSS MB', 'runs', 'max load', 'logscan ÷ peer', 'check'],
      rows.map((r) => [
        r.label, fmtInt(r.linesPerSec), r.mbPerSec.toFixed(1) + (r.compressedMbPerSec ? ` (${r.compressedMbPerSec.toFixed(1)} gz)` : ''),
        r.wall.toFixed(2), Number.isFinite(r.cpu) ? r.cpu.toFixed(2) : '-', Number.isFinite(r.cpu) ? fmtInt(r.lines / r.cpu) : '-', fmtMB(r.rssKb), r.runs, r.loadBefore.toFixed(2),
        r.peer ? `${(ls.linesPerSec / r.linesPerSec).toFixed(2)}x` : '',
        r.check === undefined ? '' : r.check === null ? 'no count found' : `${fmtInt(r.check)}${r.check === (r.label.startsWith('goaccess') ? N : meta.count401) ? ' ok' : ' MISMATCH'}`,
      ]),
    ));
    for (const s of skipped) say(`- ${s}`);
    say();
    say(`check column: the 401 count each tool reported (goaccess: valid requests), expected ${fmtInt(meta.count401)} (${fmtInt(N)} for goaccess).`);
    say(`MB/s is uncompressed log bytes per wall second (for gzip, compressed MB/s in brackets). lines/CPU-s = lines / (user + system CPU): less sensitive to other load than wall time, but it counts helper threads (zlib, GC) too.`);
    say(`max load: the highest 1-minute load average seen just before a run; near 0 on an idle machine, and anything near the core count (${results.machine.cpus}) means the wall times are inflated.`);
    say();

    target('default analyze >= 1,200,000 lines/s', ls.linesPerSec >= 1.2e6, `${fmtInt(ls.linesPerSec)} lines/s`);
    target('gzip >= 70% of plain throughput', lsGz.linesPerSec >= 0.7 * ls.linesPerSec, `${((lsGz.linesPerSec / ls.linesPerSec) * 100).toFixed(0)}% (${fmtInt(lsGz.linesPerSec)} vs ${fmtInt(ls.linesPerSec)} lines/s)`);
    if (mawk) target('no slower than 2x mawk (logscan >= mawk / 2)', ls.linesPerSec >= mawk.linesPerSec / 2, `logscan ${fmtInt(ls.linesPerSec)} vs mawk/2 ${fmtInt(mawk.linesPerSec / 2)} lines/s (${(ls.linesPerSec / mawk.linesPerSec).toFixed(2)}x mawk)`);
    else target('no slower than 2x mawk', null, 'skipped: mawk not installed');
    if (lnav) target('>= 3.5x lnav', ls.linesPerSec >= 3.5 * lnav.linesPerSec, `${(ls.linesPerSec / lnav.linesPerSec).toFixed(2)}x`);
    else target('>= 3.5x lnav', null, 'skipped: lnav not installed');
    if (goa) target('>= 20x GoAccess', ls.linesPerSec >= 20 * goa.linesPerSec, `${(ls.linesPerSec / goa.linesPerSec).toFixed(2)}x`);
    else target('>= 20x GoAccess', null, 'skipped: goaccess not installed');
    results.plainEventsLinesPerSec = lsEv.linesPerSec;

    if (o.profile) {
      const dir = join(OUT, 'prof');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      process.stderr.write('  profiling logscan analyze (plain) with --cpu-prof\n');
      const r = await runOnce(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, LOGSCAN, 'analyze', f.log]);
      const prof = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).map((n) => join(dir, n)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
      if (prof) {
        say(`## CPU profile of logscan analyze (plain), ${r.wall.toFixed(2)} s under the profiler`);
        say(`profile: ${rel(prof)}`);
        say();
        say('```');
        say(formatSummary(summarize(JSON.parse(readFileSync(prof, "utf8"))), { top: 20, root: dirname(dirname(LOGSCAN)) }));
        say('```');
        say();
      }
    }
  }

  if (o.memory) {
    say('## Memory: high-cardinality logs (1M distinct client IPs, 1M distinct paths)');
    say();
    const mem = [];
    for (const lines of [1_000_000, 5_000_000]) {
      const gen = { lines, seed: o.seed, highCardinality: true, gzip: false, json: false, out: OUT, force: false, quiet: false };
      const meta = await generate(gen);
      const f = filesFor(gen);
      await warm(f.log);
      const out = join(OUT, `logscan-hc-${lines}.out`);
      const memOpts = { ...o, repeat: Math.min(o.repeat, 2) };
      const r = await measure(`logscan analyze, ${lines / 1e6}M lines`, process.execPath, [LOGSCAN, 'analyze', f.log], memOpts, { stdoutFile: out });
      const x = { ...r, lines, bytes: meta.bytes, linesPerSec: lines / r.wall, mbPerSec: meta.bytes / 1e6 / r.wall, check: logscanMatched(out), expected: meta.count401, memory: true };
      mem.push(x);
      results.runs.push(x);
      const ev = await measure(`logscan analyze --events --output ndjson, ${lines / 1e6}M lines`, process.execPath, [LOGSCAN, 'analyze', '--events', '--output', 'ndjson', f.log], { ...memOpts, repeat: 1 });
      const y = { ...ev, lines, bytes: meta.bytes, linesPerSec: lines / ev.wall, mbPerSec: meta.bytes / 1e6 / ev.wall, memory: true };
      mem.push(y);
      results.runs.push(y);
    }
    say(table(
      ['run', 'peak RSS MB', 'lines/s', 'MB/s', 'wall s', 'max load', 'check'],
      mem.map((r) => [r.label, fmtMB(r.rssKb), fmtInt(r.linesPerSec), r.mbPerSec.toFixed(1), r.wall.toFixed(2), r.loadBefore.toFixed(2),
        r.check === undefined ? '' : r.check === null ? 'no count found' : `${fmtInt(r.check)}${r.check === r.expected ? ' ok' : ' MISMATCH'}`]),
    ));
    say();
    const a1 = mem[0], a5 = mem[2];
    target('peak RSS < 200 MB on the 5M-line high-cardinality log', a5.rssKb < 200 * 1024, `${fmtMB(a5.rssKb)} MB`);
    const growth = a5.rssKb / a1.rssKb - 1;
    target('peak RSS flat within 20% between 1M and 5M lines', Math.abs(growth) <= 0.2, `${fmtMB(a1.rssKb)} MB -> ${fmtMB(a5.rssKb)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%)`);
  }

  say('## Targets');
  say();
  say(table(['target', 'result', 'measured'], targets.map((t) => [t.name, t.pass === null ? 'SKIP' : t.pass ? 'PASS' : 'FAIL', t.detail])));
  results.targets = targets;
  say();
  say(`load average at end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(OUT, `results-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(OUT, `results-${stamp}.md`), `${report.join('\n')}\n`);
  say(`(written to ${rel(join(OUT, `results-${stamp}.md`))} and .json; exit status is 0 whatever the results: this is a report)`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack ?? e}\n`);
}).finally(() => { process.exitCode = 0; });
