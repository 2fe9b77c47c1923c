import type { ParserFactory } from '../../src/formats/parser.js';
import { layoutFactory, type Layout } from '../../src/formats/layout.js';
import { UTC_ZONE, type Zone } from '../../src/formats/zone.js';
import type { LogRecord } from '../../src/record.js';

/** Parses one line with a factory: the record, or undefined when the line does not fit. */
export function parseWith(factory: ParserFactory, line: string): LogRecord | undefined {
  const p = factory.create();
  return p.scan(line) ? p.record('t.log', 1) : undefined;
}

export function parseLayout(layout: Layout, line: string, zone: Zone = UTC_ZONE): LogRecord | undefined {
  return parseWith(layoutFactory(layout, zone), line);
}

/** The record as a plain object (extra as an object) for toMatchObject / toEqual. */
export function plain(rec: LogRecord | undefined): Record<string, unknown> | undefined {
  if (rec === undefined) return undefined;
  const { extra, ...rest } = rec;
  return extra === undefined ? rest : { ...rest, extra: Object.fromEntries(extra) };
}

/** UTC epoch ms, month 1-based (as written in logs). */
export const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);
