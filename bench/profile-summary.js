#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from node --cpu-prof): self and total time per
// function, keyed by function name + script URL + line.
//
//   node bench/profile-summary.js [--top N] FILE.cpuprofile|DIR
//
// A DIR means the newest .cpuprofile in it. Self time: samples whose leaf
// frame is the function. Total time: samples with the function anywhere on
// the stack (counted once per sample, so recursion does not double it).
// Each sample lasts until the next one (timeDeltas[i + 1]), as DevTools counts.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export function summarize(profile) {
  const nodes = new Map();
  const parent = new Map();
  for (const n of profile.nodes) nodes.set(n.id, n);
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map();
  const info = new Map();
  for (const n of profile.nodes) {
    const cf = n.callFrame;
    const name = cf.functionName || (cf.url ? '(anonymous)' : '(root)');
    const key = `${name}\u0000${cf.url}\u0000${cf.url ? cf.lineNumber + 1 : ''}`;
    keyOf.set(n.id, key);
    if (!info.has(key)) info.set(key, { name, url: cf.url, line: cf.url ? cf.lineNumber + 1 : null, self: 0, total: 0 });
  }
  const { samples, timeDeltas } = profile;
  let all = 0;
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    if (dt <= 0) continue;
    all += dt;
    const leaf = samples[i];
    info.get(keyOf.get(leaf)).self += dt;
    const seen = new Set();
    for (let id = leaf; id !== undefined; id = parent.get(id)) {
      const k = keyOf.get(id);
      if (seen.has(k)) continue;
      seen.add(k);
      info.get(k).total += dt;
    }
  }
  const rows = [...info.values()].filter((r) => r.self > 0 || r.total > 0);
  return { totalUs: all, rows };
}

function where(r, root) {
  if (!r.url) return '';
  let u = r.url.startsWith('file://') ? fileURLToPath(r.url) : r.url;
  if (root && isAbsolute(u)) u = relative(root, u);
  return `${u}:${r.line}`;
}

export function formatSummary(sum, { top = 20, root = process.cwd() } = {}) {
  const ms = (us) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us) => `${((us / sum.totalUs) * 100).toFixed(1).padStart(5)}%`;
  const bySelf = [...sum.rows].sort((a, b) => b.self - a.self).slice(0, top);
  const lines = [`sampled ${(sum.totalUs / 1000).toFixed(0)} ms`, '', `top ${top} by self time:`, `${'self ms'.padStart(7)} ${'self'.padStart(6)} ${'total ms'.padStart(8)}  function  (where)`];
  for (const r of bySelf) lines.push(`${ms(r.self)} ${pct(r.self)} ${ms(r.total).padStart(8)}  ${r.name}  ${where(r, root)}`);
  const byTotal = [...sum.rows].filter((r) => r.url && !r.url.startsWith('node:')).sort((a, b) => b.total - a.total).slice(0, top);
  lines.push('', `top ${top} by total (inclusive) time, script functions:`, `${'total ms'.padStart(8)} ${'total'.padStart(6)}  function  (where)`);
  for (const r of byTotal) lines.push(`${ms(r.total).padStart(8)} ${pct(r.total)}  ${r.name}  ${where(r, root)}`);
  return lines.join('\n');
}

function newestIn(dir) {
  const files = readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).map((n) => join(dir, n));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  let top = 20;
  const ti = args.indexOf('--top');
  if (ti >= 0) { top = Number(args[ti + 1]); args.splice(ti, 2); }
  let file = args[0] ?? join(fileURLToPath(new URL('.', import.meta.url)), 'out', 'prof');
  if (statSync(file).isDirectory()) file = newestIn(file);
  process.stdout.write(`${file}\n${formatSummary(summarize(JSON.parse(readFileSync(file, 'utf8'))), { top, root: process.cwd() })}\n`);
}
