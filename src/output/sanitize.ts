import { redactSecrets } from './redact.js';

/**
 * Log text is attacker-controlled. For terminals, control characters (ESC
 * starting ANSI/OSC sequences, BEL, backspace, C1 controls, bidi overrides)
 * are shown as visible escapes, never emitted raw.
 */
// eslint-disable-next-line no-control-regex
// Also U+2028/U+2029, which some terminals and viewers treat as line breaks, and U+061C (a bidi mark).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Redacted and safe for a terminal cell; long values are shortened. */
export function terminalText(s: string, max = 80): string {
  const clean = escapeControls(redactSecrets(s));
  if (clean.length <= max) return clean;
  // Never cut between the two halves of a surrogate pair (emoji, rare CJK).
  let cut = max - 1;
  const c = clean.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${clean.slice(0, cut)}…`;
}
