import { stringify } from 'csv-stringify/sync';
import type { Report } from '../aggregate/report.js';
import { EVENT_COLUMNS, type EventRow } from './eventRow.js';
import { redactSecrets } from './redact.js';

/**
 * RFC 4180 CSV through csv-stringify. Text cells a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab, CR) get a leading apostrophe, in
 * every CSV logscan writes; a lone "-" (logscan's "no value") cannot be one
 * and stays as it is.
 */
export interface CsvOptions {
  delimiter: string;
  bom: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(v: string): string {
  return v !== '-' && FORMULA_START.test(v) ? `'${v}` : v;
}

const BASE = {
  record_delimiter: 'windows' as const,
  quoted_match: /^\s|\s$/,
  cast: { string: (v: string) => neutraliseFormula(v) },
};

export function groupsCsv(report: Report, opts: CsvOptions): string {
  const rows: (string | number)[][] = [];
  for (const c of report.byCause) rows.push(['cause', c.cause, c.count, Number(c.share.toFixed(4)), 0]);
  for (const t of report.tables) {
    for (const r of t.rows) {
      rows.push([t.name, r.values.map(redactSecrets).join(' | '), r.count, Number(r.share.toFixed(4)), r.error]);
    }
  }
  return (opts.bom ? '\ufeff' : '') + stringify(rows, {
    ...BASE, delimiter: opts.delimiter, header: true, columns: ['dimension', 'value', 'count', 'share', 'errorBound'],
  });
}

export function eventsCsvHeader(opts: CsvOptions): string {
  return (opts.bom ? '\ufeff' : '') + stringify([], { ...BASE, delimiter: opts.delimiter, header: true, columns: [...EVENT_COLUMNS] });
}

export function eventsCsvRows(rows: EventRow[], opts: CsvOptions): string {
  const flat = rows.map((r) => EVENT_COLUMNS.map((c) => {
    const v = r[c];
    return Array.isArray(v) ? v.join('; ') : v ?? '';
  }));
  return stringify(flat, { ...BASE, delimiter: opts.delimiter });
}
