import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fastGlob } from '../lazyModules.js';

/**
 * Turn the command line's inputs into concrete sources: files as given,
 * directories as their regular files (sorted, not recursive), globs expanded
 * here (so a quoted pattern works from cron), "-" as standard input.
 * Problems are returned, not thrown: one bad input must not stop the others.
 */
export interface InputSource {
  /** The name shown in reports: the path as the user wrote it (or found by glob), "-" for stdin. */
  name: string;
  path: string | null;
  /** Incremental runs (--state): where the previous run stopped in this input. */
  resume?: ResumePoint;
  /** Leave a last line without its newline for the next run: the file is still being written. */
  holdPartialLine?: boolean;
  /** A rotated file read for the lines written to this input after the previous run. */
  rotatedFrom?: string;
}

export interface ResumePoint {
  /** Byte offset in the decompressed content, just after a newline. */
  offset: number;
  /** Lines before that offset, so line numbers in messages stay true. */
  lines: number;
  /** Gzip content is skipped after decompression; a plain file is opened at the offset. */
  gzip: boolean;
}

export interface ExpandResult {
  sources: InputSource[];
  errors: string[];
}

const GLOB_CHARS = /[*?[\]{}]/;

export function expandInputs(args: readonly string[]): ExpandResult {
  const sources: InputSource[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (name: string, p: string | null) => {
    const key = p === null ? '-' : path.resolve(p);
    if (seen.has(key)) return;
    seen.add(key);
    sources.push({ name, path: p });
  };
  for (const arg of args) {
    if (arg === '-') {
      add('-', null);
      continue;
    }
    let st;
    try {
      st = statSync(arg);
    } catch (e) {
      if (GLOB_CHARS.test(arg)) {
        const found = fastGlob().sync(arg.replace(/\\/g, '/'), { onlyFiles: true, dot: false, followSymbolicLinks: true, suppressErrors: true }).sort();
        if (found.length === 0) errors.push(`${arg}: no file matches this pattern`);
        for (const f of found) add(f, f);
      } else {
        errors.push(`${arg}: ${describeFsError(e)}`);
      }
      continue;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(arg).sort();
      } catch (e) {
        errors.push(`${arg}: ${describeFsError(e)}`);
        continue;
      }
      let files = 0;
      for (const n of names) {
        const p = path.join(arg, n);
        try {
          if (statSync(p).isFile()) {
            add(p, p);
            files++;
          }
        } catch {
          // A file removed while listing is not an error worth reporting.
        }
      }
      if (files === 0) errors.push(`${arg}: directory holds no regular files`);
    } else {
      add(arg, arg);
    }
  }
  return { sources, errors };
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return (e as Error)?.message ?? String(e);
  }
}
