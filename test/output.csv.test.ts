import { describe, expect, it } from 'vitest';
import { eventsCsvHeader, eventsCsvRows, neutraliseFormula } from '../src/output/csv.js';
import { EVENT_COLUMNS, type EventRow } from '../src/output/eventRow.js';
import { redactSecrets } from '../src/output/redact.js';

/**
 * CSV cells are safe to open in a spreadsheet and still say what the log
 * said; redaction hides credentials without eating the WWW-Authenticate
 * challenge that explains a 401.
 */
/** Minimal RFC 4180 reader for one record: quoted cells, "" for a quote. */
function parseRecord(text: string, delimiter = ','): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') { cell += '"'; i += 2; } else if (text[i] === '"') { i++; break; } else { cell += text[i++]; }
      }
    } else {
      while (i < text.length && text[i] !== delimiter && text[i] !== '\r') cell += text[i++];
    }
    cells.push(cell);
    if (text[i] !== delimiter) return cells;
    i++;
  }
}

const row = (over: Partial<EventRow>): EventRow =>
  Object.fromEntries(EVENT_COLUMNS.map((c) => [c, over[c] ?? null])) as EventRow;

describe('CSV formula neutralisation', () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['-', '-'],
    ['/api/v1/-', '/api/v1/-'],
    ['ブラウザ/3.0', 'ブラウザ/3.0'],
  ])('%j -> %j', (input, want) => {
    expect(neutraliseFormula(input)).toBe(want);
  });

  it('writes "-" (no value) plainly and numbers as numbers, with CRLF records', () => {
    const out = eventsCsvRows([row({ ip: '-', path: '=cmd|calc', status: 401, userAgent: 'a, "b"', requestTime: -1 })], { delimiter: ',', bom: false });
    expect(out.endsWith('\r\n')).toBe(true);
    const cells = parseRecord(out);
    const get = (c: (typeof EVENT_COLUMNS)[number]) => cells[EVENT_COLUMNS.indexOf(c)];
    expect(get('ip')).toBe('-');
    expect(get('path')).toBe(`'=cmd|calc`);
    expect(get('status')).toBe('401');
    expect(get('userAgent')).toBe('a, "b"');
    expect(get('requestTime')).toBe('-1');
  });

  it('honours the delimiter and the byte order mark', () => {
    const head = eventsCsvHeader({ delimiter: '\t', bom: true });
    expect(head.startsWith('\ufefftime\tip\t')).toBe(true);
  });
});

describe('redaction keeps auth challenges readable', () => {
  it('does not take realm="..." or error="..." after Bearer for a credential', () => {
    const challenge = 'Bearer realm="api", error="invalid_token", error_description="The access token expired"';
    expect(redactSecrets(challenge)).toBe(challenge);
    expect(redactSecrets('Basic realm="Restricted"')).toBe('Basic realm="Restricted"');
    expect(redactSecrets('Digest realm="dav", nonce="abc", qop="auth"')).toBe('Digest realm="dav", nonce="abc", qop="auth"');
  });

  it('still hides real credentials after a scheme, padding included', () => {
    expect(redactSecrets('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic [REDACTED]');
    expect(redactSecrets('got Bearer abc.def-ghi_123, retrying')).toBe('got Bearer [REDACTED], retrying');
    expect(redactSecrets('Bearer 0123456789abcdefXYZ')).toBe('Bearer [REDACTED]');
  });
});
