import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { InputSource } from '../input/expandInputs.js';
import type { ReadInfo } from '../input/lineReader.js';
import { headHash, readFileHead, type FileHead } from './fileHead.js';
import type { State, StateEntry } from './stateFile.js';

/**
 * --state: decides where each input starts, given what earlier runs read.
 * - A file seen before (same device+inode and same first bytes, or the same
 *   first bytes alone: a copy, or a compressed rotation) resumes where the
 *   last run stopped; a file that shrank or changed its first bytes is read
 *   from the start.
 * - When an input's path now holds a different file, the one read last time
 *   was rotated away: it is looked for next to it (access.log.1,
 *   access.log-20261201, access.log.1.gz ...) and its remainder is read
 *   first, so lines written between the last run and the rotation count.
 * - A gzip file unchanged since it was read (same size and time) is not
 *   decompressed again.
 * The next state is built from where reading actually stopped.
 */
export interface IncrementalPlan {
  /** What to read, in order (remainders of rotated files before their successor). */
  sources: InputSource[];
  /** For stderr: what was resumed, rotated or restarted. */
  notes: string[];
  /** For stderr: lines that may have been missed. */
  warnings: string[];
  nextState(readInfo: ReadonlyMap<InputSource, ReadInfo>): StateEntry[];
}

interface Tracked {
  source: InputSource;
  file: FileHead;
  abs: string;
  rotated: boolean;
}

const sameHead = (e: StateEntry, f: FileHead) => f.head.length >= e.headBytes && headHash(f.head, e.headBytes) === e.headHash;

function tryHead(p: string): FileHead | undefined {
  try {
    return readFileHead(p);
  } catch {
    // Unreadable now: the read reports it with its reason.
    return undefined;
  }
}

export function planIncremental(inputs: readonly InputSource[], prior: State | undefined): IncrementalPlan {
  const unused = new Set(prior?.entries ?? []);
  const namedPaths = new Set(inputs.flatMap((s) => (s.path === null ? [] : [path.resolve(s.path)])));
  const tracked: Tracked[] = [];
  const carried: StateEntry[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const planned: InputSource[] = [];

  const take = (e: StateEntry) => { unused.delete(e); return e; };
  // Inodes are reused as soon as a file is deleted, so an inode alone proves nothing: the first bytes must agree too.
  // An entry whose inode now holds other content stays unused, for the rotation search below.
  const findEntry = (f: FileHead): StateEntry | undefined => {
    const byInode = [...unused].find((e) => e.dev === f.dev && e.ino === f.ino && sameHead(e, f));
    const entry = byInode ?? [...unused].find((e) => e.headBytes > 0 && sameHead(e, f));
    return entry && take(entry);
  };

  const resumeFrom = (source: InputSource, f: FileHead, e: StateEntry): InputSource => {
    if (!f.gzip && f.size < e.offset) {
      notes.push(`${source.name}: shorter than when last read (truncated in place?); read from the start`);
      return source;
    }
    return { ...source, resume: { offset: e.offset, lines: e.lines, gzip: f.gzip } };
  };

  for (const source of inputs) {
    if (source.path === null) {
      warnings.push('standard input: --state remembers positions in files only; standard input was read whole');
      planned.push(source);
      continue;
    }
    const abs = path.resolve(source.path);
    const f = tryHead(source.path);
    if (!f || !f.regular) {
      // Unreadable or a pipe: read as usual, and keep what earlier runs knew about this path.
      // A path that is gone is left to the rotation search below (rotated, not yet recreated).
      if (existsSync(source.path)) for (const e of unused) if (e.path === abs && !e.rotated) carried.push(take(e));
      planned.push(source);
      continue;
    }
    const entry = findEntry(f);
    if (entry && f.gzip && entry.gzip && entry.size === f.size && entry.mtimeMs === f.mtimeMs) {
      carried.push({ ...entry, path: abs });
      continue;
    }
    const planSource = entry ? resumeFrom(source, f, entry) : source;
    const live: InputSource = f.gzip ? planSource : { ...planSource, holdPartialLine: true };
    tracked.push({ source: live, file: f, abs, rotated: false });
    planned.push(live);
  }

  // The file an input's path held last time is not there any more: logrotate renamed (or copied) it.
  for (const e of [...unused]) {
    if (e.rotated || !namedPaths.has(e.path)) continue;
    take(e);
    const successor = planned.find((s) => s.path !== null && path.resolve(s.path) === e.path);
    const found = findRotated(e, namedPaths);
    if (!found) {
      warnings.push(`${successor?.name ?? e.path}: the file read last time (up to line ${e.lines}) was rotated away, truncated or replaced, and is not next to it; lines written to it after that run were not read`);
      continue;
    }
    const displayDir = successor ? path.dirname(successor.name) : path.dirname(e.path);
    const source: InputSource = {
      name: path.join(displayDir, path.basename(found.path)), path: found.path, rotatedFrom: successor?.name ?? e.path,
      resume: { offset: e.offset, lines: e.lines, gzip: found.file.gzip },
    };
    notes.push(`${source.name}: rotated from ${source.rotatedFrom}; reading what was written after line ${e.lines}`);
    tracked.push({ source, file: found.file, abs: found.path, rotated: true });
    planned.splice(successor ? planned.indexOf(successor) : planned.length, 0, source);
  }
  // Entries of inputs not named this time belong to other runs sharing the state file; rotated ones were read once.
  for (const e of unused) if (!e.rotated && !namedPaths.has(e.path)) carried.push(e);

  return {
    sources: planned,
    notes,
    warnings,
    nextState(readInfo) {
      const entries = [...carried];
      for (const t of tracked) {
        const info = readInfo.get(t.source);
        if (!info) continue;
        const headBytes = Math.min(info.consumed, t.file.head.length);
        entries.push({
          path: t.abs, dev: t.file.dev, ino: t.file.ino, size: t.file.size, mtimeMs: t.file.mtimeMs, gzip: t.file.gzip,
          offset: info.consumed, lines: info.consumedLines, headBytes, headHash: headHash(t.file.head, headBytes),
          ...(t.rotated ? { rotated: true } : {}),
        });
      }
      return entries;
    },
  };
}

/** Siblings named like the input (access.log.1, access.log-20261201.gz), same inode first, then same first bytes. */
function findRotated(e: StateEntry, namedPaths: ReadonlySet<string>): { path: string; file: FileHead } | undefined {
  const dir = path.dirname(e.path);
  const base = path.basename(e.path);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n !== base && n.startsWith(base)).sort();
  } catch {
    return undefined;
  }
  const heads = names
    .map((n) => path.join(dir, n))
    .filter((p) => !namedPaths.has(p))
    .flatMap((p) => {
      const file = tryHead(p);
      return file && file.regular ? [{ path: p, file }] : [];
    });
  return heads.find((h) => h.file.dev === e.dev && h.file.ino === e.ino && sameHead(e, h.file))
    ?? heads.find((h) => e.headBytes > 0 && sameHead(e, h.file));
}
