#!/usr/bin/env node
// Where the time goes, stage by stage: each stage adds one layer of logscan's
// pipeline on top of the previous one, runs in its own process, and reports
// lines/s. Uses the built modules in dist/ (run `npm run build` first); a stage
// whose internal API has changed is reported as skipped, not fatal.
//
//   node bench/stages.js [FILE] [--repeat R] [--dist DIR]   (DIR: a built dist/, e.g. bench/out/snapshot/dist)
//
// Stages (cumulative):
//   floor-latin1   read 1 MB chunks, decode latin1, split lines (no logscan code): the JS floor
//   floor-utf8     the same with utf8 decoding (what lineReader does)
//   readLines      src/input/lineReader.ts readLines with a sink that only counts
//   scan           src/pipeline/readInputs.ts readInput: detection + LayoutParser.scan per line, accept() does nothing
//   scan+peek      as scan, and accept() calls parser.peek('ip') (what ClientTracker.observe needs per line)
//   scan+record    as scan, and accept() builds parser.record() for every 401 (what Analysis keeps)
// The full CLI (`node bin/logscan.js analyze FILE`) is timed by bench/run.js.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
let DIST = process.env.LOGSCAN_DIST ?? join(dirname(HERE), 'dist');
const STAGES = ['floor-latin1', 'floor-utf8', 'readLines', 'scan', 'scan+peek', 'scan+record'];
/** The stage each one adds to: "+seconds" is measured against it. */
const BASE = { 'floor-utf8': 'floor-latin1', readLines: 'floor-utf8', scan: 'readLines', 'scan+peek': 'scan', 'scan+record': 'scan' };

async function importDist(rel) {
  return import(pathToFileURL(join(DIST, rel)).href);
}

async function floor(file, enc) {
  let lines = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = chunk.toString(enc);
    let p = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', p)) {
      lines++;
      p = nl + 1;
    }
  }
  return lines;
}

async function runStage(stage, file) {
  const source = { name: file, path: file };
  if (stage === 'floor-latin1') return floor(file, 'latin1');
  if (stage === 'floor-utf8') return floor(file, 'utf8');
  if (stage === 'readLines') {
    const { readLines } = await importDist('input/lineReader.js');
    let n = 0;
    await readLines(source, { line() { n++; }, oversize() { n++; } }, { maxLineBytes: 65536 });
    return n;
  }
  const { readInput } = await importDist('pipeline/readInputs.js');
  const { buildRegistry } = await importDist('formats/registry.js');
  const { makeZone } = await importDist('formats/zone.js');
  const registry = buildRegistry({ zone: makeZone('UTC') });
  let keep = 0;
  const sink = {
    scan: { accept() {} },
    'scan+peek': { accept(p) { if (p.peek('ip') !== undefined) keep++; } },
    'scan+record': { accept(p, input, line) { if (p.status() === 401 && p.record(input, line).path !== undefined) keep++; } },
  }[stage];
  const stats = await readInput(source, sink, { registry, strict: false, maxLineBytes: 65536, maxExamples: 5 });
  if (stats.error) throw new Error(stats.error);
  return stats.lines;
}

function defaultFile() {
  const out = join(HERE, 'out');
  const logs = existsSync(out) ? readdirSync(out).filter((n) => /^access-\d+-std-.*\.log$/.test(n)).map((n) => join(out, n)) : [];
  return logs.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

async function main() {
  const args = process.argv.slice(2);
  const si = args.indexOf('--stage');
  if (si >= 0) {
    const stage = args[si + 1];
    const file = args[si + 2];
    const t0 = process.hrtime.bigint();
    const lines = await runStage(stage, file);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    process.stdout.write(`${JSON.stringify({ lines, seconds: s })}\n`);
    return;
  }
  const di = args.indexOf('--dist');
  if (di >= 0) { DIST = args[di + 1]; process.env.LOGSCAN_DIST = DIST; args.splice(di, 2); }
  let repeat = 3;
  const ri = args.indexOf('--repeat');
  if (ri >= 0) { repeat = Number(args[ri + 1]); args.splice(ri, 2); }
  const file = args[0] ?? defaultFile();
  if (!file) throw new Error('no log given and none in bench/out/: run bench/generate.js first');
  process.stdout.write(`dist: ${DIST}\n`);
  process.stdout.write(`stages on ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB), in-process time of each stage, median of ${repeat}\n\n`);
  process.stdout.write(`| stage | lines/s | seconds | +seconds over the stage it adds to |\n|---|---:|---:|---:|\n`);
  const secs = {};
  for (const stage of STAGES) {
    const times = [];
    let lines = 0, err = '';
    for (let i = 0; i < repeat; i++) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--stage', stage, file], { encoding: 'utf8' });
      if (r.status !== 0) { err = (r.stderr || '').trim().split('\n').slice(-1)[0]; break; }
      const j = JSON.parse(r.stdout.trim().split('\n').pop());
      lines = j.lines;
      times.push(j.seconds);
    }
    if (err) {
      process.stdout.write(`| ${stage} | skipped: ${err.slice(0, 80)} | | |\n`);
      continue;
    }
    times.sort((a, b) => a - b);
    const s = times[Math.floor((times.length - 1) / 2)];
    secs[stage] = s;
    const base = BASE[stage];
    const delta = base && secs[base] !== undefined ? `${s - secs[base] >= 0 ? '+' : ''}${(s - secs[base]).toFixed(2)} (over ${base})` : '';
    process.stdout.write(`| ${stage} | ${Math.round(lines / s).toLocaleString('en-US')} | ${s.toFixed(2)} | ${delta} |\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`stages: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
