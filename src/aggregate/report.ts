import type { InputStats } from '../pipeline/readInputs.js';
import type { CauseRow } from './causeTable.js';
import type { GroupResult } from './groupTable.js';

/** Everything a writer needs for the grouped report; JSON output is this object. */
export interface Totals {
  linesRead: number;
  parsed: number;
  blank: number;
  skipped: number;
  responses: number;
  matched: number;
  firstTime: string | null;
  lastTime: string | null;
  inputs: number;
  status: string;
  since: string | null;
  until: string | null;
}

export interface Report {
  version: 1;
  totals: Totals;
  inputs: InputStats[];
  /** One row per cause, most frequent first; the remedy is added by writers in the chosen language. */
  byCause: CauseRow[];
  tables: GroupResult[];
  errors: string[];
}

export function totalsOf(inputs: readonly InputStats[], extra: { responses: number; matched: number; first: number; last: number; status: string; since?: number; until?: number }): Totals {
  const sum = (f: (s: InputStats) => number) => inputs.reduce((a, s) => a + f(s), 0);
  const iso = (t: number | undefined) => (t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString());
  return {
    linesRead: sum((s) => s.lines),
    parsed: sum((s) => s.parsed),
    blank: sum((s) => s.blank),
    skipped: sum((s) => s.malformed + s.oversize),
    responses: extra.responses,
    matched: extra.matched,
    firstTime: iso(extra.first),
    lastTime: iso(extra.last),
    inputs: inputs.length,
    status: extra.status,
    since: iso(extra.since),
    until: iso(extra.until),
  };
}
