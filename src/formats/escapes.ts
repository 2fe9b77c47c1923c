/**
 * Undo the escaping web servers apply to logged values:
 * - nginx default escaping writes `"`, `\` and bytes outside printable ASCII as `\xHH`;
 * - nginx `escape=json` and Apache write `\"`, `\\`, `\n`, `\t`, and JSON `\uXXXX`.
 * Runs of `\xHH` are collected as bytes and decoded as UTF-8, so a logged
 * Japanese user agent comes back readable; invalid UTF-8 becomes U+FFFD.
 */
const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '/': '/', v: '\v' };

function hexValue(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

export function unescapeLogValue(s: string): string {
  let i = s.indexOf('\\');
  if (i < 0) return s;
  let out = s.slice(0, i);
  while (i < s.length) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      i++;
      continue;
    }
    const n = s[i + 1];
    if (n === 'x' || n === 'X') {
      const bytes: number[] = [];
      while (s[i] === '\\' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
        const v = hexValue(s, i + 2, 2);
        if (v < 0) break;
        bytes.push(v);
        i += 4;
      }
      if (bytes.length === 0) {
        out += '\\x';
        i += 2;
      } else {
        out += Buffer.from(bytes).toString('utf8');
      }
      continue;
    }
    if (n === 'u') {
      const v = hexValue(s, i + 2, 4);
      if (v >= 0) {
        out += String.fromCharCode(v);
        i += 6;
        continue;
      }
    }
    const simple = SIMPLE[n];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    out += '\\' + n;
    i += 2;
  }
  return out;
}
