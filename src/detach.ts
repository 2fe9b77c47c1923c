/**
 * A copy of s that shares no memory with the string it came from. V8 cuts a string of 13 or more
 * characters as a slice of its parent, and joins strings as ropes of their parts: a value cut from
 * a log line and kept (a key, a remembered text) would keep the whole line alive, up to
 * --max-line-bytes. Shorter strings are copies already.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
