import { redactSecrets } from './redact.js';

/**
 * Log text is attacker-controlled. For terminals, control characters (ESC
 * starting ANSI/OSC sequences, BEL, backspace, C1 controls, bidi overrides)
 * are shown as visible escapes, never emitted raw.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Redacted and safe for a terminal cell; long values are shortened. */
export function terminalText(s: string, max = 80): string {
  const clean = escapeControls(redactSecrets(s));
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
