import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/aggregate/finding.js';
import type { Report } from '../src/aggregate/report.js';
import { CAUSE_IDS } from '../src/classify/causes.js';
import { eventsCsvHeader, eventsCsvRows, groupsCsv, neutraliseFormula } from '../src/output/csv.js';
import { EVENT_COLUMNS, eventRow, type EventRow } from '../src/output/eventRow.js';
import { renderEventsTable } from '../src/output/eventsTable.js';
import { reportJson } from '../src/output/json.js';
import { redactSecrets } from '../src/output/redact.js';
import { terminalText } from '../src/output/sanitize.js';
import { renderReport } from '../src/output/table.js';
import type { LogRecord } from '../src/record.js';
import { runCli } from './support/cli.js';
import { reqArb, writeNginx, type Req } from './support/serverLines.js';

/**
 * Log text is attacker-controlled. Whatever it holds (terminal escape
 * sequences, line breaks, NUL, bidi overrides, lone surrogates, spreadsheet
 * formulas, megabytes of one character, "__proto__"), every writer keeps its
 * shape: CSV stays RFC 4180 with formulas neutralised, tables carry no raw
 * control character, and every JSON line parses back to the same text.
 */
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);

// ---------------------------------------------------------------- hostile text

const hostileUnit = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u001b[31m', '\u001b[2J', '\u001b[1;1H', '\u001b]8;;https://evil.example/\u0007', '\u001b]0;title\u001b\\', '\u009b31m', '\u009d0;t\u009c',
      '\u0007', '\b', '\r', '\n', '\r\n', '\u0000', '\t', '\u000b', '\f', '\u007f', '\u0085', '\u202e', '\u202a', '\u202d', '\u2066', '\u2069',
      '\u2028', '\u2029', '\u061c', '\u200f', '\ud800', '\udc00', '\udbff', '😀', '日本語', '"', "'", '""', ',', ';', ' ', '|', '\\',
      '=', '+', '-', '@', '=HYPERLINK("http://x","y")', '=cmd|\' /C calc\'!A0', '__proto__', 'constructor', '{"__proto__":{"x":1}}', '%s', '\ufeff',
      // Secrets, which every writer redacts.
      'Bearer abcdefghijklmnop1234', '/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', '?access_token=s3cr3t', 'password=hunter2', 'https://bob:pa55word@example.com/',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
);
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];
const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: hostileUnit, maxLength: 10 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FORMULA_STARTS), fc.string({ unit: hostileUnit, maxLength: 5 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: hostileUnit, minLength: 1, maxLength: 3 }), fc.integer({ min: 500, max: 4000 })).map(([s, n]) => s.repeat(n).slice(0, 12000)) },
);

/** Raw controls a writer must never emit for a terminal: C0 but newline, DEL, C1, bidi embeddings, overrides and isolates, line separators. */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function unsafeAt(out: string): string | undefined {
  const m = TERMINAL_UNSAFE.exec(out);
  return m ? `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(out.slice(Math.max(0, m.index - 40), m.index + 40))}` : undefined;
}

// ---------------------------------------------------------------- RFC 4180

/**
 * A strict RFC 4180 reader: records end with CRLF; a field is either quoted
 * ("" for a quote, anything else inside) or holds no quote, CR or LF at all.
 */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not RFC 4180 at ${i} (${why}): ${JSON.stringify(text.slice(Math.max(0, i - 30), i + 30))}`);
  };
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('quote in an unquoted field');
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === delimiter) { i++; continue; }
    if (text.startsWith('\r\n', i)) { i += 2; rows.push(row); row = []; continue; }
    fail(i >= text.length ? 'no CRLF after the last record' : 'bare CR or LF');
  }
  if (row.length > 0) fail('unfinished record');
  return rows;
}

/** The cell csv-stringify's escape_formulas would write, logscan's "-" (no value) excepted. */
function formulaSafe(v: string): string {
  return v !== '-' && FORMULA_STARTS.some((c) => v.startsWith(c)) ? `'${v}` : v;
}

// ---------------------------------------------------------------- records, rows, reports

const textOrNull = fc.option(hostile, { nil: null, freq: 4 });
const numOrNull = fc.option(fc.oneof(fc.integer({ min: -1000, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })), { nil: null, freq: 4 });

const eventRowArb: fc.Arbitrary<EventRow> = fc.record({
  time: textOrNull, ip: textOrNull, user: textOrNull, method: textOrNull, path: textOrNull, status: numOrNull, bytes: numOrNull,
  referer: textOrNull, userAgent: textOrNull, requestId: textOrNull, requestTime: numOrNull, upstreamStatus: textOrNull,
  upstreamAddr: textOrNull, cacheStatus: textOrNull, host: textOrNull, source: hostile, cause: hostile,
  confidence: fc.double({ min: 0, max: 1, noNaN: true }), evidence: fc.array(hostile, { maxLength: 3 }), correlated: fc.array(hostile, { maxLength: 3 }),
});

const recordArb: fc.Arbitrary<LogRecord> = fc.record({
  kind: fc.constant('access' as const),
  input: hostile,
  line: fc.integer({ min: 1, max: 1e7 }),
  time: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) })),
  ip: fc.option(hostile, { nil: undefined }),
  user: fc.option(hostile, { nil: undefined }),
  method: fc.option(hostile, { nil: undefined }),
  path: fc.option(hostile, { nil: undefined }),
  status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
  referer: fc.option(hostile, { nil: undefined }),
  userAgent: fc.option(hostile, { nil: undefined }),
  requestId: fc.option(hostile, { nil: undefined }),
  host: fc.option(hostile, { nil: undefined }),
}, { requiredKeys: ['kind', 'input', 'line', 'time'] });

const findingArb: fc.Arbitrary<Finding> = fc.record({
  record: recordArb,
  cause: fc.oneof(fc.constantFrom(...CAUSE_IDS), hostile),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  evidence: fc.array(hostile, { maxLength: 3 }),
  correlated: fc.array(hostile, { maxLength: 2 }),
});

const reportArb: fc.Arbitrary<Report> = fc.record({
  names: fc.array(hostile, { minLength: 1, maxLength: 3 }),
  errors: fc.array(fc.option(hostile, { nil: undefined }), { minLength: 3, maxLength: 3 }),
  examples: fc.array(fc.record({ source: hostile, reason: hostile }), { maxLength: 3 }),
  alsoFormats: fc.array(hostile, { maxLength: 2 }),
  causes: fc.uniqueArray(fc.constantFrom(...CAUSE_IDS), { minLength: 1, maxLength: 4 }),
  paths: fc.array(hostile, { minLength: 1, maxLength: 3 }),
  causeExamples: fc.array(hostile, { maxLength: 1 }),
  tableName: hostile,
  values: fc.array(fc.array(hostile, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
  exact: fc.boolean(),
}).map((g): Report => ({
  version: 1,
  totals: {
    linesRead: 10, parsed: 9, blank: 0, skipped: 1, responses: 9, matched: 5, firstTime: '2026-03-12T10:00:00.000Z', lastTime: '2026-03-12T11:00:00.000Z',
    inputs: g.names.length, status: '401', since: null, until: null,
  },
  inputs: g.names.map((name, i) => ({
    name, format: 'combined', alsoFormats: g.alsoFormats, gzip: i === 1, lines: 10, parsed: 9, blank: 0, malformed: 1, oversize: 0, bytes: 1000,
    examples: i === 0 ? g.examples : [], error: g.errors[i],
  })),
  byCause: g.causes.map((cause, i) => ({
    cause, count: 5 - i, share: (5 - i) / 5, clients: 2, clientsCapped: i === 0,
    topPaths: g.paths.map((p, k) => ({ path: p, count: 3 - k })), examples: i === 0 ? g.causeExamples : [],
  })),
  tables: [{
    name: g.tableName, dimensions: ['path', 'ua'], distinct: g.values.length, exact: g.exact,
    rows: g.values.map((values, i) => ({ values, count: 4 - i, share: (4 - i) / 5, error: g.exact ? 0 : i })),
  }],
  errors: [],
}));

// ---------------------------------------------------------------- CSV

describe('CSV writer', () => {
  it('events: RFC 4180 with one cell per column, every value back, formulas neutralised', () => {
    fc.assert(fc.property(fc.array(eventRowArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(',', ';', '\t'), fc.boolean(), (rows, delimiter, bom) => {
      const head = eventsCsvHeader({ delimiter, bom });
      expect(head.startsWith('\ufeff')).toBe(bom);
      const text = head.replace(/^\ufeff/, '') + eventsCsvRows(rows, { delimiter, bom });
      const parsed = parseCsv(text, delimiter);
      expect(parsed.length).toBe(rows.length + 1);
      expect(parsed[0]).toEqual([...EVENT_COLUMNS]);
      rows.forEach((r, k) => {
        const cells = parsed[k + 1];
        expect(cells.length).toBe(EVENT_COLUMNS.length);
        EVENT_COLUMNS.forEach((c, j) => {
          const v = r[c];
          const want = v === null ? '' : typeof v === 'number' ? String(v) : formulaSafe(Array.isArray(v) ? v.join('; ') : v);
          expect(cells[j], c).toBe(want);
          if (typeof v === 'string' && v !== '-' && FORMULA_STARTS.includes(v[0])) expect(cells[j].startsWith("'")).toBe(true);
        });
      });
    }), { numRuns: 100 * SCALE });
  });

  it('groups: RFC 4180, five cells a row, redacted values, formulas neutralised', () => {
    fc.assert(fc.property(reportArb, fc.constantFrom(',', ';', '\t'), (report, delimiter) => {
      const parsed = parseCsv(groupsCsv(report, { delimiter, bom: false }), delimiter);
      expect(parsed[0]).toEqual(['dimension', 'value', 'count', 'share', 'errorBound']);
      const body = parsed.slice(1);
      const t = report.tables[0];
      expect(body.length).toBe(report.byCause.length + t.rows.length);
      for (const cells of body) expect(cells.length).toBe(5);
      report.byCause.forEach((c, i) => expect(body[i].slice(0, 3)).toEqual(['cause', c.cause, String(c.count)]));
      t.rows.forEach((r, i) => {
        const cells = body[report.byCause.length + i];
        expect(cells[0]).toBe(formulaSafe(t.name));
        expect(cells[1]).toBe(formulaSafe(r.values.map(redactSecrets).join(' | ')));
        expect(cells[2]).toBe(String(r.count));
      });
    }), { numRuns: 100 * SCALE });
  });
});

// ---------------------------------------------------------------- tables

describe('table writers', () => {
  it('the report shows no raw control character, and shows hostile text escaped', () => {
    fc.assert(fc.property(reportArb, fc.constantFrom('en', 'ja') as fc.Arbitrary<'en' | 'ja'>, (report, lang) => {
      const out = renderReport(report, { lang, color: false });
      expect(unsafeAt(out)).toBeUndefined();
      // Each cell is there, shortened and escaped, not mangled by the layout.
      for (const input of report.inputs) expect(out).toContain(terminalText(input.name, 60));
      if (report.inputs[0].name.startsWith('\u001b')) expect(out).toContain('\\x1b');
    }), { numRuns: 40 * SCALE });
  });

  it('the events table shows no raw control character', () => {
    fc.assert(fc.property(fc.array(eventRowArb, { maxLength: 4 }), (rows) => {
      const out = renderEventsTable(rows, { lang: 'en', color: false });
      expect(unsafeAt(out)).toBeUndefined();
      for (const r of rows) if (typeof r.path === 'string') expect(out).toContain(terminalText(r.path, 60));
    }), { numRuns: 60 * SCALE });
  });
});

// ---------------------------------------------------------------- JSON

describe('JSON and NDJSON writers', () => {
  it('events: every NDJSON line parses and gives each (redacted) text back exactly', () => {
    fc.assert(fc.property(fc.array(findingArb, { minLength: 1, maxLength: 4 }), (findings) => {
      // As `--events -o ndjson` writes them.
      const out = findings.map((f) => `${JSON.stringify(eventRow(f))}\n`).join('');
      const lines = out.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.length).toBe(findings.length);
      lines.forEach((line, i) => {
        const row = JSON.parse(line) as Record<string, unknown>;
        const r = findings[i].record;
        expect(Object.keys(row)).toEqual([...EVENT_COLUMNS]);
        const text = (v: string | undefined) => (v === undefined ? null : redactSecrets(v));
        expect(row.path).toBe(text(r.path));
        expect(row.userAgent).toBe(text(r.userAgent));
        expect(row.user).toBe(text(r.user));
        expect(row.referer).toBe(text(r.referer));
        expect(row.requestId).toBe(text(r.requestId));
        expect(row.ip).toBe(r.ip ?? null);
        expect(row.source).toBe(`${r.input}:${r.line}`);
        expect(row.cause).toBe(findings[i].cause);
        expect(row.evidence).toEqual(findings[i].evidence.map(redactSecrets));
        expect(row.correlated).toEqual(findings[i].correlated);
        expect(row.time).toBe(Number.isNaN(r.time) ? null : new Date(r.time).toISOString());
      });
    }), { numRuns: 150 * SCALE });
  });

  it('report: pretty and compact JSON parse back, log text redacted and otherwise unchanged', () => {
    fc.assert(fc.property(reportArb, fc.constantFrom('en', 'ja') as fc.Arbitrary<'en' | 'ja'>, (report, lang) => {
      for (const indent of [2, undefined]) {
        const text = `${JSON.stringify(reportJson(report, lang), null, indent)}\n`;
        if (indent === undefined) expect(text.indexOf('\n')).toBe(text.length - 1);
        const back = JSON.parse(text) as {
          inputs: { name: string; error?: string; examples: { source: string; reason: string }[]; alsoFormats: string[] }[];
          byCause: { cause: string; label: string; examples: string[]; topPaths: { path: string; count: number }[] }[];
          tables: { name: string; rows: { values: string[] }[] }[];
        };
        report.inputs.forEach((s, i) => {
          expect(back.inputs[i].name).toBe(s.name);
          expect(back.inputs[i].error).toBe(s.error === undefined ? undefined : redactSecrets(s.error));
          expect(back.inputs[i].examples).toEqual(s.examples);
          expect(back.inputs[i].alsoFormats).toEqual(s.alsoFormats);
        });
        report.byCause.forEach((c, i) => {
          expect(back.byCause[i].cause).toBe(c.cause);
          expect(back.byCause[i].examples).toEqual(c.examples.map(redactSecrets));
          expect(back.byCause[i].topPaths).toEqual(c.topPaths.map((p) => ({ path: redactSecrets(p.path), count: p.count })));
        });
        expect(back.tables[0].name).toBe(report.tables[0].name);
        expect(back.tables[0].rows.map((r) => r.values)).toEqual(report.tables[0].rows.map((r) => r.values.map(redactSecrets)));
      }
    }), { numRuns: 60 * SCALE });
  });
});

// ---------------------------------------------------------------- redaction time

describe('redaction, which every writer applies, takes linear time', () => {
  it('on a short pattern repeated to a whole 64 KiB line', () => {
    const unit = fc.constantFrom('a', 'Z', '9', '.', '-', '_', '+', ':', '/', '//', '@', '=', '"', ' ', 'eyJ', 'eyJh', 'xoxb-', 'Bearer ', 'token ', 'password', 'https://', 'sk_live_', 'ghp_', 'AKIA');
    const pattern = fc.string({ unit, minLength: 1, maxLength: 6 });
    fc.assert(fc.property(pattern, (p) => {
      // The ":" at the end opens the quick check every rule sits behind.
      const text = `${p.repeat(Math.ceil(65536 / p.length)).slice(0, 65535)}:`;
      const t0 = performance.now();
      const out = redactSecrets(text);
      const ms = performance.now() - t0;
      expect(typeof out).toBe('string');
      expect(ms, `${ms.toFixed(0)} ms on ${JSON.stringify(p)} repeated`).toBeLessThan(1000);
    }), {
      numRuns: 30 * SCALE,
      // Shapes that once took seconds: a run of scheme characters before ":", and "eyJ" after every "-".
      examples: [['a.'], ['eyJ-'], ['xoxb-'], ['eyJh-a.']],
    });
  });
});

// ---------------------------------------------------------------- end to end

describe('logscan analyze on a log full of hostile requests', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logscan-writers-'));
  /** Hostile text as nginx logs it (escaped) and as it comes back: lone surrogates cannot be UTF-8 and arrive as U+FFFD. */
  const viaUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
  const noSpace = (s: string) => s.replace(/[ ?#]/g, '_');
  const hostileReq = fc.tuple(reqArb, hostile, hostile, hostile, hostile).map(([r, ua, p, user, ref]): Req => ({
    ...r,
    status: 401,
    userAgent: ua.slice(0, 2000),
    path: `/${noSpace(p.slice(0, 500))}`,
    query: undefined,
    user: user === '' ? undefined : noSpace(user.slice(0, 100)),
    referer: ref.slice(0, 500),
  }));
  const NGINX_COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
  const orNull = (v: string | undefined) => (v === undefined || v === '' || v === '-' ? null : redactSecrets(viaUtf8(v)));

  it('writes NDJSON, CSV and tables that keep their shape', () => {
    let run = 0;
    fc.assert(fc.property(fc.array(hostileReq, { minLength: 5, maxLength: 20 }), (reqs) => {
      const file = path.join(dir, `hostile${run++}.log`);
      writeFileSync(file, reqs.map((r) => `${writeNginx(NGINX_COMBINED, r, 'default')}\n`).join(''));
      const base = ['analyze', file, '--tz', 'UTC', '--status', '401', '--log-format', 'combined'];

      const nd = runCli([...base, '--events', '-o', 'ndjson']);
      expect(nd.code, nd.stderr).toBe(0);
      const lines = nd.stdout.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.length).toBe(reqs.length);
      for (const line of lines) {
        const row = JSON.parse(line) as Record<string, string | null>;
        const r = reqs[Number(String(row.source).slice(file.length + 1)) - 1];
        expect(row.userAgent).toBe(orNull(r.userAgent));
        expect(row.path).toBe(redactSecrets(viaUtf8(r.path)));
        expect(row.user).toBe(orNull(r.user));
        expect(row.referer).toBe(orNull(r.referer));
      }

      const csv = runCli([...base, '--events', '-o', 'csv']);
      expect(csv.code, csv.stderr).toBe(0);
      const rows = parseCsv(csv.stdout, ',');
      expect(rows.length).toBe(reqs.length + 1);
      const ua = EVENT_COLUMNS.indexOf('userAgent');
      const src = EVENT_COLUMNS.indexOf('source');
      for (const cells of rows.slice(1)) {
        expect(cells.length).toBe(EVENT_COLUMNS.length);
        const r = reqs[Number(cells[src].slice(file.length + 1)) - 1];
        expect(cells[ua]).toBe(neutraliseFormula(orNull(r.userAgent) ?? ''));
      }

      const table = runCli([...base, '--by', 'path,ua,user,referer']);
      expect(table.code, table.stderr).toBe(0);
      expect(unsafeAt(table.stdout)).toBeUndefined();
    }), { numRuns: SCALE, endOnFailure: true }); // One log a run, no shrinking: each runs the CLI three times.
  });
});
