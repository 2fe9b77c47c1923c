import type { Finding } from '../aggregate/finding.js';
import type { Lang } from '../i18n/labels.js';
import { eventsCsvHeader, eventsCsvRows, type CsvOptions } from './csv.js';
import { eventRow, type EventRow } from './eventRow.js';
import { renderEventsTable } from './eventsTable.js';
import type { OutputStream } from './outputStream.js';

export type EventsFormat = 'table' | 'csv' | 'json' | 'ndjson';

/** The terminal table shows at most this many events (a table of more is unreadable). */
export const MAX_TABLE_EVENTS = 1000;

/**
 * Writes --events rows as findings arrive, so a run's memory does not grow
 * with its findings. The terminal table needs every row before it can size
 * its columns: it keeps the first MAX_TABLE_EVENTS rows and renders at end().
 */
export class EventsWriter {
  private rows = 0;
  private readonly table: EventRow[] = [];

  constructor(
    private readonly format: EventsFormat,
    private readonly out: OutputStream,
    private readonly opts: CsvOptions & { lang: Lang },
    private readonly color: boolean,
  ) {
    if (format === 'csv') out.write(eventsCsvHeader(opts));
    else if (format === 'json') out.write('[');
  }

  add(f: Finding): void {
    const n = this.rows++;
    switch (this.format) {
      case 'csv':
        this.out.write(eventsCsvRows([eventRow(f)], this.opts));
        return;
      case 'ndjson':
        this.out.write(`${JSON.stringify(eventRow(f))}\n`);
        return;
      case 'json':
        this.out.write(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(eventRow(f))}`);
        return;
      default:
        if (n < MAX_TABLE_EVENTS) this.table.push(eventRow(f));
    }
  }

  /** Writes what is buffered once there is enough of it, waiting while the reader is behind. */
  flush(): Promise<void> {
    return this.out.flush();
  }

  async end(): Promise<void> {
    if (this.format === 'json') this.out.write('\n]\n');
    else if (this.format === 'table') this.out.write(renderEventsTable(this.table, { lang: this.opts.lang, color: this.color }));
    await this.out.flush(true);
  }
}
