import type { Finding } from '../aggregate/finding.js';
import { causeText } from '../classify/causes.js';
import type { Lang } from '../i18n/labels.js';
import { sourceOf, type LogRecord } from '../record.js';
import { eventRow } from './eventRow.js';
import { redactSecrets } from './redact.js';
import { escapeControls } from './sanitize.js';

/**
 * `logscan explain`: one request's or one client's lines in time order, then
 * each matching response with its cause and evidence chain. Every value from
 * the logs is redacted and has its control characters escaped.
 */
export interface ExplainResult {
  query: { kind: 'requestId' | 'ip'; value: string };
  timeline: LogRecord[];
  /** Matching responses (of --status) that belong to the request or client, in time order. */
  findings: Finding[];
  /** Timeline lines not shown because of --limit. */
  omitted: number;
  /** Inputs that hold at least one of the lines (shown or not). */
  inputs: number;
}

const TEXT = {
  en: {
    requestId: 'Request id', ip: 'Client', lines: (n: number) => `line${n === 1 ? '' : 's'}`, inputs: (n: number) => `input${n === 1 ? '' : 's'}`, responses: (n: number) => `matching response${n === 1 ? '' : 's'}`, timeline: 'Timeline (UTC)',
    more: (n: number) => `… ${n} more lines (raise --limit)`, cause: 'cause', confidence: 'confidence', evidence: 'evidence', joined: 'joined lines',
    todo: 'what to do', noEvidence: '(none: no line names a cause)', noResponses: 'No matching response (see --status) among these lines.',
  },
  ja: {
    requestId: 'リクエスト ID', ip: 'クライアント', lines: () => '行', inputs: () => '入力', responses: () => '該当レスポンス', timeline: 'タイムライン (UTC)',
    more: (n: number) => `… ほか ${n} 行（--limit で増やせます）`, cause: '原因', confidence: '確度', evidence: '根拠', joined: '結び付いた行',
    todo: '対処', noEvidence: '（なし: 原因を示す行がありません）', noResponses: 'これらの行に該当レスポンス（--status）はありません。',
  },
} as const;

const clean = (s: string, max = 200) => {
  const t = escapeControls(redactSecrets(s));
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

const iso = (t: number) => (Number.isNaN(t) ? '(no time)'.padEnd(24) : new Date(t).toISOString());

/**
 * One line of the timeline: what happened, without the query string. Each
 * part is redacted on its own, so a redaction that runs to the end of a
 * message ("Authorization: ...") cannot swallow the parts after it.
 */
export function summarise(r: LogRecord): string {
  if (r.kind === 'access' || r.status !== undefined) {
    const parts = [r.ip, r.user !== undefined ? `user=${r.user}` : undefined, r.method, r.path, r.status, r.upstreamStatus !== undefined ? `upstream=${r.upstreamStatus}` : undefined,
      r.cacheStatus !== undefined ? `cache=${r.cacheStatus}` : undefined, r.requestId !== undefined ? `id=${r.requestId}` : undefined];
    const head = parts.filter((p) => p !== undefined).map((p) => clean(String(p), 120)).join(' ');
    return r.message !== undefined ? `${head} "${clean(r.message)}"` : head;
  }
  const level = r.level !== undefined ? `[${clean(r.level, 20)}] ` : '';
  const who = [r.ip, r.requestId !== undefined ? `id=${r.requestId}` : undefined].filter((p) => p !== undefined).map((p) => clean(String(p), 120)).join(' ');
  return `${level}${clean(r.message ?? '')}${who ? ` (${who})` : ''}`;
}

export function renderExplain(res: ExplainResult, lang: Lang): string {
  const T = TEXT[lang];
  const out: string[] = [];
  out.push(`${T[res.query.kind]} ${clean(res.query.value)}: ${res.timeline.length + res.omitted} ${T.lines(res.timeline.length + res.omitted)}, ${res.inputs} ${T.inputs(res.inputs)}, ${res.findings.length} ${T.responses(res.findings.length)}`);
  out.push('', T.timeline);
  const causeAt = new Map(res.findings.map((f) => [sourceOf(f.record), f.cause]));
  const width = Math.min(40, Math.max(0, ...res.timeline.map((r) => sourceOf(r).length)));
  for (const r of res.timeline) {
    const src = sourceOf(r);
    const cause = causeAt.get(src);
    out.push(`  ${iso(r.time)}  ${clean(src).padEnd(width)}  ${r.kind.padEnd(6)}  ${summarise(r)}${cause !== undefined ? `  <- ${cause}` : ''}`);
  }
  if (res.omitted > 0) out.push(`  ${T.more(res.omitted)}`);
  out.push('');
  if (res.findings.length === 0) out.push(T.noResponses);
  for (const f of res.findings) {
    const r = f.record;
    const text = causeText(f.cause, lang);
    out.push(`${clean(sourceOf(r))}  ${iso(r.time)}  ${clean([r.method, r.path, r.status].filter((x) => x !== undefined).join(' '))}`);
    out.push(`  ${T.cause}: ${f.cause} (${text.label}), ${T.confidence} ${Math.round(f.confidence * 100) / 100}`);
    out.push(`  ${T.evidence}:${f.evidence.length === 0 ? ` ${T.noEvidence}` : ''}`);
    f.evidence.forEach((e, i) => out.push(`    ${i + 1}. ${clean(e, 300)}`));
    if (f.correlated.length > 0) out.push(`  ${T.joined}: ${f.correlated.map((c) => clean(c)).join(', ')}`);
    if (text.remedy) out.push(`  ${T.todo}: ${text.remedy}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function explainJson(res: ExplainResult, lang: Lang): unknown {
  return {
    query: res.query,
    timeline: res.timeline.map((r) => ({
      time: Number.isNaN(r.time) ? null : new Date(r.time).toISOString(),
      source: sourceOf(r),
      kind: r.kind,
      text: summarise(r),
    })),
    omitted: res.omitted,
    responses: res.findings.map((f) => ({ ...eventRow(f), label: causeText(f.cause, lang).label, remedy: causeText(f.cause, lang).remedy })),
  };
}
