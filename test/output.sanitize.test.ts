import { describe, expect, it } from 'vitest';
import { escapeControls, terminalText } from '../src/output/sanitize.js';

/** Cells for a terminal: controls visible, never raw; shortening never splits a character. */
describe('terminalText', () => {
  it('shows line and paragraph separators and bidi marks as escapes', () => {
    expect(escapeControls('a\u2028b\u2029c\u061cd\u202ee')).toBe('a\\u2028b\\u2029c\\u061cd\\u202ee');
    expect(escapeControls('\u001b]8;;http://x\u0007')).toBe('\\x1b]8;;http://x\\x07');
  });

  it('does not cut an emoji in half when shortening', () => {
    const s = `${'a'.repeat(8)}😀tail`;
    const out = terminalText(s, 10);
    expect(out).toBe(`${'a'.repeat(8)}…`);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(out)).toBe(false);
    expect(terminalText(`${'a'.repeat(7)}😀tail`, 10)).toBe(`${'a'.repeat(7)}😀…`);
  });

  it('keeps short and CJK text as it is', () => {
    expect(terminalText('テストBrowser/2.1', 80)).toBe('テストBrowser/2.1');
  });
});
