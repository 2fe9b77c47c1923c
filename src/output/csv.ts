import { stringify } from 'csv-stringify/sync';
import type { Report } from '../aggregate/report.js';
import type { TimeSeriesResult } from '../aggregate/timeSeries.js';
import type { Lang } from '../i18n/labels.js';
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
  /** Header language of the grouped CSV (events keep their stable keys). */
  lang?: Lang;
}

/**
 * Grouped CSV header: English by default (stable, documented); with
 * --lang ja the same columns in Japanese, for people who open it in a
 * spreadsheet. Column order and values do not change.
 */
export const GROUP_COLUMNS: Record<Lang, readonly string[]> = {
  en: ['dimension', 'value', 'count', 'share', 'errorBound'],
  ja: ['集計軸', '値', '件数', '割合', '誤差上限'],
};

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(v: string): string {
  return v !== '-' && FORMULA_START.test(v) ? `'${v}` : v;
}

const BASE = {
  record_delimiter: 'windows' as const,
  // csv-stringify quotes a cell holding the record delimiter (CRLF), not a lone CR or LF:
  // unquoted, those would end the record early in every RFC 4180 reader.
  quoted_match: /^\s|\s$|[\r\n]/,
  cast: { string: (v: string) => neutraliseFormula(v) },
};

export function groupsCsv(report: Report, opts: CsvOptions, series?: TimeSeriesResult): string {
  const rows: (string | number)[][] = [];
  const share = (n: number) => Number((report.totals.matched > 0 ? n / report.totals.matched : 0).toFixed(4));
  for (const c of report.byCause) rows.push(['cause', c.cause, c.count, Number(c.share.toFixed(4)), 0]);
  for (const t of report.tables) {
    for (const r of t.rows) {
      rows.push([t.name, r.values.map(redactSecrets).join(' | '), r.count, Number(r.share.toFixed(4)), r.error]);
    }
  }
  // --by hour/day: every non-empty (bucket, cause) cell, in time order, exact.
  if (series) {
    series.buckets.forEach((b, i) => {
      for (const s of series.byCause) if (s.counts[i] > 0) rows.push([`${series.unit}+cause`, `${b} | ${s.cause}`, s.counts[i], share(s.counts[i]), 0]);
    });
  }
  return (opts.bom ? '\ufeff' : '') + stringify(rows, {
    ...BASE, delimiter: opts.delimiter, header: true, columns: [...GROUP_COLUMNS[opts.lang ?? 'en']],
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
