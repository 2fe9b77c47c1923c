import { stringify } from 'csv-stringify/sync';
import type { Report } from '../aggregate/report.js';
import { EVENT_COLUMNS, type EventRow } from './eventRow.js';
import { redactSecrets } from './redact.js';

/**
 * RFC 4180 CSV through csv-stringify. Cells a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR) are neutralised by csv-stringify's
 * escape_formulas, in every CSV logscan writes.
 */
export interface CsvOptions {
  delimiter: string;
  bom: boolean;
}

const BASE = { escape_formulas: true, record_delimiter: 'windows' as const, quoted_match: /^\s|\s$/ };

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
