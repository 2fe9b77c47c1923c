/**
 * The key a client is stored under: a dotted-quad IPv4 address in its canonical form (no leading
 * zeros) as its 32-bit value, anything else as the string. The mapping is one-to-one, so the maps
 * behave exactly as if keyed by the string, but number keys are found without hashing or
 * comparing strings (a large Map keyed by fresh strings costs several cache misses a lookup).
 */
export type ClientKey = number | string;

export function clientKey(ip: string): ClientKey {
  const v = ipv4Key(ip, 0, ip.length);
  return Number.isNaN(v) ? ip : v;
}

/** The number clientKey gives text[start, end) when that is a canonical dotted quad; NaN otherwise. */
export function ipv4Key(text: string, start: number, end: number): number {
  const n = end - start;
  if (n < 7 || n > 15) return NaN;
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 46) {
      if (digits === 0 || dots === 3) return NaN;
      v = (v << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      // "0" alone is an octet; "01" is not canonical.
      if (digits > 0 && octet === 0) return NaN;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return NaN;
      digits++;
    } else {
      return NaN;
    }
  }
  if (dots !== 3 || digits === 0) return NaN;
  return (v << 8) | octet;
}
