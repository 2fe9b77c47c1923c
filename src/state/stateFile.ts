import { readFileSync } from 'node:fs';

/**
 * The --state file: per input file, how far earlier runs read it. A file is
 * known by its device and inode (which survive a rename by logrotate) and
 * by a hash of its first bytes (which survives copying and compression, and
 * tells a reused inode from the file it used to be). Anything that does not
 * look exactly like a state file we wrote is refused with the reason: a
 * wrong position would silently skip or double-count lines.
 */
export const STATE_FORMAT = 'logscan-state';
export const STATE_VERSION = 1;

export interface StateEntry {
  /** Absolute path when it was read. */
  path: string;
  /** Device and inode as decimal strings: they can exceed 2^53. */
  dev: string;
  ino: string;
  /** Size and modification time of the file as stored (compressed size for gzip). */
  size: number;
  mtimeMs: number;
  gzip: boolean;
  /** Decompressed bytes read, always just after a newline. */
  offset: number;
  /** Lines up to offset. */
  lines: number;
  /** sha256 (hex) of the first headBytes bytes of the decompressed content. */
  headBytes: number;
  headHash: string;
  /** A rotated file read once for its remainder; not followed further. */
  rotated?: boolean;
}

export interface State {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  savedAt: string;
  entries: StateEntry[];
}

export class StateFileError extends Error {}

type Check = (v: unknown) => boolean;
const isCount: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isDecimal: Check = (v) => typeof v === 'string' && /^\d{1,40}$/.test(v);
const ENTRY_FIELDS: Record<keyof StateEntry, { check: Check; expected: string; optional?: true }> = {
  path: { check: (v) => typeof v === 'string' && v.startsWith('/') || (typeof v === 'string' && /^[A-Za-z]:[\\/]/.test(v)), expected: 'an absolute path' },
  dev: { check: isDecimal, expected: 'a decimal string' },
  ino: { check: isDecimal, expected: 'a decimal string' },
  size: { check: isCount, expected: 'a whole number >= 0' },
  mtimeMs: { check: (v) => typeof v === 'number' && Number.isFinite(v), expected: 'a number' },
  gzip: { check: (v) => typeof v === 'boolean', expected: 'true or false' },
  offset: { check: isCount, expected: 'a whole number >= 0' },
  lines: { check: isCount, expected: 'a whole number >= 0' },
  headBytes: { check: isCount, expected: 'a whole number >= 0' },
  headHash: { check: (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), expected: 'a sha256 in hex' },
  rotated: { check: (v) => typeof v === 'boolean', expected: 'true or false', optional: true },
};

/** Reads and checks a state file; undefined when it does not exist yet (the first run). */
export function loadState(file: string): State | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new StateFileError(`--state: cannot read "${file}": ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  return parseState(text, file);
}

export function parseState(text: string, file: string): State {
  const refuse = (why: string): never => {
    throw new StateFileError(`--state: "${file}" is not a usable logscan state file (${why}); it was not trusted. Move it away to start over (the next run then reads every input whole).`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    refuse(text.trim() === '' ? 'it is empty' : `not JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) refuse('expected a JSON object');
  const d = data as Record<string, unknown>;
  if (d.format !== STATE_FORMAT) refuse(`"format" is ${JSON.stringify(d.format)}, expected "${STATE_FORMAT}"`);
  if (d.version !== STATE_VERSION) refuse(`"version" is ${JSON.stringify(d.version)}; this logscan reads version ${STATE_VERSION}`);
  if (!Array.isArray(d.entries)) refuse('"entries" is not a list');
  const entries = d.entries as unknown[];
  entries.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) refuse(`entries[${i}] is not an object`);
    const rec = e as Record<string, unknown>;
    for (const [key, rule] of Object.entries(ENTRY_FIELDS)) {
      const v = rec[key];
      if (v === undefined && rule.optional) continue;
      if (!rule.check(v)) refuse(`entries[${i}].${key} is ${v === undefined ? 'missing' : JSON.stringify(v)}, expected ${rule.expected}`);
    }
    if ((rec.headBytes as number) > (rec.offset as number)) refuse(`entries[${i}].headBytes is larger than its offset`);
  });
  return { format: STATE_FORMAT, version: STATE_VERSION, savedAt: String(d.savedAt ?? ''), entries: entries as StateEntry[] };
}

export function serializeState(entries: readonly StateEntry[], now: Date): string {
  const state: State = { format: STATE_FORMAT, version: STATE_VERSION, savedAt: now.toISOString(), entries: [...entries] };
  return `${JSON.stringify(state, null, 2)}\n`;
}
