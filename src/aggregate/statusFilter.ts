/**
 * --status: "401", "401,403", "4xx", "4xx,5xx", "all". Compiled to a lookup
 * table so the per-line test is one array read.
 */
export interface StatusFilter {
  spec: string;
  matches(status: number): boolean;
}

export function compileStatusFilter(spec: string): StatusFilter {
  const table = new Uint8Array(1000);
  for (const raw of spec.split(',')) {
    const part = raw.trim().toLowerCase();
    if (part === 'all' || part === '*') {
      table.fill(1, 100);
      continue;
    }
    const cls = /^([1-5])xx$/.exec(part);
    if (cls) {
      table.fill(1, Number(cls[1]) * 100, Number(cls[1]) * 100 + 100);
      continue;
    }
    const range = /^(\d{3})-(\d{3})$/.exec(part);
    if (range && Number(range[1]) <= Number(range[2])) {
      table.fill(1, Number(range[1]), Number(range[2]) + 1);
      continue;
    }
    if (/^[1-9]\d{2}$/.test(part)) {
      table[Number(part)] = 1;
      continue;
    }
    throw new Error(`--status: cannot read "${raw}"; use codes and classes such as 401, 401,403, 4xx, 400-499 or all`);
  }
  return { spec, matches: (s) => table[s] === 1 };
}

/** Inside --since/--until (either may be unset); a line without a time is outside once either is set. */
export function inTimeWindow(t: number, since: number | undefined, until: number | undefined): boolean {
  if (since === undefined && until === undefined) return true;
  return !Number.isNaN(t) && (since === undefined || t >= since) && (until === undefined || t < until);
}
