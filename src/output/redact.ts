import { detach } from '../detach.js';

/**
 * Secrets never leave logscan: every text that reaches an output passes
 * through redactSecrets. Rules are data; each keeps the name (so a reader
 * sees *what* was there) and replaces the value.
 */
export const REDACTED = '[REDACTED]';

const SECRET_PARAM_NAMES = [
  'access_token', 'id_token', 'refresh_token', 'token', 'auth_token', 'api_key', 'apikey', 'api-key', 'key', 'sig',
  'signature', 'x-amz-signature', 'password', 'passwd', 'pwd', 'pass', 'secret', 'client_secret', 'code', 'session',
  'sessionid', 'session_id', 'sid', 'jsessionid', 'phpsessid', 'auth', 'authorization', 'credentials', 'private_token',
  'assertion', 'otp', 'ticket',
];

type Rule = { pattern: RegExp; replace: string } | ((text: string) => string);

const RULES: readonly Rule[] = [
  // Header lines copied into messages.
  // (up to the end of the value: a quote, comma, brace, line end, or the " | " between joined messages)
  { pattern: /\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|api-key)(["']?\s*[:=]\s*["']?)(?:(?! \| )[^"'\n,}])+/gi, replace: `$1$2${REDACTED}` },
  // Credentials after an auth scheme.
  // (A credential is long or holds digits/symbols, so prose such as "Basic authentication" stays readable.
  // It is a token68: "=" only as trailing padding, so a challenge's realm="api", error="..." is not one.)
  { pattern: /\b(Bearer|Basic|Digest|Token|Negotiate|NTLM|ApiKey)\s+(?:[A-Za-z0-9._~+/-]{16,}=*|(?=[A-Za-z0-9._~+/-]*[0-9._~+/-])[A-Za-z0-9._~+/-]{4,}=*)(?![A-Za-z0-9._~+/="-])/g, replace: `$1 ${REDACTED}` },
  // JSON Web Tokens anywhere.
  redactJwts,
  // name=value in query strings, forms and key=value logs.
  { pattern: new RegExp(`(^|[?&;\\s,"'{(])(${SECRET_PARAM_NAMES.join('|')})(=)[^&\\s;,"'})]*`, 'gi'), replace: `$1$2$3${REDACTED}` },
  // A credential written after its name in prose: "invalid api key k3y...", "token abc123...".
  // ("HTTP/1.1" after "/token" in a request line is not one.)
  { pattern: /\b(api[ _-]?key|apikey|access[ _-]?token|refresh[ _-]?token|token|password|passwd|secret)(:?\s+)(?!HTTP\/)(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1$2${REDACTED}` },
  // "password": "..." in JSON fragments.
  { pattern: new RegExp(`("(?:${SECRET_PARAM_NAMES.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), replace: `$1"${REDACTED}"` },
  // user:password@ in URLs. The scheme is looked for behind each "://", so a long run of
  // scheme characters ("a.a.a.a...") is read once, not once per word in it.
  { pattern: /(?=:\/\/)(?<=\b[a-z][a-z0-9+.-]*)(:\/\/[^/\s:@]+):[^@\s/]+@/gi, replace: `$1:${REDACTED}@` },
  // Well-known key shapes.
  { pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  { pattern: /\b(sk|pk|rk)_(live|test)_[A-Za-z0-9]{8,}\b/g, replace: REDACTED },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, replace: REDACTED },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, replace: REDACTED },
];

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isTokenChar = (c: number) => isWordChar(c) || c === 45;

/** End of the run of base64url characters starting at i. */
function tokenEnd(text: string, i: number): number {
  while (i < text.length && isTokenChar(text.charCodeAt(i))) i++;
  return i;
}

/**
 * JSON Web Tokens: "eyJ" at a word start, then header.payload.signature
 * (header and payload at least 4 characters), as the regular expression
 * /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]* / would find them, in linear time: when
 * no token starts at an "eyJ", none starts at a later "eyJ" of the same
 * header segment either (all end where it ends), so the scan skips it.
 * The expression itself takes quadratic time on "eyJ-eyJ-eyJ-...".
 */
function redactJwts(text: string): string {
  let i = text.indexOf('eyJ');
  if (i < 0) return text;
  let out = '';
  let last = 0;
  while (i >= 0) {
    if (i > 0 && isWordChar(text.charCodeAt(i - 1))) {
      i = text.indexOf('eyJ', i + 1);
      continue;
    }
    const header = tokenEnd(text, i + 3);
    if (header - i - 3 >= 4 && text.charCodeAt(header) === 46) {
      const payload = tokenEnd(text, header + 1);
      if (payload - header - 1 >= 4 && text.charCodeAt(payload) === 46) {
        const end = tokenEnd(text, payload + 1);
        out += `${text.slice(last, i)}[JWT]`;
        last = end;
        i = text.indexOf('eyJ', end);
        continue;
      }
    }
    i = text.indexOf('eyJ', header);
  }
  return last === 0 ? text : out + text.slice(last);
}

// A cheap test first: most text holds none of the markers any rule needs.
const QUICK = /[=:]|eyJ|Bearer|Basic|AKIA|ASIA|sk_|pk_|gh|xox|Digest|NTLM|Negotiate|key|token|passw|secret/i;

/**
 * Texts that pass the cheap test go through a dozen expressions; the same
 * user agents, referers and messages come back on many lines, so their
 * redacted form is remembered (bounded: short texts only, copied, forgotten at once when full).
 */
const MEMO_MAX_ENTRIES = 4096;
const MEMO_MAX_CHARS = 512;
const memo = new Map<string, string>();

export function redactSecrets(text: string): string {
  if (!QUICK.test(text)) return text;
  // A text too long to be remembered is not looked up either (the lookup would hash all of it).
  const rememberable = text.length <= MEMO_MAX_CHARS;
  const known = rememberable ? memo.get(text) : undefined;
  if (known !== undefined) return known;
  let out = text;
  for (const rule of RULES) out = typeof rule === 'function' ? rule(out) : out.replace(rule.pattern, rule.replace);
  if (rememberable) {
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    // Copies: a text cut from a log line (and a replace() result built of its pieces) would keep
    // the whole line alive, up to --max-line-bytes, for as long as it is remembered.
    memo.set(detach(text), detach(out));
  }
  return out;
}
