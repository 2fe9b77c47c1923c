import Table from 'cli-table3';
import { labels, type Lang } from '../i18n/labels.js';
import type { EventRow } from './eventRow.js';
import { terminalText } from './sanitize.js';

/** --events --output table: the essentials of each event, for a terminal. */
export function renderEventsTable(rows: EventRow[], opts: { lang: Lang; color: boolean }): string {
  const L = labels(opts.lang);
  const table = new Table({
    head: ['time', L.ip, L.method, L.path, L.status, L.cause, 'source'],
    style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [] },
  });
  for (const r of rows) {
    table.push([r.time ?? '-', r.ip ?? '-', r.method ?? '-', r.path ?? '-', r.status ?? '-', r.cause ?? '-', r.source ?? '-']
      .map((v) => terminalText(String(v), 60)));
  }
  return `${table.toString()}\n`;
}
