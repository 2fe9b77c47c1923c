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

const RULES: readonly { pattern: RegExp; replace: string }[] = [
  // Header lines copied into messages.
  { pattern: /\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|api-key)(["']?\s*[:=]\s*["']?)[^"'\n,}]+/gi, replace: `$1$2${REDACTED}` },
  // Credentials after an auth scheme.
  // (A credential is long or holds digits/symbols, so prose such as "Basic authentication" stays readable.
  // It is a token68: "=" only as trailing padding, so a challenge's realm="api", error="..." is not one.)
  { pattern: /\b(Bearer|Basic|Digest|Token|Negotiate|NTLM|ApiKey)\s+(?:[A-Za-z0-9._~+/-]{16,}=*|(?=[A-Za-z0-9._~+/-]*[0-9._~+/-])[A-Za-z0-9._~+/-]{4,}=*)(?![A-Za-z0-9._~+/="-])/g, replace: `$1 ${REDACTED}` },
  // JSON Web Tokens anywhere.
  { pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, replace: '[JWT]' },
  // name=value in query strings, forms and key=value logs.
  { pattern: new RegExp(`(^|[?&;\\s,"'{(])(${SECRET_PARAM_NAMES.join('|')})(=)[^&\\s;,"'})]*`, 'gi'), replace: `$1$2$3${REDACTED}` },
  // A credential written after its name in prose: "invalid api key k3y...", "token abc123...".
  { pattern: /\b(api[ _-]?key|apikey|access[ _-]?token|refresh[ _-]?token|token|password|passwd|secret)(:?\s+)(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1$2${REDACTED}` },
  // "password": "..." in JSON fragments.
  { pattern: new RegExp(`("(?:${SECRET_PARAM_NAMES.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), replace: `$1"${REDACTED}"` },
  // user:password@ in URLs.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^@\s/]+@/gi, replace: `$1:${REDACTED}@` },
  // Well-known key shapes.
  { pattern: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  { pattern: /\b(sk|pk|rk)_(live|test)_[A-Za-z0-9]{8,}\b/g, replace: REDACTED },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, replace: REDACTED },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, replace: REDACTED },
];

const QUICK = /[=:]|eyJ|Bearer|Basic|AKIA|ASIA|sk_|pk_|gh|xox|Token|Digest|NTLM|Negotiate|ApiKey/;

export function redactSecrets(text: string): string {
  if (!QUICK.test(text)) return text;
  let out = text;
  for (const rule of RULES) out = out.replace(rule.pattern, rule.replace);
  return out;
}
