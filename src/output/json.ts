import type { Report } from '../aggregate/report.js';
import type { TimeSeriesResult } from '../aggregate/timeSeries.js';
import { causeText } from '../classify/causes.js';
import type { Lang } from '../i18n/labels.js';
import { redactSecrets } from './redact.js';

/**
 * The JSON summary: the report with cause labels and remedies in the chosen
 * language, and every text from the logs redacted. Keys are documented in
 * the README and stay stable.
 */
export function reportJson(report: Report, lang: Lang, series?: TimeSeriesResult): unknown {
  return {
    ...report,
    inputs: report.inputs.map((s) => ({
      ...s,
      error: s.error === undefined ? undefined : redactSecrets(s.error),
      examples: s.examples,
    })),
    byCause: report.byCause.map((c) => ({
      ...c,
      label: causeText(c.cause, lang).label,
      remedy: causeText(c.cause, lang).remedy,
      examples: c.examples.map(redactSecrets),
      // Paths are log text too: with --raw-paths a token in a path would otherwise reach the JSON.
      topPaths: c.topPaths.map((p) => ({ ...p, path: redactSecrets(p.path) })),
    })),
    tables: report.tables.map((t) => ({ ...t, rows: t.rows.map((r) => ({ ...r, values: r.values.map(redactSecrets) })) })),
    // Only with --by hour or --by day.
    ...(series ? { timeSeries: series } : {}),
  };
}
