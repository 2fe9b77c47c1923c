import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/output/redact.js';
import { escapeControls } from '../src/output/sanitize.js';

const SECRETS: [string, string][] = [
  ['Authorization: Bearer abc123def456ghi789', 'abc123def456ghi789'],
  ['authorization=Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
  ['/cb?code=AUTHCODE42&state=x', 'AUTHCODE42'],
  ['/api?access_token=tok_9f8e7d6c5b4a', 'tok_9f8e7d6c5b4a'],
  ['/x?api_key=KEY12345&y=1', 'KEY12345'],
  ['/login?user=a&password=hunter2', 'hunter2'],
  ['{"password":"s3cr3t!"}', 's3cr3t!'],
  ['Cookie: session=abcdef0123456789', 'abcdef0123456789'],
  ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
  ['https://bob:pa55word@example.com/', 'pa55word'],
  ['key AKIAABCDEFGHIJKLMNOP used', 'AKIAABCDEFGHIJKLMNOP'],
  ['/s3?X-Amz-Signature=deadbeefcafe', 'deadbeefcafe'],
];

describe('redactSecrets', () => {
  it.each(SECRETS)('hides the secret in %s', (text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/\[REDACTED\]|\[JWT\]/);
  });

  it('finds a key written after its name in prose, with no = or :', () => {
    expect(redactSecrets('invalid api key SECRETAPIKEY7 rejected')).toBe('invalid api key [REDACTED] rejected');
    expect(redactSecrets('refresh token 8f7e6d5c4b3a2918 expired')).toBe('refresh token [REDACTED] expired');
  });

  it('ends a header value at the separator between joined messages', () => {
    expect(redactSecrets('Authorization: Bearer abc123def456ghi | next message here')).toBe('Authorization: [REDACTED] | next message here');
  });

  it('hides a secret every time its text comes back, also after thousands of other texts', () => {
    const first = SECRETS.map(([text]) => redactSecrets(text));
    for (let round = 0; round < 3; round++) {
      SECRETS.forEach(([text, secret], i) => {
        const out = redactSecrets(text);
        expect(out).toBe(first[i]);
        expect(out).not.toContain(secret);
      });
      // Each of these holds its own secret; none may come back as another one's redaction.
      for (let k = 0; k < 3000; k++) {
        const secret = `S${round}x${k}q${'9'.repeat(k % 7)}`;
        expect(redactSecrets(`/cb?code=${secret}&state=${k}`)).toBe(`/cb?code=[REDACTED]&state=${k}`);
      }
    }
  });

  it('remembers copies: texts cut from long lines do not keep the lines alive', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1500; i++) {
      // A 64 KB line (flat, as a line read from a file is) and a short field cut out of it.
      const line = `${'x'.repeat(65536)} token=${i}abcdefgh${i} tail`.split('').join('');
      const field = line.slice(65537, line.length - 5);
      expect(redactSecrets(field)).toBe('token=[REDACTED]');
    }
    gc();
    // 1500 lines are ~98 MB (one byte a character); remembered copies of the fields are ~100 KB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 1024 * 1024);
  });

  it('keeps ordinary text readable', () => {
    for (const s of ['"POST /api/v2/token HTTP/1.1"', 'GET /oauth/token HTTP/2.0 401', 'GET /api/users/123 HTTP/1.1', 'Mozilla/5.0 (X11; Linux x86_64)', 'HTTP Basic authentication failed', 'user "bob": password mismatch']) {
      expect(redactSecrets(s)).toBe(s);
    }
  });
});

describe('escapeControls', () => {
  it('shows ANSI, OSC and other control characters escaped', () => {
    const hostile = 'ua\u001b[31mred\u001b]0;title\u0007\r\u009b\u202e';
    const out = escapeControls(hostile);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('\\x1b[31m');
    expect(out).toContain('\\u202e');
  });
});
