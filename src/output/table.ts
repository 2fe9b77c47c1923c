import Table from 'cli-table3';
import type { DimensionName } from '../aggregate/dimensions.js';
import type { Report } from '../aggregate/report.js';
import { labels, type Lang, type LabelKey } from '../i18n/labels.js';
import { causeText } from '../classify/causes.js';
import { terminalText } from './sanitize.js';
import type { TimeSeriesResult } from '../aggregate/timeSeries.js';
import { bucketsPerCell, sparkline } from './sparkline.js';

/**
 * The terminal report: totals first, then inputs, skipped lines and one
 * table per --by group. Every cell from the log goes through terminalText.
 */
export interface TableOptions {
  lang: Lang;
  color: boolean;
  /** --by hour/day: a sparkline per cause. */
  series?: TimeSeriesResult;
}

const SERIES_TEXT = {
  en: { title: (u: string) => `Causes by ${u}`, trend: 'Trend', peak: 'Peak', per: (n: number, u: string) => `one character = ${n} ${u}${n > 1 ? 's' : ''}`, buckets: (n: number) => (n === 1 ? 'bucket' : 'buckets'), untimed: 'without a time' },
  ja: { title: (u: string) => `原因別の推移（${u === 'hour' ? '1時間' : '1日'}ごと）`, trend: '推移', peak: '最大', per: (n: number, u: string) => `1文字 = ${n}${u === 'hour' ? '時間' : '日'}`, buckets: () => '区間', untimed: '時刻なし' },
} as const;

const SPARK_WIDTH = 48;

function renderSeries(s: TimeSeriesResult, L: Record<LabelKey, string>, lang: Lang, color: boolean): string {
  const T = SERIES_TEXT[lang];
  const table = newTable([L.cause, T.trend, L.count, T.peak], color);
  for (const c of s.byCause) {
    let peak = 0;
    c.counts.forEach((n, i) => { if (n > c.counts[peak]) peak = i; });
    table.push([c.cause, sparkline(c.counts, SPARK_WIDTH), fmt(c.total), `${s.buckets[peak]} (${fmt(c.counts[peak])})`]);
  }
  const range = s.buckets.length > 0 ? `${s.buckets[0]} … ${s.buckets[s.buckets.length - 1]}, ${fmt(s.buckets.length)} ${T.buckets(s.buckets.length)}, ${T.per(bucketsPerCell(s.buckets.length, SPARK_WIDTH), s.unit)}` : '-';
  const untimed = s.untimed > 0 ? `; ${T.untimed}: ${fmt(s.untimed)}` : '';
  return `${T.title(s.unit)} (${range}${untimed})\n${table.toString()}`;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function newTable(head: string[], color: boolean): Table.Table {
  return new Table({ head, style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true } });
}

export function renderReport(report: Report, opts: TableOptions): string {
  const L = labels(opts.lang);
  const t = report.totals;
  const out: string[] = [];
  const totals = newTable([L.title, `--status ${t.status}`], opts.color);
  totals.push(
    [L.linesRead, fmt(t.linesRead)],
    [L.parsed, fmt(t.parsed)],
    [L.blank, fmt(t.blank)],
    [L.skipped, fmt(t.skipped)],
    [L.responses, fmt(t.responses)],
    [L.matched, `${fmt(t.matched)}${t.responses > 0 ? ` (${pct(t.matched / t.responses)})` : ''}`],
    [L.timeRange, t.firstTime ? `${t.firstTime} … ${t.lastTime}` : '-'],
    [L.inputs, fmt(t.inputs)],
  );
  out.push(totals.toString());

  const inputs = newTable([L.input, L.format, L.lines, L.parsed, L.skipped, L.note], opts.color);
  for (const s of report.inputs) {
    const notes = [s.gzip ? L.gzip : '', s.alsoFormats.length ? `${L.mixed}: ${s.alsoFormats.join(', ')}` : '', s.error ?? '']
      .filter(Boolean).join('; ');
    inputs.push([terminalText(s.name, 60), s.format ?? '-', fmt(s.lines), fmt(s.parsed), fmt(s.malformed + s.oversize), terminalText(notes, 70)]);
  }
  out.push(inputs.toString());

  const examples = report.inputs.flatMap((s) => s.examples);
  if (examples.length > 0) {
    const ex = newTable([L.skippedLines, L.reason], opts.color);
    for (const e of examples) ex.push([terminalText(e.source, 60), terminalText(e.reason, 70)]);
    out.push(ex.toString());
  }

  if (t.matched === 0) {
    out.push(L.none);
  } else {
    if (report.byCause.length > 0) {
      const table = newTable([L.cause, L.count, L.share, L.clients, L.topPaths, L.remedy], opts.color);
      for (const c of report.byCause) {
        const text = causeText(c.cause, opts.lang);
        table.push([
          `${c.cause}\n${text.label}`,
          fmt(c.count),
          pct(c.share),
          `${fmt(c.clients)}${c.clientsCapped ? '+' : ''}`,
          c.topPaths.map((p) => `${terminalText(p.path, 40)} (${fmt(p.count)})`).join('\n'),
          wrap(`${text.remedy}${c.examples[0] ? `\n${opts.lang === 'ja' ? '例' : 'e.g.'}: ${terminalText(c.examples[0], 120)}` : ''}`, 56),
        ]);
      }
      out.push(table.toString());
    }
    for (const g of report.tables) {
      const head = ['#', ...g.dimensions.map((d: DimensionName) => L[d as LabelKey] ?? d), L.count, L.share];
      const table = newTable(head, opts.color);
      g.rows.forEach((r, i) => table.push([String(i + 1), ...r.values.map((v) => terminalText(v)), fmt(r.count), pct(r.share)]));
      let caption = `${L.top} ${g.rows.length}: ${g.dimensions.map((d) => L[d as LabelKey] ?? d).join(' + ')}`;
      if (!g.exact) caption += ` (${L.approx} ${fmt(Math.max(0, ...g.rows.map((r) => r.error)))})`;
      out.push(`${caption}\n${table.toString()}`);
    }
    if (opts.series && opts.series.byCause.length > 0) out.push(renderSeries(opts.series, L, opts.lang, opts.color));
  }
  return out.join('\n') + '\n';
}

/** Display width: CJK and full-width characters take two columns. */
function charWidth(ch: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
}

/** Wrap text for a table cell by display width; breaks at spaces, or anywhere in CJK text. */
function wrap(text: string, width: number): string {
  return text.split('\n').map((para) => {
    const lines: string[] = [];
    let line = '';
    let w = 0;
    const tokens = para.match(/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+|\s+/g) ?? [];
    for (const tok of tokens) {
      const tw = [...tok].reduce((n, ch) => n + charWidth(ch), 0);
      if (w + tw > width && line.trim() !== '') {
        lines.push(line.trimEnd());
        line = /^\s+$/.test(tok) ? '' : tok;
        w = line === '' ? 0 : tw;
      } else {
        line += tok;
        w += tw;
      }
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    return lines.join('\n');
  }).join('\n');
}
